"""No-op rebuild and peak memory: `hgsite build` when nothing changed, at 10,000 and 100,000 files.

    python bench/noop.py            # both sizes; inputs, the filled cache and the cold figures are reused
    python bench/noop.py --cold     # also redo the 10k cold builds of hgsite and sigal (minutes)
    python bench/noop.py --quick    # 10k only, 2 runs each
    python bench/noop.py --json     # the figures as one JSON list on the last line

10k: a tree of 10,000 tiny distinct JPEGs (64x48 crops of the corpus's photos with light noise) in 100
year/month folders. hgsite (default settings) and sigal 2.x (its defaults) each make a cold build, then
rebuild with nothing changed (best of 3).

100k: 100,000 such files in 500 folders. A cold build would run the image model on every one (about
10 ms each), so the cache is filled the way an extraction fills it, through hgsite's Store: a meta row
per item (64x48, a camera, a date, a position for 60%), the 320 px preview file (hard links to a pool
of 256 small JPEGs) and the embedding (float16 vectors with the model's spread of cosines, see
features(); their codes and top classes in the manifest). The file index is left empty, so the first
build after the fill hashes every file itself, finds nothing to extract, groups near-duplicates for
the first time, and writes the database and the site. Then the no-op rebuild (best of 3). Everything
runs through the real `hgsite build` command line, with -v for the seconds of each stage.

Inputs live under WORK (bench/common.py) and are reused while their version string matches.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import multiprocessing
import os
import random
import shutil
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    CORPUS,
    WORK,
    Figure,
    Run,
    best_of,
    hgsite_command,
    machine,
    run,
    sigal_python,
    sigal_version,
)

VERSION = "2"  # bump when the generated photos change
FILL_VERSION = "3"  # bump when the filled 100k cache changes
SIZE = (64, 48)
CAMERAS = [("Apple", "iPhone 12"), ("Google", "Pixel 7"), ("Canon", "EOS 80D"), ("SONY", "ILCE-7M3")]
POOL = 256  # distinct preview files that the 100k cache's previews are hard links to (ext4: <= 65,000 each)


# -- inputs ------------------------------------------------------------------------------------------
_pool: list[Image.Image] = []


def _photos() -> list[Image.Image]:
    """The corpus's decodable JPEGs of 200 px or more, decoded once per process at about 512 px."""
    if not _pool:
        for path in sorted((CORPUS / "photos").rglob("*")):
            if path.suffix.lower() not in (".jpg", ".jpeg"):
                continue
            try:
                with Image.open(path) as image:
                    image.draft("RGB", (512, 512))
                    picture = image.convert("RGB")
            except Exception:  # the corpus holds odd files on purpose; they are not needed here
                continue
            if min(picture.size) >= 200:
                _pool.append(picture)
    return _pool


def tiny_jpeg(number: int) -> bytes:
    """A small JPEG that no other number gives: a random crop of a real photo, with light noise.

    Real picture content gives the image model realistic features (noise alone looks alike to it).
    """
    rng = np.random.default_rng(number)
    photos = _photos()
    picture = photos[int(rng.integers(len(photos)))]
    width, height = picture.size
    crop_w = int(min(width, height * 4 / 3) * rng.uniform(0.2, 0.7))
    crop_h = crop_w * 3 // 4
    left, top = int(rng.integers(width - crop_w + 1)), int(rng.integers(height - crop_h + 1))
    tile = picture.resize(SIZE, Image.Resampling.BILINEAR, (left, top, left + crop_w, top + crop_h))
    noise = rng.normal(0, 3, (SIZE[1], SIZE[0], 3))
    pixels = np.clip(np.asarray(tile, dtype=np.float32) + noise, 0, 255).astype(np.uint8)
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, "JPEG", quality=85)
    return out.getvalue()


def file_name(number: int, folders: int) -> str:
    """year/year-month/IMG_date_time_number.jpg: `folders` month folders, numbers spread over them."""
    month = number % folders
    year, month = 2026 - folders // 12 - 1 + month // 12, month % 12 + 1
    day, second = number // folders % 28 + 1, number % 86400
    when = f"{year}{month:02d}{day:02d}_{second // 3600:02d}{second // 60 % 60:02d}{second % 60:02d}"
    return f"{year}/{year}-{month:02d}/IMG_{when}_{number:06d}.jpg"


