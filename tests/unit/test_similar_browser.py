"""data/similar.json.gz: the entries' codes in their order and the groups as entry indices, in parts."""

from __future__ import annotations

import base64
import gzip
import json

import pytest
from similar_vectors import fixed_vectors

from hgsite.similar import browser, codes
from hgsite.similar.duplicates import DuplicateGroup


def test_browser_data_orders_codes_like_the_entries() -> None:
    x = fixed_vectors()
    order = ["sha2", "sha9", "sha0", "sha1"]
    codes_of = {f"sha{i}": codes.encode(x[i]) for i in (0, 1, 2)}  # sha9 has none
    groups = [DuplicateGroup(["sha0", "sha1"], 0.97), DuplicateGroup(["sha0", "gone"], 0.9)]
    document = json.loads(gzip.decompress(browser.browser_data(order, codes_of, groups, ["sha1"])))
    assert document["type"] == "hgsite/similar@1" and document["count"] == 4
    assert document["missing"] == [1]
    blob = base64.b64decode(document["codes"])
    assert len(blob) == 4 * 128
    assert blob[:128] == codes.pack(x[2]).tobytes() and blob[256:384] == codes.pack(x[0]).tobytes()
    assert blob[128:256] == bytes(128)
    assert document["groups"] == [{"items": [2, 3], "similarity": 0.97}]
    assert document["exact"] == [3]


def test_browser_document_in_parts_is_one_document(monkeypatch: pytest.MonkeyPatch) -> None:
    x = fixed_vectors()
    order = [f"sha{i}" for i in range(len(x))]
    codes_of = {sha1: codes.encode(x[i]) for i, sha1 in enumerate(order) if i != 2}
    groups = [DuplicateGroup(["sha0", "sha1"], 0.97)]
    whole = browser.browser_document(order, codes_of, groups, ["sha1"])
    monkeypatch.setattr(browser, "_B64_SLICE", 3)  # a part per 3 bytes of codes
    parts = browser.browser_parts(order, codes_of, groups, ["sha1"])
    assert len(list(parts())) > 100 and b"".join(parts()) == whole, "asked twice, the same bytes"
    document = json.loads(whole)
    assert base64.b64decode(document["codes"])[:128] == codes.pack(x[0]).tobytes()
    assert document["missing"] == [2] and document["exact"] == [1] and document["threshold"] == 0.85
