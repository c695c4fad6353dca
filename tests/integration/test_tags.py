"""Tags end to end in Python: embedded keywords, sidecars, events, `hgsite import` and `hgsite xmp`."""

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

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "content-example" / "photos"


def hgsite(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hgsite", *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def entries(project: Path) -> dict[str, dict[str, Any]]:
    document = json.loads(gzip.decompress((project / "site/data/database.json.gz").read_bytes()))
    return {f.rsplit("/", 1)[-1]: e for e in document["entries"] for f in e["files"]}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    photos = tmp_path / "photos"
    photos.mkdir()
    shutil.copyfile(EXAMPLE / "nature/silver_fir.jpg", photos / "fir.jpg")
    shutil.copyfile(EXAMPLE / "nature/wood_anemones.jpg", photos / "wood.jpg")
    xmp = '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    xmp += '<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:subject><rdf:Bag>'
    xmp += "<rdf:li>embedded</rdf:li></rdf:Bag></dc:subject></rdf:Description></rdf:RDF></x:xmpmeta>"
    Image.new("RGB", (64, 48), "green").save(photos / "kw.jpg", xmp=xmp.encode())
    (photos / "wood.xmp").write_text(  # a Lightroom-style sidecar written by another tool
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description xmlns:lr="http://ns.adobe.com/lightroom/1.0/"><lr:hierarchicalSubject><rdf:Bag>'
        "<rdf:li>Places|Forest</rdf:li></rdf:Bag></lr:hierarchicalSubject></rdf:Description></rdf:RDF></x:xmpmeta>"
    )
    (tmp_path / "hgsite.toml").write_text('sources = ["photos"]\n')
    assert hgsite(tmp_path, "build", "-q").returncode == 0
    return tmp_path


def test_starting_tags_from_keywords_and_sidecars(project: Path) -> None:
    found = entries(project)
    assert found["kw.jpg"]["tags"] == ["embedded"]
    assert found["wood.jpg"]["tags"] == ["Places/Forest"]
    assert found["fir.jpg"]["tags"] == []
    (project / "photos/wood.xmp").write_text(
        (project / "photos/wood.xmp").read_text().replace("Forest", "Park")
    )
    assert hgsite(project, "build", "-q").returncode == 0
    assert entries(project)["wood.jpg"]["tags"] == ["Places/Park"], "a changed sidecar is read again"


def test_import_applies_events_in_date_order_and_is_idempotent(project: Path) -> None:
    found = entries(project)
    fir, wood = found["fir.jpg"]["id"], found["wood.jpg"]["id"]
    lines = [
        {"type": "home-gallery/events@1.0", "created": "2026-01-01T00:00:00.000Z"},
        {"type": "userAction", "id": "b-later", "date": "2026-01-02T00:00:00Z", "targetIds": [fir],
         "actions": [{"action": "removeTag", "value": "draft"}, {"action": "addTag", "value": "final"}]},
        {"type": "userAction", "id": "a-earlier", "date": "2026-01-01T00:00:00Z", "targetIds": [fir, wood],
         "actions": [{"action": "addTag", "value": "draft"}]},
    ]  # fmt: skip
    export = project / "phone.ndjson"
    export.write_text("\n".join(json.dumps(line) for line in lines) + "\nbroken line\n")
    first = hgsite(project, "import", str(export))
    assert first.returncode == 0
    assert "phone.ndjson line 4: not JSON" in first.stderr and "imported 2 new events" in first.stderr
    log = (project / "events.ndjson").read_bytes()
    assert hgsite(project, "import", str(export)).returncode == 0
    assert (project / "events.ndjson").read_bytes() == log, "importing twice changes nothing"
    assert hgsite(project, "build", "-q").returncode == 0
    found = entries(project)
    assert found["fir.jpg"]["tags"] == ["final"] and found["wood.jpg"]["tags"] == ["draft", "Places/Forest"]
    document = json.loads(gzip.decompress((project / "site/data/database.json.gz").read_bytes()))
    assert sorted(document["events"]) == ["a-earlier", "b-later"]


def test_homegallery_events_may_name_sha1s(project: Path) -> None:
    import hashlib

    sha1 = hashlib.sha1((project / "photos/fir.jpg").read_bytes()).hexdigest()
    export = project / "hg.ndjson"
    event = {"type": "userAction", "id": "hg-1", "date": "2022-05-01T10:00:00.000Z", "targetIds": [sha1],
             "actions": [{"action": "addTag", "value": "from-homegallery"}]}  # fmt: skip
    export.write_text(json.dumps(event) + "\n")
    result = hgsite(project, "import", str(export))
    assert result.returncode == 0 and "unknown items" not in result.stderr
    hgsite(project, "build", "-q")
    assert entries(project)["fir.jpg"]["tags"] == ["from-homegallery"]


def test_xmp_sidecars_round_trip(project: Path) -> None:
    fir = entries(project)["fir.jpg"]["id"]
    export = project / "e.ndjson"
    event = {"type": "userAction", "id": "x1", "date": "2026-01-01T00:00:00Z", "targetIds": [fir],
             "actions": [{"action": "addTag", "value": "People/Anna"}, {"action": "addTag", "value": "sea"}]}  # fmt: skip
    export.write_text(json.dumps(event) + "\n")
    hgsite(project, "import", str(export))
    out = project / "sidecars"
    result = hgsite(project, "xmp", "--out", str(out))
    assert result.returncode == 0, result.stderr
    sidecar = out / "photos" / "fir.jpg.xmp"
    assert sidecar.is_file() and not (project / "photos/fir.jpg.xmp").exists(), "originals' folder untouched"
    before = (project / "photos/fir.jpg").read_bytes()
    result = hgsite(project, "xmp", "--next-to-originals")
    assert "wood.xmp" not in result.stderr and (project / "photos/fir.jpg").read_bytes() == before
    assert (project / "photos/fir.jpg.xmp").read_bytes() == sidecar.read_bytes()
    assert (project / "photos/wood.jpg.xmp").is_file(), "tags from the Lightroom sidecar are carried over"
    if shutil.which("exiftool"):
        read = subprocess.run(
            ["exiftool", "-j", "-XMP-dc:Subject", "-XMP-lr:HierarchicalSubject", str(sidecar)],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        fields = json.loads(read.stdout)[0]
        assert sorted(fields["Subject"]) == ["Anna", "sea"]
        assert fields["HierarchicalSubject"] == "People|Anna"
    (project / "events.ndjson").unlink()  # the sidecars now carry the tags by themselves
    hgsite(project, "build", "-q")
    assert entries(project)["fir.jpg"]["tags"] == ["People/Anna", "sea"]


def test_xmp_refuses_to_overwrite_foreign_sidecars(project: Path) -> None:
    foreign = project / "photos" / "fir.jpg.xmp"
    foreign.write_text("<x:xmpmeta xmlns:x='adobe:ns:meta/'/>")
    wood = entries(project)["fir.jpg"]["id"]
    (project / "e.ndjson").write_text(json.dumps({"type": "userAction", "id": "y", "date": "2026-01-01T00:00:00Z",
                                                  "targetIds": [wood], "actions": [{"action": "addTag", "value": "t"}]}))  # fmt: skip
    hgsite(project, "import", "e.ndjson")
    result = hgsite(project, "xmp", "--next-to-originals")
    assert "not written by hgsite is there; left alone" in result.stderr
    assert foreign.read_text() == "<x:xmpmeta xmlns:x='adobe:ns:meta/'/>"
