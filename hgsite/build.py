"""build(config) -> BuildReport: the pipeline, top to bottom. The stages are in hgsite/stages/."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator

from hgsite import fingerprint, memory, naming, replay, site, subset
from hgsite.cache.lock import project_lock
from hgsite.cache.store import FieldsOf, Store
from hgsite.config import Config
from hgsite.report import BuildReport, Progress, silent
from hgsite.stages import database, images, index, places, similar, videos
from hgsite.stages import site as site_stage
from hgsite.tasks.coordinator import Recorder
from hgsite.tasks.executor import executor_for

FIRST_ROUND, LARGEST_ROUND = 200, 5000  # new files per round of a progressive build


def build(
    config: Config,
    progress: Progress = silent,
    serving: site.Serving | None = None,
    progressive: Callable[[BuildReport], None] | None = None,
) -> BuildReport:
    """Build the site. With `progressive` (called after each round), new files are read in rounds,
    most recently modified first, and a complete site is written after every round; a new round is
    twice as large as the one before. Interrupted, the next build continues where it stopped."""
    limit = FIRST_ROUND if progressive is not None else None
    with project_lock(config.cache), memory.collector_paused():
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


def _run(
    config: Config,
    store: Store,
    report: BuildReport,
    progress: Progress,
    serving: site.Serving | None,
    limit: int | None,
) -> None:
    key = naming.load_key(config.project)
    report.warnings.extend(index.warnings(config))
    with _timed(report, "index"):
        scan = index.run(config, store, progress, limit)
    report.files, report.hashed, report.remaining = len(scan.files), scan.hashed, scan.remaining
    report.failures.extend(scan.failures)
    report.not_shown.extend(scan.not_shown)
    with _timed(report, "inputs"):
        themes = site_stage.themes(config)
        inputs = fingerprint.inputs(config, scan, key, themes) if serving is None else None
    if inputs is not None and replay.replay(store, config, inputs, report):
        return
    replay.forget(store, config)
    bundle = _bundle(config, store, index.items(scan), key, report, progress, serving)
    if bundle is None:
        return  # keep the previous site rather than replace it with an empty one; the CLI says why
    with _timed(report, "site"):
        site_stage.run(config, bundle, progress, report)
    if inputs is not None and report.remaining == 0 and report.unfinished == 0:
        replay.remember(store, config, inputs, report)


def _bundle(
    config: Config,
    store: Store,
    items: index.Items,
    key: bytes,
    report: BuildReport,
    progress: Progress,
    serving: site.Serving | None,
) -> site.Bundle | None:
    """Extract what is missing, assemble the database and its data files: the bundle, None if empty."""
    executor, recorder = executor_for(config), Recorder(store, items, report)
    with _timed(report, "extract"):
        images.run(config, items, recorder, executor, progress)
    with _timed(report, "videos"):
        videos.run(config, items, recorder, executor, progress)
    meta, artifacts = store.load_meta(), store.load_artifacts()  # read-only; no stage writes from here
    store.unload()  # held here alone, and let go of as the stages finish with them
    with _timed(report, "duplicates"):  # before the database, so that the pass and the entries never meet
        near = similar.near_duplicates(config.cache, artifacts, items)
    with _timed(report, "places"):
        places.run(config, FieldsOf(meta, items))
    with _timed(report, "database"):
        ids = naming.public_ids(key, items)
        db = database.run(config, store, items, (meta, artifacts), ids, key, report)
        del meta  # in the entries now; a tenth of a 100k build's memory
    with _timed(report, "similar"):
        codes = similar.label(db, artifacts, ids)  # labels, which a query may ask for
        del artifacts  # the manifest's rows are not read again; 70 MB at 100,000 items
        if config.query is not None:
            subset.keep_only(db, config.query, site_stage.query_js(config))
        data = similar.browser_data(config.cache, db, ids, codes, near, items)
    del items, ids  # not read again: 40 MB at 100,000 files, while the database is encoded
    with _timed(report, "encode"):
        payload = database.encode(config, store, db)
    report.entries, report.database_bytes = len(db.entries), len(payload)
    report.bundle = site_stage.bundle(config, db, payload, data, serving)
    return report.bundle if db.entries else None


def _timed(report: BuildReport, stage: str) -> contextlib.AbstractContextManager[None]:
    @contextlib.contextmanager
    def timer() -> Iterator[None]:
        start = time.perf_counter()
        yield
        report.seconds[stage] = round(time.perf_counter() - start, 3)

    return timer()
