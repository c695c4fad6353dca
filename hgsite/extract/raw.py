"""The RAW source of a task: a camera RAW file's metadata, and its picture from the embedded preview.

Runs in worker processes, like the image source. LibRaw (through rawpy) reads the file's structure:
the sensor's size, the orientation and the largest embedded preview, which cameras write as a
full-size JPEG. That JPEG is decoded like any JPEG (reduced in the decoder, turned, in sRGB), so the
artifact kinds get the same frame as from a photo. The sensor data itself is decoded (demosaiced)
only when the preview is smaller than what the kinds need and the settings ask for it (`raw.decode`,
the "raw-decode" source): at half size when that is large enough, 0.3-0.4 s of CPU for 24 MP (1.9 s
at full size), against about 0.2 s from the preview (README has the figures). The EXIF fields come
from the RAW's own TIFF directories (most RAW formats are TIFF inside), else from the preview's
EXIF, and LibRaw's own reading fills the rest.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import rawpy
from PIL import Image, UnidentifiedImageError

from hgsite.cache.layout import params_key
from hgsite.errors import MediaError
from hgsite.extract import exif, images
from hgsite.kinds.preview import fit
from hgsite.tasks.frames import Frames, Make
from hgsite.tasks.model import Result, Task

META_VERSION = 1  # bump when the metadata read from a RAW file changes
META_KEY = params_key("raw-meta", META_VERSION)
DECODE_META_KEY = params_key("raw-meta", META_VERSION, "decode")  # raw.decode = true: another reader

# LibRaw's flip codes as EXIF orientations.
_ORIENTATION = {0: 1, 3: 3, 5: 8, 6: 6}
_SWAPS_AXES = {5, 6, 7, 8}
# TIFF-like headers of RAW formats; Panasonic (RW2) and Olympus (ORF) change the magic number only.
_TIFF_HEADERS = {
    b"II*\x00": b"II*\x00",
    b"MM\x00*": b"MM\x00*",
    b"IIU\x00": b"II*\x00",
    b"IIRO": b"II*\x00",
    b"IIRS": b"II*\x00",
    b"MMOR": b"MM\x00*",
}
_HEAD = 1 << 20  # the RAW's TIFF directories and EXIF are at its start
_WHOLE = 512 << 20  # read when they are not (no RAW is larger)
_PLAIN = {"JPEG", "PNG", "HEIF", "WEBP", "GIF", "BMP", "AVIF"}  # formats a misnamed file may really be


def read_raw(task: Task, make: Make) -> Result:
    """The task's metadata and artifacts from the embedded preview; never raises for a bad file."""
    return _read(task, make, META_KEY, decode=False)


def read_raw_decoding(task: Task, make: Make) -> Result:
    """Like read_raw, but the sensor data is decoded where the preview is too small or missing."""
    return _read(task, make, DECODE_META_KEY, decode=True)


def _read(task: Task, make: Make, key: str, decode: bool) -> Result:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            if Path(task.path).stat().st_size == 0:
                raise MediaError("empty file (0 bytes)")
            with rawpy.imread(task.path) as raw:
                return _extract(task, make, raw, key, decode)
        except Exception as error:  # per-file isolation: any reader error is this file's failure
            kind = _plain_format(task.path) if isinstance(error, rawpy.LibRawError) else None
            if kind is not None:
                return _misnamed(task, make, key, kind)
            return Result(task.sha1, error=_reason(error, task.path))


def _reason(error: BaseException, path: str) -> str:
    if isinstance(error, MediaError):
        return str(error)
    if isinstance(error, rawpy.LibRawFileUnsupportedError):
        if _looks_raw(path):
            return "damaged or truncated RAW file (LibRaw cannot parse it)"
        return "not a RAW file (no format LibRaw knows)"
    if isinstance(error, rawpy.LibRawIOError | rawpy.LibRawDataError):
        return "damaged or truncated RAW file"
    if isinstance(error, rawpy.LibRawTooBigError | rawpy.LibRawUnsufficientMemoryError | MemoryError):
        return "RAW file too large to decode"
    message = str(error).split("\n")[0]
    return f"cannot read RAW file ({type(error).__name__}: {message[:160]})"


