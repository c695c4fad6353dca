"""The image source of a task: metadata of one image, and its picture decoded once for every kind.

Runs in worker processes: a pure function of (file bytes, parameters). It reads the metadata, tells
the artifact kinds the shown size (tasks/run.py), and decodes the picture at the size they need:
JPEGs at a reduced scale straight from the decoder, EXIF orientation applied, converted to sRGB.
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path
from typing import Any

import pillow_heif
from PIL import Image, ImageCms, ImageFile, IptcImagePlugin, TiffImagePlugin, UnidentifiedImageError

from hgsite.cache.layout import params_key
from hgsite.errors import MediaError
from hgsite.extract import exif, faces, xmp
from hgsite.kinds.preview import fit
from hgsite.tasks.frames import Frames, Make
from hgsite.tasks.model import Result, Task

META_VERSION = 3  # bump when the metadata read from a file changes
META_KEY = params_key("meta", META_VERSION)

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


def read_image(task: Task, make: Make) -> Result:
    """The task's metadata and artifacts; never raises for a bad file, returns the reason instead.

    A truncated file (an interrupted copy, a dying disk) is decoded a second time as far as its data
    goes, so the photo stays in the gallery; its metadata then carries a warning the build reports.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Pillow warns about odd EXIF on stderr; we judge by results
        try:
            return _extract(task, make)
        except Exception as error:  # per-file isolation: any decoder error is this file's failure
            if not (isinstance(error, OSError) and "truncated" in str(error).lower()):
                return _failed(task, error)
        try:
            ImageFile.LOAD_TRUNCATED_IMAGES = True
            result = _extract(task, make)
        except Exception as error:
            return _failed(task, error)
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = False
    if result.meta is not None:
        result.meta[1]["warning"] = "truncated image file: shown as far as its data goes"
    return result


def _failed(task: Task, error: Exception) -> Result:
    return Result(task.sha1, error=_reason(error))


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


def _extract(task: Task, make: Make) -> Result:
    if Path(task.path).stat().st_size == 0:
        raise MediaError("empty file (0 bytes)")
    with Image.open(task.path) as im:
        width, height = im.size
        if width < 1 or height < 1:
            raise MediaError(f"invalid image dimensions {width}x{height}")
        max_pixels = task.limits.max_pixels
        if width * height > max_pixels:
            megapixels, limit = width * height / 1e6, max_pixels / 1e6
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
        shown = (width, height)
        made = make(width, height, lambda edge: Frames(decode(im, shown, orientation, edge), shown))
    return Result(task.sha1, (META_KEY, meta) if meta is not None else None, made)


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


def decode(im: Image.Image, shown: tuple[int, int], orientation: int, longest: int) -> Image.Image:
    """The picture with its long edge at most `longest`, turned as shown, in sRGB."""
    target = fit(*shown, longest)
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
    return frame


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