def _write_files(job: tuple[str, int, int, int, int]) -> list[str]:
    root, start, stop, folders, seed = job
    digests = []
    for number in range(start, stop):
        data = tiny_jpeg(seed + number)
        path = Path(root) / file_name(number, folders)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        digests.append(hashlib.sha1(data).hexdigest())
    return digests


def make_tree(root: Path, count: int, folders: int, seed: int) -> list[str]:
    """The photos (made once per version), returned as the sha1s of files 0..count-1."""
    done = root / f".made-{VERSION}-{count}-{folders}-{seed}.json"
    if done.is_file():
        digests: list[str] = json.loads(done.read_text())
        return digests
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    step = 2000
    jobs = [(str(root), s, min(s + step, count), folders, seed) for s in range(0, count, step)]
    with multiprocessing.Pool(2) as pool:
        digests = [d for part in pool.map(_write_files, jobs) for d in part]
    done.write_text(json.dumps(digests))
    return digests


def project(folder: Path, photos: str = "photos") -> Path:
    """A project folder whose hgsite.toml reads `photos`; cache and site in the project (the defaults)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "hgsite.toml").write_text(f'sources = ["{photos}"]\noutput = "site"\ncache = ".hgsite"\n')
    return folder / "hgsite.toml"


def build(config: Path, verbose: bool = False) -> list[str]:
    """The build command; verbose prints the seconds of each stage (read by stages_of)."""
    return [*hgsite_command(), "build", "-c", str(config), "-v" if verbose else "-q"]


def stages_of(done: Run) -> dict[str, float]:
    for line in done.stderr.splitlines():
        if line.startswith("hgsite: seconds by stage:"):
            pairs = (part.split() for part in line.split(":", 2)[2].split(","))
            return {name: float(value) for name, value, *_ in pairs}
    return {}


# -- 10k: hgsite against sigal -----------------------------------------------------------------------
def ten_thousand(runs: int, cold: bool) -> list[Figure]:
    """hgsite and sigal on 10k files. The cold builds (minutes) are redone with `cold` or when their
    outputs are missing; otherwise the figures kept from the last cold run are reported again."""
    count = 10_000
    base = WORK / "noop-10k"
    make_tree(base / "photos", count, 100, 0)
    config = project(base)
    python = sigal_python()
    sigal = [python, "-m", "sigal", "build", "-q", "-c", str(base / "sigal.conf.py"), "photos", "sigal-site"]
    kept = base / f"cold-{VERSION}.json"
    if cold or not kept.is_file() or not (base / ".hgsite").is_dir() or not (base / "sigal-site").is_dir():
        kept.unlink(missing_ok=True)
        for made in (base / ".hgsite", base / "site", base / "sigal-site"):
            shutil.rmtree(made, ignore_errors=True)
        (base / "sigal.conf.py").write_text("# sigal's defaults\n")
        first = run(build(config))
        sigal_first = run(sigal, cwd=base) if python else None
        seconds = {"hgsite": first.seconds, "sigal": sigal_first.seconds if sigal_first else 0.0}
        kept.write_text(json.dumps({**seconds, "rss": first.peak_rss_mb}))
    cold_figures = json.loads(kept.read_text())
    noop = best_of(runs, build(config, True))
    sigal_noop = best_of(runs, sigal, cwd=base) if python else None
    return _ten_thousand_figures(
        count, cold_figures, noop, sigal_noop, "" if cold else "kept from an earlier run"
    )


def _ten_thousand_figures(
    count: int, cold: dict[str, float], noop: Run, sigal_noop: Run | None, kept: str
) -> list[Figure]:
    version = sigal_version() if sigal_noop else "not installed"
    hgsite_rate, sigal_rate = count / cold["hgsite"], count / cold["sigal"] if cold["sigal"] else 0.0
    sigal_seconds = sigal_noop.seconds if sigal_noop else 0.0
    return [
        Figure("no-op 10k", "no-op rebuild", noop.seconds, "s", f"sigal {version} no-op rebuild",
               sigal_seconds, sigal_seconds / noop.seconds, "faster than sigal", sigal_seconds > noop.seconds,
               note=f"peak RSS hgsite {noop.peak_rss_mb:.0f} MB, sigal "
               f"{sigal_noop.peak_rss_mb if sigal_noop else 0:.0f} MB; stages {_stages(stages_of(noop))}"),
        Figure("no-op 10k", "cold build of 64x48 JPEGs, images per second", hgsite_rate, "images/s",
               f"sigal {version} cold build", sigal_rate, hgsite_rate / sigal_rate if sigal_rate else None,
               note=f"hgsite {cold['hgsite']:.0f} s (previews, metadata and the image model; peak RSS "
               f"{cold['rss']:.0f} MB), sigal {cold['sigal']:.0f} s; {kept or 'measured in this run'}"),
    ]  # fmt: skip


def _stages(stages: dict[str, float]) -> str:
    return " ".join(f"{name} {seconds:.2f}" for name, seconds in stages.items())


# -- 100k: a cache filled as extraction fills it -----------------------------------------------------
def features(count: int, seed: int = 7) -> np.ndarray:
    """float16[count, 1280] like the model's pooled features: never negative, a shared direction, 200
    themes of about count/200 items, noise, and every 50th item a near-copy of the one before it.
    About 0.5% of pairs come within the candidate margin (cosine >= 0.65), as for the model's features
    of the 10k crops (median 0.33 there, 0.45 here)."""
    rng = np.random.default_rng(seed)
    themes = rng.standard_normal((200, 1280), dtype=np.float32)
    common = rng.standard_normal(1280, dtype=np.float32)
    vectors = np.empty((count, 1280), dtype=np.float16)
    for start in range(0, count, 10_000):
        size = min(10_000, count - start)
        noise = rng.standard_normal((size, 1280), dtype=np.float32)
        block = 0.6 * common + themes[rng.integers(200, size=size)] + 0.75 * noise
        copies = np.arange(1, size, 50)
        block[copies] = block[copies - 1] + 0.2 * rng.standard_normal((len(copies), 1280), dtype=np.float32)
        vectors[start : start + size] = np.maximum(block, 0)
    return vectors


def meta_fields(number: int, folders: int, rng: random.Random) -> dict[str, Any]:
    """What the image extractor stores for a 64x48 JPEG with a camera's EXIF (60% with a position)."""
    name = file_name(number, folders).rsplit("_", 1)[0].rsplit("/", 1)[1]  # IMG_20190521_134501
    date = f"{name[4:8]}-{name[8:10]}-{name[10:12]}T{name[13:15]}:{name[15:17]}:{name[17:19]}"
    make, model = rng.choice(CAMERAS)
    fields: dict[str, Any] = {"width": SIZE[0], "height": SIZE[1], "format": "JPEG", "date": date}
    fields.update(make=make, model=model, exposure=rng.choice([0.001, 0.004, 0.0167]), fnumber=2.8, iso=100)
    if rng.random() < 0.6:
        fields.update(lat=round(rng.uniform(-40, 60), 6), lon=round(rng.uniform(-120, 140), 6))
    return fields


