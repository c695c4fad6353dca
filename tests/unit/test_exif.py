"""hgsite.extract.exif: raw EXIF tags to clean metadata; absurd values become absent, never errors."""

from __future__ import annotations

from typing import Any

import pytest
from PIL import Image
from PIL.TiffImagePlugin import IFDRational

from hgsite.extract import exif
from hgsite.extract.exif import parse_date, parse_exif, text

R = IFDRational
GPS_OK = {
    exif.GPS_LAT_REF: "N",
    exif.GPS_LAT: (R(41, 1), R(13, 1), R(12, 1)),
    exif.GPS_LON_REF: "E",
    exif.GPS_LON: (R(96, 1), R(4, 1), R(1, 1)),
}


def test_sane_values() -> None:
    ifd0 = {exif.MAKE: "Canon", exif.MODEL: "Canon EOS 5D", exif.ORIENTATION: 6}
    sub = {
        exif.DATETIME_ORIGINAL: "2019:05:21 13:45:01",
        exif.OFFSET_TIME_ORIGINAL: "+02:00",
        exif.EXPOSURE_TIME: R(1, 250),
        exif.FNUMBER: R(28, 10),
        exif.ISO: 400,
        exif.FOCAL_LENGTH: R(50, 1),
        exif.FOCAL_35MM: 80,
        exif.LENS_MODEL: "EF50mm f/1.8",
    }
    assert parse_exif(ifd0, sub, GPS_OK) == {
        "date": "2019-05-21T13:45:01+02:00",
        "make": "Canon",
        "model": "Canon EOS 5D",
        "lens": "EF50mm f/1.8",
        "exposure": 0.004,
        "fnumber": 2.8,
        "iso": 400,
        "focal": 50.0,
        "focal35": 80,
        "orientation": 6,
        "lat": 41.22,
        "lon": 96.066944,
    }


def test_empty_directories_give_nothing() -> None:
    assert parse_exif({}, {}, {}) == {}


@pytest.mark.parametrize(
    ("tag", "value"),
    [
        (exif.EXPOSURE_TIME, R(0, 0)),
        (exif.EXPOSURE_TIME, 0),
        (exif.EXPOSURE_TIME, 7200),
        (exif.FNUMBER, float("nan")),
        (exif.FNUMBER, float("inf")),
        (exif.FNUMBER, R(1, 0)),
        (exif.ISO, 0),
        (exif.ISO, -100),
        (exif.ISO, "fast"),
        (exif.FOCAL_LENGTH, R(0, 1)),
        (exif.FOCAL_35MM, 65535 * 10),
        (exif.LENS_MODEL, b"\x00\x00\x00"),
        (exif.LENS_MODEL, 12),
    ],
)
def test_absurd_exif_values_are_dropped(tag: int, value: Any) -> None:
    assert parse_exif({}, {tag: value}, {}) == {}


@pytest.mark.parametrize("orientation", [0, 9, -1, "six", None])
def test_absurd_orientation_is_dropped(orientation: Any) -> None:
    assert "orientation" not in parse_exif({exif.ORIENTATION: orientation}, {}, {})


def test_tuple_values_use_the_first_item() -> None:
    assert parse_exif({}, {exif.ISO: (200, 100)}, {}) == {"iso": 200}


def test_nul_padded_byte_strings_are_cleaned() -> None:
    ifd0 = {exif.MAKE: b"Canon\x00\x00\x00\x00", exif.MODEL: "  EOS 5D \x00\x00"}
    assert parse_exif(ifd0, {}, {}) == {"make": "Canon", "model": "EOS 5D"}


def test_text() -> None:
    assert text(b"NIKON\x00") == "NIKON"
    assert text(("first", "second")) == "first"
    assert text("a\tb\nc") == "abc"
    assert text("x" * 500) == "x" * 200
    assert text(b"\xff\xfeok") == "\ufffd\ufffdok"
    assert text("   ") is None
    assert text(None) is None
    assert text(42) is None
    assert text(()) is None


@pytest.mark.parametrize(
    ("value", "offset", "expected"),
    [
        ("2019:05:21 13:45:01", None, "2019-05-21T13:45:01"),
        ("2019:05:21 13:45:01", "+02:00", "2019-05-21T13:45:01+02:00"),
        ("2019:05:21 13:45:01", "-0530", "2019-05-21T13:45:01-05:30"),
        ("2019-05-21T13:45:01", "+14:00", "2019-05-21T13:45:01+14:00"),
        (b"2019:05:21 13:45:01\x00", b"-05:00\x00", "2019-05-21T13:45:01-05:00"),
        ("2019:05:21 13:45:01.123", None, "2019-05-21T13:45:01"),
        ("2019:05:21 13:45:01", "+25:00", "2019-05-21T13:45:01"),
        ("2019:05:21 13:45:01", "+02:61", "2019-05-21T13:45:01"),
        ("2019:05:21 13:45:01", "   ", "2019-05-21T13:45:01"),
        ("2019:05:21 13:45:01", "Z", "2019-05-21T13:45:01"),
    ],
)
def test_parse_date(value: Any, offset: Any, expected: str) -> None:
    assert parse_date(value, offset) == expected


@pytest.mark.parametrize(
    "value",
    [
        "0000:00:00 00:00:00",
        "0000:01:01 00:00:00",
        "2019:13:01 00:00:00",
        "2019:02:30 00:00:00",
        "2019:05:21 24:00:00",
        "2019:05:21 13:60:00",
        "1700:01:01 00:00:00",
        "9999:12:31 23:59:59",
        "2019:05:21",
        "    :  :     :  :  ",
        "",
        b"\x00" * 20,
        None,
        20190521,
    ],
)
def test_parse_date_rejects_absurd_dates(value: Any) -> None:
    assert parse_date(value, "+01:00") is None


