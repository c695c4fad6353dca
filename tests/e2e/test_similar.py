"""Similar photos and duplicates in Chromium, from file:// and http: the example's two orientations of one
landscape (exif-orientation/Landscape_3.jpg and Landscape_6.jpg) are near-duplicates of each other."""

from __future__ import annotations

import base64
import gzip
import json
from pathlib import Path

import numpy as np
from pages import Watched, database
from playwright.sync_api import Page, expect
from test_gallery import open_ready


def entry_id(site: Path, name: str) -> str:
    return next(e["id"] for e in database(site)["entries"] if e["files"][0].endswith(name))


def counts(site: Path) -> tuple[int, int]:
    """(items with a similarity code, all items): videos have no code (no image model on posters)."""
    entries = database(site)["entries"]
    return sum(e["type"] == "image" for e in entries), len(entries)


def tile_order(page: Page, at_least: int = 2) -> list[str]:
    page.wait_for_function(f"() => document.querySelectorAll('[data-id]').length >= {at_least}")
    return page.eval_on_selector_all(
        "[data-id]",
        "els => els.map(e => [e.dataset.id, e.getBoundingClientRect().top, e.getBoundingClientRect().left])"
        ".sort((a, b) => a[1] - b[1] || a[2] - b[2]).map(e => e[0])",
    )


def alike(site: Path, item: str, floor: int = 630) -> int:
    """How many items (the item itself included) share at least `floor` of their 1024 code bits with it."""
    data = json.loads(gzip.decompress((site / "data" / "similar.json.gz").read_bytes()))
    codes = np.unpackbits(
        np.frombuffer(base64.b64decode(data["codes"]), np.uint8).reshape(data["count"], 128), axis=1
    )
    index = [e["id"] for e in database(site)["entries"]].index(item)
    equal = (codes == codes[index]).sum(axis=1)
    known = np.ones(data["count"], bool)
    known[data["missing"]] = False
    return int(((equal >= floor) & known).sum())


def test_similar_route_ranks_the_variant_first(watched: Watched, site_url: str, example_site: Path) -> None:
    page = watched.page
    query, variant = entry_id(example_site, "Landscape_3.jpg"), entry_id(example_site, "Landscape_6.jpg")
    open_ready(page, f"{site_url}#/similar/{query}")
    shown, total = alike(example_site, query), counts(example_site)[1]  # cut where similarity ends
    assert 2 <= shown < counts(example_site)[0]
    expect(page.locator("#hgsite-count")).to_have_text(f"{shown} of {total} items")
    page.wait_for_function("() => document.title.indexOf('Similar to') === 0")
    order = tile_order(page)
    assert order[0] == query
    assert variant in order[1:4]
    assert len(set(order)) == len(order)
    assert watched.foreign_requests() == []
    assert watched.problems == []


def test_viewer_similar_action_and_key(watched: Watched, site_url: str, example_site: Path) -> None:
    page = watched.page
    query, variant = entry_id(example_site, "Landscape_6.jpg"), entry_id(example_site, "Landscape_3.jpg")
    open_ready(page, f"{site_url}#/view/{query}")
    expect(page.locator(".viewer")).to_be_visible()
    page.keyboard.press("s")
    expect(page).to_have_url(f"{site_url}#/similar/{query}")
    expect(page.locator(".viewer")).to_be_hidden()
    page.wait_for_function("() => document.title.indexOf('Similar to') === 0")
    assert tile_order(page)[:2] == [query, variant]
    page.locator(f'[data-id="{variant}"]').click()  # the viewer steps through the ranked list
    expect(page).to_have_url(f"{site_url}#/view/{variant}")
    page.get_by_role("button", name="Similar (s)").click()
    expect(page).to_have_url(f"{site_url}#/similar/{variant}")
    page.wait_for_function(
        "() => document.querySelector('[data-id]') && document.title.indexOf('Similar to') === 0"
    )
    assert tile_order(page)[:2] == [variant, query]
    assert watched.problems == []


def test_duplicates_view_shows_the_group(watched: Watched, site_url: str, example_site: Path) -> None:
    page = watched.page
    pair = {entry_id(example_site, "Landscape_3.jpg"), entry_id(example_site, "Landscape_6.jpg")}
    open_ready(page, f"{site_url}#/duplicates")
    expect(page.locator("#hgsite-count")).to_have_text(f"2 of {counts(example_site)[1]} items")
    assert set(tile_order(page, 2)) == pair
    expect(page.locator(".duplicates-heading")).to_contain_text("1 group of near-duplicates.")
    expect(page.locator(".grid-header")).to_have_count(1)
    assert watched.problems == []
