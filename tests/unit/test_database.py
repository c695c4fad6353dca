"""hgsite.database: dates from names, capture-date priority, assembling and encoding the client database."""

from __future__ import annotations

import gzip
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from hgsite.config import PrivacySettings
from hgsite.database import (
    SCHEMA,
    Database,
    PreviewRef,
    assemble,
    capture_date,
    content_digest,
    date_from_name,
    encode,
    serialise,
    serialised,
)
from hgsite.index import FileRecord
from hgsite.naming import preview_tag, preview_url

MTIME_NS = 1_600_000_000_000_000_000  # 2020-09-13 UTC


def record(rel: str, sha1: str = "a" * 40, size: int = 100, mtime_ns: int = MTIME_NS) -> FileRecord:
    return FileRecord("/abs/" + rel, rel, size, mtime_ns, sha1)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("IMG_20190521_134501.jpg", "2019-05-21T13:45:01"),
        ("2019-05-21 13.45.01.jpg", "2019-05-21T13:45:01"),
        ("PXL_20210101_123456789.jpg", "2021-01-01T12:34:56"),
        ("WhatsApp Image 2019-05-21 at 13.45.01.jpeg", "2019-05-21T13:45:01"),
        ("Screenshot_20190521-134501.png", "2019-05-21T13:45:01"),
        ("IMG-20190521-WA0001.jpg", "2019-05-21T00:00:00"),
        ("2019_05_21.jpg", "2019-05-21T00:00:00"),
        ("album/2018/IMG_20190521_134501.jpg", "2019-05-21T13:45:01"),
    ],
)
def test_date_from_name(name: str, expected: str) -> None:
    assert date_from_name(name) == expected


@pytest.mark.parametrize(
    "name",
    [
        "138d3b9e0d9fbf641b8135981e597c3a.jpg",
        "20191399.jpg",
        "20190230.jpg",
        "IMG_1234.jpg",
        "DSC_2019.jpg",
        "1920x1080.jpg",
        "2019/05/21/IMG_0001.jpg",  # folders are not the file name
        "holiday.jpg",
    ],
)
def test_date_from_name_rejects_non_dates(name: str) -> None:
    assert date_from_name(name) is None


@pytest.mark.parametrize(
    "name",
    [
        "af20370112ab5372fdbcf4c7eea04671.jpg",  # -> 2037-01-12
        "35359f9045d6fb5ad017e5f20920729c.jpg",  # -> 2092-07-29
        "cb19970910a75f80fff48764f4c0a9acdb8a0db8.jpg",  # -> 1997-09-10
    ],
)
def test_date_from_name_ignores_dates_inside_hashes(name: str) -> None:
    assert date_from_name(name) is None


def test_capture_date_prefers_exif() -> None:
    files = [record("src/IMG_20190521_134501.jpg")]
    assert capture_date({"date": "2001-02-03T04:05:06+01:00"}, files) == ("2001-02-03T04:05:06+01:00", "exif")


def test_capture_date_falls_back_to_the_name() -> None:
    files = [record("src/holiday.jpg"), record("src/copy/IMG_20190521_134501.jpg")]
    assert capture_date({}, files) == ("2019-05-21T13:45:01", "name")


def test_capture_date_falls_back_to_the_oldest_mtime() -> None:
    older = MTIME_NS - 86_400 * 10**9
    files = [record("src/a.jpg"), record("src/b.jpg", mtime_ns=older)]
    date, source = capture_date({"date": None}, files)
    expected = datetime.fromtimestamp(older / 1e9).astimezone()
    assert source == "mtime"
    assert date == expected.isoformat(timespec="seconds")
    assert datetime.fromisoformat(date).utcoffset() is not None
    assert datetime.fromisoformat(date).timestamp() == pytest.approx(older / 1e9, abs=1)


