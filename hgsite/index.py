"""Scan source folders into file records: a stat fast path, sha1 only for new or changed files."""

from __future__ import annotations

import errno
import fnmatch
import hashlib
import os
import re
import stat
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from hgsite.cache.store import Stamp
from hgsite.report import Failure, Progress, silent

# Camera RAW files: read by LibRaw (extract/raw.py), shown from their embedded preview.
RAW_EXTENSIONS = frozenset(
    [
        ".3fr",
        ".ari",
        ".arw",
        ".cr2",
        ".cr3",
        ".crw",
        ".dcr",
        ".dng",
        ".erf",
        ".fff",
        ".iiq",
        ".k25",
        ".kdc",
        ".mef",
        ".mos",
        ".mrw",
        ".nef",
        ".nrw",
        ".orf",
        ".pef",
        ".raf",
        ".raw",
        ".rw2",
        ".rwl",
        ".sr2",
        ".srf",
        ".srw",
        ".x3f",
    ]
)
# Photos Pillow (and pillow-heif) decodes.
PICTURE_EXTENSIONS = frozenset(
    [
        ".jpg",
        ".jpeg",
        ".jpe",
        ".jfif",
        ".png",
        ".gif",
        ".webp",
        ".tif",
        ".tiff",
        ".heic",
        ".heif",
        ".hif",
        ".avif",
        ".bmp",
    ]
)
IMAGE_EXTENSIONS = PICTURE_EXTENSIONS | RAW_EXTENSIONS  # every photo: the images stage's
# Containers of camera, phone and old web videos; what ffmpeg cannot read is reported per file.
VIDEO_EXTENSIONS = frozenset(
    [
        ".mp4",
        ".m4v",
        ".mov",
        ".qt",
        ".3gp",
        ".3g2",
        ".avi",
        ".mkv",
        ".webm",
        ".ogv",
        ".mts",
        ".m2ts",
        ".mpg",
        ".mpeg",
        ".m2v",
        ".vob",
        ".mod",
        ".tod",
        ".wmv",
        ".asf",
        ".flv",
        ".dv",
        ".ivf",
    ]
)
MEDIA_EXTENSIONS = IMAGE_EXTENSIONS | VIDEO_EXTENSIONS
# Files that describe a photo rather than being one (edits, metadata): never counted as not shown.
SIDECAR_EXTENSIONS = frozenset([".xmp", ".aae", ".thm", ".pp3", ".dop", ".on1"])
NOT_MEDIA = "not a photo or video type hgsite reads"
VIDEO_OFF = "video, and videos are off"
_CHUNK = 1 << 20
_AHEAD = 256  # files queued for hashing ahead of the one the scan waits for


@dataclass(frozen=True, slots=True)
class Sidecar:
    path: str
    size: int
    mtime_ns: int


@dataclass(frozen=True, slots=True)
class FileRecord:
    """One media file found in a source folder."""

    path: str  # absolute, as the OS spells it (may hold surrogate escapes)
    rel: str  # "<source folder name>/<path inside it>", always valid UTF-8, for people and the database
    size: int
    mtime_ns: int
    sha1: str
    sidecar: Sidecar | None = None  # an XMP sidecar next to it (photo.jpg.xmp or photo.xmp)


@dataclass
class Scan:
    files: list[FileRecord] = field(default_factory=list)
    stamps: dict[bytes, Stamp] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)
    not_shown: list[Failure] = field(default_factory=list)  # other files in the sources, with the reason
    hashed: int = 0
    remaining: int = 0  # new or changed files left for a later scan (see `limit`)


class _Stat(NamedTuple):
    """What a scan keeps of a file's os.stat_result (all of it is ten times larger)."""

    st_size: int
    st_mtime_ns: int
    st_ino: int


@dataclass(frozen=True, slots=True)
class _Found:
    path: str
    rel: str
    st: _Stat
    sidecar: Sidecar | None = None


def is_video(path: str) -> bool:
    return os.path.splitext(path)[1].lower() in VIDEO_EXTENSIONS


def is_raw(path: str) -> bool:
    return os.path.splitext(path)[1].lower() in RAW_EXTENSIONS


def display(path: str) -> str:
    """A file name as text: undecodable bytes become U+FFFD instead of breaking JSON or the terminal."""
    return os.fsencode(path).decode("utf-8", "replace")


