"""Preview throughput: hgsite's cold build of real high-resolution JPEGs, against sigal and a bare decode.

    python bench/previews.py            # about 90 seconds on the 2-core build machine
    python bench/previews.py --quick    # fewer copies and runs, about 30 seconds
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
hgsite and sigal take turns, so that a disturbance of the machine hits both alike.

Where the time of one image goes: hgsite's worker function (tasks.run.run_task) on one copy
of each photo under cProfile, in a fresh process with the environment hgsite gives its workers, split
into decode, resize, encode x3, model and metadata.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from hgsite.config import PreviewSettings
from hgsite.workers import SINGLE_THREADED

try:
    from bench.common import CORPUS, WORK, Figure, Run, hgsite_command, machine, run, sigal_python
except ImportError:  # run as a script: bench/ is on sys.path
    from common import CORPUS, WORK, Figure, Run, hgsite_command, machine, run, sigal_python

PHOTOS = CORPUS / "photos"
FOLDER = WORK / "previews"
MIN_MP, MAX_MP = 9.0, 24.0
LARGEST_PREVIEW = max(PreviewSettings().sizes)  # 1920
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
    """The stored size hgsite asks the JPEG decoder for (extract/images.py, decode).

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


def hgsite_build(source: Path, count: int) -> tuple[Run, dict[str, float]]:
    """A cold build through the CLI (a fresh project folder, so a fresh cache) and its stage seconds."""
    project = FOLDER / "hgsite-project"
    shutil.rmtree(project, ignore_errors=True)
    project.mkdir(parents=True)
    args = [*hgsite_command()[:1], "-c", HGSITE_DRIVER, "build", str(source), "-o", "site"]
    done = run([*args, "-j", str(CORES), "-q"], cwd=project)
    seconds = json.loads(done.stderr.strip().splitlines()[-1])
    built = len(list((project / "site").rglob("*.jpg")))
    if built < 3 * count:
        raise RuntimeError(f"hgsite wrote {built} previews for {count} photos: {done.stderr[-2000:]}")
    return done, seconds


def sigal_build(sigal: str, source: Path, count: int) -> Run:
    """A cold build with sigal's defaults and its default pool (one process per core)."""
    output = FOLDER / "sigal-site"
    config = FOLDER / "sigal.conf.py"
    config.write_text("# sigal's defaults: resized 640x480 copies and 200x150 thumbnails\n")
    shutil.rmtree(output, ignore_errors=True)
    done = run([sigal, "build", str(source), str(output), "-c", str(config)], cwd=FOLDER)
    thumbs = len(list((output / "thumbnails").glob("*.jpg")))
    if thumbs < count:
        raise RuntimeError(f"sigal wrote {thumbs} thumbnails for {count} photos: {done.stderr[-2000:]}")
    return done


STEPS = ("decode", "resize", "encode x3", "model", "metadata", "other")


def breakdown(files: list[Path]) -> dict[str, float]:
    """Seconds per image of each step of hgsite's worker function, in this process, from cProfile.

    decode: the draft decode; resize: the three sizes from the one decode, with the colour transform
    and the rotation; encode x3: writing the JPEGs; model: the 224 px input, inference, similarity code
    and the stored vector; metadata: EXIF, IPTC/XMP keywords, XMP faces; other: opening the file and the
    rest. The onnxruntime session is made first: a worker makes it once, not per image.
    """
    from hgsite import kinds
    from hgsite.config import Config
    from hgsite.extract import embeddings
    from hgsite.tasks.model import Limits, Task
    from hgsite.tasks.run import run_task

    wants = kinds.wanted(Config(Path(), (), Path(), Path(), previews=PreviewSettings()), "image")
    embeddings.session()
    with tempfile.TemporaryDirectory() as cache:
        tasks = [
            Task(f"{n:040x}", str(p), cache, "image", True, wants, Limits(10**9, 120))
            for n, p in enumerate(files)
        ]
        run_task(tasks[0])  # first-call costs (lazy imports, the code planes) are per worker
        profile = cProfile.Profile()
        profile.enable()
        for task in tasks:
            run_task(task)
        profile.disable()
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]  # not in the stubs

    def spent(module: str, *names: str) -> float:
        seconds = sum(v[3] for k, v in stats.items() if k[0].endswith(module) and k[2] in names)
        return float(seconds) / len(files)

    total = spent("tasks/run.py", "run_task")
    decode = spent("PIL/ImageFile.py", "load")
    encode = spent("kinds/preview.py", "save")  # PreviewSpec.save
    steps = {
        "decode": decode,
        "resize": spent("extract/images.py", "decode") + spent("kinds/preview.py", "make") - decode - encode,
        "encode x3": encode,
        "model": spent("kinds/embedding.py", "make"),
        "metadata": spent("extract/images.py", "_read_exif", "_xmp_packet", "_read_keywords")
        + spent("extract/faces.py", "regions_from_xmp"),
    }
    steps["other"] = total - sum(steps.values())
    return steps


# sigal's own function for one photo (its resized copy and thumbnail), timed in sigal's Python
SIGAL_PER_IMAGE = """
import json, os, sys, time
from sigal.image import process_image
from sigal.settings import create_settings

settings, out, best = create_settings(), sys.argv[1], []
class Media:  # what process_image reads of sigal's Media
    def __init__(self, path):
        name = os.path.basename(path)
        self.src_path, self.src_ext, self.settings = path, os.path.splitext(path)[1], settings
        self.dst_path, self.thumb_path = os.path.join(out, name), os.path.join(out, "thumb-" + name)
for path in sys.argv[2:]:
    seconds = []
    for _ in range(2):
        start = time.perf_counter()
        process_image(Media(path))
        seconds.append(time.perf_counter() - start)
    best.append(min(seconds))
print(json.dumps(sum(best) / len(best)))
"""


