"""The project lock: one hgsite process works on a project's cache at a time; a second is refused."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from hgsite.cache.layout import lock_file
from hgsite.errors import LockedError


@contextlib.contextmanager
def project_lock(cache_root: Path) -> Iterator[None]:
    """Hold the project's lock for the duration; a second hgsite on the same project is refused."""
    cache_root.mkdir(parents=True, exist_ok=True)
    path = lock_file(cache_root)
    with path.open("a+") as handle:
        if not _try_lock(handle):
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise LockedError(f"{cache_root}: another hgsite process is working on this project ({holder})")
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        yield


def _try_lock(handle: IO[str]) -> bool:
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True
