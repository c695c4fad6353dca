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
