"""hgsite.cache and hgsite.atomic: atomic writes, the layout, the SQLite store and the project lock."""

from __future__ import annotations

import gzip
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from hgsite.atomic import atomic_write
from hgsite.cache.compressed import compressed
from hgsite.cache.layout import artifact_file, artifact_path, params_key
from hgsite.cache.lock import project_lock
from hgsite.cache.store import SCHEMA_VERSION, Artifact, FieldsOf, Meta, Stamp, Store
from hgsite.errors import HgsiteError, LockedError

SHA = "0123456789abcdef0123456789abcdef01234567"


class Boom(Exception):
    pass


def test_atomic_write_replaces_content(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "file.json"
    with atomic_write(path) as handle:
        handle.write(b"first")
    assert path.read_bytes() == b"first"
    with atomic_write(path, "w") as handle:
        handle.write("second")
    assert path.read_text() == "second"
    assert sorted(p.name for p in path.parent.iterdir()) == ["file.json"]


def test_atomic_write_durable(tmp_path: Path) -> None:
    path = tmp_path / "events.ndjson"
    with atomic_write(path, "w", durable=True) as handle:
        handle.write("line\n")
    assert path.read_text() == "line\n"
    assert [p.name for p in tmp_path.iterdir()] == ["events.ndjson"]


def test_atomic_write_failure_keeps_old_content_and_no_temp(tmp_path: Path) -> None:
    path = tmp_path / "file.txt"
    path.write_bytes(b"old content")
    with pytest.raises(Boom), atomic_write(path) as handle:
        handle.write(b"half of the new")
        handle.flush()
        raise Boom
    assert path.read_bytes() == b"old content"
    assert [p.name for p in tmp_path.iterdir()] == ["file.txt"]


def test_atomic_write_failure_on_new_file_leaves_nothing(tmp_path: Path) -> None:
    path = tmp_path / "new.txt"
    with pytest.raises(KeyboardInterrupt), atomic_write(path) as handle:
        handle.write(b"x")
        raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []


def test_params_key_is_stable_and_sensitive() -> None:
    key = params_key("preview", 1, 320, 82)
    assert key == params_key("preview", 1, 320, 82)
    assert len(key) == 8 and int(key, 16) >= 0
    assert key != params_key("preview", 1, 320, 83)
    assert key != params_key("preview", 2, 320, 82)


def test_artifact_path_layout(tmp_path: Path) -> None:
    path = artifact_path(tmp_path, SHA, "preview-320", "abcd1234", "jpg")
    assert path == tmp_path / "files" / "01" / "23" / f"{SHA[4:]}-preview-320-abcd1234.jpg"
    assert artifact_file(str(tmp_path), SHA, "preview-320", "abcd1234", "jpg") == str(path)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store(tmp_path / ".hgsite")
    yield opened
    opened.close()


def test_store_creates_database(tmp_path: Path, store: Store) -> None:
    assert (tmp_path / ".hgsite" / "hgsite.sqlite").is_file()
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert store.load_stamps() == {}
    assert store.load_meta() == {}
    assert store.load_artifacts() == {}
    assert store.load_failures() == {}


def test_stamps_round_trip_and_replace(tmp_path: Path, store: Store) -> None:
    stamps = {
        b"/photos/a.jpg": Stamp(10, 1_700_000_000_123_456_789, 42, "a" * 40),
        b"/photos/caf\xe9.jpg": Stamp(20, 5, 43, "b" * 40),
    }
    store.replace_stamps(stamps)
    assert store.load_stamps() == stamps
    store.close()
    reopened = Store(tmp_path / ".hgsite")
    assert reopened.load_stamps() == stamps
    reopened.replace_stamps({b"/photos/a.jpg": stamps[b"/photos/a.jpg"]})
    assert reopened.load_stamps() == {b"/photos/a.jpg": stamps[b"/photos/a.jpg"]}
    reopened.close()


def test_meta_artifacts_failures_round_trip(tmp_path: Path, store: Store) -> None:
    meta = {"width": 4000, "height": 3000, "make": "Canon", "lat": 41.22, "date": "2019-05-21T13:45:01"}
    preview = Artifact(SHA, "preview-320", "k1", {"w": 320, "h": 240, "ext": "jpg"})
    assert store.record(SHA, ("mkey", meta), [preview], None) == []
    other = "f" * 40
    store.record(other, None, [], ("fkey", "truncated image file"))
    store.close()
    reopened = Store(tmp_path / ".hgsite")
    assert reopened.load_meta() == {SHA: Meta("mkey", meta)}
    assert reopened.load_artifacts() == {(SHA, "preview-320"): preview}
    assert reopened.load_failures() == {other: ("fkey", "truncated image file")}
    # a later success clears the remembered failure
    reopened.record(other, ("mkey", {"width": 1, "height": 1}), [], None)
    assert reopened.load_failures() == {}
    assert reopened.load_meta()[other] == Meta("mkey", {"width": 1, "height": 1})
    reopened.close()


def test_superseded_artifact_returns_the_old_file(tmp_path: Path, store: Store) -> None:
    root = tmp_path / ".hgsite"
    store.record(SHA, None, [Artifact(SHA, "preview-320", "old1", {"ext": "webp"})], None)
    same = store.record(SHA, None, [Artifact(SHA, "preview-320", "old1", {"ext": "webp"})], None)
    assert same == []
    superseded = store.record(
        SHA,
        None,
        [
            Artifact(SHA, "preview-320", "new2", {"ext": "jpg"}),
            Artifact(SHA, "preview-720", "new2", {"ext": "jpg"}),
        ],
        None,
    )
    assert superseded == [artifact_path(root, SHA, "preview-320", "old1", "webp")]
    assert store.load_artifacts()[(SHA, "preview-320")].key == "new2"


def test_forget_artifacts(tmp_path: Path, store: Store) -> None:
    root = tmp_path / ".hgsite"
    store.record(
        SHA,
        None,
        [Artifact(SHA, "preview-320", "k1", {"ext": "jpg"}), Artifact(SHA, "preview-1920", "k2", {})],
        None,
    )
    paths = store.forget_artifacts(SHA, ["preview-1920", "never-made"])
    assert paths == [artifact_path(root, SHA, "preview-1920", "k2", "jpg")]
    assert set(store.load_artifacts()) == {(SHA, "preview-320")}


def test_record_is_one_transaction(store: Store) -> None:
    """If storing an artifact fails, the metadata written in the same call is rolled back."""
    bad = Artifact(SHA, "preview-320", "k", {"unserialisable": {1, 2}})
    with pytest.raises(TypeError):
        store.record(SHA, ("mkey", {"width": 1}), [bad], ("fkey", "reason"))
    assert store.load_meta() == {}
    assert store.load_failures() == {}
    assert store.load_artifacts() == {}
    store.record(SHA, ("mkey", {"width": 2}), [], None)  # the connection is usable afterwards
    assert store.load_meta() == {SHA: Meta("mkey", {"width": 2})}


def test_unknown_schema_version_is_reset(tmp_path: Path) -> None:
    root = tmp_path / ".hgsite"
    store = Store(root)
    store.record(SHA, ("mkey", {"width": 1}), [], None)
    store.db.execute("PRAGMA user_version=99")
    store.close()
    store = Store(root)
    assert store.load_meta() == {}
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    store.close()


def test_store_is_readable_by_plain_sqlite(tmp_path: Path, store: Store) -> None:
    store.replace_stamps({b"/p.jpg": Stamp(1, 2, 3, "c" * 40)})
    with sqlite3.connect(tmp_path / ".hgsite" / "hgsite.sqlite") as other:
        assert other.execute("SELECT size, sha1 FROM files").fetchall() == [(1, "c" * 40)]


def test_project_lock_writes_pid_and_releases(tmp_path: Path) -> None:
    root = tmp_path / ".hgsite"
    with project_lock(root):
        assert (root / "lock").read_text() == f"pid {os.getpid()}"
    with project_lock(root):  # released: can be taken again
        pass


def test_project_lock_refuses_a_second_holder_in_the_same_process(tmp_path: Path) -> None:
    root = tmp_path / ".hgsite"
    with project_lock(root):
        with pytest.raises(LockedError) as caught, project_lock(root):
            pass
        assert f"pid {os.getpid()}" in str(caught.value)
        assert str(root) in str(caught.value)
        assert issubclass(LockedError, HgsiteError)
        # the refused attempt must not have wiped the holder's note
        assert (root / "lock").read_text() == f"pid {os.getpid()}"


@pytest.mark.timeout(30)
def test_project_lock_refuses_a_second_process(tmp_path: Path) -> None:
    root = tmp_path / ".hgsite"
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from hgsite.cache.lock import project_lock\n"
        "with project_lock(Path(sys.argv[1])):\n"
        "    print('held', flush=True)\n"
        "    sys.stdin.read()\n"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", script, str(root)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None and child.stdin is not None
        assert child.stdout.readline().strip() == "held"
        with pytest.raises(LockedError) as caught, project_lock(root):
            pass
        assert f"pid {child.pid}" in str(caught.value)
        child.stdin.close()
        assert child.wait(timeout=20) == 0
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    with project_lock(root):  # the child's exit released it
        assert (root / "lock").read_text() == f"pid {os.getpid()}"


def test_tables_are_read_once_until_a_write(store: Store) -> None:
    preview = Artifact(SHA, "preview-320", "k1", {"w": 320, "h": 240, "ext": "jpg"})
    store.record(SHA, ("mkey", {"width": 1}), [preview], None)
    first = store.load_artifacts()
    assert store.load_artifacts() is first and store.load_meta() is store.load_meta()
    other = Artifact(SHA, "preview-720", "k2", {"w": 720, "h": 540, "ext": "jpg"})
    store.record(SHA, None, [other], ("fkey", "reason"))
    assert store.load_artifacts() == {(SHA, "preview-320"): preview, (SHA, "preview-720"): other}
    assert store.load_failures() == {SHA: ("fkey", "reason")}
    store.forget_artifacts(SHA, ["preview-720"])
    assert store.load_artifacts() == {(SHA, "preview-320"): preview}


def test_loaded_tables_are_read_only(store: Store) -> None:
    """The loaded tables are shared by every stage of a build: none may change another's view."""
    store.record(SHA, ("mkey", {"width": 1}), [], ("fkey", "reason"))
    for table in (store.load_meta(), store.load_artifacts(), store.load_failures()):
        with pytest.raises(TypeError):
            table[SHA] = None  # type: ignore[index]


def test_unchanged_stamps_and_sidecars_are_not_rewritten(store: Store) -> None:
    stamps = {b"/photos/a.jpg": Stamp(10, 5, 42, "a" * 40)}
    sidecars = {b"/photos/a.jpg.xmp": (3, 4, {"tags": ["x"], "regions": None})}
    store.replace_stamps(stamps)
    store.replace_sidecars(sidecars)
    changes = store.db.total_changes
    store.replace_stamps(dict(stamps), store.load_stamps())
    store.replace_sidecars(dict(sidecars), store.load_sidecars())
    assert store.db.total_changes == changes
    moved = {b"/photos/b.jpg": stamps[b"/photos/a.jpg"]}
    store.replace_stamps(moved, store.load_stamps())
    store.replace_sidecars({}, store.load_sidecars())
    assert store.load_stamps() == moved and store.load_sidecars() == {}


def test_compressed_data_is_kept_and_reused_until_it_changes(tmp_path: Path) -> None:
    raw = b'{"entries": []}' * 100
    payload = compressed(tmp_path, "database", lambda: [raw], 9)
    assert gzip.decompress(payload) == raw and payload == gzip.compress(raw, compresslevel=9, mtime=0)
    (kept,) = (tmp_path / "bundle").iterdir()
    kept.write_bytes(b"marked")  # proves the second call reads the kept file
    pieces = [raw[i : i + 7] for i in range(0, len(raw), 7)]
    assert compressed(tmp_path, "database", lambda: pieces, 9) == b"marked", "the same bytes in parts"
    assert gzip.decompress(compressed(tmp_path, "database", lambda: [raw], 6)) == raw  # another level
    changed = compressed(tmp_path, "database", lambda: [raw, b" "], 9)
    assert changed == gzip.compress(raw + b" ", compresslevel=9, mtime=0), "parts: the bytes of one piece"
    assert len(list((tmp_path / "bundle").iterdir())) == 1, "only the latest of a name is kept"
    assert compressed(tmp_path, "similar", lambda: [raw], 9) != b"marked"


def test_loaded_artifacts_parse_their_info_when_asked(store: Store) -> None:
    import pickle

    made = Artifact(SHA, "embedding", "k1", {"ext": "npy", "top": [[985, 0.9]], "code": "AAAA"})
    store.record(SHA, None, [made], None)
    loaded = store.load_artifacts()[(SHA, "embedding")]
    assert loaded._info is None and loaded._raw, "kept as JSON"
    assert (
        loaded.info == made.info and loaded == made and loaded != Artifact(SHA, "embedding", "k2", made.info)
    )
    assert pickle.loads(pickle.dumps(loaded)) == made  # results travel between processes
    assert repr(loaded) == repr(made) and "985" in repr(made)


def test_unloaded_table_is_read_again(store: Store) -> None:
    store.record(SHA, ("mkey", {"width": 1}), [], None)
    first = store.load_meta()
    store.unload("meta")
    assert store.load_meta() is not first and store.load_meta() == first


def test_metadata_rows_stay_json_until_read(tmp_path: Path) -> None:
    store = Store(tmp_path)
    for sha1, width in (("c" * 40, 3), ("a" * 40, 1), ("b" * 40, 2)):
        store.record(sha1, ("mkey", {"width": width, "keywords": ["k"]}), [], None)
    rows = store.load_meta()
    assert all(row._fields is None for row in rows.values()), "nothing parsed yet"
    fields = FieldsOf(rows, {"c" * 40, "b" * 40})
    assert list(fields) == ["c" * 40, "b" * 40] and len(fields) == 2, "the rows' order, the wanted ones"
    assert fields["b" * 40] == {"width": 2, "keywords": ["k"]}
    fields["b" * 40]["width"] = 99
    assert fields["b" * 40]["width"] == 2, "parsed anew at every read: nothing is kept"
    with pytest.raises(KeyError):
        fields["a" * 40]
    assert dict(fields.items())["c" * 40]["width"] == 3
    store.close()
