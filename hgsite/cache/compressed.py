"""Compressed data files of the bundle, kept in the cache so that an unchanged rebuild reuses them."""

from __future__ import annotations

import contextlib
import hashlib
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path

from hgsite.atomic import atomic_write
from hgsite.cache.layout import bundle_folder


def compressed(root: Path, name: str, parts: Callable[[], Iterable[bytes]], level: int) -> bytes:
    """gzip (mtime 0) of the bytes that parts() gives, kept in root/bundle/ under a hash of them and
    `level`: a rebuild whose data did not change reads it back instead of compressing again (seconds
    for 100,000 entries at level 9). parts() is called once or twice, and never holds all the bytes."""
    digest = hashlib.sha1(usedforsecurity=False)
    for part in parts():
        digest.update(part)
    digest.update(b"gzip level %d" % level)
    folder = bundle_folder(root)
    path = folder / f"{name}-{digest.hexdigest()[:20]}.json.gz"
    with contextlib.suppress(FileNotFoundError):
        return path.read_bytes()
    packer = zlib.compressobj(level, zlib.DEFLATED, 31)  # 31: a gzip member, mtime 0 (= gzip.compress)
    payload = b"".join([*(packer.compress(part) for part in parts()), packer.flush()])
    with atomic_write(path) as handle:
        handle.write(payload)
    for old in folder.glob(f"{name}-*.json.gz"):
        if old != path:
            old.unlink(missing_ok=True)
    return payload
