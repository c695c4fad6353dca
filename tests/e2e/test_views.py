"""The page's views as a new user meets them (issue 18), over file:// and http: the details panel shows
each tag once, the folders of a single source, the similar view's heading and cut, the duplicates'
groups, and the header and map on a phone."""

from __future__ import annotations

import re
from pathlib import Path

from pages import Watched, database
from playwright.sync_api import expect
from test_gallery import open_ready


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
