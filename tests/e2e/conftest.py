"""Browser tests: the built example gallery in Debian's Chromium, driven by Playwright, over file:// and http."""

from __future__ import annotations

import functools
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest
from pages import LocalServer, Watched
from playwright.sync_api import Browser, sync_playwright

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# What the machine's closed network needs: no background services phoning home, no sandbox as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example gallery, built by the CLI into a temporary project."""
    project = tmp_path_factory.mktemp("example")
    command = [
        sys.executable,
        "-m",
        "hgsite",
        "build",
        str(REPO / "content-example" / "photos"),
        "-o",
        "site",
        "-q",
    ]
    subprocess.run(command, cwd=project, check=True, timeout=300)
    return project / "site"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def http_server_for() -> Iterator[Callable[[Path], str]]:
    """serve(folder) -> its root URL on 127.0.0.1; servers stop at the end of the session."""
    servers: list[LocalServer] = []

    def serve(folder: Path) -> str:
        server = LocalServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield serve
    for server in servers:
        server.shutdown()


@pytest.fixture(scope="session")
def http_root(example_site: Path, http_server_for: Callable[[Path], str]) -> str:
    return http_server_for(example_site)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            "Debian's chromium is needed for the browser tests: apt-get install chromium (.ci/run does)"
        )
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(params=["file", "http"])
def site_url(request: pytest.FixtureRequest, example_site: Path) -> str:
    if request.param == "file":
        return (example_site / "index.html").as_uri()
    return str(request.getfixturevalue("http_root")) + "index.html"


@pytest.fixture
def watched(browser: Browser, site_url: str) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    watched = Watched(page, site_url.rsplit("/", 1)[0] + "/")
    yield watched
    print(f"page {page.url}; problems {watched.problems}; failed requests {watched.failed}")  # with a failure
    context.close()