def _looks_raw(path: str) -> bool:
    """The file starts like a RAW: a TIFF header (most formats), Canon's CR3 box or Fujifilm's RAF."""
    with Path(path).open("rb") as handle:
        head = handle.read(16)
    return head[:4] in _TIFF_HEADERS or head[4:12] == b"ftypcrx " or head.startswith(b"FUJIFILM")


def _plain_format(path: str) -> str | None:
    """The format of a photo of a common kind (a JPEG named .nef), or None."""
    try:
        with Image.open(path) as im:
            kind = im.format
    except (UnidentifiedImageError, OSError, ValueError):
        return None
    return kind if kind in _PLAIN else None


def _misnamed(task: Task, make: Make, key: str, kind: str) -> Result:
    """A photo of another format named like a RAW: shown as what it is, with a warning."""
    result = images.read_image(task, make)
    if result.meta is None:
        return result
    warning = f"a {kind} file named like a RAW photo: shown as a {kind}"
    return Result(result.sha1, (key, {**result.meta[1], "warning": warning}), result.artifacts)


def _extract(task: Task, make: Make, raw: rawpy.RawPy, key: str, decode: bool) -> Result:
    sizes = raw.sizes
    width, height = sizes.width, sizes.height
    if width < 1 or height < 1:
        raise MediaError(f"invalid RAW dimensions {width}x{height}")
    if width * height > task.limits.max_pixels:
        limit = task.limits.max_pixels / 1e6
        raise MediaError(
            f"image too large: {width}x{height} ({width * height / 1e6:.0f} MP, limit {limit:.0f} MP)"
        )
    orientation = _ORIENTATION.get(sizes.flip, 1)
    if orientation in _SWAPS_AXES:
        width, height = height, width
    preview = _preview(raw)
    notes: list[str] = []
    frame = _Frame(raw, preview, (width, height), orientation, decode, notes)
    made = make(width, height, frame)
    if not task.meta:
        return Result(task.sha1, None, made)
    meta: dict[str, Any] = {"width": width, "height": height, "format": "RAW"}
    meta.update(_fields(task.path, raw, preview))
    meta["raw"] = Path(task.path).suffix.lstrip(".").upper()[:8] or "RAW"
    if notes:
        meta["warning"] = notes[0]
    return Result(task.sha1, (key, meta), made)


def _preview(raw: rawpy.RawPy) -> Image.Image | None:
    """The largest embedded preview LibRaw finds (a JPEG, or a small bitmap), or None."""
    try:
        thumb = raw.extract_thumb()
    except (rawpy.LibRawNoThumbnailError, rawpy.LibRawUnsupportedThumbnailError):
        return None
    if isinstance(thumb.data, bytes):  # ThumbFormat.JPEG
        picture = Image.open(io.BytesIO(thumb.data))
        return picture if picture.format == "JPEG" else None
    return Image.fromarray(thumb.data).convert("RGB")  # ThumbFormat.BITMAP: 8-bit RGB pixels


class _Frame:
    """The decoder a RAW hands to the kinds: the preview when it is large enough, else the sensor data
    (with raw.decode), else the preview as it is, with a note for the build's warnings."""

    def __init__(
        self,
        raw: rawpy.RawPy,
        preview: Image.Image | None,
        shown: tuple[int, int],
        orientation: int,
        decode: bool,
        notes: list[str],
    ) -> None:
        self.raw, self.preview, self.shown, self.orientation = raw, preview, shown, orientation
        self.decode, self.notes = decode, notes

    def __call__(self, long_edge: int) -> Frames:
        preview = self.preview
        if preview is not None and max(preview.size) >= long_edge:
            return Frames(images.decode(preview, self.shown, self.orientation, long_edge), self.shown)
        if self.decode:
            return Frames(_demosaic(self.raw, long_edge), self.shown)
        if preview is None:
            raise MediaError(
                "RAW file without an embedded preview (raw.decode = true decodes its sensor data)"
            )
        edge = max(preview.size)
        self.notes.append(f"embedded preview only {edge} px (raw.decode = true decodes the sensor data)")
        return Frames(images.decode(preview, self.shown, self.orientation, long_edge), self.shown)


