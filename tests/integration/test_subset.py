"""`hgsite build --query`: a bundle with exactly the items the page's search finds, and nothing else."""

from __future__ import annotations

import base64
import gzip
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
PHOTOS = ["city/IMG_2682.heic", "city/Nexus_4.jpg", "nature/silver_fir.jpg", "nature/wood_anemones.jpg"]


def hgsite(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hgsite", *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def database(site: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(gzip.decompress((site / "data/database.json.gz").read_bytes()))
    return document


@pytest.fixture
def project(tmp_path: Path) -> Path:
    for name in PHOTOS:
        (tmp_path / "photos" / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(REPO / "content-example/photos" / name, tmp_path / "photos" / name)
    (tmp_path / "hgsite.toml").write_text('sources = ["photos"]\n')
    assert hgsite(tmp_path, "build", "-q").returncode == 0
    return tmp_path


def test_subset_has_exactly_the_matching_items(project: Path) -> None:
    full = database(project / "site")
    nature = {e["id"] for e in full["entries"] if any("/nature/" in f for f in e["files"])}
    result = hgsite(project, "build", "--query", "file ~ /nature/", "-o", "public", "-q")
    assert result.returncode == 0, result.stderr
    public = project / "public"
    subset = database(public)
    assert {e["id"] for e in subset["entries"]} == nature
    others = {e["id"] for e in full["entries"]} - nature
    everything = b"".join(p.read_bytes() for p in public.rglob("*") if p.is_file() and p.suffix != ".jpg")
    decoded = gzip.decompress((public / "data/database.json.gz").read_bytes())
    decoded += gzip.decompress((public / "data/similar.json.gz").read_bytes())
    decoded += base64.b64decode((public / "data/database.js").read_bytes().split(b'"')[-2])
    for other in others:
        assert other.encode() not in everything + decoded, "no trace of an item outside the subset"
        assert not (public / "files" / other[:2] / other[2:4]).exists()
    assert b"Nexus_4" not in decoded and b"IMG_2682" not in decoded
    assert [f[0] for f in subset["folders"]] == ["photos", "photos/nature"]
    assert not (public / "data/world.json.gz").exists(), "no positions in this subset: no map"
    assert database(project / "site") == full, "the full site is untouched"


def test_a_malformed_query_says_where(project: Path) -> None:
    result = hgsite(project, "build", "--query", "year >= ", "-o", "public")
    assert result.returncode == 2
    assert "--query 'year >= '" in result.stderr and "character" in result.stderr
    assert not (project / "public").exists()
