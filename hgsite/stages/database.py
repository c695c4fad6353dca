"""Database stage: join the items, their metadata and previews, tags, faces, places and the events into
the client database (database.py), and encode it (docs/database.md)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from hgsite import database, naming, tagging
from hgsite.cache.compressed import compressed
from hgsite.cache.layout import artifact_file, places_file
from hgsite.cache.store import Artifact, FieldsOf, Meta, Store
from hgsite.config import Config
from hgsite.database import Database, PreviewRef
from hgsite.events.log import Log, read_log
from hgsite.extract import places
from hgsite.kinds.preview import specs_of
from hgsite.report import BuildReport, Failure
from hgsite.stages import videos
from hgsite.stages.index import Items


def run(
    config: Config,
    store: Store,
    items: Items,
    manifest: tuple[Mapping[str, Meta], Mapping[tuple[str, str], Artifact]],
    ids: dict[str, str],
    key: bytes,
    report: BuildReport,
) -> Database:
    """The entries of every item with metadata and a preview; `manifest` is its (meta, artifacts) tables."""
    rows, artifacts = manifest
    meta = FieldsOf(rows, items)  # each item's parsed when read, never all at once
    keywords: dict[str, list[str]] = {}
    for sha1, fields in meta.items():
        if "warning" in fields:
            report.warnings.append(Failure(items[sha1][0].rel, fields["warning"]))
        if fields.get("keywords"):
            keywords[sha1] = fields["keywords"]
    previews = _previews(config, artifacts, meta)
    log = read_log(config.events)
    tags, faces = item_tags(config, store, items, meta, keywords, ids, log, report.warnings)
    web = videos.web_copies(config, artifacts, meta)
    db = database.assemble(items, meta, previews, ids, tags, config.privacy, web)
    tagging.add_people(db.entries, faces, ids)
    places.add_places(db.entries, places_file(config.cache))  # named in the places stage
    db.events = [event.id for event in log.events]
    db.folders = database.folder_tree(db.entries)
    db.gallery = naming.gallery_id(key)
    return db


def _previews(
    config: Config, artifacts: Mapping[tuple[str, str], Artifact], sha1s: Mapping[str, Any]
) -> dict[str, list[PreviewRef]]:
    """The previews made with the current settings, by sha1."""
    previews: dict[str, list[PreviewRef]] = {}
    wanted = [(spec, spec.name, spec.key) for spec in specs_of(config)]
    root = str(config.cache)
    for sha1 in sha1s:
        for spec, name, spec_key in wanted:
            artifact = artifacts.get((sha1, name))
            if artifact is not None and artifact.key == spec_key:
                path = artifact_file(root, sha1, name, spec_key, "jpg")  # = preview_file(), as a string
                previews.setdefault(sha1, []).append(PreviewRef(spec.size, spec_key, path))
    return previews


def item_tags(
    config: Config,
    store: Store,
    items: Items,
    meta: Mapping[str, dict[str, Any]],
    keywords: dict[str, list[str]],
    ids: dict[str, str],
    log: Log,
    problems: list[Failure],
) -> tuple[dict[str, list[str]], dict[str, list[list[Any]]]]:
    """Tags and named faces by sha1, from the files' keywords (by sha1), their sidecars and the events."""
    problems.extend(Failure(f"{config.events.name} line {n}", why) for n, why in log.problems)
    records = [record for group in items.values() for record in group]
    sidecars = tagging.read_sidecars(store, records, problems)
    tags = tagging.item_tags(items, keywords, sidecars, log.events, ids)
    return tags, tagging.item_faces(items, meta, sidecars)


def encode(config: Config, store: Store, db: Database) -> bytes:
    """data/database.json.gz, kept in the cache while its content does not change."""
    created = _created(store, db)
    return compressed(config.cache, "database", lambda: database.serialised(db, created), database.GZIP_LEVEL)


def _created(store: Store, db: Database) -> str:
    """When the database's content last changed: an unchanged rebuild keeps the time, and so the bytes."""
    digest = database.content_digest(db)
    if store.get_state("database digest") == digest:
        created = store.get_state("database created")
        if created:
            return created
    created = datetime.now(UTC).isoformat(timespec="seconds")
    store.set_state("database created", created)
    store.set_state("database digest", digest)
    return created
