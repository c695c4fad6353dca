"""The page's views as a new user meets them (issue 18), over file:// and http: the details panel shows
each tag once, the folders of a single source, the similar view's heading and cut, the duplicates'
groups, and the header and map on a phone."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pages import Watched, database
from PIL import Image
from playwright.sync_api import Browser, Page, expect
from test_gallery import open_ready

REPO = Path(__file__).resolve().parents[2]
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}


def test_details_panel_shows_each_tag_once(watched: Watched, site_url: str, example_site: Path) -> None:
    page = watched.page
    entry = next(e for e in database(example_site)["entries"] if len(e["tags"]) >= 3)
    open_ready(page, f"{site_url}#/view/{entry['id']}")
    page.keyboard.press("i")
    panel = page.locator(".viewer-info")
    expect(panel.locator("dd.info-tags .chip")).to_have_count(len(entry["tags"]))
    assert panel.locator("dt").all_text_contents().count("Tags") == 1
    assert "Edit tags" not in panel.locator("dt").all_text_contents()
    texts = panel.locator("dl").inner_text()
    for tag in entry["tags"]:
        assert texts.count(tag) == sum(t.count(tag) for t in entry["tags"]), f"{tag} shown more than once"
    first = panel.locator("dd.info-tags a.info-link").first  # still a link to the tag's search
    expect(first).to_have_attribute("href", re.compile(r"^#/search/tag%3A"))
    expect(panel.get_by_role("button", name=f"Remove tag {entry['tags'][0]}")).to_be_visible()
    assert watched.problems == []


def test_one_source_shows_its_folders_under_one_heading(
    watched: Watched, site_url: str, example_site: Path
) -> None:
    page = watched.page
    rows = database(example_site)["folders"]
    source = next(row for row in rows if "/" not in row[0])
    top = sorted(row[0] for row in rows if row[0].count("/") == 1)
    open_ready(page, f"{site_url}#/folders")
    cards = page.locator("a.folder-link")
    expect(cards).to_have_count(len(top))
    assert sorted(cards.evaluate_all("els => els.map(e => e.dataset.path)")) == top
    view = page.locator(".page-folders")
    expect(view.locator(".page-title")).to_have_text("Folders")
    assert view.inner_text().count("Folders") == 1, "heading and breadcrumb both said Folders"
    expect(view.locator("a.folder-all")).to_contain_text(f"Show {source[2]} items")
    page.locator(f'a.folder-link[data-path="{source[0]}/space"]').click()
    expect(view.locator(".page-title")).to_have_text("Folders / space")
    assert page.locator(".page-folders").inner_text().count("space") == 1
    page.locator(".page-title a.crumb").click()
    expect(page).to_have_url(f"{site_url}#/folders")
    open_ready(page, f"{site_url}#/folders/{source[0]}")  # the source itself is the top level
    expect(page.locator("a.folder-link")).to_have_count(len(top))
    assert watched.problems == []


def test_similar_view_says_similar_to_what(watched: Watched, site_url: str, example_site: Path) -> None:
    page = watched.page
    entry = next(e for e in database(example_site)["entries"] if e["files"][0].endswith("Landscape_3.jpg"))
    open_ready(page, f"{site_url}#/similar/{entry['id']}")
    heading = page.locator(".similar-heading")
    expect(heading.locator("h2")).to_have_text("Similar to Landscape_3.jpg")
    photo = heading.locator("a.list-heading-photo")
    expect(photo).to_have_attribute("href", f"#/view/{entry['id']}")
    page.wait_for_function("() => document.querySelector('.similar-heading img').naturalWidth > 0")
    expect(heading).to_contain_text("similar item")
    grid_top = page.locator(".grid").bounding_box()
    box = heading.bounding_box()
    assert grid_top and box and box["y"] + box["height"] <= grid_top["y"], "the heading sits above the grid"
    photo.click()  # the viewer opens over the list; closing it comes back to the same heading
    expect(page.locator(".viewer")).to_be_visible()
    page.keyboard.press("Escape")
    expect(heading).to_be_visible()
    page.goto(f"{site_url}#/")
    expect(page.locator(".similar-heading")).to_have_count(0)
    assert watched.problems == []


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(**PHONE)  # type: ignore[arg-type]
    yield context.new_page()
    context.close()


def header_parts(page: Page) -> dict[str, dict[str, float]]:
    return page.evaluate(
        """() => Object.fromEntries(['.bar-title', '.bar-nav', '.tag-select', '.search', '#hgsite-count'].map(s => {
          const r = document.querySelector(s).getBoundingClientRect();
          return [s, {top: r.top, bottom: r.bottom, left: r.left, right: r.right, width: r.width}];
        }))"""
    )


def test_phone_header_keeps_select_beside_the_views_and_shows_the_count(
    phone: Page, example_site: Path
) -> None:
    open_ready(phone, (example_site / "index.html").as_uri())
    first = database(example_site)["entries"][0]["id"]
    for state in ("fresh", "with unsynced changes"):
        if state != "fresh":  # Export and Undo join Select in the header
            phone.evaluate("id => hgsite.tags.change([id], 'addTag', 'phone test')", first)
            expect(phone.locator(".tag-export")).to_be_visible()
        parts = header_parts(phone)
        title, select = parts[".bar-title"], parts[".tag-select"]
        assert select["top"] < title["bottom"] and title["top"] < select["bottom"], (
            f"{state}: Select on a row of its own"
        )
        assert select["right"] <= 390 and parts[".bar-nav"]["right"] <= select["left"], state
        expect(phone.locator("#hgsite-count")).to_be_visible()
        expect(phone.locator("#hgsite-count")).to_have_text("40 items")
        count, search = parts["#hgsite-count"], parts[".search"]
        assert count["width"] > 0 and count["top"] < search["bottom"] and search["top"] < count["bottom"], (
            state
        )
        assert phone.locator("#hgsite-header").bounding_box()["height"] <= 100, state  # type: ignore[index]
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390, state


@pytest.fixture(scope="module")
def world_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Five photos with GPS positions around the world: San Francisco to Sydney, Reykjavik to Cape Town."""
    project = tmp_path_factory.mktemp("world")
    (project / "photos").mkdir()
    places = {
        "sf": (37.77, -122.42),
        "sydney": (-33.87, 151.21),
        "reykjavik": (64.15, -21.94),
        "capetown": (-33.92, 18.42),
        "tokyo": (35.68, 139.69),
    }
    for number, (name, (lat, lon)) in enumerate(places.items()):
        exif = Image.Exif()
        gps = exif.get_ifd(0x8825)
        gps.update(
            {1: "N" if lat >= 0 else "S", 2: degrees(lat), 3: "E" if lon >= 0 else "W", 4: degrees(lon)}
        )
        Image.new("RGB", (320, 240), (40 * number, 90, 160)).save(
            project / "photos" / f"{name}.jpg", exif=exif
        )
    command = [sys.executable, "-m", "hgsite", "build", "photos", "-o", "site", "-q"]
    subprocess.run(command, cwd=project, check=True, timeout=300)
    return project / "site"


