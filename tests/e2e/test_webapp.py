"""The gallery app in Chromium over file:// and http: search, date headers, views, info links, zoom, the
offline map, a phone-sized screen, and a synthetic 100,000-item site."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from pages import Watched, database
from playwright.sync_api import Browser, Page, expect
from test_gallery import all_tile_ids, open_ready

REPO = Path(__file__).resolve().parents[2]


def entries(site: Path) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = database(site)["entries"]
    return result


def ids(site: Path, keep: Callable[[dict[str, Any]], bool]) -> list[str]:
    return [e["id"] for e in entries(site) if keep(e)]


def search_url(site_url: str, text: str) -> str:
    return f"{site_url}#/search/{quote(text, safe='')}"


def shown_ids(page: Page) -> list[str]:
    """Every tile of the (virtualized) grid, top to bottom; waits for the grid to settle first."""
    page.wait_for_timeout(100)
    return all_tile_ids(page)


def clean(watched: Watched) -> None:
    assert watched.foreign_requests() == []
    assert watched.problems == []


def test_search_route_and_box_narrow_the_grid(watched: Watched, site_url: str, example_site: Path) -> None:
    page = watched.page
    text = 'model:"iPhone 7" or year in [2010:2012]'
    open_ready(page, search_url(site_url, text))
    expected = ids(example_site, lambda e: e.get("model") == "iPhone 7" or "2010" <= e["date"][:4] <= "2012")
    assert len(expected) >= 3
    assert shown_ids(page) == expected, "the matches, newest first"
    expect(page.locator("#hgsite-count")).to_have_text(
        f"{len(expected)} of {len(entries(example_site))} items"
    )
    expect(page.locator(".search-input")).to_have_value(text)

    box = page.locator(".search-input")
    box.fill("make:canon")
    box.press("Enter")
    expect(page).to_have_url(search_url(site_url, "make:canon"))
    canon = ids(example_site, lambda e: str(e.get("make", "")).lower() == "canon")
    assert len(canon) >= 3 and shown_ids(page) == canon
    clean(watched)


def test_a_malformed_query_is_explained_and_the_fix_offered(
    watched: Watched, site_url: str, example_site: Path
) -> None:
    page = watched.page
    open_ready(page, search_url(site_url, "yaer:2019"))
    alert = page.locator(".search-error")
    expect(alert).to_contain_text('Unknown key "yaer"')
    expect(alert).to_contain_text("at character 1")
    expect(alert.locator("mark")).to_have_text("yaer")
    # as in HomeGallery, the rest of the query still finds items: here nothing is left, so everything
    expect(alert.locator(".search-error-rest")).to_contain_text("items the rest of the search finds")
    assert shown_ids(page) == ids(example_site, lambda e: True)
    page.goto(search_url(site_url, "yaer:2019 year:2019"))
    expect(page.locator(".search-error")).to_contain_text('Unknown key "yaer"')
    expect(page.locator(".search-error code")).to_have_text("yaer:2019 year:2019")
    assert shown_ids(page) == ids(example_site, lambda e: e["date"].startswith("2019"))
    page.goto(search_url(site_url, "yaer:2019"))
    expect(page.locator(".search-error code")).to_have_text("yaer:2019")
    alert.locator("a.search-fix").click()
    expect(page).to_have_url(search_url(site_url, "year:2019"))
    expect(page.locator(".search-error")).to_have_count(0)
    assert shown_ids(page) == ids(example_site, lambda e: e["date"].startswith("2019"))
    page.goto(search_url(site_url, "(holiday"))
    expect(page.locator(".search-error")).to_contain_text('Missing ")"')
    clean(watched)


def test_month_headers_and_the_timeline_scrubber(watched: Watched, site_url: str, example_site: Path) -> None:
    page = watched.page
    open_ready(page, site_url)
    newest = entries(example_site)[0]["date"]
    months = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December"]  # fmt: skip
    first = page.locator(".grid-header").first
    expect(first).to_contain_text(f"{months[int(newest[5:7]) - 1]} {newest[:4]}")
    year = page.locator('.scrubber-year:text-is("2008")')
    expect(year).to_have_count(1)
    year.click(force=True)
    in_2008 = ids(example_site, lambda e: e["date"].startswith("2008"))
    page.wait_for_function(
        'id => { const t = document.querySelector(`[data-id="${id}"]`); if (!t) return false;'
        " const r = t.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }",
        arg=in_2008[0],
    )
    clean(watched)


def test_years_and_tags_views_link_to_searches(watched: Watched, site_url: str, example_site: Path) -> None:
    page = watched.page
    open_ready(page, f"{site_url}#/years")
    years = sorted({e["date"][:4] for e in entries(example_site)}, reverse=True)
    expect(page.locator(".year-card")).to_have_count(len(years))
    expect(page.locator(".year-name").first).to_have_text(years[0])
    count = len(ids(example_site, lambda e: e["date"].startswith("2003")))
    card = page.locator('.year-link[data-year="2003"]')
    expect(card.locator(".year-count")).to_have_text(f"{count} items")
    card.click()
    expect(page).to_have_url(search_url(site_url, "year:2003"))
    assert shown_ids(page) == ids(example_site, lambda e: e["date"].startswith("2003"))

    page.goto(f"{site_url}#/tags")
    chip = page.locator('[data-group="country"] .tag-chip[data-value="United States"]')
    expect(chip.locator(".tag-count")).to_have_text("1")
    chip.click()
    expect(page).to_have_url(search_url(site_url, 'country:"United States"'))
    assert shown_ids(page) == ids(example_site, lambda e: e.get("country") == "United States")
    clean(watched)


def test_info_values_search_and_zoom(watched: Watched, site_url: str, example_site: Path) -> None:
    page = watched.page
    iphone = ids(example_site, lambda e: e.get("model") == "iPhone 7")[0]
    open_ready(page, f"{site_url}#/view/{iphone}")
    page.wait_for_function("() => document.querySelector('.viewer-img').naturalWidth > 0")
    page.locator(".viewer-stage").dblclick()
    expect(page.locator(".viewer")).to_have_class(re.compile(r"\bis-zoomed\b"))
    assert "scale(2.5" in (page.locator(".viewer-img").get_attribute("style") or "")
    page.keyboard.press("ArrowRight")
    expect(page.locator(".viewer")).not_to_have_class(re.compile(r"\bis-zoomed\b"))
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("i")
    camera = page.locator(".info-camera a")
    expect(camera).to_have_text("Apple iPhone 7")
    camera.click()
    expect(page).to_have_url(search_url(site_url, 'model:"iPhone 7"'))
    expect(page.locator(".viewer")).to_be_hidden()
    assert shown_ids(page) == [iphone]
    clean(watched)


def test_map_shows_markers_offline_and_an_area_filters_the_grid(
    watched: Watched, site_url: str, example_site: Path
) -> None:
    page = watched.page
    open_ready(page, f"{site_url}#/map")
    expect(page.locator("html")).to_have_attribute("data-map", "ready", timeout=20_000)
    located = ids(example_site, lambda e: "lat" in e)
    assert len(located) >= 4, "the example has photos and videos with positions"
    counts = page.eval_on_selector_all(
        ".marker-cluster, .map-marker",
        "els => els.map(e => e.classList.contains('map-marker') ? 1 : Number(e.textContent))",
    )
    assert sum(counts) == len(located)
    assert page.locator(".leaflet-overlay-pane canvas").count() == 1, "the countries are drawn"
    expect(page.locator(".map-area-count")).to_have_text(f" ({len(located)})")
    page.locator(".map-area").click()
    expect(page).to_have_url(re.compile(r"#/search/lat%20in%20"))
    assert sorted(shown_ids(page)) == sorted(located)
    urls = [u.split("?")[0] for u in watched.requests]
    assert any(u.endswith("data/world.js") or u.endswith("data/world.json.gz") for u in urls)
    assert any(u.endswith("vendor/leaflet/leaflet.js") for u in urls)
    clean(watched)


@pytest.fixture
def phone(browser: Browser, example_site: Path) -> Iterator[Watched]:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    yield Watched(page, example_site.as_uri() + "/")
    context.close()


def test_phone_screen_has_no_horizontal_scroll(
    phone: Watched, example_site: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    page = phone.page
    url = (example_site / "index.html").as_uri()
    shots = tmp_path_factory.mktemp("phone")
    iphone = ids(example_site, lambda e: e.get("model") == "iPhone 7")[0]
    for name, route in [
        ("grid", ""),
        ("search", "#/search/" + quote("year >= 2010 not holiday", safe="")),
        ("error", "#/search/" + quote("yaer:2019 and (this or that", safe="")),
        ("years", "#/years"),
        ("tags", "#/tags"),
        ("map", "#/map"),
        ("similar", f"#/similar/{iphone}"),
        ("duplicates", "#/duplicates"),
        ("folders", "#/folders"),
        ("viewer", f"#/view/{iphone}"),
    ]:
        page.goto("about:blank")
        open_ready(page, url + route)
        if name == "map":
            expect(page.locator("html")).to_have_attribute("data-map", "ready", timeout=20_000)
        if name in ("similar", "duplicates"):
            expect(page.locator(f".{name}-heading")).to_be_visible()
        if name == "viewer":
            page.keyboard.press("i")
            expect(page.locator(".viewer-info")).to_be_visible()
        page.screenshot(path=str(shots / f"{name}.png"))
        width = page.evaluate("Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)")
        assert width <= 390, f"{name}: {width} px wide"
        header = page.locator("#hgsite-header").bounding_box()
        assert header is not None and header["height"] <= 110, name
    expect(page.locator(".search-input")).to_be_visible()
    clean(phone)


@pytest.fixture(scope="session")
def large_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    """A synthetic site of 100,000 entries through the real encoder and emitter (bench/synthetic.py)."""
    sys.path.insert(0, str(REPO / "bench"))
    from synthetic import make_site

    site = tmp_path_factory.mktemp("large") / "site"
    make_site(site, 100_000, with_previews=300)
    items = entries(site)
    both = [e for e in items if "holiday" in e["tags"] and e["date"].startswith("2019")]
    return site, {"holiday": sum("holiday" in e["tags"] for e in items), "both": len(both)}


def test_a_100k_site_opens_and_searches(browser: Browser, large_site: tuple[Path, dict[str, int]]) -> None:
    site, counts = large_site
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    watched = Watched(page, site.as_uri() + "/")
    open_ready(page, (site / "index.html").as_uri())
    expect(page.locator("#hgsite-count")).to_have_text("100,000 items")
    tiles = page.locator(".grid [data-id]").count()
    assert 10 < tiles < 300, f"{tiles} tiles in the DOM: the grid is virtualized"
    assert page.evaluate("hgsite.app.grid.layout.headers.length") > 200, "month headers over 20 years"
    page.locator(".search-input").fill("tag:holiday year:2019")
    page.locator(".search-input").press("Enter")
    expect(page.locator("#hgsite-count")).to_contain_text(" of 100,000 items")
    found = page.evaluate("hgsite.app.list.length")
    assert found == counts["both"] and 0 < found < counts["holiday"]
    assert page.evaluate("hgsite.app.lastSearch.ms") < 1000
    assert watched.foreign_requests() == []
    assert [p for p in watched.problems if "ERR_FILE_NOT_FOUND" not in p] == []
    context.close()


def test_touch_pinch_double_tap_and_swipe(phone: Watched, example_site: Path) -> None:
    page = phone.page
    order = [e["id"] for e in entries(example_site)]
    iphone = ids(example_site, lambda e: e.get("model") == "iPhone 7")[0]
    open_ready(page, (example_site / "index.html").as_uri() + f"#/view/{iphone}")
    page.wait_for_function("() => document.querySelector('.viewer-img').naturalWidth > 0")
    cdp = page.context.new_cdp_session(page)

    def touch(kind: str, points: list[tuple[float, float]]) -> None:
        touch_points = [{"x": x, "y": y, "id": i} for i, (x, y) in enumerate(points)]
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": touch_points})

    def double_tap() -> None:
        for _ in range(2):
            touch("touchStart", [(195, 420)])
            touch("touchEnd", [])
            page.wait_for_timeout(60)
        page.wait_for_timeout(300)

    viewer, img = page.locator(".viewer"), page.locator(".viewer-img")
    touch("touchStart", [(165, 420), (225, 420)])
    for k in range(1, 11):
        touch("touchMove", [(165 - 8 * k, 420), (225 + 8 * k, 420)])
        page.wait_for_timeout(16)
    touch("touchEnd", [])
    expect(viewer).to_have_class(re.compile(r"\bis-zoomed\b"))
    scale = float(re.search(r"scale\(([\d.]+)\)", img.get_attribute("style") or "").group(1))  # type: ignore[union-attr]
    assert 3 < scale < 4.5, "fingers 60 px apart, then 220 px: about 3.7x"
    double_tap()
    expect(viewer).not_to_have_class(re.compile(r"\bis-zoomed\b"))
    double_tap()
    assert "scale(2.5" in (img.get_attribute("style") or "")
    double_tap()
    expect(viewer).not_to_have_class(re.compile(r"\bis-zoomed\b"))
    touch("touchStart", [(300, 420)])
    for k in range(1, 8):
        touch("touchMove", [(300 - 30 * k, 420)])
        page.wait_for_timeout(16)
    touch("touchEnd", [])
    expect(page).to_have_url(re.compile("#/view/" + order[order.index(iphone) + 1]))
    assert phone.problems == []