def fill_cache(cache: Path, digests: list[str], folders: int) -> float:
    """Meta rows, previews and embeddings of every file, as a finished extraction leaves them (no file
    index: the build makes that). Done once per version; returns the seconds it took (0 if reused)."""
    from hgsite.atomic import atomic_write
    from hgsite.cache.store import Artifact, Store
    from hgsite.config import PreviewSettings
    from hgsite.extract.embeddings import EMBED_KEY, EMBED_NAME, embedding_file
    from hgsite.extract.images import META_KEY
    from hgsite.kinds.preview import PreviewSpec, preview_file
    from hgsite.similar import codes

    done = cache / f"bench-filled-{FILL_VERSION}-{len(digests)}"
    if done.is_file():
        return 0.0
    started = time.perf_counter()
    shutil.rmtree(cache, ignore_errors=True)
    pool = cache / "bench-pool"
    pool.mkdir(parents=True)
    samples = [pool / f"{n}.jpg" for n in range(POOL)]
    for n, sample in enumerate(samples):
        sample.write_bytes(tiny_jpeg(10**9 + n))  # the real extractor would re-encode a 64x48 preview
    settings = PreviewSettings()  # default sizes: a 64x48 photo gets only the smallest
    spec = PreviewSpec(320, settings.quality, settings.progressive)
    vectors = features(len(digests))
    rng = random.Random(1)
    store = Store(cache)
    for start in range(0, len(digests), 4096):
        block = vectors[start : start + 4096]
        codes_of = codes.pack(block.astype(np.float32))
        for offset, sha1 in enumerate(digests[start : start + 4096]):
            number = start + offset
            with atomic_write(embedding_file(cache, sha1)) as handle:
                np.save(handle, block[offset], allow_pickle=False)
            info = {
                "ext": "npy",
                "top": _top(rng),
                "code": base64.b64encode(codes_of[offset].tobytes()).decode(),
            }
            target = preview_file(cache, sha1, spec)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link(samples[number % POOL], target)
            meta = meta_fields(number, folders, rng)
            made = [
                Artifact(sha1, spec.name, spec.key, {"w": SIZE[0], "h": SIZE[1], "ext": "jpg"}),
                Artifact(sha1, EMBED_NAME, EMBED_KEY, info),
            ]
            store.record(sha1, (META_KEY, meta), made, None)
    store.close()
    done.write_text("")
    return time.perf_counter() - started


