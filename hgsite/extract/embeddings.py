"""Image embeddings and ImageNet classes from the bundled model (hgsite/models), in worker processes.

The onnxruntime session is made once per process, on first use, with one thread: the build already runs
one worker per core. The model gets a frame that the image worker decoded anyway (a preview-sized buffer,
never a second decode of the original); videos pass their poster. Measured on the 2-core build machine:
about 10 ms per image, and batching does not pay on the CPU (batches of 4: 10.2 ms per image, of 16:
13.1 ms), so the worker embeds each image as it comes.

What is stored per item (artifact `embedding`, see docs/similarity.md):
  - the 1280 pooled features as a float16 .npy file in the cache (for near-duplicate grouping),
  - in the manifest row: the top ImageNet classes with their probabilities and the compact code that
    the browser ranks by.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from PIL import Image

from hgsite.atomic import atomic_write
from hgsite.cache.layout import artifact_path, params_key
from hgsite.models import INPUT_SIZE, MODEL_FILE, MODEL_SHA256
from hgsite.similar import codes

EMBED_VERSION = 1  # bump when the model's input (resizing) or the stored vectors change
EMBED_NAME = "embedding"
EMBED_KEY = params_key("embedding", EMBED_VERSION, MODEL_SHA256[:16], codes.CODE_VERSION)
TOP_K = 5  # classes kept per item; the labelling threshold is applied when the database is assembled

Vector = npt.NDArray[np.float32]

_session: Any = None
_lock = threading.Lock()


@dataclass(frozen=True, slots=True)
class Embedding:
    features: Vector  # float32[1280]
    top: tuple[tuple[int, float], ...]  # (ImageNet class, probability), most probable first


def session() -> Any:
    """The process's onnxruntime session, made on first use."""
    global _session
    with _lock:
        if _session is None:
            import onnxruntime

            options = onnxruntime.SessionOptions()
            options.intra_op_num_threads = 1
            options.inter_op_num_threads = 1
            options.log_severity_level = 3
            _session = onnxruntime.InferenceSession(
                str(MODEL_FILE), options, providers=["CPUExecutionProvider"]
            )
        return _session


def model_input(image: Image.Image) -> npt.NDArray[np.uint8]:
    """The whole picture squeezed to exactly 224x224 RGB (no crop: near-duplicates may be crops)."""
    rgb = image if image.mode == "RGB" else image.convert("RGB")
    if rgb.size != (INPUT_SIZE, INPUT_SIZE):
        rgb = rgb.resize((INPUT_SIZE, INPUT_SIZE), Image.Resampling.LANCZOS)
    return np.asarray(rgb, dtype=np.uint8)


def source_size(width: int, height: int) -> int:
    """The long edge to decode to when the model is the only consumer: short edge at least 224."""
    short, long = min(width, height), max(width, height)
    return min(long, -(-INPUT_SIZE * long // max(short, 1)))


def embed(images: Sequence[Image.Image]) -> list[Embedding]:
    """Features and top classes of each image (any size or mode)."""
    if not images:
        return []
    batch = np.stack([model_input(image) for image in images])
    features, logits = session().run(None, {"image": batch})
    return [
        Embedding(f.astype(np.float32), top_classes(row)) for f, row in zip(features, logits, strict=True)
    ]


def top_classes(logits: npt.NDArray[np.float32], k: int = TOP_K) -> tuple[tuple[int, float], ...]:
    shifted = np.exp(logits.astype(np.float64) - float(logits.max()))
    probabilities = shifted / shifted.sum()
    order = np.argsort(-probabilities)[:k]
    return tuple((int(i), round(float(probabilities[i]), 4)) for i in order)


def embedding_file(cache: Path, sha1: str, key: str = EMBED_KEY) -> Path:
    return artifact_path(cache, sha1, EMBED_NAME, key, "npy")


def store(cache: Path, sha1: str, embedding: Embedding) -> dict[str, Any]:
    """Write the float16 features into the cache; return the manifest info (classes, browser code)."""
    with atomic_write(embedding_file(cache, sha1)) as handle:
        np.save(handle, embedding.features.astype(np.float16), allow_pickle=False)
    return {
        "ext": "npy",
        "top": [list(pair) for pair in embedding.top],
        "code": codes.encode(embedding.features),
    }


def load_features(path: Path) -> Vector:
    features: Vector = stored_features(path).astype(np.float32)
    return features


# The header np.save writes for the 1-D float16 vectors of store(); anything else goes through np.load.
_NPY_START = b"\x93NUMPY\x01\x00"
_NPY_DICT = re.compile(rb"\{'descr': '<f2', 'fortran_order': False, 'shape': \((\d+),\), \} *\n")


def stored_features(path: Path) -> npt.NDArray[np.float16]:
    """The float16 features as store() wrote them. Read without np.load, whose header parser leaves
    reference cycles behind: the build pauses Python's cycle collector, and reading 100,000 vectors
    through np.load would keep 86 MB of garbage until the end of the build."""
    raw = path.read_bytes()
    if raw.startswith(_NPY_START):
        end = 10 + int.from_bytes(raw[8:10], "little")
        header = _NPY_DICT.fullmatch(raw[10:end])
        if header is not None and len(raw) - end == 2 * int(header[1]):
            return np.frombuffer(raw, dtype="<f2", offset=end)
    features: npt.NDArray[np.float16] = np.load(path, allow_pickle=False).astype(np.float16)
    return features
