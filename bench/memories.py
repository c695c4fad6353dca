"""Memories ("On this day") with a synthetic database of N entries (default 100,000) in Chromium.

Usage: python bench/memories.py [N] [--keep DIR] [--json]

Writes the synthetic site of bench/synthetic.py (dates over 20 years, days 1-28 of each month), opens it
from file:// in Debian's Chromium and measures, median of 15 runs after 3 warm-ups:
  - hgsite.memories.memoriesOf over every entry for a day that has enough (15 June: day mode) and for
    one that has none (30 June: the week around it), with near-duplicate groups: the synthetic similar
    data has none, so 10,000 groups of 2-4 neighbouring entries are made in the page;
  - the same without groups (what the home card computes), and turning the groups into an index;
  - the whole #/memories route once the similar data is loaded (memories, page, tiles);
  - the slideshow's lookup of a memories list (`id in (...)` of every pick of 15 June) against the
    same query run by the search language;
Baseline in the same run: a plain entries.filter of the day's date (the floor of any pass over the
entries). Nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

from common import Figure
from playwright.sync_api import sync_playwright
from synthetic import make_site
from webapp import ARGS, CHROMIUM

MEASURE = """async () => {
  const app = hgsite.app, m = hgsite.memories;
  const entries = app.entries;
  const median = (f) => {
    for (let i = 0; i < 3; i++) f();
    const times = [];
    for (let i = 0; i < 15; i++) { const t = performance.now(); f(); times.push(performance.now() - t); }
    times.sort((a, b) => a - b);
    return times[7];
  };
  const groups = [];
  for (let g = 0, at = 0; g < 10000; g++) {
    at = (at + 7 + (g * 13) % 11) % (entries.length - 4);
    const size = 2 + g % 3;
    groups.push({items: Array.from({length: size}, (_, k) => at + k), similarity: 0.9});
  }
  const day = {year: 2026, month: 6, day: 15}, week = {year: 2026, month: 6, day: 30};
  const index = median(() => m.groupIndex(groups, entries.length));
  const groupOf = m.groupIndex(groups, entries.length);
  const out = {
    index_ms: index,
    day_ms: median(() => m.memoriesOf(entries, day, {groupOf})),
    week_ms: median(() => m.memoriesOf(entries, week, {groupOf})),
    card_ms: median(() => m.memoriesOf(entries, day)),
    filter_ms: median(() => entries.filter((e) => e.date.slice(5, 10) === '06-15')),
  };
  const dayResult = m.memoriesOf(entries, day, {groupOf});
  const weekResult = m.memoriesOf(entries, week, {groupOf});
  out.day = {mode: dayResult.mode, count: dayResult.count, years: dayResult.years.length};
  out.week = {mode: weekResult.mode, count: weekResult.count, years: weekResult.years.length};
  const ids = dayResult.years.flatMap((y) => y.picks.map((e) => e.id));
  const text = 'id in (' + ids.join(', ') + ')';
  out.ids = ids.length;
  out.lookup_ms = median(() => hgsite.slideshow.pickIds(entries, hgsite.slideshow.idsOf(text)));
  const t = performance.now();
  hgsite.query.search(entries, text);
  out.search_ms = performance.now() - t;
  await hgsite.similar.load();
  const r = performance.now();
  hgsite.app.navigate('#/memories');
  while (!document.querySelector('.page-memories[data-state=ready]')) await new Promise((done) => setTimeout(done, 0));
  out.route_ms = performance.now() - r;
  out.tiles = document.querySelectorAll('.memories-tile').length;
  return out;
}"""


def measure(n: int = 100_000, keep: Path | None = None) -> dict[str, Any]:
    tmp = Path(tempfile.mkdtemp(prefix="hgsite-bench-"))
    output = keep or tmp / "site"
    if output.exists():
        shutil.rmtree(output)
    report: dict[str, Any] = {"entries": n}
    make_site(output, n, with_previews=2_000)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            page = context.new_page()
            page.goto((output / "index.html").as_uri())
            page.wait_for_selector("html[data-state=ready]", timeout=60_000)
            report.update(page.evaluate(MEASURE))
            context.close()
            browser.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return report


def figures(report: dict[str, Any]) -> list[Figure]:
    r = report
    floor = max(r["filter_ms"], 1e-3)
    return [
        Figure("browser", f"memories of a day over {r['entries']:,} entries", r["day_ms"], "ms",
               "plain entries.filter of the day", r["filter_ms"], r["day_ms"] / floor, "<= 50 ms", r["day_ms"] <= 50,
               note=f"{r['day']['count']} picks in {r['day']['years']} years; the week around a day without any "
               f"{r['week_ms']:.1f} ms ({r['week']['count']} picks); without groups (home card) {r['card_ms']:.1f} ms; "
               f"the whole #/memories route {r['route_ms']:.0f} ms"),
    ]  # fmt: skip


def print_report(r: dict[str, Any]) -> None:
    print(f"entries: {r['entries']:,}")
    print(
        f"memories, day mode (15 June): {r['day_ms']:.1f} ms, {r['day']['count']} picks in {r['day']['years']} years"
    )
    print(
        f"memories, week mode (30 June): {r['week_ms']:.1f} ms, {r['week']['count']} picks in {r['week']['years']} years"
    )
    print(
        f"memories without groups (the home card): {r['card_ms']:.1f} ms; groups to an index: {r['index_ms']:.1f} ms"
    )
    print(f"baseline, plain entries.filter of the day: {r['filter_ms']:.1f} ms")
    print(f"#/memories route with the page: {r['route_ms']:.1f} ms ({r['tiles']} tiles)")
    print(
        f"slideshow of the {r['ids']} picks: id lookup {r['lookup_ms']:.1f} ms; the same query searched {r['search_ms']:.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", nargs="?", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="write the site here and keep it")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON on the last line")
    parser.add_argument("--quick", action="store_true", help="accepted for bench/run.py; the same run")
    args = parser.parse_args()
    report = measure(args.n, args.keep)
    print_report(report)
    if args.json:
        print(json.dumps([f.to_json() for f in figures(report)]))


if __name__ == "__main__":
    main()
