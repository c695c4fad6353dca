"""The video part of the extract stage: metadata and posters in worker processes, then the web copies.

build.py calls extract() after the images and web_copies() when it assembles the database.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Sequence
from pathlib import Path

from hgsite import ffmpeg
from hgsite.cache.layout import artifact_path
from hgsite.cache.store import Store
from hgsite.config import Config
from hgsite.database import PreviewRef
from hgsite.extract.images import PreviewSpec
from hgsite.extract.transcode import (
    Progress,
    TranscodeResult,
    TranscodeTask,
    WebVideoSpec,
    clear_temp_folder,
    run_transcodes,
)
from hgsite.extract.video import (
    VIDEO_META_KEY,
    VideoResult,
    extract_video,
    failure_key,
    plan_videos,
    poster_artifacts,
)
from hgsite.index import FileRecord, is_video
from hgsite.report import TRANSIENT, BuildReport, Failure
from hgsite.workers import run_tasks

log = logging.getLogger(__name__)


def extract(
    config: Config,
    store: Store,
    groups: dict[str, list[FileRecord]],
    specs: Sequence[PreviewSpec],
    report: BuildReport,
    progress: Progress,
) -> None:
    """Probe, poster and web copy for every video that lacks them; failures and warnings into `report`."""
    items = {sha1: records[0].path for sha1, records in groups.items() if is_video(records[0].path)}
    if not items:
        return
    tool = ffmpeg.find_ffmpeg(config.video.ffmpeg)
    if tool is None:
        where = (
            f"'{config.video.ffmpeg}' (video.ffmpeg) does not run" if config.video.ffmpeg else "none found"
        )
        report.warnings.append(
            Failure("ffmpeg", f"{where}: {len(items)} videos left out (install ffmpeg or imageio-ffmpeg)")
        )
        return
    log.info("hgsite: %d videos: %s; metadata read with PyAV", len(items), tool.describe())
    spec = WebVideoSpec.of(config.video)
    _posters(config, store, groups, items, specs, spec, tool.path, report, progress)
    if tool.can_transcode:
        _web_copies(config, store, groups, items, spec, tool.path, report, progress)
    else:
        report.warnings.append(Failure("ffmpeg", "cannot encode H.264/AAC: videos show their poster only"))


def _posters(
    config: Config,
    store: Store,
    groups: dict[str, list[FileRecord]],
    items: dict[str, str],
    specs: Sequence[PreviewSpec],
    spec: WebVideoSpec,
    tool: str,
    report: BuildReport,
    progress: Progress,
) -> None:
    stored = (store.load_meta(), store.load_artifacts(), store.load_failures())
    timeout = config.limits.timeout
    plan = plan_videos(items, specs, [spec.name], str(config.cache), tool, timeout, stored)
    for sha1, names in plan.obsolete.items():
        _remove(store.forget_artifacts(sha1, names))
    for sha1, reason in plan.cached_failures.items():
        report.failures.extend(Failure(record.rel, reason) for record in groups[sha1])
    fkey = failure_key(specs)
    with progress("posters", len(plan.tasks)) as step:
        for outcome in run_tasks(extract_video, plan.tasks, config.workers, timeout):
            step(1)
            result = outcome.result or VideoResult(outcome.task.sha1, None, (), outcome.error)
            if result.error is not None or result.meta is None:
                reason = result.error or "no metadata"
                report.failures.extend(Failure(record.rel, reason) for record in groups[result.sha1])
                transient = reason.startswith(TRANSIENT)
                report.unfinished += transient
                store.record(result.sha1, None, [], None if transient else (fkey, reason))
                continue
            report.extracted += 1
            report.previews += len(result.previews)
            _remove(store.record(result.sha1, (VIDEO_META_KEY, result.meta), poster_artifacts(result), None))


def _web_copies(
    config: Config,
    store: Store,
    groups: dict[str, list[FileRecord]],
    items: dict[str, str],
    spec: WebVideoSpec,
    tool: str,
    report: BuildReport,
    progress: Progress,
) -> None:
    meta, artifacts = store.load_meta(), store.load_artifacts()
    tasks = []
    for sha1 in items:
        known = meta.get(sha1)
        if known is None or known.key != VIDEO_META_KEY:
            continue  # failed above
        made = artifacts.get((sha1, spec.name))
        if made is not None and made.key == spec.key:
            reason = made.info.get("error") or made.info.get("warning")
            if reason:
                report.warnings.append(Failure(groups[sha1][0].rel, reason))
            continue
        tasks.append(TranscodeTask(sha1, items[sha1], groups[sha1][0].rel, known.fields, spec, config.cache))
    clear_temp_folder(config.cache)

    def record(result: TranscodeResult) -> None:
        if result.artifact is not None:
            _remove(store.record(result.task.sha1, None, [result.artifact], None))
            report.transcoded += "error" not in result.artifact.info
        report.unfinished += result.artifact is None  # not recorded: the next build tries again
        reason = result.error or (result.artifact.info.get("warning") if result.artifact else None)
        if reason:
            report.warnings.append(Failure(result.task.rel, reason))

    try:
        run_transcodes(tool, tasks, config.workers, config.limits.timeout, progress, record)
    finally:
        clear_temp_folder(config.cache)


def web_copies(config: Config, store: Store, sha1s: Sequence[str]) -> dict[str, PreviewRef]:
    """The web copies made with the current settings, for the database and the bundle."""
    if not config.video.enabled:
        return {}
    spec = WebVideoSpec.of(config.video)
    artifacts = store.load_artifacts()
    copies = {}
    for sha1 in sha1s:
        made = artifacts.get((sha1, spec.name))
        if made is not None and made.key == spec.key and "error" not in made.info:
            path = artifact_path(config.cache, sha1, spec.name, spec.key, "mp4")
            copies[sha1] = PreviewRef(spec.size, spec.key, path)
    return copies


def _remove(paths: list[Path]) -> None:
    for path in paths:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
