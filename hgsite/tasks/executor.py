"""Executors run tasks and yield their results, in completion order; the stages do not know which one.

The local process pool is the default. Another executor (a cluster's) is one more class with the same
`run`: tasks and results are plain data, and only the coordinating process touches the manifest.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Protocol

from hgsite.config import Config
from hgsite.tasks.model import Result, Task
from hgsite.tasks.run import run_task
from hgsite.workers import run_tasks


class Executor(Protocol):
    def run(self, tasks: Sequence[Task]) -> Iterator[Result]: ...


def executor_for(config: Config) -> Executor:
    """The cluster's when the settings name a scheduler; else worker processes on this machine."""
    if config.cluster.scheduler:
        from hgsite.tasks.cluster import DaskCluster

        cluster = config.cluster
        return DaskCluster(
            cluster.scheduler, cluster.paths, cluster.batch, config.workers, config.limits.timeout
        )
    return LocalPool(config.workers, config.limits.timeout)


class LocalPool:
    """Worker processes on this machine (hgsite.workers), one task at a time each: a decoder that
    crashes or hangs costs its own file only, and that failure is transient (tried again next build)."""

    def __init__(self, workers: int, timeout: float) -> None:
        self.workers, self.timeout = workers, timeout

    def run(self, tasks: Sequence[Task]) -> Iterator[Result]:
        for outcome in run_tasks(run_task, tasks, self.workers, self.timeout):
            if outcome.result is not None:
                yield outcome.result
            else:
                yield Result(outcome.task.sha1, error=outcome.error, transient=outcome.lost)
