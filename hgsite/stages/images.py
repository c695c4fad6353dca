"""Images stage: metadata, previews and the model's output of every photo that lacks them, as tasks."""

from __future__ import annotations

from hgsite import kinds
from hgsite.config import Config
from hgsite.index import is_video
from hgsite.report import Progress
from hgsite.stages.index import Items
from hgsite.tasks import coordinator
from hgsite.tasks.coordinator import Recorder
from hgsite.tasks.executor import Executor
from hgsite.tasks.model import Limits


def run(config: Config, items: Items, recorder: Recorder, executor: Executor, progress: Progress) -> None:
    photos = {sha1: records[0].path for sha1, records in items.items() if not is_video(records[0].path)}
    wants = kinds.wanted(config, "image")
    limits = Limits.of(config.limits)
    coordinator.extract(photos, "image", wants, recorder, executor, progress, "images", config.cache, limits)
