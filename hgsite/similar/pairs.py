"""The near-duplicate pass over the cached features, its items and pairs kept in the cache for the next build:
the same items reuse them, a few new ones are compared only with the others."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np
import orjson

from hgsite import memory
from hgsite.atomic import atomic_write
from hgsite.cache.layout import duplicates_file
from hgsite.cache.store import Artifact
from hgsite.extract.embeddings import EMBED_KEY, EMBED_NAME, embedding_file, stored_features
from hgsite.similar import codes
from hgsite.similar.duplicates import DUPLICATE_THRESHOLD, DuplicateGroup, Rows, Vectors, close_pairs, linked

_SAVED_VERSION = 2  # of duplicates.json: the items and their linking pairs


def with_features(artifacts: Mapping[tuple[str, str], Artifact], sha1s: Iterable[str]) -> list[str]:
    """The items of `sha1s` that have current features (what the near-duplicate pass compares)."""
    return [
        sha1
        for sha1 in sha1s
        if (artifact := artifacts.get((sha1, EMBED_NAME))) is not None and artifact.key == EMBED_KEY
    ]


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
            pairs += _spilled(cache, order, lambda rows: close_pairs(rows, DUPLICATE_THRESHOLD, new))
    else:
        pairs = _spilled(cache, order, lambda rows: close_pairs(rows, DUPLICATE_THRESHOLD))
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
