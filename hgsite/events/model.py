"""Tag events, HomeGallery-compatible: parse and check one ndjson line, order and apply events.

An event line (docs/events.md):
  {"type": "userAction", "id": "<uuid>", "date": "<ISO 8601>", "targetIds": ["<id>", ...],
   "actions": [{"action": "addTag", "value": "holiday"}, {"action": "removeTag", "value": "todo"}]}
Header lines ({"type": "hgsite/events@1", ...} or HomeGallery's "home-gallery/events@1.0") are not events.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson

HEADER_TYPE = "hgsite/events@1"
HEADER_TYPES = frozenset({HEADER_TYPE, "home-gallery/events@1.0"})
ACTIONS = frozenset({"addTag", "removeTag"})
_ID = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._:-]{0,127}$")
_MAX_TAG = 200


class EventError(ValueError):
    """A line that is not a valid event; str() is the reason."""


class NotJsonError(EventError):
    """A line that is not JSON at all (rather than JSON that is no valid event)."""


@dataclass(frozen=True, slots=True)
class Event:
    id: str
    date: str  # as written; `moment` is its instant for ordering
    moment: datetime
    targets: tuple[str, ...]
    actions: tuple[tuple[str, str], ...]  # (action, tag)

    def to_json(self) -> bytes:
        return orjson.dumps(
            {
                "type": "userAction",
                "id": self.id,
                "date": self.date,
                "targetIds": list(self.targets),
                "actions": [{"action": a, "value": v} for a, v in self.actions],
            }
        )


def is_header(record: Any) -> bool:
    return isinstance(record, dict) and record.get("type") in HEADER_TYPES


def header_line(created: str) -> bytes:
    return orjson.dumps({"type": HEADER_TYPE, "created": created})


def parse_line(line: bytes | str) -> Event | None:
    """The event on this line, None for a header or a blank line; EventError says what is wrong."""
    if not line.strip():
        return None
    try:
        record = orjson.loads(line)
    except orjson.JSONDecodeError as error:
        raise NotJsonError(f"not JSON ({error.msg})") from None
    if is_header(record):
        return None
    if not isinstance(record, dict):
        raise EventError("not a JSON object")
    if record.get("type") != "userAction":
        raise EventError(f"unknown type {str(record.get('type'))[:40]!r} (expected 'userAction')")
    return Event(
        id=_identifier(record.get("id"), "id"),
        date=_date_text(record.get("date")),
        moment=parse_moment(record.get("date")),
        targets=_targets(record.get("targetIds")),
        actions=_actions(record.get("actions")),
    )


def _identifier(value: Any, what: str) -> str:
    if not isinstance(value, str) or not _ID.match(value):
        raise EventError(f"missing or invalid {what} {str(value)[:40]!r}")
    return value


def _date_text(value: Any) -> str:
    if not isinstance(value, str):
        raise EventError("missing date")
    return value


def parse_moment(value: Any) -> datetime:
    """An event date as an aware instant (a date without offset counts as UTC)."""
    if not isinstance(value, str) or len(value) > 40:
        raise EventError("missing or invalid date")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise EventError(f"invalid date {value!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _targets(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise EventError("targetIds must be a non-empty list")
    return tuple(dict.fromkeys(_identifier(v, "target id") for v in value))


def _actions(value: Any) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, list) or not value:
        raise EventError("actions must be a non-empty list")
    actions = []
    for item in value:
        if not isinstance(item, dict) or item.get("action") not in ACTIONS:
            name = item.get("action") if isinstance(item, dict) else item
            raise EventError(f"unknown action {str(name)[:40]!r} (expected addTag or removeTag)")
        actions.append((item["action"], clean_tag(item.get("value"))))
    return tuple(actions)


def clean_tag(value: Any) -> str:
    """A tag as stored: trimmed, no control characters, 1 to 200 characters."""
    if not isinstance(value, str):
        raise EventError("a tag must be a string")
    tag = " ".join(value.split())
    if not tag or len(tag) > _MAX_TAG or any(not ch.isprintable() for ch in tag):
        raise EventError(f"invalid tag {value[:40]!r}")
    return tag


def ordered(events: Iterable[Event]) -> list[Event]:
    """Events in the order they are applied: by date (as an instant), then by id. Deterministic."""
    return sorted(events, key=lambda e: (e.moment, e.id))


def apply(
    events: Iterable[Event], start: Mapping[str, Iterable[str]], aliases: Mapping[str, str]
) -> dict[str, list[str]]:
    """Tags per item after applying events to the starting tags.

    `aliases` maps every name a target may use (our id, or the sha1 a HomeGallery event names) to the
    item key used in `start` and in the result. Targets that name no item are ignored here.
    """
    tags = {key: dict.fromkeys(values) for key, values in start.items()}
    for event in ordered(events):
        for target in event.targets:
            key = aliases.get(target)
            if key is None:
                continue
            current = tags.setdefault(key, {})
            for action, tag in event.actions:
                if action == "addTag":
                    current[tag] = None
                else:
                    current.pop(tag, None)
    return {key: sorted(values, key=str.casefold) for key, values in tags.items() if values}
