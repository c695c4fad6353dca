"""build(config) -> BuildReport: index, extract, assemble the database, emit the site. Nothing else."""

from __future__ import annotations

import contextlib
import gc
import logging
import time
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from hgsite import (
    database,
    extract,
    fingerprint,
    hosting,
    index,
    naming,
    site,
    subset,
    tagging,
    videos,
)
from hgsite.cache.compressed import compressed
from hgsite.cache.layout import artifact_file, places_file
from hgsite.cache.lock import project_lock
from hgsite.cache.store import FieldsOf, Store
from hgsite.config import Config
from hgsite.database import PreviewRef
from hgsite.errors import HgsiteError
from hgsite.events.log import Log, read_log
from hgsite.extract import places
from hgsite.extract.images import META_KEY, PreviewSpec
from hgsite.index import FileRecord
from hgsite.report import TRANSIENT, BuildReport, Failure
from hgsite.similar import browser, duplicates, labels, pairs
from hgsite.workers import run_tasks

log = logging.getLogger(__name__)


# How the orchestrator reports progress: progress(stage, total) gives a context whose value is
# called with the number of steps done. The CLI passes tqdm bars; tests pass nothing.
Progress = Callable[[str, int], contextlib.AbstractContextManager[Callable[[int], None]]]


@contextlib.contextmanager
def _silent(stage: str, total: int) -> Iterator[Callable[[int], None]]:
    yield lambda n: None


FIRST_ROUND, LARGEST_ROUND = 200, 5000  # new files per round of a progressive build


def build(
    config: Config,
    progress: Progress = _silent,
    serving: site.Serving | None = None,
    progressive: Callable[[BuildReport], None] | None = None,
) -> BuildReport:
    """Build the site. With `progressive` (called after each round), new files are read in rounds,
    most recently modified first, and a complete site is written after every round; a new round is
    twice as large as the one before. Interrupted, the next build continues where it stopped."""
    limit = FIRST_ROUND if progressive is not None else None
    with project_lock(config.cache), _collector_paused():
        store = Store(config.cache)
        try:
            while True:
                report = BuildReport(output=config.output)
                _run(config, store, report, progress, serving, limit)
                if progressive is None or report.remaining == 0:
                    return report
                progressive(report)
                limit = min(2 * (limit or FIRST_ROUND), LARGEST_ROUND)
        finally:
            store.close()


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off for the build: it makes few cycles but hundreds of thousands of small
    objects (records, rows, entries), and each collection walks them all again (2 s of a 100k rebuild)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _timed(report: BuildReport, stage: str) -> contextlib.AbstractContextManager[None]:
    @contextlib.contextmanager
    def timer() -> Iterator[None]:
        start = time.perf_counter()
        yield
        report.seconds[stage] = round(time.perf_counter() - start, 3)

    return timer()


def _run(
    config: Config,
    store: Store,
    report: BuildReport,
    progress: Progress,
    serving: site.Serving | None,
    limit: int | None = None,
) -> None:
    key = naming.load_key(config.project)
    for source in config.sources:  # "cd ~/Pictures && hgsite build" puts ./site there on purpose
        if config.output.is_relative_to(source) and source != config.project:
            note = "the output folder is inside this source folder; hgsite skips it when reading photos"
            report.warnings.append(Failure(str(source), note))
    with _timed(report, "index"):
        scan = _scan(config, store, progress, limit)
    report.files, report.hashed, report.remaining = len(scan.files), scan.hashed, scan.remaining
    with _timed(report, "inputs"):
        inputs = fingerprint.inputs(config, scan, key, themes(config)) if serving is None else None
    if inputs is not None and _replay(store, config, inputs, report):
        return
    store.forget_state(_last_build(config))  # the cache and the site change from here: not complete yet
    bundle = _bundle(config, store, scan, key, report, progress, serving)
    del scan  # the index, the store's tables and the entries are not needed to write the site
    store.unload()
    if bundle is None:
        return  # keep the previous site rather than replace it with an empty one; the CLI says why
    with _timed(report, "site"), progress("site", len(bundle.files)) as step:
        report.site_written = site.emit(config.output, bundle, themes(config), step)
    if inputs is not None and report.remaining == 0 and report.unfinished == 0:
        _remember(store, config, inputs, report)


