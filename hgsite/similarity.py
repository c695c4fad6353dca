"""Labels, near-duplicate groups and the browser's similarity data, from the embeddings in the cache.

The image worker stores, per item, the model's pooled features (float16 .npy in the cache) and in the
manifest the top ImageNet classes and the 128-byte code (extract/embeddings.py). This module turns them
into what the bundle needs; docs/similarity.md has the measurements behind every constant here.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import gzip
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import orjson

from hgsite import codes, memory
from hgsite.atomic import atomic_write
from hgsite.cache.layout import duplicates_file, index_file
from hgsite.cache.store import Artifact, Store
from hgsite.errors import HgsiteError
from hgsite.extract.embeddings import EMBED_KEY, EMBED_NAME, embedding_file, stored_features
from hgsite.models import CLASSES_FILE

SCHEMA = "hgsite/similar@1"
# A class becomes a label from this softmax probability on. On the example gallery, predictions above it
# are right or defensible (daisy 0.93, monastery 0.92, tent 0.78, bookstore 0.69); below it they turn
# into guesses (candle 0.07 for a street, slug 0.08 for a falcon).
LABEL_THRESHOLD = 0.3
SYNONYMS_PER_CLASS = 2
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


@dataclass(frozen=True, slots=True)
class ItemSimilarity:
    """What the manifest holds for one item's embedding."""

    top: list[tuple[int, float]]
    code: str


@dataclass
class DuplicateGroup:
    items: list[str]  # sha1s, in the order given to near_duplicates
    similarity: float  # the lowest cosine of a linking pair: how alike the loosest member is


def analysed(
    artifacts: Mapping[tuple[str, str], Artifact], sha1s: Iterable[str]
) -> Iterator[tuple[str, ItemSimilarity]]:
    """The embedding info of each item of `sha1s` that has current features, one at a time: held all at
    once, they would take about 100 MB at 100,000 items."""
    for sha1 in sha1s:
        artifact = artifacts.get((sha1, EMBED_NAME))
        if artifact is not None and artifact.key == EMBED_KEY:
            info = artifact.info
            top = [(int(i), float(p)) for i, p in info.get("top", [])]
            yield sha1, ItemSimilarity(top, str(info.get("code", "")))


def with_features(artifacts: Mapping[tuple[str, str], Artifact], sha1s: Iterable[str]) -> list[str]:
    """The items of `sha1s` that have current features (what the near-duplicate pass compares)."""
    return [
        sha1
        for sha1 in sha1s
        if (artifact := artifacts.get((sha1, EMBED_NAME))) is not None and artifact.key == EMBED_KEY
    ]


# -- labels -----------------------------------------------------------------------------------------
@functools.cache
def classes() -> list[dict[str, Any]]:
    document = orjson.loads(CLASSES_FILE.read_bytes())
    found: list[dict[str, Any]] = document["classes"]
    return found


def labels(top: Sequence[tuple[int, float]], threshold: float = LABEL_THRESHOLD) -> list[str]:
    """Readable labels of the classes at or above `threshold`: the name, a broader word ("dog" for a
    beagle) and a few plain WordNet synonyms ("cock" for rooster); nothing a longer label already says."""
    found: list[str] = []
    for index, probability in top:
        if probability < threshold or not 0 <= index < len(classes()):
            continue
        known = classes()[index]
        synonyms = [s for s in known.get("wordnet", []) if s == s.lower()][:SYNONYMS_PER_CLASS]
        for word in [known["name"], known.get("broader"), *synonyms]:
            if word and not any(word.lower() in label.lower() for label in found):
                found.append(word)
    return found


