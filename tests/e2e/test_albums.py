"""Folders and people in Chromium: the folder view opens a folder's photos; people found by person:."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from pages import Watched, database
from PIL import Image
from playwright.sync_api import Browser, expect

pytestmark = pytest.mark.skipif(
    shutil.which("exiftool") is None, reason="exiftool (Debian) writes the regions"
)
REGIONS = (
    "-XMP-mwg-rs:RegionInfo={AppliedToDimensions={W=400,H=300,Unit=pixel},RegionList=["
    "{Area={X=0.25,Y=0.3,W=0.2,H=0.2,Unit=normalized},Name=Anna Example,Type=Face}]}"
)


@pytest.fixture(scope="module")
def albums_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("albums")
    for folder, color in (("trips/2019/rome", "red"), ("trips/2020", "green"), ("home", "blue")):
        (project / "photos" / folder).mkdir(parents=True)
        Image.new("RGB", (400, 300), color).save(project / "photos" / folder / f"{color}.jpg")
    subprocess.run(
        ["exiftool", "-q", "-overwrite_original", REGIONS, str(project / "photos/home/blue.jpg")], check=True
    )
    subprocess.run(
        [sys.executable, "-m", "hgsite", "build", "photos", "-o", "site", "-q"],
        cwd=project,
        check=True,
        timeout=300,
    )
    return project / "site"


@pytest.mark.parametrize("scheme", ["file", "http"])
def test_folders_and_people(
    browser: Browser, albums_site: Path, scheme: str, http_server_for: Callable[[Path], str]
) -> None:
    root = albums_site.as_uri() + "/" if scheme == "file" else http_server_for(albums_site)
    context = browser.new_context()
    watched = Watched(context.new_page(), root)
    page = watched.page
    page.goto(root + "index.html#/folders")
    expect(page.locator("html")).to_have_attribute("data-state", "ready")
    page.locator('a.folder-link[data-path="photos/trips"]').click()  # one source: its folders come first
    expect(page.locator(".page-title")).to_have_text("Folders / trips")
    page.locator("a.folder-all").click()
    expect(page.locator("[data-id]")).to_have_count(2)
    trips = {e["id"] for e in database(albums_site)["entries"] if "/trips/" in e["files"][0]}
    assert set(page.eval_on_selector_all("[data-id]", "els => els.map(e => e.dataset.id)")) == trips

    page.goto(root + "index.html#/people")
    card = page.locator('a.person-link[data-person="Anna Example"]')
    expect(card).to_contain_text("1 item")
    card.click()
    expect(page.locator("[data-id]")).to_have_count(1)
    page.locator("[data-id]").first.click()
    expect(page.locator(".viewer")).to_be_visible()
    page.keyboard.press("f")
    expect(page.locator(".face-box")).to_have_attribute("title", "Anna Example")
    assert watched.problems == [] and watched.foreign_requests() == []
    context.close()
