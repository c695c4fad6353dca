"""Real DNG files for the RAW tests, made from a real photo's pixels (no camera RAW may be redistributed
with the tests, and the shared corpus's .nef files are JPEGs with a wrong extension).

`write_dng` lays the photo's pixels out as a 12-bit RGGB Bayer mosaic in the DNG's raw image (SubIFD 1,
uncompressed), with a small RGB thumbnail in IFD0 as DNG asks, an optional full-size JPEG preview
(SubIFD 2, as cameras and Adobe's converter write it), the camera fields in IFD0 and the Exif IFD, and
the orientation in IFD0 only (the preview JPEG carries no EXIF, like most cameras' embedded ones).
"""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image

BYTE, ASCII, SHORT, LONG, RATIONAL, SRATIONAL = 1, 2, 3, 4, 5, 10
_SIZES = {BYTE: 1, ASCII: 1, SHORT: 2, LONG: 4, RATIONAL: 8, SRATIONAL: 8}
_FORMATS = {BYTE: "B", ASCII: "B", SHORT: "H", LONG: "I", RATIONAL: "I", SRATIONAL: "i"}


@dataclass
class _Ifd:
    entries: dict[int, tuple[int, list[int]]] = field(default_factory=dict)  # tag -> (type, values)
    offset: int = 0

    def add(self, tag: int, kind: int, values: list[int] | str) -> None:
        if isinstance(values, str):
            values = [*values.encode(), 0]
        self.entries[tag] = (kind, values)

    def size(self) -> int:
        return 2 + 12 * len(self.entries) + 4


@dataclass
class _Tiff:
    blobs: bytearray = field(default_factory=lambda: bytearray(8))

    def put(self, data: bytes) -> int:
        if len(self.blobs) % 2:
            self.blobs.append(0)
        offset = len(self.blobs)
        self.blobs += data
        return offset

    def write(self, ifds: list[_Ifd], links: dict[tuple[int, int], list[int]]) -> bytes:
        """`links` (ifd index, tag) -> indexes of the IFDs whose offsets that tag holds."""
        out_of_line: dict[tuple[int, int], int] = {}
        for key, targets in links.items():  # arrays of IFD offsets: their place reserved, filled below
            if len(targets) > 1:
                out_of_line[key] = self.put(bytes(4 * len(targets)))
        for number, ifd in enumerate(ifds):  # other values longer than 4 bytes go into the blob area
            for tag, (kind, values) in ifd.entries.items():
                if (number, tag) not in links and _SIZES[kind] * len(values) > 4:
                    out_of_line[number, tag] = self.put(
                        struct.pack(f"<{len(values)}{_FORMATS[kind]}", *values)
                    )
        position = len(self.blobs) + len(self.blobs) % 2
        for ifd in ifds:
            ifd.offset = position
            position += ifd.size()
        for key, targets in links.items():
            if len(targets) > 1:
                at = out_of_line[key]
                self.blobs[at : at + 4 * len(targets)] = struct.pack(
                    f"<{len(targets)}I", *(ifds[i].offset for i in targets)
                )
        data = bytearray(self.blobs) + bytes(len(self.blobs) % 2)
        data[0:8] = b"II*\x00" + struct.pack("<I", ifds[0].offset)
        for number, ifd in enumerate(ifds):
            data += struct.pack("<H", len(ifd.entries))
            for tag in sorted(ifd.entries):
                kind, values = ifd.entries[tag]
                if (number, tag) in links:
                    values = [ifds[i].offset for i in links[number, tag]]
                if (number, tag) in out_of_line:
                    value = struct.pack("<I", out_of_line[number, tag])
                else:
                    value = struct.pack(f"<{len(values)}{_FORMATS[kind]}", *values).ljust(4, b"\0")
                data += struct.pack("<HHI", tag, kind, len(values)) + value
            data += struct.pack("<I", 0)
        return bytes(data)


