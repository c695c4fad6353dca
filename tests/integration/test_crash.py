"""kill -9 at many moments of a build or an import: nothing is corrupted, nothing is lost.

After every kill the site folder holds a complete site (the previous one, or the new one), and the final
rebuild gives exactly the database of an undisturbed build. The kills are triggered by what the build has
done so far (index created, n previews made, the new site being written, the swap), so they land in every
stage whatever the speed of the machine.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from hgsite.events.log import read_log
from hgsite.site import MARKER

REPO = Path(__file__).resolve().parents[2]
PHOTOS = REPO / "content-example" / "photos"


def start(project: Path, *args: str) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "hgsite", *args, "-q"]
    return subprocess.Popen(
        command, cwd=project, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def kill_after(process: subprocess.Popen[bytes], seconds: float) -> None:
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def entries(site: Path) -> list[dict[str, Any]]:
    document: dict[str, Any] = json.loads(gzip.decompress((site / "data/database.json.gz").read_bytes()))
    return list(document["entries"])


def assert_complete(site: Path) -> int:
    """A site folder, if there is one, is a whole site: finished marker, data, every preview readable."""
    if not site.exists():
        return 0
    assert (site / MARKER).read_text().strip() != "in progress"
    document = json.loads(gzip.decompress((site / "data/database.json.gz").read_bytes()))
    assert (site / "index.html").is_file() and (site / "data/database.js").is_file()
    for entry in document["entries"]:
        for size in entry["previews"]:
            item, tag = entry["id"], document["previews"][str(size)]
            with Image.open(site / f"files/{item[:2]}/{item[2:4]}/{item[4:]}-{size}-{tag}.jpg") as preview:
                preview.load()
    return len(document["entries"])


@pytest.fixture
def project(tmp_path: Path) -> Path:
    for source in sorted(PHOTOS.rglob("*.*"))[:16]:  # HEIC, JPEG and WebP among them
        target = tmp_path / "photos" / source.relative_to(PHOTOS)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    (tmp_path / "hgsite.toml").write_text('sources = ["photos"]\njobs = 2\n')
    shutil.copyfile(REPO / "content-example" / "hgsite.key", tmp_path / "hgsite.key")
    return tmp_path


def kill_when(process: subprocess.Popen[bytes], ready: Callable[[], bool], extra: float = 0.0) -> str:
    """Kill the build's whole process tree once `ready()` holds (then `extra` seconds later)."""
    deadline = time.monotonic() + 120
    while process.poll() is None and not ready():
        if time.monotonic() > deadline:
            break
        time.sleep(0.002)
    time.sleep(extra)
    if process.poll() is not None:
        return "finished"
    os.killpg(process.pid, signal.SIGKILL)  # the whole tree, workers included: like a crash
    process.wait()
    return "killed"


def artifacts(project: Path) -> int:
    return (
        sum(1 for _ in (project / ".hgsite" / "files").rglob("*.jpg"))
        if (project / ".hgsite").is_dir()
        else 0
    )


def test_kill_9_during_builds(project: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    reference = tmp_path_factory.mktemp("reference")
    shutil.copytree(project, reference, dirs_exist_ok=True)
    assert start(reference, "build").wait(timeout=300) == 0
    expected = entries(reference / "site")
    site = project / "site"
    index_db = project / ".hgsite" / "hgsite.sqlite"
    points: list[tuple[str, Callable[[], bool], float]] = [
        ("index", index_db.exists, 0.0),
        ("index", index_db.exists, 0.02),
        ("index", index_db.exists, 0.05),
    ]
    points += [("extract", lambda n=n: artifacts(project) >= n, 0.0) for n in (1, 2, 3, 5, 6, 10, 15, 22, 30)]
    points += [
        ("site", (project / "site.tmp-hgsite").exists, extra) for extra in (0.0, 0.005, 0.02, 0.05, 0.1)
    ]
    points += [("swap", (project / "site.old-hgsite").exists, extra) for extra in (0.0, 0.001, 0.003)]
    outcomes = []
    for stage, ready, extra in points:
        if stage in ("index", "extract"):
            shutil.rmtree(project / ".hgsite", ignore_errors=True)  # from an empty cache: long enough to hit
        else:
            (project / "hgsite.toml").write_text(
                f'sources = ["photos"]\njobs = 2\ntitle = "{stage} {extra}"\n'
            )
        outcomes.append((stage, kill_when(start(project, "build"), ready, extra)))
        assert_complete(site)
    killed = [stage for stage, outcome in outcomes if outcome == "killed"]
    assert len(killed) >= 17 and {"index", "extract", "site"} <= set(killed), outcomes

    (project / "hgsite.toml").write_text('sources = ["photos"]\njobs = 2\n')
    final = subprocess.run(
        [sys.executable, "-m", "hgsite", "build", "-q"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert final.returncode == 0, final.stderr
    assert entries(site) == expected, "the rebuild equals an undisturbed build"
    assert assert_complete(site) == len(expected)
    assert not list(project.glob("site.*-hgsite")), "no temporary or old site is left behind"


def test_kill_9_during_import(project: Path) -> None:
    export = project / "big.ndjson"
    lines = [json.dumps({"type": "hgsite/events@1", "created": "2026-01-01T00:00:00Z"})]
    lines += [
        json.dumps({"type": "userAction", "id": f"e{i:06d}", "date": "2026-01-01T00:00:00Z",
                    "targetIds": [f"{i:016x}"], "actions": [{"action": "addTag", "value": f"tag {i}"}]})
        for i in range(30_000)
    ]  # fmt: skip
    export.write_text("\n".join(lines) + "\n")
    first = project / "first.ndjson"
    first.write_text(lines[0] + "\n" + lines[1] + "\n")
    assert start(project, "import", str(first)).wait(timeout=60) == 0
    before = (project / "events.ndjson").read_bytes()
    for delay in (0.2, 0.35, 0.5, 0.65, 0.8, 1.0):
        kill_after(start(project, "import", str(export)), delay)
        now = (project / "events.ndjson").read_bytes()
        assert now == before or len(read_log(project / "events.ndjson").events) == 30_000, (
            "old or new, never torn"
        )
        assert read_log(project / "events.ndjson").problems == []
        if now != before:
            break
    assert start(project, "import", str(export)).wait(timeout=120) == 0
    log = read_log(project / "events.ndjson")
    assert len(log.events) == 30_000 and log.problems == []
    assert (project / "events.ndjson").read_bytes().startswith(before), "what was there is kept byte for byte"
