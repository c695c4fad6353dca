"""Memories ("On this day") in Chromium with a fixed clock, over file:// and http: the items of a day in
earlier years by year, one per near-duplicate group and burst, screenshots left out, the week when the
day has too few, and the card at the top of the home grid."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pages import Watched, database
from PIL import Image, ImageDraw
from playwright.sync_api import Browser, Page, expect

REPO = Path(__file__).resolve().parents[2]

# Files of the example gallery without a date in their metadata: the build dates them by their file
# time, which the fixture sets (UTC, and the build runs in UTC).
TIMES = {
    "space/apollo-7/apollo7_01.jpg": "2023-06-15T09:00:00",  # a burst of two: 2 s apart, same camera
    "space/apollo-7/apollo7_02.jpg": "2023-06-15T09:00:02",
    "space/Hubble_Interacting_Galaxy_NGC_5257.jpg": "2023-06-15T21:00:00",
    "exif-orientation/Landscape_3.jpg": "2021-06-15T10:00:00",  # near-duplicates, 5 minutes apart
    "exif-orientation/Landscape_6.jpg": "2021-06-15T10:05:00",
    "city/cheers_1440x960.heic": "2021-06-15T18:00:00",
    "videos/bigbuckbunny.mp4": "2019-06-15T11:00:00",
    "nature/polemonium_reptans.jpg": "2016-06-15T12:00:00",
    "nature/silver_fir.jpg": "2016-06-15T15:00:00",
    "nature/wood_anemones.jpg": "2026-06-15T08:00:00",  # this year: no memory
    "nature/orychophragmus_violaceus.jpg": "2025-06-14T12:00:00",  # the day before: only in the week
    "screens/Screenshot_20230615-120000.png": "2023-06-15T12:00:00",  # a screenshot: left out
    "city/japanese-shop.jpg": "2020-01-10T10:00:00",
    "space/m57_the_ring_nebula-587px.jpg": "2020-01-11T10:00:00",
    "exif-orientation/Portrait_8.jpg": "2020-01-12T10:00:00",
    "nature/Issue_280_dotnet.png": "2020-01-13T10:00:00",
}
ZONE = "Europe/Berlin"
JUNE_15 = "2026-06-14T23:30:00Z"  # 01:30 on 15 June in Berlin: the page uses the browser's local date


def _screenshot(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.new("RGB", (1080, 1920), "white")
    draw = ImageDraw.Draw(image)
    for row in range(60, 1900, 48):
        draw.rectangle((60, row, 60 + (row * 37) % 900, row + 18), fill=(40, 40, 40))
    image.save(path)


@pytest.fixture(scope="module")
def memories_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("memories")
    photos = project / "photos"
    shutil.copytree(REPO / "content-example" / "photos", photos)
    _screenshot(photos / "screens" / "Screenshot_20230615-120000.png")
    for name, when in TIMES.items():
        stamp = datetime.fromisoformat(when).replace(tzinfo=UTC).timestamp()
        os.utime(photos / name, (stamp, stamp))
    subprocess.run(
        [sys.executable, "-m", "hgsite", "build", "photos", "-o", "site", "-q"],
        cwd=project,
        check=True,
        timeout=300,
        env={**os.environ, "TZ": "UTC"},
    )
    return project / "site"


def by_file(site: Path) -> dict[str, str]:
    return {e["files"][0].split("/", 1)[1]: e["id"] for e in database(site)["entries"]}


@pytest.fixture(params=["file", "http"])
def root(request: pytest.FixtureRequest, memories_site: Path, http_server_for: Callable[[Path], str]) -> str:
    return memories_site.as_uri() + "/" if request.param == "file" else http_server_for(memories_site)


@pytest.fixture
def page_at(browser: Browser, root: str) -> Iterator[Callable[[str], tuple[Page, Watched]]]:
    contexts = []

    def at(clock: str) -> tuple[Page, Watched]:
        context = browser.new_context(viewport={"width": 1280, "height": 800}, timezone_id=ZONE)
        contexts.append(context)
        page = context.new_page()
        page.clock.set_fixed_time(clock)
        return page, Watched(page, root)

    yield at
    for context in contexts:
        context.close()


def open_ready(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.locator("html")).to_have_attribute("data-state", "ready", timeout=15_000)


def shown_years(page: Page) -> dict[str, list[str]]:
    expect(page.locator(".page-memories")).to_have_attribute("data-state", "ready", timeout=15_000)
    return page.eval_on_selector_all(
        ".memories-year",
        """els => Object.fromEntries(els.map(y => [y.querySelector('.memories-year-title span').textContent,
            Array.from(y.querySelectorAll('[data-id]')).map(t => t.dataset.id)]))""",
    )


def test_memories_of_a_day(
    page_at: Callable[[str], tuple[Page, Watched]], root: str, memories_site: Path
) -> None:
    page, watched = page_at(JUNE_15)
    ids = by_file(memories_site)
    open_ready(page, root + "index.html#/memories")
    expect(page.locator(".page-memories")).to_have_attribute("data-mode", "day", timeout=15_000)
    years = shown_years(page)
    assert list(years) == [
        "3 years ago · 2023",
        "5 years ago · 2021",
        "7 years ago · 2019",
        "10 years ago · 2016",
    ]
    apollo = {ids["space/apollo-7/apollo7_01.jpg"], ids["space/apollo-7/apollo7_02.jpg"]}
    landscape = {ids["exif-orientation/Landscape_3.jpg"], ids["exif-orientation/Landscape_6.jpg"]}
    y2023, y2021 = years["3 years ago · 2023"], years["5 years ago · 2021"]
    assert len(y2023) == 2 and len(set(y2023) & apollo) == 1, "one of the burst"
    assert ids["space/Hubble_Interacting_Galaxy_NGC_5257.jpg"] in y2023, "the screenshot is left out"
    assert len(y2021) == 2 and len(set(y2021) & landscape) == 1, "one of the near-duplicate group"
    assert ids["city/cheers_1440x960.heic"] in y2021
    assert years["7 years ago · 2019"] == [ids["videos/bigbuckbunny.mp4"]]
    assert set(years["10 years ago · 2016"]) == {
        ids["nature/polemonium_reptans.jpg"],
        ids["nature/silver_fir.jpg"],
    }
    expect(page.locator(".memories-intro")).to_contain_text("June 15 · 6 photos and 1 video from 4 years")

    # a tile opens the viewer over the memories; Esc comes back to them
    first = years["3 years ago · 2023"][0]
    page.locator(f'.memories-tile[data-id="{first}"]').click()
    expect(page.locator(".viewer")).to_be_visible()
    expect(page.locator(".viewer-counter")).to_have_text("1 / 7")
    page.keyboard.press("Escape")
    expect(page).to_have_url(root + "index.html#/memories")
    expect(page.locator(".memories-year")).to_have_count(4)
    assert watched.problems == [] and watched.foreign_requests() == []


def test_the_week_when_the_day_has_too_few(
    page_at: Callable[[str], tuple[Page, Watched]], root: str, memories_site: Path
) -> None:
    page, watched = page_at("2026-06-13T10:00:00Z")
    ids = by_file(memories_site)
    open_ready(page, root + "index.html#/memories")
    expect(page.locator(".page-memories")).to_have_attribute("data-mode", "week", timeout=15_000)
    expect(page.locator(".page-title")).to_have_text("This week in earlier years")
    years = shown_years(page)
    assert list(years) == [
        "1 year ago · 2025", "3 years ago · 2023", "5 years ago · 2021", "7 years ago · 2019", "10 years ago · 2016"
    ]  # fmt: skip
    assert years["1 year ago · 2025"] == [ids["nature/orychophragmus_violaceus.jpg"]]
    link = page.locator('.memories-year[data-year="2025"] .memories-year-search')
    expect(link).to_have_attribute("href", "#/search/date%20in%20%5B2025-06-10%3A2025-06-16%5D")
    assert watched.problems == []


def test_the_home_card_shows_only_with_memories(
    page_at: Callable[[str], tuple[Page, Watched]], root: str
) -> None:
    page, watched = page_at(JUNE_15)
    open_ready(page, root + "index.html")
    card = page.locator(".memories-card")
    expect(card).to_be_visible()
    expect(card).to_contain_text("On this day")
    expect(card).to_contain_text("From 2023, 2021, 2019 and 2016")
    assert page.locator(".memories-card [data-id]").count() == 0, "the card's covers are not grid tiles"
    card_box, grid_box = card.bounding_box(), page.locator(".grid").bounding_box()
    assert card_box and grid_box and card_box["y"] + card_box["height"] <= grid_box["y"], "above the grid"
    card.click()
    expect(page).to_have_url(root + "index.html#/memories")
    expect(page.locator(".memories-card")).to_have_count(0)
    page.go_back()
    expect(page.locator(".memories-card")).to_be_visible()
    assert watched.problems == []

    quiet, _ = page_at("2026-04-10T10:00:00Z")
    open_ready(quiet, root + "index.html")
    expect(quiet.locator(".grid [data-id]").first).to_be_visible()
    expect(quiet.locator(".memories-card")).to_have_count(0)
    open_ready(quiet, root + "index.html#/memories")
    expect(quiet.locator(".page-memories")).to_have_attribute("data-mode", "none", timeout=15_000)
    expect(quiet.locator(".memories-intro")).to_contain_text("Nothing from April 10")


def test_memories_play_as_a_slideshow(page_at: Callable[[str], tuple[Page, Watched]], root: str) -> None:
    page, watched = page_at(JUNE_15)
    open_ready(page, root + "index.html#/memories")
    shown = [i for ids in shown_years(page).values() for i in ids]
    page.locator(".slideshow-play").click()
    show = page.locator(".slideshow")
    expect(show).to_be_visible()
    expect(show).to_have_attribute("data-current", shown[0])
    assert "#/slideshow/id%20in%20(" in page.url
    played = page.evaluate("hgsite.slideshow.running().items.map(e => e.id)")
    assert played == shown
    page.keyboard.press("Escape")
    expect(show).to_have_count(0)
    expect(page).to_have_url(root + "index.html#/memories")
    # the same slideshow from its address: the same items
    open_ready(page, page.url.replace("#/memories", "") + "#/slideshow/id in (" + ", ".join(shown) + ")")
    expect(page.locator(".slideshow")).to_be_visible()
    assert sorted(page.evaluate("hgsite.slideshow.running().items.map(e => e.id)")) == sorted(shown)
    assert watched.problems == [] and watched.foreign_requests() == []
