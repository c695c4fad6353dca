"""Readable labels from the model's ImageNet classes, and each item's classes and code from the manifest."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from hgsite.cache.store import Artifact
from hgsite.extract.embeddings import EMBED_KEY, EMBED_NAME
from hgsite.models import CLASSES_FILE

# A class becomes a label from this softmax probability on. On the example gallery, predictions above it
# are right or defensible (daisy 0.93, monastery 0.92, tent 0.78, bookstore 0.69); below it they turn
# into guesses (candle 0.07 for a street, slug 0.08 for a falcon).
LABEL_THRESHOLD = 0.3
SYNONYMS_PER_CLASS = 2


@dataclass(frozen=True, slots=True)
class ItemSimilarity:
    """What the manifest holds for one item's embedding."""

    top: list[tuple[int, float]]
    code: str


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
