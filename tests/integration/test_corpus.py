"""The real corpus, hostile files included: the build finishes, explains each failure, keeps every good file."""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from hgsite.index import MEDIA_EXTENSIONS

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpus"
pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not next to the repo")


def decodable_photos() -> set[str]:
    """Media files under photos/ that the corpus manifest says Pillow decodes."""
    found, section = set(), None
    for line in (CORPUS / "MANIFEST.md").read_text().splitlines():
        heading = re.match(r"### (photos/\S+)", line)
        if heading:
            section = heading.group(1)
        elif line.startswith("## "):
            section = None
        elif section and line.startswith("| ") and not line.startswith("| file"):
            cells = [c.strip() for c in line.strip("|").split(" | ")]
            name = cells[0]
            hidden = any(part.startswith(".") for part in name.split("/"))
            if cells[9].startswith("ok") and Path(name).suffix.lower() in MEDIA_EXTENSIONS and not hidden:
                found.add(f"{section}/{name}")
    return found


def run_build(sources: list[Path], cwd: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "hgsite", "build", *map(str, sources), "-o", "site", "-j", "2"]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=600, check=False)


def database(site: Path) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = json.loads(
        gzip.decompress((site / "data/database.json.gz").read_bytes())
    )["entries"]
    return entries


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """make_broken.py's output, made in a temporary copy of the corpus layout."""
    root = tmp_path_factory.mktemp("corpus")
    for name in ("photos", "videos"):
        os.symlink(CORPUS / name, root / name)
    shutil.copy(CORPUS / "make_broken.py", root)
    subprocess.run(
        [sys.executable, root / "make_broken.py", root], check=True, capture_output=True, timeout=300
    )
    return root / "broken" / "generated"


def test_corpus_photos_and_broken_files(tmp_path: Path) -> None:
    result = run_build([CORPUS / "photos", CORPUS / "broken"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    built = {f for entry in database(tmp_path / "site") for f in entry["files"]}
    missing = decodable_photos() - built
    assert not missing, f"decodable files missing from the site: {sorted(missing)[:10]}"
    skipped = [line for line in result.stderr.splitlines() if line.startswith("hgsite: skipped ")]
    grouped = [
        int(m.group(1)) for m in re.finditer(r"^hgsite: \.\.\. and (\d+) more files: ", result.stderr, re.M)
    ]
    assert len(skipped) + sum(grouped) >= 80, "every broken file is named, or counted under its reason"
    assert all(re.match(r"hgsite: skipped \S.*: \S", line) for line in skipped)
    assert any(
        "broken/third-party/exiftool-vendored-js/truncated.jpg" in line for line in result.stderr.splitlines()
    )


def test_generated_hostile_files(generated: Path, tmp_path: Path) -> None:
    result = run_build([generated], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "Warning" not in result.stderr
    lines = result.stderr.splitlines()

    def reason(kind: str, path: str) -> str:
        prefix = f"hgsite: {kind} generated/{path}: "
        return next(line.removeprefix(prefix) for line in lines if line.startswith(prefix))

    assert reason("skipped", "special/fifo.jpg").startswith("not a regular file")
    assert reason("skipped", "links/self.jpg") == "symbolic link loop"
    assert reason("skipped", "png/bomb_30000x30000_gray1.png").startswith("image too large")
    assert reason("skipped", "mismatch/zero_byte.jpg") == "empty file (0 bytes)"
    assert "truncated" in reason("warning:", "jpeg/truncated_50pct.jpg")
    entries = database(tmp_path / "site")
    built = {f.split("/", 1)[1] for entry in entries for f in entry["files"]}
    index = json.loads((generated / "INDEX.json").read_text())["entries"]
    valid = {e["path"] for e in index if e["kind"] == "file" and e["expect"].startswith(("valid", "listed"))}
    valid = {
        p for p in valid if Path(p).suffix.lower() in MEDIA_EXTENSIONS and not Path(p).name.startswith(".")
    }
    valid = {p for p in valid if "\\x" not in p and not p.startswith("perms/")}  # undecodable names: below
    assert valid - built == set()
    assert {"mismatch/png_named.jpg", "mismatch/jpeg_named.png", "mismatch/heic_named.jpg"} <= built
    assert any("latin1 caf\ufffd" in name for name in built), "a non-UTF-8 name is shown with U+FFFD"
    exif = {f.split("/", 1)[1]: e for e in entries for f in e["files"]}
    assert exif["exif/gps_null_island.jpg"].get("lat") is None
    assert exif["exif/date_all_zeros.jpg"]["dsrc"] != "exif"
    assert exif["exif/make_html_injection.jpg"]["make"].count("<") >= 1, "stored as text; escaped by the page"
