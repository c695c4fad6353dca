"""Keywords in XMP and IPTC, and XMP sidecars that digiKam, darktable and Lightroom read.

Tags are strings; a hierarchical tag is written `a/b` in hgsite, `a|b` in lr:hierarchicalSubject.
Reading: lr:hierarchicalSubject (as `a/b`), plus dc:subject entries that are not just the leaf of a
hierarchical one (Lightroom and digiKam write both), plus IPTC Keywords (2:25).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from typing import Any
from xml.sax.saxutils import escape

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
DC = "http://purl.org/dc/elements/1.1/"
LR = "http://ns.adobe.com/lightroom/1.0/"
CREATOR_TOOL = "hgsite"
_MAX_PACKET = 4 << 20
_MAX_TAG = 200


def keywords_from_xmp(packet: bytes | str | None) -> list[str]:
    """Tags in an XMP packet; a broken packet has none (it never costs the photo)."""
    if not packet or len(packet) > _MAX_PACKET:
        return []
    if isinstance(packet, bytes):
        packet = packet.decode("utf-8", "replace")
    start = packet.find("<")
    try:
        root = ET.fromstring(packet[start:].replace("\ufeff", "")) if start >= 0 else None
    except ET.ParseError:
        return []
    if root is None:
        return []
    hierarchical = [t.replace("|", "/") for t in _bag_items(root, LR, "hierarchicalSubject")]
    leaves = {t.rsplit("/", 1)[-1] for t in hierarchical}
    flat = [t for t in _bag_items(root, DC, "subject") if t not in leaves]
    return _unique(hierarchical + flat)


def _bag_items(root: ET.Element, namespace: str, name: str) -> list[str]:
    items: list[str] = []
    for prop in root.iter(f"{{{namespace}}}{name}"):
        items.extend(li.text or "" for li in prop.iter(f"{{{RDF}}}li"))
    return items


def keywords_from_iptc(info: dict[tuple[int, int], Any] | None) -> list[str]:
    """IPTC Keywords (record 2, dataset 25), decoded as UTF-8 or, failing that, Latin-1."""
    if not info:
        return []
    value = info.get((2, 25))
    values = value if isinstance(value, list) else [value]
    words = []
    for raw in values:
        if isinstance(raw, bytes):
            try:
                words.append(raw.decode("utf-8"))
            except UnicodeDecodeError:
                words.append(raw.decode("latin-1"))
    return _unique(words)


def _unique(tags: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for tag in tags:
        clean = " ".join(tag.split())
        if clean and len(clean) <= _MAX_TAG and all(ch.isprintable() for ch in clean):
            seen[clean] = None
    return list(seen)


def render_sidecar(tags: Iterable[str]) -> bytes:
    """An XMP sidecar with the tags as dc:subject (leaf names) and lr:hierarchicalSubject (`a|b`)."""
    tags = list(tags)
    subjects = _unique(t.rsplit("/", 1)[-1] for t in tags)
    hierarchy = [t.replace("/", "|") for t in tags if "/" in t]

    def bag(values: list[str]) -> str:
        return "".join(f"\n     <rdf:li>{escape(v)}</rdf:li>" for v in values)

    lines = [
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>',
        f'<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="{CREATOR_TOOL}">',
        f' <rdf:RDF xmlns:rdf="{RDF}">',
        f'  <rdf:Description rdf:about="" xmlns:dc="{DC}" xmlns:lr="{LR}"',
        f'    xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:CreatorTool="{CREATOR_TOOL}">',
        f"   <dc:subject>\n    <rdf:Bag>{bag(subjects)}\n    </rdf:Bag>\n   </dc:subject>",
    ]
    if hierarchy:
        lines.append(f"   <lr:hierarchicalSubject>\n    <rdf:Bag>{bag(hierarchy)}\n    </rdf:Bag>")
        lines.append("   </lr:hierarchicalSubject>")
    lines += ["  </rdf:Description>", " </rdf:RDF>", "</x:xmpmeta>", '<?xpacket end="w"?>', ""]
    return "\n".join(lines).encode("utf-8")


def made_by_hgsite(packet: bytes) -> bool:
    return f'xmp:CreatorTool="{CREATOR_TOOL}"'.encode() in packet