def _top(rng: random.Random) -> list[list[float]]:
    first = round(rng.uniform(0.05, 0.9), 4)
    return [[rng.randrange(1000), first]] + [
        [rng.randrange(1000), round(first / (k + 2), 4)] for k in range(4)
    ]


def after_fill(base: Path) -> None:
    """Back to the state right after the fill: no file index, no site, no duplicate or place results."""
    from hgsite.cache.store import Store

    cache = base / ".hgsite"
    store = Store(cache)
    store.replace_stamps({})
    store.replace_sidecars({})
    store.close()
    shutil.rmtree(base / "site", ignore_errors=True)
    for made in [
        base / "events.ndjson",
        cache / "duplicates.json",
        *cache.glob("places*"),
        *cache.glob("world-*"),
    ]:
        made.unlink(missing_ok=True)


def hundred_thousand(runs: int) -> list[Figure]:
    count, folders = 100_000, 500
    base = WORK / "noop-100k"
    started = time.perf_counter()
    digests = make_tree(base / "photos", count, folders, 10**6)
    made = time.perf_counter() - started
    config = project(base)
    filled = fill_cache(base / ".hgsite", digests, folders)
    after_fill(base)
    first = run(build(config, True))
    first_stages = stages_of(first)
    noop = best_of(runs, build(config, True))
    stages = stages_of(noop)
    tagged_runs = tagged_rebuilds(config, digests[0], runs)
    added_runs = added_rebuilds(config, runs)
    tagged, added = (min(done, key=lambda r: r.seconds) for done in (tagged_runs, added_runs))
    builds = {"the first build": [first], "a rebuild after a tag event": tagged_runs,
              "a rebuild after 10 new photos": added_runs}  # fmt: skip
    peak = {name: max(r.peak_rss_mb for r in done) for name, done in builds.items()}
    largest = max(peak, key=lambda name: peak[name])
    setup = f"inputs made in {made:.0f} s, cache filled in {filled:.0f} s" if filled else "inputs reused"
    return [
        Figure("no-op 100k", "first build after the fill (hash 100k files, database, site)", first.seconds,
               "s", note=f"peak RSS {first.peak_rss_mb:.0f} MB; stages {_stages(first_stages)}; {setup}"),
        Figure("no-op 100k", "near-duplicate grouping, first pass", first_stages.get("duplicates", 0.0), "s",
               note="in the first build; cached in duplicates.json afterwards"),
        Figure("no-op 100k", "peak RSS, build of 100k entries", peak[largest], "MB",
               target="<= 500 MB", met=peak[largest] <= 500,
               note=f"the largest of every build above and below, in {largest}; "
               + ", ".join(f"{name} {mb:.0f} MB" for name, mb in peak.items())),
        Figure("no-op 100k", "no-op rebuild", noop.seconds, "s", target="<= 3 s", met=noop.seconds <= 3,
               note=f"peak RSS {noop.peak_rss_mb:.0f} MB; stages {_stages(stages)}"),
        Figure("no-op 100k", "rebuild after one new tag event (nothing to read, all stages after the index)",
               tagged.seconds, "s", note=f"peak RSS {tagged.peak_rss_mb:.0f} MB; stages "
               f"{_stages(stages_of(tagged))}"),
        Figure("no-op 100k", "rebuild after 10 new photos (read, then compared with the 100k for duplicates)",
               added.seconds, "s", note=f"peak RSS {added.peak_rss_mb:.0f} MB; stages "
               f"{_stages(stages_of(added))}"),
    ]  # fmt: skip


