"""Run a function over many tasks in worker processes that may crash or hang without stopping the build.

A decoder can segfault on a hostile file or loop forever; a plain process pool then breaks or hangs.
Here each worker runs one task at a time, so the orchestrator always knows which file a dead or stuck
worker was on: it records that task as failed, replaces the worker and goes on with the rest.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.context import BaseContext
from multiprocessing.process import BaseProcess
from typing import Any, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# The pool already runs one worker per core, so the numeric libraries inside a worker must not start
# thread pools of their own: OpenBLAS threads (numpy's matmul of the similarity code) busy-wait after
# each call and take the core from the other worker's JPEG decoder. Read once, when a library loads.
SINGLE_THREADED = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


@dataclass(frozen=True, slots=True)
class Outcome(Generic[T, R]):
    """The result of one task, or why its worker gave none."""

    task: T
    result: R | None
    error: str | None = None
    lost: bool = False  # the worker crashed, hung or vanished: the task itself may well be fine


def _context() -> BaseContext:
    # The workers' environment, set before the first one starts: the forkserver is a new interpreter that
    # imports numpy afresh (with this environment), and spawned workers do the same. A value the user set
    # is kept. The orchestrator's own numpy is loaded already and keeps its threads.
    for name, value in SINGLE_THREADED.items():
        os.environ.setdefault(name, value)
    # fork is unsafe once the parent has threads (progress bars, hashing pools); forkserver is not.
    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("forkserver")
    return multiprocessing.get_context("spawn")


def _serve(conn: Connection, func: Callable[[Any], Any]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the orchestrator's business
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        try:
            conn.send((True, func(task)))
        except Exception as error:
            conn.send((False, f"{type(error).__name__}: {error}"))


class _Worker:
    def __init__(self, context: BaseContext, func: Callable[[Any], Any]) -> None:
        self.conn, child = context.Pipe()
        self.process: BaseProcess = context.Process(target=_serve, args=(child, func), daemon=True)  # type: ignore[attr-defined]
        self.process.start()
        child.close()
        self.task: Any = None
        self.started = 0.0

    @property
    def busy(self) -> bool:
        return self.task is not None

    def give(self, task: Any) -> None:
        self.task, self.started = task, time.monotonic()
        self.conn.send(task)

    def stop(self, force: bool = False) -> None:
        if not force:
            try:
                self.conn.send(None)
            except OSError:
                force = True
        if force and self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


def run_tasks(
    func: Callable[[T], R], tasks: Iterable[T], workers: int, timeout: float
) -> Iterator[Outcome[T, R]]:
    """Yield one Outcome per task, in completion order. func must be a picklable top-level function."""
    pending: deque[T] = deque(tasks)
    if not pending:
        return
    context = _context()
    pool = [_Worker(context, func) for _ in range(max(1, min(workers, len(pending))))]
    try:
        while pending or any(w.busy for w in pool):
            for worker in pool:
                if not worker.busy and pending:
                    worker.give(pending.popleft())
            yield from _collect(pool, context, func, timeout)
    finally:
        for worker in pool:
            worker.stop(force=bool(pending) or worker.busy)


def _collect(
    pool: list[_Worker], context: BaseContext, func: Callable[[Any], Any], timeout: float
) -> Iterator[Outcome[Any, Any]]:
    busy = [w for w in pool if w.busy]
    wait_for = max(0.0, min(w.started + timeout for w in busy) - time.monotonic())
    wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout=wait_for)
    for index, worker in enumerate(pool):
        if not worker.busy:
            continue
        outcome, lost = _poll(worker, timeout)
        if outcome is None:
            continue
        if lost:
            worker.stop(force=True)
            pool[index] = _Worker(context, func)
        else:
            worker.task = None
        yield outcome


def _poll(worker: _Worker, timeout: float) -> tuple[Outcome[Any, Any] | None, bool]:
    """The worker's outcome if it has one, and whether the worker is lost (dead or killed)."""
    task = worker.task
    if worker.conn.poll():
        try:
            ok, value = worker.conn.recv()
        except (EOFError, OSError):
            return Outcome(task, None, _death(worker), lost=True), True
        return (Outcome(task, value, None) if ok else Outcome(task, None, value)), False
    if not worker.process.is_alive():
        return Outcome(task, None, _death(worker), lost=True), True
    if time.monotonic() - worker.started > timeout:
        worker.process.kill()
        return Outcome(task, None, f"timed out after {timeout:g} s", lost=True), True
    return None, False


def _death(worker: _Worker) -> str:
    worker.process.join(timeout=5)
    code = worker.process.exitcode
    if code is not None and code < 0:
        try:
            return f"decoder crashed ({signal.Signals(-code).name})"
        except ValueError:
            return f"decoder crashed (signal {-code})"
    return f"worker exited unexpectedly (exit code {code})"