def degrees(value: float) -> tuple[float, float, float]:
    whole, rest = divmod(abs(value) * 3600, 3600)
    return (whole, rest // 60, round(rest % 60, 2))


def test_phone_map_first_view_shows_every_position(phone: Page, world_site: Path) -> None:
    open_ready(phone, (world_site / "index.html").as_uri() + "#/map")
    expect(phone.locator("html")).to_have_attribute("data-map", "ready", timeout=20_000)
    phone.wait_for_timeout(300)  # markers are added in chunks
    canvas = phone.locator(".map-canvas").bounding_box()
    assert canvas is not None
    icons = phone.eval_on_selector_all(
        ".marker-cluster, .map-marker",
        """els => els.map(e => { const r = e.getBoundingClientRect();
          return [e.classList.contains('map-marker') ? 1 : Number(e.textContent), r.left, r.top, r.right, r.bottom]; })""",
    )
    assert sum(icon[0] for icon in icons) == 5, f"markers cut off: {icons}"
    for _, left, top, right, bottom in icons:
        assert canvas["x"] <= left and right <= canvas["x"] + canvas["width"], "a marker outside the map"
        assert canvas["y"] <= top and bottom <= canvas["y"] + canvas["height"]
    expect(phone.locator(".leaflet-control-zoom-out")).not_to_have_class(re.compile("leaflet-disabled"))


@pytest.fixture(scope="module")
def duplicates_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One landscape stored twice (a/, b/), a half-size JPEG and a three-quarter PNG of it, and three others."""
    project = tmp_path_factory.mktemp("duplicates")
    photos = REPO / "content-example" / "photos"
    original = Image.open(sorted((photos / "landscapes").glob("*.jpg"))[0]).convert("RGB")
    for folder in ("a", "b", "c", "others"):
        (project / "photos" / folder).mkdir(parents=True)
    original.save(project / "photos" / "a" / "view.jpg", quality=92)
    (project / "photos" / "b" / "view.jpg").write_bytes((project / "photos" / "a" / "view.jpg").read_bytes())
    original.resize((original.width // 2, original.height // 2)).save(
        project / "photos" / "c" / "view-half.jpg"
    )
    three = (original.width * 3 // 4, original.height * 3 // 4)
    original.resize(three).save(project / "photos" / "c" / "view-web.png")
    for path in sorted((photos / "nature").glob("*.jpg"))[:3]:
        (project / "photos" / "others" / path.name).write_bytes(path.read_bytes())
    command = [sys.executable, "-m", "hgsite", "build", "photos", "-o", "site", "-q"]
    subprocess.run(command, cwd=project, check=True, timeout=300)
    return project / "site"


@pytest.mark.parametrize("scheme", ["file", "http"])
def test_duplicates_in_groups_select_all_but_the_best_and_export(
    browser: Browser, duplicates_site: Path, scheme: str, http_server_for: Callable[[Path], str]
) -> None:
    root = duplicates_site.as_uri() + "/" if scheme == "file" else http_server_for(duplicates_site)
    by_file = {f: e["id"] for e in database(duplicates_site)["entries"] for f in e["files"]}
    best, half, web = (
        by_file["photos/a/view.jpg"],
        by_file["photos/c/view-half.jpg"],
        by_file["photos/c/view-web.png"],
    )
    assert by_file["photos/b/view.jpg"] == best, "identical files are one item"
    context = browser.new_context(viewport={"width": 1280, "height": 800}, accept_downloads=True)
    watched = Watched(context.new_page(), root)
    page = watched.page
    open_ready(page, root + "index.html#/duplicates")
    headers = page.locator(".grid-header")
    expect(headers).to_have_count(2)
    near, exact = headers.nth(0), headers.nth(1)
    expect(near.locator(".grid-header-label")).to_have_text("Near-duplicates")
    expect(near.locator(".grid-header-count")).to_have_text("3 items")
    expect(near.locator(".grid-header-detail")).to_contain_text("differ in resolution")
    assert {"JPG", "PNG"} <= set(re.findall(r"format \(([^)]*)\)", near.inner_text())[0].split(", "))
    expect(exact.locator(".grid-header-label")).to_have_text("Identical copies")
    expect(exact.locator(".grid-header-count")).to_have_text("2 files")
    expect(exact.locator(".grid-header-detail")).to_have_text("in photos/a, photos/b")
    expect(page.locator(f'[data-id="{best}"] .tile-best')).to_have_count(1)
    expect(page.locator(".tile-best")).to_have_count(1)
    expect(page.locator(".duplicates-heading")).to_contain_text("1 group of near-duplicates, 1 photo stored")

    near.get_by_role("button", name="Select all but the best").click()
    expect(page.locator(".tagbar-count")).to_have_text("2 selected")
    selected = page.eval_on_selector_all(".tile.is-selected", "els => els.map(e => e.dataset.id)")
    assert sorted(selected) == sorted([half, web])
    page.locator("#hgsite-tag-input").fill("duplicate")
    page.locator("#hgsite-tag-input").press("Enter")
    tags = "ids => ids.map(id => hgsite.app.byId.get(id).tags.includes('duplicate'))"
    page.wait_for_function(f"ids => ({tags})(ids).every(Boolean)", arg=[half, web])
    assert page.evaluate(tags, [best]) == [False]

    with page.expect_download() as download:
        page.locator(".duplicates-export").click()
    text = Path(download.value.path()).read_text()
    files = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert sorted(files) == ["photos/b/view.jpg", "photos/c/view-half.jpg", "photos/c/view-web.png"]
    assert "keep photos/a/view.jpg" in text
    assert watched.problems == [] and watched.foreign_requests() == []
    context.close()
