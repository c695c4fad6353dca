"""Camera RAW files: previews from the embedded JPEG, the sensor data decoded with raw.decode, their EXIF
fields, and one clear line for each RAW that cannot be read.

The DNG files are made from a real photo of the shared corpus (dng.py says how); the corpus's own .nef
files are JPEGs with a wrong extension, and are shown as the JPEGs they are.
"""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from dng import write_dng
from PIL import Image

from hgsite.build import build
from hgsite.config import Config, Overrides, load_config
from hgsite.extract import raw
from hgsite.report import BuildReport
from hgsite.tasks.model import Limits, Task
from hgsite.tasks.run import run_task

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "photos"
PHOTO = CORPUS / "metadata-extractor-images" / "jpg" / "Olympus E-20.jpg"
NEFS = sorted((CORPUS / "metadata-extractor-images" / "nef").glob("*.nef"))  # JPEGs named .nef
RW2 = CORPUS / "metadata-extractor-images" / "rw2" / "Issue 419.rw2"  # the first 368 bytes of a RW2
SIDECAR = (
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    '<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:subject><rdf:Bag>'
    "<rdf:li>developed</rdf:li></rdf:Bag></dc:subject></rdf:Description></rdf:RDF></x:xmpmeta>"
)
pytestmark = pytest.mark.skipif(not PHOTO.is_file(), reason="the shared corpus is not next to the repo")


@pytest.fixture(scope="module")
def photo() -> Image.Image:
    with Image.open(PHOTO) as im:
        return im.convert("RGB").resize((2048, 1536), Image.Resampling.LANCZOS)


def make_project(root: Path, photo: Image.Image) -> Path:
    raws = root / "photos"
    raws.mkdir()
    write_dng(raws / "upright.dng", photo)
    write_dng(
        raws / "turned.dng", photo, orientation=6, make="Nikon", model="Z 6", date="2022:01:02 03:04:05"
    )
    write_dng(raws / "bare.dng", photo, preview=False)
    (raws / "turned.xmp").write_text(SIDECAR)  # a raw converter's sidecar, keywords included
    (raws / "cut.dng").write_bytes((raws / "upright.dng").read_bytes()[:100_000])
    (raws / "garbage.nef").write_bytes(bytes(range(256)) * 40)
    (raws / "empty.cr2").write_bytes(b"")
    shutil.copyfile(RW2, raws / "fragment.rw2")
    for nef in NEFS:
        shutil.copyfile(nef, raws / nef.name)
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, photo: Image.Image) -> tuple[Path, BuildReport]:
    """One build without raw.decode, shared by the tests that only read it."""
    root = make_project(tmp_path_factory.mktemp("raw"), photo)
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        return root, build(configure())


