"""`hgsite import`: merge events exported from browsers (or HomeGallery) into the project's log."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from hgsite import naming
from hgsite.cache.layout import index_file
from hgsite.cache.lock import project_lock
from hgsite.cache.store import Store
from hgsite.config import CONFIG_NAME, Config
from hgsite.errors import HgsiteError
from hgsite.events.log import append, read_log
from hgsite.events.transfer import Merge, merge
from hgsite.naming import load_key, public_id


def import_events(config: Config, files: Sequence[Path], dry_run: bool = False) -> Merge:
    """Merge exported files into the project's events.ndjson (unless dry_run), under the project lock."""
    for path in files:
        if not path.is_file():
            raise HgsiteError(f"{path}: no such file")
    with project_lock(config.cache):
        log = read_log(config.events)
        result = merge(log, files, _known_targets(config))
        if not dry_run:
            append(config.events, log, result.new)
    return result


def check_project(config: Config) -> None:
    """Refuse a folder that is no project (no config file, event log, naming key or build cache):
    importing there would start a stray event log that no build ever reads."""
    project = config.project
    markers = (project / CONFIG_NAME, config.events, project / naming.KEY_FILE, index_file(config.cache))
    if any(marker.is_file() for marker in markers):
        return
    raise HgsiteError(
        f"{project} is not an hgsite project (no {CONFIG_NAME}, events.ndjson or {config.cache.name}/ here): "
        "run hgsite import in the gallery's folder, or give its config with -c"
    )


def _known_targets(config: Config) -> set[str] | None:
    """Every name an event may use for an item the index knows: its public id or its sha1 (HomeGallery)."""
    if not index_file(config.cache).exists():
        return None
    store = Store(config.cache)
    try:
        sha1s = {stamp.sha1 for stamp in store.load_stamps().values()}
    finally:
        store.close()
    if not sha1s:
        return None
    key = load_key(config.project)
    return sha1s | {public_id(key, sha1) for sha1 in sha1s}
