"""Images stage: metadata, previews and the model's output of every photo that lacks them, as tasks.

Photos Pillow decodes and camera RAW files are read by two task sources ("image", "raw"); the
artifact kinds are the same for both, and each source is planned once.
"""

from __future__ import annotations

from hgsite import kinds
from hgsite.config import Config
from hgsite.index import is_raw, is_video
from hgsite.report import Progress
from hgsite.stages.index import Items
from hgsite.tasks import coordinator
from hgsite.tasks.coordinator import Recorder
from hgsite.tasks.executor import Executor
from hgsite.tasks.model import Limits


def run(config: Config, items: Items, recorder: Recorder, executor: Executor, progress: Progress) -> None:
    photos = {sha1: records[0].path for sha1, records in items.items() if not is_video(records[0].path)}
    raws = {sha1: path for sha1, path in photos.items() if is_raw(path)}
    limits = Limits.of(config.limits)
    by_source = {"image": {sha1: path for sha1, path in photos.items() if sha1 not in raws}}
    if raws:
        by_source["raw-decode" if config.raw.decode else "raw"] = raws
    for source, chosen in by_source.items():
        wants = kinds.wanted(config, source)
        stage = "images" if source == "image" else "raw photos"
        coordinator.extract(chosen, source, wants, recorder, executor, progress, stage, config.cache, limits)
