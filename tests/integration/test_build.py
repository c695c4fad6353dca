"""Build a mini collection of real photos and check the database, the previews and the rebuilds."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import time
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from hgsite.build import build
from hgsite.cache.layout import places_file
from hgsite.config import Config, Overrides, load_config
from hgsite.report import BuildReport

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "content-example" / "photos"
MINI = {
    "2019/IMG_2682.heic": "city/IMG_2682.heic",  # iPhone 7, GPS 41.2203,-96.0716, 2019-03-21
    "2019/samsung.jpg": "city/Samsung_SM-J327T1.jpg",  # orientation 6
    "old/Landscape_6.jpg": "exif-orientation/Landscape_6.jpg",  # stored 1200x1800, shown 1800x1200
    "old/Portrait_8.jpg": "exif-orientation/Portrait_8.jpg",  # stored 1800x1200, shown 1200x1800
    "nature/denali.webp": "landscapes/denali.webp",
    "nature/plot.png": "nature/Issue_280_dotnet.png",
    "nature/silver_fir.jpg": "nature/silver_fir.jpg",
    "copy/silver_fir_again.jpg": "nature/silver_fir.jpg",  # identical bytes: one item, two files
}


def read_database(site: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(gzip.decompress((site / "data" / "database.json.gz").read_bytes()))
    return document


def preview_urls(document: dict[str, Any], entry: dict[str, Any]) -> dict[int, str]:
    """The URL rule of docs/database.md."""
    item, tags = entry["id"], document["previews"]
    return {s: f"files/{item[:2]}/{item[2:4]}/{item[4:]}-{s}-{tags[str(s)]}.jpg" for s in entry["previews"]}


def by_file(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {name.split("/", 1)[1]: entry for entry in document["entries"] for name in entry["files"]}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    photos = tmp_path / "photos"
    for target, source in MINI.items():
        (photos / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(EXAMPLE / source, photos / target)
    (photos / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    (photos / "notes.txt").write_text("not media")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def configure(sizes: tuple[int, ...] = (320, 720, 1920), quality: int = 82) -> Config:
    (Path.cwd() / "hgsite.toml").write_text(
        f'sources = ["photos"]\n[previews]\nsizes = {list(sizes)}\nquality = {quality}\n'
    )
    return load_config(None, Overrides(jobs=2))


def artifact_stamps(project: Path) -> dict[str, int]:
    files = (project / ".hgsite" / "files").rglob("*.jpg")
    return {str(p): p.stat().st_mtime_ns for p in files}


def test_cold_build_database(project: Path) -> None:
    report = build(configure())
    assert report.files == 9 and report.entries == 7
    assert [f.path for f in report.failures] == ["photos/broken.jpg"]
    document = read_database(project / "site")
    assert document["type"] == "hgsite/database@1"
    entries = by_file(document)
    assert set(entries) == {*MINI}
    fir = entries["nature/silver_fir.jpg"]
    assert fir is entries["copy/silver_fir_again.jpg"]
    assert sorted(fir["files"]) == ["photos/copy/silver_fir_again.jpg", "photos/nature/silver_fir.jpg"]

    iphone = entries["2019/IMG_2682.heic"]
    assert iphone["date"].startswith("2019-03-21T11:04:22") and iphone["dsrc"] == "exif"
    assert (iphone["make"], iphone["model"]) == ("Apple", "iPhone 7")
    assert iphone["lat"] == pytest.approx(41.2203, abs=1e-3) and iphone["lon"] == pytest.approx(
        -96.0716, abs=1e-3
    )
    assert (iphone["width"], iphone["height"]) == (4032, 3024)
    assert (iphone["country"], iphone["state"], iphone["city"]) == ("United States", "Nebraska", "Omaha")
    assert "country" not in entries["nature/silver_fir.jpg"], "no position, no place"
    world = json.loads(gzip.decompress((project / "site" / "data" / "world.json.gz").read_bytes()))
    assert world["type"] == "hgsite/world@1", "a site with positions has the map's basemap"
    assert (project / "site" / "data" / "world.js").is_file()
    assert (entries["old/Landscape_6.jpg"]["width"], entries["old/Landscape_6.jpg"]["height"]) == (1800, 1200)
    assert (entries["old/Portrait_8.jpg"]["width"], entries["old/Portrait_8.jpg"]["height"]) == (1200, 1800)
    dates = [e["date"][:19] for e in document["entries"]]
    assert dates == sorted(dates, reverse=True), "newest first"


def test_previews_exist_oriented_and_stripped(project: Path) -> None:
    build(configure())
    site = project / "site"
    document = read_database(site)
    for entry in document["entries"]:
        assert entry["previews"], entry
        for size, url in preview_urls(document, entry).items():
            with Image.open(site / url) as preview:
                long_edge = max(preview.size)
                assert long_edge == min(int(size), max(entry["width"], entry["height"]))
                assert (preview.width >= preview.height) == (entry["width"] >= entry["height"])
                assert not preview.getexif(), "previews carry no EXIF"
                assert "icc_profile" not in preview.info
    heic = by_file(read_database(site))["2019/IMG_2682.heic"]
    assert heic["previews"] == [320, 720, 1920]


def test_bundle_does_not_reveal_sha1s(project: Path) -> None:
    build(configure())
    sha1s = {hashlib.sha1(p.read_bytes()).hexdigest() for p in (project / "photos").rglob("*.*")}
    site = project / "site"
    everything = [str(p.relative_to(site)) for p in site.rglob("*")]
    everything.append(gzip.decompress((site / "data" / "database.json.gz").read_bytes()).decode())
    for sha1 in sha1s:
        assert not any(sha1[:12] in text or sha1[4:16] in text for text in everything)


def test_noop_rebuild_does_no_image_work(project: Path) -> None:
    config = configure()
    first = build(config)
    assert [f.path for f in first.failures] == ["photos/broken.jpg"], first.failures
    assert first.extracted == 7 and first.site_written
    before = artifact_stamps(project)
    database_before = (project / "site" / "data" / "database.json.gz").read_bytes()
    time.sleep(1.1)  # a new second: the database's "created" must not change when its content did not
    second = build(config)
    assert (second.hashed, second.extracted, second.previews) == (0, 0, 0)
    assert not second.site_written, "an unchanged bundle is not rewritten"
    assert artifact_stamps(project) == before
    assert (project / "site" / "data" / "database.json.gz").read_bytes() == database_before
    assert [f.path for f in second.failures] == ["photos/broken.jpg"], "known failures are still reported"


def test_new_size_makes_only_the_new_previews(project: Path) -> None:
    build(configure(sizes=(320, 720)))
    before = artifact_stamps(project)
    report = build(configure(sizes=(320, 720, 1280)))
    after = artifact_stamps(project)
    assert set(before) < set(after) and all(after[p] == t for p, t in before.items())
    created = set(after) - set(before)
    # Only originals larger than 720 px get a new preview; the small ones already have their full size.
    assert created and all("-preview-1280-" in p for p in created)
    assert report.previews == len(created) and report.extracted == len(created)


def test_quality_change_redoes_previews_and_removes_old_ones(project: Path) -> None:
    build(configure(quality=82))
    before = artifact_stamps(project)
    report = build(configure(quality=60))
    after = artifact_stamps(project)
    assert report.extracted == 7 and report.previews == len(before)
    assert not set(before) & set(after), "every preview was remade under a new name; old files removed"
    document = read_database(project / "site")
    site_urls = {u for e in document["entries"] for u in preview_urls(document, e).values()}
    assert all((project / "site" / u).is_file() for u in site_urls)


def test_moved_deleted_and_new_files(project: Path) -> None:
    config = configure()
    build(config)
    old_ids = {name: e["id"] for name, e in by_file(read_database(project / "site")).items()}
    photos = project / "photos"
    os.rename(photos / "2019" / "samsung.jpg", photos / "nature" / "moved.jpg")
    (photos / "old" / "Portrait_8.jpg").unlink()
    shutil.copyfile(EXAMPLE / "nature" / "wood_anemones.jpg", photos / "nature" / "wood.jpg")
    report: BuildReport = build(config)
    assert report.hashed == 1 and report.extracted == 1, (
        "the move reuses everything; only the new file is read"
    )
    entries = by_file(read_database(project / "site"))
    assert entries["nature/moved.jpg"]["id"] == old_ids["2019/samsung.jpg"]
    assert "old/Portrait_8.jpg" not in entries and "2019/samsung.jpg" not in entries
    assert "nature/wood.jpg" in entries


def test_privacy_switches(project: Path) -> None:
    configure()
    with (project / "hgsite.toml").open("a") as handle:
        handle.write("[privacy]\nstrip_locations = true\ninclude_paths = false\n")
    build(load_config(None, Overrides()))
    raw = gzip.decompress((project / "site" / "data" / "database.json.gz").read_bytes()).decode()
    assert '"lat"' not in raw and "41.22" not in raw
    assert "Nebraska" not in raw and '"country"' not in raw, "no position, no place names"
    assert not (project / "site" / "data" / "world.json.gz").exists(), "no map without positions"
    assert "IMG_2682" not in raw and '"files"' not in raw
    names = [p.name for p in (project / "site").rglob("*")]
    assert not any(n == ".hgsite" or n == "hgsite.key" or n.endswith(".sqlite") for n in names)


def test_cycle_collector_is_paused_during_a_build_only(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    from hgsite.stages import index as index_stage

    seen: list[bool] = []
    scan = index_stage.run

    def watched(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.isenabled())
        return scan(*args, **kwargs)

    monkeypatch.setattr(index_stage, "run", watched)
    shutil.rmtree(project / "photos")
    (project / "photos").mkdir()
    assert gc.isenabled()
    report = build(configure())
    assert report.entries == 0 and seen == [False]
    assert gc.isenabled(), "collection resumes after the build"


def test_positions_are_named_in_a_worker_process(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The GeoNames data is large while loaded: the build's own process leaves it to a worker."""
    from hgsite.extract import places

    def not_here(points: Any) -> Any:
        raise AssertionError("positions named in the build's own process")

    monkeypatch.setattr(places, "name_places", not_here)
    build(configure())
    entry = by_file(read_database(project / "site"))["2019/IMG_2682.heic"]
    assert (entry["country"], entry["state"]) == ("United States", "Nebraska")
    assert places_file(project / ".hgsite").is_file()


