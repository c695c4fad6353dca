"""`hgsite xmp`: every file's tags (what the next build shows) into XMP sidecars for digiKam, darktable
and Lightroom."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from hgsite import naming
from hgsite.atomic import atomic_write
from hgsite.cache.lock import project_lock
from hgsite.cache.store import FieldsOf, Store
from hgsite.config import Config
from hgsite.events.log import read_log
from hgsite.extract.xmp import made_by_hgsite, render_sidecar
from hgsite.index import FileRecord
from hgsite.report import Failure, silent
from hgsite.stages import database, index


def current_tags(config: Config) -> list[tuple[FileRecord, list[str]]]:
    """Every media file with the tags its item has now: what the next build shows."""
    problems: list[Failure] = []
    with project_lock(config.cache):
        store = Store(config.cache)
        try:
            items = index.items(index.run(config, store, silent))
            meta = FieldsOf(store.load_meta(), items)
            keywords = {sha1: fields["keywords"] for sha1, fields in meta.items() if fields.get("keywords")}
            ids = naming.public_ids(naming.load_key(config.project), items)
            log = read_log(config.events)
            tags, _ = database.item_tags(config, store, items, meta, keywords, ids, log, problems)
        finally:
            store.close()
    return [(record, tags.get(sha1, [])) for sha1, records in items.items() for record in records]


@dataclass
class SidecarWrite:
    """What `hgsite xmp` did."""

    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    skipped: list[Failure] = field(default_factory=list)


def write_sidecars(
    files: Sequence[tuple[FileRecord, list[str]]], out: Path | None, dry_run: bool = False
) -> SidecarWrite:
    """XMP sidecars with each file's tags: under `out` (mirroring the source folders) or, when `out`
    is None, next to the originals as photo.jpg.xmp. Never touches an original, and never replaces a
    sidecar that hgsite did not write."""
    result = SidecarWrite()
    for record, tags in files:
        target = out / f"{record.rel}.xmp" if out is not None else Path(f"{record.path}.xmp")
        try:
            existing = target.read_bytes()
        except FileNotFoundError:
            existing = None
        except OSError as error:
            result.skipped.append(Failure(str(target), f"cannot read: {error.strerror}"))
            continue
        if existing is None and not tags:
            continue
        if existing is not None and not made_by_hgsite(existing):
            result.skipped.append(
                Failure(str(target), "a sidecar not written by hgsite is there; left alone")
            )
            continue
        content = render_sidecar(tags)
        if existing == content:
            result.unchanged += 1
            continue
        if not dry_run:
            try:
                with atomic_write(target, durable=True) as handle:
                    handle.write(content)
            except OSError as error:
                result.skipped.append(Failure(str(target), f"cannot write: {error.strerror}"))
                continue
        result.written.append(str(target))
    return result
