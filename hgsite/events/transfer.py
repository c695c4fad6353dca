"""Moving the user's tags in and out: events exported from browsers (or HomeGallery) into the project's
log, checked and merged by id; tags out to XMP sidecars for digiKam, darktable and Lightroom."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from hgsite.atomic import atomic_write
from hgsite.cache.layout import index_file
from hgsite.cache.lock import project_lock
from hgsite.cache.store import Store
from hgsite.config import Config
from hgsite.errors import HgsiteError
from hgsite.events.log import Log, append, read_log
from hgsite.events.model import Event, EventError, parse_line
from hgsite.extract.xmp import made_by_hgsite, render_sidecar
from hgsite.index import FileRecord
from hgsite.naming import load_key, public_id
from hgsite.report import Failure


@dataclass(frozen=True, slots=True)
class BadLine:
    file: str
    line: int
    reason: str


@dataclass
class Merge:
    """What importing some files into a log does (or would do, for a dry run)."""

    new: list[Event] = field(default_factory=list)
    already: int = 0  # identical events already in the log
    conflicts: list[tuple[str, Event]] = field(default_factory=list)  # (file, event) same id, other content
    bad: list[BadLine] = field(default_factory=list)
    unknown_targets: list[tuple[Event, list[str]]] = field(default_factory=list)


def read_events(path: Path, bad: list[BadLine]) -> list[Event]:
    """Every valid event of an exported file; each bad line is recorded with its number and reason."""
    events = []
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            try:
                event = parse_line(line)
            except EventError as error:
                bad.append(BadLine(str(path), number, str(error)))
                continue
            if event is not None:
                events.append(event)
    return events


def merge(log: Log, files: Sequence[Path], known: set[str] | None) -> Merge:
    """Events of `files` that the log lacks, in file order; `known` target names, when the index exists."""
    result = Merge()
    present = {event.id: event for event in log.events}
    for path in files:
        for event in read_events(path, result.bad):
            if event.id in present:
                if present[event.id] == event:
                    result.already += 1
                else:
                    result.conflicts.append((str(path), event))
                continue
            present[event.id] = event
            result.new.append(event)
            missing = [t for t in event.targets if known is not None and t not in known]
            if missing:
                result.unknown_targets.append((event, missing))
    return result


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


@dataclass
class SidecarWrite:
    """What `hgsite xmp` did."""

    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    skipped: list[Failure] = field(default_factory=list)


def write_sidecars(
    files: Sequence[tuple[FileRecord, list[str]]], out: Path | None, dry_run: bool = False
) -> SidecarWrite:
    """XMP sidecars with each file's tags: under `out` (mirroring the source folders) or, when `out`
    is None, next to the originals as photo.jpg.xmp. Never touches an original, and never replaces a
    sidecar that hgsite did not write."""
    result = SidecarWrite()
    for record, tags in files:
        target = out / f"{record.rel}.xmp" if out is not None else Path(f"{record.path}.xmp")
        try:
            existing = target.read_bytes()
        except FileNotFoundError:
            existing = None
        except OSError as error:
            result.skipped.append(Failure(str(target), f"cannot read: {error.strerror}"))
            continue
        if existing is None and not tags:
            continue
        if existing is not None and not made_by_hgsite(existing):
            result.skipped.append(
                Failure(str(target), "a sidecar not written by hgsite is there; left alone")
            )
            continue
        content = render_sidecar(tags)
        if existing == content:
            result.unchanged += 1
            continue
        if not dry_run:
            try:
                with atomic_write(target, durable=True) as handle:
                    handle.write(content)
            except OSError as error:
                result.skipped.append(Failure(str(target), f"cannot write: {error.strerror}"))
                continue
        result.written.append(str(target))
    return result