def test_date_falls_back_from_original_to_digitized_to_ifd0() -> None:
    sub = {
        exif.DATETIME_ORIGINAL: "0000:00:00 00:00:00",
        exif.DATETIME_DIGITIZED: "2018:01:02 03:04:05",
        exif.OFFSET_TIME_DIGITIZED: "+01:00",
    }
    assert parse_exif({}, sub, {})["date"] == "2018-01-02T03:04:05+01:00"
    ifd0 = {exif.DATETIME: "2017:01:02 03:04:05"}
    assert parse_exif(ifd0, {exif.OFFSET_TIME: "-03:00"}, {})["date"] == "2017-01-02T03:04:05-03:00"
    assert parse_exif(ifd0, {exif.DATETIME_ORIGINAL: "2016:01:01 00:00:00"}, {})["date"] == (
        "2016-01-01T00:00:00"
    )


def gps(lat: Any, lat_ref: Any, lon: Any, lon_ref: Any) -> dict[int, Any]:
    return {exif.GPS_LAT: lat, exif.GPS_LAT_REF: lat_ref, exif.GPS_LON: lon, exif.GPS_LON_REF: lon_ref}


def test_gps_south_west_refs_negate() -> None:
    fields = parse_exif({}, {}, gps(GPS_OK[exif.GPS_LAT], "S", GPS_OK[exif.GPS_LON], b"W\x00"))
    assert (fields["lat"], fields["lon"]) == (-41.22, -96.066944)
    fields = parse_exif({}, {}, gps(GPS_OK[exif.GPS_LAT], "s", GPS_OK[exif.GPS_LON], "w"))
    assert (fields["lat"], fields["lon"]) == (-41.22, -96.066944)


def test_gps_decimal_degrees_in_one_part() -> None:
    fields = parse_exif({}, {}, gps((R(4122, 100),), "N", (R(-0, 1), R(30, 1)), "E"))
    assert (fields["lat"], fields["lon"]) == (41.22, 0.5)


@pytest.mark.parametrize(
    "coordinates",
    [
        gps((R(0, 1), R(0, 1), R(0, 1)), "N", (R(0, 1), R(0, 1), R(0, 1)), "E"),  # null island
        gps((R(-41, 1), R(13, 1), R(12, 1)), "N", GPS_OK[exif.GPS_LON], "E"),  # negative part
        gps((R(41, 1), R(-13, 1), R(12, 1)), "N", GPS_OK[exif.GPS_LON], "E"),
        gps((R(91, 1), R(0, 1), R(0, 1)), "N", GPS_OK[exif.GPS_LON], "E"),  # lat > 90
        gps((R(90, 1), R(30, 1), R(0, 1)), "N", GPS_OK[exif.GPS_LON], "E"),  # lat > 90 via minutes
        gps(GPS_OK[exif.GPS_LAT], "N", (R(181, 1), R(0, 1), R(0, 1)), "E"),  # lon > 180
        gps((R(0, 0), R(13, 1), R(12, 1)), "N", GPS_OK[exif.GPS_LON], "E"),  # 0/0
        gps((float("nan"), 0, 0), "N", GPS_OK[exif.GPS_LON], "E"),
        gps(GPS_OK[exif.GPS_LAT], "N", None, "E"),  # lat without lon
        gps("41.22", "N", GPS_OK[exif.GPS_LON], "E"),  # not a tuple
        gps((), "N", GPS_OK[exif.GPS_LON], "E"),
        gps((1, 2, 3, 4), "N", GPS_OK[exif.GPS_LON], "E"),
    ],
)
def test_absurd_gps_is_dropped(coordinates: dict[int, Any]) -> None:
    fields = parse_exif({}, {}, coordinates)
    assert "lat" not in fields and "lon" not in fields


def test_gps_minutes_out_of_range_are_dropped() -> None:
    fields = parse_exif({}, {}, gps((R(41, 1), R(75, 1), R(0, 1)), "N", GPS_OK[exif.GPS_LON], "E"))
    assert "lat" not in fields


def test_real_exif_block_round_trip() -> None:
    """Values as Pillow hands them over after writing and reading an Exif block."""
    block = Image.Exif()
    block[exif.MAKE] = "Apple"
    block[exif.ORIENTATION] = 3
    sub = block.get_ifd(exif.EXIF_IFD)
    sub[exif.DATETIME_ORIGINAL] = "2019:05:21 13:45:01"
    sub[exif.OFFSET_TIME_ORIGINAL] = "-05:00"
    sub[exif.EXPOSURE_TIME] = R(0, 0)
    gps_ifd = block.get_ifd(exif.GPS_IFD)
    gps_ifd[1], gps_ifd[2], gps_ifd[3], gps_ifd[4] = "N", (41.0, 13.0, 12.0), "W", (96.0, 4.0, 1.0)
    read = Image.Exif()
    read.load(block.tobytes())
    fields = parse_exif(read, dict(read.get_ifd(exif.EXIF_IFD)), dict(read.get_ifd(exif.GPS_IFD)))
    assert fields == {
        "date": "2019-05-21T13:45:01-05:00",
        "make": "Apple",
        "orientation": 3,
        "lat": 41.22,
        "lon": -96.066944,
    }
