"""Unreadable files and folders, seen by an ordinary user (root ignores permission bits).

The test forks, drops to the `nobody` user in the child, scans, and reports back: the index names each
file or folder it cannot read, with the reason, and still finds the readable files.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from hgsite.index import scan

NOBODY = 65534
pytestmark = pytest.mark.skipif(
    not hasattr(os, "fork") or os.geteuid() != 0, reason="needs root to switch users"
)


@pytest.fixture
def tree() -> Iterator[Path]:
    root = Path(tempfile.mkdtemp(prefix="hgsite-perms-"))
    root.chmod(0o755)
    source = root / "photos"
    for folder in ("open", "locked", "noexec"):
        (source / folder).mkdir(parents=True)
    for path in (
        source / "open/good.jpg",
        source / "open/secret.jpg",
        source / "locked/in.jpg",
        source / "noexec/in.jpg",
    ):
        Image.new("RGB", (8, 8), "red").save(path)
    (source / "open/secret.jpg").chmod(0o000)
    (source / "locked").chmod(0o000)
    (source / "noexec").chmod(0o644)
    for folder in (root, source, source / "open"):
        folder.chmod(0o755)
    try:
        yield source
    finally:
        for folder in ("locked", "noexec"):
            (source / folder).chmod(0o755)
        shutil.rmtree(root)


def scan_as_nobody(source: Path) -> dict[str, list[str]]:
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: drop privileges, scan, report, exit without running pytest's cleanup
        try:
            os.close(read)
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            result = scan([source], {}, jobs=1)
            report = {
                "files": [f.rel for f in result.files],
                "failures": [f"{f.path}: {f.reason}" for f in result.failures],
            }
            os.write(write, json.dumps(report).encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    report: dict[str, list[str]] = json.loads(data)
    return report


def test_unreadable_files_and_folders_are_named_with_the_reason(tree: Path) -> None:
    report = scan_as_nobody(tree)
    assert report["files"] == ["photos/open/good.jpg"]
    assert sorted(report["failures"]) == [
        "photos/locked: cannot read folder: Permission denied",
        "photos/noexec/in.jpg: cannot stat: Permission denied",
        "photos/open/secret.jpg: cannot read file: Permission denied",
    ]
