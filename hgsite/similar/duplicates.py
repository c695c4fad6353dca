"""The pairwise near-duplicate search: groups of items whose float features are close, exact and in blocks.

The pass compares every pair, so it is quadratic; candidates come from a small random projection and each
is then checked exactly. pairs.py runs it over the cache and keeps what it found across rebuilds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

# Two items are near-duplicates from this cosine of their float features on. On the near-duplicate set,
# variants score: half size >= 0.979, tone/colour shift >= 0.930, JPEG q40 >= 0.878, 80% crop 0.760-0.971
# (median 0.897); different photos at most 0.68 (the 99th percentile of nearest non-duplicates, once
# the corpus's own copies of the same pictures are set aside). 0.85 finds 157 of the 160 variant pairs.
DUPLICATE_THRESHOLD = 0.85
_BLOCK = 1024  # rows x columns per block of the pairwise matrix (4 MB of float32)
_BAND = 8 * _BLOCK  # rows held at once by the pairwise pass (20 MB of float16 features)
_SKETCH, _MARGIN = 128, 0.2  # candidate search for near-duplicates: projection size, cosine margin
_SPARSE = 16  # fewer candidates than 1/16 of their rows x columns: dot products instead of a product
_PAIRS = 4096  # candidate pairs whose two rows are gathered at once (2 x 20 MB), not up to 65,536 (670 MB)

Vector = npt.NDArray[np.float32]
Vectors = npt.NDArray[np.floating[Any]]  # float16 or float32 rows


@dataclass
class DuplicateGroup:
    items: list[str]  # sha1s, in the order given to near_duplicates
    similarity: float  # the lowest cosine of a linking pair: how alike the loosest member is


def near_duplicates(
    sha1s: Sequence[str], vectors: Vectors | Rows, threshold: float = DUPLICATE_THRESHOLD
) -> list[DuplicateGroup]:
    """Groups of items linked by pairs with cosine >= threshold (single linkage, so a burst of shots
    that drifts is one group). `vectors` holds float[N, dim] in the order of `sha1s`, as an array or
    as a reader of rows (a file too large to hold); exact, in blocks."""
    rows = vectors if isinstance(vectors, Rows) else Rows.of(vectors)
    return linked(sha1s, close_pairs(rows, threshold))


def linked(sha1s: Sequence[str], pairs: Iterable[tuple[float, int, int]]) -> list[DuplicateGroup]:
    """The groups that `pairs` (cosine, row a, row b) link, by single linkage, sorted by first member."""
    parent = list(range(len(sha1s)))
    loosest: dict[int, float] = {}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for cosine, a, b in sorted(pairs, reverse=True):  # strongest first: the last link is the loosest
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[rb] = ra
            loosest[ra] = min(cosine, loosest.get(ra, 1.0), loosest.get(rb, 1.0))
    members: dict[int, list[str]] = {}
    for i, sha1 in enumerate(sha1s):
        members.setdefault(root(i), []).append(sha1)
    groups = [DuplicateGroup(items, round(loosest[r], 4)) for r, items in members.items() if len(items) > 1]
    return sorted(groups, key=lambda g: g.items[0])


@dataclass(frozen=True)
class Rows:
    """`count` vectors of `dim` floats, read a slice at a time: read(a, b) gives float[b - a, dim]."""

    count: int
    dim: int
    read: Callable[[int, int], Vectors]

    @classmethod
    def of(cls, vectors: Vectors) -> Rows:
        return cls(len(vectors), vectors.shape[1], lambda start, stop: vectors[start:stop])


def close_pairs(
    rows: Rows, threshold: float, only: npt.NDArray[np.intp] | None = None
) -> list[tuple[float, int, int]]:
    """Pairs (cosine, a, b), a < b, with cosine >= threshold; with `only` (distinct row numbers, in
    order), just the pairs that have one of those rows. Candidates come from a 128-dimensional random
    projection (cosine error sd ~0.025 near 0.85), taken with a margin of 0.2; each candidate is then
    checked exactly.

    The rows are read in bands of _BAND: a band is held while every block of columns it meets is read
    once, so the pass holds a band, a block and the projection (with the matrix library's buffers about
    140 MB at 100,000 items) however many items there are.
    """
    count = rows.count
    planes = np.random.RandomState(128).standard_normal((rows.dim, _SKETCH)).astype(np.float32)
    sketch = np.empty((count, _SKETCH), dtype=np.float16)  # float16: 25 MB at 100,000 items
    for start in range(0, count, _BLOCK):
        block = rows.read(start, min(start + _BLOCK, count)).astype(np.float32)
        sketch[start : start + _BLOCK] = _unit(block @ planes)
    if only is not None:
        return _pairs_with(rows, sketch, only, threshold)
    pairs: list[tuple[float, int, int]] = []
    for band in range(0, count, _BAND):
        end = min(band + _BAND, count)
        held = rows.read(band, end)
        band_sketch = sketch[band:end].astype(np.float32)  # converted once per band, not once per block
        for first in range(band, count, _BLOCK):
            last = min(first + _BLOCK, count)
            columns = held[first - band : last - band] if first < end else rows.read(first, last)
            projected = sketch[first:last].astype(np.float32).T
            for start in range(band, min(end, first + 1), _BLOCK):  # the band's blocks up to this one
                block = band_sketch[start - band : start - band + _BLOCK]
                near = block @ projected >= threshold - _MARGIN
                i, j = np.nonzero(near)
                a, b = i + start, j + first
                later = a < b
                if later.any():
                    pairs += _exact_pairs(
                        held, columns, a[later] - band, j[later], a[later], b[later], threshold
                    )
    return pairs


def _pairs_with(
    rows: Rows, sketch: Vectors, only: npt.NDArray[np.intp], threshold: float
) -> list[tuple[float, int, int]]:
    """close_pairs of the rows `only` against every row: each of those rows is compared with all the
    others, a pair of two of them once."""
    chosen = np.zeros(rows.count, dtype=bool)
    chosen[only] = True
    pairs: list[tuple[float, int, int]] = []
    for band in range(0, len(only), _BAND):
        numbers = only[band : band + _BAND]
        held = np.stack([rows.read(n, n + 1)[0] for n in numbers])
        chosen_sketch = sketch[numbers].astype(np.float32)
        for first in range(0, rows.count, _BLOCK):
            last = min(first + _BLOCK, rows.count)
            columns = rows.read(first, last)
            projected = sketch[first:last].astype(np.float32).T
            for start in range(0, len(numbers), _BLOCK):
                near = chosen_sketch[start : start + _BLOCK] @ projected >= threshold - _MARGIN
                i, j = np.nonzero(near)
                a, b = numbers[start + i], j + first
                wanted = (a != b) & (~chosen[b] | (a < b))
                if wanted.any():
                    found = _exact_pairs(
                        held, columns, (start + i)[wanted], j[wanted], a[wanted], b[wanted], threshold
                    )
                    pairs += [(cosine, min(x, y), max(x, y)) for cosine, x, y in found]
    return pairs


def _exact_pairs(
    left: Vectors,
    right: Vectors,
    li: npt.NDArray[np.intp],
    rj: npt.NDArray[np.intp],
    a: npt.NDArray[np.intp],
    b: npt.NDArray[np.intp],
    threshold: float,
) -> list[tuple[float, int, int]]:
    """The candidate pairs (a[k], b[k]) of one block whose exact cosine is at least threshold; the
    vector of a[k] is left[li[k]], that of b[k] is right[rj[k]].

    Each distinct row and column is converted from float16 once (pair by pair that conversion costs
    more than the product); a block dense with candidates (scans, bursts) takes one matrix product.
    """
    rows, row_of = np.unique(li, return_inverse=True)
    columns, column_of = np.unique(rj, return_inverse=True)
    lefts, rights = _unit(left[rows]), _unit(right[columns])
    if len(a) * _SPARSE < len(rows) * len(columns):  # a few pairs: just those, a slice at a time
        cosines = np.empty(len(a), dtype=np.float32)
        for at in range(0, len(a), _PAIRS):
            pick = slice(at, at + _PAIRS)
            cosines[pick] = np.einsum("ij,ij->i", lefts[row_of[pick]], rights[column_of[pick]])
    else:
        cosines = (lefts @ rights.T)[row_of, column_of]
    close = np.nonzero(cosines >= threshold)[0]
    found = np.minimum(cosines[close], 1.0).tolist(), a[close].tolist(), b[close].tolist()
    return list(zip(*found, strict=True))


def _unit(block: Vectors) -> Vector:
    rows = block.astype(np.float32)
    unit: Vector = (rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12)).astype(np.float32)
    return unit