def meta(date: str | None = None, **extra: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {"width": 4000, "height": 3000, "format": "JPEG", **extra}
    if date:
        fields["date"] = date
    return fields


KEYS = {320: "0e1d1111", 720: "91de2222", 1920: "78543333"}


def refs(sha1: str, tmp: Path, sizes: tuple[int, ...] = (720, 320)) -> list[PreviewRef]:
    return [PreviewRef(s, KEYS[s], tmp / f"{sha1[:4]}-{s}.jpg") for s in sizes]


def build(tmp_path: Path, privacy: PrivacySettings | None = None) -> Database:
    a, b, c, d, e = ("a" * 40, "b" * 40, "c" * 40, "d" * 40, "e" * 40)
    groups = {
        a: [record("src/old.jpg", a, 111), record("src/copy/old.jpg", a, 111)],
        b: [record("src/new.jpg", b, 222)],
        c: [record("src/IMG_20200101_120000.jpg", c, 333)],
        d: [record("src/no-meta.jpg", d)],
        e: [record("src/no-previews.jpg", e)],
    }
    metas = {
        a: meta("2010-01-01T10:00:00", make="Canon", model="EOS", iso=100, lat=41.22, lon=-96.07),
        b: meta("2021-06-01T10:00:00+02:00", fnumber=1.8, exposure=0.001, warning="truncated"),
        c: meta(),
        e: meta("2022-01-01T00:00:00"),
    }
    previews = {a: refs(a, tmp_path), b: refs(b, tmp_path, (320,)), c: refs(c, tmp_path), e: []}
    ids = {sha: sha[0] * 16 for sha in groups}
    return assemble(groups, metas, previews, ids, {}, privacy or PrivacySettings())


def test_assemble_orders_newest_first_and_drops_incomplete(tmp_path: Path) -> None:
    db = build(tmp_path)
    assert [e["id"] for e in db.entries] == ["b" * 16, "c" * 16, "a" * 16]
    assert [e["dsrc"] for e in db.entries] == ["exif", "name", "exif"]
    assert [e["date"] for e in db.entries] == [
        "2021-06-01T10:00:00+02:00",
        "2020-01-01T12:00:00",
        "2010-01-01T10:00:00",
    ]


def test_assemble_orders_same_date_by_id(tmp_path: Path) -> None:
    groups = {sha * 40: [record(f"src/{sha}.jpg", sha * 40)] for sha in "1f3"}
    metas = {sha: meta("2020-01-01T00:00:00") for sha in groups}
    previews = {sha: refs(sha, tmp_path, (320,)) for sha in groups}
    ids = {sha: sha[0] * 16 for sha in groups}
    db = assemble(groups, metas, previews, ids, {}, PrivacySettings())
    assert [e["id"] for e in db.entries] == ["f" * 16, "3" * 16, "1" * 16]


def as_json(value: Any) -> Any:
    """What the document says of `value` (the entries share tuples for their sizes and empty lists)."""
    return json.loads(json.dumps(value))


def test_assemble_entry_fields(tmp_path: Path) -> None:
    db = build(tmp_path)
    entry = as_json(next(e for e in db.entries if e["id"] == "a" * 16))
    assert entry == {
        "id": "a" * 16,
        "type": "image",
        "date": "2010-01-01T10:00:00",
        "dsrc": "exif",
        "files": ["src/old.jpg", "src/copy/old.jpg"],
        "previews": [320, 720],  # ascending
        "width": 4000,
        "height": 3000,
        "size": 111,
        "make": "Canon",
        "model": "EOS",
        "iso": 100,
        "lat": 41.22,
        "lon": -96.07,
        "tags": [],
        "labels": [],
    }
    other = next(e for e in db.entries if e["id"] == "b" * 16)
    assert other["previews"] == (320,)
    assert other["fnumber"] == 1.8 and other["exposure"] == 0.001
    assert "lat" not in other and "lon" not in other
    assert "format" not in other and "warning" not in other
    assert all(value is not None for e in db.entries for value in e.values())


def test_assemble_preview_tags_and_files(tmp_path: Path) -> None:
    db = build(tmp_path)
    assert db.previews == {"320": preview_tag(KEYS[320]), "720": preview_tag(KEYS[720])}
    assert len(db.files) == 5  # a: 2, b: 1, c: 2; nothing for dropped entries
    for entry in db.entries:
        for size in entry["previews"]:
            url = preview_url(entry["id"], size, db.previews[str(size)])
            assert db.files[url] == tmp_path / f"{entry['id'][0] * 4}-{size}.jpg"
    assert "files/aa/aa/aaaaaaaaaaaa-320-0e1d.jpg" in db.files
    assert all("dddd" not in str(p) and "eeee" not in str(p) for p in db.files.values())


def test_assemble_privacy_without_paths(tmp_path: Path) -> None:
    db = build(tmp_path, PrivacySettings(include_paths=False))
    assert db.entries and all("files" not in e for e in db.entries)
    assert "src/" not in json.dumps(db.entries)


def test_assemble_privacy_strip_locations(tmp_path: Path) -> None:
    db = build(tmp_path, PrivacySettings(strip_locations=True))
    entry = next(e for e in db.entries if e["id"] == "a" * 16)
    assert "lat" not in entry and "lon" not in entry
    assert entry["make"] == "Canon"
    assert "41.22" not in json.dumps(db.entries)


def test_assemble_never_exposes_sha1s(tmp_path: Path) -> None:
    db = build(tmp_path)
    text = json.dumps(db.entries) + json.dumps(db.previews) + " ".join(db.files)
    for sha in ("a" * 40, "b" * 40, "c" * 40):
        assert sha not in text


def test_encode_is_deterministic_and_documented(tmp_path: Path) -> None:
    db = build(tmp_path)
    payload = encode(db, "2026-01-01T00:00:00+00:00")
    assert payload == encode(db, "2026-01-01T00:00:00+00:00")
    assert payload[:2] == b"\x1f\x8b"
    assert payload[4:8] == b"\0\0\0\0"  # gzip mtime 0
    document = json.loads(gzip.decompress(payload).decode("utf-8"))
    assert document == {
        "type": "hgsite/database@1",
        "created": "2026-01-01T00:00:00+00:00",
        "gallery": "",
        "previews": {"320": "0e1d", "720": "91de"},
        "events": [],
        "folders": [],
        "entries": as_json(db.entries),
    }
    assert SCHEMA == "hgsite/database@1"
    assert list(document) == ["type", "created", "gallery", "previews", "events", "folders", "entries"]


def test_encode_empty() -> None:
    document = json.loads(gzip.decompress(encode(Database(), "x")))
    assert document == {
        "type": "hgsite/database@1",
        "created": "x",
        "gallery": "",
        "previews": {},
        "events": [],
        "folders": [],
        "entries": [],
    }


def test_content_digest_covers_every_entry_and_everything_but_the_time() -> None:
    db = Database(entries=[{"id": f"{n:016x}", "tags": []} for n in range(2500)], gallery="g")
    first = content_digest(db)
    assert content_digest(db) == first
    db.entries[2400]["tags"] = ["late"]  # in the third thousand
    changed = content_digest(db)
    assert changed != first
    db.gallery = "h"
    assert content_digest(db) != changed
    db.entries.pop()
    assert len({first, changed, content_digest(db)}) == 3


@pytest.mark.parametrize("count", [0, 1, 999, 1000, 2345])
def test_the_document_in_parts_is_the_document(count: int) -> None:
    entries = [{"id": f"{n:016x}", "tags": ("a",) if n % 3 else (), "previews": (320,)} for n in range(count)]
    db = Database(entries=entries, previews={"320": "ab"}, gallery="g", folders=[["x", 1, 1, "y"]])
    assert b"".join(serialised(db, "2026-01-01")) == serialise(db, "2026-01-01")
