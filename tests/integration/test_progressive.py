"""A progressive first build writes a browsable site after every round and resumes after an interruption."""

from __future__ import annotations

import gzip
import json
import os
import shutil
from pathlib import Path

import pytest

import hgsite.build
from hgsite.build import build
from hgsite.config import Overrides, load_config
from hgsite.report import BuildReport

EXAMPLE = Path(__file__).resolve().parents[2] / "content-example" / "photos"


def site_files(project: Path) -> set[str]:
    document = json.loads(gzip.decompress((project / "site/data/database.json.gz").read_bytes()))
    for entry in document["entries"]:
        for size in entry["previews"]:
            item, tag = entry["id"], document["previews"][str(size)]
            assert (project / "site" / f"files/{item[:2]}/{item[2:4]}/{item[4:]}-{size}-{tag}.jpg").is_file()
    return {f.rsplit("/", 1)[-1] for e in document["entries"] for f in e["files"]}


def test_interrupted_progressive_build_leaves_a_site_and_resumes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(hgsite.build, "FIRST_ROUND", 3)
    photos = tmp_path / "photos"
    photos.mkdir()
    sources = sorted(EXAMPLE.rglob("*.jpg"))[:9]
    for age, source in enumerate(sources):  # the first file is the newest
        target = photos / source.name
        shutil.copyfile(source, target)
        os.utime(target, ns=(1_700_000_000_000_000_000 - age * 10**12,) * 2)
    monkeypatch.chdir(tmp_path)
    config = load_config(None, Overrides(sources=("photos",)))
    rounds: list[BuildReport] = []

    def interrupt(report: BuildReport) -> None:
        rounds.append(report)
        raise KeyboardInterrupt  # Ctrl-C right after the first round

    with pytest.raises(KeyboardInterrupt):
        build(config, progressive=interrupt)
    assert (rounds[0].entries, rounds[0].remaining) == (3, 6)
    assert site_files(tmp_path) == {s.name for s in sources[:3]}, "the newest files first, in a complete site"

    rounds.clear()
    final = build(config, progressive=rounds.append)
    assert [(r.hashed, r.remaining) for r in rounds] == [(3, 3)], (
        "resumes: nothing of round one is read again"
    )
    assert (final.hashed, final.remaining, final.entries) == (3, 0, 9), "the second round is twice as large"
    assert site_files(tmp_path) == {s.name for s in sources}
