"""give_back(): return memory that a stage freed to the system.

glibc keeps freed heap memory for later use; after a stage with large temporaries (the near-duplicate
pass, the GeoNames data) that is 100 MB or more at 100,000 items, and the many small objects of the
stages after it come from Python's own allocator, which never reuses it.
"""

from __future__ import annotations

import contextlib
import ctypes


def give_back() -> None:
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).malloc_trim(0)  # glibc; elsewhere there is nothing to do
