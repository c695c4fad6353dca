"""Size of the client database for a synthetic collection, written by the real encoder.

Usage: python bench/database_size.py [N]   (default 100000)
"""

from __future__ import annotations

import random
import sys
import time

from hgsite.database import Database, encode
from hgsite.naming import public_id

CAMERAS = [
    ("Apple", "iPhone 12"),
    ("Canon", "Canon EOS 5D Mark IV"),
    ("samsung", "SM-G991B"),
    ("NIKON", "D750"),
]


def synthetic(n: int, seed: int = 1) -> list[dict[str, object]]:
    rng = random.Random(seed)
    key = b"k" * 32
    entries = []
    for i in range(n):
        item = public_id(key, f"{i:040x}")
        make, model = rng.choice(CAMERAS)
        year, month, day = rng.randint(2005, 2025), rng.randint(1, 12), rng.randint(1, 28)
        entry: dict[str, object] = {
            "id": item,
            "type": "image",
            "date": f"{year}-{month:02d}-{day:02d}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}",
            "dsrc": "exif",
            "files": [f"Pictures/{year}/{year}-{month:02d}/IMG_{rng.randint(1000, 9999)}.jpg"],
            "previews": [320, 720, 1920],
            "width": 4032,
            "height": 3024,
            "size": rng.randint(1_000_000, 6_000_000),
            "make": make,
            "model": model,
            "exposure": rng.choice([0.001, 0.002, 0.004, 0.008, 0.0167]),
            "fnumber": rng.choice([1.8, 2.8, 4.0, 5.6]),
            "iso": rng.choice([50, 100, 200, 400, 800]),
            "focal": rng.choice([4.2, 26.0, 50.0]),
            "tags": [],
            "labels": [],
        }
        if rng.random() < 0.6:
            entry.update(lat=round(rng.uniform(-60, 70), 6), lon=round(rng.uniform(-180, 180), 6))
        entries.append(entry)
    return entries


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    entries = synthetic(n)
    start = time.perf_counter()
    tags = {"320": "0e1d", "720": "91de", "1920": "7854"}
    payload = encode(Database(entries, tags), "2026-01-01T00:00:00+00:00")
    seconds = time.perf_counter() - start
    print(
        f"{n} entries: {len(payload) / 1e6:.2f} MB gzipped, {len(payload) / n:.1f} B/entry, encoded in {seconds:.2f} s"
    )


if __name__ == "__main__":
    main()
