"""The tags of every item: keywords already in the files and their XMP sidecars, then the events.

The build and `hgsite xmp` both use this, so a sidecar written by hgsite holds what the gallery shows.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from hgsite.cache import Store
from hgsite.events.model import Event, apply
from hgsite.extract.xmp import keywords_from_xmp
from hgsite.index import FileRecord
from hgsite.report import Failure

_MAX_SIDECAR = 4 << 20


def sidecar_tags(
    store: Store, records: Iterable[FileRecord], problems: list[Failure]
) -> dict[str, list[str]]:
    """Tags from XMP sidecars by media path; a sidecar is parsed again only when its stamp changes."""
    cached = store.load_sidecars()
    fresh: dict[bytes, tuple[int, int, list[str]]] = {}
    tags: dict[str, list[str]] = {}
    for record in records:
        sidecar = record.sidecar
        if sidecar is None:
            continue
        key = os.fsencode(sidecar.path)
        hit = cached.get(key)
        if hit is not None and hit[:2] == (sidecar.size, sidecar.mtime_ns):
            found = hit[2]
        else:
            found = _read_sidecar(sidecar.path, record.rel, problems)
        fresh[key] = (sidecar.size, sidecar.mtime_ns, found)
        if found:
            tags[record.path] = found
    store.replace_sidecars(fresh)
    return tags


def _read_sidecar(path: str, rel: str, problems: list[Failure]) -> list[str]:
    try:
        with open(path, "rb") as handle:  # noqa: PTH123 - a str path from the walk
            return keywords_from_xmp(handle.read(_MAX_SIDECAR))
    except OSError as error:
        problems.append(Failure(f"{rel} (XMP sidecar)", f"cannot read: {error.strerror}"))
        return []


def item_tags(
    groups: dict[str, list[FileRecord]],
    keywords: dict[str, list[str]],
    sidecars: dict[str, list[str]],
    events: Iterable[Event],
    ids: dict[str, str],
) -> dict[str, list[str]]:
    """Tags by sha1: embedded keywords and sidecar tags of all its files, then events in (date, id) order."""
    start: dict[str, list[str]] = {}
    for sha1, records in groups.items():
        found = list(keywords.get(sha1, []))
        for record in records:
            found.extend(sidecars.get(record.path, []))
        if found:
            start[sha1] = list(dict.fromkeys(found))
    aliases = {name: sha1 for sha1, item_id in ids.items() for name in (sha1, item_id)}
    return apply(events, start, aliases)
