"""Index stage: walk the sources, remember every file's stamp, and group the files by content."""

from __future__ import annotations

from pathlib import Path

from hgsite import index
from hgsite.cache.store import Store
from hgsite.config import CONFIG_NAME, Config
from hgsite.index import FileRecord, Scan
from hgsite.naming import KEY_FILE
from hgsite.report import Failure, Progress

Items = dict[str, list[FileRecord]]  # files by the sha1 of their content: identical bytes are one item


def run(config: Config, store: Store, progress: Progress, limit: int | None = None) -> Scan:
    """The sources' media files, hashing only what changed since the stamps in the store."""
    previous = store.load_stamps()
    kinds = index.MEDIA_EXTENSIONS if config.video.enabled else index.IMAGE_EXTENSIONS
    scan = index.scan(
        config.sources,
        previous,
        config.exclude,
        config.include_hidden,
        own_files(config),
        config.workers,
        progress,
        limit,
        kinds,
    )
    store.replace_stamps(scan.stamps, previous)
    scan.stamps = {}  # in the store now, and nothing after the index reads them (20 MB at 100,000 files)
    return scan


def own_files(config: Config) -> tuple[Path, ...]:
    """What hgsite itself keeps in the project (which may be a source): never read as photos, never
    counted as files not shown."""
    project = config.project
    tmp = config.output.with_name(config.output.name + ".tmp-hgsite")
    old = config.output.with_name(config.output.name + ".old-hgsite")
    files = (project / CONFIG_NAME, config.events, project / KEY_FILE)
    return (config.output, config.cache, tmp, old, *files)


def items(scan: Scan) -> Items:
    """The scan's files by content; the scan lets go of them (they live on in the items alone)."""
    grouped: Items = {}
    for record in scan.files:
        grouped.setdefault(record.sha1, []).append(record)
    scan.files = []
    return grouped


def warnings(config: Config) -> list[Failure]:
    """An output folder inside a source: skipped when reading photos, but worth a word."""
    return [
        Failure(
            str(source), "the output folder is inside this source folder; hgsite skips it when reading photos"
        )
        for source in config.sources  # "cd ~/Pictures && hgsite build" puts ./site there on purpose
        if config.output.is_relative_to(source) and source != config.project
    ]
