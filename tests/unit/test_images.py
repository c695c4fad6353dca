"""The image source (hgsite.extract.images) with the preview kind: metadata and previews of one image, and
the reasons a bad file gives."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageFile, ImageStat

from hgsite.kinds.preview import PreviewSpec, fit, preview_file, wanted_sizes
from hgsite.tasks.model import Limits, Result, Task, Want
from hgsite.tasks.run import run_task

SHA = "5ea1" + "0" * 36
SPECS = tuple(PreviewSpec(size, 82) for size in (320, 720, 1920))
MakeJpeg = Callable[..., Path]


def extract(
    path: Path,
    cache: Path,
    specs: tuple[PreviewSpec, ...] = SPECS,
    meta: bool = True,
    max_pixels: int = 100_000_000,
) -> Result:
    """The image task of `path` with these previews (and no embedding), run in this process."""
    wants = tuple(Want("preview", spec.name, spec.key, spec) for spec in specs)
    return run_task(Task(SHA, str(path), str(cache), "image", meta, wants, Limits(max_pixels, 60)))


def meta_of(result: Result) -> dict[str, Any] | None:
    return result.meta[1] if result.meta is not None else None


def written(result: Result) -> dict[int, tuple[int, int]]:
    return {int(a.name.split("-")[1]): (a.info["w"], a.info["h"]) for a in result.artifacts}


def open_preview(cache: Path, size: int, quality: int = 82) -> Image.Image:
    path = preview_file(cache, SHA, PreviewSpec(size, quality))
    assert path.is_file(), path
    im = Image.open(path)
    im.load()
    return im


def cache_files(cache: Path) -> list[Path]:
    return sorted(p for p in cache.rglob("*") if p.is_file()) if cache.exists() else []


def mean(im: Image.Image, box: tuple[int, int, int, int] | None = None) -> list[float]:
    return ImageStat.Stat(im.crop(box) if box else im).mean


def close(color: list[float], expected: tuple[int, ...], tolerance: float = 12) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(color, expected, strict=True))


# -- pure helpers -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        ((4000, 3000), [320, 720, 1920]),
        ((1920, 1080), [320, 720, 1920]),
        ((800, 600), [320, 720, 1920]),
        ((500, 300), [320, 720]),
        ((300, 500), [320, 720]),
        ((720, 400), [320, 720]),
        ((320, 200), [320]),
        ((100, 100), [320]),
    ],
)
def test_wanted_sizes(size: tuple[int, int], expected: list[int]) -> None:
    assert wanted_sizes(*size, [1920, 320, 720]) == expected


@pytest.mark.parametrize(
    ("size", "limit", "expected"),
    [
        ((4000, 3000), 320, (320, 240)),
        ((3000, 4000), 320, (240, 320)),
        ((500, 300), 720, (500, 300)),
        ((1000, 1), 320, (320, 1)),
        ((10000, 3), 320, (320, 1)),
        ((333, 333), 100, (100, 100)),
    ],
)
def test_fit(size: tuple[int, int], limit: int, expected: tuple[int, int]) -> None:
    assert fit(*size, limit) == expected


def test_preview_spec_names_and_keys() -> None:
    spec = PreviewSpec(320, 82)
    assert spec.name == "preview-320"
    assert spec.key == PreviewSpec(320, 82).key
    assert spec.key != PreviewSpec(320, 83).key
    assert spec.key != PreviewSpec(720, 82).key
    path = preview_file(Path("/c"), SHA, spec)
    assert path == Path("/c/files/5e/a1") / f"{SHA[4:]}-preview-320-{spec.key}.jpg"
    # progressive applies from 720 px on: the grid's 320 px tiles keep their key (and cached files)
    assert PreviewSpec(320, 82, progressive=True).key == spec.key
    assert PreviewSpec(720, 82, progressive=True).key != PreviewSpec(720, 82).key


@pytest.mark.parametrize("progressive", [False, True])
def test_previews_are_baseline_jpegs_unless_asked(
    tmp_path: Path, make_jpeg: MakeJpeg, progressive: bool
) -> None:
    """Baseline by default: a progressive 1920 px preview takes 5x as long to encode for 4% fewer bytes."""
    specs = tuple(PreviewSpec(size, 82, progressive) for size in (320, 720, 1920))
    result = extract(make_jpeg(tmp_path / "a.jpg", size=(2400, 1800)), tmp_path / "cache", specs)
    assert result.error is None and set(written(result)) == {320, 720, 1920}
    found = {}
    for spec in specs:
        with Image.open(preview_file(tmp_path / "cache", SHA, spec)) as im:
            found[spec.size] = bool(im.info.get("progressive") or im.info.get("progression"))
    assert found == {320: False, 720: progressive, 1920: progressive}


# -- JPEGs made here ----------------------------------------------------------------------------------


def test_plain_jpeg(tmp_path: Path, make_jpeg: MakeJpeg) -> None:
    path = make_jpeg(tmp_path / "a.jpg", size=(2000, 1000), color=(20, 120, 220))
    result = extract(path, tmp_path / "cache")
    assert result.error is None
    assert result.sha1 == SHA
    assert meta_of(result) == {"width": 2000, "height": 1000, "format": "JPEG"}
    assert written(result) == {1920: (1920, 960), 720: (720, 360), 320: (320, 160)}
    for size, dims in written(result).items():
        preview = open_preview(tmp_path / "cache", size)
        assert preview.format == "JPEG"
        assert preview.size == dims
        assert close(mean(preview), (20, 120, 220))


def test_orientation_6_is_applied(tmp_path: Path, make_jpeg: MakeJpeg) -> None:
    """Stored landscape, left half red; orientation 6 turns it clockwise: portrait, red on top."""
    stored = Image.new("RGB", (400, 200), (0, 0, 255))
    stored.paste((255, 0, 0), (0, 0, 200, 200))
    path = make_jpeg(tmp_path / "rot.jpg", image=stored, orientation=6)
    result = extract(path, tmp_path / "cache")
    assert result.error is None
    assert meta_of(result) is not None
    assert (meta_of(result)["width"], meta_of(result)["height"]) == (200, 400)
    assert "orientation" not in meta_of(result)
    assert written(result) == {720: (200, 400), 320: (160, 320)}
    for size in (720, 320):
        preview = open_preview(tmp_path / "cache", size)
        w, h = preview.size
        assert h > w
        assert close(mean(preview, (0, 0, w, h // 2 - 10)), (255, 0, 0), 20)
        assert close(mean(preview, (0, h // 2 + 10, w, h)), (0, 0, 255), 20)


@pytest.mark.parametrize("orientation", [1, 6])
def test_jpeg_is_decoded_once_at_the_draft_size(
    tmp_path: Path, make_jpeg: MakeJpeg, monkeypatch: pytest.MonkeyPatch, orientation: int
) -> None:
    """The speed of a cold build rests on this: reading the metadata decodes nothing, and the one decode
    is at half the size (4000x3000 -> 2000x1500, still >= 1920 px), for a turned photo too."""
    decoded: list[tuple[int, int]] = []
    load = ImageFile.ImageFile.load

    def spy(im: ImageFile.ImageFile) -> Any:
        if im.tile:  # pixels still to decode
            decoded.append(im.size)
        return load(im)

    monkeypatch.setattr(ImageFile.ImageFile, "load", spy)
    path = make_jpeg(tmp_path / "big.jpg", size=(4000, 3000), orientation=orientation)
    result = extract(path, tmp_path / "cache")
    assert result.error is None
    assert decoded == [(2000, 1500)]
    expected = {1920: (1920, 1440), 720: (720, 540), 320: (320, 240)}
    turned = {size: (h, w) for size, (w, h) in expected.items()}
    assert written(result) == (turned if orientation == 6 else expected)


@pytest.mark.parametrize(
    ("orientation", "red_box"),
    [
        (1, "left"),
        (3, "right"),  # 180 degrees
        (8, "bottom"),  # 90 degrees counter-clockwise
    ],
)
def test_other_orientations(tmp_path: Path, make_jpeg: MakeJpeg, orientation: int, red_box: str) -> None:
    stored = Image.new("RGB", (400, 200), (0, 0, 255))
    stored.paste((255, 0, 0), (0, 0, 200, 200))
    path = make_jpeg(tmp_path / "rot.jpg", image=stored, orientation=orientation)
    result = extract(path, tmp_path / "cache", specs=(PreviewSpec(320, 82),))
    preview = open_preview(tmp_path / "cache", 320)
    w, h = preview.size
    boxes = {
        "left": (0, 0, w // 2 - 10, h),
        "right": (w // 2 + 10, 0, w, h),
        "bottom": (0, h // 2 + 10, w, h),
    }
    assert close(mean(preview, boxes[red_box]), (255, 0, 0), 20)
    assert meta_of(result) is not None
    assert (meta_of(result)["width"], meta_of(result)["height"]) == (
        (200, 400) if orientation == 8 else (400, 200)
    )


def test_previews_are_never_upscaled(tmp_path: Path, make_jpeg: MakeJpeg) -> None:
    path = make_jpeg(tmp_path / "small.jpg", size=(500, 300))
    result = extract(path, tmp_path / "cache")
    assert written(result) == {720: (500, 300), 320: (320, 192)}
    assert open_preview(tmp_path / "cache", 720).size == (500, 300)
    assert open_preview(tmp_path / "cache", 320).size == (320, 192)
    assert not preview_file(tmp_path / "cache", SHA, PreviewSpec(1920, 82)).exists()
    assert len(cache_files(tmp_path / "cache")) == 2


def test_only_requested_previews_and_no_meta(tmp_path: Path, make_jpeg: MakeJpeg) -> None:
    path = make_jpeg(tmp_path / "a.jpg", size=(1000, 800))
    result = extract(path, tmp_path / "cache", specs=(PreviewSpec(720, 60),), meta=False)
    assert result.error is None
    assert meta_of(result) is None
    assert written(result) == {720: (720, 576)}
    assert [p.name for p in cache_files(tmp_path / "cache")] == [
        preview_file(tmp_path / "cache", SHA, PreviewSpec(720, 60)).name
    ]


def test_meta_only_writes_nothing(tmp_path: Path, make_jpeg: MakeJpeg) -> None:
    path = make_jpeg(tmp_path / "a.jpg", size=(100, 50), date="2019:05:21 13:45:01")
    result = extract(path, tmp_path / "cache", specs=())
    assert meta_of(result) == {"width": 100, "height": 50, "format": "JPEG", "date": "2019-05-21T13:45:01"}
    assert result.artifacts == ()
    assert cache_files(tmp_path / "cache") == []


def test_exif_fields_in_meta(tmp_path: Path, make_jpeg: MakeJpeg) -> None:
    path = make_jpeg(
        tmp_path / "gps.jpg",
        make="Canon",
        model="EOS 5D",
        date="2019:05:21 13:45:01",
        offset="+02:00",
        gps=("S", (41.0, 13.0, 12.0), "W", (96.0, 4.0, 1.0)),
    )
    result = extract(path, tmp_path / "cache")
    assert meta_of(result) is not None
    assert meta_of(result)["make"] == "Canon"
    assert meta_of(result)["model"] == "EOS 5D"
    assert meta_of(result)["date"] == "2019-05-21T13:45:01+02:00"
    assert (meta_of(result)["lat"], meta_of(result)["lon"]) == (-41.22, -96.066944)


def test_previews_carry_no_exif(tmp_path: Path, make_jpeg: MakeJpeg) -> None:
    path = make_jpeg(
        tmp_path / "gps.jpg",
        size=(500, 300),  # the 720 preview is the decoded original, re-encoded as it is
        make="SecretCam",
        date="2019:05:21 13:45:01",
        gps=("N", (41.0, 13.0, 12.0), "W", (96.0, 4.0, 1.0)),
        save={"xmp": b"<x:xmpmeta><exif:GPSLatitude>41,13.2N</exif:GPSLatitude></x:xmpmeta>"},
    )
    with Image.open(path) as original:
        assert original.getexif().get_ifd(0x8825)  # the test file does carry GPS
    result = extract(path, tmp_path / "cache")
    assert set(written(result)) == {320, 720}
    for size in (320, 720):
        preview = open_preview(tmp_path / "cache", size)
        assert dict(preview.getexif()) == {}
        assert "exif" not in preview.info
        assert "xmp" not in preview.info
        data = preview_file(tmp_path / "cache", SHA, PreviewSpec(size, 82)).read_bytes()
        assert b"SecretCam" not in data
        assert b"GPSLatitude" not in data


def test_previews_carry_no_jpeg_comment(tmp_path: Path, make_jpeg: MakeJpeg) -> None:
    path = make_jpeg(tmp_path / "c.jpg", size=(1000, 600), save={"comment": b"home: 12 Elm Street"})
    result = extract(path, tmp_path / "cache")
    assert result.error is None
    for size in (320, 720):
        data = preview_file(tmp_path / "cache", SHA, PreviewSpec(size, 82)).read_bytes()
        assert b"Elm Street" not in data


def test_grayscale_jpeg(tmp_path: Path) -> None:
    path = tmp_path / "gray.jpg"
    Image.new("L", (300, 200), 77).save(path)
    result = extract(path, tmp_path / "cache", specs=(PreviewSpec(320, 82),))
    preview = open_preview(tmp_path / "cache", 320)
    assert preview.mode in ("L", "RGB")
    assert close(mean(preview.convert("L")), (77,), 3)
    assert meta_of(result) is not None and meta_of(result)["width"] == 300


def test_cmyk_jpeg(tmp_path: Path) -> None:
    path = tmp_path / "cmyk.jpg"
    Image.new("CMYK", (400, 200), (255, 0, 0, 0)).save(path, quality=95)  # pure cyan ink
    result = extract(path, tmp_path / "cache")
    assert result.error is None
    assert written(result) == {320: (320, 160), 720: (400, 200)}
    preview = open_preview(tmp_path / "cache", 320)
    assert preview.mode == "RGB"
    assert close(mean(preview), (0, 255, 255), 25)


# -- other formats ------------------------------------------------------------------------------------


def test_png_with_alpha_is_flattened_on_white(tmp_path: Path) -> None:
    path = tmp_path / "alpha.png"
    im = Image.new("RGBA", (400, 200), (0, 0, 0, 0))
    im.paste((255, 0, 0, 255), (0, 0, 200, 200))
    im.save(path)
    result = extract(path, tmp_path / "cache")
    assert meta_of(result) == {"width": 400, "height": 200, "format": "PNG"}
    preview = open_preview(tmp_path / "cache", 320)
    assert preview.mode == "RGB"
    assert preview.size == (320, 160)
    assert close(mean(preview, (0, 0, 150, 160)), (255, 0, 0), 15)
    assert close(mean(preview, (170, 0, 320, 160)), (255, 255, 255), 15)


def test_palette_gif_with_transparency(tmp_path: Path) -> None:
    path = tmp_path / "t.gif"
    im = Image.new("P", (100, 100), 0)
    im.putpalette([0, 0, 0, 0, 200, 0] + [0] * 762)
    im.paste(1, (0, 0, 50, 100))
    im.save(path, transparency=0)
    result = extract(path, tmp_path / "cache")
    assert result.error is None
    preview = open_preview(tmp_path / "cache", 320)
    assert preview.size == (100, 100)
    assert close(mean(preview, (0, 0, 40, 100)), (0, 200, 0), 15)
    assert close(mean(preview, (60, 0, 100, 100)), (255, 255, 255), 15)


def test_16_bit_png_is_scaled_not_clipped_to_white(tmp_path: Path) -> None:
    path = tmp_path / "deep.png"
    im = Image.new("I;16", (256, 64))
    im.putdata([x * 256 for _ in range(64) for x in range(256)])  # 0 .. 65280 left to right
    im.save(path)
    with Image.open(path) as check:
        assert check.mode.startswith("I")
    result = extract(path, tmp_path / "cache")
    assert result.error is None
    assert meta_of(result) == {"width": 256, "height": 64, "format": "PNG"}
    preview = open_preview(tmp_path / "cache", 320).convert("L")
    assert preview.size == (256, 64)
    assert close(mean(preview), (127.5,), 6)
    assert mean(preview, (0, 0, 32, 64))[0] < 25
    assert mean(preview, (224, 0, 256, 64))[0] > 230


@pytest.mark.parametrize(("name", "mode"), [("quarter.png", "I;16"), ("quarter.tif", "I;16B")])
def test_16_bit_grey_constant(tmp_path: Path, name: str, mode: str) -> None:
    path = tmp_path / name
    Image.new(mode, (50, 50), 0x4000).save(path)
    result = extract(path, tmp_path / "cache")
    assert result.error is None
    assert close(mean(open_preview(tmp_path / "cache", 320).convert("L")), (64,), 3)


def test_48_bit_rgb_png(tmp_path: Path) -> None:
    """16 bits per channel, written by hand since Pillow cannot write it."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\0" + struct.pack(">HHH", 0x4000, 0x8000, 0xC000) * 32
    path = tmp_path / "rgb48.png"
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 32, 32, 16, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(row * 32))
        + chunk(b"IEND", b"")
    )
    result = extract(path, tmp_path / "cache")
    assert meta_of(result) == {"width": 32, "height": 32, "format": "PNG"}
    assert close(mean(open_preview(tmp_path / "cache", 320)), (64, 128, 192), 3)


