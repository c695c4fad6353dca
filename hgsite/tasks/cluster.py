"""The Dask executor: tasks run in batches on the workers of a Dask distributed cluster.

The coordinating process keeps the index and the manifest (SQLite stays on the local disk: it is not
safe on network file systems); workers read the originals and write artifacts into the shared cache
folder with the same content-addressed atomic writes as local workers. Where a worker mounts the
sources or the cache at other paths, `paths` maps the coordinator's folders to the workers'.

A batch whose worker dies is run again by Dask on another worker; a batch that keeps killing workers
(a file that crashes its decoder) is run here, in the local process pool, which isolates each file.
Needs the optional extra: pip install 'hgsite[cluster]' (dask and distributed), on every machine.
"""

from __future__ import annotations

import dataclasses
import math
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import hgsite
from hgsite.errors import HgsiteError
from hgsite.tasks.executor import LocalPool
from hgsite.tasks.model import Result, Task
from hgsite.tasks.run import run_task

BATCHES_PER_THREAD = 4  # enough batches that a slow worker does not hold up the end of the build


@dataclass(frozen=True, slots=True)
class Batch:
    """Tasks for one worker, with the paths already as the workers see them."""

    tasks: tuple[Task, ...]
    version: str  # the coordinator's hgsite: a worker running another one would make other artifacts


def run_batch(batch: Batch) -> tuple[str, list[Result]]:
    """On a worker: run the batch's tasks; (the worker's address, their results)."""
    from distributed import get_worker

    where = get_worker().address
    if batch.version != hgsite.__version__:
        reason = f"worker {where} runs hgsite {hgsite.__version__}, the build {batch.version}"
        return where, [Result(task.sha1, error=reason, transient=True) for task in batch.tasks]
    return where, [dataclasses.replace(_run_visible(task, where), worker=where) for task in batch.tasks]


def _run_visible(task: Task, where: str) -> Result:
    for path, what in ((task.cache, "the cache folder"), (task.path, "the file")):
        if not Path(path).exists():
            reason = f"worker {where} cannot see {what} at {path} (map it with [cluster] paths)"
            return Result(task.sha1, error=reason, transient=True)
    return run_task(task)


def batch_size(tasks: int, threads: int, largest: int) -> int:
    """About BATCHES_PER_THREAD batches per worker thread, at most `largest` tasks each."""
    return max(1, min(largest, math.ceil(tasks / max(1, threads * BATCHES_PER_THREAD))))


def mapped(path: str, paths: Mapping[str, str]) -> str:
    """`path` as the workers see it: the longest mapped folder it lies in replaced by the workers' one."""
    for local in sorted(paths, key=len, reverse=True):
        if path == local or path.startswith(local.rstrip(os.sep) + os.sep):
            return paths[local] + path[len(local.rstrip(os.sep)) :]
    return path


class DaskCluster:
    """Runs tasks on the cluster whose scheduler listens at `scheduler` (tcp://host:8786)."""

    def __init__(
        self, scheduler: str, paths: Mapping[str, str], largest_batch: int, workers: int, timeout: float
    ) -> None:
        self.scheduler, self.paths, self.largest_batch = scheduler, dict(paths), largest_batch
        self.fallback = LocalPool(workers, timeout)

    def run(self, tasks: Sequence[Task]) -> Iterator[Result]:
        if not tasks:
            return
        client = self._connect()
        futures: list[Any] = []
        try:
            threads = sum(w["nthreads"] for w in client.scheduler_info()["workers"].values())
            size = batch_size(len(tasks), threads, self.largest_batch)
            batches = [self._batch(tasks[start : start + size]) for start in range(0, len(tasks), size)]
            futures = client.map(run_batch, batches, pure=False)
            yield from self._collect(client, futures, dict(zip(futures, tasks_of(tasks, size), strict=True)))
        finally:
            client.cancel(futures)
            client.close()

    def _connect(self) -> Any:
        try:
            from distributed import Client
        except ImportError:
            raise HgsiteError("a cluster build needs dask: pip install 'hgsite[cluster]'") from None
        try:
            return Client(self.scheduler, timeout=10, set_as_default=False)  # type: ignore[no-untyped-call]
        except (OSError, TimeoutError) as error:
            raise HgsiteError(f"cannot reach the Dask scheduler at {self.scheduler}: {error}") from None

    def _batch(self, tasks: Sequence[Task]) -> Batch:
        moved = tuple(
            dataclasses.replace(
                task, path=mapped(task.path, self.paths), cache=mapped(task.cache, self.paths)
            )
            for task in tasks
        )
        return Batch(moved, hgsite.__version__)

    def _collect(self, client: Any, futures: list[Any], local: dict[Any, Sequence[Task]]) -> Iterator[Result]:
        from distributed import KilledWorker, as_completed

        for future in as_completed(futures, loop=client.loop):  # type: ignore[no-untyped-call]
            try:
                _, results = future.result()
            except KilledWorker:  # a file that crashes its decoder: each file of the batch on its own here
                yield from self.fallback.run(local[future])
                continue
            yield from results


def tasks_of(tasks: Sequence[Task], size: int) -> list[Sequence[Task]]:
    """The coordinator's own tasks (its paths), batch by batch, for running a batch here instead."""
    return [tasks[start : start + size] for start in range(0, len(tasks), size)]
