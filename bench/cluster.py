"""Cluster scaling: the per-item work of a cold build on a Dask cluster of one worker, then of two.

    python bench/cluster.py            # prints the figures
    python bench/cluster.py --json     # only the figures, as JSON (bench/run.py)

A scheduler and the workers are started from the installed `dask` command on this machine, each worker
with one thread, as one core of a machine each. The input is the example gallery's 38 photos, copied
three times with a byte changed so that each copy is an item of its own (114 photos). Measured: the
extract stage's items per second with 1 and with 2 workers (the efficiency is the 2-worker rate over
twice the 1-worker rate), and the cost the cluster adds per task: the same cheap tasks (a photo's
header and metadata, no pixels) run through the cluster and in this process, the difference per task.
Two workers on one 2-core machine share its memory bandwidth and its disk: what two machines would do
is at least this.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import WORK, Figure

from hgsite.build import build
from hgsite.config import Overrides, load_config
from hgsite.index import IMAGE_EXTENSIONS
from hgsite.tasks.cluster import DaskCluster
from hgsite.tasks.model import Limits, Task
from hgsite.tasks.run import run_task
from hgsite.workers import SINGLE_THREADED

REPO = Path(__file__).resolve().parents[1]
DASK = Path(sys.executable).with_name("dask")
COPIES = 3


def photos(folder: Path) -> list[Path]:
    """The example's photos, COPIES times, each copy with other bytes (a changed trailing byte)."""
    shutil.rmtree(folder, ignore_errors=True)
    made = []
    for source in sorted((REPO / "content-example" / "photos").rglob("*")):
        if source.suffix.lower() not in IMAGE_EXTENSIONS:
            continue
        for copy in range(COPIES):
            target = folder / f"{copy}" / source.name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read_bytes() + bytes([copy]))
            made.append(target)
    return made


def _port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Cluster:
    def __init__(self, workers: int, folder: Path) -> None:
        self.address = f"tcp://127.0.0.1:{_port()}"
        env = {**os.environ, **SINGLE_THREADED}
        port = self.address.rsplit(":", 1)[1]
        self.processes = [
            self._start(["scheduler", "--host", "127.0.0.1", "--port", port, "--no-dashboard"], env)
        ]
        for number in range(workers):
            args = ["worker", self.address, "--nworkers", "1", "--nthreads", "1", "--no-dashboard"]
            self.processes.append(self._start([*args, "--local-directory", str(folder / f"w{number}")], env))
        from distributed import Client

        with Client(self.address, timeout=30) as client:
            client.wait_for_workers(workers, timeout=60)

    def _start(self, args: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
        return subprocess.Popen([str(DASK), *args], env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True)  # fmt: skip

    def stop(self) -> None:
        for process in reversed(self.processes):
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)


def extract_rate(workers: int, folder: Path) -> tuple[float, float]:
    """Items per second of the extract stage of a cold build on `workers` workers; and its seconds."""
    project = folder / f"project-{workers}"
    shutil.rmtree(project, ignore_errors=True)
    project.mkdir(parents=True)
    cluster = Cluster(workers, folder)
    try:
        overrides = Overrides(
            sources=(str(folder / "photos"),), output=str(project / "site"), cluster=cluster.address
        )
        os.chdir(project)
        report = build(load_config(None, overrides))
    finally:
        cluster.stop()
    seconds = report.seconds["extract"]
    return report.extracted / seconds, seconds


def overhead(files: list[Path], folder: Path) -> tuple[float, float]:
    """Seconds per task that the cluster adds (1 worker, default batches), and the in-process cost."""
    cache = folder / "overhead-cache"
    cache.mkdir(exist_ok=True)
    tasks = [
        Task(f"{n:040x}", str(p), str(cache), "image", True, (), Limits(10**9, 120))
        for n, p in enumerate(files)
    ]
    for task in tasks[:3]:
        run_task(task)  # imports and first-call costs, as a worker pays them once
    started = time.perf_counter()
    for task in tasks:
        run_task(task)
    local = (time.perf_counter() - started) / len(tasks)
    cluster = Cluster(1, folder)
    try:
        executor = DaskCluster(cluster.address, {}, 200, 1, 120)
        list(executor.run(tasks[:3]))  # the worker's imports
        started = time.perf_counter()
        results = list(executor.run(tasks))
        remote = (time.perf_counter() - started) / len(tasks)
    finally:
        cluster.stop()
    assert all(result.error is None for result in results), results
    return remote - local, local


def measure() -> list[Figure]:
    folder = Path(tempfile.mkdtemp(dir=WORK if WORK.is_dir() else None, prefix="cluster-"))
    try:
        files = photos(folder / "photos")
        one, one_s = extract_rate(1, folder)
        two, two_s = extract_rate(2, folder)
        added, local = overhead(files, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    efficiency = two / (2 * one)
    note = f"{len(files)} photos (the example's, {COPIES} copies); extract stage {one_s:.1f} s with 1 worker, {two_s:.1f} s with 2"
    return [
        Figure("cluster", "items per second, 1 worker", one, "items/s", note=note),
        Figure(
            "cluster",
            "items per second, 2 workers",
            two,
            "items/s",
            "1 worker, same run",
            one,
            two / one,
            ">= 1.8x (2 machines)",
            two / one >= 1.8,
            note=f"efficiency {efficiency:.0%}; two workers on one 2-core machine share it",
        ),
        Figure(
            "cluster",
            "cost the cluster adds per task (batches of up to 200)",
            added * 1000,
            "ms",
            "the task in this process",
            local * 1000,
            added / local if local else None,
            note="header and metadata of one photo, no pixels: the cheapest task there is",
        ),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true", help="only the figures, as JSON")
    args = parser.parse_args()
    figures = measure()
    if args.json:
        print(json.dumps([figure.to_json() for figure in figures]))
    else:
        for figure in figures:
            print(f"{figure.name}: {figure.value:.3g} {figure.unit}  {figure.note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
