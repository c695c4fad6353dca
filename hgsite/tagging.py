"""The tags of every item: keywords already in the files and their XMP sidecars, then the events.

The build and `hgsite xmp` both use this, so a sidecar written by hgsite holds what the gallery shows.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import Any

from hgsite.cache.store import Store
from hgsite.events.model import Event, apply
from hgsite.extract.faces import Regions, regions_from_xmp, shown_faces
from hgsite.extract.xmp import keywords_from_xmp
from hgsite.index import FileRecord
from hgsite.report import Failure

_MAX_SIDECAR = 4 << 20


def read_sidecars(
    store: Store, records: Iterable[FileRecord], problems: list[Failure]
) -> dict[str, dict[str, Any]]:
    """What XMP sidecars hold, by media path: {"tags": [...], "regions": {...} or None}.

    A sidecar is parsed again only when its size or modification time changes.
    """
    cached = store.load_sidecars()
    fresh: dict[bytes, tuple[int, int, Any]] = {}
    found: dict[str, dict[str, Any]] = {}
    for record in records:
        sidecar = record.sidecar
        if sidecar is None:
            continue
        key = os.fsencode(sidecar.path)
        hit = cached.get(key)
        if hit is not None and hit[:2] == (sidecar.size, sidecar.mtime_ns) and isinstance(hit[2], dict):
            info = hit[2]
        else:
            info = _read_sidecar(sidecar.path, record.rel, problems)
        fresh[key] = (sidecar.size, sidecar.mtime_ns, info)
        if info["tags"] or info["regions"]:
            found[record.path] = info
    store.replace_sidecars(fresh, cached)
    return found


def _read_sidecar(path: str, rel: str, problems: list[Failure]) -> dict[str, Any]:
    try:
        with open(path, "rb") as handle:  # noqa: PTH123 - a str path from the walk
            packet = handle.read(_MAX_SIDECAR)
    except OSError as error:
        problems.append(Failure(f"{rel} (XMP sidecar)", f"cannot read: {error.strerror}"))
        return {"tags": [], "regions": None}
    regions = regions_from_xmp(packet)
    return {"tags": keywords_from_xmp(packet), "regions": regions.to_json() if regions else None}


def item_tags(
    groups: dict[str, list[FileRecord]],
    keywords: dict[str, list[str]],
    sidecars: dict[str, dict[str, Any]],
    events: Iterable[Event],
    ids: dict[str, str],
) -> dict[str, list[str]]:
    """Tags by sha1: embedded keywords and sidecar tags of all its files, then events in (date, id) order."""
    start: dict[str, list[str]] = {}
    for sha1, records in groups.items():
        found = list(keywords.get(sha1, []))
        for record in records:
            found.extend(sidecars.get(record.path, {}).get("tags", []))
        if found:
            start[sha1] = list(dict.fromkeys(found))
    aliases = {name: sha1 for sha1, item_id in ids.items() for name in (sha1, item_id)}
    return apply(events, start, aliases)


PEOPLE_ROOTS = ("people/", "person/", "persons/")  # tag folders that name people (digiKam: People/Name)


def item_faces(
    groups: dict[str, list[FileRecord]],
    meta: Mapping[str, dict[str, Any]],
    sidecars: dict[str, dict[str, Any]],
) -> dict[str, list[list[Any]]]:
    """Named face boxes by sha1, on the photo as shown; a sidecar's regions replace the embedded ones."""
    faces: dict[str, list[list[Any]]] = {}
    for sha1, records in groups.items():
        fields = meta.get(sha1)
        if fields is None:
            continue
        raw = next(
            (sidecars[r.path]["regions"] for r in records if sidecars.get(r.path, {}).get("regions")), None
        )
        regions = Regions.from_json(raw or fields.get("regions"))
        if regions is None:
            continue
        stored = fields.get("stored") or [fields["width"], fields["height"]]
        shown = shown_faces(regions, int(fields.get("orientation", 1)), (int(stored[0]), int(stored[1])))
        if shown:
            faces[sha1] = [[name, x, y, w, h] for name, x, y, w, h in shown]
    return faces


def people(tags: list[str], faces: list[list[Any]]) -> list[str]:
    """Names of the people in a photo: its named faces and its People/Name tags."""
    names = [str(face[0]) for face in faces]
    names += [tag.split("/", 1)[1] for tag in tags if tag.lower().startswith(PEOPLE_ROOTS) and "/" in tag]
    return sorted(dict.fromkeys(n.strip() for n in names if n.strip()), key=str.casefold)


def add_people(entries: list[dict[str, Any]], faces: dict[str, list[list[Any]]], ids: dict[str, str]) -> None:
    """Each entry's face boxes and the names of its people (named faces and People/ tags)."""
    sha1_of = {item_id: sha1 for sha1, item_id in ids.items()}
    for entry in entries:
        boxes = faces.get(sha1_of[entry["id"]], [])
        names = people(entry["tags"], boxes)
        if boxes:
            entry["faces"] = boxes
        if names:
            entry["people"] = names
