"""The pairwise near-duplicate search: groups, blocks and bands, checked against a brute-force search."""

from __future__ import annotations

import numpy as np
import pytest
from similar_vectors import fixed_vectors

from hgsite.similar import duplicates


def test_near_duplicates_link_close_pairs_and_report_the_loosest_link() -> None:
    x = fixed_vectors()
    groups = duplicates.near_duplicates([f"s{i}" for i in range(7)], x, threshold=0.95)
    assert [g.items for g in groups] == [["s0", "s1", "s5"], ["s2", "s6"]]
    loosest = float(x[0] @ x[1] / np.linalg.norm(x[0]) / np.linalg.norm(x[1]))
    assert groups[0].similarity == pytest.approx(loosest, abs=1e-3) and loosest < 0.97
    assert groups[1].similarity == pytest.approx(1.0)
    assert duplicates.near_duplicates([f"s{i}" for i in range(7)], x, threshold=1.01) == []


def test_near_duplicates_blocks_cover_every_pair(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(duplicates, "_BLOCK", 2)
    groups = duplicates.near_duplicates([f"s{i}" for i in range(7)], fixed_vectors(), threshold=0.95)
    assert [g.items for g in groups] == [["s0", "s1", "s5"], ["s2", "s6"]]


@pytest.mark.parametrize(
    ("sparse", "pairs", "band"), [(1, 4096, 64), (10**9, 4096, 128), (10**9, 7, 64), (1, 4096, 4096)]
)  # every block as one matrix product / as single pairs / as single pairs, a few at a time; bands of
# one block, of two, and one band for all
def test_near_duplicate_pairs_match_a_brute_force_search(
    monkeypatch: pytest.MonkeyPatch, sparse: int, pairs: int, band: int
) -> None:
    rng = np.random.RandomState(3)
    themes = rng.standard_normal((6, 1280))
    x = themes[rng.randint(6, size=300)] + 0.45 * rng.standard_normal((300, 1280))
    x[1::7] = x[0::7][: len(x[1::7])] + 0.1 * rng.standard_normal((len(x[1::7]), 1280))
    vectors = x.astype(np.float16)
    unit = vectors.astype(np.float32) / np.linalg.norm(vectors.astype(np.float32), axis=1, keepdims=True)
    cosines = unit @ unit.T
    expected = {(a, b) for a, b in zip(*np.nonzero(cosines >= 0.85), strict=True) if a < b}
    assert 50 < len(expected) < 20000  # some pairs, not all
    monkeypatch.setattr(duplicates, "_BLOCK", 64)
    monkeypatch.setattr(duplicates, "_SPARSE", sparse)
    monkeypatch.setattr(duplicates, "_PAIRS", pairs)
    monkeypatch.setattr(duplicates, "_BAND", band)
    found = duplicates.close_pairs(duplicates.Rows.of(vectors), 0.85)
    assert {(a, b) for _, a, b in found} == expected
    assert all(cosine == pytest.approx(min(float(cosines[a, b]), 1.0), abs=1e-4) for cosine, a, b in found)