def scan(
    sources: Sequence[Path],
    previous: dict[bytes, Stamp],
    exclude: Sequence[str] = (),
    include_hidden: bool = False,
    skip: Sequence[Path] = (),
    jobs: int = 2,
    progress: Progress = silent,
    limit: int | None = None,
    extensions: frozenset[str] = MEDIA_EXTENSIONS,
) -> Scan:
    """Walk the sources and return a record per media file, reusing `previous` stamps where unchanged.

    With `limit`, only that many new or changed files are read (the most recently modified first); the
    others are left out of this scan and counted in `remaining`. `extensions` (lower case, with the
    dot) are the media files to pick; every other file is in `not_shown` with the reason, except
    sidecars, hidden and excluded files, and `skip` (hgsite's own folders and files). `progress` gets
    the stages "walk" (media files found, total unknown) and "hash" (files to read, total known).
    """
    result = Scan()
    found: list[_Found] = []
    skip_set = {str(p) for p in skip}
    walked = _Walked(result.failures, result.not_shown, extensions)
    with progress("walk", 0) as step:
        for source in sources:
            for item in _walk(source, exclude, include_hidden, skip_set, walked):
                found.append(item)
                step(1)
    todo: list[_Found] = []
    moved = _MovedFiles(previous, found)
    for item in found:
        key = os.fsencode(item.path)
        old = previous.get(key)
        if old is None or not _same(old, item.st):
            old = moved.find(item.st)
        if old is not None and _same(old, item.st):
            _keep(result, item, key, old)
        else:
            todo.append(item)
    if limit is not None and len(todo) > limit:
        todo.sort(key=lambda item: item.st.st_mtime_ns, reverse=True)
        todo, result.remaining = todo[:limit], len(todo) - limit
    with progress("hash", len(todo)) as step:
        _hash_all(todo, result, jobs, step)
    result.files.sort(key=lambda f: f.rel)
    return result


def _same(stamp: Stamp, st: _Stat) -> bool:
    return stamp.size == st.st_size and stamp.mtime_ns == st.st_mtime_ns and stamp.inode == st.st_ino


class _MovedFiles:
    """Finds the stamp of a file that vanished from its old path but kept inode, size and mtime."""

    def __init__(self, previous: dict[bytes, Stamp], found: list[_Found]) -> None:
        self._previous, self._found = previous, found
        self._by_inode: dict[tuple[int, int, int], Stamp] | None = None

    def find(self, st: _Stat) -> Stamp | None:
        if self._by_inode is None:  # only when some file is new or changed
            present = {os.fsencode(f.path) for f in self._found}
            gone = (s for p, s in self._previous.items() if p not in present)
            self._by_inode = {(s.inode, s.size, s.mtime_ns): s for s in gone}
        return self._by_inode.get((st.st_ino, st.st_size, st.st_mtime_ns))


def _keep(result: Scan, item: _Found, key: bytes, stamp: Stamp) -> None:
    """An unchanged file: its stamp is the one already known (one object, not a copy per build)."""
    st = item.st
    result.files.append(FileRecord(item.path, item.rel, st.st_size, st.st_mtime_ns, stamp.sha1, item.sidecar))
    result.stamps[key] = stamp


def _add(result: Scan, item: _Found, sha1: str) -> None:
    st = item.st
    result.files.append(FileRecord(item.path, item.rel, st.st_size, st.st_mtime_ns, sha1, item.sidecar))
    result.stamps[os.fsencode(item.path)] = Stamp(st.st_size, st.st_mtime_ns, st.st_ino, sha1)


def _hash_all(todo: list[_Found], result: Scan, jobs: int, progress: Callable[[int], None]) -> None:
    """Hash `todo` in threads, at most _AHEAD files ahead of the one taken: pool.map would queue every
    file at once, and 100,000 queued calls leave 130 MB behind."""

    def take(item: _Found, digest: str | Failure) -> None:
        progress(1)
        if isinstance(digest, Failure):
            result.failures.append(digest)
        else:
            result.hashed += 1
            _add(result, item, digest)

    pending: deque[tuple[_Found, Future[str | Failure]]] = deque()
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        for item in todo:
            pending.append((item, pool.submit(_hash_file, item)))
            if len(pending) >= _AHEAD:
                first, future = pending.popleft()
                take(first, future.result())
        while pending:
            first, future = pending.popleft()
            take(first, future.result())


