"""Labels from the model's classes, and what the manifest holds for each item's embedding."""

from __future__ import annotations

from hgsite.cache.store import Artifact
from hgsite.extract.embeddings import EMBED_KEY, EMBED_NAME
from hgsite.similar import labels, pairs


def test_labels_take_confident_classes_with_broader_words_and_plain_synonyms() -> None:
    assert labels.labels([(985, 0.93), (738, 0.05)]) == ["daisy", "flower"]
    # beagle (162): a dog; rooster (7): a bird, also called "cock"; the scientific name is left out
    assert labels.labels([(162, 0.6)]) == ["Beagle", "dog"]
    assert labels.labels([(7, 0.8)]) == ["rooster", "bird", "cock"]
    shark = labels.labels([(2, 0.9)])
    assert shark[:2] == ["great white shark", "fish"] and "white shark" not in shark
    assert "Carcharodon carcharias" not in shark
    assert labels.labels([(281, 0.7)]) == ["tabby cat"]  # "cat" already said


def test_wrong_guesses_of_the_checked_sample_stay_out() -> None:
    # from the hand-checked corpus sample (docs/similarity.md): a street taken for a prison (743) at 0.57,
    # a man on a train for a seat belt (785) at 0.55, snowy branches for a lampshade (619) at 0.59
    assert labels.labels([(743, 0.57), (663, 0.04)]) == []
    assert labels.labels([(785, 0.55)]) == []
    assert labels.labels([(619, 0.59)]) == []
    assert labels.labels([(985, 0.6)]) == ["daisy", "flower"]


def test_an_item_gets_the_words_of_one_class_only() -> None:
    # probabilities add up to 1, so at most one class reaches the threshold; its name comes first
    assert labels.LABEL_THRESHOLD > 0.5
    assert labels.labels([(162, 0.6), (7, 0.35)]) == ["Beagle", "dog"]


def test_only_items_with_current_features_are_analysed() -> None:
    artifacts = {
        (f"sha{i}", EMBED_NAME): Artifact(
            f"sha{i}", EMBED_NAME, EMBED_KEY, {"top": [[985, 0.9]], "code": f"c{i}"}
        )
        for i in (0, 1, 2)
    }
    artifacts[("sha9", EMBED_NAME)] = Artifact("sha9", EMBED_NAME, "oldkey", {"top": [], "code": "c9"})
    order = ["sha2", "sha9", "sha0", "sha1"]
    found = dict(labels.analysed(artifacts, order))
    assert sorted(found) == ["sha0", "sha1", "sha2"]  # a stale key counts as missing
    assert pairs.with_features(artifacts, order) == ["sha2", "sha0", "sha1"]
    assert found["sha0"].top == [(985, 0.9)]
    assert found["sha0"].code == "c0"
