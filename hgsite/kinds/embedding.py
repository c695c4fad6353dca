"""The image model's output: pooled features (for near-duplicates), top classes (labels) and the
compact code the browser ranks by (extract/embeddings.py, docs/similarity.md). Made from the smallest
frame the previews made that is still fit for the model's input, never from a second decode."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from hgsite.cache.store import Artifact
from hgsite.config import Config
from hgsite.extract import embeddings
from hgsite.models import INPUT_SIZE
from hgsite.tasks.frames import Frames
from hgsite.tasks.model import Task, Want


class Embedding:
    name = "embedding"
    sources: tuple[str, ...] = ("image", "raw", "raw-decode")
    leads = False  # takes what the previews decoded; decides the decode size only when alone
    version = embeddings.EMBED_VERSION

    def wants(self, config: Config) -> tuple[Want, ...]:
        return (Want(self.name, embeddings.EMBED_NAME, embeddings.EMBED_KEY),)

    def stale(
        self,
        sha1: str,
        wants: Sequence[Want],
        fields: Mapping[str, Any] | None,
        artifacts: Mapping[tuple[str, str], Artifact],
    ) -> list[Want]:
        stored = [artifacts.get((sha1, want.name)) for want in wants]
        return [
            want for want, made in zip(wants, stored, strict=True) if made is None or made.key != want.key
        ]

    def need(self, width: int, height: int, wants: Sequence[Want]) -> int:
        return embeddings.source_size(width, height)

    def make(self, frames: Frames, wants: Sequence[Want], task: Task) -> list[Artifact]:
        """The model's failure never costs the picture: no artifact, and the item has no labels."""
        try:
            found = embeddings.embed([frames.smallest(INPUT_SIZE)])[0]
            info = embeddings.store(Path(task.cache), task.sha1, found)
        except Exception:
            return []
        return [Artifact(task.sha1, want.name, want.key, info) for want in wants]
