"""The image model that ships with hgsite: EfficientNet-Lite0 (ImageNet-1k) as ONNX. See PROVENANCE.md."""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
MODEL_FILE = HERE / "efficientnet-lite0.onnx"
# The sha256 of MODEL_FILE: part of every embedding's cache key, so a new model redoes exactly the embeddings.
MODEL_SHA256 = "82773c563173e537737c70c465f31ba7113228201230e70d9ce93f181fbbe211"
CLASSES_FILE = HERE / "classes.json"
INPUT_SIZE = 224  # the model takes exactly 224x224 RGB
FEATURES = 1280
