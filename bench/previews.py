"""Preview throughput: hgsite's cold build of real high-resolution JPEGs, against sigal and a bare decode.

    python bench/previews.py            # about 3 minutes on the 2-core build machine
    python bench/previews.py --quick    # fewer copies and runs, about a minute
    python bench/previews.py --json     # also the figures as one JSON list on the last line

The photos are the real JPEGs of ../shared/corpus/photos between 9 and 24 megapixels that Pillow decodes
fully, each copied a few times under WORK with a few distinct bytes after the JPEG end marker (decoders
ignore them; hgsite knows an item by the sha1 of its bytes, so identical copies would be one item).

Three measurements, each the best of a few runs (the machine is shared):
  - decode limit: in this process, one file at a time, `Image.open`, `draft("RGB", size)` to the size
    hgsite decodes to for its largest preview (1920 px long edge, axes swapped for a turned photo),
    `load()`. Seconds per image on one core: no build can make its previews faster than it decodes.
  - hgsite: `hgsite build SRC -o OUT` from a fresh project folder (so a fresh cache), default settings,
    one worker per core. The stage seconds of the same run are printed too: the extract stage alone
    leaves out scanning, the database and writing the site, but not the workers' start.
  - sigal 2.x: `sigal build SRC OUT -c sigal.conf.py`, an empty config (its defaults: a 640x480 resized
    copy and a 200x150 thumbnail per photo), its default pool of one process per core.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

try:
    from bench.common import CORPUS, WORK, Figure, Run, best_of, hgsite_command, machine, sigal_python
except ImportError:  # run as a script: bench/ is on sys.path
    from common import CORPUS, WORK, Figure, Run, best_of, hgsite_command, machine, sigal_python

PHOTOS = CORPUS / "photos"
FOLDER = WORK / "previews"
MIN_MP, MAX_MP = 9.0, 24.0
LARGEST_PREVIEW = 1920  # hgsite's default largest preview (config.PreviewSettings.sizes)
CORES = len(os.sched_getaffinity(0))

# The CLI, with the build's stage seconds printed as JSON on the last line of stderr.
HGSITE_DRIVER = """
import json, sys
from hgsite import cli
built = cli.build
def build(*args, **kwargs):
    report = built(*args, **kwargs)
    print(json.dumps(report.seconds), file=sys.stderr)
    return report
cli.build = build
sys.exit(cli.main(sys.argv[1:]))
"""


@dataclass(frozen=True)
class PhotoSet:
    files: list[Path]
    originals: int
    megapixels: float  # mean over the files


def sources() -> list[tuple[Path, float]]:
    """The corpus JPEGs between MIN_MP and MAX_MP megapixels that decode fully, with their size."""
    found = []
    for path in sorted(PHOTOS.rglob("*")):
        if path.suffix.lower() not in (".jpg", ".jpeg") or not path.is_file():
            continue
        try:
            with Image.open(path) as im:
                megapixels = im.width * im.height / 1e6
                if im.format != "JPEG" or not MIN_MP <= megapixels <= MAX_MP:
                    continue
                im.load()
        except Exception:
            continue  # not a photo a benchmark can use (unreadable or truncated)
        found.append((path, megapixels))
    return found


def photo_set(folder: Path, copies: int) -> PhotoSet:
    """`copies` byte-distinct copies of each source photo in folder (remade every run)."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    files, pixels = [], []
    originals = sources()
    for number, (path, megapixels) in enumerate(originals):
        data = path.read_bytes()
        for copy in range(copies):
            target = folder / f"{number:02d}-{copy}-{path.stem.replace(' ', '_')}.jpg"
            target.write_bytes(data + f"\n{copy}".encode())  # after the EOI marker: ignored by decoders
            files.append(target)
            pixels.append(megapixels)
    return PhotoSet(files, len(originals), sum(pixels) / len(pixels))


def draft_size(im: Image.Image) -> tuple[int, int]:
    """The stored size hgsite asks the JPEG decoder for (images._write_previews).

    hgsite fits the shown size (axes swapped for a turned photo) into 1920 px and swaps the result
    back, which is the same box as fitting the stored size: the orientation needs no reading here.
    """
    scale = min(1.0, LARGEST_PREVIEW / max(im.size))
    return max(1, round(im.width * scale)), max(1, round(im.height * scale))


def decode_seconds(path: Path) -> float:
    start = time.perf_counter()
    with Image.open(path) as im:
        im.draft("RGB", draft_size(im))
        im.load()
    return time.perf_counter() - start


def decode_limit(files: list[Path], runs: int) -> float:
    """Mean over the files of the best of `runs` draft decodes: seconds per image on one core."""
    best = [min(decode_seconds(path) for _ in range(runs)) for path in files]
    return sum(best) / len(best)


