"""The video source of a task: probe the metadata with PyAV, grab a frame that is not black with ffmpeg.

Runs in worker processes like extract/images.py: a pure function of (file bytes, parameters). The
poster kind (kinds/poster.py) makes its previews from the frame; the web copy is made later
(extract/transcode.py).
"""

from __future__ import annotations

import io
import logging
import re
import time
from datetime import UTC, datetime
from fractions import Fraction
from pathlib import Path
from typing import Any

import ffmpeg as ffmpeg_python
from PIL import Image, ImageStat

from hgsite import ffmpeg
from hgsite.cache.layout import params_key
from hgsite.errors import MediaError
from hgsite.extract import exif
from hgsite.kinds.preview import fit
from hgsite.tasks.frames import Frames, Make
from hgsite.tasks.model import Result, Task

VIDEO_META_VERSION = 1  # bump when the metadata read from a video changes
VIDEO_META_KEY = params_key("video-meta", VIDEO_META_VERSION)
_STILL_FORMATS = {"image2", "jpeg_pipe", "png_pipe", "webp_pipe", "gif", "bmp_pipe", "tiff_pipe"}
_ISO_DATE = re.compile(
    r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?"
    r"\s*(Z|UTC|[+-]\d{2}:?\d{2})?\s*$"
)
_ISO6709 = re.compile(r"^\s*([+-]\d+(?:\.\d+)?)([+-]\d+(?:\.\d+)?)")
_DATE_TAGS = ("com.apple.quicktime.creationdate", "date", "creation_time")
_LOCATION_TAGS = ("com.apple.quicktime.location.iso6709", "location", "location-eng")
_MAKE_TAGS = ("com.apple.quicktime.make", "make", "com.android.manufacturer")
_MODEL_TAGS = ("com.apple.quicktime.model", "model", "com.android.model")


def read_video(task: Task, make: Make) -> Result:
    """The task's metadata and artifacts (posters: tasks/run.py asks for the frame); never raises for a
    bad file, returns the reason instead."""
    deadline = time.monotonic() + task.limits.timeout * 0.9  # finish before the worker pool gives up on us
    try:
        meta = probe(task.path)
        made = make(meta["width"], meta["height"], lambda edge: _poster(task, meta, edge, deadline))
    except MediaError as error:
        return Result(task.sha1, error=str(error))
    except Exception as error:  # per-file isolation: any library error is this file's failure
        message = str(error).split("\n")[0][:200]
        return Result(task.sha1, error=f"cannot read video ({type(error).__name__}: {message})")
    return Result(task.sha1, (VIDEO_META_KEY, meta), made)


# -- metadata ----------------------------------------------------------------------------------------
def probe(path: str) -> dict[str, Any]:
    """Streams, duration, display size (rotation and pixel aspect applied), dates, GPS, camera."""
    import av
    import av.logging

    if Path(path).stat().st_size == 0:
        raise MediaError("empty file (0 bytes)")
    av.logging.set_level(av.logging.ERROR)  # the exception then names the demuxer's last complaint
    logging.getLogger("libav").setLevel(logging.CRITICAL)  # ... and nothing else reaches stderr
    try:
        container = av.open(path, metadata_errors="ignore")
    except av.FFmpegError as error:
        raise MediaError(f"not a video hgsite can read ({_av_reason(error)})") from None
    with container:
        if container.format.name in _STILL_FORMATS:
            raise MediaError("a still image with a video extension, not a video")
        if not container.streams.video or container.streams.video[0].codec_context is None:
            raise MediaError("no video stream that ffmpeg can decode (damaged or unsupported file)")
        stream = container.streams.video[0]
        fields = _stream_fields(container, stream)
        fields["rotation"] = _rotation(container, stream)
        tags = _tags(container)
    width, height = fields.pop("coded")
    sar = fields.get("sar")
    if sar:
        width = max(1, round(width * Fraction(sar)))
    if fields["rotation"] in (90, 270):
        width, height = height, width
    return {"type": "video", "width": width, "height": height, **fields, **parse_tags(tags)}


def _av_reason(error: Exception) -> str:
    text = str(error)
    if "last error log:" in text:
        return text.rsplit("last error log:", 1)[1].split("]", 1)[-1].strip()
    return getattr(error, "strerror", None) or text.split(":")[0]


