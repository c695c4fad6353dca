"""What every benchmark shares: timing a command with its peak memory, the machine, sigal, the figures.

A figure is one measurement set against a baseline measured in the same run (absolute times drift on a
shared machine; ratios drift much less), with the target it is held to.
"""

from __future__ import annotations

import dataclasses
import json
import os
import platform
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
WORK = Path(os.environ.get("HGSITE_BENCH_DIR", "/tmp/hgsite-bench"))  # inputs and outputs, never the repo
SIGAL_VENV = WORK / "sigal-venv"


@dataclass
class Figure:
    """One row of the table: `value` of hgsite, and where it makes sense a baseline and the target."""

    part: str  # e.g. "previews", "no-op rebuild"
    name: str  # what is measured, e.g. "images per second, 2 workers"
    value: float
    unit: str
    baseline: str = ""  # what it is compared with, e.g. "sigal 2.5 cold build"
    baseline_value: float | None = None
    ratio: float | None = None  # the figure the target is about (value / baseline, or inverse)
    target: str = ""  # e.g. ">= 5x", "<= 3 s"
    met: bool | None = None
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass
class Run:
    seconds: float
    peak_rss_mb: float  # of the command's own process tree's largest process (ru_maxrss of the waited child)
    stdout: str
    stderr: str
    returncode: int


def run(
    args: list[str], cwd: Path | None = None, env: dict[str, str] | None = None, check: bool = True
) -> Run:
    """Run a command; wall time and peak RSS (from wait4: the command's own largest process).

    The command is started by a small helper process, not by the benchmark itself: Linux carries a
    parent's peak RSS over fork and exec into the child's ru_maxrss, and the benchmark holds large
    inputs (the 100k features, decoded corpus photos), which would show as the command's peak."""
    request = {"args": args, "cwd": str(cwd) if cwd else None, "env": {**os.environ, **(env or {})}}
    helper = _helper()
    assert helper.stdin is not None and helper.stdout is not None
    helper.stdin.write(json.dumps(request) + "\n")
    helper.stdin.flush()
    answer = json.loads(helper.stdout.readline())
    result = Run(answer["seconds"], answer["maxrss_kib"] * 1024 / 1e6, answer["out"], answer["err"],
                 answer["returncode"])  # fmt: skip  # MB of 10^6 bytes, as the targets say
    if check and result.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:3])}... exited {result.returncode}: {result.stderr[-2000:]}")
    return result


_HELPER_CODE = """
import json, os, subprocess, sys, threading, time
for line in sys.stdin:
    request = json.loads(line)
    start = time.perf_counter()
    process = subprocess.Popen(request["args"], cwd=request["cwd"], env=request["env"],
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    chunks = {}
    def drain(name, stream):
        chunks[name] = stream.read()
    readers = [threading.Thread(target=drain, args=pipe) for pipe in (("out", process.stdout), ("err", process.stderr))]
    for reader in readers:
        reader.start()
    _, status, usage = os.wait4(process.pid, 0)  # communicate() would reap it and lose its rusage
    seconds = time.perf_counter() - start
    for reader in readers:
        reader.join()
    answer = {"seconds": seconds, "maxrss_kib": usage.ru_maxrss, "returncode": os.waitstatus_to_exitcode(status),
              "out": chunks["out"].decode(errors="replace"), "err": chunks["err"].decode(errors="replace")}
    print(json.dumps(answer), flush=True)
"""
_HELPER: subprocess.Popen[str] | None = None


def _helper() -> subprocess.Popen[str]:
    global _HELPER
    if _HELPER is None or _HELPER.poll() is not None:
        _HELPER = subprocess.Popen(
            [sys.executable, "-c", _HELPER_CODE], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
    return _HELPER


def best_of(count: int, args: list[str], **kwargs: Any) -> Run:
    """The fastest of `count` runs (the machine is shared: the fastest is the least disturbed)."""
    runs = [run(args, **kwargs) for _ in range(count)]
    return min(runs, key=lambda r: r.seconds)


def hgsite_command() -> list[str]:
    """hgsite of this checkout, run by the Python running the benchmark."""
    return [sys.executable, "-m", "hgsite"]


def sigal_python() -> str | None:
    """A Python with sigal 2.x in a venv of its own (made on first use; PyPI is needed once)."""
    python = SIGAL_VENV / "bin" / "python"
    if not python.exists():
        WORK.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "venv", str(SIGAL_VENV)], check=True)
        made = subprocess.run([str(python), "-m", "pip", "install", "-q", "sigal>=2,<3"], check=False)
        if made.returncode != 0:
            shutil.rmtree(SIGAL_VENV, ignore_errors=True)
            return None
    return str(python)


def sigal_version() -> str:
    python = sigal_python()
    if python is None:
        return "not installed"
    found = subprocess.run(
        [python, "-c", "import sigal; print(sigal.__version__)"], capture_output=True, text=True
    )
    return found.stdout.strip()


def _first_line(args: list[str]) -> str:
    try:
        found = subprocess.run(args, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return "not found"
    return (found.stdout or found.stderr).strip().splitlines()[0] if (found.stdout or found.stderr) else "?"


def _ffmpeg_origin(path: str) -> str:
    return "the imageio-ffmpeg wheel" if "imageio_ffmpeg" in path else "the system's"


def machine() -> dict[str, str]:
    """What the figures were measured on."""
    import numpy
    import onnxruntime
    import PIL
    from PIL import features

    from hgsite import ffmpeg

    names = [line for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")]
    model = names[0].split(":", 1)[1].strip() if names else "?"
    memory = int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024
    found = ffmpeg.find_ffmpeg()
    return {
        "cpu": f"{model}, {len(os.sched_getaffinity(0))} cores usable",
        "memory": f"{memory:.0f} GiB",
        "system": f"{platform.system()} {platform.release()} ({platform.machine()})",
        "python": platform.python_version(),
        "pillow": f"{PIL.__version__} (libjpeg-turbo {features.version('libjpeg_turbo') or 'no'})",
        "numpy": numpy.__version__,
        "onnxruntime": onnxruntime.__version__,
        "ffmpeg": f"{found.version} ({_ffmpeg_origin(found.path)})" if found else "none",
        "chromium": _first_line(["chromium", "--version"]),
        "sigal": sigal_version(),
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }
