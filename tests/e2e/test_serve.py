"""`hgsite serve`: the open page follows new photos by itself, and a broken config keeps the last good site."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from pages import Watched
from playwright.sync_api import Browser, expect

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "content-example" / "photos"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    photos = tmp_path / "photos"
    photos.mkdir()
    for name in ("nature/silver_fir.jpg", "nature/wood_anemones.jpg"):
        shutil.copyfile(EXAMPLE / name, photos / Path(name).name)
    (tmp_path / "hgsite.toml").write_text('title = "Served"\nsources = ["photos"]\n')
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "hgsite", "serve", "-p", str(port)],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "data/database.js", timeout=2):
                break
        except OSError:
            time.sleep(0.2)
    try:
        yield tmp_path, url
    finally:
        process.terminate()
        output = process.communicate(timeout=10)[0]
        print(output)


def test_serve_reloads_on_new_photo_and_survives_a_broken_config(
    browser: Browser, served: tuple[Path, str]
) -> None:
    project, url = served
    context = browser.new_context()
    watched = Watched(context.new_page(), url)
    page = watched.page
    page.goto(url)
    expect(page.locator("html")).to_have_attribute("data-state", "ready")
    expect(page.locator("[data-id]")).to_have_count(2)

    shutil.copyfile(EXAMPLE / "landscapes/denali.webp", project / "photos" / "denali.webp")
    expect(page.locator("[data-id]")).to_have_count(3, timeout=30_000)  # no manual reload

    (project / "hgsite.toml").write_text('title = "Served"\nsources = ["photos"]\ntitel = "typo"\n')
    expect(page.locator(".serve-error")).to_contain_text("unknown key 'titel'", timeout=30_000)
    expect(page.locator("[data-id]")).to_have_count(3)
    assert watched.problems == []
    assert watched.foreign_requests() == []
    context.close()
