"""The compact codes the browser ranks by; the JS fixture is made here."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np
import pytest
from similar_vectors import fixed_vectors

from hgsite.similar import codes

FIXTURE = Path(__file__).resolve().parents[1] / "js" / "fixtures" / "similar.json"


def expected_ranking(matrix: np.ndarray, query: int, missing: set[int]) -> list[int]:
    others = [i for i in range(len(matrix)) if i != query and i not in missing]
    return [query, *sorted(others, key=lambda i: (-matrix[query, i], i))]


def fixture() -> dict[str, object]:
    packed = codes.pack(fixed_vectors())
    matrix = codes.similarity_matrix(packed)
    missing = {4}
    return {
        # the comment names the files that made the fixture before hgsite/similar/: as written in tests/js
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
    assert json.loads(FIXTURE.read_text()) == fixture(), "rewrite it: python tests/unit/test_similar_codes.py"


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


if __name__ == "__main__":
    FIXTURE.write_text(json.dumps(fixture(), indent=None, separators=(",", ":")) + "\n")
    print(f"wrote {FIXTURE}")
