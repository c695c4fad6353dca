"""Keywords from XMP and IPTC, and the sidecars hgsite writes."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, IptcImagePlugin

from hgsite.extract.xmp import keywords_from_iptc, keywords_from_xmp, made_by_hgsite, render_sidecar

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"


def test_render_then_read_round_trip_with_hierarchy_and_markup() -> None:
    tags = ["holiday", "People/Anna", "Places/France/Paris", "<b>&amp</b>"]
    packet = render_sidecar(tags)
    assert made_by_hgsite(packet)
    assert sorted(keywords_from_xmp(packet)) == sorted(tags), "a tag with '/' travels as a hierarchy"
    assert b"<rdf:li>People|Anna</rdf:li>" in packet and b"<rdf:li>Anna</rdf:li>" in packet
    assert b"&lt;b&gt;&amp;amp&lt;|b&gt;" in packet, "markup is escaped"


def test_broken_or_hostile_packets_give_no_tags() -> None:
    assert keywords_from_xmp(b"<x:xmpmeta><unclosed") == []
    assert keywords_from_xmp(None) == []
    bomb = b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><l>&b;</l>'
    assert keywords_from_xmp(bomb) == []


@pytest.mark.skipif(not CORPUS.is_dir(), reason="no corpus")
def test_real_sidecars_from_photo_managers() -> None:
    digikam = (CORPUS / "photos/metadata-extractor-images/xmp/digikam-example.xmp").read_bytes()
    assert keywords_from_xmp(digikam) == ["test3", "test", "test2"]
    tagger = (CORPUS / "photos/metadata-extractor-images/xmp/jPhotoTagger-example.xmp").read_bytes()
    assert "Urlaub" in keywords_from_xmp(tagger)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="no corpus")
def test_iptc_keywords_of_real_files() -> None:
    with Image.open(CORPUS / "photos/immich-test-assets/metadata/tags/picasa.jpg") as im:
        assert keywords_from_iptc(IptcImagePlugin.getiptcinfo(im)) == ["Frost", "Yard"]
    assert keywords_from_iptc({(2, 25): b"caf\xe9"}) == ["café"], "Latin-1 when not UTF-8"
    assert keywords_from_iptc(None) == []
