"""Labels, similarity data and duplicates through real builds and the `hgsite duplicates` command."""

from __future__ import annotations

import base64
import gzip
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from hgsite.build import build
from hgsite.cli import main
from hgsite.config import load_config

EXAMPLE = Path(__file__).resolve().parents[2] / "content-example" / "photos"
PHOTOS = {
    "a/Landscape_3.jpg": "exif-orientation/Landscape_3.jpg",  # the same landscape in two orientations
    "b/Landscape_6.jpg": "exif-orientation/Landscape_6.jpg",
    "a/daisy.jpg": "nature/Nikon_Coolpix_775.jpg",
    "b/daisy copy.jpg": "nature/Nikon_Coolpix_775.jpg",  # identical bytes
    "a/shop.jpg": "city/japanese-shop.jpg",
    "a/fir.jpg": "nature/silver_fir.jpg",
}


def read(site: Path, name: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(gzip.decompress((site / "data" / f"{name}.json.gz").read_bytes()))
    return document


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for target, source in PHOTOS.items():
        (tmp_path / "photos" / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(EXAMPLE / source, tmp_path / "photos" / target)
    (tmp_path / "hgsite.toml").write_text('sources = ["photos"]\n')
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_build_writes_labels_codes_and_groups(project: Path) -> None:
    config = load_config(project / "hgsite.toml")
    build(config)
    site = project / "site"
    entries = read(site, "database")["entries"]
    by_name = {e["files"][0].rsplit("/", 1)[1]: i for i, e in enumerate(entries)}
    daisy = entries[by_name["daisy.jpg"]]
    assert daisy["labels"][:2] == ["daisy", "flower"] and len(daisy["files"]) == 2
    assert "bookstore" in entries[by_name["shop.jpg"]]["labels"]
    similar = read(site, "similar")
    assert similar["type"] == "hgsite/similar@1" and similar["count"] == len(entries) == 5
    assert len(base64.b64decode(similar["codes"])) == 5 * 128 and similar["missing"] == []
    assert [sorted(g["items"]) for g in similar["groups"]] == [
        sorted([by_name["Landscape_3.jpg"], by_name["Landscape_6.jpg"]])
    ]
    assert similar["groups"][0]["similarity"] > 0.95
    assert similar["exact"] == [by_name["daisy.jpg"]]
    script = (site / "data" / "similar.js").read_text()
    assert script.startswith('(window.hgsiteData = window.hgsiteData || {})["similar"] = "')
    # a rebuild with nothing changed runs no model and rewrites nothing
    again = build(config)
    assert again.extracted == 0 and not again.site_written
    assert (config.cache / "duplicates.json").is_file()


def test_duplicates_command_text_and_json(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    build(load_config(project / "hgsite.toml"))
    capsys.readouterr()
    assert main(["duplicates"]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0].startswith("near-duplicates 1: 2 items, similarity 0.9")
    assert sorted(Path(line.strip()).name for line in lines[1:3]) == ["Landscape_3.jpg", "Landscape_6.jpg"]
    assert lines[3] == "identical content in 2 files:"
    assert sorted(Path(line.strip()).name for line in lines[4:6]) == ["daisy copy.jpg", "daisy.jpg"]
    assert "1 near-duplicate group (similarity >= 0.85), 1 item stored in several files" in err
    assert main(["duplicates", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["threshold"] == 0.85 and len(report["near"]) == 1 and len(report["exact"]) == 1
    assert {Path(i["files"][0]).name for i in report["near"][0]["items"]} == {
        "Landscape_3.jpg",
        "Landscape_6.jpg",
    }


def test_duplicates_command_needs_a_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["duplicates"]) == 1
    assert "run hgsite build first" in capsys.readouterr().err
