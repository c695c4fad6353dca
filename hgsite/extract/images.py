"""Previews and metadata of one image: decode once, derive every size from that one buffer.

Runs in worker processes: a pure function of (file bytes, parameters) that writes its artifacts
into the content-addressed cache and returns plain data.
"""

from __future__ import annotations

import functools
import io
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pillow_heif
from PIL import Image, ImageCms, ImageFile, IptcImagePlugin, TiffImagePlugin, UnidentifiedImageError

from hgsite.atomic import atomic_write
from hgsite.cache.layout import artifact_path, params_key
from hgsite.errors import MediaError
from hgsite.extract import embeddings, exif, faces, xmp
from hgsite.models import INPUT_SIZE

IMAGE_VERSION = 1  # bump when preview pixels change
META_VERSION = 3  # bump when the metadata read from a file changes
META_KEY = params_key("meta", META_VERSION)
PROGRESSIVE_FROM = 720  # a grid tile is small enough to arrive whole

pillow_heif.register_heif_opener()
Image.MAX_IMAGE_PIXELS = None  # the size check below gives a clearer message than Pillow's
ImageFile.LOAD_TRUNCATED_IMAGES = False
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
_SWAPS_AXES = {5, 6, 7, 8}
_TRANSPOSE = {
    2: [Image.Transpose.FLIP_LEFT_RIGHT],
    3: [Image.Transpose.ROTATE_180],
    4: [Image.Transpose.FLIP_TOP_BOTTOM],
    5: [Image.Transpose.TRANSPOSE],
    6: [Image.Transpose.ROTATE_270],
    7: [Image.Transpose.TRANSVERSE],
    8: [Image.Transpose.ROTATE_90],
}


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


@dataclass(frozen=True, slots=True)
class ImageTask:
    sha1: str
    path: str
    cache: str
    previews: tuple[PreviewSpec, ...]
    meta: bool
    max_pixels: int
    embed: bool = False  # also run the image model on the decoded frame (extract/embeddings.py)


@dataclass(frozen=True, slots=True)
class ImageResult:
    sha1: str
    meta: dict[str, Any] | None
    previews: tuple[tuple[PreviewSpec, int, int], ...]  # spec, width, height written
    error: str | None = None
    embedding: dict[str, Any] | None = None  # manifest info of the embedding artifact written


def wanted_sizes(width: int, height: int, sizes: Sequence[int]) -> list[int]:
    """Preview sizes worth making: every size below the original's long edge, plus one at full size.

    Never upscales: an 800 px original gets its 320 and 720 previews and a "1920" one at 800 px.
    """
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


