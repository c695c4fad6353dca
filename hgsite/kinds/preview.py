"""Previews: JPEGs in the configured sizes (longest edge), each resized from the next larger one.

A preview is never larger than the original: an 800 px photo gets its 320 and 720 previews and a
"1920" one at 800 px. Video posters are previews made from a frame of the video (kinds/poster.py).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image

from hgsite.atomic import atomic_write
from hgsite.cache.layout import artifact_path, params_key
from hgsite.cache.store import Artifact
from hgsite.config import Config
from hgsite.tasks.frames import Frames
from hgsite.tasks.model import Task, Want

IMAGE_VERSION = 1  # bump when preview pixels change
PROGRESSIVE_FROM = 720  # a grid tile is small enough to arrive whole


@dataclass(frozen=True, slots=True)
class PreviewSpec:
    size: int  # longest edge in pixels
    quality: int
    progressive: bool = False  # progressive JPEG, for sizes from PROGRESSIVE_FROM on

    @property
    def name(self) -> str:
        return f"preview-{self.size}"

    @property
    def key(self) -> str:
        return _preview_key(self.size, self.quality, self.interlaced)

    @property
    def interlaced(self) -> bool:
        return self.progressive and self.size >= PROGRESSIVE_FROM

    def save(self, frame: Image.Image, path: Path) -> None:
        """Write `frame` as this preview's JPEG, atomically, with none of the original's metadata."""
        frame.info = {}  # Pillow would copy the original's JPEG comment (and more) into the preview
        with atomic_write(path) as handle:
            frame.save(handle, "JPEG", quality=self.quality, progressive=self.interlaced, optimize=False)


@functools.cache
def _preview_key(size: int, quality: int, interlaced: bool) -> str:
    """A preview's parameter key, hashed once per size and quality (a build asks for it per item)."""
    if interlaced:
        return params_key("preview", IMAGE_VERSION, size, quality, "progressive")
    return params_key("preview", IMAGE_VERSION, size, quality)


def specs_of(config: Config) -> tuple[PreviewSpec, ...]:
    """The preview sizes the settings ask for, smallest first."""
    wanted = config.previews
    return tuple(PreviewSpec(size, wanted.quality, wanted.progressive) for size in sorted(set(wanted.sizes)))


def wanted_sizes(width: int, height: int, sizes: Sequence[int]) -> list[int]:
    """Preview sizes worth making: every size below the original's long edge, plus one at full size."""
    longest = max(width, height)
    wanted = []
    for size in sorted(sizes):
        wanted.append(size)
        if size >= longest:
            break
    return wanted


def fit(width: int, height: int, size: int) -> tuple[int, int]:
    """Dimensions scaled so the long edge is at most `size`, keeping the aspect ratio."""
    scale = min(1.0, size / max(width, height, 1))
    return max(1, round(width * scale)), max(1, round(height * scale))


def preview_file(cache: Path, sha1: str, spec: PreviewSpec) -> Path:
    return artifact_path(cache, sha1, spec.name, spec.key, "jpg")


class Previews:
    """The preview kind: one Want per size; it decides the decode size (the largest preview wanted)."""

    name = "preview"
    sources: tuple[str, ...] = ("image", "raw", "raw-decode")
    leads = True  # the frame is decoded for it
    version = IMAGE_VERSION

    def wants(self, config: Config) -> tuple[Want, ...]:
        return tuple(Want(self.name, spec.name, spec.key, spec) for spec in specs_of(config))

    def stale(
        self,
        sha1: str,
        wants: Sequence[Want],
        fields: Mapping[str, Any] | None,
        artifacts: Mapping[tuple[str, str], Artifact],
    ) -> list[Want]:
        """The sizes missing or made with other parameters; only sizes this item gets, when its
        dimensions are known."""
        sizes = wanted_sizes(fields["width"], fields["height"], _sizes(wants)) if fields else None
        return [
            want
            for want in wants
            if (sizes is None or want.params.size in sizes)
            and self.outdated(artifacts.get((sha1, want.name)), want)
        ]

    def outdated(self, artifact: Artifact | None, want: Want) -> bool:
        return artifact is None or artifact.key != want.key

    def need(self, width: int, height: int, wants: Sequence[Want]) -> int:
        return max(wanted_sizes(width, height, _sizes(wants)), default=0)

    def make(self, frames: Frames, wants: Sequence[Want], task: Task) -> list[Artifact]:
        """Each wanted size, largest first, each resized from the one before."""
        width, height = frames.shown
        kept = set(wanted_sizes(width, height, _sizes(wants)))
        made = []
        for want in sorted((w for w in wants if w.params.size in kept), key=lambda w: -w.params.size):
            spec: PreviewSpec = want.params
            frame = frames.at(fit(width, height, spec.size))
            spec.save(frame, preview_file(Path(task.cache), task.sha1, spec))
            info = {"w": frame.size[0], "h": frame.size[1], "ext": "jpg", **self.info()}
            made.append(Artifact(task.sha1, want.name, want.key, info))
        return made

    def info(self) -> dict[str, Any]:
        """What the manifest row of each preview records besides its size."""
        return {}


def _sizes(wants: Sequence[Want]) -> list[int]:
    return [want.params.size for want in wants]
