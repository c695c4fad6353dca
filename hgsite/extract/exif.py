"""Turn raw EXIF tags into clean metadata; absurd or broken values become absent, never errors."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

# EXIF tag numbers (CIPA DC-008); Pillow exposes them by number.
MAKE, MODEL, ORIENTATION, DATETIME = 0x010F, 0x0110, 0x0112, 0x0132
EXIF_IFD, GPS_IFD = 0x8769, 0x8825
EXPOSURE_TIME, FNUMBER, ISO = 0x829A, 0x829D, 0x8827
DATETIME_ORIGINAL, DATETIME_DIGITIZED = 0x9003, 0x9004
OFFSET_TIME, OFFSET_TIME_ORIGINAL, OFFSET_TIME_DIGITIZED = 0x9010, 0x9011, 0x9012
FOCAL_LENGTH, FOCAL_35MM, LENS_MAKE, LENS_MODEL = 0x920A, 0xA405, 0xA433, 0xA434
GPS_LAT_REF, GPS_LAT, GPS_LON_REF, GPS_LON = 1, 2, 3, 4

_DATE = re.compile(r"^\s*(\d{4})[:\-](\d{2})[:\-](\d{2})[ T](\d{2}):(\d{2}):(\d{2})")
_OFFSET = re.compile(r"^\s*([+-])(\d{2}):?(\d{2})\s*$")
_MAX_TEXT = 200


def parse_exif(ifd0: Mapping[int, Any], exif: Mapping[int, Any], gps: Mapping[int, Any]) -> dict[str, Any]:
    """Metadata fields from the three EXIF directories; only keys with a sane value are present."""
    fields: dict[str, Any] = {
        "date": _date(exif, ifd0),
        "make": text(ifd0.get(MAKE)),
        "model": text(ifd0.get(MODEL)),
        "lens": text(exif.get(LENS_MODEL)),
        "exposure": _number(exif.get(EXPOSURE_TIME), 1e-6, 3600, 6),
        "fnumber": _number(exif.get(FNUMBER), 0.5, 256, 1),
        "iso": _integer(exif.get(ISO), 1, 10_000_000),
        "focal": _number(exif.get(FOCAL_LENGTH), 0.1, 10_000, 1),
        "focal35": _integer(exif.get(FOCAL_35MM), 1, 10_000),
        "orientation": _integer(ifd0.get(ORIENTATION), 1, 8),
    }
    lat = _coordinate(gps.get(GPS_LAT), gps.get(GPS_LAT_REF), "S", 90)
    lon = _coordinate(gps.get(GPS_LON), gps.get(GPS_LON_REF), "W", 180)
    if lat is not None and lon is not None and (lat, lon) != (0.0, 0.0):
        fields["lat"], fields["lon"] = lat, lon
    return {k: v for k, v in fields.items() if v is not None}


def text(value: Any) -> str | None:
    """A printable, trimmed string or None; EXIF strings are often NUL-padded bytes."""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if isinstance(value, tuple | list) and value:
        value = value[0]
    if not isinstance(value, str):
        return None
    cleaned = "".join(ch for ch in value if ch.isprintable()).strip()
    return cleaned[:_MAX_TEXT] or None


def parse_date(value: Any, offset: Any = None) -> str | None:
    """EXIF "YYYY:MM:DD HH:MM:SS" (+ optional "+HH:MM" offset) as ISO 8601, or None if absurd."""
    raw = text(value)
    match = _DATE.match(raw) if raw else None
    if match is None:
        return None
    try:
        year, month, day, hour, minute, second = (int(g) for g in match.groups())
        moment = datetime(year, month, day, hour, minute, second)  # noqa: DTZ001 - local time as shot
    except ValueError:
        return None
    if not 1826 <= moment.year <= 2200:
        return None
    stamp = moment.isoformat()
    offset_match = _OFFSET.match(text(offset) or "")
    if offset_match:
        sign, hours, minutes = offset_match.groups()
        if int(hours) <= 14 and int(minutes) < 60:
            stamp += f"{sign}{hours}:{minutes}"
    return stamp


def _date(exif: Mapping[int, Any], ifd0: Mapping[int, Any]) -> str | None:
    return (
        parse_date(exif.get(DATETIME_ORIGINAL), exif.get(OFFSET_TIME_ORIGINAL))
        or parse_date(exif.get(DATETIME_DIGITIZED), exif.get(OFFSET_TIME_DIGITIZED))
        or parse_date(ifd0.get(DATETIME), exif.get(OFFSET_TIME))
    )


def _float(value: Any) -> float | None:
    if isinstance(value, tuple | list) and value:
        value = value[0]
    try:
        number: float = float(value)
    except (TypeError, ValueError, ZeroDivisionError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def _number(value: Any, low: float, high: float, digits: int) -> float | None:
    number = _float(value)
    if number is None or not low <= number <= high:
        return None
    return round(number, digits)


def _integer(value: Any, low: int, high: int) -> int | None:
    number = _float(value)
    if number is None or not low <= number <= high:
        return None
    return int(number)


def _coordinate(value: Any, ref: Any, negative: str, limit: float) -> float | None:
    if not isinstance(value, tuple | list) or not 1 <= len(value) <= 3:
        return None
    parts = [_float(v) for v in value]
    if any(p is None or p < 0 for p in parts) or any((p or 0.0) >= 60 for p in parts[1:]):
        return None
    degrees = sum((p or 0.0) / 60.0**i for i, p in enumerate(parts))
    if degrees > limit:
        return None
    if (text(ref) or "").upper().startswith(negative):
        degrees = -degrees
    return round(degrees, 6)
