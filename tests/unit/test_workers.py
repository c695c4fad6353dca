"""hgsite.workers.run_tasks: results, crashes, hangs and exceptions, each pinned to its task.

The task function lives in worker_funcs.py beside this file: the worker processes (forkserver on
Linux) unpickle it by module name, which works because pytest puts this folder on sys.path.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import time

import pytest
import worker_funcs
from worker_funcs import work

from hgsite import workers
from hgsite.workers import Outcome, run_tasks

pytestmark = pytest.mark.timeout(60)


def outcomes(tasks: list[tuple[str, object]], jobs: int = 2, timeout: float = 20) -> dict[object, Outcome]:
    result = {o.task: o for o in run_tasks(work, tasks, jobs, timeout)}
    assert len(result) == len(tasks), result
    return result


def test_forkserver_is_used_on_linux() -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("Linux only")
    assert workers._context().get_start_method() == "forkserver"


def test_workers_run_numeric_libraries_single_threaded() -> None:
    """One worker per core: a BLAS thread pool in each worker would busy-wait on the other's core."""
    if not sys.platform.startswith("linux"):
        pytest.skip("counts threads in /proc")
    preset = {name: v for name, v in os.environ.items() if name in workers.SINGLE_THREADED and v != "1"}
    if preset:
        pytest.skip(f"the environment asks for threads: {preset}")
    found = outcomes([("threads", 300)], jobs=1)[("threads", 300)].result
    assert found is not None, "the worker gave no result"
    settings, threads = found
    assert settings == workers.SINGLE_THREADED
    assert threads == 1


def test_task_module_is_importable_by_name() -> None:
    assert work.__module__ == "worker_funcs"
    assert worker_funcs.work is work


def test_results_for_all_tasks() -> None:
    tasks = [("ok", n) for n in range(7)]
    result = outcomes(tasks, jobs=3)
    assert {task: o.result for task, o in result.items()} == {("ok", n): n * 2 for n in range(7)}
    assert all(o.error is None for o in result.values())


def test_no_tasks_starts_nothing() -> None:
    assert list(run_tasks(work, [], 4, 1.0)) == []


def test_one_worker_runs_tasks_in_turn() -> None:
    result = outcomes([("pid", 1), ("pid", 2), ("pid", 3)], jobs=1)
    assert len({o.result for o in result.values()}) == 1


def test_exception_is_reported_with_its_message() -> None:
    result = outcomes([("raise", 7), ("ok", 1)])
    assert result[("raise", 7)].result is None
    assert result[("raise", 7)].error == "ValueError: bad input 7"
    assert result[("ok", 1)].result == 2
    assert result[("ok", 1)].error is None


def test_segfault_is_reported_and_others_succeed() -> None:
    tasks = [("ok", 1), ("segv", 0), ("ok", 2), ("ok", 3), ("ok", 4)]
    result = outcomes(tasks, jobs=2)
    assert result[("segv", 0)].result is None
    assert result[("segv", 0)].error == "decoder crashed (SIGSEGV)"
    for n in range(1, 5):
        assert result[("ok", n)].result == n * 2
        assert result[("ok", n)].error is None


def test_os_exit_is_reported_and_others_succeed() -> None:
    tasks = [("exit", 3), ("ok", 1), ("ok", 2)]
    result = outcomes(tasks, jobs=1)  # one worker: the replacement must take over the rest
    assert result[("exit", 3)].result is None
    assert result[("exit", 3)].error == "worker exited unexpectedly (exit code 3)"
    assert result[("ok", 1)].result == 2
    assert result[("ok", 2)].result == 4


def test_sys_exit_in_a_task_does_not_stop_the_run() -> None:
    result = outcomes([("sysexit", 5), ("ok", 1)], jobs=1)
    assert result[("sysexit", 5)].error == "worker exited unexpectedly (exit code 5)"
    assert result[("ok", 1)].result == 2


def test_crashed_worker_is_replaced() -> None:
    tasks = [("pid", 1), ("segv", 0), ("pid", 2)]
    result = outcomes(tasks, jobs=1)
    assert result[("segv", 0)].error is not None
    assert result[("pid", 1)].result != result[("pid", 2)].result


def test_unpicklable_result_is_an_error() -> None:
    result = outcomes([("unpicklable", 1), ("ok", 1)], jobs=1)
    assert result[("unpicklable", 1)].result is None
    assert "pickle" in (result[("unpicklable", 1)].error or "")
    assert result[("ok", 1)].result == 2


def test_timeout_is_reported_and_others_succeed() -> None:
    tasks = [("sleep", 30), ("ok", 1), ("ok", 2), ("ok", 3)]
    start = time.monotonic()
    result = outcomes(tasks, jobs=2, timeout=2)
    elapsed = time.monotonic() - start
    assert result[("sleep", 30)].result is None
    assert result[("sleep", 30)].error == "timed out after 2 s"
    for n in (1, 2, 3):
        assert result[("ok", n)].result == n * 2
    assert elapsed < 15
    assert multiprocessing.active_children() == []


def test_mixed_failures_in_one_run() -> None:
    tasks = [("ok", 1), ("raise", 2), ("segv", 3), ("exit", 4), ("sleep", 30), ("ok", 5)]
    result = outcomes(tasks, jobs=2, timeout=3)
    assert result[("ok", 1)].result == 2
    assert result[("ok", 5)].result == 10
    assert result[("raise", 2)].error == "ValueError: bad input 2"
    assert result[("segv", 3)].error == "decoder crashed (SIGSEGV)"
    assert result[("exit", 4)].error == "worker exited unexpectedly (exit code 4)"
    assert result[("sleep", 30)].error == "timed out after 3 s"


def test_stopping_early_leaves_no_worker_behind() -> None:
    tasks = [("ok", 1)] + [("sleep", 30)] * 3
    results = run_tasks(work, tasks, 2, 60)
    first = next(results)
    assert first.result == 2
    results.close()  # the consumer gives up (Ctrl-C, error): busy workers are killed
    deadline = time.monotonic() + 10
    while multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert multiprocessing.active_children() == []
