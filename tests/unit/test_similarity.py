"""Codes, labels, near-duplicate grouping and the browser data file; the JS fixture is made here."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest

from hgsite import codes, similarity
from hgsite.cache.store import Artifact
from hgsite.extract.embeddings import EMBED_KEY, EMBED_NAME, embedding_file

FIXTURE = Path(__file__).resolve().parents[1] / "js" / "fixtures" / "similar.json"


def fixed_vectors() -> np.ndarray:
    """Seven ReLU-like vectors: 0 and 5 identical, 1 close to 0, 6 a scaled copy of 2 (same direction)."""
    rng = np.random.RandomState(7)
    x = np.maximum(rng.standard_normal((7, 1280)), 0).astype(np.float32)
    x[5] = x[0]
    x[1] = x[0] + 0.3 * np.maximum(rng.standard_normal(1280), 0)
    x[6] = 3 * x[2]
    return x


def expected_ranking(matrix: np.ndarray, query: int, missing: set[int]) -> list[int]:
    others = [i for i in range(len(matrix)) if i != query and i not in missing]
    return [query, *sorted(others, key=lambda i: (-matrix[query, i], i))]


def fixture() -> dict[str, object]:
    packed = codes.pack(fixed_vectors())
    matrix = codes.similarity_matrix(packed)
    missing = {4}
    return {
        "comment": "made by tests/unit/test_similarity.py from hgsite/codes.py; do not edit",
        "type": "hgsite/similar@1",
        "code": {"kind": "sign-bits", "bits": 1024, "version": codes.CODE_VERSION},
        "count": len(packed),
        "missing": sorted(missing),
        "codes": base64.b64encode(packed.tobytes()).decode("ascii"),
        "groups": [{"items": [0, 1, 5], "similarity": 0.95}, {"items": [2, 6], "similarity": 1.0}],
        "exact": [3, 0],
        "matrix": matrix.tolist(),
        "rankings": {str(q): expected_ranking(matrix, q, missing) for q in (0, 2, 3)},
    }


def test_js_fixture_matches_the_python_codes() -> None:
    """tests/js/similar.test.js checks the browser's ranking against this file; it must stay current."""
    assert json.loads(FIXTURE.read_text()) == fixture(), "rewrite it: python tests/unit/test_similarity.py"


def test_codes_follow_the_angle_between_vectors() -> None:
    x = fixed_vectors()
    matrix = codes.similarity_matrix(codes.pack(x))
    assert matrix.shape == (7, 7) and (np.diag(matrix) == 1024).all()
    assert matrix[0, 5] == 1024 and matrix[2, 6] == 1024  # same direction, same code
    assert matrix[0, 1] > matrix[0, 2] + 100  # a close vector agrees on far more bits than another one
    cosine = float(x[0] @ x[2] / np.linalg.norm(x[0]) / np.linalg.norm(x[2]))
    expected = 1024 * (1 - np.arccos(cosine) / np.pi)
    assert abs(matrix[0, 2] - expected) < 60  # SimHash: E[equal bits] = 1024 (1 - angle / pi)


def test_code_text_round_trips_and_is_128_bytes() -> None:
    text = codes.encode(fixed_vectors()[3])
    assert len(base64.b64decode(text)) == 128
    assert (codes.unpack(text) == codes.pack(fixed_vectors()[3])).all()
    with pytest.raises(ValueError, match="128 bytes"):
        codes.unpack(base64.b64encode(b"short").decode())


def test_labels_take_confident_classes_with_broader_words_and_plain_synonyms() -> None:
    assert similarity.labels([(985, 0.93), (738, 0.05)]) == ["daisy", "flower"]
    # beagle (162): a dog; rooster (7): a bird, also called "cock"; the scientific name is left out
    assert similarity.labels([(162, 0.6), (7, 0.31)]) == ["Beagle", "dog", "rooster", "bird", "cock"]
    shark = similarity.labels([(2, 0.9)])
    assert shark[:2] == ["great white shark", "fish"] and "white shark" not in shark
    assert "Carcharodon carcharias" not in shark
    assert similarity.labels([(985, 0.29)]) == []
    assert similarity.labels([(281, 0.5)]) == ["tabby cat"]  # "cat" already said


