"""The example gallery's videos in Chromium: poster and duration badge in the grid, playing and seeking in
the viewer, from file://, from a web server with range requests (every real host) and from one without
(python -m http.server, where the page falls back to playing from memory)."""

from __future__ import annotations

import functools
import os
import re
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest
from pages import LocalServer, Watched, database
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.browser


class _RangeHandler(SimpleHTTPRequestHandler):
    """A static server that answers single range requests, as nginx, Apache and static hosts do."""

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def send_head(self) -> Any:
        match = re.fullmatch(r"bytes=(\d+)-(\d*)", self.headers.get("Range", ""))
        path = Path(self.translate_path(self.path))
        if match is None or not path.is_file():
            return super().send_head()
        size = path.stat().st_size
        start = int(match.group(1))
        end = min(int(match.group(2) or size - 1), size - 1)
        if start >= size:
            self.send_error(416)
            return None
        handle = path.open("rb")
        handle.seek(start)
        self.send_response(206)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(end - start + 1))
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        self._remaining = end - start + 1
        return handle

    def copyfile(self, source: Any, outputfile: Any) -> None:
        remaining = getattr(self, "_remaining", None)
        if remaining is None:
            super().copyfile(source, outputfile)
            return
        while remaining > 0:
            chunk = source.read(min(65536, remaining))
            if not chunk:
                break
            outputfile.write(chunk)
            remaining -= len(chunk)


@pytest.fixture(scope="module")
def range_root(example_site: Path) -> Iterator[str]:
    server = LocalServer(("127.0.0.1", 0), functools.partial(_RangeHandler, directory=str(example_site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(params=["file", "http-ranges", "http-plain"])
def video_page(
    request: pytest.FixtureRequest, browser: Browser, example_site: Path
) -> Iterator[tuple[Watched, str]]:
    if request.param == "file":
        root = example_site.as_uri() + "/"
    elif request.param == "http-ranges":
        root = request.getfixturevalue("range_root")
    else:
        root = request.getfixturevalue("http_root")
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    yield Watched(context.new_page(), root), root + "index.html"
    context.close()


def videos(site: Path) -> dict[str, dict[str, Any]]:
    return {e["files"][0].rsplit("/", 1)[1]: e for e in database(site)["entries"] if e["type"] == "video"}


def open_viewer(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.locator("html")).to_have_attribute("data-state", "ready", timeout=15_000)
    expect(page.locator(".viewer-video")).to_be_visible()


STATE = """const v = document.querySelector('.viewer-video');
    const state = {src: v.getAttribute('src'), ready: v.readyState, time: v.currentTime, width: v.videoWidth,
                   height: v.videoHeight, error: v.error && v.error.code, poster: v.getAttribute('poster')};"""


def state(page: Page) -> dict[str, Any]:
    return page.evaluate(f"() => {{ {STATE} return state; }}")


def loaded_state(page: Page) -> dict[str, Any]:
    """The player's state at the moment its metadata is loaded: without range support the page then
    reloads the video from memory, and the player is empty again for a while."""
    found = page.wait_for_function(
        f"() => {{ {STATE} return state.ready >= 1 && state.width > 0 ? state : false; }}", timeout=15_000
    )
    return found.json_value()


def test_video_plays_and_seeks(video_page: tuple[Watched, str], example_site: Path) -> None:
    watched, url = video_page
    page = watched.page
    bunny = videos(example_site)["bigbuckbunny.mp4"]
    open_viewer(page, f"{url}#/view/{bunny['id']}")
    first = loaded_state(page)
    assert first["src"] and (first["src"].endswith(".mp4") or first["src"].startswith("blob:"))
    assert (first["width"], first["height"]) == (1280, 720)
    assert first["poster"] and first["poster"].startswith(f"files/{bunny['id'][:2]}/")
    # seeking works over every transport (with ranges, from the file, or from memory without ranges)
    page.wait_for_function(
        """() => { const v = document.querySelector('.viewer-video');
        if (!(v.seekable.length && v.seekable.end(0) > 4)) return false;
        if (Math.abs(v.currentTime - 3) > 0.25 && !v.seeking) v.currentTime = 3;
        return Math.abs(v.currentTime - 3) < 0.25 && !v.seeking && v.readyState >= 2; }""",
        timeout=15_000,
    )
    page.evaluate("() => { const v = document.querySelector('.viewer-video'); v.muted = true; v.play(); }")
    page.wait_for_function("() => document.querySelector('.viewer-video').currentTime > 3.3", timeout=15_000)
    assert state(page)["error"] is None
    page.keyboard.press("Escape")
    expect(page.locator(".viewer")).to_be_hidden()
    assert page.evaluate("() => document.querySelector('.viewer-video').paused")
    own_blobs = "blob:" + watched.allowed_prefix.rstrip("/")
    assert [u for u in watched.foreign_requests() if not u.startswith(own_blobs)] == []
    assert watched.problems == []


def test_rotated_phone_video_is_portrait(video_page: tuple[Watched, str], example_site: Path) -> None:
    watched, url = video_page
    phone = videos(example_site)["with-gps.mov"]
    assert phone["width"] < phone["height"]
    open_viewer(watched.page, f"{url}#/view/{phone['id']}")
    # rotation applied in the web copy (read once it has metadata; a fallback to memory may reload it)
    watched.page.wait_for_function(
        """() => { const v = document.querySelector('.viewer-video');
        return v.readyState >= 1 && v.videoWidth > 0 && v.videoWidth < v.videoHeight; }""",
        timeout=15_000,
    )
    box = watched.page.locator(".viewer-video").bounding_box()
    assert box is not None and box["height"] > box["width"]
    assert watched.problems == []


def test_grid_tile_shows_poster_and_duration(browser: Browser, example_site: Path) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    bunny = videos(example_site)["bigbuckbunny.mp4"]
    page.goto((example_site / "index.html").as_uri())
    expect(page.locator("html")).to_have_attribute("data-state", "ready", timeout=15_000)
    tile = page.locator(f'[data-id="{bunny["id"]}"]')
    tile.scroll_into_view_if_needed()
    expect(tile.locator(".tile-badge")).to_have_text("▶ 0:05")
    page.wait_for_function(
        f"() => document.querySelector('[data-id=\"{bunny['id']}\"] img').naturalWidth > 0", timeout=15_000
    )
    assert (tile.locator("img").get_attribute("src") or "").endswith(".jpg")
    page.close()


def test_site_holds_the_web_copies_and_no_original(example_site: Path) -> None:
    found = {p.name for p in (example_site / "files").rglob("*.mp4")}
    assert len(found) == 2 and all(re.fullmatch(r"[0-9a-f]{12}-v720-[0-9a-f]{4}\.mp4", n) for n in found)
    originals = {os.path.getsize(p) for p in (example_site.parents[0]).glob("*.mov")}
    assert not originals
