"""Plain records that the stages hand back to the orchestrator and the CLI."""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hgsite.site import Bundle


# How the orchestrator reports progress: progress(stage, total) gives a context whose value is
# called with the number of steps done. The CLI passes tqdm bars; tests pass nothing.
Progress = Callable[[str, int], contextlib.AbstractContextManager[Callable[[int], None]]]


@contextlib.contextmanager
def silent(stage: str, total: int) -> Iterator[Callable[[int], None]]:
    yield lambda n: None


@dataclass(frozen=True, slots=True)
class Failure:
    """One file that could not be used, with a one-line reason."""

    path: str
    reason: str


@dataclass
class BuildReport:
    """What a build did; the CLI prints it, tests assert on it."""

    output: Path | None = None
    files: int = 0
    entries: int = 0
    hashed: int = 0
    remaining: int = 0  # new files a progressive build leaves for its next round
    extracted: int = 0
    made: Counter[str] = field(default_factory=Counter)  # artifacts made by this build, by kind
    workers: Counter[str] = field(default_factory=Counter)  # items made by each cluster worker
    transcoded: int = 0  # web copies of videos made by this build
    unfinished: int = 0  # files whose failure the next build tries again (a crash, a timeout)
    replayed: bool = False  # nothing changed since the last complete build: its outcome, repeated
    site_written: bool = False
    database_bytes: int = 0
    failures: list[Failure] = field(default_factory=list)
    warnings: list[Failure] = field(default_factory=list)  # files that are in the site, with a caveat
    not_shown: list[Failure] = field(default_factory=list)  # other files of the sources (RAW, PDF, ...)
    seconds: dict[str, float] = field(default_factory=dict)
    bundle: Bundle | None = None  # what the site was (or would have been) written from

    @property
    def previews(self) -> int:
        """Pictures made: previews of photos and posters of videos."""
        return self.made["preview"] + self.made["poster"]

    def grouped_failures(self) -> list[tuple[str, list[Failure]]]:
        """Failures grouped by reason, most common reason first."""
        return grouped(self.failures)


def grouped(failures: list[Failure]) -> list[tuple[str, list[Failure]]]:
    """Failures grouped by reason, most common reason first."""
    by_reason: dict[str, list[Failure]] = {}
    for failure in failures:
        by_reason.setdefault(failure.reason, []).append(failure)
    return sorted(by_reason.items(), key=lambda group: -len(group[1]))
