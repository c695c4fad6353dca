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
    raise AssertionError(f"unknown tag {tag}")