def hgsite_build(files: list[Path], runs: int) -> tuple[Run, dict[str, float]]:
    """Best cold build through the CLI (a fresh project folder, so a fresh cache) and its stage seconds."""
    source = files[0].parent
    project = FOLDER / "hgsite-project"

    def once() -> tuple[Run, dict[str, float]]:
        shutil.rmtree(project, ignore_errors=True)
        project.mkdir(parents=True)
        args = [*hgsite_command()[:1], "-c", HGSITE_DRIVER, "build", str(source), "-o", "site"]
        done = best_of(1, [*args, "-j", str(CORES), "-q"], cwd=project)
        seconds = json.loads(done.stderr.strip().splitlines()[-1])
        built = len(list((project / "site").rglob("*.jpg")))
        if built < 3 * len(files):
            raise RuntimeError(
                f"hgsite wrote {built} previews for {len(files)} photos: {done.stderr[-2000:]}"
            )
        return done, seconds

    return min((once() for _ in range(runs)), key=lambda pair: pair[0].seconds)


def sigal_build(files: list[Path], runs: int) -> Run | None:
    python = sigal_python()
    if python is None:
        return None
    source, output = files[0].parent, FOLDER / "sigal-site"
    config = FOLDER / "sigal.conf.py"
    config.write_text("# sigal's defaults: resized 640x480 copies and 200x150 thumbnails\n")
    sigal = str(Path(python).with_name("sigal"))

    def once() -> Run:
        shutil.rmtree(output, ignore_errors=True)
        done = best_of(1, [sigal, "build", str(source), str(output), "-c", str(config)], cwd=FOLDER)
        thumbs = len(list((output / "thumbnails").glob("*.jpg")))
        if thumbs < len(files):
            raise RuntimeError(
                f"sigal wrote {thumbs} thumbnails for {len(files)} photos: {done.stderr[-2000:]}"
            )
        return done

    return min((once() for _ in range(runs)), key=lambda r: r.seconds)


def measure(quick: bool = False) -> list[Figure]:
    copies, runs = (2, 1) if quick else (3, 2)
    photos = photo_set(FOLDER / "photos", copies)
    count = len(photos.files)
    described = (
        f"{count} JPEGs ({photos.originals} photos x {copies} copies), mean {photos.megapixels:.1f} MP"
    )
    decode = decode_limit(photos.files, 2 if quick else 3)
    built, stages = hgsite_build(photos.files, runs)
    sigal = sigal_build(photos.files, runs)
    rate = count / built.seconds
    per_core = built.seconds * CORES / count
    extract = stages.get("extract", 0.0)
    outputs = (
        "hgsite makes more per photo than sigal: 3 previews (320/720/1920), the metadata, an ONNX "
        "embedding and classes, faces from XMP; "
    )
    figures = [
        Figure(
            "previews",
            f"images per second, cold build, {CORES} workers",
            round(rate, 2),
            "images/s",
            f"sigal cold build, defaults, {CORES} processes" if sigal else "sigal (not installed)",
            round(count / sigal.seconds, 2) if sigal else None,
            round(rate / (count / sigal.seconds), 2) if sigal else None,
            ">= 5x",
            (rate / (count / sigal.seconds) >= 5) if sigal else None,
            outputs
            + f"{described}; wall {built.seconds:.1f} s, peak RSS {built.peak_rss_mb:.0f} MB"
            + (f"; sigal {sigal.seconds:.1f} s (640x480 copy + 200x150 thumbnail)" if sigal else ""),
        ),
        Figure(
            "previews",
            "seconds per image per core, cold build",
            round(per_core, 4),
            "s",
            "draft decode to the 1920 px preview size, one core",
            round(decode, 4),
            round(per_core / decode, 2),
            "<= 1.5x",
            per_core / decode <= 1.5,
            outputs + "the build includes process start, model loading, scanning, the database and the site; "
            f"stages {', '.join(f'{k} {v:.2f} s' for k, v in stages.items())}",
        ),
        Figure(
            "previews",
            "seconds per image per core, extract stage only",
            round(extract * CORES / count, 4),
            "s",
            "draft decode to the 1920 px preview size, one core",
            round(decode, 4),
            round(extract * CORES / count / decode, 2),
            "<= 1.5x",
            extract * CORES / count / decode <= 1.5,
            "the extract stage of the same run (workers' start and model loading included)",
        ),
    ]
    return figures


def show(figures: list[Figure]) -> None:
    for f in figures:
        base = f"{f.baseline_value} ({f.baseline})" if f.baseline_value is not None else f.baseline
        ratio = f"{f.ratio}x" if f.ratio is not None else "-"
        met = {True: "met", False: "MISSED", None: "-"}[f.met]
        print(f"{f.name}: {f.value} {f.unit}  vs {base}  ratio {ratio}  target {f.target}  {met}")
        if f.note:
            print(f"    {f.note}")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="fewer copies and runs")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON on the last line")
    args = parser.parse_args()
    print(" | ".join(f"{k}: {v}" for k, v in machine().items()))
    figures = measure(args.quick)
    show(figures)
    if args.json:
        print(json.dumps([f.to_json() for f in figures]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
