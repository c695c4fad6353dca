"""Video metadata parsing, poster times, the copy-or-encode decision, config keys and the planner."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hgsite import ffmpeg
from hgsite.cache.store import Artifact, Meta
from hgsite.config import Overrides, VideoSettings, load_config
from hgsite.errors import ConfigError
from hgsite.extract.transcode import WebVideoSpec, copy_blockers, target_size
from hgsite.extract.video import (
    VIDEO_META_KEY,
    parse_iso6709,
    parse_tags,
    parse_video_date,
    poster_times,
)
from hgsite.kinds.poster import POSTER_VERSION
from hgsite.kinds.preview import PreviewSpec
from hgsite.tasks.model import Limits, Want
from hgsite.tasks.planner import Stored, failure_key, plan


@pytest.fixture
def berlin() -> Iterator[None]:
    old = os.environ.get("TZ")
    os.environ["TZ"] = "Europe/Berlin"
    time.tzset()
    yield
    if old is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = old
    time.tzset()


def test_dates_keep_the_offset_as_shot_and_put_utc_into_local_time(berlin: None) -> None:
    assert parse_video_date("2013-12-22T15:54:25-0500") == "2013-12-22T15:54:25-05:00"
    assert parse_video_date("2019-07-24T11:25:40+03:00") == "2019-07-24T11:25:40+03:00"
    assert parse_video_date("2017-02-22T08:20:28.000000Z") == "2017-02-22T09:20:28+01:00"
    assert parse_video_date("2017-07-22T08:20:28Z") == "2017-07-22T10:20:28+02:00"
    assert parse_video_date("2012-09-10 20:52:00") == "2012-09-10T20:52:00"  # AVI: local, no zone
    assert parse_video_date("2020-08-28") == "2020-08-28T00:00:00"


@pytest.mark.parametrize(
    "value",
    ["1970-01-01T00:00:00.000000Z", "1904-01-01T00:00:00Z", "2019-13-01T00:00:00Z", "", "yesterday", None],
)
def test_absurd_dates_are_absent(value: str | None) -> None:
    assert parse_video_date(value) is None


def test_iso6709_positions() -> None:
    assert parse_iso6709("+40.7248-073.9883+044.000/") == (40.7248, -73.9883)
    assert parse_iso6709("+51.4169-000.0806/") == (51.4169, -0.0806)
    assert parse_iso6709("+4043.488-07359.298/") == (pytest.approx(40.724800), pytest.approx(-73.988300))
    assert parse_iso6709("+00.0000+000.0000/") is None  # "null island": no fix
    assert parse_iso6709("+95.0+010.0/") is None
    assert parse_iso6709("somewhere") is None


def test_tags_of_an_iphone_and_an_android_phone(berlin: None) -> None:
    iphone = {
        "creation_time": "2019-07-24T08:25:57.000000Z",
        "com.apple.quicktime.location.iso6709": "+32.0929+034.8620+028.516/",
        "com.apple.quicktime.make": "Apple",
        "com.apple.quicktime.model": "iPhone 6",
        "com.apple.quicktime.creationdate": "2019-07-24T11:25:40+0300",
    }
    assert parse_tags(iphone) == {
        "date": "2019-07-24T11:25:40+03:00",
        "dsrc": "meta",
        "lat": 32.0929,
        "lon": 34.862,
        "make": "Apple",
        "model": "iPhone 6",
    }
    android = {
        "creation_time": "2021-05-16T19:27:55.000000Z",
        "location": "+34.0754-118.2543/",
        "com.android.manufacturer": "Google",
        "com.android.model": "Pixel 5",
    }
    fields = parse_tags(android)
    assert fields["date"] == "2021-05-16T21:27:55+02:00"
    assert (fields["lat"], fields["lon"], fields["make"], fields["model"]) == (
        34.0754,
        -118.2543,
        "Google",
        "Pixel 5",
    )
    assert parse_tags({"creation_time": "1970-01-01T00:00:00Z"}) == {}


@pytest.mark.parametrize("duration", [0.17, 0.04, 2.2, 95.5])
def test_poster_times_stay_inside_the_clip(duration: float) -> None:
    times = poster_times(duration)
    assert all(0 <= t < duration for t in times)
    assert times[0] == min(1.0, round(duration / 3, 3)) and times[-1] == 0.0


def test_poster_time_without_duration() -> None:
    assert poster_times(None) == [0.0]


@pytest.mark.parametrize(
    ("size", "limit", "expected"),
    [
        ((1920, 1080), 720, (1280, 720)),
        ((1080, 1920), 720, (720, 1280)),
        ((1080, 1440), 720, (720, 960)),
        ((640, 272), 720, (640, 272)),
        ((191, 240), 720, (192, 240)),
        ((3840, 2160), 480, (854, 480)),
    ],
)
def test_target_size_limits_the_short_edge_and_stays_even(
    size: tuple[int, int], limit: int, expected: tuple[int, int]
) -> None:
    assert target_size(*size, limit) == expected


WEB_FRIENDLY: dict[str, Any] = {
    "format": "mov,mp4,m4a,3gp,3g2,mj2",
    "vcodec": "h264",
    "pix_fmt": "yuv420p",
    "profile": "High",
    "rotation": 0,
    "interlaced": False,
    "width": 1280,
    "height": 720,
    "fps": 25.0,
    "bitrate": 1_600_000,
    "acodec": "aac",
}


def test_a_web_friendly_video_is_copied() -> None:
    assert copy_blockers(WEB_FRIENDLY, WebVideoSpec.of(VideoSettings())) == []


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"vcodec": "hevc"}, "not H.264"),
        ({"format": "matroska,webm"}, "not MP4/MOV"),
        ({"rotation": 90}, "rotated"),
        ({"width": 1920, "height": 1080}, "larger than 720p"),
        ({"pix_fmt": "yuv420p10le"}, "not 8-bit 4:2:0"),
        ({"fps": 120.0}, "more than 60 fps"),
        ({"bitrate": 20_000_000}, "bitrate too high"),
        ({"interlaced": True}, "interlaced"),
        ({"sar": "4/3"}, "non-square pixels"),
    ],
)
def test_what_forces_a_transcode(change: dict[str, Any], reason: str) -> None:
    assert copy_blockers({**WEB_FRIENDLY, **change}, WebVideoSpec.of(VideoSettings())) == [reason]


def test_web_copy_key_follows_every_setting() -> None:
    base = WebVideoSpec.of(VideoSettings())
    keys = {
        WebVideoSpec.of(VideoSettings(**change)).key
        for change in (
            {},
            {"size": 480},
            {"crf": 28},
            {"preset": "fast"},
            {"max_bitrate": 4000},
            {"audio_bitrate": 0},
        )
    }
    assert len(keys) == 6 and base.name == "video-720"


def test_video_config_keys_are_checked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "hgsite.toml").write_text(
        '[video]\nsize = 100\ncrf = 60\npreset = "veryfsat"\nmax_bitrate = 10\naudio_bitrate = 5\nffmpg = ""\n'
    )
    with pytest.raises(ConfigError) as caught:
        load_config()
    text = "\n".join(caught.value.problems)
    for key in ("video.size", "video.crf", "video.max_bitrate", "video.audio_bitrate"):
        assert key in text
    assert "did you mean 'veryfast'" in text and "did you mean 'video.ffmpeg'" in text


def test_no_video_overrides_the_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "hgsite.toml").write_text("[video]\nsize = 480\n")
    assert load_config().video == VideoSettings(size=480)
    assert load_config(None, Overrides(no_video=True)).video == VideoSettings(enabled=False, size=480)


def test_ffmpeg_errors_keep_the_message_not_the_addresses() -> None:
    stderr = (
        b"[in#0/ogg @ 0x55791bdb6080] invalid pts -77120\n"
        b"[vost#0:0/ppm @ 0x55b383859c40] Terminating thread with return code -22 (Invalid argument)\n"
        b"[out#0/image2pipe @ 0x55b383857f80] Nothing was written into output file\n"
    )
    assert ffmpeg.tail(stderr) == (
        "Terminating thread with return code -22 (Invalid argument) / Nothing was written into output file"
    )
    assert str(ffmpeg.failure("ffmpeg failed (exit code 1)", b"")) == "ffmpeg failed (exit code 1)"


def test_plan_redoes_what_is_missing_stale_or_obsolete() -> None:
    specs = (PreviewSpec(320, 82), PreviewSpec(720, 82))
    wants = tuple(Want("poster", spec.name, spec.key, spec) for spec in specs)
    meta = {
        "done": Meta(VIDEO_META_KEY, {"width": 1280, "height": 720}),
        "old-poster": Meta(VIDEO_META_KEY, {"width": 1280, "height": 720}),
        "old-meta": Meta("stale-key", {"width": 1280, "height": 720}),
    }
    artifacts = {}
    for sha1 in ("done", "old-poster"):
        for spec in specs:
            version = POSTER_VERSION if sha1 == "done" else POSTER_VERSION - 1
            artifacts[(sha1, spec.name)] = Artifact(sha1, spec.name, spec.key, {"poster": version})
    artifacts[("done", "preview-1920")] = Artifact("done", "preview-1920", "k", {})
    artifacts[("done", "video-720")] = Artifact("done", "video-720", "k", {})
    failures = {"bad": (failure_key("video", wants), "moov atom not found")}
    items = {sha1: f"/videos/{sha1}.mp4" for sha1 in ("done", "old-poster", "old-meta", "new", "bad")}
    stored = Stored(meta, artifacts, failures)
    made = plan(items, "video", wants, stored, "/cache", Limits(10**8, 60, "ffmpeg"), ["video-720"])
    assert sorted(t.sha1 for t in made.tasks) == ["new", "old-meta", "old-poster"]
    assert made.cached_failures == {"bad": "moov atom not found"}
    assert made.obsolete == {"done": ["preview-1920"]}
