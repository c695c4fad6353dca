"""A synthetic gallery site of N entries, written by the real database encoder and site emitter.

The entries come from bench/database_size.py (cameras, dates over 20 years, a file path, GPS on 60%),
plus place names from the real offline geocoder and a few tags. Every entry (or the first
`with_previews`) gets its 320 px preview as a hard link to one small JPEG; the rest of the bundle is
real. Used by bench/webapp.py and by the browser test that opens a 100k site.
"""

from __future__ import annotations

import base64
import io
import random
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))

from database_size import synthetic

from hgsite import site
from hgsite.database import Database, encode
from hgsite.extract.places import name_places
from hgsite.naming import preview_url
from hgsite.similar import browser, codes

TAGS = ["holiday", "family", "birthday", "hiking", "christmas", "beach", "friends", "work", "garden", "cat"]
PREVIEW_TAGS = {"320": "0e1d", "720": "91de", "1920": "7854"}


def entries(n: int, seed: int = 1) -> list[dict[str, Any]]:
    """Synthetic entries, newest first, with places for those with a position and tags on 10%."""
    rng = random.Random(seed)
    items = synthetic(n, seed)
    located = [e for e in items if "lat" in e]
    for entry, place in zip(located, name_places([(e["lat"], e["lon"]) for e in located]), strict=True):
        entry.update(place.fields())
    for entry in items:
        if rng.random() < 0.1:
            entry["tags"] = sorted(rng.sample(TAGS, rng.randint(1, 2)))
    items.sort(key=lambda e: (e["date"], e["id"]), reverse=True)
    return items


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (90, 110, 130)).save(out, "JPEG", quality=70)
    return out.getvalue()


def similar_data(ids: list[str], seed: int = 1) -> bytes:
    """data/similar.json.gz with a code per entry, from random non-negative features (like pooled ReLU
    outputs) through the real packer and writer."""
    vectors = np.maximum(np.random.default_rng(seed).standard_normal((len(ids), 1280)), 0).astype(np.float32)
    packed = codes.pack(vectors)
    codes_of = {item: base64.b64encode(packed[row].tobytes()).decode() for row, item in enumerate(ids)}
    return browser.browser_data(ids, codes_of, [], [])


def make_site(output: Path, n: int, with_previews: int | None = None) -> dict[str, float]:
    """Write the site into `output` (which must not exist); returns timings and sizes."""
    start = time.perf_counter()
    items = entries(n)
    made = time.perf_counter()
    payload = encode(Database(items, dict(PREVIEW_TAGS)), "2026-01-01T00:00:00+00:00")
    encoded = time.perf_counter()
    theme = site.theme_dir()
    sample = output.parent / f".{output.name}-preview.jpg"
    sample.write_bytes(_jpeg())
    count = len(items) if with_previews is None else with_previews
    files = {preview_url(e["id"], 320, PREVIEW_TAGS["320"]): sample for e in items[:count]}
    similar = similar_data([e["id"] for e in items])
    data = {"database": payload, "similar": similar, "world": site.world_data(theme)}
    site.emit(output, site.Bundle("Synthetic", data, len(items), files), [theme])
    sample.unlink()
    return {
        "entries": float(len(items)),
        "generate_s": made - start,
        "encode_s": encoded - made,
        "emit_s": time.perf_counter() - encoded,
        "gz_bytes": float(len(payload)),
        "similar_gz_bytes": float(len(similar)),
        "js_bytes": float((output / "data" / "database.js").stat().st_size),
    }
