"""hgsite.index: the walk, the stat fast path, moves, duplicates and hostile folder contents."""

from __future__ import annotations

import contextlib
import fnmatch
import hashlib
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from hgsite import index
from hgsite.cache.store import Stamp, Store
from hgsite.index import FileRecord, Scan, exclusion, scan
from hgsite.report import Progress


def put(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def sha1(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


def by_rel(result: Scan) -> dict[str, FileRecord]:
    return {f.rel: f for f in result.files}


@pytest.fixture
def src(tmp_path: Path) -> Path:
    folder = tmp_path / "src"
    folder.mkdir()
    return folder


def test_new_files_are_hashed(src: Path) -> None:
    put(src / "a.jpg", b"alpha")
    put(src / "sub" / "b.PNG", b"bravo" * 1000)
    put(src / "notes.txt", b"not media")
    result = scan([src], {})
    files = by_rel(result)
    assert sorted(files) == ["src/a.jpg", "src/sub/b.PNG"]
    assert files["src/a.jpg"].sha1 == sha1(b"alpha")
    assert files["src/sub/b.PNG"].sha1 == sha1(b"bravo" * 1000)
    assert files["src/a.jpg"].path == str(src / "a.jpg")
    assert files["src/a.jpg"].size == 5
    assert files["src/a.jpg"].mtime_ns == (src / "a.jpg").stat().st_mtime_ns
    assert result.hashed == 2
    assert result.failures == []
    stamp = result.stamps[os.fsencode(str(src / "a.jpg"))]
    assert stamp == Stamp(
        5, (src / "a.jpg").stat().st_mtime_ns, (src / "a.jpg").stat().st_ino, sha1(b"alpha")
    )


def test_large_file_hash_spans_chunks(src: Path) -> None:
    data = os.urandom((1 << 20) * 2 + 17)
    put(src / "big.jpg", data)
    assert scan([src], {}).files[0].sha1 == sha1(data)


def bars(opened: list[tuple[str, int, list[int]]]) -> Progress:
    """A progress factory that records each bar: (stage, total, the steps it was given)."""

    @contextlib.contextmanager
    def progress(stage: str, total: int) -> Iterator[Callable[[int], None]]:
        steps: list[int] = []
        opened.append((stage, total, steps))
        yield steps.append

    return progress


def test_progress_knows_how_many_files_it_will_hash(src: Path) -> None:
    """The hashing bar opens with its total once the walk is done, never as '0file [00:00, ?file/s]'."""
    put(src / "a.jpg", b"a")
    put(src / "b.jpg", b"b")
    put(src / "notes.txt", b"n")
    opened: list[tuple[str, int, list[int]]] = []
    first = scan([src], {}, progress=bars(opened))
    assert [(stage, total, sum(steps)) for stage, total, steps in opened] == [("walk", 0, 2), ("hash", 2, 2)]
    put(src / "c.jpg", b"c")
    opened.clear()
    scan([src], first.stamps, progress=bars(opened))
    assert [(stage, total, sum(steps)) for stage, total, steps in opened] == [("walk", 0, 3), ("hash", 1, 1)]


def test_hashing_runs_a_bounded_way_ahead(src: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for n in range(40):
        put(src / f"{n:02d}.jpg", b"photo %d" % n)
    started: list[str] = []
    hash_file = index._hash_file

    def counted(item: index._Found) -> str | index.Failure:
        started.append(item.rel)
        return hash_file(item)

    monkeypatch.setattr(index, "_hash_file", counted)
    monkeypatch.setattr(index, "_AHEAD", 4)
    ahead: list[int] = []

    @contextlib.contextmanager
    def progress(stage: str, total: int) -> Iterator[Callable[[int], None]]:
        yield (lambda n: ahead.append(len(started) - len(ahead) - 1)) if stage == "hash" else (lambda n: None)

    result = scan([src], {}, jobs=2, progress=progress)
    assert result.hashed == 40 and max(ahead) <= 4, "never more than _AHEAD files queued"
    assert all(f.sha1 == sha1(b"photo %d" % int(f.rel[4:6])) for f in result.files)


def test_unchanged_files_are_not_rehashed(src: Path) -> None:
    put(src / "a.jpg", b"alpha")
    put(src / "b.jpg", b"bravo")
    first = scan([src], {})
    second = scan([src], first.stamps)
    assert second.hashed == 0
    assert second.files == first.files
    assert second.stamps == first.stamps


def test_unchanged_uses_stored_sha1_without_reading(src: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With a matching stamp, the sha1 comes from the stamp: the file is never opened."""
    path = put(src / "a.jpg", b"alpha")
    st = path.stat()
    previous = {os.fsencode(str(path)): Stamp(st.st_size, st.st_mtime_ns, st.st_ino, "f" * 40)}

    def no_open(*args: object, **kwargs: object) -> None:
        raise AssertionError("file was opened")

    monkeypatch.setattr(index, "open", no_open, raising=False)
    result = scan([src], previous)
    assert result.hashed == 0
    assert result.files[0].sha1 == "f" * 40


def test_modified_file_is_rehashed(src: Path) -> None:
    path = put(src / "a.jpg", b"alpha")
    put(src / "b.jpg", b"bravo")
    first = scan([src], {})
    st = path.stat()
    path.write_bytes(b"ALPHA")  # same size
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    second = scan([src], first.stamps)
    assert second.hashed == 1
    assert by_rel(second)["src/a.jpg"].sha1 == sha1(b"ALPHA")
    assert by_rel(second)["src/b.jpg"].sha1 == sha1(b"bravo")


def test_renamed_file_keeps_sha1_without_hashing(src: Path) -> None:
    put(src / "a.jpg", b"alpha")
    first = scan([src], {})
    (src / "moved").mkdir()
    (src / "a.jpg").rename(src / "moved" / "renamed.jpg")
    second = scan([src], first.stamps)
    assert second.hashed == 0
    assert [f.rel for f in second.files] == ["src/moved/renamed.jpg"]
    assert second.files[0].sha1 == sha1(b"alpha")
    assert list(second.stamps) == [os.fsencode(str(src / "moved" / "renamed.jpg"))]


def test_rename_survives_the_store(src: Path, tmp_path: Path) -> None:
    """Stamps go through SQLite (bytes keys) between builds; the move is still recognised."""
    put(src / "a.jpg", b"alpha")
    store = Store(tmp_path / "cache")
    store.replace_stamps(scan([src], store.load_stamps()).stamps)
    (src / "a.jpg").rename(src / "b.jpg")
    second = scan([src], store.load_stamps())
    store.close()
    assert second.hashed == 0
    assert second.files[0].sha1 == sha1(b"alpha")


def test_identical_bytes_in_two_places(src: Path) -> None:
    put(src / "one" / "x.jpg", b"same bytes")
    put(src / "two" / "y.jpg", b"same bytes")
    result = scan([src], {})
    assert [f.rel for f in result.files] == ["src/one/x.jpg", "src/two/y.jpg"]
    assert {f.sha1 for f in result.files} == {sha1(b"same bytes")}
    assert len(result.stamps) == 2


def test_two_sources(tmp_path: Path) -> None:
    put(tmp_path / "a" / "1.jpg", b"1")
    put(tmp_path / "b" / "2.jpg", b"2")
    result = scan([tmp_path / "a", tmp_path / "b"], {})
    assert [f.rel for f in result.files] == ["a/1.jpg", "b/2.jpg"]


def test_hidden_files_and_folders_are_skipped(src: Path) -> None:
    put(src / "visible.jpg", b"v")
    put(src / ".hidden.jpg", b"h")
    put(src / ".trash" / "deleted.jpg", b"d")
    assert [f.rel for f in scan([src], {}).files] == ["src/visible.jpg"]
    shown = scan([src], {}, include_hidden=True)
    assert [f.rel for f in shown.files] == ["src/.hidden.jpg", "src/.trash/deleted.jpg", "src/visible.jpg"]


def test_exclude_patterns_match_names_and_relative_paths(src: Path) -> None:
    put(src / "keep.jpg", b"k")
    put(src / "@eaDir" / "thumb.jpg", b"t")
    put(src / "deep" / "@eaDir" / "thumb.jpg", b"t2")
    put(src / "private" / "a.jpg", b"p")
    put(src / "raw.tmp.jpg", b"r")
    put(src / "deep" / "keep2.jpg", b"k2")
    result = scan([src], {}, exclude=["@eaDir", "private/*", "*.tmp.jpg"])
    assert [f.rel for f in result.files] == ["src/deep/keep2.jpg", "src/keep.jpg"]


@pytest.mark.timeout(20)
def test_symlink_loop_terminates(src: Path) -> None:
    put(src / "a.jpg", b"a")
    put(src / "sub" / "b.jpg", b"b")
    (src / "loop").symlink_to(src)
    (src / "sub" / "up").symlink_to(src)
    result = scan([src], {})
    names = [Path(f.rel).name for f in result.files]
    assert sorted(names) == ["a.jpg", "b.jpg"]


def test_symlinked_folder_outside_is_followed(tmp_path: Path, src: Path) -> None:
    put(tmp_path / "elsewhere" / "c.jpg", b"c")
    (src / "linked").symlink_to(tmp_path / "elsewhere")
    assert [f.rel for f in scan([src], {}).files] == ["src/linked/c.jpg"]


def test_broken_symlink_is_a_failure(src: Path) -> None:
    (src / "gone.jpg").symlink_to(src / "missing.jpg")
    result = scan([src], {})
    assert result.files == []
    assert [(f.path, f.reason) for f in result.failures] == [("src/gone.jpg", "broken symbolic link")]


def test_self_referencing_symlink_is_a_failure(src: Path) -> None:
    (src / "self.jpg").symlink_to(src / "self.jpg")
    (src / "ping.jpg").symlink_to(src / "pong.jpg")
    (src / "pong.jpg").symlink_to(src / "ping.jpg")
    result = scan([src], {})
    assert result.files == []
    assert sorted((f.path, f.reason) for f in result.failures) == [
        ("src/ping.jpg", "symbolic link loop"),
        ("src/pong.jpg", "symbolic link loop"),
        ("src/self.jpg", "symbolic link loop"),
    ]


@pytest.mark.timeout(10)
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_is_a_failure_and_never_opened(src: Path) -> None:
    put(src / "ok.jpg", b"ok")
    os.mkfifo(src / "x.jpg")
    result = scan([src], {})
    assert [f.rel for f in result.files] == ["src/ok.jpg"]
    assert len(result.failures) == 1
    assert result.failures[0].path == "src/x.jpg"
    assert "not a regular file" in result.failures[0].reason


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS file systems refuse non-UTF-8 names")
def test_non_utf8_name_gives_a_utf8_rel(src: Path) -> None:
    raw = os.fsencode(str(src)) + b"/caf\xe9-\xff.jpg"
    fd = os.open(raw, os.O_CREAT | os.O_WRONLY, 0o644)
    os.write(fd, b"latin-1 name")
    os.close(fd)
    result = scan([src], {})
    [record] = result.files
    record.rel.encode("utf-8")  # would raise on surrogate escapes
    assert record.rel == "src/caf\ufffd-\ufffd.jpg"
    assert os.fsencode(record.path) == raw  # the real name, usable to open the file
    assert record.sha1 == sha1(b"latin-1 name")
    assert list(result.stamps) == [raw]


def test_unreadable_file_is_a_failure(src: Path) -> None:
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        pytest.skip("root reads mode-000 files")
    put(src / "ok.jpg", b"ok")
    locked = put(src / "locked.jpg", b"secret")
    locked.chmod(0)
    try:
        result = scan([src], {})
    finally:
        locked.chmod(0o644)
    assert [f.rel for f in result.files] == ["src/ok.jpg"]
    assert len(result.failures) == 1
    assert result.failures[0].path == "src/locked.jpg"
    assert "cannot read file" in result.failures[0].reason


def test_read_error_is_a_failure(src: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same case as a permission error, simulated so that it also runs as root."""
    put(src / "ok.jpg", b"ok")
    locked = put(src / "locked.jpg", b"secret")
    real_open = open

    def fake_open(path: str, *args: object, **kwargs: object) -> object:
        if path == str(locked):
            raise PermissionError(13, "Permission denied", path)
        return real_open(path, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(index, "open", fake_open, raising=False)
    result = scan([src], {})
    assert [f.rel for f in result.files] == ["src/ok.jpg"]
    assert [(f.path, f.reason) for f in result.failures] == [
        ("src/locked.jpg", "cannot read file: Permission denied")
    ]
    assert os.fsencode(str(locked)) not in result.stamps


def test_unreadable_folder_is_a_failure(src: Path) -> None:
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        pytest.skip("root lists mode-000 folders")
    put(src / "closed" / "a.jpg", b"a")
    (src / "closed").chmod(0)
    try:
        result = scan([src], {})
    finally:
        (src / "closed").chmod(0o755)
    assert result.files == []
    assert [f.path for f in result.failures] == ["src/closed"]


def test_skip_list_is_not_walked(src: Path) -> None:
    put(src / "photo.jpg", b"p")
    put(src / "site" / "files" / "preview.jpg", b"preview")
    put(src / ".hgsite" / "files" / "x.jpg", b"cache")
    result = scan([src], {}, include_hidden=True, skip=[src / "site", src / ".hgsite"])
    assert [f.rel for f in result.files] == ["src/photo.jpg"]


def test_missing_source_is_a_failure(tmp_path: Path) -> None:
    result = scan([tmp_path / "absent"], {})
    assert result.files == []
    assert len(result.failures) == 1
    assert result.failures[0].path.startswith("absent")


def test_display_replaces_undecodable_bytes() -> None:
    assert index.display(os.fsdecode(b"a\xffb.jpg")) == "a\ufffdb.jpg"
    assert index.display("plain/é.jpg") == "plain/é.jpg"


@pytest.mark.parametrize(
    ("pattern", "text"),
    [("*.tmp", "a.tmp"), ("@eaDir", "@eaDir"), ("private/*", "private/x/y.jpg"), ("[ab]?.jpg", "b1.jpg")],
)
def test_exclusion_matches_like_fnmatchcase(pattern: str, text: str) -> None:
    matcher = exclusion(["Thumbs.db", pattern])
    assert matcher is not None
    for candidate in (text, text.upper(), text + "x", "x" + text):
        assert (matcher.match(candidate) is not None) == fnmatch.fnmatchcase(candidate, pattern), candidate
    assert exclusion([]) is None


def test_files_not_shown_are_counted_with_their_reason(src: Path) -> None:
    put(src / "a.jpg", b"a")
    put(src / "a.jpg.xmp", b"<x/>")  # a sidecar: part of a.jpg
    put(src / "b.xmp", b"<x/>")
    put(src / "IMG_1.AAE", b"edits")
    put(src / "raw" / "DSC_0001.NEF", b"raw")
    put(src / "raw" / "DSC_0002.dng", b"raw")
    put(src / "docs" / "manual.pdf", b"pdf")
    put(src / "README", b"no extension")
    put(src / ".DS_Store", b"hidden")
    put(src / "Thumbs.db", b"excluded")
    put(src / "clip.mp4", b"video")
    put(src / "site" / "files" / "x.jpg", b"output")
    put(src / "hgsite.toml", b"")
    result = scan([src], {}, exclude=["Thumbs.db"], skip=[src / "site", src / "hgsite.toml"])
    assert [f.rel for f in result.files] == [
        "src/a.jpg",
        "src/clip.mp4",
        "src/raw/DSC_0001.NEF",
        "src/raw/DSC_0002.dng",
    ], "RAW photos are media"
    assert sorted((f.path, f.reason) for f in result.not_shown) == [
        ("src/README", index.NOT_MEDIA),
        ("src/docs/manual.pdf", index.NOT_MEDIA),
    ]
    assert result.failures == []
    photos_only = scan(
        [src], {}, exclude=["Thumbs.db"], skip=[src / "site"], extensions=index.IMAGE_EXTENSIONS
    )
    assert ("src/clip.mp4", index.VIDEO_OFF) in [(f.path, f.reason) for f in photos_only.not_shown]
    assert ("src/hgsite.toml", index.NOT_MEDIA) in [(f.path, f.reason) for f in photos_only.not_shown]
    hidden = scan([src], {}, include_hidden=True, exclude=["Thumbs.db"], skip=[src / "site"])
    assert ("src/.DS_Store", index.NOT_MEDIA) in [(f.path, f.reason) for f in hidden.not_shown]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_that_is_no_media_file_is_not_shown_and_never_opened(src: Path) -> None:
    os.mkfifo(src / "pipe")
    (src / "dangling.txt").symlink_to(src / "missing.txt")
    result = scan([src], {})
    assert [(f.path, f.reason) for f in result.not_shown] == [
        ("src/pipe", "not a regular file (FIFO, device or socket)")
    ]
    assert [(f.path, f.reason) for f in result.failures] == [("src/dangling.txt", "broken symbolic link")]
