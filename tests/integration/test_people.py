"""People and folders end to end: face regions written by exiftool (embedded and in sidecars, on a
turned photo), People/ tags from events, and the folder tree, in the database."""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

pytestmark = pytest.mark.skipif(
    shutil.which("exiftool") is None, reason="exiftool (Debian) writes the regions"
)
REGIONS = (
    "-XMP-mwg-rs:RegionInfo={AppliedToDimensions={W=400,H=300,Unit=pixel},RegionList=["
    "{Area={X=0.25,Y=0.3,W=0.2,H=0.2,Unit=normalized},Name=Anna,Type=Face},"
    "{Area={X=0.7,Y=0.6,W=0.1,H=0.2,Unit=normalized},Name=Ben,Type=Face}]}"
)


def exiftool(*args: str) -> None:
    subprocess.run(["exiftool", "-q", "-overwrite_original", *args], check=True, capture_output=True)


def hgsite(project: Path, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "hgsite", *args, "-q"], cwd=project, check=True, timeout=300)


def database(project: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(
        gzip.decompress((project / "site/data/database.json.gz").read_bytes())
    )
    return document


@pytest.fixture
def project(tmp_path: Path) -> Path:
    family = tmp_path / "photos" / "family" / "2019"
    family.mkdir(parents=True)
    for name, color in (("upright.jpg", "red"), ("turned.jpg", "green"), ("sidecar.jpg", "blue")):
        Image.new("RGB", (400, 300), color).save(family / name)
    exiftool(REGIONS, str(family / "upright.jpg"))
    exiftool(REGIONS, "-IFD0:Orientation#=6", str(family / "turned.jpg"))
    exiftool("-o", str(family / "sidecar.jpg.xmp"), REGIONS)  # a digiKam-style sidecar, the photo untouched
    (tmp_path / "photos" / "other").mkdir()
    Image.new("RGB", (64, 64), "gray").save(tmp_path / "photos" / "other" / "x.jpg")
    (tmp_path / "hgsite.toml").write_text('sources = ["photos"]\n')
    hgsite(tmp_path, "build")
    return tmp_path


def by_name(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f.rsplit("/", 1)[-1]: e for e in document["entries"] for f in e.get("files", [])}


def test_faces_embedded_turned_and_in_sidecars(project: Path) -> None:
    found = by_name(database(project))
    assert found["upright.jpg"]["faces"] == [["Anna", 0.15, 0.2, 0.2, 0.2], ["Ben", 0.65, 0.5, 0.1, 0.2]]
    assert found["upright.jpg"]["people"] == ["Anna", "Ben"]
    assert (found["turned.jpg"]["width"], found["turned.jpg"]["height"]) == (300, 400)
    assert found["turned.jpg"]["faces"][0] == ["Anna", 0.6, 0.15, 0.2, 0.2], "the box turned with the photo"
    assert found["sidecar.jpg"]["faces"] == found["upright.jpg"]["faces"]
    assert "faces" not in found["x.jpg"] and "people" not in found["x.jpg"]


def test_a_person_added_in_the_page_is_a_tag_event(project: Path) -> None:
    target = by_name(database(project))["x.jpg"]["id"]
    event = {"type": "userAction", "id": "p1", "date": "2026-01-01T00:00:00Z", "targetIds": [target],
             "actions": [{"action": "addTag", "value": "People/Dora"}]}  # fmt: skip
    (project / "e.ndjson").write_text(json.dumps(event) + "\n")
    hgsite(project, "import", "e.ndjson")
    hgsite(project, "build")
    assert by_name(database(project))["x.jpg"]["people"] == ["Dora"]
    hgsite(project, "xmp", "--out", "sidecars")
    sidecar = (project / "sidecars/photos/other/x.jpg.xmp").read_text()
    assert "<rdf:li>People|Dora</rdf:li>" in sidecar and "<rdf:li>Dora</rdf:li>" in sidecar


def test_folder_tree(project: Path) -> None:
    document = database(project)
    folders = {path: (direct, total) for path, direct, total, _ in document["folders"]}
    assert folders == {
        "photos": (0, 4),
        "photos/family": (0, 3),
        "photos/family/2019": (3, 3),
        "photos/other": (1, 1),
    }
    ids = {e["id"] for e in document["entries"]}
    assert all(cover in ids for *_, cover in document["folders"])
