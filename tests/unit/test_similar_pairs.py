"""The near-duplicate pass over cached features: read a band at a time, its pairs reused by the next build."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest

from hgsite.cache.layout import duplicates_file
from hgsite.extract.embeddings import embedding_file
from hgsite.similar import duplicates, pairs
from hgsite.similar.duplicates import DuplicateGroup, Rows, Vectors


def cached_features(cache: Path, count: int) -> tuple[list[str], npt.NDArray[np.float16]]:
    """`count` features in the cache, every third a near copy of the one before; sha1s in row order."""
    rng = np.random.RandomState(5)
    x = rng.standard_normal((count, 1280)).astype(np.float16)
    x[1::3] = x[0::3][: len(x[1::3])] + np.float16(0.05)
    sha1s = [hashlib.sha1(str(i).encode()).hexdigest() for i in range(count)]
    for sha1, vector in zip(sha1s, x, strict=True):
        path = embedding_file(cache, sha1)
        path.parent.mkdir(parents=True, exist_ok=True)
        np.save(path, vector, allow_pickle=False)
    return sha1s, x


def in_memory(
    sha1s: list[str], x: npt.NDArray[np.float16], chosen: list[str]
) -> list[tuple[list[str], float]]:
    order = sorted(chosen)
    groups = duplicates.near_duplicates(order, x[[sha1s.index(s) for s in order]])
    return [(g.items, g.similarity) for g in groups]


def same_groups(found: list[DuplicateGroup], expected: list[tuple[list[str], float]]) -> bool:
    """The same groups; the loosest cosines alike to float32 rounding (a pair checked alone or in a block)."""
    return [g.items for g in found] == [items for items, _ in expected] and all(
        g.similarity == pytest.approx(cosine, abs=2e-4)
        for g, (_, cosine) in zip(found, expected, strict=True)
    )


def watch_reads(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int, bool]]:
    """(start, stop, incremental) of every read the near-duplicate pass makes."""
    reads: list[tuple[int, int, bool]] = []
    close_pairs = pairs.close_pairs

    def watched(rows: Rows, threshold: float, only: Any = None) -> Any:
        def read(start: int, stop: int) -> Vectors:
            reads.append((start, stop, only is not None))
            return rows.read(start, stop)

        return close_pairs(Rows(rows.count, rows.dim, read), threshold, only)

    monkeypatch.setattr(pairs, "close_pairs", watched)
    return reads


def test_duplicate_groups_read_the_cached_features_a_band_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sha1s, x = cached_features(tmp_path, 200)
    expected = in_memory(sha1s, x, sha1s)
    assert len(expected) == 67
    monkeypatch.setattr(duplicates, "_BLOCK", 16)
    monkeypatch.setattr(duplicates, "_BAND", 48)
    reads = watch_reads(monkeypatch)
    found = pairs.duplicate_groups(tmp_path, reversed(sha1s))
    assert [(g.items, g.similarity) for g in found] == expected
    assert max(b - a for a, b, _ in reads) == 48, "never more than a band at once"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["duplicates.json", "files"], (
        "no temporary file left"
    )
    reads.clear()
    assert [(g.items, g.similarity) for g in pairs.duplicate_groups(tmp_path, sha1s)] == expected
    assert reads == [], "the same items: the saved pairs, no features read"


@pytest.mark.parametrize(("block", "band"), [(16, 48), (1024, 16384)])
def test_duplicate_groups_compare_only_new_items_with_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, block: int, band: int
) -> None:
    sha1s, x = cached_features(tmp_path, 300)
    later = sha1s[5:240] + sha1s[240:270]  # five gone, thirty new (some near copies of each other)
    fewer = later[10:]
    expected = {"later": in_memory(sha1s, x, later), "fewer": in_memory(sha1s, x, fewer)}
    expected["all"] = in_memory(sha1s, x, sha1s)
    monkeypatch.setattr(duplicates, "_BLOCK", block)
    monkeypatch.setattr(duplicates, "_BAND", band)
    pairs.duplicate_groups(tmp_path, sha1s[:240])
    reads = watch_reads(monkeypatch)
    assert same_groups(pairs.duplicate_groups(tmp_path, later), expected["later"])
    assert reads and all(incremental for _, _, incremental in reads), "only the new items' pairs"
    reads.clear()
    assert same_groups(pairs.duplicate_groups(tmp_path, fewer), expected["fewer"])
    assert reads == [], "items gone: their pairs dropped, nothing compared"
    pairs.duplicate_groups(tmp_path, fewer[:50])
    assert reads == []
    assert same_groups(pairs.duplicate_groups(tmp_path, sha1s), expected["all"])
    assert reads and not any(incremental for _, _, incremental in reads), "mostly new items: one whole pass"


def test_a_damaged_saved_pass_is_made_again(tmp_path: Path) -> None:
    sha1s, x = cached_features(tmp_path, 60)
    pairs.duplicate_groups(tmp_path, sha1s[:50])
    saved = duplicates_file(tmp_path)
    document = json.loads(saved.read_text())
    document["pairs"].append([3, 999, 0.9])  # a row that does not exist
    saved.write_text(json.dumps(document))
    assert same_groups(pairs.duplicate_groups(tmp_path, sha1s), in_memory(sha1s, x, sha1s))
