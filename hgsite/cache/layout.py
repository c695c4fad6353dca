"""Every path under the project's cache folder (default `.hgsite/`), named in one place.

  hgsite.sqlite              file index, artifact manifest, metadata, cached failures (cache/store.py)
  lock                       held by the one hgsite process working on the project (cache/lock.py)
  files/ab/cd/<sha1[4:]>-<artifact>-<key>.<ext>   artifacts, content-addressed
  bundle/<name>-<digest>.json.gz                   compressed data files of the last build (compressed.py)
  duplicates.json            the near-duplicate pass's items and pairs (similar/pairs.py)
  places.json                place names of GPS positions (extract/places.py)
  world-<digest>.json.gz     the map's compressed basemap (site.py)
  tmp/                       web copies of videos while ffmpeg writes them (extract/transcode.py)

An artifact's key is a hash of its extractor's version and parameters: the file name carries it, so a
changed parameter can never pick up an old file.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

INDEX_NAME = "hgsite.sqlite"


def index_file(root: Path) -> Path:
    return root / INDEX_NAME


def lock_file(root: Path) -> Path:
    return root / "lock"


def bundle_folder(root: Path) -> Path:
    return root / "bundle"


def duplicates_file(root: Path) -> Path:
    return root / "duplicates.json"


def places_file(root: Path) -> Path:
    return root / "places.json"


def world_file(root: Path, digest: str) -> Path:
    return root / f"world-{digest}.json.gz"


def temp_folder(root: Path) -> Path:
    return root / "tmp"


def params_key(*parts: object) -> str:
    """A short stable hash of an extractor version and its normalised parameters."""
    return hashlib.sha1(repr(parts).encode()).hexdigest()[:8]


def artifact_path(root: Path, sha1: str, name: str, key: str, ext: str) -> Path:
    return Path(artifact_file(str(root), sha1, name, key, ext))


def artifact_file(root: str, sha1: str, name: str, key: str, ext: str) -> str:
    """artifact_path as a string: a build holds one per preview, and a Path object costs ten times more."""
    return os.path.join(root, "files", sha1[:2], sha1[2:4], f"{sha1[4:]}-{name}-{key}.{ext}")  # noqa: PTH118
