"""The compact similarity code the browser ranks by: 1024 random-hyperplane sign bits (128 bytes) per item.

Chosen by measurement (bench/similarity_quality.py, docs/similarity.md): on the near-duplicate set it
finds the variants as well as the float vectors do (recall@4 0.989), keeps about as much of the float
top-10 list as PCA-128 int8 does, needs no fitted parameters (a PCA basis fitted on the few hundred
corpus photos does not generalise), and its score is an integer 0..1024 that the browser computes with
XOR and popcount and sorts by counting, in linear time.

The similarity of two codes is the number of equal bits: 1024 for identical directions, about 512 for
unrelated ones. Its expected value is 1024 * (1 - angle / pi) of the two feature vectors.
"""

from __future__ import annotations

import base64
import functools

import numpy as np
import numpy.typing as npt

from hgsite.models import FEATURES

CODE_VERSION = 1  # bump when the planes or the packing change: every code is then remade
BITS = 1024
CODE_BYTES = BITS // 8
SEED = 1280
DESCRIPTION = "1024 random-projection sign bits"


@functools.cache
def planes() -> npt.NDArray[np.float32]:
    """The fixed random hyperplanes. RandomState's stream is frozen by NumPy's compatibility policy."""
    return np.random.RandomState(SEED).standard_normal((FEATURES, BITS)).astype(np.float32)


def pack(features: npt.NDArray[np.float32]) -> npt.NDArray[np.uint8]:
    """Codes of one vector (float32[1280]) or many (float32[N, 1280]); bit i: plane i sees it positive.

    Bytes are big-endian bit order: bit i is byte i // 8, mask 0x80 >> (i % 8).
    """
    packed: npt.NDArray[np.uint8] = np.packbits((features.astype(np.float32) @ planes()) > 0, axis=-1)
    return packed


def encode(features: npt.NDArray[np.float32]) -> str:
    """The base64 text of one vector's code (as stored in the cache manifest)."""
    return base64.b64encode(pack(features).tobytes()).decode("ascii")


def unpack(code: str) -> npt.NDArray[np.uint8]:
    data = np.frombuffer(base64.b64decode(code), dtype=np.uint8)
    if data.size != CODE_BYTES:
        raise ValueError(f"a similarity code has {CODE_BYTES} bytes, got {data.size}")
    return data


def similarity_matrix(packed: npt.NDArray[np.uint8]) -> npt.NDArray[np.int32]:
    """Equal bits between every pair of codes (uint8[N, 128] -> int32[N, N]); the browser's score."""
    bits = np.unpackbits(packed, axis=1).astype(np.int32)
    ones = bits @ bits.T
    zeros = (1 - bits) @ (1 - bits).T
    result: npt.NDArray[np.int32] = (ones + zeros).astype(np.int32)
    return result