def added_rebuilds(config: Path, runs: int) -> list[Run]:
    """`runs` rebuilds, each after 10 new photos in a folder of their own (all removed
    afterwards): they are read, and the near-duplicate pass compares them with every other item."""
    photos = config.parent / "photos"
    done = []
    fresh = time.time_ns() // 1000  # photos no earlier run has seen, so the cache has nothing of them
    for n in range(runs):
        folder = photos / f"zz-added-{n}"
        folder.mkdir(exist_ok=True)
        for k in range(10):
            (folder / f"new-{k}.jpg").write_bytes(tiny_jpeg(fresh + 10 * n + k))
        done.append(run(build(config, True)))
    for folder in photos.glob("zz-added-*"):
        shutil.rmtree(folder)
    return done


def tagged_rebuilds(config: Path, sha1: str, runs: int) -> list[Run]:
    """`runs` rebuilds, each after one more tag event in the events file: an input changed,
    so the build assembles the database and the site again, but no photo is read."""
    events = config.parent / "events.ndjson"
    done = []
    for n in range(runs):
        event = {"type": "userAction", "id": f"bench-{time.time_ns()}", "date": "2026-01-01T00:00:00Z",
                 "targetIds": [sha1], "actions": [{"action": "addTag", "value": f"bench-{n}"}]}  # fmt: skip
        with events.open("a") as handle:
            handle.write(json.dumps(event) + "\n")
        done.append(run(build(config, True)))
    events.unlink()
    return done


def startup(runs: int) -> list[Figure]:
    version = best_of(runs, [*hgsite_command(), "--version"])
    imported = best_of(runs, [sys.executable, "-c", "import hgsite.cli"])
    return [
        Figure("start-up", "hgsite --version", version.seconds, "s", note="the floor of every command"),
        Figure("start-up", "python -c 'import hgsite.cli'", imported.seconds, "s",
               note=f"peak RSS {imported.peak_rss_mb:.0f} MB"),
    ]  # fmt: skip


def measure(quick: bool = False, cold: bool = False) -> list[Figure]:
    runs = 2 if quick else 3
    figures = startup(5)
    figures += ten_thousand(runs, cold)
    if not quick:
        figures += hundred_thousand(runs)
    return figures


def table(figures: list[Figure]) -> str:
    lines = []
    for f in figures:
        value = f"{f.value:.3g} {f.unit}"
        versus = f"  vs {f.baseline} {f.baseline_value:.3g}" if f.baseline_value is not None else ""
        ratio = (
            f"  ({f.ratio:.1f}x {f.target})"
            if f.ratio is not None
            else (f"  target {f.target}" if f.target else "")
        )
        met = "" if f.met is None else ("  met" if f.met else "  NOT MET")
        lines.append(f"{f.part:11} {f.name}: {value}{versus}{ratio}{met}")
        if f.note:
            lines.append(f"{'':13}{f.note}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="10k only, 2 runs each")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON on the last line")
    parser.add_argument("--cold", action="store_true", help="redo the 10k cold builds (minutes)")
    args = parser.parse_args()
    for key, value in machine().items():
        print(f"{key:12} {value}")
    figures = measure(args.quick, args.cold)
    print(table(figures))
    if args.json:
        print(json.dumps([f.to_json() for f in figures]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