def _hash_file(item: _Found) -> str | Failure:
    digest = hashlib.sha1(usedforsecurity=False)
    try:
        with open(item.path, "rb", buffering=0) as handle:
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
    except OSError as error:
        return Failure(item.rel, f"cannot read file: {error.strerror or error}")
    return digest.hexdigest()


def exclusion(patterns: Sequence[str]) -> re.Pattern[str] | None:
    """The exclude patterns (fnmatch syntax, case-sensitive) as one regular expression."""
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{fnmatch.translate(p)})" for p in patterns))


def _excluded(name: str, rel: str, patterns: re.Pattern[str] | None, include_hidden: bool) -> bool:
    if not include_hidden and name.startswith("."):
        return True
    return patterns is not None and (patterns.match(name) is not None or patterns.match(rel) is not None)


@dataclass(frozen=True, slots=True)
class _Walked:
    """Where a walk puts what it does not yield, and which extensions it yields."""

    failures: list[Failure]
    not_shown: list[Failure]
    extensions: frozenset[str] = MEDIA_EXTENSIONS


def _walk(
    source: Path, exclude: Sequence[str], include_hidden: bool, skip: set[str], walked: _Walked
) -> Iterator[_Found]:
    """Depth-first walk that follows folder symlinks but never enters a folder twice (no loops)."""
    root = str(source)
    top = display(source.name or root)
    patterns = exclusion(exclude)
    seen: set[tuple[int, int]] = set()
    stack = [(root, "")]
    while stack:
        folder, rel_folder = stack.pop()
        try:
            st = os.stat(folder)
            if (st.st_dev, st.st_ino) in seen:
                continue
            seen.add((st.st_dev, st.st_ino))
            with os.scandir(folder) as entries:
                listing = sorted(entries, key=lambda e: e.name)
        except OSError as error:
            walked.failures.append(
                Failure(f"{top}/{display(rel_folder)}", f"cannot read folder: {error.strerror}")
            )
            continue
        sidecars = {e.name.lower(): e for e in listing if e.name.lower().endswith(".xmp")}
        for entry in listing:
            rel = f"{rel_folder}/{entry.name}" if rel_folder else entry.name
            if _excluded(entry.name, rel, patterns, include_hidden) or entry.path in skip:
                continue
            found = _visit(entry, f"{top}/{display(rel)}", walked)
            if isinstance(found, _Found):
                yield _with_sidecar(found, entry.name, sidecars) if sidecars else found
            elif found:
                stack.append((entry.path, rel))


def _with_sidecar(found: _Found, name: str, sidecars: dict[str, os.DirEntry[str]]) -> _Found:
    """Attach photo.jpg.xmp (digiKam, darktable) or else photo.xmp (Lightroom)."""
    lower = name.lower()
    for candidate in (lower + ".xmp", os.path.splitext(lower)[0] + ".xmp"):
        entry = sidecars.get(candidate)
        if entry is None:
            continue
        try:
            st = entry.stat()
        except OSError:
            continue
        if stat.S_ISREG(st.st_mode):
            return _Found(found.path, found.rel, found.st, Sidecar(entry.path, st.st_size, st.st_mtime_ns))
    return found


def _visit(entry: os.DirEntry[str], rel: str, walked: _Walked) -> _Found | bool:
    """A media file record, True for a folder to enter, False to skip (recorded with its reason)."""
    extension = os.path.splitext(entry.name)[1].lower()
    is_media = extension in walked.extensions
    try:
        st = entry.stat()  # follows symlinks; lstat would hide linked files
    except OSError as error:
        reason = f"cannot stat: {error.strerror}"
        if entry.is_symlink():
            reason = "symbolic link loop" if error.errno == errno.ELOOP else "broken symbolic link"
        (walked.failures if is_media or entry.is_symlink() else walked.not_shown).append(Failure(rel, reason))
        return False
    if stat.S_ISDIR(st.st_mode):
        return True
    if not stat.S_ISREG(st.st_mode):
        reason = "not a regular file (FIFO, device or socket)"
        (walked.failures if is_media else walked.not_shown).append(Failure(rel, reason))
        return False
    if not is_media:
        if extension not in SIDECAR_EXTENSIONS:
            walked.not_shown.append(Failure(rel, _not_shown_reason(extension)))
        return False
    return _Found(entry.path, rel, _Stat(st.st_size, st.st_mtime_ns, st.st_ino))


def _not_shown_reason(extension: str) -> str:
    return VIDEO_OFF if extension in VIDEO_EXTENSIONS else NOT_MEDIA
