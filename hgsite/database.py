"""Assemble file records, metadata and previews into the client database (docs/database.md)."""

from __future__ import annotations

import gzip
import hashlib
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson

from hgsite.config import PrivacySettings
from hgsite.extract.exif import parse_date
from hgsite.index import FileRecord
from hgsite.naming import preview_tag, preview_url, video_url

SCHEMA = "hgsite/database@1"
# Metadata keys copied into an entry unchanged, in this order.
_CAMERA_KEYS = ("make", "model", "lens", "exposure", "fnumber", "iso", "focal", "focal35")
_HASH_NAME = re.compile(r"^[0-9a-fA-F]{16,}$")
_NAME_DATE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})[-_.]?(0[1-9]|1[0-2])[-_.]?(0[1-9]|[12]\d|3[01])"
    r"(?:[-_ T.]?(?:at )?([01]\d|2[0-3])[-_.:h]?([0-5]\d)[-_.:m]?([0-5]\d)\d{0,3})?(?!\d)"
)


@dataclass(frozen=True, slots=True)
class PreviewRef:
    size: int
    key: str  # the parameter key of the cached artifact
    path: str | Path  # the cached file


@dataclass
class Database:
    entries: list[dict[str, Any]] = field(default_factory=list)
    previews: dict[str, str] = field(default_factory=dict)  # size -> tag in preview file names
    videos: dict[str, str] = field(default_factory=dict)  # size -> tag in web video file names
    files: dict[str, str | Path] = field(default_factory=dict)  # bundle URL -> cached file
    events: list[str] = field(default_factory=list)  # ids of the tag events applied
    folders: list[list[Any]] = field(default_factory=list)  # folder_tree()
    gallery: str = ""  # stable id of the gallery (naming.gallery_id)


def date_from_name(name: str) -> str | None:
    """A capture date written in a file name (IMG_20190521_134501, 2019-05-21 13.45.01, ...)."""
    stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    if _HASH_NAME.match(stem):
        return None  # md5/sha1-named files hold date-like digit runs by chance
    match = _NAME_DATE.search(stem)
    if match is None:
        return None
    year, month, day, hour, minute, second = match.groups()
    return parse_date(f"{year}:{month}:{day} {hour or '00'}:{minute or '00'}:{second or '00'}")


def capture_date(meta: dict[str, Any], files: Sequence[FileRecord]) -> tuple[str, str]:
    """(ISO date, where it came from): EXIF, else a date in a file name, else the oldest mtime."""
    if meta.get("date"):
        return meta["date"], meta.get("dsrc", "exif")
    for record in files:
        named = date_from_name(record.rel)
        if named:
            return named, "name"
    oldest = min(r.mtime_ns for r in files)
    return datetime.fromtimestamp(oldest / 1e9).astimezone().isoformat(timespec="seconds"), "mtime"


def assemble(
    groups: dict[str, list[FileRecord]],
    meta: Mapping[str, dict[str, Any]],
    previews: dict[str, list[PreviewRef]],
    ids: dict[str, str],
    tags: dict[str, list[str]],
    privacy: PrivacySettings,
    videos: dict[str, PreviewRef] | None = None,
) -> Database:
    """One entry per item that has metadata and at least one preview, newest first.

    `videos` are the web copies of videos (sha1 -> the cached file), in the same form as previews.
    """
    database = Database()
    sizes_seen: dict[tuple[int, ...], tuple[int, ...]] = {}  # one tuple per set of sizes, not one per entry
    for sha1, records in groups.items():
        fields, refs = meta.get(sha1), previews.get(sha1)
        if fields is None or not refs:
            continue
        entry_id = ids[sha1]
        sizes = sizes_seen.setdefault(key := tuple(sorted(ref.size for ref in refs)), key)
        for ref in refs:
            tag = preview_tag(ref.key)
            database.previews[str(ref.size)] = tag
            database.files[preview_url(entry_id, ref.size, tag)] = ref.path
        entry = _entry(entry_id, fields, records, sizes, privacy)
        entry["tags"] = tags.get(sha1, _NONE)
        web = (videos or {}).get(sha1)
        if web is not None:
            tag = preview_tag(web.key)
            database.videos[str(web.size)] = tag
            database.files[video_url(entry_id, web.size, tag)] = web.path
            entry["video"] = web.size
        database.entries.append(entry)
    database.entries.sort(key=lambda e: (e["date"][:19], e["id"]), reverse=True)
    return database


