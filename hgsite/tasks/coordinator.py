"""The coordinating side of the task model: plan, run the tasks through an executor, record the results.

Only this side touches the SQLite manifest. Photos and video posters go through extract(); the web
copies of videos have their own scheduler (extract/transcode.py) and record through the same Recorder.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from hgsite.cache.store import Artifact, Store
from hgsite.index import FileRecord
from hgsite.report import BuildReport, Failure, Progress
from hgsite.tasks import planner
from hgsite.tasks.executor import Executor
from hgsite.tasks.model import Limits, Want


def remove(paths: Iterable[Path]) -> None:
    """Delete superseded artifact files (the manifest no longer names them)."""
    for path in paths:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


class Recorder:
    """What tasks made or why they failed: into the manifest, and each file of the item into the report."""

    def __init__(self, store: Store, groups: dict[str, list[FileRecord]], report: BuildReport) -> None:
        self.store, self.groups, self.report = store, groups, report

    def failed(self, sha1: str, reason: str, transient: bool, failure_key: str) -> None:
        """A failure; remembered under `failure_key` unless trying again may help."""
        self.report.failures.extend(Failure(record.rel, reason) for record in self.groups[sha1])
        self.report.unfinished += transient
        self.store.record(sha1, None, [], None if transient else (failure_key, reason))

    def keep(self, sha1: str, meta: tuple[str, dict[str, Any]] | None, artifacts: Sequence[Artifact]) -> None:
        remove(self.store.record(sha1, meta, artifacts, None))


def extract(
    items: dict[str, str],
    source: str,
    wants: Sequence[Want],
    recorder: Recorder,
    executor: Executor,
    step: Progress,
    stage: str,
    cache: Path,
    limits: Limits,
    keep: Sequence[str] = (),
) -> None:
    """Make what `items` (sha1 -> path) lack of `wants`, through `executor`; record every result."""
    store, report = recorder.store, recorder.report
    stored = planner.Stored(store.load_meta(), store.load_artifacts(), store.load_failures())
    plan = planner.plan(items, source, wants, stored, str(cache), limits, keep)
    del stored  # the store's tables are read again after the first write
    for sha1, names in plan.obsolete.items():
        remove(store.forget_artifacts(sha1, names))
    for sha1, reason in plan.cached_failures.items():
        report.failures.extend(Failure(record.rel, reason) for record in recorder.groups[sha1])
    fkey = planner.failure_key(source, wants)
    kind_of = {want.name: want.kind for want in wants}
    with step(stage, len(plan.tasks)) as done:
        for result in executor.run(plan.tasks):
            done(1)
            if result.error is not None:
                recorder.failed(result.sha1, result.error, result.transient, fkey)
                continue
            report.extracted += 1
            report.made.update(kind_of[artifact.name] for artifact in result.artifacts)
            if result.worker:
                report.workers[result.worker] += 1
            recorder.keep(result.sha1, result.meta, result.artifacts)