def _stream_fields(container: Any, stream: Any) -> dict[str, Any]:
    codec = stream.codec_context
    if not codec.width or not codec.height:
        raise MediaError("video stream without dimensions")
    duration = None
    if container.duration and container.duration > 0:
        duration = container.duration / 1_000_000
    elif stream.duration and stream.time_base:
        duration = float(stream.duration * stream.time_base)
    rate = stream.average_rate or stream.guessed_rate
    audio = container.streams.audio[0].codec_context.codec.canonical_name if container.streams.audio else None
    sar = stream.sample_aspect_ratio
    fields: dict[str, Any] = {
        "coded": (codec.width, codec.height),
        "duration": round(duration, 3) if duration and duration > 0 else None,
        "fps": round(float(rate), 3) if rate and 0 < rate < 1000 else None,
        "format": container.format.name,
        "vcodec": codec.codec.canonical_name,
        "profile": stream.profile,
        "pix_fmt": codec.pix_fmt,
        "bitrate": codec.bit_rate or container.bit_rate or None,
        "interlaced": _interlaced(getattr(codec, "field_order", 0)),
        "acodec": audio,
        "sar": f"{sar.numerator}/{sar.denominator}" if sar and sar > 0 and sar != 1 else None,
        "badcolor": _bad_colors(codec) or None,
    }
    return {k: v for k, v in fields.items() if v is not None}


def _bad_colors(codec: Any) -> bool:
    """Colour tags that FFmpeg's scaler refuses (an RGB matrix on YUV pixels, reserved primaries)."""
    try:
        rgb_on_yuv = int(codec.colorspace) == 0 and str(codec.pix_fmt).startswith("yuv")
        return rgb_on_yuv or int(codec.color_primaries) == 0 or int(codec.color_trc) == 0
    except (AttributeError, TypeError, ValueError):
        return False


def _interlaced(order: Any) -> bool:
    """FFmpeg's field order: 0 unknown, 1 progressive, 2-5 interlaced (tt, bb, tb, bt)."""
    try:
        return int(order) >= 2
    except (TypeError, ValueError):
        return str(order).lower() in ("tt", "bb", "tb", "bt")


def _rotation(container: Any, stream: Any) -> int:
    """Degrees of the display matrix (0, 90, 180, 270), read from the first decoded frame."""
    try:
        for frame in container.decode(stream):
            return round(float(getattr(frame, "rotation", 0) or 0) / 90) * 90 % 360
    except Exception:  # undecodable here: ffmpeg will tell when it makes the poster
        return 0
    return 0


def _tags(container: Any) -> dict[str, str]:
    """Container tags, then the video stream's, with lower-case keys."""
    tags: dict[str, str] = {}
    for source in (container.metadata, *(s.metadata for s in container.streams.video[:1])):
        for key, value in dict(source).items():
            tags.setdefault(str(key).lower(), str(value))
    return tags


def parse_tags(tags: dict[str, str]) -> dict[str, Any]:
    """Capture date, GPS position, make and model from container tags (QuickTime, MP4, Android)."""
    fields: dict[str, Any] = {}
    for key in _DATE_TAGS:
        date = parse_video_date(tags.get(key))
        if date:
            fields["date"], fields["dsrc"] = date, "meta"
            break
    for key in _LOCATION_TAGS:
        position = parse_iso6709(tags.get(key))
        if position:
            fields["lat"], fields["lon"] = position
            break
    for name, keys in (("make", _MAKE_TAGS), ("model", _MODEL_TAGS)):
        value = next((exif.text(tags[k]) for k in keys if exif.text(tags.get(k))), None)
        if value:
            fields[name] = value
    return fields


def parse_video_date(value: str | None) -> str | None:
    """A container date as ISO 8601 local time as shot: with its offset when it has one, UTC dates
    ("...Z", how phones write creation_time) in the build machine's time zone, others as written."""
    match = _ISO_DATE.match(value or "")
    if match is None:
        return None
    year, month, day, hour, minute, second, zone = match.groups()
    try:
        moment = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0))  # noqa: DTZ001
    except ValueError:
        return None
    if moment.year <= 1970 or moment.year > 2200:  # 1904 and 1970: the zero of QuickTime and Unix clocks
        return None
    if zone in ("Z", "UTC"):
        return moment.replace(tzinfo=UTC).astimezone().isoformat(timespec="seconds")
    if zone:
        sign, digits = zone[0], zone[1:].replace(":", "")
        return f"{moment.isoformat()}{sign}{digits[:2]}:{digits[2:]}"
    return moment.isoformat()


