"""Golden build of content-example: a refactor that must not change behaviour must not change this.

The record (tests/integration/golden/content-example.json) holds the database without its `created`
time, the similarity data, and every file of the bundle outside the theme's assets with its sha256.
The theme's own files (assets/, index.html) are left out: the browser tests cover them, and their
names follow the theme's scripts. After a change that is meant to alter the output, write the record
again with `HGSITE_GOLDEN=write pytest tests/integration/test_golden.py` and read its diff.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hgsite.build import build
from hgsite.config import Overrides, load_config

REPO = Path(__file__).resolve().parents[2]
RECORD = Path(__file__).with_name("golden") / "content-example.json"
# Bundle files that change on every build or with the theme's code rather than with the content.
THEME_OR_CLOCK = re.compile(r"^(assets/|index\.html$|\.hgsite-site$|data/(database|similar)\.(js|json\.gz)$)")


def _gunzip_js(script: str) -> bytes:
    """The gzipped bytes a data/*.js script hands over, as base64 in its one string literal."""
    payload = re.search(r'"([A-Za-z0-9+/=]{16,})"', script)
    assert payload is not None, "data script without its base64 payload"
    return gzip.decompress(base64.b64decode(payload[1]))


def record_of(site: Path) -> dict[str, Any]:
    database = json.loads(gzip.decompress((site / "data" / "database.json.gz").read_bytes()))
    database.pop("created")
    similar = gzip.decompress((site / "data" / "similar.json.gz").read_bytes())
    for name, raw in (("database", json.dumps(database)), ("similar", similar.decode())):
        from_script = json.loads(_gunzip_js((site / "data" / f"{name}.js").read_text()))
        from_script.pop("created", None)
        assert from_script == json.loads(raw), f"data/{name}.js and data/{name}.json.gz differ"
    files = {
        path.relative_to(site).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(site.rglob("*"))
        if path.is_file() and not THEME_OR_CLOCK.match(path.relative_to(site).as_posix())
    }
    return {"database": database, "similar": json.loads(similar), "files": files}


# A photo without a recorded time is dated by its file's modification time, in local time: a clone's
# files have the time of the clone, so the copy gets one fixed time, in one fixed zone.
FILE_TIME = 1_700_000_000  # 2023-11-14 22:13:20 UTC


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    project = tmp_path_factory.mktemp("golden") / "example"
    shutil.copytree(REPO / "content-example", project, ignore=shutil.ignore_patterns("site", ".hgsite"))
    for path in project.rglob("*"):
        os.utime(path, (FILE_TIME, FILE_TIME))
    zone = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    try:
        report = build(load_config(project / "hgsite.toml", Overrides(jobs=2)))
    finally:
        if zone is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = zone
        time.tzset()
    assert report.entries == 40 and not report.failures, report.failures
    yield project / "site"


def test_content_example_builds_as_recorded(built: Path) -> None:
    now = record_of(built)
    if os.environ.get("HGSITE_GOLDEN") == "write":
        RECORD.parent.mkdir(exist_ok=True)
        RECORD.write_text(json.dumps(now, indent=1, sort_keys=True) + "\n")
    golden = json.loads(RECORD.read_text())
    assert sorted(now["files"]) == sorted(golden["files"]), "the bundle's files differ"
    changed = [name for name, digest in now["files"].items() if golden["files"][name] != digest]
    assert not changed, f"files with other bytes: {changed[:10]}"
    assert now["similar"] == golden["similar"]
    assert len(now["database"]["entries"]) == len(golden["database"]["entries"])
    for entry, expected in zip(now["database"]["entries"], golden["database"]["entries"], strict=True):
        assert entry == expected, entry.get("files")
    assert now["database"] == golden["database"]