CORPUS_NEF = (
    REPO.parent / "shared" / "corpus" / "photos" / "metadata-extractor-images" / "nef" / "Issue 247-1.nef"
)


@pytest.mark.skipif(not CORPUS_NEF.is_file(), reason="the shared corpus is not next to the repo")
def test_every_file_not_shown_is_counted_and_named_with_v(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from hgsite import cli

    shutil.copyfile(CORPUS_NEF, project / "photos" / "old" / "DSC_0001.nef")  # a JPEG named .nef: shown
    (project / "photos" / "old" / "DSC_0001.nef.xmp").write_text("<x:xmpmeta/>")  # a sidecar: not counted
    (project / "photos" / "old" / "manual.pdf").write_bytes(b"%PDF-1.4")
    assert cli.main(["build", "photos", "-v"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert "hgsite: not shown photos/old/manual.pdf: not a photo or video type hgsite reads" in err
    assert "hgsite: not shown photos/notes.txt: not a photo or video type hgsite reads" in err
    assert sum(line.startswith("hgsite: not shown") for line in err) == 2
    assert "; 2 other files not shown)" in next(line for line in err if " items from " in line)
    assert (
        "hgsite: warning: photos/old/DSC_0001.nef: a JPEG file named like a RAW photo: shown as a JPEG" in err
    )
    assert cli.main(["build", "photos"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert (
        "hgsite: not shown: 2 files (.txt 1, .pdf 1): not a photo or video type hgsite reads (-v names them)"
        in err
    )
    assert "; 2 other files not shown)" in next(line for line in err if " items from " in line)


def test_a_later_build_finds_the_folders_of_the_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`hgsite build ~/Pictures`, then the README's next steps without folders: the same sources."""
    from hgsite import cli

    (tmp_path / "Pictures").mkdir()
    shutil.copyfile(EXAMPLE / "nature" / "silver_fir.jpg", tmp_path / "Pictures" / "fir.jpg")
    (tmp_path / "gallery").mkdir()
    monkeypatch.chdir(tmp_path / "gallery")
    assert cli.main(["build", str(tmp_path / "Pictures")]) == 0
    assert "hgsite: remembered the sources in " in capsys.readouterr().err
    assert cli.main(["build"]) == 0
    assert "hgsite: 1 items from 1 files" in capsys.readouterr().err
    assert load_config().sources == (tmp_path / "Pictures",), "as xmp and serve read them"