def test_near_duplicates_link_close_pairs_and_report_the_loosest_link() -> None:
    x = fixed_vectors()
    groups = similarity.near_duplicates([f"s{i}" for i in range(7)], x, threshold=0.95)
    assert [g.items for g in groups] == [["s0", "s1", "s5"], ["s2", "s6"]]
    loosest = float(x[0] @ x[1] / np.linalg.norm(x[0]) / np.linalg.norm(x[1]))
    assert groups[0].similarity == pytest.approx(loosest, abs=1e-3) and loosest < 0.97
    assert groups[1].similarity == pytest.approx(1.0)
    assert similarity.near_duplicates([f"s{i}" for i in range(7)], x, threshold=1.01) == []


def test_near_duplicates_blocks_cover_every_pair(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(similarity, "_BLOCK", 2)
    groups = similarity.near_duplicates([f"s{i}" for i in range(7)], fixed_vectors(), threshold=0.95)
    assert [g.items for g in groups] == [["s0", "s1", "s5"], ["s2", "s6"]]


def test_browser_data_orders_codes_like_the_entries() -> None:
    x = fixed_vectors()
    artifacts = {
        (f"sha{i}", EMBED_NAME): Artifact(
            f"sha{i}", EMBED_NAME, EMBED_KEY, {"top": [[985, 0.9]], "code": codes.encode(x[i])}
        )
        for i in (0, 1, 2)
    }
    artifacts[("sha9", EMBED_NAME)] = Artifact(
        "sha9", EMBED_NAME, "oldkey", {"top": [], "code": codes.encode(x[3])}
    )
    order = ["sha2", "sha9", "sha0", "sha1"]
    found = dict(similarity.analysed(artifacts, order))
    assert sorted(found) == ["sha0", "sha1", "sha2"]  # a stale key counts as missing
    assert similarity.with_features(artifacts, order) == ["sha2", "sha0", "sha1"]
    assert found["sha0"].top == [(985, 0.9)]
    groups = [
        similarity.DuplicateGroup(["sha0", "sha1"], 0.97),
        similarity.DuplicateGroup(["sha0", "gone"], 0.9),
    ]
    document = json.loads(
        gzip.decompress(
            similarity.browser_data(order, {s: i.code for s, i in found.items()}, groups, ["sha1"])
        )
    )
    assert document["type"] == "hgsite/similar@1" and document["count"] == 4
    assert document["missing"] == [1]
    blob = base64.b64decode(document["codes"])
    assert len(blob) == 4 * 128
    assert blob[:128] == codes.pack(x[2]).tobytes() and blob[256:384] == codes.pack(x[0]).tobytes()
    assert blob[128:256] == bytes(128)
    assert document["groups"] == [{"items": [2, 3], "similarity": 0.97}]
    assert document["exact"] == [3]


if __name__ == "__main__":
    FIXTURE.write_text(json.dumps(fixture(), indent=None, separators=(",", ":")) + "\n")
    print(f"wrote {FIXTURE}")


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
    monkeypatch.setattr(similarity, "_BLOCK", 64)
    monkeypatch.setattr(similarity, "_SPARSE", sparse)
    monkeypatch.setattr(similarity, "_PAIRS", pairs)
    monkeypatch.setattr(similarity, "_BAND", band)
    found = similarity._close_pairs(similarity.Rows.of(vectors), 0.85)
    assert {(a, b) for _, a, b in found} == expected
    assert all(cosine == pytest.approx(min(float(cosines[a, b]), 1.0), abs=1e-4) for cosine, a, b in found)


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
    groups = similarity.near_duplicates(order, x[[sha1s.index(s) for s in order]])
    return [(g.items, g.similarity) for g in groups]


def same_groups(found: list[similarity.DuplicateGroup], expected: list[tuple[list[str], float]]) -> bool:
    """The same groups; the loosest cosines alike to float32 rounding (a pair checked alone or in a block)."""
    return [g.items for g in found] == [items for items, _ in expected] and all(
        g.similarity == pytest.approx(cosine, abs=2e-4)
        for g, (_, cosine) in zip(found, expected, strict=True)
    )


def watch_reads(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int, bool]]:
    """(start, stop, incremental) of every read the near-duplicate pass makes."""
    reads: list[tuple[int, int, bool]] = []
    close_pairs = similarity._close_pairs

    def watched(rows: similarity.Rows, threshold: float, only: Any = None) -> Any:
        def read(start: int, stop: int) -> similarity.Vectors:
            reads.append((start, stop, only is not None))
            return rows.read(start, stop)

        return close_pairs(similarity.Rows(rows.count, rows.dim, read), threshold, only)

    monkeypatch.setattr(similarity, "_close_pairs", watched)
    return reads


