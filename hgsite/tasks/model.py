"""A task and its result: plain, picklable data that crosses process (and machine) boundaries.

A task names one content (sha1), one readable path of it, the source that decodes it and the artifacts
wanted of it; tasks/run.py makes them in any process that sees the file and the cache folder. The
result carries what was made, or why nothing could be, and whether trying again later may help.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hgsite.cache.store import Artifact
from hgsite.config import LimitSettings


@dataclass(frozen=True, slots=True)
class Want:
    """One artifact to make: its kind (kinds/__init__.py), its manifest name and key, its parameters."""

    kind: str
    name: str
    key: str
    params: Any = None  # the kind's own picklable parameters (a PreviewSpec, ...)


@dataclass(frozen=True, slots=True)
class Limits:
    """What a task may spend."""

    max_pixels: int
    timeout: float  # seconds for the whole task
    ffmpeg: str = ""  # the ffmpeg program, for video sources

    @classmethod
    def of(cls, settings: LimitSettings, ffmpeg: str = "") -> Limits:
        return cls(int(settings.max_megapixels * 1e6), settings.timeout, ffmpeg)


@dataclass(frozen=True, slots=True)
class Task:
    sha1: str
    path: str
    cache: str
    source: str  # how the file is read and decoded: "image", "raw", "video", ... (tasks/run.py SOURCES)
    meta: bool  # read the metadata too (none stored, or made by an older reader)
    wants: tuple[Want, ...]
    limits: Limits


@dataclass(frozen=True, slots=True)
class Result:
    """What a task made: metadata (its key and fields) and artifacts; or why it failed."""

    sha1: str
    meta: tuple[str, dict[str, Any]] | None = None
    artifacts: tuple[Artifact, ...] = ()
    error: str | None = None
    transient: bool = False  # the failure may not happen again (a crash, a timeout): not remembered
    worker: str = ""  # the cluster worker that ran it (empty: this machine)
