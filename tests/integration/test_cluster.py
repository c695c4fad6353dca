"""Builds on a real Dask cluster: a scheduler and two workers started from the installed `dask` command,
each in a folder of its own as separate machines would be. The cluster's build is the local build."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hgsite.build import build
from hgsite.config import Overrides, load_config
from hgsite.errors import ConfigError, HgsiteError
from hgsite.tasks.cluster import batch_size, mapped
from hgsite.workers import SINGLE_THREADED

pytest.importorskip("distributed", reason="the optional extra hgsite[cluster] is not installed")

REPO = Path(__file__).resolve().parents[2]
DASK = Path(sys.executable).with_name("dask")
pytestmark = pytest.mark.timeout(600)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Cluster:
    def __init__(self, root: Path) -> None:
        self.address = f"tcp://127.0.0.1:{free_port()}"
        self.root = root
        self.env = {**os.environ, **SINGLE_THREADED}
        self.processes: list[subprocess.Popen[bytes]] = []
        self.workers: list[subprocess.Popen[bytes]] = []

    def start(self, workers: int) -> None:
        port = self.address.rsplit(":", 1)[1]
        self._spawn("scheduler", ["scheduler", "--host", "127.0.0.1", "--port", port, "--no-dashboard"])
        for number in range(workers):
            args = ["worker", self.address, "--nworkers", "1", "--nthreads", "1", "--no-dashboard"]
            args += ["--local-directory", str(self.root / f"machine-{number}")]
            self.workers.append(self._spawn(f"machine-{number}", args))
        from distributed import Client

        with Client(self.address, timeout=30) as client:
            client.wait_for_workers(workers, timeout=60)

    def _spawn(self, name: str, args: list[str]) -> subprocess.Popen[bytes]:
        folder = self.root / name
        folder.mkdir(parents=True, exist_ok=True)
        log = (folder / "log").open("wb")
        process = subprocess.Popen(
            [str(DASK), *args], cwd=folder, env=self.env, stdout=log, stderr=log, start_new_session=True
        )
        self.processes.append(process)
        return process

    def kill(self, process: subprocess.Popen[bytes]) -> None:
        """The machine goes away: the worker, its nanny and all."""
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    running = Cluster(tmp_path / "cluster")
    running.start(2)
    try:
        yield running
    finally:
        running.stop()


def example(folder: Path) -> Path:
    shutil.copytree(REPO / "content-example", folder, ignore=shutil.ignore_patterns("site", ".hgsite"))
    return folder


def database(site: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(gzip.decompress((site / "data" / "database.json.gz").read_bytes()))
    document.pop("created")
    return document


def test_the_cluster_builds_the_local_gallery(cluster: Cluster, tmp_path: Path) -> None:
    project = example(tmp_path / "example")
    local = build(load_config(project / "hgsite.toml", Overrides(jobs=2, output=str(project / "local"))))
    shutil.rmtree(project / ".hgsite")
    remote = build(
        load_config(
            project / "hgsite.toml", Overrides(output=str(project / "remote"), cluster=cluster.address)
        )
    )
    assert not remote.failures and remote.entries == local.entries == 40
    assert database(project / "remote") == database(project / "local")
    assert len(remote.workers) == 2 and sum(remote.workers.values()) == 40, remote.workers
    assert all(count > 0 for count in remote.workers.values()), "both workers did work"


def test_a_worker_that_dies_mid_build_loses_nothing(cluster: Cluster, tmp_path: Path) -> None:
    project = example(tmp_path / "example")
    files = project / ".hgsite" / "files"

    def kill_when_working() -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and len(list(files.rglob("*.jpg"))) < 6:
            time.sleep(0.05)
        cluster.kill(cluster.workers[0])

    killer = threading.Thread(target=kill_when_working)
    killer.start()
    report = build(load_config(project / "hgsite.toml", Overrides(cluster=cluster.address)))
    killer.join()
    assert cluster.workers[0].poll() is not None, "the worker was killed during the build"
    assert report.entries == 40 and not report.failures and report.unfinished == 0


def test_a_worker_that_cannot_see_the_files_says_so(cluster: Cluster, tmp_path: Path) -> None:
    project = example(tmp_path / "example")
    (project / "hgsite.toml").write_text(
        'sources = ["photos/nature"]\n[cluster]\npaths = {"%s" = "/nowhere/photos"}\n' % (project / "photos")
    )
    report = build(load_config(project / "hgsite.toml", Overrides(cluster=cluster.address)))
    assert report.failures and report.entries == 0
    assert all("cannot see the file at /nowhere/photos/nature/" in f.reason for f in report.failures)
    assert report.unfinished == len(report.failures), "tried again by the next build, once mapped"


def test_an_unreachable_scheduler_is_one_clear_error(tmp_path: Path) -> None:
    project = example(tmp_path / "example")
    address = f"tcp://127.0.0.1:{free_port()}"
    with pytest.raises(HgsiteError, match=f"cannot reach the Dask scheduler at {address}"):
        build(load_config(project / "hgsite.toml", Overrides(cluster=address)))


def test_paths_are_mapped_by_the_longest_folder() -> None:
    paths = {"/home/me/Pictures": "/mnt/pictures", "/home/me/Pictures/phone": "/mnt/phone"}
    assert mapped("/home/me/Pictures/2019/a.jpg", paths) == "/mnt/pictures/2019/a.jpg"
    assert mapped("/home/me/Pictures/phone/b.jpg", paths) == "/mnt/phone/b.jpg"
    assert mapped("/home/me/Pictures2/c.jpg", paths) == "/home/me/Pictures2/c.jpg"
    assert mapped("/home/me/Pictures", paths) == "/mnt/pictures"


def test_batches_give_each_thread_several_and_none_too_many() -> None:
    assert batch_size(40, 2, 200) == 5
    assert batch_size(100_000, 2, 200) == 200
    assert batch_size(3, 16, 200) == 1


def test_the_cluster_settings_are_checked(tmp_path: Path) -> None:
    (tmp_path / "hgsite.toml").write_text(
        '[cluster]\nscheduler = "nas:8786"\nbatch = 0\npaths = {"photos" = "/mnt/photos", "/a" = 3}\n'
    )
    with pytest.raises(ConfigError) as raised:
        load_config(tmp_path / "hgsite.toml")
    problems = str(raised.value)
    assert "'cluster.scheduler' must be an address such as tcp://nas:8786" in problems
    assert "'cluster.paths' must be a table of strings" in problems
    assert "'cluster.batch' must be between 1 and 10000" in problems
    (tmp_path / "hgsite.toml").write_text(
        '[cluster]\nscheduler = "tcp://nas:8786"\npaths = {"/p" = "/mnt/p"}\n'
    )
    config = load_config(tmp_path / "hgsite.toml")
    assert (config.cluster.scheduler, config.cluster.paths, config.cluster.batch) == (
        "tcp://nas:8786",
        {"/p": "/mnt/p"},
        200,
    )


def test_the_command_line_builds_on_the_cluster_and_says_who_worked(cluster: Cluster, tmp_path: Path) -> None:
    project = example(tmp_path / "example")
    args = [sys.executable, "-m", "hgsite", "build", "photos/nature", "--cluster", cluster.address]
    done = subprocess.run(args, cwd=project, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    (line,) = [text for text in done.stderr.splitlines() if "items made by the cluster's workers" in text]
    counts = [int(part.rsplit(" ", 1)[1]) for part in line.split(": ", 1)[1].split(", ")]
    assert sum(counts) == len(list((project / "photos" / "nature").iterdir())) == 12 and len(counts) == 2
