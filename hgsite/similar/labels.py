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

# A class becomes a label from this softmax probability on. On a hand-checked sample of 100 corpus
# photos (docs/similarity.md) only 45 % of the labels at 0.3 were right ("prison" for a street, "seat
# belt" for a man on a train, "cannon" for a beach); from 0.6 on, 80 % are. Above 0.5 an item has at most
# one class (the probabilities add up to 1), so its labels are the words of one concept, name first.
LABEL_THRESHOLD = 0.6
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
