"""The bundled model (checked numerically against the torch reference) and the embedding step of the image
worker: one decode, the frame it already has, an artifact keyed by the model."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from hgsite.cache.store import Artifact, Meta
from hgsite.extract import images as images_module
from hgsite.extract.embeddings import (
    EMBED_KEY,
    EMBED_NAME,
    embed,
    embedding_file,
    load_features,
    model_input,
    session,
    source_size,
    stored_features,
)
from hgsite.extract.images import META_KEY
from hgsite.kinds import embedding as embedding_kind
from hgsite.kinds.preview import PreviewSpec, preview_file
from hgsite.models import HERE, MODEL_FILE, MODEL_SHA256
from hgsite.similar import codes
from hgsite.tasks.model import Limits, Result, Task, Want
from hgsite.tasks.planner import Stored, plan
from hgsite.tasks.run import run_task

DATA = Path(__file__).parent / "data"
REFERENCE = json.loads((HERE / "reference.json").read_text())
SHA = "e3b0" + "1" * 36
SPECS = tuple(PreviewSpec(size, 82) for size in (320, 720))
PREVIEWS = tuple(Want("preview", spec.name, spec.key, spec) for spec in SPECS)
EMBEDDING = Want("embedding", EMBED_NAME, EMBED_KEY)


def image_task(path: Path, cache: Path, wants: tuple[Want, ...], meta: bool = True) -> Task:
    return Task(SHA, str(path), str(cache), "image", meta, wants, Limits(10**8, 60))


def embedding_info(result: Result) -> dict[str, object] | None:
    return next((a.info for a in result.artifacts if a.name == EMBED_NAME), None)


def test_shipped_model_is_the_converted_file_and_small() -> None:
    data = MODEL_FILE.read_bytes()
    assert hashlib.sha256(data).hexdigest() == MODEL_SHA256 == REFERENCE["model_sha256"]
    assert 8_000_000 < len(data) < 10_000_000  # float16 weights: 4.7 M parameters x 2 bytes


def test_model_reproduces_the_torch_reference() -> None:
    """The fixed 224x224 image (a daisy): same top-5 classes and logits as the float32 torch model."""
    image = np.asarray(Image.open(DATA / REFERENCE["image"]).convert("RGB"))[None]
    features, logits = session().run(None, {"image": image})
    assert features.shape == (1, 1280) and logits.shape == (1, 1000)
    top5 = np.argsort(-logits[0])[:5].tolist()
    assert top5 == REFERENCE["top5"] and top5[0] == 985  # 985: daisy
    assert logits[0, top5] == pytest.approx(REFERENCE["logits_top5"], abs=0.03)
    assert logits[0, :10] == pytest.approx(REFERENCE["logits_first10"], abs=0.03)
    assert features[0, :10] == pytest.approx(REFERENCE["features_first10"], abs=0.01)
    assert float(np.linalg.norm(features)) == pytest.approx(REFERENCE["features_norm"], rel=1e-3)


def test_model_normalises_its_uint8_input_itself() -> None:
    """(x - 127) / 128 is inside the graph: a grey 127 image and a black one give different features,
    and the model accepts a batch."""
    batch = np.stack([np.full((224, 224, 3), 127, np.uint8), np.zeros((224, 224, 3), np.uint8)])
    features, _ = session().run(None, {"image": batch})
    assert features.shape == (2, 1280) and np.abs(features[0] - features[1]).max() > 0.1
    assert (features >= 0).all() and (features <= 6).all()  # ReLU6 before the pooling


def test_embed_takes_any_pil_image() -> None:
    daisy = Image.open(DATA / REFERENCE["image"])
    wide_grey = daisy.convert("L").resize((600, 200))
    first, second = embed([daisy, wide_grey])
    assert first.top[0][0] == 985 and first.top[0][1] > 0.8
    assert len(first.top) == 5 and all(a[1] >= b[1] for a, b in zip(first.top, first.top[1:], strict=False))
    assert second.features.shape == (1280,) and second.features.dtype == np.float32
    assert model_input(wide_grey).shape == (224, 224, 3)
    assert embed([]) == []


def test_source_size_keeps_the_short_edge_at_224() -> None:
    assert source_size(4000, 3000) == 299
    assert source_size(3000, 4000) == 299
    assert source_size(100, 80) == 100  # never more than the original
    assert source_size(224, 224) == 224


def _daisy_jpeg(tmp_path: Path, size: tuple[int, int] = (1200, 900)) -> Path:
    path = tmp_path / "daisy.jpg"
    Image.open(DATA / REFERENCE["image"]).convert("RGB").resize(size).save(path, quality=92)
    return path


def test_worker_embeds_the_frame_it_decoded_for_the_previews(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _daisy_jpeg(tmp_path)
    opened: list[str] = []
    real_open = images_module.Image.open
    monkeypatch.setattr(
        images_module.Image, "open", lambda p, *a, **k: (opened.append(str(p)), real_open(p))[1]
    )
    result = run_task(image_task(path, tmp_path, (*PREVIEWS, EMBEDDING)))
    info = embedding_info(result)
    assert result.error is None and opened == [str(path)]  # one decode for previews and model
    assert info is not None and info["top"][0][0] == 985  # type: ignore[index]
    assert len(codes.unpack(info["code"])) == 128  # type: ignore[arg-type]
    stored = load_features(embedding_file(tmp_path, SHA))
    assert stored.shape == (1280,)
    stored_code = codes.pack(stored)[None]
    made_code = codes.unpack(info["code"])[None]  # type: ignore[arg-type]
    agreement = codes.similarity_matrix(np.concatenate([stored_code, made_code]))[0, 1]
    assert agreement >= 1016  # the float16 file holds (almost) the vector the code was made from
    assert preview_file(tmp_path, SHA, SPECS[0]).is_file()
    kinds = {(a.name, a.key) for a in result.artifacts}
    assert (EMBED_NAME, EMBED_KEY) in kinds and ("preview-320", SPECS[0].key) in kinds


def test_worker_embeds_without_previews_when_only_the_embedding_is_missing(tmp_path: Path) -> None:
    path = _daisy_jpeg(tmp_path)
    result = run_task(image_task(path, tmp_path, (EMBEDDING,), meta=False))
    info = embedding_info(result)
    assert [a.name for a in result.artifacts] == [EMBED_NAME] and result.meta is None
    assert info is not None and info["top"][0][0] == 985  # type: ignore[index]
    assert [p.suffix for p in (tmp_path / "files").rglob("*") if p.is_file()] == [".npy"]


def test_model_failure_never_costs_the_picture(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(images: object) -> object:
        raise RuntimeError("onnxruntime exploded")

    monkeypatch.setattr(embedding_kind.embeddings, "embed", broken)
    result = run_task(image_task(_daisy_jpeg(tmp_path), tmp_path, (*PREVIEWS, EMBEDDING)))
    assert result.error is None and result.meta is not None
    assert [a.name for a in result.artifacts] == ["preview-720", "preview-320"]


def test_planner_redoes_exactly_the_missing_or_stale_embeddings() -> None:
    meta = {s: Meta(META_KEY, {"width": 800, "height": 600}) for s in ("a" * 40, "b" * 40, "c" * 40)}
    artifacts: dict[tuple[str, str], Artifact] = {}
    for sha1 in meta:
        for spec in SPECS:
            artifacts[(sha1, spec.name)] = Artifact(sha1, spec.name, spec.key, {"ext": "jpg"})
    artifacts[("a" * 40, EMBED_NAME)] = Artifact("a" * 40, EMBED_NAME, EMBED_KEY, {"ext": "npy"})
    artifacts[("b" * 40, EMBED_NAME)] = Artifact("b" * 40, EMBED_NAME, "oldmodel", {"ext": "npy"})
    items = {sha1: f"/photos/{sha1[0]}.jpg" for sha1 in meta}
    made = plan(
        items, "image", (*PREVIEWS, EMBEDDING), Stored(meta, artifacts, {}), "/cache", Limits(10**8, 60)
    )
    todo = {task.sha1: task for task in made.tasks}
    assert sorted(todo) == ["b" * 40, "c" * 40]
    assert all(task.wants == (EMBEDDING,) and not task.meta for task in todo.values())
    assert made.obsolete == {}  # an embedding is not an unknown artifact to delete


def test_stored_features_read_what_store_wrote_without_leaving_cycles(tmp_path: Path) -> None:
    import gc

    vector = np.linspace(-2, 2, 1280).astype(np.float32)
    path = embedding_file(tmp_path, SHA)
    path.parent.mkdir(parents=True)
    np.save(path, vector.astype(np.float16), allow_pickle=False)
    assert np.array_equal(stored_features(path), vector.astype(np.float16))
    assert load_features(path).dtype == np.float32
    enabled = gc.isenabled()
    gc.disable()
    try:
        gc.collect()
        for _ in range(50):
            stored_features(path)
        assert gc.collect() == 0, (
            "np.load's header parser would leave cycles (the build pauses the collector)"
        )
    finally:
        if enabled:
            gc.enable()
    other = tmp_path / "other.npy"  # not what store() writes: read by np.load
    np.save(other, np.ones((2, 3), dtype=np.float32))
    assert stored_features(other).shape == (2, 3) and stored_features(other).dtype == np.float16
