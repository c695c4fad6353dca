"""Reading events exported from browsers (or HomeGallery) and merging them into a log by id, each line
checked (`hgsite import` is commands/importing.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from hgsite.events.log import Log
from hgsite.events.model import Event, EventError, NotJsonError, parse_line

_SNIFF = 1 << 16  # bytes looked at for binary data (a NUL byte is never in ndjson text)


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
    not_events: list[BadLine] = field(default_factory=list)  # whole files that are no event log (line 0)
    unknown_targets: list[tuple[Event, list[str]]] = field(default_factory=list)


def read_events(path: Path, bad: list[BadLine], not_events: list[BadLine] | None = None) -> list[Event]:
    """Every valid event of an exported file; each bad line is recorded with its number and reason.

    A file in which no line is JSON (a photo, a text of some other kind) is one entry of `not_events`
    instead of a bad line for each of its lines.
    """
    whole = not_events if not_events is not None else bad
    try:
        raw = path.read_bytes()
    except OSError as error:
        whole.append(BadLine(str(path), 0, f"cannot read: {error.strerror or error}"))
        return []
    events, problems, json_lines = [], [], 0
    for number, line in enumerate(raw.split(b"\n"), start=1):
        try:
            event = parse_line(line)
        except EventError as error:
            problems.append(BadLine(str(path), number, str(error)))
            json_lines += not isinstance(error, NotJsonError)
            continue
        json_lines += bool(line.strip())
        if event is not None:
            events.append(event)
    if problems and json_lines == 0:  # not a single line is JSON: some other kind of file
        lines = f"{len(problems)} line{'s' * (len(problems) != 1)}"
        binary = b"\0" in raw[:_SNIFF]
        reason = "binary data" if binary else f"none of its {lines} is JSON"
        whole.append(BadLine(str(path), 0, f"not an ndjson event file ({reason})"))
        return []
    bad.extend(problems)
    return events


def merge(log: Log, files: Sequence[Path], known: set[str] | None) -> Merge:
    """Events of `files` that the log lacks, in file order; `known` target names, when the index exists."""
    result = Merge()
    present = {event.id: event for event in log.events}
    for path in files:
        for event in read_events(path, result.bad, result.not_events):
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