def _bundle(
    config: Config,
    store: Store,
    scan: index.Scan,
    key: bytes,
    report: BuildReport,
    progress: Progress,
    serving: site.Serving | None,
) -> site.Bundle | None:
    """Extract what is missing, assemble the database and its data files: the bundle, None if empty."""
    report.failures.extend(scan.failures)
    groups = _group(scan)
    scan.files = []  # the records live on in groups alone, and go with it after the similar stage
    wanted = config.previews
    specs = tuple(PreviewSpec(size, wanted.quality, wanted.progressive) for size in sorted(set(wanted.sizes)))
    with _timed(report, "extract"):
        _extract(config, store, groups, specs, report, progress)
    with _timed(report, "videos"):
        videos.extract(config, store, groups, specs, report, progress)
    with _timed(report, "duplicates"):  # before the database, so that the pass and the entries never meet
        analysed = pairs.with_features(store.load_artifacts(), groups)
        near = pairs.duplicate_groups(config.cache, analysed)
    with _timed(report, "places"):
        _name_places(config, store, groups)
    with _timed(report, "database"):
        ids = _ids(key, groups)
        db = _assemble(config, store, groups, specs, ids, key, report)
        store.unload("meta")  # in the entries now; a tenth of a 100k build's memory
    with _timed(report, "similar"):
        similar = _similar(config, store, groups, db, ids, near)  # labels, which a query may ask for
        if config.query is not None:
            _keep_only(config, db)
            similar = _similar(config, store, groups, db, ids, near)  # codes and groups of the subset only
    del groups, ids  # not read again: 40 MB at 100,000 files, while the database is encoded
    with _timed(report, "encode"):
        world = _world(config, db)
        created = _created(store, db)
        payload = compressed(
            config.cache, "database", lambda: database.serialised(db, created), database.GZIP_LEVEL
        )
    report.entries, report.database_bytes = len(db.entries), len(payload)
    extras = {"_headers": hosting.headers_file().encode()} if config.hosting.headers else {}
    data = {"database": payload, "similar": similar, **world}
    report.bundle = site.Bundle(config.title, data, len(db.entries), db.files, serving, extras)
    return report.bundle if db.entries else None


def _last_build(config: Config) -> str:
    """The state row of the last complete build into this output folder: its inputs and outcome."""
    return f"last build {config.output}"


def _replay(store: Store, config: Config, inputs: str, report: BuildReport) -> bool:
    """Repeat the last complete build's outcome if it had these inputs and its site is still in place."""
    saved = store.get_state(_last_build(config))
    try:
        last = orjson.loads(saved) if saved else None
        if last is None or last["inputs"] != inputs or site.read_marker(config.output) != last["site"]:
            return False
        entries, size = int(last["entries"]), int(last["database_bytes"])
        failures = [Failure(str(path), str(reason)) for path, reason in last["failures"]]
        warnings = [Failure(str(path), str(reason)) for path, reason in last["warnings"]]
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
        return False  # written by another version: build
    report.entries, report.database_bytes = entries, size
    report.failures, report.warnings = failures, warnings
    report.replayed = True
    return True


def _remember(store: Store, config: Config, inputs: str, report: BuildReport) -> None:
    last = {
        "inputs": inputs,
        "site": site.read_marker(config.output),
        "entries": report.entries,
        "database_bytes": report.database_bytes,
        "failures": [[failure.path, failure.reason] for failure in report.failures],
        "warnings": [[warning.path, warning.reason] for warning in report.warnings],
    }
    with contextlib.suppress(orjson.JSONEncodeError):  # a name that is not text: the next build builds
        store.set_state(_last_build(config), orjson.dumps(last).decode())


def _keep_only(config: Config, db: database.Database) -> None:
    """A subset bundle: the entries the query finds, their files, their folders; nothing of the others."""
    query_js = next(p for t in themes(config) if (p := t / "assets" / "js" / "query.js").is_file())
    keep = subset.select(db.entries, config.query or "", query_js)
    db.entries = [entry for entry in db.entries if entry["id"] in keep]
    owners = tuple(f"files/{i[:2]}/{i[2:4]}/{i[4:]}-" for i in keep)
    db.files = {url: path for url, path in db.files.items() if url.startswith(owners)} if owners else {}
    db.folders = database.folder_tree(db.entries)
    db.events = []  # a published subset is for looking; its page keeps no record of the full log


def _created(store: Store, db: database.Database) -> str:
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


