"""Task functions for the worker tests; worker processes import them by module name."""

from __future__ import annotations

import os
import signal
import sys
import time
from typing import Any


def work(task: Any) -> Any:
    """("ok", x) -> x * 2; other tags misbehave in the ways a decoder can."""
    tag, value = task
    if tag == "ok":
        return value * 2
    if tag == "sleep":
        time.sleep(value)
        return "woke up"
    if tag == "raise":
        raise ValueError(f"bad input {value}")
    if tag == "segv":
        os.kill(os.getpid(), signal.SIGSEGV)
        time.sleep(10)
    if tag == "exit":
        os._exit(value)
    if tag == "sysexit":
        sys.exit(value)
    if tag == "unpicklable":
        return lambda: value
    if tag == "pid":
        return os.getpid()
    if tag == "threads":  # what a worker's numeric libraries are told, and its threads after a matmul
        import numpy

        numpy.ones((value, value)) @ numpy.ones((value, value))
        names = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
        return {name: os.environ.get(name) for name in names}, len(os.listdir("/proc/self/task"))
    raise AssertionError(f"unknown tag {tag}")
