"""Posters: a video's previews, in the same sizes and file names as a photo's, made from a frame that
is not black (extract/video.py grabs it); the manifest row records how that frame was chosen."""

from __future__ import annotations

from typing import Any

from hgsite.cache.store import Artifact
from hgsite.kinds.preview import Previews
from hgsite.tasks.model import Want

POSTER_VERSION = 1  # bump when the choice of the poster frame changes


class Posters(Previews):
    name = "poster"
    sources: tuple[str, ...] = ("video",)
    version = POSTER_VERSION

    def outdated(self, artifact: Artifact | None, want: Want) -> bool:
        return (
            super().outdated(artifact, want)
            or artifact is None
            or artifact.info.get("poster") != POSTER_VERSION
        )

    def info(self) -> dict[str, Any]:
        return {"poster": POSTER_VERSION}
