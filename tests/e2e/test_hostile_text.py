"""File names and EXIF strings with HTML in them are shown as text, never run, over file:// and http."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pages import Watched, database
from PIL import Image
from playwright.sync_api import Browser, expect

REPO = Path(__file__).resolve().parents[2]
NAME = '"><img src=x onerror=alert(1)><svg onload=alert(2)>.jpg'  # a name cannot hold "/"
MAKE = "<img src=x onerror=alert(3)>"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("hostile")
    photos = project / "photos" / "<b>folder"
    photos.mkdir(parents=True)
    exif = Image.Exif()
    exif[0x010F] = MAKE
    Image.new("RGB", (300, 200), (20, 120, 200)).save(photos / NAME, exif=exif)
    shutil.copyfile(REPO / "content-example/photos/nature/silver_fir.jpg", photos / "fir.jpg")
    command = [sys.executable, "-m", "hgsite", "build", "photos", "-o", "site", "-q"]
    subprocess.run(command, cwd=project, check=True, timeout=120)
    return project / "site"


@pytest.mark.parametrize("scheme", ["file", "http"])
def test_hostile_names_are_text(browser: Browser, hostile_site: Path, scheme: str, http_server_for) -> None:
    root = hostile_site.as_uri() + "/" if scheme == "file" else http_server_for(hostile_site)
    context = browser.new_context()
    watched = Watched(context.new_page(), root)
    page = watched.page
    entry = next(e for e in database(hostile_site)["entries"] if e.get("make") == MAKE)
    page.goto(f"{root}index.html#/view/{entry['id']}")
    expect(page.locator("html")).to_have_attribute("data-state", "ready")
    page.keyboard.press("i")
    info = page.locator(".viewer-info")
    expect(info).to_contain_text(MAKE)
    expect(info).to_contain_text("onerror=alert(1)><svg onload=alert(2)>.jpg")
    page.keyboard.press("Escape")
    expect(page.locator("[data-id]")).to_have_count(2)
    assert page.evaluate("document.querySelectorAll('img[src=\"x\"], svg[onload], b').length") == 0
    assert watched.problems == [], "no dialog, no script error"
    assert watched.foreign_requests() == []
    context.close()
