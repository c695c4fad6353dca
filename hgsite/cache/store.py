"""The SQLite side of the cache (WAL): file index, artifact manifest, metadata, cached failures, state.

Only the coordinating process opens it; workers write artifact files and return plain results. An
artifact is valid when its row carries the key (a hash of extractor version and parameters) that the
current settings ask for (cache/layout.py names the files).
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Container, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import orjson

from hgsite.cache.layout import artifact_path, index_file

SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS files (
    path BLOB PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
    inode INTEGER NOT NULL, sha1 TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS artifacts (
    sha1 TEXT NOT NULL, name TEXT NOT NULL, key TEXT NOT NULL, info BLOB NOT NULL,
    PRIMARY KEY (sha1, name)
);
CREATE TABLE IF NOT EXISTS meta (sha1 TEXT PRIMARY KEY, key TEXT NOT NULL, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS failures (sha1 TEXT PRIMARY KEY, key TEXT NOT NULL, reason TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sidecars (
    path BLOB PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, tags BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS state (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


_SidecarRow = tuple[int, int, Any]  # size, mtime_ns, what the sidecar holds


@dataclass(frozen=True, slots=True)
class Stamp:
    """What the index remembers of a file to decide, without reading it, whether it changed."""

    size: int
    mtime_ns: int
    inode: int
    sha1: str


class Artifact:
    """A manifest row: artifact `name` of `sha1` made with parameters hashed into `key`, and `info`.

    A row read from the manifest keeps its `info` as JSON and parses it when asked: a build reads every
    row (two or more per item) but looks into few of them, and parsed they would take most of its memory.
    """

    __slots__ = ("_info", "_raw", "key", "name", "sha1")

    def __init__(
        self, sha1: str, name: str, key: str, info: dict[str, Any] | None = None, raw: bytes = b""
    ) -> None:
        self.sha1, self.name, self.key = sha1, name, key
        self._info, self._raw = info, raw

    @property
    def info(self) -> dict[str, Any]:
        if self._info is not None:
            return self._info
        parsed: dict[str, Any] = orjson.loads(self._raw) if self._raw else {}
        return parsed  # not kept: the few readers take what they need from it

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Artifact):
            return NotImplemented
        return (self.sha1, self.name, self.key, self.info) == (other.sha1, other.name, other.key, other.info)

    __hash__ = None  # type: ignore[assignment]  # info is a dict

    def __repr__(self) -> str:
        return f"Artifact({self.sha1!r}, {self.name!r}, {self.key!r}, {self.info!r})"


class Meta:
    """A metadata row: the fields an extractor read from one item, made with parameters hashed into `key`.

    Like Artifact, a row read from the table keeps its fields as JSON: parsed, the rows of 100,000 items
    take 150 MB instead of 50, and most readers need one or two fields of each (FieldsOf).
    """

    __slots__ = ("_fields", "_raw", "key")

    def __init__(self, key: str, fields: dict[str, Any] | None = None, raw: bytes = b"") -> None:
        self.key, self._fields, self._raw = key, fields, raw

    @property
    def fields(self) -> dict[str, Any]:
        if self._fields is not None:
            return self._fields
        parsed: dict[str, Any] = orjson.loads(self._raw) if self._raw else {}
        return parsed  # not kept, as for Artifact.info

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Meta):
            return NotImplemented
        return (self.key, self.fields) == (other.key, other.fields)

    __hash__ = None  # type: ignore[assignment]  # fields is a dict

    def __repr__(self) -> str:
        return f"Meta({self.key!r}, {self.fields!r})"


class FieldsOf(Mapping[str, dict[str, Any]]):
    """The fields of the rows of `rows` whose sha1 is in `wanted`, in the order of `rows`, parsed anew at
    every read (Meta): a build reads each item's a few times, but never needs them all at once."""

    def __init__(self, rows: Mapping[str, Meta], wanted: Container[str]) -> None:
        self._rows, self._wanted = rows, wanted

    def __getitem__(self, sha1: str) -> dict[str, Any]:
        if sha1 not in self._wanted:
            raise KeyError(sha1)
        return self._rows[sha1].fields

    def __iter__(self) -> Iterator[str]:
        return (sha1 for sha1 in self._rows if sha1 in self._wanted)

    def __len__(self) -> int:
        return sum(1 for _ in self)


