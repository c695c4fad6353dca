"""Find the ffmpeg program and run it: a time limit on every call, the tail of its stderr in every error.

hgsite runs ffmpeg as a separate program, with command lines built by ffmpeg-python, so a decoder that
crashes or hangs on a hostile file costs that file and never the build. The program is, in this
order: `video.ffmpeg` from the config; `ffmpeg` on PATH when it can encode H.264 and AAC; the static
build that the imageio-ffmpeg wheel ships (so `pip install` alone gives a working video path).
Reading metadata needs no ffprobe: PyAV (the `av` wheel, FFmpeg's libraries) does it in-process.
"""

from __future__ import annotations

import contextlib
import queue
import re
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any

from hgsite.errors import MediaError

# Before every command: never read the terminal, errors only on stderr, overwrite the (temporary) output.
GLOBAL_ARGS = ("-nostdin", "-hide_banner", "-loglevel", "error", "-y")
_PROBE_TIMEOUT = 20.0
_CONTEXT = re.compile(r"\[[^\]]*@ 0x[0-9a-f]+\]\s*")  # "[vost#0:0/ppm @ 0x55b3...]" before a message


class FFmpegError(MediaError):
    """An ffmpeg call failed or timed out; the message ends with the tail of its stderr."""


class FFmpegTimeout(FFmpegError):
    """ffmpeg ran out of time or stopped making progress: the file may be fine, a later build tries again."""


class Interrupted(Exception):
    """The build asked a running ffmpeg call to stop (Ctrl-C)."""


@dataclass(frozen=True, slots=True)
class FFmpeg:
    """An ffmpeg program and what it can do."""

    path: str
    version: str
    origin: str  # "config", "system" (PATH) or "imageio-ffmpeg"
    h264: bool  # has the libx264 encoder
    aac: bool  # has an AAC encoder

    @property
    def can_transcode(self) -> bool:
        return self.h264 and self.aac

    def describe(self) -> str:
        features = (
            "posters and H.264/AAC web copies" if self.can_transcode else "posters only (no libx264/aac)"
        )
        return f"ffmpeg {self.version} ({self.origin}: {self.path}): {features}"


def find_ffmpeg(configured: str = "") -> FFmpeg | None:
    """The ffmpeg to use, or None when there is none that runs: the first of `programs` that can make
    web copies, else the first that runs."""
    found: list[FFmpeg] = []
    for path, origin in programs(configured):
        tool = inspect(path, origin)
        if tool is not None and (tool.can_transcode or origin == "config"):
            return tool
        found += [tool] if tool is not None else []
    return found[0] if found else None


def programs(configured: str = "") -> list[tuple[str, str]]:
    """The ffmpeg programs to choose from, with their origin: the configured one alone, or the one on
    PATH and the one of imageio-ffmpeg."""
    if configured:
        return [(configured, "config")]
    system, bundled = shutil.which("ffmpeg"), _imageio_ffmpeg()
    return [(path, origin) for path, origin in ((system, "system"), (bundled, "imageio-ffmpeg")) if path]


def _imageio_ffmpeg() -> str | None:
    try:
        import imageio_ffmpeg

        path: str = imageio_ffmpeg.get_ffmpeg_exe()
    except (ImportError, RuntimeError, OSError):
        return None
    return path


def inspect(path: str, origin: str) -> FFmpeg | None:
    """Version and encoders of the ffmpeg at `path`; None when it does not run."""
    try:
        version = _output([path, "-hide_banner", "-version"])
        encoders = _output([path, "-hide_banner", "-encoders"])
    except (OSError, subprocess.SubprocessError):
        return None
    words = version.split()
    number = words[2] if len(words) > 2 and words[:2] == ["ffmpeg", "version"] else "(unknown version)"
    names = {line.split()[1] for line in encoders.splitlines() if len(line.split()) > 1}
    return FFmpeg(path, number.removeprefix("n"), origin, "libx264" in names, "aac" in names)


def _output(args: list[str]) -> str:
    done = subprocess.run(
        args, capture_output=True, timeout=_PROBE_TIMEOUT, check=True, stdin=subprocess.DEVNULL
    )
    return done.stdout.decode("utf-8", "replace")


def command(exe: str, stream: Any) -> list[str]:
    """The argument list of an ffmpeg-python output stream, for the program `exe`, global options first."""
    args: list[str] = stream.compile(cmd=exe)
    return [exe, *GLOBAL_ARGS, *args[1:]]


def tail(stderr: bytes, lines: int = 2, limit: int = 240) -> str:
    """The last lines of ffmpeg's stderr as one line."""
    text = _CONTEXT.sub("", stderr.decode("utf-8", "replace"))
    kept = [line.strip() for line in text.splitlines() if line.strip()][-lines:]
    joined = " / ".join(kept)
    return joined if len(joined) <= limit else "..." + joined[-limit:]


def failure(what: str, stderr: bytes, kind: type[FFmpegError] = FFmpegError) -> FFmpegError:
    said = tail(stderr)
    return kind(f"{what}: {said}" if said else what)


def run(args: list[str], timeout: float) -> bytes:
    """Run ffmpeg to completion and return its stdout; FFmpegError on failure or after `timeout` s."""
    try:
        done = subprocess.run(args, capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as expired:
        raise failure(f"ffmpeg timed out after {timeout:g} s", expired.stderr or b"", FFmpegTimeout) from None
    if done.returncode != 0:
        raise failure(f"ffmpeg failed (exit code {done.returncode})", done.stderr)
    return done.stdout


def run_with_progress(
    args: list[str], on_progress: Callable[[float], None], stall: float, stop: threading.Event
) -> int:
    """Run ffmpeg with `-progress pipe:1` among `args`, calling on_progress(seconds of output written);
    return the number of video frames written.

    Killed, with FFmpegError, when it reports no progress for `stall` seconds; with Interrupted when
    `stop` is set.
    """
    frames = [0]
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=errors)
        problem = f"ffmpeg did not finish within {stall:g} s after its last output"
        try:
            _follow(process, on_progress, stall, stop, frames)
            code = process.wait(timeout=stall)
        except subprocess.TimeoutExpired:
            code = None
        except FFmpegTimeout as error:
            code, problem = None, str(error)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
        errors.seek(0)
        said = errors.read()
    if stop.is_set():
        raise Interrupted
    if code is None:
        raise failure(problem, said, FFmpegTimeout)
    if code != 0:
        raise failure(f"ffmpeg failed (exit code {code})", said)
    return frames[0]


def _follow(
    process: subprocess.Popen[bytes],
    on_progress: Callable[[float], None],
    stall: float,
    stop: threading.Event,
    frames: list[int],
) -> None:
    lines: queue.Queue[bytes | None] = queue.Queue()
    assert process.stdout is not None
    threading.Thread(target=_pump, args=(process.stdout, lines), daemon=True).start()
    last = time.monotonic()
    while not stop.is_set():
        with contextlib.suppress(queue.Empty):
            line = lines.get(timeout=0.25)
            if line is None:
                return
            last = time.monotonic()
            key, _, value = line.decode("ascii", "replace").strip().partition("=")
            if key == "out_time_us" and value.isdigit():
                on_progress(int(value) / 1e6)
            elif key == "frame" and value.isdigit():
                frames[0] = int(value)
        if time.monotonic() - last > stall:
            process.kill()
            raise FFmpegTimeout(f"ffmpeg timed out: no progress for {stall:g} s")


def _pump(stream: IO[bytes], lines: queue.Queue[bytes | None]) -> None:
    try:
        for line in stream:
            lines.put(line)
    finally:
        lines.put(None)