# -- near-duplicates ---------------------------------------------------------------------------------
def near_duplicates(
    sha1s: Sequence[str], vectors: Vectors | Rows, threshold: float = DUPLICATE_THRESHOLD
) -> list[DuplicateGroup]:
    """Groups of items linked by pairs with cosine >= threshold (single linkage, so a burst of shots
    that drifts is one group). `vectors` holds float[N, dim] in the order of `sha1s`, as an array or
    as a reader of rows (a file too large to hold); exact, in blocks."""
    rows = vectors if isinstance(vectors, Rows) else Rows.of(vectors)
    return linked(sha1s, _close_pairs(rows, threshold))


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


def _close_pairs(
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
    """_close_pairs of the rows `only` against every row: each of those rows is compared with all the
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


_SAVED_VERSION = 2  # of duplicates.json: the items and their linking pairs


def duplicate_groups(cache: Path, sha1s: Iterable[str]) -> list[DuplicateGroup]:
    """near_duplicates over the items' cached features, reusing what the last pass found.

    The pairwise pass is quadratic (2.3 s for 10,000 items here, two minutes for 100,000), so the items
    and the pairs it linked are kept in the cache (with the model and the threshold). A rebuild with
    the same items reuses them; one with a few new items compares only those with all the others, and
    one with items gone drops their pairs. The features are copied into one unnamed temporary file and
    read back a band at a time: held at once they would take 256 MB at 100,000 items.
    """
    order = sorted(sha1s)
    saved, key = duplicates_file(cache), f"{EMBED_KEY} {DUPLICATE_THRESHOLD} {_SAVED_VERSION}"
    known, known_pairs = _load_pairs(saved, key)
    if known == order:
        return linked(order, known_pairs)
    position = {sha1: row for row, sha1 in enumerate(order)}
    before = set(known)
    new = np.array([row for row, sha1 in enumerate(order) if sha1 not in before], dtype=np.intp)
    pairs: list[tuple[float, int, int]]
    if known and len(new) * 3 <= len(order):  # few new items: only their pairs are new
        pairs = [
            (cosine, position[known[a]], position[known[b]])
            for cosine, a, b in known_pairs
            if known[a] in position and known[b] in position
        ]
        if len(new):
            pairs += _spilled(cache, order, lambda rows: _close_pairs(rows, DUPLICATE_THRESHOLD, new))
    else:
        pairs = _spilled(cache, order, lambda rows: _close_pairs(rows, DUPLICATE_THRESHOLD))
    document = {"key": key, "items": order, "pairs": [[a, b, cosine] for cosine, a, b in pairs]}
    with atomic_write(saved) as handle:
        handle.write(orjson.dumps(document))
    return linked(order, pairs)


def _load_pairs(saved: Path, key: str) -> tuple[list[str], list[tuple[float, int, int]]]:
    """The items and pairs of the last pass, if it was made with the same model, threshold and format."""
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError, IndexError):
        document = orjson.loads(saved.read_bytes())
        if document["key"] == key:
            items = [str(sha1) for sha1 in document["items"]]
            pairs = [(float(cosine), int(a), int(b)) for a, b, cosine in document["pairs"]]
            if all(0 <= a < b < len(items) for _, a, b in pairs):
                return items, pairs
    return [], []


def _spilled(
    cache: Path, order: Sequence[str], compare: Callable[[Rows], list[tuple[float, int, int]]]
) -> list[tuple[float, int, int]]:
    """compare() over the features of `order`, read from an unnamed temporary file in the cache."""
    dim = codes.planes().shape[0]
    width = dim * np.dtype(np.float16).itemsize
    with tempfile.TemporaryFile(dir=cache) as spill:
        for sha1 in order:
            spill.write(stored_features(embedding_file(cache, sha1)).tobytes())

        def read(start: int, stop: int) -> Vectors:
            spill.seek(start * width)
            return np.frombuffer(spill.read((stop - start) * width), dtype=np.float16).reshape(-1, dim)

        found = compare(Rows(len(order), dim, read))
    memory.give_back()  # what the pass freed, for the entries to come
    return found


# -- the browser's data file -------------------------------------------------------------------------
GZIP_LEVEL = 6


def browser_data(
    order: Sequence[str], codes_of: Mapping[str, str], groups: Sequence[DuplicateGroup], exact: Sequence[str]
) -> bytes:
    """data/similar.json.gz: browser_document, gzipped."""
    document = browser_document(order, codes_of, groups, exact)
    return gzip.compress(document, compresslevel=GZIP_LEVEL, mtime=0)


def browser_document(
    order: Sequence[str], codes_of: Mapping[str, str], groups: Sequence[DuplicateGroup], exact: Sequence[str]
) -> bytes:
    """The JSON of data/similar.json.gz: the codes of the database's entries (in `order`, the entries'
    sha1s; `codes_of` has them by sha1, as the manifest spells them) and the duplicate groups as entry
    indices. docs/similarity.md documents the format."""
    return b"".join(browser_parts(order, codes_of, groups, exact)())


_B64_SLICE = 3 * 65536  # bytes of codes encoded at once (a multiple of 3: no padding between slices)


def browser_parts(
    order: Sequence[str], codes_of: Mapping[str, str], groups: Sequence[DuplicateGroup], exact: Sequence[str]
) -> Callable[[], Iterator[bytes]]:
    """browser_document as a function that gives it in parts (what cache.compressed takes). `codes_of`
    is read at once and may go; the codes, 17 MB of base64 at 100,000 items, are encoded a slice at a
    time whenever the parts are asked for, so the whole text is never held."""
    index = {sha1: i for i, sha1 in enumerate(order)}
    blob = bytearray(codes.CODE_BYTES * len(order))
    missing = []
    for i, sha1 in enumerate(order):
        code = codes_of.get(sha1)
        if not code:
            missing.append(i)
            continue
        blob[i * codes.CODE_BYTES : (i + 1) * codes.CODE_BYTES] = codes.unpack(code).tobytes()
    near = [
        {"items": [index[s] for s in g.items if s in index], "similarity": g.similarity}
        for g in groups
        if sum(s in index for s in g.items) > 1
    ]
    document = {
        "type": SCHEMA,
        "code": {"kind": "sign-bits", "bits": codes.BITS, "version": codes.CODE_VERSION},
        "count": len(order),
        "missing": missing,
        "codes": "",  # the place of the codes' text
        "threshold": DUPLICATE_THRESHOLD,
        "groups": near,
        "exact": [index[s] for s in exact if s in index],
    }
    head, tail = orjson.dumps(document).split(b'"codes":""', 1)

    def parts() -> Iterator[bytes]:
        yield head + b'"codes":"'
        for start in range(0, len(blob), _B64_SLICE):
            yield base64.b64encode(blob[start : start + _B64_SLICE])
        yield b'"' + tail

    return parts


# -- the `hgsite duplicates` report ------------------------------------------------------------------
def duplicates_report(cache: Path) -> dict[str, Any]:
    """Near-duplicate groups and exact duplicates (one content at several paths) of the last build."""
    if not index_file(cache).is_file():
        raise HgsiteError(f"{cache}: no cache here; run hgsite build first")
    store = Store(cache)
    try:
        files: dict[str, list[str]] = {}
        for path, stamp in sorted(store.load_stamps().items()):
            files.setdefault(stamp.sha1, []).append(os.fsdecode(path))
        found = with_features(store.load_artifacts(), files)
    finally:
        store.close()
    if files and not found:
        raise HgsiteError(f"{cache}: no analysed photos yet; run hgsite build first")
    near = duplicate_groups(cache, found)
    return {
        "threshold": DUPLICATE_THRESHOLD,
        "near": [
            {"similarity": g.similarity, "items": [{"sha1": s, "files": files[s]} for s in g.items]}
            for g in sorted(near, key=lambda g: (-len(g.items), files[g.items[0]][0]))
        ],
        "exact": [{"sha1": s, "files": paths} for s, paths in files.items() if len(paths) > 1],
    }
