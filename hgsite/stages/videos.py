"""Videos stage: metadata and posters as tasks (like photos), then the web copies with their own
scheduler (extract/transcode.py: ffmpeg processes with a progress bar each)."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping

from hgsite import ffmpeg, kinds
from hgsite.cache.layout import artifact_path
from hgsite.cache.store import Artifact
from hgsite.config import Config
from hgsite.database import PreviewRef
from hgsite.extract.transcode import (
    TranscodeResult,
    TranscodeTask,
    WebVideoSpec,
    clear_temp_folder,
    run_transcodes,
)
from hgsite.extract.video import VIDEO_META_KEY
from hgsite.index import is_video
from hgsite.report import Failure, Progress
from hgsite.stages.index import Items
from hgsite.tasks import coordinator
from hgsite.tasks.coordinator import Recorder
from hgsite.tasks.executor import Executor
from hgsite.tasks.model import Limits

log = logging.getLogger(__name__)


def run(config: Config, items: Items, recorder: Recorder, executor: Executor, progress: Progress) -> None:
    """Probe, poster and web copy for every video that lacks them; failures and warnings into the report."""
    videos = {sha1: records[0].path for sha1, records in items.items() if is_video(records[0].path)}
    if not videos:
        return
    report = recorder.report
    tool = ffmpeg.find_ffmpeg(config.video.ffmpeg)
    if tool is None:
        where = (
            f"'{config.video.ffmpeg}' (video.ffmpeg) does not run" if config.video.ffmpeg else "none found"
        )
        report.warnings.append(
            Failure("ffmpeg", f"{where}: {len(videos)} videos left out (install ffmpeg or imageio-ffmpeg)")
        )
        return
    log.info("hgsite: %d videos: %s; metadata read with PyAV", len(videos), tool.describe())
    spec = WebVideoSpec.of(config.video)
    wants = kinds.wanted(config, "video")
    limits = Limits.of(config.limits, tool.path)
    coordinator.extract(
        videos, "video", wants, recorder, executor, progress, "posters", config.cache, limits, [spec.name]
    )
    if tool.can_transcode:
        _web_copies(config, recorder, videos, spec, tool.path, progress)
    else:
        report.warnings.append(Failure("ffmpeg", "cannot encode H.264/AAC: videos show their poster only"))


def _web_copies(
    config: Config,
    recorder: Recorder,
    videos: dict[str, str],
    spec: WebVideoSpec,
    tool: str,
    progress: Progress,
) -> None:
    store, groups, report = recorder.store, recorder.groups, recorder.report
    meta, artifacts = store.load_meta(), store.load_artifacts()
    tasks = []
    for sha1 in videos:
        known = meta.get(sha1)
        if known is None or known.key != VIDEO_META_KEY:
            continue  # failed above
        made = artifacts.get((sha1, spec.name))
        if made is not None and made.key == spec.key:
            reason = made.info.get("error") or made.info.get("warning")
            if reason:
                report.warnings.append(Failure(groups[sha1][0].rel, reason))
            continue
        tasks.append(TranscodeTask(sha1, videos[sha1], groups[sha1][0].rel, known.fields, spec, config.cache))
    clear_temp_folder(config.cache)

    def record(result: TranscodeResult) -> None:
        if result.artifact is not None:
            recorder.keep(result.task.sha1, None, [result.artifact])
            report.transcoded += "error" not in result.artifact.info
        report.unfinished += result.artifact is None  # not recorded: the next build tries again
        reason = result.error or (result.artifact.info.get("warning") if result.artifact else None)
        if reason:
            report.warnings.append(Failure(result.task.rel, reason))

    try:
        run_transcodes(tool, tasks, config.workers, config.limits.timeout, progress, record)
    finally:
        clear_temp_folder(config.cache)


def web_copies(
    config: Config, artifacts: Mapping[tuple[str, str], Artifact], sha1s: Iterable[str]
) -> dict[str, PreviewRef]:
    """The web copies made with the current settings, for the database and the bundle."""
    if not config.video.enabled:
        return {}
    spec = WebVideoSpec.of(config.video)
    copies = {}
    for sha1 in sha1s:
        made = artifacts.get((sha1, spec.name))
        if made is not None and made.key == spec.key and "error" not in made.info:
            path = artifact_path(config.cache, sha1, spec.name, spec.key, "mp4")
            copies[sha1] = PreviewRef(spec.size, spec.key, path)
    return copies