def _world(config: Config, db: database.Database) -> dict[str, bytes]:
    """The map's basemap (data/world.*), for a site with positions only."""
    located = any("lat" in entry for entry in db.entries)
    return {"world": site.world_data(site.theme_dir(), config.cache)} if located else {}


def themes(config: Config) -> list[Path]:
    return site.theme_chain(config.theme, config.project, config.project / config.theme_overrides)


def current_tags(config: Config) -> list[tuple[FileRecord, list[str]]]:
    """Every media file with the tags its item has now: what the next build shows (for `hgsite xmp`)."""
    problems: list[Failure] = []
    with project_lock(config.cache):
        store = Store(config.cache)
        try:
            groups = _group(_scan(config, store, _silent))
            meta = FieldsOf(store.load_meta(), groups)
            keywords = {sha1: fields["keywords"] for sha1, fields in meta.items() if fields.get("keywords")}
            key = naming.load_key(config.project)
            ids = {sha1: naming.public_id(key, sha1) for sha1 in groups}
            tags, _ = _tags(config, store, groups, meta, keywords, ids, read_log(config.events), problems)
        finally:
            store.close()
    return [(record, tags.get(sha1, [])) for sha1, records in groups.items() for record in records]


def _group(scan: index.Scan) -> dict[str, list[FileRecord]]:
    """Files by content: identical bytes in two places are one item."""
    groups: dict[str, list[FileRecord]] = {}
    for record in scan.files:
        groups.setdefault(record.sha1, []).append(record)
    return groups


def _tags(
    config: Config,
    store: Store,
    groups: dict[str, list[FileRecord]],
    meta: Mapping[str, dict[str, Any]],
    keywords: dict[str, list[str]],
    ids: dict[str, str],
    log: Log,
    problems: list[Failure],
) -> tuple[dict[str, list[str]], dict[str, list[list[Any]]]]:
    """Tags and named faces by sha1, from the files' keywords (by sha1), their sidecars and the events."""
    problems.extend(Failure(f"{config.events.name} line {n}", why) for n, why in log.problems)
    records = [record for group in groups.values() for record in group]
    sidecars = tagging.read_sidecars(store, records, problems)
    tags = tagging.item_tags(groups, keywords, sidecars, log.events, ids)
    return tags, tagging.item_faces(groups, meta, sidecars)


def _scan(config: Config, store: Store, progress: Progress, limit: int | None = None) -> index.Scan:
    previous = store.load_stamps()
    skip = (config.output, config.cache, config.output.with_name(config.output.name + ".tmp-hgsite"))
    kinds = index.MEDIA_EXTENSIONS if config.video.enabled else index.IMAGE_EXTENSIONS
    with progress("hash", 0) as step:
        scan = index.scan(
            config.sources,
            previous,
            config.exclude,
            config.include_hidden,
            skip,
            config.workers,
            step,
            limit,
            kinds,
        )
    store.replace_stamps(scan.stamps, previous)
    scan.stamps = {}  # in the store now, and nothing after the index reads them (20 MB at 100,000 files)
    return scan


def _extract(
    config: Config,
    store: Store,
    groups: dict[str, list[FileRecord]],
    specs: tuple[PreviewSpec, ...],
    report: BuildReport,
    progress: Progress,
) -> None:
    items = {sha1: records[0].path for sha1, records in groups.items() if not index.is_video(records[0].path)}
    plan = extract.plan_images(
        items, specs, str(config.cache), store.load_meta(), store.load_artifacts(), store.load_failures(),
        int(config.limits.max_megapixels * 1e6),
    )  # fmt: skip
    for sha1, names in plan.obsolete.items():
        _remove(store.forget_artifacts(sha1, names))
    for sha1, reason in plan.cached_failures.items():
        report.failures.extend(Failure(record.rel, reason) for record in groups[sha1])
    fkey = extract.failure_key(specs)
    with progress("images", len(plan.tasks)) as step:
        for result in extract.run(plan.tasks, config.workers, config.limits.timeout):
            step(1)
            if result.error is not None:
                report.failures.extend(Failure(record.rel, result.error) for record in groups[result.sha1])
                transient = result.error.startswith(TRANSIENT)
                report.unfinished += transient
                store.record(result.sha1, None, [], None if transient else (fkey, result.error))
                continue
            report.extracted += 1
            report.previews += len(result.previews)
            meta = (META_KEY, result.meta) if result.meta is not None else None
            _remove(store.record(result.sha1, meta, extract.artifacts_of(result), None))


