"""The tag round trip: tag in the page, reload, export, `hgsite import`, rebuild, and see the tags synced."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from pages import Watched, database
from playwright.sync_api import Browser, expect

REPO = Path(__file__).resolve().parents[2]
PHOTOS = ["nature/silver_fir.jpg", "nature/wood_anemones.jpg", "city/IMG_2682.heic", "landscapes/denali.webp"]


def hgsite(project: Path, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "hgsite", *args], cwd=project, check=True, timeout=300)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    for name in PHOTOS:
        target = tmp_path / "photos" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(REPO / "content-example" / "photos" / name, target)
    hgsite(tmp_path, "build", "photos", "-q")
    return tmp_path


@pytest.mark.parametrize("scheme", ["file", "http"])
def test_tag_reload_export_import_build(
    browser: Browser, project: Path, scheme: str, http_server_for: Callable[[Path], str]
) -> None:
    site = project / "site"
    root = site.as_uri() + "/" if scheme == "file" else http_server_for(site)
    context = browser.new_context(accept_downloads=True)
    watched = Watched(context.new_page(), root)
    page = watched.page
    page.goto(root + "index.html")
    expect(page.locator("html")).to_have_attribute("data-state", "ready")
    ids = [e["id"] for e in database(site)["entries"]][:3]

    page.get_by_role("button", name="Select").click()
    for item in ids:
        page.locator(f'[data-id="{item}"]').click()
    expect(page.locator(".tile.is-selected")).to_have_count(3)
    assert "#/view/" not in page.url, "while selecting, a click selects instead of opening"
    page.locator("#hgsite-tag-input").fill("holiday 2026")
    page.locator(".tagbar").get_by_role("button", name="Add").click()
    expect(page.locator(".tag-pending")).to_have_text("1 unsynced change")
    tags = "ids => ids.map(id => hgsite.app.byId.get(id).tags)"
    assert page.evaluate(tags, ids) == [["holiday 2026"]] * 3

    page.reload()
    expect(page.locator("html")).to_have_attribute("data-state", "ready")
    assert page.evaluate(tags, ids) == [["holiday 2026"]] * 3, "the change survives a reload"
    expect(page.locator(".tag-pending")).to_have_text("1 unsynced change")

    with page.expect_download() as download:
        page.get_by_role("button", name="Export").click()
    exported = project / "export.ndjson"
    download.value.save_as(exported)
    hgsite(project, "import", str(exported), "-q")
    hgsite(project, "build", "photos", "-q")

    built = {e["id"]: e["tags"] for e in database(site)["entries"]}
    assert [built[i] for i in ids] == [["holiday 2026"]] * 3
    page.reload()
    expect(page.locator("html")).to_have_attribute("data-state", "ready")
    expect(page.locator(".tag-pending")).to_have_attribute("data-count", "0")
    expect(page.get_by_role("button", name="Export")).to_be_hidden()
    assert page.evaluate(tags, ids) == [["holiday 2026"]] * 3
    assert watched.problems == [] and watched.foreign_requests() == []
    context.close()


def test_viewer_tag_editor_and_undo(browser: Browser, project: Path) -> None:
    site = project / "site"
    context = browser.new_context()
    watched = Watched(context.new_page(), site.as_uri() + "/")
    page = watched.page
    first = database(site)["entries"][0]["id"]
    page.goto(f"{site.as_uri()}/index.html#/view/{first}")
    expect(page.locator("html")).to_have_attribute("data-state", "ready")
    page.keyboard.press("i")
    field = page.locator("#hgsite-viewer-tag")
    field.fill("ice")
    field.press("Enter")
    expect(page.locator(".info-tag-editor .chip")).to_have_text(["ice\u00d7"])
    field = page.locator("#hgsite-viewer-tag")
    field.press("i")  # typing in the field is not the viewer's "info" shortcut
    expect(page.locator(".viewer-info")).to_be_visible()
    page.locator(".info-tag-editor").get_by_role("button", name="Remove tag ice").click()
    assert page.evaluate("id => hgsite.app.byId.get(id).tags", first) == []
    page.evaluate("hgsite.tags.undo()")
    assert page.evaluate("id => hgsite.app.byId.get(id).tags", first) == ["ice"], "undo brings the tag back"
    expect(page.locator(".tag-pending")).to_have_text("3 unsynced changes")
    assert watched.problems == []
    context.close()
