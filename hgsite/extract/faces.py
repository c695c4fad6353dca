"""Named face regions from XMP, as photo managers write them, in the orientation the photo is shown.

Read: MWG regions (`mwg-rs:Regions`: digiKam, Lightroom, Picasa, Apple Photos exports, exiftool) and
Microsoft's `MP:RegionInfo` (Windows Photo Gallery), both as normalised boxes. MWG boxes are relative to
the image as stored: when the EXIF orientation turns the photo, they are turned with it, unless the
`AppliedToDimensions` already name the turned size (some tools write them for the shown image).
Microsoft's boxes are relative to the photo as shown. A face written in both forms counts once.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any, cast

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
MWG_RS = "http://www.metadataworkinggroup.com/schemas/regions/"
ST_AREA = "http://ns.adobe.com/xmp/sType/Area#"
ST_DIM = "http://ns.adobe.com/xap/1.0/sType/Dimensions#"
MP_RI = "http://ns.microsoft.com/photo/1.2/t/RegionInfo#"
MP_REG = "http://ns.microsoft.com/photo/1.2/t/Region#"
_SWAPS_AXES = {5, 6, 7, 8}
_MAX_PACKET = 4 << 20


@dataclass(frozen=True, slots=True)
class Regions:
    """Faces as written in the file: (name, x, y, w, h) normalised with the top-left corner; `turned`
    holds the Microsoft ones (already relative to the shown photo), `faces` the MWG ones."""

    faces: tuple[tuple[str, float, float, float, float], ...]
    applied: tuple[int, int] | None = None  # MWG AppliedToDimensions (w, h), when given
    turned: tuple[tuple[str, float, float, float, float], ...] = ()

    def to_json(self) -> dict[str, Any]:
        applied = list(self.applied) if self.applied else None
        return {
            "faces": [list(f) for f in self.faces],
            "applied": applied,
            "turned": [list(f) for f in self.turned],
        }

    @staticmethod
    def from_json(data: dict[str, Any] | None) -> Regions | None:
        if not data:
            return None

        def boxes(key: str) -> tuple[tuple[str, float, float, float, float], ...]:
            return tuple(
                (str(f[0]), float(f[1]), float(f[2]), float(f[3]), float(f[4])) for f in data.get(key) or []
            )

        applied = data.get("applied")
        size = (int(applied[0]), int(applied[1])) if applied else None
        return Regions(boxes("faces"), size, boxes("turned"))


def regions_from_xmp(packet: bytes | str | None) -> Regions | None:
    """The named face regions of an XMP packet; None when there are none (or the packet is broken)."""
    if not packet or len(packet) > _MAX_PACKET:
        return None
    text = packet.decode("utf-8", "replace") if isinstance(packet, bytes) else packet
    start = text.find("<")
    try:
        root = ET.fromstring(text[start:].replace("\ufeff", "")) if start >= 0 else None
    except ET.ParseError:
        return None
    if root is None:
        return None
    faces: list[tuple[str, float, float, float, float]] = []
    turned: list[tuple[str, float, float, float, float]] = []
    applied = None
    for regions in root.iter(f"{{{MWG_RS}}}Regions"):
        applied = applied or _dimensions(_node(regions, MWG_RS, "AppliedToDimensions"))
        faces.extend(_mwg_faces(regions))
    for regions in root.iter(f"{{{MP_RI}}}Regions"):
        turned.extend(_mp_faces(regions))
    if not faces and not turned:
        return None
    return Regions(tuple(dict.fromkeys(faces)), applied, tuple(dict.fromkeys(turned)))


def _mwg_faces(regions: ET.Element) -> list[tuple[str, float, float, float, float]]:
    found = []
    for item in regions.iter(f"{{{RDF}}}li"):
        name, kind = _text(item, MWG_RS, "Name"), _text(item, MWG_RS, "Type")
        area = _node(item, MWG_RS, "Area")
        if not name or kind not in (None, "Face") or area is None:
            continue
        values = [_number(_text(area, ST_AREA, key)) for key in ("x", "y", "w", "h")]
        if None in values:
            continue
        x, y, w, h = cast(list[float], values)
        found.append(_face(name, x - w / 2, y - h / 2, w, h))  # x, y: the centre
    return [f for f in found if f is not None]


def _mp_faces(regions: ET.Element) -> list[tuple[str, float, float, float, float]]:
    found = []
    for item in regions.iter(f"{{{RDF}}}li"):
        name = _text(item, MP_REG, "PersonDisplayName")
        parts = [_number(p) for p in (_text(item, MP_REG, "Rectangle") or "").split(",")]
        if name and len(parts) == 4 and None not in parts:
            found.append(_face(name, *parts))  # type: ignore[arg-type]
    return [f for f in found if f is not None]


def _face(name: str, x: float, y: float, w: float, h: float) -> tuple[str, float, float, float, float] | None:
    name = " ".join(name.split())
    if not name or len(name) > 200 or not (0 < w <= 1 and 0 < h <= 1) or x < -w or y < -h:
        return None
    x, y = min(max(x, 0.0), 1 - w), min(max(y, 0.0), 1 - h)
    return name, round(x, 4), round(y, 4), round(w, 4), round(h, 4)


def _node(element: ET.Element, namespace: str, name: str) -> ET.Element | None:
    """A structured property, written as a child element or inside an rdf:Description."""
    key = f"{{{namespace}}}{name}"
    for node in (element, *element.findall(f"{{{RDF}}}Description")):
        child = node.find(key)
        if child is not None:
            inner = child.find(f"{{{RDF}}}Description")
            return inner if inner is not None else child
    return None


def _text(element: ET.Element, namespace: str, name: str) -> str | None:
    """A simple property, written as an attribute or as a child element, directly or in an rdf:Description."""
    key = f"{{{namespace}}}{name}"
    for node in (element, *element.findall(f"{{{RDF}}}Description")):
        if key in node.attrib:
            return node.attrib[key].strip()
        child = node.find(key)
        if child is not None and child.text and child.text.strip():
            return child.text.strip()
    return None


def _dimensions(node: ET.Element | None) -> tuple[int, int] | None:
    if node is None:
        return None
    w, h = _number(_text(node, ST_DIM, "w")), _number(_text(node, ST_DIM, "h"))
    return (int(w), int(h)) if w and h and w > 0 and h > 0 else None


def _number(text: str | None) -> float | None:
    try:
        value = float(text) if text is not None else None
    except ValueError:
        return None
    return value if value is not None and value == value and abs(value) < 1e9 else None


def shown_faces(
    regions: Regions, orientation: int, stored: tuple[int, int]
) -> list[tuple[str, float, float, float, float]]:
    """The faces as boxes on the photo as it is shown (EXIF orientation applied), each face once."""
    width, height = stored
    if orientation in _SWAPS_AXES and regions.applied == (height, width) and width != height:
        orientation = 1  # the tool wrote the regions for the turned photo already
    shown = [(name, *_turn(x, y, w, h, orientation)) for name, x, y, w, h in regions.faces]
    seen = {(name, round(x, 2), round(y, 2)) for name, x, y, _, _ in shown}
    shown += [f for f in regions.turned if (f[0], round(f[1], 2), round(f[2], 2)) not in seen]
    return shown


def _turn(x: float, y: float, w: float, h: float, orientation: int) -> tuple[float, float, float, float]:
    turned = {
        2: (1 - x - w, y, w, h),
        3: (1 - x - w, 1 - y - h, w, h),
        4: (x, 1 - y - h, w, h),
        5: (y, x, h, w),
        6: (1 - y - h, x, h, w),
        7: (1 - y - h, 1 - x - w, h, w),
        8: (y, 1 - x - w, h, w),
    }.get(orientation, (x, y, w, h))
    return tuple(round(v, 4) for v in turned)  # type: ignore[return-value]
