"""What the build does about memory beyond releasing each stage's inputs.

give_back() returns memory that a stage freed to the system: glibc keeps freed heap memory for later
use; after a stage with large temporaries (the near-duplicate pass, the GeoNames data) that is 100 MB or
more at 100,000 items, and the many small objects of the stages after it come from Python's own
allocator, which never reuses it. collector_paused() keeps Python's cycle collector off for a build.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
from collections.abc import Iterator


def give_back() -> None:
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).malloc_trim(0)  # glibc; elsewhere there is nothing to do


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector off: a build makes few cycles but hundreds of thousands of small objects
    (records, rows, entries), and each collection walks them all again (2 s of a 100k rebuild)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