def sigal_per_image(python: str, files: list[Path]) -> float:
    """Seconds per image of sigal's process_image in one process, best of two per photo."""
    out = FOLDER / "sigal-single"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    args = [python, "-c", SIGAL_PER_IMAGE, str(out), *map(str, files)]
    found = subprocess.run(args, capture_output=True, text=True, check=True)
    seconds: float = json.loads(found.stdout.strip().splitlines()[-1])
    return seconds


def breakdown_apart(files: list[Path]) -> dict[str, float]:
    """breakdown() in a fresh process with the environment hgsite gives its workers."""
    args = [sys.executable, str(Path(__file__).resolve()), "--breakdown-of", *map(str, files)]
    found = subprocess.run(
        args, env={**os.environ, **SINGLE_THREADED}, capture_output=True, text=True, check=True
    )
    steps: dict[str, float] = json.loads(found.stdout.strip().splitlines()[-1])
    return steps


def measure(quick: bool = False) -> list[Figure]:
    copies, runs = (2, 1) if quick else (3, 3)
    photos = photo_set(FOLDER / "photos", copies)
    count = len(photos.files)
    source = photos.files[0].parent
    described = (
        f"{count} JPEGs ({photos.originals} photos x {copies} copies), mean {photos.megapixels:.1f} MP"
    )
    decode = decode_limit(photos.files, 2 if quick else 3)
    python = sigal_python()
    singles, sigal_singles = [], []
    for _ in range(runs):  # one copy of each photo; taking turns with sigal
        singles.append(breakdown_apart(photos.files[::copies]))
        if python:
            sigal_singles.append(sigal_per_image(python, photos.files[::copies]))
    steps = min(singles, key=lambda found: sum(found.values()))
    sigal_one = min(sigal_singles) if sigal_singles else None
    sigal_program = str(Path(python).with_name("sigal")) if python else None
    hgsite_runs, sigal_runs = [], []
    for _ in range(runs):  # taking turns: a disturbance of the shared machine hits both alike
        hgsite_runs.append(hgsite_build(source, count))
        if sigal_program:
            sigal_runs.append(sigal_build(sigal_program, source, count))
    built, stages = min(hgsite_runs, key=lambda pair: pair[0].seconds)
    sigal = min(sigal_runs, key=lambda r: r.seconds) if sigal_runs else None
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
            "the build includes process start, model loading, scanning, the database and the site; "
            f"stages {', '.join(f'{k} {v:.2f} s' for k, v in stages.items())} (a cold cache: the places "
            "stage loads GeoNames in a worker, and the map's data is compressed, both once per cache)",
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
        Figure(
            "previews",
            "seconds per image, worker function in one process",
            round(sum(steps.values()), 4),
            "s",
            "draft decode to the 1920 px preview size, one core",
            round(decode, 4),
            round(sum(steps.values()) / decode, 2),
            "<= 1.5x",
            sum(steps.values()) / decode <= 1.5,
            "hgsite.tasks.run.run_task on one copy of each photo, one core, no process start; "
            "the steps below add up to it",
        ),
        Figure(
            "previews",
            "images per second per core, worker function in one process",
            round(1 / sum(steps.values()), 2),
            "images/s",
            "sigal's process_image in one process" if sigal_one else "sigal (not installed)",
            round(1 / sigal_one, 2) if sigal_one else None,
            round(sigal_one / sum(steps.values()), 2) if sigal_one else None,
            ">= 5x",
            sigal_one / sum(steps.values()) >= 5 if sigal_one else None,
            "the work per photo without process start, scanning, database or site; sigal decodes at full "
            "size and writes 2 small JPEGs"
            + (f"; the draft decode alone would be {sigal_one / decode:.1f}x sigal" if sigal_one else ""),
        ),
    ]
    figures += [
        Figure(
            "previews",
            f"worker step: {name}",
            round(steps[name] * 1000, 1),
            "ms per image",
            note=_STEP_NOTES[name],
        )
        for name in STEPS
    ]
    return figures


_STEP_NOTES = {
    "decode": "the JPEG decode with draft(), to 1/2, 1/4 or 1/8 of the size, at least 1920 px",
    "resize": "Lanczos to 1920, 720 and 320 px, each from the one before; colour profile to sRGB, rotation",
    "encode x3": "three baseline JPEGs at quality 82 (previews.progressive = false, the default)",
    "model": "224x224 input from the smallest preview fit for it, EfficientNet-Lite0 inference, "
    "similarity code, the float16 vector written",
    "metadata": "EXIF, IPTC and XMP keywords, XMP face regions",
    "other": "opening the file, reading the header, the result",
}


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
    parser.add_argument("--breakdown-of", nargs="+", type=Path, help=argparse.SUPPRESS)  # breakdown_apart()
    args = parser.parse_args()
    if args.breakdown_of:
        print(json.dumps(breakdown(args.breakdown_of)))
        return 0
    print(" | ".join(f"{k}: {v}" for k, v in machine().items()))
    figures = measure(args.quick)
    show(figures)
    if args.json:
        print(json.dumps([f.to_json() for f in figures]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
