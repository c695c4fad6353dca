"""The web copy of a video: H.264 + AAC in MP4 (faststart), at most `size` pixels on the short edge.

A video that is already web-friendly (H.264 4:2:0 8-bit in MP4/MOV, not rotated, not interlaced,
small enough, at most 60 fps) is remuxed instead: its streams are copied into a new MP4 without
re-encoding (the sound re-encoded to AAC when it is not AAC), which takes a moment instead of minutes.
Either way the copy carries no metadata of the original (no GPS, no dates, no camera tags).

Transcodes run as ffmpeg processes, `jobs` at a time, from threads of the orchestrator, which reads
ffmpeg's `-progress` output for per-video progress bars. The output goes to a temporary file in the
cache's tmp/ folder and is renamed into place only when ffmpeg succeeded, so an interrupted build
never leaves a partial MP4 in the cache; the next build makes the missing copies.
"""

from __future__ import annotations

import contextlib
import math
import os
import shutil
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ffmpeg as ffmpeg_python

from hgsite import ffmpeg
from hgsite.cache import layout
from hgsite.cache.layout import artifact_path, params_key
from hgsite.cache.store import Artifact
from hgsite.config import VideoSettings
from hgsite.extract.video import fix_colors
from hgsite.report import Progress

TRANSCODE_VERSION = 1  # bump when the ffmpeg command changes the output
_WEB_PROFILES = {"Baseline", "Constrained Baseline", "Main", "High"}
_MP4_FAMILY = "mov,mp4,m4a,3gp,3g2,mj2"
MAX_FPS = 60


@dataclass(frozen=True, slots=True)
class WebVideoSpec:
    """The parameters of the web copy; part of its cache key and of its public file name."""

    size: int
    crf: int
    preset: str
    max_bitrate: int  # kbit/s
    audio_bitrate: int  # kbit/s, 0: no sound

    @classmethod
    def of(cls, settings: VideoSettings) -> WebVideoSpec:
        return cls(settings.size, settings.crf, settings.preset, settings.max_bitrate, settings.audio_bitrate)

    @property
    def name(self) -> str:
        return f"video-{self.size}"

    @property
    def key(self) -> str:
        return params_key(
            "video", TRANSCODE_VERSION, self.size, self.crf, self.preset, self.max_bitrate, self.audio_bitrate
        )


@dataclass(frozen=True, slots=True)
class TranscodeTask:
    sha1: str
    path: str  # the original
    rel: str  # its name for people
    meta: dict[str, Any]  # what probe() found
    spec: WebVideoSpec
    cache: Path


@dataclass(frozen=True, slots=True)
class TranscodeResult:
    task: TranscodeTask
    artifact: Artifact | None  # None when interrupted
    error: str | None = None


def target_size(width: int, height: int, limit: int) -> tuple[int, int]:
    """Display size scaled so the short edge is at most `limit`, both edges even (H.264 4:2:0 needs it)."""
    scale = min(1.0, limit / max(1, min(width, height)))
    return max(2, round(width * scale / 2) * 2), max(2, round(height * scale / 2) * 2)


def copy_blockers(meta: dict[str, Any], spec: WebVideoSpec) -> list[str]:
    """Why the video must be re-encoded; empty when its video stream can be copied as it is."""
    checks = {
        "not MP4/MOV": meta.get("format") == _MP4_FAMILY,
        "not H.264": meta.get("vcodec") == "h264",
        "not 8-bit 4:2:0": meta.get("pix_fmt") in ("yuv420p", "yuvj420p"),
        "unusual H.264 profile": meta.get("vcodec") != "h264" or meta.get("profile") in _WEB_PROFILES,
        "rotated": not meta.get("rotation"),
        "interlaced": not meta.get("interlaced"),
        "non-square pixels": not meta.get("sar"),
        f"larger than {spec.size}p": min(meta["width"], meta["height"]) <= spec.size,
        f"more than {MAX_FPS} fps": 0 < (meta.get("fps") or 0) <= MAX_FPS,
        "bitrate too high": (meta.get("bitrate") or math.inf) <= spec.max_bitrate * 1500,
        "odd dimensions": meta["width"] % 2 == 0 and meta["height"] % 2 == 0,
    }
    return [reason for reason, ok in checks.items() if not ok]


