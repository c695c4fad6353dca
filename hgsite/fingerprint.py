"""inputs(...) -> str: everything a build's result depends on, as one digest.

A rebuild whose digest equals the last complete build's, and whose output folder still holds that
build's site, can only write the same site again; build.py then repeats that build's outcome instead of
assembling the database anew. So the digest must cover every input, and a missed one would leave a
gallery silently stale: the files found and their XMP sidecars (path, size, modification time, content
hash, as the index saw them), the files that could not be read, the settings, the naming key, the events
file, every file of the theme chain, hgsite itself and the libraries it runs on, the time zone (a file
without a recorded time is dated by its modification time, in local time) and, when there are videos,
the ffmpeg programs a build would choose from.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.metadata
import os
import re
import shutil
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import hgsite
from hgsite import ffmpeg
from hgsite.config import ClusterSettings, Config
from hgsite.index import Scan, is_video


def inputs(config: Config, scan: Scan, key: bytes, themes: Sequence[Path]) -> str:
    """The digest of the inputs of a build of `config` that found `scan`, with naming key `key`."""
    digest = hashlib.blake2b(digest_size=20)
    for name, part in _parts(config, scan, key, themes):
        digest.update(b"%s %d\n" % (name.encode(), len(part)))
        digest.update(part)
    return digest.hexdigest()


def _parts(config: Config, scan: Scan, key: bytes, themes: Sequence[Path]) -> Iterator[tuple[str, bytes]]:
    # these change how the work is done, not what it makes
    settings = dataclasses.replace(config, jobs=0, strict=False, cluster=ClusterSettings())
    yield "settings", repr(settings).encode()
    yield "key", key
    try:
        yield "events", b"file " + config.events.read_bytes()
    except FileNotFoundError:
        yield "events", b"none"
    yield "files", _files(scan)
    yield "software", _software()
    yield "time zone", _time_zone()
    for theme in themes:
        yield "theme", _tree(theme)
    if config.video.enabled and any(is_video(record.path) for record in scan.files):
        yield "ffmpeg", _programs(config.video.ffmpeg)


def _files(scan: Scan) -> bytes:
    lines = [
        f"{r.path}\0{r.rel}\0{r.size}\0{r.mtime_ns}\0{r.sha1}\0"
        + (f"{r.sidecar.path}\0{r.sidecar.size}\0{r.sidecar.mtime_ns}" if r.sidecar else "")
        for r in scan.files
    ]
    lines += [f"{failure.path}\0{failure.reason}" for failure in scan.failures]
    lines.append(f"remaining {scan.remaining}")
    return "\n".join(lines).encode("utf-8", "surrogateescape")


def _software() -> bytes:
    """hgsite's version and files (an edited checkout counts), Python's, and each dependency's version."""
    versions = [f"hgsite {hgsite.__version__}", f"python {sys.version}"]
    try:
        requirements = importlib.metadata.requires("hgsite") or []
    except importlib.metadata.PackageNotFoundError:
        requirements = []
    for requirement in requirements:
        name = re.match(r"[A-Za-z0-9._-]+", requirement)
        if name is None:
            continue
        try:
            versions.append(f"{name[0]} {importlib.metadata.version(name[0])}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(f"{name[0]} missing")
    return "\n".join(versions).encode() + b"\n" + _tree(Path(hgsite.__file__).parent)


def _tree(folder: Path) -> bytes:
    """Every file under `folder` (but __pycache__) by path, size and modification time."""
    lines = [str(folder)]
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(names):
            path = Path(root, name)
            try:
                st = path.stat()
            except OSError:
                continue
            lines.append(f"{path}\0{st.st_size}\0{st.st_mtime_ns}")
    return "\n".join(lines).encode("utf-8", "surrogateescape")


def _time_zone() -> bytes:
    zone = [os.environ.get("TZ", ""), *time.tzname, str(time.timezone), str(time.altzone)]
    localtime = Path("/etc/localtime")
    if localtime.exists():
        st = localtime.stat()
        zone += [str(localtime.resolve()), str(st.st_size), str(st.st_mtime_ns)]
    return "\0".join(zone).encode("utf-8", "surrogateescape")


def _programs(configured: str) -> bytes:
    lines = []
    for name, origin in ffmpeg.programs(configured):
        path = shutil.which(name) or name  # a configured bare name runs the one on PATH
        try:
            st = Path(path).stat()
        except OSError:
            lines.append(f"{origin}\0{path}\0missing")
            continue
        lines.append(f"{origin}\0{os.path.realpath(path)}\0{st.st_size}\0{st.st_mtime_ns}")
    return "\n".join(lines).encode("utf-8", "surrogateescape")