def test_duplicate_groups_read_the_cached_features_a_band_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sha1s, x = cached_features(tmp_path, 200)
    expected = in_memory(sha1s, x, sha1s)
    assert len(expected) == 67
    monkeypatch.setattr(similarity, "_BLOCK", 16)
    monkeypatch.setattr(similarity, "_BAND", 48)
    reads = watch_reads(monkeypatch)
    found = similarity.duplicate_groups(tmp_path, reversed(sha1s))
    assert [(g.items, g.similarity) for g in found] == expected
    assert max(b - a for a, b, _ in reads) == 48, "never more than a band at once"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["duplicates.json", "files"], (
        "no temporary file left"
    )
    reads.clear()
    assert [(g.items, g.similarity) for g in similarity.duplicate_groups(tmp_path, sha1s)] == expected
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
    monkeypatch.setattr(similarity, "_BLOCK", block)
    monkeypatch.setattr(similarity, "_BAND", band)
    similarity.duplicate_groups(tmp_path, sha1s[:240])
    reads = watch_reads(monkeypatch)
    assert same_groups(similarity.duplicate_groups(tmp_path, later), expected["later"])
    assert reads and all(incremental for _, _, incremental in reads), "only the new items' pairs"
    reads.clear()
    assert same_groups(similarity.duplicate_groups(tmp_path, fewer), expected["fewer"])
    assert reads == [], "items gone: their pairs dropped, nothing compared"
    similarity.duplicate_groups(tmp_path, fewer[:50])
    assert reads == []
    assert same_groups(similarity.duplicate_groups(tmp_path, sha1s), expected["all"])
    assert reads and not any(incremental for _, _, incremental in reads), "mostly new items: one whole pass"


def test_a_damaged_saved_pass_is_made_again(tmp_path: Path) -> None:
    sha1s, x = cached_features(tmp_path, 60)
    similarity.duplicate_groups(tmp_path, sha1s[:50])
    saved = tmp_path / "duplicates.json"
    document = json.loads(saved.read_text())
    document["pairs"].append([3, 999, 0.9])  # a row that does not exist
    saved.write_text(json.dumps(document))
    assert same_groups(similarity.duplicate_groups(tmp_path, sha1s), in_memory(sha1s, x, sha1s))


def test_browser_document_in_parts_is_one_document(monkeypatch: pytest.MonkeyPatch) -> None:
    x = fixed_vectors()
    order = [f"sha{i}" for i in range(len(x))]
    codes_of = {sha1: codes.encode(x[i]) for i, sha1 in enumerate(order) if i != 2}
    groups = [similarity.DuplicateGroup(["sha0", "sha1"], 0.97)]
    whole = similarity.browser_document(order, codes_of, groups, ["sha1"])
    monkeypatch.setattr(similarity, "_B64_SLICE", 3)  # a part per 3 bytes of codes
    parts = similarity.browser_parts(order, codes_of, groups, ["sha1"])
    assert len(list(parts())) > 100 and b"".join(parts()) == whole, "asked twice, the same bytes"
    document = json.loads(whole)
    assert base64.b64decode(document["codes"])[:128] == codes.pack(x[0]).tobytes()
    assert document["missing"] == [2] and document["exact"] == [1] and document["threshold"] == 0.85