def command(
    tool: str, task: TranscodeTask, output: str, threads: int, audio: bool = True, passthrough: bool = False
) -> tuple[str, list[str]]:
    """("copy" or "encode", the ffmpeg arguments) that write the web copy of `task` to `output`."""
    meta, spec = task.meta, task.spec
    source = ffmpeg_python.input(task.path)
    copy = not copy_blockers(meta, spec)
    options: dict[str, Any] = {"map_metadata": -1, "map_chapters": -1, "movflags": "+faststart", "f": "mp4"}
    if passthrough:
        options["fps_mode"] = "passthrough"  # broken timestamps: keep every frame as it comes
    if copy:
        video = source["v:0"]
        options.update({"c:v": "copy", "tag:v": "avc1"})
    else:
        width, height = target_size(meta["width"], meta["height"], spec.size)
        video = fix_colors(source["v:0"]) if meta.get("badcolor") else source["v:0"]
        if meta.get("interlaced"):
            video = video.filter("yadif")
        video = video.filter("scale", width, height).filter("setsar", 1)
        options.update(_x264(spec, threads))
        if passthrough:
            del options["fpsmax"]  # ffmpeg refuses a frame rate cap without its frame timing
    streams = [video]
    if audio and meta.get("acodec") and spec.audio_bitrate:
        streams.append(source["a:0"])
        if copy and meta["acodec"] == "aac":
            options["c:a"] = "copy"
        else:
            options.update({"c:a": "aac", "b:a": f"{spec.audio_bitrate}k", "ac": 2})
    output_stream = ffmpeg_python.output(*streams, output, **options)
    args = ffmpeg.command(tool, output_stream)
    return ("copy" if copy else "encode"), [*args[:-1], "-progress", "pipe:1", "-nostats", args[-1]]


def _x264(spec: WebVideoSpec, threads: int) -> dict[str, Any]:
    return {
        "c:v": "libx264",
        "preset": spec.preset,
        "crf": spec.crf,
        "maxrate": f"{spec.max_bitrate}k",
        "bufsize": f"{spec.max_bitrate * 2}k",
        "profile:v": "high",
        "pix_fmt": "yuv420p",
        "fpsmax": MAX_FPS,
        "threads": threads,
    }


