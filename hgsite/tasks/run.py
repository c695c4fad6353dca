"""Running one task: the pure function that a worker process, here or on another machine, calls.

The task's source (a photo, camera RAW or video reader) opens the file and reads its metadata; once it
knows the picture's shown size, the artifact kinds that have work to do say how large a frame they need;
the source decodes that frame once, and the kinds make their artifacts from it, in registry order.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from hgsite import kinds
from hgsite.cache.store import Artifact
from hgsite.extract import images, raw, video
from hgsite.tasks.frames import Decode, Make
from hgsite.tasks.model import Result, Task


@dataclass(frozen=True, slots=True)
class Source:
    """How items of one media type are read: the key of the metadata it reads, and its reader."""

    meta_key: str
    read: Callable[[Task, Make], Result]


SOURCES = {
    "image": Source(images.META_KEY, images.read_image),
    "video": Source(video.VIDEO_META_KEY, video.read_video),
    "raw": Source(raw.META_KEY, raw.read_raw),
    "raw-decode": Source(raw.DECODE_META_KEY, raw.read_raw_decoding),  # with raw.decode = true
}


def run_task(task: Task) -> Result:
    """Worker entry point: never raises for a bad file, returns the reason instead."""
    return SOURCES[task.source].read(task, functools.partial(make_artifacts, task))


def make_artifacts(task: Task, width: int, height: int, decode: Decode) -> tuple[Artifact, ...]:
    """Decode once, at the largest size a leading kind needs (a following kind's when none leads), and
    let each kind with wants make its artifacts from that frame."""
    work = [
        (kind, of_kind) for kind in kinds.KINDS if (of_kind := [w for w in task.wants if w.kind == kind.name])
    ]
    leading = [kind.need(width, height, wants) for kind, wants in work if kind.leads]
    following = [kind.need(width, height, wants) for kind, wants in work if not kind.leads]
    long_edge = max(leading, default=0) or max(following, default=0)
    if not long_edge:
        return ()
    frames = decode(long_edge)
    return tuple(artifact for kind, wants in work for artifact in kind.make(frames, wants, task))
