"""Shared fixtures for the unit tests: small images generated in tmp_path, the real corpus by path."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

CORPUS = Path(__file__).parents[2].parent / "shared" / "corpus"

# worker_funcs.py must be importable by name in this process and in worker processes (which get
# sys.path from here); pytest's default "prepend" import mode does this, other modes do not.
if str(Path(__file__).parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).parent))

EXIF_IFD, GPS_IFD = 0x8769, 0x8825
ORIENTATION, MAKE, MODEL = 0x0112, 0x010F, 0x0110
DATETIME_ORIGINAL, OFFSET_TIME_ORIGINAL = 0x9003, 0x9011


def make_exif(
    orientation: int | None = None,
    date: str | None = None,
    offset: str | None = None,
    gps: tuple[str, tuple[float, ...], str, tuple[float, ...]] | None = None,
    make: str | None = None,
    model: str | None = None,
) -> Image.Exif:
    """An Exif block with the given fields; gps is (lat ref, (d, m, s), lon ref, (d, m, s))."""
    exif = Image.Exif()
    if orientation is not None:
        exif[ORIENTATION] = orientation
    if make is not None:
        exif[MAKE] = make
    if model is not None:
        exif[MODEL] = model
    if date is not None:
        exif.get_ifd(EXIF_IFD)[DATETIME_ORIGINAL] = date
    if offset is not None:
        exif.get_ifd(EXIF_IFD)[OFFSET_TIME_ORIGINAL] = offset
    if gps is not None:
        ifd = exif.get_ifd(GPS_IFD)
        ifd[1], ifd[2], ifd[3], ifd[4] = gps
    return exif


@pytest.fixture
def make_jpeg() -> Callable[..., Path]:
    """make_jpeg(path, size=(w, h), color=(r, g, b), image=None, **exif fields, **save options)."""

    def make(
        path: Path,
        size: tuple[int, int] = (64, 48),
        color: Any = (200, 30, 30),
        image: Image.Image | None = None,
        save: dict[str, Any] | None = None,
        **exif_fields: Any,
    ) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        im = image if image is not None else Image.new("RGB", size, color)
        options: dict[str, Any] = {"quality": 92, **(save or {})}
        if exif_fields:
            options["exif"] = make_exif(**exif_fields)
        im.save(path, "JPEG", **options)
        return path

    return make


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"corpus folder {CORPUS} is missing")
    return CORPUS
