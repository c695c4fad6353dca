"""Tag events: validation, ordering, application, the log, and importing (merge by id, never lose one)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hgsite.commands.importing import import_events
from hgsite.config import Overrides, load_config
from hgsite.events.log import append, read_log
from hgsite.events.model import Event, EventError, apply, ordered, parse_line
from hgsite.events.transfer import merge


def line(event_id: str, date: str, targets: list[str], *actions: tuple[str, str]) -> str:
    return json.dumps(
        {
            "type": "userAction",
            "id": event_id,
            "date": date,
            "targetIds": targets,
            "actions": [{"action": a, "value": v} for a, v in actions],
        }
    )


def event(event_id: str, date: str, targets: list[str], *actions: tuple[str, str]) -> Event:
    parsed = parse_line(line(event_id, date, targets, *actions))
    assert parsed is not None
    return parsed


def test_parse_valid_event_and_headers() -> None:
    parsed = event("e1", "2026-11-21T10:00:00Z", ["a1", "b2", "a1"], ("addTag", "  beach   day "))
    assert parsed.targets == ("a1", "b2"), "duplicate targets folded"
    assert parsed.actions == (("addTag", "beach day"),), "whitespace normalised"
    assert parsed.moment == datetime(2026, 11, 21, 10, tzinfo=UTC)
    assert parse_line('{"type": "hgsite/events@1", "created": "2026-11-21T10:00:00Z"}') is None
    assert parse_line('{"type": "home-gallery/events@1.0", "created": "2021-01-01T00:00:00.000Z"}') is None
    assert parse_line("   ") is None


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("{not json", "not JSON"),
        ("[1, 2]", "not a JSON object"),
        ('{"type": "other"}', "unknown type"),
        (line("", "2026-01-01T00:00:00Z", ["a"], ("addTag", "x")), "invalid id"),
        (line("e", "yesterday", ["a"], ("addTag", "x")), "invalid date"),
        (line("e", "2026-01-01T00:00:00Z", [], ("addTag", "x")), "targetIds"),
        (line("e", "2026-01-01T00:00:00Z", ["../../etc"], ("addTag", "x")), "invalid target id"),
        (line("e", "2026-01-01T00:00:00Z", ["a"]), "actions"),
        (line("e", "2026-01-01T00:00:00Z", ["a"], ("deleteFile", "x")), "unknown action"),
        (line("e", "2026-01-01T00:00:00Z", ["a"], ("addTag", "   ")), "invalid tag"),
        (line("e", "2026-01-01T00:00:00Z", ["a"], ("addTag", "a\u0000b")), "invalid tag"),
    ],
)
def test_parse_rejects_with_reason(text: str, reason: str) -> None:
    with pytest.raises(EventError, match=reason):
        parse_line(text)


def test_order_is_date_then_id_across_offsets() -> None:
    late = event("a", "2026-01-01T12:00:00+02:00", ["x"], ("addTag", "t"))  # 10:00 UTC
    early = event("z", "2026-01-01T09:30:00Z", ["x"], ("addTag", "t"))
    tie_b = event("b", "2026-01-01T10:00:00Z", ["x"], ("addTag", "t"))
    assert [e.id for e in ordered([late, tie_b, early])] == ["z", "a", "b"]


def test_apply_is_deterministic_whatever_the_import_order() -> None:
    # Two devices tagged the same photo: the later event wins; equal dates fall back to the id.
    phone = event("p", "2026-01-02T10:00:00Z", ["id1"], ("removeTag", "todo"), ("addTag", "best"))
    laptop = event("l", "2026-01-01T10:00:00Z", ["id1", "sha1"], ("addTag", "todo"))
    aliases = {"id1": "k1", "sha1": "k1"}
    start = {"k1": ["kept"]}
    assert apply([phone, laptop], start, aliases) == apply([laptop, phone], start, aliases)
    assert apply([phone, laptop], start, aliases) == {"k1": ["best", "kept"]}
    assert apply([laptop], {}, {}) == {}, "unknown targets change nothing"


def test_log_append_keeps_existing_bytes_and_adds_header(tmp_path: Path) -> None:
    path = tmp_path / "events.ndjson"
    first = event("e1", "2026-01-01T00:00:00Z", ["a"], ("addTag", "x"))
    append(path, read_log(path), [first])
    lines = path.read_bytes().splitlines()
    assert json.loads(lines[0])["type"] == "hgsite/events@1" and len(lines) == 2
    path.write_bytes(path.read_bytes() + b"garbage the user typed")  # no newline at the end
    log = read_log(path)
    assert [e.id for e in log.events] == ["e1"]
    assert [(number, reason[:8]) for number, reason in log.problems] == [(3, "not JSON")]
    append(path, log, [event("e2", "2026-01-01T00:00:00Z", ["a"], ("addTag", "y"))])
    text = path.read_bytes()
    assert b"garbage the user typed\n" in text, "never drop what was there"
    assert [e.id for e in read_log(path).events] == ["e1", "e2"]
    assert not list(tmp_path.glob(".tmp-*"))


def test_merge_by_id_is_idempotent_and_reports_bad_lines(tmp_path: Path) -> None:
    export = tmp_path / "export.ndjson"
    export.write_text(
        "\n".join(
            [
                '{"type": "hgsite/events@1", "created": "2026-01-01T00:00:00Z"}',
                line("e1", "2026-01-01T00:00:00Z", ["a"], ("addTag", "x")),
                "oops",
                line("e2", "2026-01-01T00:00:01Z", ["ghost"], ("addTag", "y")),
            ]
        )
    )
    log_path = tmp_path / "events.ndjson"
    first = merge(read_log(log_path), [export], known={"a"})
    assert [e.id for e in first.new] == ["e1", "e2"]
    assert [(bad.line, bad.reason[:8]) for bad in first.bad] == [(3, "not JSON")]
    assert [(e.id, missing) for e, missing in first.unknown_targets] == [("e2", ["ghost"])]
    append(log_path, read_log(log_path), first.new)
    again = merge(read_log(log_path), [export], known={"a"})
    assert again.new == [] and again.already == 2


def test_conflicting_event_keeps_the_existing_one(tmp_path: Path) -> None:
    log_path = tmp_path / "events.ndjson"
    append(log_path, read_log(log_path), [event("e1", "2026-01-01T00:00:00Z", ["a"], ("addTag", "x"))])
    other = tmp_path / "other.ndjson"
    other.write_text(line("e1", "2026-01-01T00:00:00Z", ["a"], ("addTag", "DIFFERENT")) + "\n")
    result = merge(read_log(log_path), [other], known=None)
    assert result.new == [] and [e.id for _, e in result.conflicts] == ["e1"]


def test_import_events_dry_run_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "photos").mkdir()
    export = tmp_path / "export.ndjson"
    export.write_text(line("e1", "2026-01-01T00:00:00Z", ["a"], ("addTag", "x")) + "\n")
    config = load_config(None, Overrides(sources=("photos",)))
    assert [e.id for e in import_events(config, [export], dry_run=True).new] == ["e1"]
    assert not config.events.exists()
    import_events(config, [export])
    assert [e.id for e in read_log(config.events).events] == ["e1"]


valid_lines = st.builds(
    lambda i, sec, tag: line(f"ev{i}", f"2026-01-01T00:00:{sec:02d}Z", [f"t{i % 5}"], ("addTag", tag)),
    st.integers(0, 10_000),
    st.integers(0, 59),
    st.text(st.characters(codec="utf-8", categories=["L", "N"]), min_size=1, max_size=12),
)
bad_lines = st.one_of(
    st.text(max_size=40).filter(lambda s: "\n" not in s and "\r" not in s and s.strip() != ""),
    st.just('{"type": "userAction"}'),
    st.just(line("x", "not a date", ["a"], ("addTag", "t"))),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(valid_lines, bad_lines), max_size=30))
def test_import_never_drops_a_valid_event(tmp_path: Path, lines: list[str]) -> None:
    export = tmp_path / "mixed.ndjson"
    export.write_text("\n".join(lines) + "\n", encoding="utf-8")
    expected = []
    for text in lines:
        try:
            parsed = parse_line(text)
        except EventError:
            continue
        if parsed is not None and parsed.id not in {e.id for e in expected}:
            expected.append(parsed)
    log_path = tmp_path / "events.ndjson"
    log_path.unlink(missing_ok=True)
    result = merge(read_log(log_path), [export], known=None)
    assert [e.id for e in result.new] == [e.id for e in expected]
    append(log_path, read_log(log_path), result.new)
    assert {e.id for e in read_log(log_path).events} == {e.id for e in expected}


def test_a_file_that_is_not_ndjson_is_one_problem_not_one_per_line(tmp_path: Path) -> None:
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 40)
    text = tmp_path / "notes.txt"
    text.write_text("shopping list\neggs\nmilk\n")
    result = merge(read_log(tmp_path / "events.ndjson"), [photo, text], known=None)
    assert result.bad == [] and result.new == []
    assert [(Path(bad.file).name, bad.line) for bad in result.not_events] == [
        ("photo.jpg", 0),
        ("notes.txt", 0),
    ]
    assert result.not_events[0].reason == "not an ndjson event file (binary data)"
    assert result.not_events[1].reason == "not an ndjson event file (none of its 3 lines is JSON)"


def test_an_event_file_with_some_bad_lines_keeps_its_good_ones(tmp_path: Path) -> None:
    export = tmp_path / "export.ndjson"
    export.write_text("garbage\n" + line("e1", "2026-01-01T00:00:00Z", ["a"], ("addTag", "x")) + "\n")
    result = merge(read_log(tmp_path / "events.ndjson"), [export], known=None)
    assert result.not_events == [] and [e.id for e in result.new] == ["e1"]
    assert [(bad.line, bad.reason[:8]) for bad in result.bad] == [(1, "not JSON")]
