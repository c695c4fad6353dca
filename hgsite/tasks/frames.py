"""The decoded picture a task's artifact kinds share: one decode, every smaller size made from the last."""

from __future__ import annotations

from collections.abc import Callable

from PIL import Image

from hgsite.cache.store import Artifact


class Frames:
    """The picture decoded at the largest size a kind asked for, shown the right way up, in sRGB; and
    each smaller size made of it so far, in the order made (each from the one before)."""

    def __init__(self, first: Image.Image, shown: tuple[int, int]) -> None:
        self.made = [first]
        self.shown = shown  # the original's shown width and height, which sizes are fitted to

    def at(self, size: tuple[int, int]) -> Image.Image:
        """The picture at `size`, made from the smallest one so far (the kinds ask largest first)."""
        frame = self.made[-1]
        if frame.size != size:
            frame = frame.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
            self.made.append(frame)
        return frame

    def smallest(self, short_edge: int) -> Image.Image:
        """The smallest picture made whose short edge is at least `short_edge`; else the last one."""
        for frame, smaller in zip(self.made, self.made[1:], strict=False):
            if min(smaller.size) < short_edge:
                return frame
        return self.made[-1]


# How a source hands its decoder to the kinds (tasks/run.py): decode(long edge) -> Frames.
Decode = Callable[[int], Frames]
# What a source calls once it knows the shown size: make(width, height, decode) -> the artifacts made.
Make = Callable[[int, int, Decode], tuple[Artifact, ...]]
