"""data/similar.json.gz, the browser's similarity data: the entries' codes and the duplicate groups."""

from __future__ import annotations

import base64
import gzip
from collections.abc import Callable, Iterator, Mapping, Sequence

import orjson

from hgsite.similar import codes
from hgsite.similar.duplicates import DUPLICATE_THRESHOLD, DuplicateGroup

SCHEMA = "hgsite/similar@1"
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
