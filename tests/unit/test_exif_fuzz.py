"""Property tests: whatever a file's EXIF holds, parsing gives sane values or nothing, never an exception."""

from __future__ import annotations

import math
from datetime import datetime
from fractions import Fraction
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from PIL.TiffImagePlugin import IFDRational

from hgsite.database import date_from_name
from hgsite.extract import exif

numbers = st.one_of(
    st.integers(-(2**40), 2**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.builds(IFDRational, st.integers(-(2**31), 2**31), st.integers(-5, 2**31)),
    st.fractions(max_denominator=10**6).map(Fraction),
)
values: st.SearchStrategy[Any] = st.one_of(
    numbers,
    st.text(max_size=40),
    st.binary(max_size=40),
    st.none(),
    st.lists(numbers, max_size=4).map(tuple),
)
TAGS = [*range(12), 0x010F, 0x0110, 0x0112, 0x0132, 0x829A, 0x829D, 0x8827, 0x9003, 0x9004, 0x9010, 0x9011]
ifd = st.dictionaries(st.sampled_from([*TAGS, 0x920A, 0xA405, 0xA434]), values, max_size=12)


@settings(max_examples=400, deadline=None)
@given(ifd, ifd, ifd)
def test_parse_exif_never_raises_and_stays_in_range(
    ifd0: dict[int, Any], sub: dict[int, Any], gps: dict[int, Any]
) -> None:
    fields = exif.parse_exif(ifd0, sub, gps)
    if "lat" in fields:
        assert -90 <= fields["lat"] <= 90 and -180 <= fields["lon"] <= 180 and "lon" in fields
    if "orientation" in fields:
        assert fields["orientation"] in range(1, 9)
    for key in ("exposure", "fnumber", "focal"):
        if key in fields:
            assert math.isfinite(fields[key]) and fields[key] > 0
    if "date" in fields:
        assert 1826 <= datetime.fromisoformat(fields["date"]).year <= 2200
    for key in ("make", "model", "lens"):
        if key in fields:
            assert isinstance(fields[key], str) and 0 < len(fields[key]) <= 200 and fields[key].isprintable()


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(st.text(max_size=40), st.binary(max_size=40), numbers, st.none()),
    st.one_of(st.text(max_size=10), st.none()),
)
def test_parse_date_is_iso_or_none(value: Any, offset: Any) -> None:
    parsed = exif.parse_date(value, offset)
    assert parsed is None or datetime.fromisoformat(parsed).year >= 1826


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_date_from_any_file_name_is_iso_or_none(name: str) -> None:
    parsed = date_from_name(name)
    assert parsed is None or 1900 <= datetime.fromisoformat(parsed).year <= 2099