def _demosaic(raw: rawpy.RawPy, long_edge: int) -> Image.Image:
    """The sensor data decoded with the camera's white balance, turned as shown, in sRGB; at half size
    (four times faster) when that is still large enough."""
    sizes = raw.sizes
    half = max(sizes.width, sizes.height) // 2 >= long_edge
    pixels = raw.postprocess(use_camera_wb=True, half_size=half, output_bps=8)
    frame = Image.fromarray(pixels)
    target = fit(*frame.size, long_edge)
    if frame.size != target:
        frame = frame.resize(target, Image.Resampling.LANCZOS, reducing_gap=3.0)
    return frame


def _fields(path: str, raw: rawpy.RawPy, preview: Image.Image | None) -> dict[str, Any]:
    """EXIF fields of the RAW's own directories, then of the preview's EXIF, then LibRaw's reading."""
    fields = _tiff_fields(path)
    if preview is not None:
        for name, value in _exif_fields(preview.getexif()).items():
            fields.setdefault(name, value)
    fields.pop("orientation", None)  # LibRaw's, applied above
    other = raw.other
    fallback: dict[str, Callable[[], Any]] = {
        "date": lambda: _stamp(other.timestamp),
        "iso": lambda: exif.parse_exif({}, {exif.ISO: other.iso_speed}, {}).get("iso"),
        "exposure": lambda: exif.parse_exif({}, {exif.EXPOSURE_TIME: other.shutter_speed}, {}).get(
            "exposure"
        ),
        "fnumber": lambda: exif.parse_exif({}, {exif.FNUMBER: other.aperture}, {}).get("fnumber"),
        "focal": lambda: exif.parse_exif({}, {exif.FOCAL_LENGTH: other.focal_length}, {}).get("focal"),
    }
    for name, value in fallback.items():
        if name not in fields and (found := value()) is not None:
            fields[name] = found
    return fields


def _stamp(moment: Any) -> str | None:
    if not isinstance(moment, datetime) or moment.year < 1900:
        return None
    return exif.parse_date(moment.strftime("%Y:%m:%d %H:%M:%S"))


def _tiff_fields(path: str) -> dict[str, Any]:
    """The EXIF fields of a TIFF-based RAW (NEF, CR2, DNG, ARW, PEF, SRW, RW2, ORF, ...); {} for others.
    Cameras write the directories at the start; a file rewritten by software may have them anywhere."""
    with Path(path).open("rb") as handle:
        head = handle.read(_HEAD)
        magic = _TIFF_HEADERS.get(head[:4])
        if magic is None:
            return {}
        fields = _tiff_exif(magic + head[4:])
        if not fields and len(head) == _HEAD:
            fields = _tiff_exif(magic + head[4:] + handle.read(_WHOLE))
    return fields


def _tiff_exif(data: bytes) -> dict[str, Any]:
    tags = Image.Exif()
    try:
        tags.load(data)
    except Exception:  # broken directories must never cost the picture
        return {}
    return _exif_fields(tags)


def _exif_fields(tags: Image.Exif) -> dict[str, Any]:
    try:
        return exif.parse_exif(tags, _ifd(tags, exif.EXIF_IFD), _ifd(tags, exif.GPS_IFD))
    except Exception:
        return {}


def _ifd(tags: Image.Exif, tag: int) -> dict[int, Any]:
    try:
        return dict(tags.get_ifd(tag))
    except Exception:
        return {}