def _remove(paths: list[Path]) -> None:
    for path in paths:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _name_places(config: Config, store: Store, groups: dict[str, list[FileRecord]]) -> None:
    """Name new positions in a worker process (places.name_new), into the cache file that the entries
    then read. Should the worker fail, the entries name them in this process instead."""
    if config.privacy.strip_locations:
        return
    located = (f for f in FieldsOf(store.load_meta(), groups).values() if "lat" in f and "lon" in f)
    points = [(f["lat"], f["lon"]) for f in located]
    cache_file = places_file(config.cache)
    if places.unnamed(points, cache_file):
        for outcome in run_tasks(places.name_new, [(points, cache_file)], 1, config.limits.timeout):
            if outcome.error is not None:
                log.info("naming places in a worker failed (%s); naming them here", outcome.error)


def _ids(key: bytes, groups: dict[str, list[FileRecord]]) -> dict[str, str]:
    """Public ids by sha1 (naming.py)."""
    ids = {sha1: naming.public_id(key, sha1) for sha1 in groups}
    if len(set(ids.values())) != len(ids):
        raise HgsiteError("two items got the same public id; please report this (hgsite.key collision)")
    return ids


def _assemble(
    config: Config,
    store: Store,
    groups: dict[str, list[FileRecord]],
    specs: tuple[PreviewSpec, ...],
    ids: dict[str, str],
    key: bytes,
    report: BuildReport,
) -> database.Database:
    meta = FieldsOf(store.load_meta(), groups)  # each item's parsed when read, never all at once
    keywords: dict[str, list[str]] = {}
    for sha1, fields in meta.items():
        if "warning" in fields:
            report.warnings.append(Failure(groups[sha1][0].rel, fields["warning"]))
        if fields.get("keywords"):
            keywords[sha1] = fields["keywords"]
    artifacts = store.load_artifacts()
    previews: dict[str, list[PreviewRef]] = {}
    wanted = [(spec, spec.name, spec.key) for spec in specs]
    root = str(config.cache)
    for sha1 in meta:
        for spec, name, spec_key in wanted:
            artifact = artifacts.get((sha1, name))
            if artifact is not None and artifact.key == spec_key:
                path = artifact_file(root, sha1, name, spec_key, "jpg")  # = preview_file(), as a string
                previews.setdefault(sha1, []).append(PreviewRef(spec.size, spec_key, path))
    log = read_log(config.events)
    tags, faces = _tags(config, store, groups, meta, keywords, ids, log, report.warnings)
    web = videos.web_copies(config, store, list(meta))
    db = database.assemble(groups, meta, previews, ids, tags, config.privacy, web)
    sha1_of = {item_id: sha1 for sha1, item_id in ids.items()}
    for entry in db.entries:
        boxes = faces.get(sha1_of[entry["id"]], [])
        names = tagging.people(entry["tags"], boxes)
        if boxes:
            entry["faces"] = boxes
        if names:
            entry["people"] = names
    places.add_places(db.entries, places_file(config.cache))  # named in the places stage
    db.events = [event.id for event in log.events]
    db.folders = database.folder_tree(db.entries)
    db.gallery = naming.gallery_id(key)
    return db


def _similar(
    config: Config,
    store: Store,
    groups: dict[str, list[FileRecord]],
    db: database.Database,
    ids: dict[str, str],
    near: list[duplicates.DuplicateGroup],
) -> bytes:
    """Labels into the entries; the similarity codes and duplicate groups (`near`, of every item with
    features) for data/similar.json.gz."""
    by_id = {item_id: sha1 for sha1, item_id in ids.items()}
    order = [by_id[entry["id"]] for entry in db.entries]
    entry_of = dict(zip(order, db.entries, strict=True))
    codes_of = {}
    for sha1, item in labels.analysed(store.load_artifacts(), order):
        entry_of[sha1]["labels"] = labels.labels(item.top)
        codes_of[sha1] = item.code
    store.unload()  # the manifest's rows are not read again; 70 MB at 100,000 items
    exact = [sha1 for sha1 in order if len(groups[sha1]) > 1]
    parts = browser.browser_parts(order, codes_of, near, exact)
    del codes_of  # in the parts' code blob now: 27 MB at 100,000 items
    return compressed(config.cache, "similar", parts, browser.GZIP_LEVEL)