def extract_image(task: ImageTask) -> ImageResult:
    """Worker entry point: never raises for a bad file, returns the reason instead.

    A truncated file (an interrupted copy, a dying disk) is decoded a second time as far as its data
    goes, so the photo stays in the gallery; its metadata then carries a warning the build reports.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Pillow warns about odd EXIF on stderr; we judge by results
        try:
            return _extract(task)
        except Exception as error:  # per-file isolation: any decoder error is this file's failure
            if not (isinstance(error, OSError) and "truncated" in str(error).lower()):
                return _failed(task, error)
        try:
            ImageFile.LOAD_TRUNCATED_IMAGES = True
            result = _extract(task)
        except Exception as error:
            return _failed(task, error)
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = False
    if result.meta is not None:
        result.meta["warning"] = "truncated image file: shown as far as its data goes"
    return result


def _failed(task: ImageTask, error: Exception) -> ImageResult:
    return ImageResult(task.sha1, None, (), _reason(error))


def _reason(error: BaseException) -> str:
    if isinstance(error, MediaError):
        return str(error)
    if isinstance(error, Image.DecompressionBombError):
        return f"image too large: {error}"
    if isinstance(error, UnidentifiedImageError):
        return "not an image format hgsite can read"
    message = str(error).split("\n")[0]
    if isinstance(error, OSError) and "truncated" in message.lower():
        return "truncated image file"
    if isinstance(error, OSError) and ("broken data stream" in message or "decoder object" in message):
        return "damaged image data"
    if isinstance(error, MemoryError):
        return "not enough memory to decode"
    return f"cannot decode image ({type(error).__name__}: {message[:160]})"


def _extract(task: ImageTask) -> ImageResult:
    if Path(task.path).stat().st_size == 0:
        raise MediaError("empty file (0 bytes)")
    with Image.open(task.path) as im:
        width, height = im.size
        if width < 1 or height < 1:
            raise MediaError(f"invalid image dimensions {width}x{height}")
        if width * height > task.max_pixels:
            megapixels, limit = width * height / 1e6, task.max_pixels / 1e6
            raise MediaError(f"image too large: {width}x{height} ({megapixels:.0f} MP, limit {limit:.0f} MP)")
        fields = _read_exif(im)
        packet = _xmp_packet(im)
        keywords = _read_keywords(im, packet)
        if keywords:
            fields["keywords"] = keywords
        orientation = fields.pop("orientation", 1)
        regions = faces.regions_from_xmp(packet)
        if regions is not None:  # kept as stored; the database stage turns them with the photo
            fields.update(regions=regions.to_json(), stored=[width, height], orientation=orientation)
        if orientation in _SWAPS_AXES:
            width, height = height, width
        meta = {"width": width, "height": height, "format": im.format, **fields} if task.meta else None
        written, frame = _write_previews(im, task, width, height, orientation)
    embedding = _embed(frame, task) if task.embed and frame is not None else None
    return ImageResult(task.sha1, meta, written, embedding=embedding)


def _embed(frame: Image.Image, task: ImageTask) -> dict[str, Any] | None:
    """The model runs on the frame decoded for the previews; its failure never costs the picture."""
    try:
        return embeddings.store(Path(task.cache), task.sha1, embeddings.embed([frame])[0])
    except Exception:
        return None


def _read_exif(im: Image.Image) -> dict[str, Any]:
    try:
        ifd0 = im.getexif()
    except Exception:  # broken EXIF must never cost the picture
        return {}
    return exif.parse_exif(ifd0, _ifd(ifd0, exif.EXIF_IFD), _ifd(ifd0, exif.GPS_IFD))


def _xmp_packet(im: Image.Image) -> Any:
    packet = im.info.get("xmp") or im.info.get("XML:com.adobe.xmp")
    if packet is None and isinstance(im, TiffImagePlugin.TiffImageFile):
        packet = im.tag_v2.get(700)
    return packet


def _read_keywords(im: Image.Image, packet: Any) -> list[str]:
    """Tags embedded by photo managers: XMP dc:subject / lr:hierarchicalSubject and IPTC Keywords."""
    try:
        iptc = IptcImagePlugin.getiptcinfo(im) if isinstance(im, ImageFile.ImageFile) else None
    except Exception:  # a broken IPTC block must never cost the picture
        iptc = None
    return list(dict.fromkeys(xmp.keywords_from_xmp(packet) + xmp.keywords_from_iptc(iptc)))


def _ifd(ifd0: Image.Exif, tag: int) -> dict[int, Any]:
    try:
        return dict(ifd0.get_ifd(tag))
    except Exception:
        return {}


def _write_previews(
    im: Image.Image, task: ImageTask, width: int, height: int, orientation: int
) -> tuple[tuple[tuple[PreviewSpec, int, int], ...], Image.Image | None]:
    """Write the previews from one decode; also return the smallest frame still fit for the model."""
    wanted = set(wanted_sizes(width, height, [s.size for s in task.previews]))
    specs = sorted((s for s in task.previews if s.size in wanted), key=lambda s: -s.size)
    if not specs and not task.embed:
        return (), None
    longest = specs[0].size if specs else embeddings.source_size(width, height)
    target = fit(width, height, longest)
    stored = target[::-1] if orientation in _SWAPS_AXES else target
    if im.format == "JPEG":
        im.draft("RGB", stored)
    im.seek(0)
    frame = _normalise(im)
    largest = fit(*frame.size, longest)
    if frame.size != largest:
        frame = frame.resize(largest, Image.Resampling.LANCZOS, reducing_gap=3.0)
    frame = _to_srgb(frame, im.info.get("icc_profile"))  # after resizing: fewer pixels to transform
    for method in _TRANSPOSE.get(orientation, []):
        frame = frame.transpose(method)
    written = []
    for_model = None
    for spec in specs:
        size = fit(width, height, spec.size)
        if frame.size != size:
            if for_model is None and min(size) < INPUT_SIZE:
                for_model = frame
            frame = frame.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
        spec.save(frame, preview_file(Path(task.cache), task.sha1, spec))
        written.append((spec, *frame.size))
    return tuple(written), for_model or frame


def _normalise(im: Image.Image) -> Image.Image:
    """Any decoded mode as 8-bit RGB or L (CMYK kept for the colour transform); alpha onto white."""
    if im.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I"):
        im = im.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    elif im.mode == "F":
        im = im.convert("L")
    if im.mode in ("P", "PA", "LA", "RGBA", "RGBa", "La") or "transparency" in im.info:
        rgba = im.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    if im.mode not in ("RGB", "L", "CMYK"):
        return im.convert("RGB")
    return im.copy() if im.mode == "CMYK" else im


def _to_srgb(frame: Image.Image, icc: bytes | None) -> Image.Image:
    if icc:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            if "srgb" not in (ImageCms.getProfileDescription(source) or "").lower():
                mode = "L" if frame.mode == "L" else "RGB"
                converted = ImageCms.profileToProfile(frame, source, _SRGB, outputMode=mode)
                if converted is not None:
                    return converted
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            pass  # a broken profile: show the pixels as they are rather than nothing
    return frame if frame.mode in ("RGB", "L") else frame.convert("RGB")


def preview_file(cache: Path, sha1: str, spec: PreviewSpec) -> Path:
    return artifact_path(cache, sha1, spec.name, spec.key, "jpg")