class Store:
    """The SQLite side of the cache. Only the orchestrator's process opens it; workers write files.

    The artifact, metadata and failure tables are read at most once between two writes (a build's stages
    all ask for them) and handed out as read-only views of one shared dictionary.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self._loaded: dict[str, Any] = {}
        root.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(index_file(root), isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version not in (0, SCHEMA_VERSION):
            self._reset()
        self.db.executescript(_SCHEMA)
        self.db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    def _reset(self) -> None:
        for table in ("files", "artifacts", "meta", "failures", "sidecars", "state"):
            self.db.execute(f"DROP TABLE IF EXISTS {table}")

    def close(self) -> None:
        self.db.close()

    # -- file index ---------------------------------------------------------------------------
    def load_stamps(self) -> dict[bytes, Stamp]:
        rows = self.db.execute("SELECT path, size, mtime_ns, inode, sha1 FROM files")
        return {bytes(path): Stamp(size, mtime, inode, sha1) for path, size, mtime, inode, sha1 in rows}

    def replace_stamps(self, stamps: dict[bytes, Stamp], previous: dict[bytes, Stamp] | None = None) -> None:
        """Make the index exactly `stamps`, in one transaction; nothing is written if they equal `previous`
        (what load_stamps gave)."""
        if stamps == previous:
            return
        with self._transaction():
            self.db.execute("DELETE FROM files")
            self.db.executemany(
                "INSERT INTO files VALUES (?, ?, ?, ?, ?)",
                ((p, s.size, s.mtime_ns, s.inode, s.sha1) for p, s in stamps.items()),
            )

    # -- small facts about the last build --------------------------------------------------------
    def get_state(self, name: str) -> str | None:
        row = self.db.execute("SELECT value FROM state WHERE name = ?", (name,)).fetchone()
        return str(row[0]) if row else None

    def set_state(self, name: str, value: str) -> None:
        with self._transaction():
            self.db.execute("INSERT OR REPLACE INTO state VALUES (?, ?)", (name, value))

    def forget_state(self, name: str) -> None:
        with self._transaction():
            self.db.execute("DELETE FROM state WHERE name = ?", (name,))

    # -- tags read from XMP sidecars, by sidecar path and stamp -------------------------------
    def load_sidecars(self) -> dict[bytes, tuple[int, int, Any]]:
        rows = self.db.execute("SELECT path, size, mtime_ns, tags FROM sidecars")
        return {bytes(path): (size, mtime, orjson.loads(tags)) for path, size, mtime, tags in rows}

    def replace_sidecars(
        self, sidecars: dict[bytes, _SidecarRow], previous: dict[bytes, _SidecarRow] | None = None
    ) -> None:
        if sidecars == previous:
            return
        with self._transaction():
            self.db.execute("DELETE FROM sidecars")
            self.db.executemany(
                "INSERT INTO sidecars VALUES (?, ?, ?, ?)",
                ((p, size, mtime, orjson.dumps(tags)) for p, (size, mtime, tags) in sidecars.items()),
            )

    # -- artifacts, metadata, failures --------------------------------------------------------
    def unload(self, *tables: str) -> None:
        """Forget tables read by load_meta, load_artifacts or load_failures (all of them when none is
        named); the next call reads them again."""
        for table in tables or list(self._loaded):
            self._loaded.pop(table, None)

    def _once(self, table: str, read: Callable[[], Any]) -> Any:
        """The table as `read` makes it, read at most once between two writes, as a read-only view."""
        if table not in self._loaded:
            self._loaded[table] = MappingProxyType(read())
        return self._loaded[table]

    def load_artifacts(self) -> Mapping[tuple[str, str], Artifact]:
        def read() -> dict[tuple[str, str], Artifact]:
            names: dict[str, str] = {}  # one string object per artifact name and key, not one per row
            loaded: dict[tuple[str, str], Artifact] = {}
            for sha1, name, key, info in self.db.execute("SELECT sha1, name, key, info FROM artifacts"):
                name, key = names.setdefault(name, name), names.setdefault(key, key)
                loaded[(sha1, name)] = Artifact(sha1, name, key, raw=info)
            return loaded

        artifacts: Mapping[tuple[str, str], Artifact] = self._once("artifacts", read)
        return artifacts

    def load_meta(self) -> Mapping[str, Meta]:
        def read() -> dict[str, Meta]:
            keys: dict[str, str] = {}  # one string object per key, not one per row
            rows = self.db.execute("SELECT sha1, key, data FROM meta")
            return {sha1: Meta(keys.setdefault(key, key), raw=data) for sha1, key, data in rows}

        meta: Mapping[str, Meta] = self._once("meta", read)
        return meta

    def load_failures(self) -> Mapping[str, tuple[str, str]]:
        rows = "SELECT sha1, key, reason FROM failures"
        failures: Mapping[str, tuple[str, str]] = self._once(
            "failures", lambda: {sha1: (key, reason) for sha1, key, reason in self.db.execute(rows)}
        )
        return failures

    def record(
        self,
        sha1: str,
        meta: tuple[str, dict[str, Any]] | None,
        artifacts: Iterable[Artifact],
        failure: tuple[str, str] | None,
    ) -> list[Path]:
        """Store one extraction result; return the files of artifacts it superseded (to delete)."""
        self._loaded.clear()
        with self._transaction():
            if meta is not None:
                self.db.execute(
                    "INSERT OR REPLACE INTO meta VALUES (?, ?, ?)", (sha1, meta[0], orjson.dumps(meta[1]))
                )
            if failure is not None:
                self.db.execute("INSERT OR REPLACE INTO failures VALUES (?, ?, ?)", (sha1, *failure))
            else:
                self.db.execute("DELETE FROM failures WHERE sha1 = ?", (sha1,))
            superseded = (self._put_artifact(a) for a in artifacts)
            return [path for path in superseded if path is not None]

    def _put_artifact(self, artifact: Artifact) -> Path | None:
        old = self.db.execute(
            "SELECT key, info FROM artifacts WHERE sha1 = ? AND name = ?", (artifact.sha1, artifact.name)
        ).fetchone()
        self.db.execute(
            "INSERT OR REPLACE INTO artifacts VALUES (?, ?, ?, ?)",
            (artifact.sha1, artifact.name, artifact.key, orjson.dumps(artifact.info)),
        )
        if old is None or old[0] == artifact.key:
            return None
        ext = orjson.loads(old[1]).get("ext", "jpg")
        return artifact_path(self.root, artifact.sha1, artifact.name, old[0], ext)

    def forget_artifacts(self, sha1: str, names: Iterable[str]) -> list[Path]:
        """Drop manifest rows that current settings no longer produce; return their files."""
        paths = []
        self._loaded.clear()
        with self._transaction():
            for name in names:
                row = self.db.execute(
                    "SELECT key, info FROM artifacts WHERE sha1 = ? AND name = ?", (sha1, name)
                ).fetchone()
                if row is not None:
                    self.db.execute("DELETE FROM artifacts WHERE sha1 = ? AND name = ?", (sha1, name))
                    paths.append(
                        artifact_path(self.root, sha1, name, row[0], orjson.loads(row[1]).get("ext", "jpg"))
                    )
        return paths

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")