def transcode(
    tool: str,
    task: TranscodeTask,
    threads: int,
    on_progress: Callable[[float], None],
    stall: float,
    stop: threading.Event,
) -> Artifact:
    """Make the web copy into the cache: a temporary file, renamed into place when complete."""
    target = artifact_path(task.cache, task.sha1, task.spec.name, task.spec.key, "mp4")
    tmp = temp_folder(task.cache) / f"{task.sha1}-{task.spec.key}.mp4"
    try:
        mode, notes = _attempts(tool, task, str(tmp), threads, on_progress, stall, stop)
        if not tmp.is_file() or tmp.stat().st_size == 0:
            raise ffmpeg.FFmpegError("ffmpeg wrote nothing")
        target.parent.mkdir(parents=True, exist_ok=True)
        size = tmp.stat().st_size
        tmp.replace(target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    width, height = task.meta["width"], task.meta["height"]
    if mode == "encode":
        width, height = target_size(width, height, task.spec.size)
    info: dict[str, Any] = {"ext": "mp4", "mode": mode, "w": width, "h": height, "bytes": size}
    if notes:
        info["warning"] = notes[0]
    return Artifact(task.sha1, task.spec.name, task.spec.key, info)


# When ffmpeg fails or writes no frame: the same again keeping frames with broken timestamps as they
# come (old Theora, damaged files), then also without the sound (a codec ffmpeg cannot decode).
_ATTEMPTS = (
    (True, False, ""),
    (True, True, "broken timestamps: frames kept as they come"),
    (False, True, "sound left out"),
)


def _attempts(
    tool: str,
    task: TranscodeTask,
    output: str,
    threads: int,
    on_progress: Callable[[float], None],
    stall: float,
    stop: threading.Event,
) -> tuple[str, list[str]]:
    """Run ffmpeg until an attempt writes video frames; (mode, notes on what had to be given up)."""
    problem: ffmpeg.FFmpegError | None = None
    has_audio = bool(task.meta.get("acodec") and task.spec.audio_bitrate)
    for audio, passthrough, note in _ATTEMPTS:
        if not audio and not has_audio:
            break
        mode, args = command(tool, task, output, threads, audio, passthrough)
        try:
            if ffmpeg.run_with_progress(args, on_progress, stall, stop) > 0:
                return mode, [f"{note} ({problem})" if problem and not audio else note] if note else []
            problem = ffmpeg.FFmpegError("ffmpeg wrote no video frame")
        except ffmpeg.FFmpegTimeout:
            raise
        except ffmpeg.FFmpegError as error:
            problem = error
    assert problem is not None
    raise problem


def failed_artifact(task: TranscodeTask, reason: str) -> Artifact:
    """A manifest row that remembers why the web copy could not be made (until file or settings change)."""
    return Artifact(task.sha1, task.spec.name, task.spec.key, {"ext": "mp4", "error": reason})


def temp_folder(cache: Path) -> Path:
    folder = layout.temp_folder(cache)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def clear_temp_folder(cache: Path) -> None:
    """Remove what an earlier, killed build left behind (only one hgsite works on a cache at a time)."""
    shutil.rmtree(layout.temp_folder(cache), ignore_errors=True)


@dataclass
class _Job:
    task: TranscodeTask
    bar: contextlib.ExitStack
    step: Callable[[int], None]
    done: float = 0.0  # seconds of output written, set by the worker thread
    shown: int = 0  # whole seconds already passed to the bars


def run_transcodes(
    tool: str,
    tasks: list[TranscodeTask],
    jobs: int,
    stall: float,
    progress: Progress,
    on_result: Callable[[TranscodeResult], None],
) -> None:
    """Make the web copies, `jobs` ffmpeg processes at a time, with a bar per running video.

    `progress` draws bars: "videos" counts seconds of video for the whole stage, "video:<name>" the
    seconds of one video. on_result is called in this thread as each video finishes.
    """
    if not tasks:
        return
    width = max(1, min(jobs, len(tasks)))
    threads = max(1, (os.cpu_count() or 1) // width)
    total = sum(_seconds(task) for task in tasks)
    stop = threading.Event()
    pending = deque(tasks)
    running: dict[Future[Artifact], _Job] = {}
    with progress("videos", total) as overall, ThreadPoolExecutor(width) as pool:
        try:
            while pending or running:
                while pending and len(running) < width:
                    job = _start(pending.popleft(), progress)
                    running[pool.submit(_work, tool, job, threads, stall, stop)] = job
                finished, _ = wait(running, timeout=0.5, return_when=FIRST_COMPLETED)
                for job in running.values():
                    _advance(job, overall)
                for future in finished:
                    job = running.pop(future)
                    _finish(job, future, overall, on_result)
        finally:
            stop.set()
            for job in running.values():
                job.bar.close()


def _seconds(task: TranscodeTask) -> int:
    return max(1, math.ceil(task.meta.get("duration") or 1))


def _start(task: TranscodeTask, progress: Progress) -> _Job:
    bar = contextlib.ExitStack()
    step = bar.enter_context(progress(f"video:{task.rel}", _seconds(task)))
    return _Job(task, bar, step)


def _work(tool: str, job: _Job, threads: int, stall: float, stop: threading.Event) -> Artifact:
    def seen(seconds: float) -> None:
        job.done = seconds

    return transcode(tool, job.task, threads, seen, stall, stop)


def _advance(job: _Job, overall: Callable[[int], None]) -> None:
    now = min(_seconds(job.task), int(job.done))
    if now > job.shown:
        job.step(now - job.shown)
        overall(now - job.shown)
        job.shown = now


def _finish(
    job: _Job,
    future: Future[Artifact],
    overall: Callable[[int], None],
    on_result: Callable[[TranscodeResult], None],
) -> None:
    job.done = _seconds(job.task)
    _advance(job, overall)
    job.bar.close()
    try:
        artifact = future.result()
    except ffmpeg.Interrupted:
        on_result(TranscodeResult(job.task, None))
        return
    except ffmpeg.FFmpegTimeout as error:  # not remembered: the next build tries again
        on_result(TranscodeResult(job.task, None, f"cannot make the web copy: {error}"))
        return
    except ffmpeg.FFmpegError as error:
        reason = f"cannot make the web copy: {error}"
        on_result(TranscodeResult(job.task, failed_artifact(job.task, reason), reason))
        return
    except OSError as error:
        on_result(TranscodeResult(job.task, None, f"cannot write the web copy: {error}"))
        return
    on_result(TranscodeResult(job.task, artifact))
