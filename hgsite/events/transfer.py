"""Reading events exported from browsers (or HomeGallery) and merging them into a log by id, each line
checked (`hgsite import` is commands/importing.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from hgsite.events.log import Log
from hgsite.events.model import Event, EventError, parse_line


@dataclass(frozen=True, slots=True)
class BadLine:
    file: str
    line: int
    reason: str


@dataclass
class Merge:
    """What importing some files into a log does (or would do, for a dry run)."""

    new: list[Event] = field(default_factory=list)
    already: int = 0  # identical events already in the log
    conflicts: list[tuple[str, Event]] = field(default_factory=list)  # (file, event) same id, other content
    bad: list[BadLine] = field(default_factory=list)
    unknown_targets: list[tuple[Event, list[str]]] = field(default_factory=list)


def read_events(path: Path, bad: list[BadLine]) -> list[Event]:
    """Every valid event of an exported file; each bad line is recorded with its number and reason."""
    events = []
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            try:
                event = parse_line(line)
            except EventError as error:
                bad.append(BadLine(str(path), number, str(error)))
                continue
            if event is not None:
                events.append(event)
    return events


def merge(log: Log, files: Sequence[Path], known: set[str] | None) -> Merge:
    """Events of `files` that the log lacks, in file order; `known` target names, when the index exists."""
    result = Merge()
    present = {event.id: event for event in log.events}
    for path in files:
        for event in read_events(path, result.bad):
            if event.id in present:
                if present[event.id] == event:
                    result.already += 1
                else:
                    result.conflicts.append((str(path), event))
                continue
            present[event.id] = event
            result.new.append(event)
            missing = [t for t in event.targets if known is not None and t not in known]
            if missing:
                result.unknown_targets.append((event, missing))
    return result
