"""Every benchmark in one run: prints the table and writes it into docs/benchmarks.md.

    .venv/bin/python bench/run.py            # all parts, about 8 minutes on 2 cores
    .venv/bin/python bench/run.py --quick    # fewer repetitions, smaller sets
    .venv/bin/python bench/run.py previews noop   # some parts only; the others keep their last figures

The figures of each part's latest run are kept in docs/benchmarks.json, from which the table in
docs/benchmarks.md is written. Each part runs in a process of its own (bench/<part>.py --json), so one
part's memory, imports or failure never touch another's figures. Every figure that has a baseline was measured against it in the
same run, a few seconds apart, on the same machine: the ratio is the figure to read. Inputs and outputs
go to /tmp/hgsite-bench (HGSITE_BENCH_DIR), never into the repository; sigal gets a venv of its own there.
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from common import REPO, Figure, machine

PARTS = {
    "previews": "previews.py",  # preview throughput: hgsite, sigal, the decode limit
    "noop": "noop.py",  # no-op rebuilds at 10k (and sigal) and 100k, peak memory
    "browser": "webapp.py",  # the page at 100k entries in Chromium
    "memories": "memories.py",  # On this day over 100k entries in Chromium
    "video": "video.py",  # 10 s of 1080p to a web copy, hgsite and sigal
    "cluster": "cluster.py",  # a Dask cluster of 1 and of 2 workers, the cost per task
}
DOC = REPO / "docs" / "benchmarks.md"
RESULTS = REPO / "docs" / "benchmarks.json"  # the figures of the latest run of each part
BEGIN, END = "<!-- bench/run.py: begin -->", "<!-- bench/run.py: end -->"


def run_part(name: str, quick: bool) -> tuple[list[Figure], float, str]:
    """The part's figures, its wall time and, when it failed, why."""
    args = [sys.executable, str(Path(__file__).with_name(PARTS[name])), "--json"]
    if quick:
        args += {"browser": ["--runs", "1"], "video": ["--runs", "1"]}.get(name, ["--quick"])
    elif name == "noop":
        args.append("--cold")  # the 10k cold builds of hgsite and sigal in this run too
    start = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, cwd=REPO, check=False)
    seconds = time.perf_counter() - start
    sys.stderr.write(done.stdout.rsplit("\n[", 1)[0] + "\n" if done.stdout else "")
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines or not lines[-1].startswith("["):
        return [], seconds, (done.stderr.strip().splitlines() or ["no output"])[-1]
    return [Figure(**row) for row in json.loads(lines[-1])], seconds, ""


def _number(value: float | None, unit: str = "") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    text = f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"
    return f"{text} {unit}".strip()


def _verdict(met: bool | None) -> str:
    return {True: "met", False: "**not met**", None: "-"}[met]


def table(figures: list[Figure]) -> str:
    rows = [
        "| part | measure | hgsite | baseline (same run) | ratio | target | |",
        "|---|---|---|---|---|---|---|",
    ]
    for f in figures:
        baseline = f"{f.baseline}: {_number(f.baseline_value, f.unit)}" if f.baseline else ""
        ratio = f"{f.ratio:.2f}x" if f.ratio is not None else ""
        rows.append(
            f"| {f.part} | {f.name} | {_number(f.value, f.unit)} | {baseline} | {ratio} | {f.target} | "
            f"{_verdict(f.met)} |"
        )
    return "\n".join(rows)


def notes(figures: list[Figure]) -> str:
    return "\n".join(f"- *{f.part}, {f.name}*: {f.note}" for f in figures if f.note)


def report(results: dict[str, dict[str, Any]], described: dict[str, str]) -> str:
    """The measured section: one table over every part, each part with when and how it was measured."""
    figures = [Figure(**row) for part in PARTS if part in results for row in results[part]["figures"]]
    runs = [
        f"{part} {results[part]['measured']}{' (--quick)' if results[part]['quick'] else ''}, "
        f"{results[part]['seconds']:.0f} s"
        for part in PARTS
        if part in results
    ]
    lines = [
        BEGIN,
        "Measured by `bench/run.py`: " + "; ".join(runs) + ".",
        "",
        table(figures),
        "",
        notes(figures),
        "",
        "Machine: " + "; ".join(f"{k} {v}" for k, v in described.items()) + ".",
    ]
    lines += [
        f"\n**{part} failed**: {results[part]['failed']}"
        for part in PARTS
        if results.get(part, {}).get("failed")
    ]
    lines.append(END)
    return "\n".join(lines)


def write_doc(section: str) -> None:
    """Replace the measured section of docs/benchmarks.md, keeping the prose around it."""
    text = DOC.read_text() if DOC.exists() else f"# Benchmarks\n\n{BEGIN}\n{END}\n"
    if BEGIN not in text or END not in text:
        text = text.rstrip("\n") + f"\n\n{BEGIN}\n{END}\n"
    head, rest = text.split(BEGIN, 1)
    DOC.write_text(head + section + rest.split(END, 1)[1])


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("parts", nargs="*", choices=[[], *PARTS], default=[], help="default: all")
    parser.add_argument("--quick", action="store_true", help="fewer repetitions and smaller sets")
    parser.add_argument("--no-doc", action="store_true", help="print only; leave the docs alone")
    args = parser.parse_args()
    kept = json.loads(RESULTS.read_text()) if RESULTS.exists() and not args.no_doc else {}
    results: dict[str, dict[str, Any]] = {part: kept[part] for part in PARTS if part in kept}
    for name in args.parts or list(PARTS):
        print(f"== {name}", file=sys.stderr, flush=True)
        found, seconds, why = run_part(name, args.quick)
        stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        results[name] = {
            "measured": stamp,
            "quick": args.quick,
            "seconds": round(seconds, 1),
            "failed": why,
            "figures": [f.to_json() for f in found],
        }
    section = report(results, machine())
    print(section)
    if not args.no_doc:
        RESULTS.write_text(json.dumps(results, indent=1) + "\n")
        write_doc(section)
        print(f"\nwritten into {DOC.relative_to(REPO)} and {RESULTS.relative_to(REPO)}", file=sys.stderr)
    return 1 if any(results[name]["failed"] for name in args.parts or PARTS) else 0


if __name__ == "__main__":
    sys.exit(main())