_NONE: tuple[str, ...] = ()  # the tags or labels of an entry without any: one object for all of them


def _entry(
    entry_id: str,
    fields: dict[str, Any],
    records: list[FileRecord],
    sizes: tuple[int, ...],
    privacy: PrivacySettings,
) -> dict[str, Any]:
    date, source = capture_date(fields, records)
    kind = fields.get("type", "image")
    entry: dict[str, Any] = {"id": entry_id, "type": kind, "date": date, "dsrc": source}
    if privacy.include_paths:
        entry["files"] = [r.rel for r in records]
    entry.update(previews=sizes, width=fields["width"], height=fields["height"], size=records[0].size)
    if kind == "video" and fields.get("duration"):
        entry["duration"] = round(fields["duration"], 2)
    entry.update((k, fields[k]) for k in _CAMERA_KEYS if k in fields)
    if "raw" in fields:  # a camera RAW file: its format (the file's extension, "NEF")
        entry["raw"] = fields["raw"]
    if not privacy.strip_locations and "lat" in fields:
        entry.update(lat=fields["lat"], lon=fields["lon"])
    entry.update(tags=_NONE, labels=_NONE)  # filled by the caller (tags) and the similar stage (labels)
    return entry


def content_digest(database: Database) -> str:
    """A hash of everything the database says except when it was written."""
    digest = hashlib.sha1()
    for part in serialised(database, ""):
        digest.update(part)
    return digest.hexdigest()


GZIP_LEVEL = 9


def serialise(database: Database, created: str) -> bytes:
    """The JSON document, before compression."""
    return orjson.dumps(_document(database, created))


_PART = 1000  # entries serialised at once


def serialised(database: Database, created: str) -> Iterator[bytes]:
    """serialise() in parts, byte for byte: all at once the document is another 40 MB at 100,000
    entries, beside the entries themselves."""
    head = orjson.dumps({**_document(database, created), "entries": []})  # entries: the last key
    yield head[: -len(b"[]}")] + b"["
    for start in range(0, len(database.entries), _PART):
        part = orjson.dumps(database.entries[start : start + _PART])[1:-1]
        yield part if start == 0 else b"," + part
    yield b"]}"


def encode(database: Database, created: str) -> bytes:
    """The gzipped JSON document; byte-identical for identical input (gzip mtime 0)."""
    return gzip.compress(serialise(database, created), compresslevel=GZIP_LEVEL, mtime=0)


def _document(database: Database, created: str) -> dict[str, Any]:
    return {
        "type": SCHEMA,
        "created": created,
        "gallery": database.gallery,
        "previews": database.previews,
        **({"videos": database.videos} if database.videos else {}),
        "events": database.events,
        "folders": database.folders,
        "entries": database.entries,
    }


def folder_tree(entries: list[dict[str, Any]]) -> list[list[Any]]:
    """The source folders as albums: [path, items directly in it, items in it and below, cover id].

    Sorted by path; an item in two folders counts in both. Entries come newest first, so a folder's cover
    is its newest item. Empty when file names are left out of the bundle (privacy).
    """
    folders: dict[str, list[Any]] = {}
    for entry in entries:
        seen: set[str] = set()
        for name in entry.get("files", []):
            parent = name.rsplit("/", 1)[0] if "/" in name else ""
            folder = folders.setdefault(parent, [parent, 0, 0, entry["id"]])
            folder[1] += 1
            while parent and parent not in seen:  # every ancestor counts the item once
                seen.add(parent)
                folders.setdefault(parent, [parent, 0, 0, entry["id"]])[2] += 1
                parent = parent.rsplit("/", 1)[0] if "/" in parent else ""
    return [folders[path] for path in sorted(folders)]