def write_dng(
    path: Path,
    photo: Image.Image,
    *,
    preview: bool = True,
    orientation: int = 1,
    make: str = "Hgsite",
    model: str = "Mosaic 12",
    date: str = "2021:06:05 14:30:15",
) -> None:
    """A DNG of `photo`'s pixels (even width and height), stored as shot: `orientation` is the EXIF
    value a reader applies to show it."""
    rgb = np.asarray(photo.convert("RGB"), dtype=np.uint16)
    height, width = rgb.shape[:2]
    mosaic = np.empty((height, width), dtype=np.uint16)
    mosaic[0::2, 0::2] = rgb[0::2, 0::2, 0]  # R G
    mosaic[0::2, 1::2] = rgb[0::2, 1::2, 1]  # G B
    mosaic[1::2, 0::2] = rgb[1::2, 0::2, 1]
    mosaic[1::2, 1::2] = rgb[1::2, 1::2, 2]
    mosaic = mosaic * 16  # 12-bit values
    tiff = _Tiff()
    thumb = photo.convert("RGB")
    thumb.thumbnail((256, 256))
    thumb_at = tiff.put(thumb.tobytes())
    raw_at = tiff.put(mosaic.astype("<u2").tobytes())
    ifd0, raw, exif = _Ifd(), _Ifd(), _Ifd()
    _strip(ifd0, 1, thumb.size, [8, 8, 8], 1, 2, thumb_at, len(thumb.tobytes()))
    ifd0.add(271, ASCII, make)
    ifd0.add(272, ASCII, model)
    ifd0.add(274, SHORT, [orientation])
    ifd0.add(306, ASCII, date)
    ifd0.add(330, LONG, [0])
    ifd0.add(34665, LONG, [0])
    ifd0.add(50706, BYTE, [1, 4, 0, 0])
    ifd0.add(50708, ASCII, f"{make} {model}")
    ifd0.add(50721, SRATIONAL, [v for x in (10000, 0, 0, 0, 10000, 0, 0, 0, 10000) for v in (x, 10000)])
    ifd0.add(50778, SHORT, [21])
    _strip(raw, 0, (width, height), [16], 1, 32803, raw_at, mosaic.nbytes)
    raw.add(33421, SHORT, [2, 2])
    raw.add(33422, BYTE, [0, 1, 1, 2])
    raw.add(50717, LONG, [4095])
    exif.add(33434, RATIONAL, [1, 250])
    exif.add(33437, RATIONAL, [56, 10])
    exif.add(34855, SHORT, [200])
    exif.add(36867, ASCII, date)
    exif.add(37386, RATIONAL, [35, 1])
    ifds, links = [ifd0, raw, exif], {(0, 330): [1], (0, 34665): [2]}
    if preview:
        jpeg = io.BytesIO()
        photo.convert("RGB").save(jpeg, "JPEG", quality=90)
        shown = _Ifd()
        _strip(shown, 1, photo.size, [8, 8, 8], 7, 6, tiff.put(jpeg.getvalue()), len(jpeg.getvalue()))
        ifds.append(shown)
        links[0, 330] = [1, 3]
        ifd0.add(330, LONG, [0, 0])
    path.write_bytes(tiff.write(ifds, links))


def _strip(
    ifd: _Ifd,
    subfile: int,
    size: tuple[int, int],
    bits: list[int],
    compression: int,
    photometric: int,
    offset: int,
    length: int,
) -> None:
    ifd.add(254, LONG, [subfile])
    ifd.add(256, LONG, [size[0]])
    ifd.add(257, LONG, [size[1]])
    ifd.add(258, SHORT, bits)
    ifd.add(259, SHORT, [compression])
    ifd.add(262, SHORT, [photometric])
    ifd.add(273, LONG, [offset])
    ifd.add(277, SHORT, [len(bits)])
    ifd.add(278, LONG, [size[1]])
    ifd.add(279, LONG, [length])
