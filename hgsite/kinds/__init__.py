"""Artifact kinds: what a task can make of one item, registered here, in the order they run.

A kind is one module with a class that says which sources it applies to, what the settings want of it
(`wants`: one Want per artifact, its parameters part of the key), which of those an item lacks
(`stale`), the long edge it needs decoded (`need`), and how it makes them from the decoded frames
(`make`, in a worker process: writes files atomically into the cache, returns manifest rows). A kind
that `leads` decides the decode size; the others take what the leading kinds made (and decide it only
when none of those has work to do). docs/architecture.md has the recipe for a new kind.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from hgsite.cache.store import Artifact
from hgsite.config import Config
from hgsite.kinds.embedding import Embedding
from hgsite.kinds.poster import Posters
from hgsite.kinds.preview import Previews
from hgsite.tasks.frames import Frames
from hgsite.tasks.model import Task, Want


class Kind(Protocol):
    name: str
    sources: tuple[str, ...]  # the task sources it applies to: "image", "raw", "video"
    leads: bool
    version: int  # part of the key under which a failure is remembered

    def wants(self, config: Config) -> tuple[Want, ...]: ...

    def stale(
        self,
        sha1: str,
        wants: Sequence[Want],
        fields: Mapping[str, Any] | None,
        artifacts: Mapping[tuple[str, str], Artifact],
    ) -> list[Want]: ...

    def need(self, width: int, height: int, wants: Sequence[Want]) -> int: ...

    def make(self, frames: Frames, wants: Sequence[Want], task: Task) -> list[Artifact]: ...


KINDS: tuple[Kind, ...] = (Previews(), Posters(), Embedding())
BY_NAME: dict[str, Kind] = {kind.name: kind for kind in KINDS}


def wanted(config: Config, source: str) -> tuple[Want, ...]:
    """Every artifact the settings want of an item read by `source`, in the order the kinds run."""
    return tuple(want for kind in KINDS if source in kind.sources for want in kind.wants(config))
