"""The project's event log, events.ndjson: read tolerantly, extended only by atomic rewrites.

The existing bytes are always kept as they are (even lines hgsite cannot read), and new events are
appended after them in a temporary file that replaces the log in one rename, so a crash leaves either
the old log or the new one, never a torn line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from hgsite.atomic import atomic_write
from hgsite.errors import HgsiteError
from hgsite.events.model import Event, EventError, header_line, parse_line


@dataclass
class Log:
    events: list[Event] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)  # (line number, reason)
    raw: bytes = b""


def read_log(path: Path) -> Log:
    """Every valid event of the log, and the numbers of the lines that are not."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Log()
    except OSError as error:
        raise HgsiteError(f"{path}: cannot read the event log: {error.strerror}") from None
    return parse_lines(raw, Log(raw=raw))


def parse_lines(raw: bytes, log: Log) -> Log:
    seen: set[str] = set()
    for number, line in enumerate(raw.splitlines(), start=1):
        try:
            event = parse_line(line)
        except EventError as error:
            log.problems.append((number, str(error)))
            continue
        if event is not None and event.id not in seen:
            seen.add(event.id)
            log.events.append(event)
    return log


def append(path: Path, log: Log, new: Sequence[Event]) -> None:
    """Write the log with `new` events after its existing bytes, atomically and durably."""
    if not new:
        return
    parts = [log.raw]
    if not log.raw.strip():
        parts = [header_line(datetime.now(UTC).isoformat(timespec="seconds")) + b"\n"]
    elif not log.raw.endswith(b"\n"):
        parts.append(b"\n")
    parts.extend(event.to_json() + b"\n" for event in new)
    with atomic_write(path, durable=True) as handle:
        handle.write(b"".join(parts))
