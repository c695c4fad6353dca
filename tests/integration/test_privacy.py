"""Privacy of the bundle: with the switches on, no location or file name is anywhere in it; never any
metadata in previews; never the cache, the index, the key or the event log."""

from __future__ import annotations

import base64
import gzip
import json
import shutil
from pathlib import Path

import pytest
from PIL import Image

from hgsite.build import build
from hgsite.config import load_config

REPO = Path(__file__).resolve().parents[2]
GPS_PHOTOS = {  # file -> (lat, lon) as the camera wrote them
    "city/IMG_2682.heic": (41.2203, -96.0716),
    "city/Nexus_4.jpg": (51.5625, -0.0773),
    "city/Apple_iPhone_4.jpg": (41.8530, 12.4888),
    "landscapes/outdoor.heic": (53.4515, 9.8392),
}


def needles(lat: float, lon: float) -> list[bytes]:
    """How a coordinate could appear: decimal text (several roundings), and EXIF's degrees."""
    found = []
    for value in (lat, lon):
        for digits in (2, 3, 4):
            found.append(f"{abs(value):.{digits}f}".encode())
    return found


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in GPS_PHOTOS:
        target = tmp_path / "photos" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(REPO / "content-example/photos" / name, target)
    (tmp_path / "events.ndjson").write_text(
        '{"type": "hgsite/events@1", "created": "2026-01-01T00:00:00Z"}\n'
    )  # fmt: skip
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_public_build_has_no_locations_or_names_anywhere(project: Path) -> None:
    (project / "hgsite.toml").write_text(
        'sources = ["photos"]\n[privacy]\nstrip_locations = true\ninclude_paths = false\n'
    )
    build(load_config())
    site = project / "site"
    files = [p for p in site.rglob("*") if p.is_file() and p.suffix != ".jpg"]  # previews: see below
    assert files
    for path in files:
        content = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        if path.name == "database.js":
            content = base64.b64decode(content.split(b'"')[-2])
            content += gzip.decompress(content)
        for (lat, lon), name in zip(GPS_PHOTOS.values(), GPS_PHOTOS, strict=True):
            for needle in needles(lat, lon):
                assert needle not in content, f"{needle!r} in {path.relative_to(site)}"
            assert Path(name).stem.encode() not in content, f"{name} named in {path.relative_to(site)}"
        assert b"photos/" not in content
    database = json.loads(gzip.decompress((site / "data/database.json.gz").read_bytes()))
    assert all("lat" not in e and "files" not in e for e in database["entries"])


def test_previews_carry_no_metadata_and_the_bundle_no_private_files(project: Path) -> None:
    (project / "hgsite.toml").write_text('sources = ["photos"]\n')
    build(load_config())
    site = project / "site"
    previews = list((site / "files").rglob("*.jpg"))
    assert previews
    for path in previews:
        with Image.open(path) as preview:
            assert not preview.getexif()
            assert not {"xmp", "icc_profile", "exif", "comment", "photoshop"} & set(preview.info)
        assert (
            b"Exif\0\0" not in path.read_bytes() and b"http://ns.adobe.com/xap/1.0/" not in path.read_bytes()
        )
    names = {p.name for p in site.rglob("*")}
    assert not names & {"events.ndjson", "hgsite.key", "hgsite.toml", ".hgsite", "hgsite.sqlite", "lock"}
    assert not any(n.endswith((".heic", ".sqlite", ".log", ".ndjson")) for n in names)