def parse_iso6709(value: str | None) -> tuple[float, float] | None:
    """(lat, lon) from an ISO 6709 string such as "+40.7248-073.9883+044.000/"; None for 0,0 or nonsense."""
    match = _ISO6709.match(value or "")
    if match is None:
        return None
    lat, lon = (_degrees(part, digits) for part, digits in zip(match.groups(), (2, 3), strict=True))
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180) or (lat, lon) == (0, 0):
        return None
    return round(lat, 6), round(lon, 6)


def _degrees(part: str, width: int) -> float | None:
    """ISO 6709 allows ±DD.D, ±DDMM.M and ±DDMMSS.S (three digits of degrees for longitudes)."""
    sign = -1 if part[0] == "-" else 1
    whole, _, fraction = part[1:].partition(".")
    value = float(f"{whole}.{fraction or 0}")
    if len(whole) == width:
        return sign * value
    if len(whole) == width + 2:
        return sign * (int(whole[:width]) + float(f"{whole[width:]}.{fraction or 0}") / 60)
    if len(whole) == width + 4:
        seconds = float(f"{whole[width + 2 :]}.{fraction or 0}")
        return sign * (int(whole[:width]) + int(whole[width : width + 2]) / 60 + seconds / 3600)
    return None


def fix_colors(stream: Any) -> Any:
    return stream.filter("setparams", colorspace="unknown", color_primaries="unknown", color_trc="unknown")


# -- poster ------------------------------------------------------------------------------------------
def _poster(task: Task, meta: dict[str, Any], longest: int, deadline: float) -> Frames:
    """The poster frame, scaled so that its long edge is at most `longest`."""
    shown = (meta["width"], meta["height"])
    size = (*fit(*shown, longest), bool(meta.get("badcolor")))
    return Frames(poster_frame(task.limits.ffmpeg, task.path, meta.get("duration"), size, deadline), shown)


def poster_times(duration: float | None) -> list[float]:
    """Where to look for a poster: about a second in (past fade-ins), then the middle, then later;
    always inside very short clips; the first frame last."""
    if not duration or duration <= 0:
        return [0.0]
    times = [min(1.0, duration / 3), duration / 2, duration * 0.75, 0.0]
    return [round(t, 3) for t in times]


def poster_frame(
    tool: str, path: str, duration: float | None, size: tuple[int, int, bool], deadline: float
) -> Image.Image:
    """The first candidate frame that is not (nearly) black or flat; else the most detailed one seen."""
    best: tuple[float, Image.Image] | None = None
    problem: ffmpeg.FFmpegError | None = None
    for seconds in poster_times(duration):
        budget = deadline - time.monotonic()
        if budget <= 1:
            break
        try:
            frame = grab_frame(tool, path, seconds, size, budget)
        except ffmpeg.FFmpegError as error:
            problem = error
            continue
        if frame is None:
            continue
        stat = ImageStat.Stat(frame.convert("L"))
        mean, spread = stat.mean[0], stat.stddev[0]
        if not (mean < 24 and spread < 12) and spread >= 3:
            return frame
        if best is None or spread > best[0]:
            best = (spread, frame)
    if best is not None:
        return best[1]
    if problem is not None:
        raise MediaError(f"cannot decode a frame: {problem}")
    raise MediaError("cannot decode a frame: the video has no picture ffmpeg can read")


def grab_frame(
    tool: str, path: str, seconds: float, size: tuple[int, int, bool], timeout: float
) -> Image.Image | None:
    """One frame at `seconds`, rotated as shown, scaled to (width, height); None when there is none
    there. size[2] asks to drop colour tags that the scaler refuses (see _bad_colors)."""
    source = ffmpeg_python.input(path, ss=seconds) if seconds > 0 else ffmpeg_python.input(path)
    stream = fix_colors(source.video) if size[2] else source.video
    stream = stream.filter("scale", size[0], size[1]).filter("setsar", 1)
    # passthrough: take the first frame as it comes, even when the file's timestamps are broken
    output = stream.output("pipe:", vframes=1, format="image2pipe", vcodec="ppm", fps_mode="passthrough")
    data = ffmpeg.run(ffmpeg.command(tool, output), timeout)
    if not data:
        return None
    with Image.open(io.BytesIO(data)) as image:
        return image.convert("RGB")