@pytest.fixture
def project(tmp_path: Path, photo: Image.Image, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return make_project(tmp_path, photo)


def configure(decode: bool = False) -> Config:
    toml = 'sources = ["photos"]\n[raw]\ndecode = ' + ("true" if decode else "false") + "\n"
    (Path.cwd() / "hgsite.toml").write_text(toml)
    return load_config(None, Overrides(jobs=2))


def entries(site: Path) -> dict[str, dict[str, Any]]:
    document = json.loads(gzip.decompress((site / "data" / "database.json.gz").read_bytes()))
    return {name.split("/", 1)[1]: e for e in document["entries"] for name in e["files"]}


def preview(project: Path, entry: dict[str, Any], size: int) -> Image.Image:
    document = json.loads(gzip.decompress((project / "site" / "data" / "database.json.gz").read_bytes()))
    item, tag = entry["id"], document["previews"][str(size)]
    with Image.open(project / "site" / "files" / item[:2] / item[2:4] / f"{item[4:]}-{size}-{tag}.jpg") as im:
        return im.copy()


def likeness(a: Image.Image, b: Image.Image) -> float:
    """Correlation of two pictures' grey values at 64 px: 1 is the same picture."""
    grey = [
        np.asarray(im.convert("L").resize((48, 64) if im.height > im.width else (64, 48)), float)
        for im in (a, b)
    ]
    if grey[0].shape != grey[1].shape:
        return -1.0
    return float(np.corrcoef(grey[0].ravel(), grey[1].ravel())[0, 1])


def test_raw_files_build_from_their_embedded_previews(
    built: tuple[Path, BuildReport], photo: Image.Image
) -> None:
    project, report = built
    found = entries(project / "site")
    upright, turned = found["upright.dng"], found["turned.dng"]
    assert (upright["type"], upright["raw"]) == ("image", "DNG")
    assert (upright["width"], upright["height"]) == (2048, 1536)
    assert (turned["width"], turned["height"]) == (1536, 2048), "orientation 6 of the RAW's IFD0"
    assert upright["previews"] == [320, 720, 1920]
    assert upright["date"] == "2021-06-05T14:30:15" and upright["dsrc"] == "exif"
    assert (upright["make"], upright["model"]) == ("Hgsite", "Mosaic 12")
    assert (turned["make"], turned["model"], turned["date"]) == ("Nikon", "Z 6", "2022-01-02T03:04:05")
    assert (upright["iso"], upright["exposure"], upright["fnumber"], upright["focal"]) == (
        200,
        0.004,
        5.6,
        35.0,
    )

    assert turned["tags"] == ["developed"] and upright["tags"] == [], "the sidecar's keywords"

    shown = preview(project, turned, 1920)
    assert shown.size == (1440, 1920)
    upright_photo = photo.transpose(Image.Transpose.ROTATE_270)
    assert likeness(shown, upright_photo) > 0.97
    assert likeness(shown, photo.transpose(Image.Transpose.ROTATE_90)) < 0.8, "turned the right way"
    assert preview(project, upright, 720).size == (720, 540)
    assert likeness(preview(project, upright, 720), photo) > 0.97

    bare = found["bare.dng"]  # only DNG's 256 px thumbnail: shown as it is, with a warning
    assert (bare["width"], bare["height"], bare["raw"]) == (2048, 1536, "DNG")
    warnings = {w.path.split("/", 1)[1]: w.reason for w in report.warnings}
    assert warnings["bare.dng"] == "embedded preview only 256 px (raw.decode = true decodes the sensor data)"


def test_raw_files_that_cannot_be_read_get_one_line_each(built: tuple[Path, BuildReport]) -> None:
    report = built[1]
    failures = {f.path.split("/", 1)[1]: f.reason for f in report.failures}
    assert failures == {
        "cut.dng": "damaged or truncated RAW file (LibRaw cannot parse it)",
        "fragment.rw2": "damaged or truncated RAW file (LibRaw cannot parse it)",
        "garbage.nef": "not a RAW file (no format LibRaw knows)",
        "empty.cr2": "empty file (0 bytes)",
    }
    assert report.entries == 3 + len(NEFS)


@pytest.mark.skipif(not NEFS, reason="the corpus has no .nef files")
def test_a_jpeg_named_like_a_raw_is_shown_as_a_jpeg(built: tuple[Path, BuildReport]) -> None:
    project, report = built
    found = entries(project / "site")
    for nef in NEFS:
        entry = found[nef.name]
        assert "raw" not in entry, "not a RAW: no RAW field"
        assert (entry["make"], entry["model"]) == ("NIKON CORPORATION", "NIKON D70s")
        assert (entry["width"], entry["height"]) == (2000, 3008)
        assert entry["date"].startswith("2010-03-01T21:5") and entry["dsrc"] == "exif"
    warnings = {w.path.split("/", 1)[1]: w.reason for w in report.warnings}
    assert warnings[NEFS[0].name] == "a JPEG file named like a RAW photo: shown as a JPEG"


def test_decode_makes_full_previews_of_a_raw_without_one(project: Path, photo: Image.Image) -> None:
    report = build(configure(decode=True))
    assert not [w for w in report.warnings if w.path.endswith(".dng")]
    decoded = preview(project, entries(project / "site")["bare.dng"], 1920)
    assert decoded.size == (1920, 1440)
    assert likeness(decoded, photo) > 0.95, "the Bayer mosaic demosaiced into the photo"
    thumbnail = photo.copy()
    thumbnail.thumbnail((256, 256))
    sharp = np.asarray(decoded.convert("L"), float)
    blurred = np.asarray(thumbnail.convert("L").resize(decoded.size, Image.Resampling.LANCZOS), float)
    assert np.abs(np.diff(sharp, axis=1)).mean() > 1.1 * np.abs(np.diff(blurred, axis=1)).mean(), (
        "made from the sensor data, not from the 256 px thumbnail"
    )


def test_read_raw_reports_without_raising(tmp_path: Path) -> None:
    path = tmp_path / "x.arw"
    path.write_bytes(b"II*\x00" + bytes(200))
    task = Task("0" * 40, str(path), str(tmp_path), "raw", True, (), Limits(10**8, 60.0))
    result = run_task(task)
    assert result.error == "damaged or truncated RAW file (LibRaw cannot parse it)"
    assert not result.transient
    assert raw.META_KEY != raw.DECODE_META_KEY
