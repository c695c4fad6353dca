"""Time of a similar query over a synthetic 100,000-entry gallery in Chromium (file://).

    python bench/similar_query.py [--entries 100000] [--queries 30]

Writes a site with the real encoders (database.encode, similarity.browser_data, site.emit) and random
codes, opens it from file:// in Debian's Chromium, loads data/similar.js the way #/similar does, then times
hgsite.similar.rank (XOR + popcount over every code, counting sort of the whole collection) and the whole
view switch (rank + app.setList of 100,000 entries). Prints the figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import secrets
import statistics
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from hgsite import codes, database, similarity, site  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def synthetic_site(root: Path, count: int) -> list[str]:
    rng = np.random.default_rng(1)
    ids = [secrets.token_hex(8) for _ in range(count)]
    entries = [
        {"id": i, "type": "image", "date": f"20{10 + n % 15:02d}-05-21T13:45:01", "dsrc": "exif",
         "previews": [320], "width": 4000, "height": 3000, "size": 3_000_000, "tags": [], "labels": []}
        for n, i in enumerate(ids)
    ]  # fmt: skip
    db = database.Database(entries=entries, previews={"320": "0e1d"})
    payload = database.encode(db, "2026-11-22T10:00:00+00:00")
    vectors = np.maximum(rng.standard_normal((count, 1280)).astype(np.float32), 0)
    packed = codes.pack(vectors)
    found = similarity.Similarity()
    for n, sha1 in enumerate(ids):
        found.items[sha1] = similarity.ItemSimilarity(
            [], codes.base64.b64encode(packed[n].tobytes()).decode()
        )
    similar = similarity.browser_data(ids, found, [], [])
    bundle = site.Bundle("bench", payload, count, {}, {"similar": similar})
    site.emit(root / "site", bundle, site.theme_dir())
    print(
        f"{count} entries: database.json.gz {len(payload) / 1e6:.1f} MB, similar.json.gz "
        f"{len(similar) / 1e6:.1f} MB, similar.js {(root / 'site/data/similar.js').stat().st_size / 1e6:.1f} MB"
    )
    return ids


TIMING = """async (queries) => {
  const t0 = performance.now();
  const data = await hgsite.loadData('similar');
  const parsed = hgsite.similar.parseCodes(data, hgsite.app.entries.length);
  const load = performance.now() - t0;
  const rank = [], view = [];
  for (let q = 0; q < queries + 3; q++) {
    const query = (q * 7919) % parsed.count;
    let t = performance.now();
    const result = hgsite.similar.rank(parsed, query);
    const ranked = performance.now() - t;
    t = performance.now();
    const list = Array.prototype.map.call(result.order, (i) => hgsite.app.entries[i]);
    hgsite.app.setList(list);
    const shown = performance.now() - t + ranked;
    if (q >= 3) { rank.push(ranked); view.push(shown); }
  }
  return {load, rank, view};
}"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hgsite-bench-") as tmp:
        synthetic_site(Path(tmp), args.entries)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.goto((Path(tmp) / "site" / "index.html").as_uri())
            page.wait_for_function("document.documentElement.dataset.state === 'ready'", timeout=60_000)
            result = page.evaluate(TIMING, args.queries)
            browser.close()
    rank, view = sorted(result["rank"]), sorted(result["view"])
    print(f"load + parse data/similar.js: {result['load']:.0f} ms (once, on the first similar view)")
    print(
        f"rank {args.entries} codes: median {statistics.median(rank):.1f} ms, "
        f"p90 {rank[int(len(rank) * 0.9)]:.1f} ms, max {rank[-1]:.1f} ms ({len(rank)} queries)"
    )
    print(f"rank + show the ranked grid: median {statistics.median(view):.1f} ms, max {view[-1]:.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
