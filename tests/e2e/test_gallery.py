"""The example gallery in Chromium: every tile, the viewer, keys, deep links, and nothing from other hosts."""

from __future__ import annotations

import re
from pathlib import Path

from pages import Watched, database
from playwright.sync_api import Page, expect


def open_ready(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.locator("html")).to_have_attribute("data-state", "ready", timeout=15_000)


def all_tile_ids(page: Page) -> list[str]:
    """Scroll the virtualized grid from top to bottom and collect every tile's data-id in order."""
    seen: dict[str, float] = {}
    page.evaluate("window.scrollTo(0, 0)")
    while True:
        for item, top in page.eval_on_selector_all(
            "[data-id]", "els => els.map(e => [e.dataset.id, e.getBoundingClientRect().top + window.scrollY])"
        ):
            seen.setdefault(item, top)
        at_end = page.evaluate(
            "window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 2"
        )
        if at_end:
            break
        page.evaluate("window.scrollBy(0, window.innerHeight * 0.8)")
        page.wait_for_timeout(50)
    return sorted(seen, key=lambda i: seen[i])


def test_every_item_has_a_tile(watched: Watched, site_url: str, example_site: Path) -> None:
    open_ready(watched.page, site_url)
    ids = [e["id"] for e in database(example_site)["entries"]]
    tiles = all_tile_ids(watched.page)
    assert sorted(tiles) == sorted(ids)
    assert tiles[:5] == ids[:5], "newest first, in database order"
    first = watched.page.locator(f'[data-id="{ids[0]}"] img')
    watched.page.evaluate("window.scrollTo(0, 0)")
    # a jump of several screens places tiles first and loads their images once scrolling settles
    expect(first).to_have_attribute("src", re.compile(r"^files/.*\.jpg$"))
    assert watched.foreign_requests() == []
    assert watched.problems == []


def test_viewer_opens_and_steps_with_keys(watched: Watched, site_url: str, example_site: Path) -> None:
    page = watched.page
    entries = database(example_site)["entries"]
    ids = [e["id"] for e in entries]
    first = next(i for i, e in enumerate(entries) if e["type"] == "image")  # videos: test_video.py
    open_ready(page, site_url)
    page.locator(f'[data-id="{ids[first]}"]').click()
    expect(page).to_have_url(f"{site_url}#/view/{ids[first]}")
    viewer_img = page.locator(".viewer-img")
    expect(viewer_img).to_be_visible()
    page.wait_for_function("() => document.querySelector('.viewer-img').naturalWidth > 0")
    assert (viewer_img.get_attribute("src") or "").startswith(
        f"files/{ids[first][:2]}/{ids[first][2:4]}/{ids[first][4:]}-"
    )
    page.keyboard.press("ArrowRight")
    expect(page).to_have_url(f"{site_url}#/view/{ids[first + 1]}")
    page.keyboard.press("End")
    expect(page).to_have_url(f"{site_url}#/view/{ids[-1]}")
    page.keyboard.press("Home")
    expect(page).to_have_url(f"{site_url}#/view/{ids[0]}")
    page.keyboard.press("i")
    info = page.locator(".viewer-info")
    expect(info).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator(".viewer")).to_be_hidden()
    assert "#/view/" not in page.url
    assert watched.foreign_requests() == []
    assert watched.problems == []


def test_deep_link_opens_the_viewer_with_metadata(
    watched: Watched, site_url: str, example_site: Path
) -> None:
    page = watched.page
    entries = database(example_site)["entries"]
    iphone = next(e for e in entries if e.get("model") == "iPhone 7")
    open_ready(page, f"{site_url}#/view/{iphone['id']}")
    expect(page.locator(".viewer")).to_be_visible()
    page.keyboard.press("i")
    info = page.locator(".viewer-info")
    expect(info).to_contain_text("iPhone 7")
    expect(info).to_contain_text("IMG_2682.heic")
    expect(info).to_contain_text("2019")
    assert watched.problems == []
