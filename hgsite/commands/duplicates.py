"""The `hgsite duplicates` report: near-duplicate groups and exact duplicates of the last build, read
from the cache alone."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from hgsite.cache.layout import index_file
from hgsite.cache.store import Store
from hgsite.errors import HgsiteError
from hgsite.similar.duplicates import DUPLICATE_THRESHOLD
from hgsite.similar.pairs import duplicate_groups, with_features


def duplicates_report(cache: Path) -> dict[str, Any]:
    """Near-duplicate groups and exact duplicates (one content at several paths) of the last build."""
    if not index_file(cache).is_file():
        raise HgsiteError(f"{cache}: no cache here; run hgsite build first")
    store = Store(cache)
    try:
        files: dict[str, list[str]] = {}
        for path, stamp in sorted(store.load_stamps().items()):
            files.setdefault(stamp.sha1, []).append(os.fsdecode(path))
        found = with_features(store.load_artifacts(), files)
    finally:
        store.close()
    if files and not found:
        raise HgsiteError(f"{cache}: no analysed photos yet; run hgsite build first")
    near = duplicate_groups(cache, found)
    return {
        "threshold": DUPLICATE_THRESHOLD,
        "near": [
            {"similarity": g.similarity, "items": [{"sha1": s, "files": files[s]} for s in g.items]}
            for g in sorted(near, key=lambda g: (-len(g.items), files[g.items[0]][0]))
        ],
        "exact": [{"sha1": s, "files": paths} for s, paths in files.items() if len(paths) > 1],
    }
