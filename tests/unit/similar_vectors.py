"""Seven fixed feature vectors shared by the tests of hgsite/similar/ (codes, duplicates, browser data)."""

from __future__ import annotations

import numpy as np


def fixed_vectors() -> np.ndarray:
    """Seven ReLU-like vectors: 0 and 5 identical, 1 close to 0, 6 a scaled copy of 2 (same direction)."""
    rng = np.random.RandomState(7)
    x = np.maximum(rng.standard_normal((7, 1280)), 0).astype(np.float32)
    x[5] = x[0]
    x[1] = x[0] + 0.3 * np.maximum(rng.standard_normal(1280), 0)
    x[6] = 3 * x[2]
    return x