# -- bad files ----------------------------------------------------------------------------------------


def assert_failed_cleanly(result: Result, cache: Path) -> None:
    assert isinstance(result.error, str) and result.error
    assert "\n" not in result.error
    assert meta_of(result) is None
    assert result.artifacts == ()
    assert cache_files(cache) == []  # neither previews nor temporary files


def test_random_bytes_named_jpg(tmp_path: Path) -> None:
    path = tmp_path / "random.jpg"
    path.write_bytes(os.urandom(4096))
    result = extract(path, tmp_path / "cache")
    assert_failed_cleanly(result, tmp_path / "cache")
    assert result.error == "not an image format hgsite can read"


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.jpg"
    path.write_bytes(b"")
    result = extract(path, tmp_path / "cache")
    assert_failed_cleanly(result, tmp_path / "cache")
    assert "empty" in (result.error or "")


def noisy_red(size: tuple[int, int] = (800, 600)) -> Image.Image:
    """Red with noise: big enough a JPEG that cutting it in half cuts the pixel data."""
    noise = Image.effect_noise(size, 40).convert("L")
    return Image.merge(
        "RGB",
        [noise.point(lambda v: 200 + v // 8), noise.point(lambda v: v // 8), noise.point(lambda v: v // 8)],
    )


def test_truncated_jpeg_is_shown_with_a_warning(tmp_path: Path, make_jpeg: MakeJpeg) -> None:
    """Cut in the pixel data: decoded as far as the data goes, the rest grey, and a warning."""
    full = make_jpeg(tmp_path / "full.jpg", image=noisy_red(), save={"quality": 95}).read_bytes()
    path = tmp_path / "truncated.jpg"
    path.write_bytes(full[: len(full) // 2])
    result = extract(path, tmp_path / "cache", specs=(PreviewSpec(320, 82),))
    assert result.error is None
    assert meta_of(result) is not None
    assert (meta_of(result)["width"], meta_of(result)["height"]) == (800, 600)
    assert "truncated" in meta_of(result)["warning"]
    assert written(result) == {320: (320, 240)}
    preview = open_preview(tmp_path / "cache", 320)
    assert close(mean(preview, (0, 0, 320, 80)), (215, 15, 15), 20)  # the data that was there
    assert close(mean(preview, (0, 160, 320, 240)), (128, 128, 128), 20)  # the rest


def test_jpeg_truncated_in_its_header(tmp_path: Path, make_jpeg: MakeJpeg) -> None:
    full = make_jpeg(tmp_path / "full.jpg", image=noisy_red()).read_bytes()
    path = tmp_path / "truncated.jpg"
    path.write_bytes(full[:400])
    result = extract(path, tmp_path / "cache")
    assert_failed_cleanly(result, tmp_path / "cache")
    assert "truncated" in (result.error or "")


def test_truncated_png(tmp_path: Path) -> None:
    full = tmp_path / "full.png"
    Image.effect_noise((300, 300), 40).convert("RGB").save(full)
    path = tmp_path / "truncated.png"
    path.write_bytes(full.read_bytes()[:2000])
    result = extract(path, tmp_path / "cache")
    assert result.error is None
    assert meta_of(result) is not None and "truncated" in meta_of(result)["warning"]
    assert written(result) == {320: (300, 300)}


def test_truncated_flag_is_restored(tmp_path: Path, make_jpeg: MakeJpeg) -> None:
    from PIL import ImageFile

    full = make_jpeg(tmp_path / "full.jpg", image=noisy_red()).read_bytes()
    (tmp_path / "t.jpg").write_bytes(full[: len(full) // 2])
    extract(tmp_path / "t.jpg", tmp_path / "cache")
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


def test_missing_file(tmp_path: Path) -> None:
    result = extract(tmp_path / "gone.jpg", tmp_path / "cache")
    assert_failed_cleanly(result, tmp_path / "cache")


def test_image_above_max_pixels(tmp_path: Path, make_jpeg: MakeJpeg) -> None:
    path = make_jpeg(tmp_path / "big.jpg", size=(500, 300))
    result = extract(path, tmp_path / "cache", max_pixels=100_000)
    assert_failed_cleanly(result, tmp_path / "cache")
    assert "too large" in (result.error or "")
    assert "500x300" in (result.error or "")
    ok = extract(path, tmp_path / "cache", max_pixels=150_000)  # exactly at the limit is fine
    assert ok.error is None


def test_decompression_bomb_png_header(tmp_path: Path) -> None:
    """A tiny PNG that claims 100000 x 100000 pixels is refused before any decoding."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    path = tmp_path / "bomb.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b""))
    result = extract(path, tmp_path / "cache", max_pixels=180_000_000)
    assert_failed_cleanly(result, tmp_path / "cache")
    assert "too large" in (result.error or "")


# -- real files from the corpus -----------------------------------------------------------------------


def test_real_heic(tmp_path: Path, corpus: Path) -> None:
    path = corpus / "photos/immich-test-assets/formats/heic/IMG_2682.heic"
    if not path.is_file():
        pytest.skip(f"{path} missing")
    result = extract(path, tmp_path / "cache", specs=(PreviewSpec(320, 82),))
    assert result.error is None
    meta = meta_of(result)
    assert meta is not None
    assert (meta["width"], meta["height"]) == (4032, 3024)
    assert meta["format"] == "HEIF"
    assert meta["make"] == "Apple"
    assert meta["date"] == "2019-03-21T11:04:22"
    assert meta["lat"] == pytest.approx(41.22, abs=0.01)
    assert meta["lon"] == pytest.approx(-96.07, abs=0.01)
    preview = open_preview(tmp_path / "cache", 320)
    assert preview.size == (320, 240)
    assert max(ImageStat.Stat(preview).stddev) > 10  # a photo, not a flat fill
    assert dict(preview.getexif()) == {}


def test_real_avif(tmp_path: Path, corpus: Path) -> None:
    path = corpus / "photos/immich-test-assets/formats/avif/8bit-sRGB.avif"
    if not path.is_file():
        pytest.skip(f"{path} missing")
    result = extract(path, tmp_path / "cache", specs=(PreviewSpec(320, 82),))
    assert result.error is None
    assert meta_of(result) is not None
    assert (meta_of(result)["width"], meta_of(result)["height"]) == (1617, 1080)
    assert meta_of(result)["format"] in ("AVIF", "HEIF")
    preview = open_preview(tmp_path / "cache", 320)
    assert preview.size == (320, 214)
    assert max(ImageStat.Stat(preview).stddev) > 10
