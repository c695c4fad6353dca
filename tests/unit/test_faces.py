"""Face regions: MWG and Microsoft forms, turned with the EXIF orientation like the photo."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from hgsite.database import folder_tree
from hgsite.extract.faces import Regions, regions_from_xmp, shown_faces
from hgsite.tagging import people

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
MWG = """<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description xmlns:mwg-rs="http://www.metadataworkinggroup.com/schemas/regions/"
  xmlns:stArea="http://ns.adobe.com/xmp/sType/Area#" xmlns:stDim="http://ns.adobe.com/xap/1.0/sType/Dimensions#">
<mwg-rs:Regions rdf:parseType="Resource">
 <mwg-rs:AppliedToDimensions stDim:w="400" stDim:h="300" stDim:unit="pixel"/>
 <mwg-rs:RegionList><rdf:Bag>
  <rdf:li><rdf:Description mwg-rs:Name="Anna" mwg-rs:Type="Face">
   <mwg-rs:Area stArea:x="0.25" stArea:y="0.3" stArea:w="0.2" stArea:h="0.2" stArea:unit="normalized"/>
  </rdf:Description></rdf:li>
  <rdf:li><rdf:Description mwg-rs:Name="a pet" mwg-rs:Type="Pet">
   <mwg-rs:Area stArea:x="0.5" stArea:y="0.5" stArea:w="0.1" stArea:h="0.1"/>
  </rdf:Description></rdf:li>
 </rdf:Bag></mwg-rs:RegionList>
</mwg-rs:Regions></rdf:Description></rdf:RDF></x:xmpmeta>"""


def test_mwg_attribute_form_keeps_named_faces_only() -> None:
    regions = regions_from_xmp(MWG)
    assert regions is not None
    assert regions.faces == (("Anna", 0.15, 0.2, 0.2, 0.2),), "centre -> corner; pets are not people"
    assert regions.applied == (400, 300)
    assert Regions.from_json(regions.to_json()) == regions


@pytest.mark.parametrize(
    ("orientation", "expected"),
    [
        (1, (0.15, 0.2, 0.2, 0.2)),
        (3, (0.65, 0.6, 0.2, 0.2)),
        (6, (0.6, 0.15, 0.2, 0.2)),  # turned 90 degrees clockwise: the box's left edge comes from its bottom
        (8, (0.2, 0.65, 0.2, 0.2)),
    ],
)
def test_boxes_follow_the_orientation(orientation: int, expected: tuple[float, ...]) -> None:
    regions = Regions((("Anna", 0.15, 0.2, 0.2, 0.2),), (400, 300))
    assert shown_faces(regions, orientation, (400, 300)) == [("Anna", *expected)]


def test_regions_written_for_the_turned_photo_are_not_turned_again() -> None:
    regions = Regions((("Anna", 0.15, 0.2, 0.2, 0.2),), (300, 400))  # the shown size, not the stored one
    assert shown_faces(regions, 6, (400, 300)) == [("Anna", 0.15, 0.2, 0.2, 0.2)]


@pytest.mark.skipif(not CORPUS.is_dir(), reason="no corpus")
def test_real_rotated_file_with_mwg_and_microsoft_regions_agrees_with_the_upright_one() -> None:
    faces = CORPUS / "photos/immich-test-assets/metadata/faces"
    shown = {}
    for name in ("portrait.jpg", "portrait-orientation-6.jpg"):
        with Image.open(faces / name) as im:
            regions = regions_from_xmp(im.info.get("xmp"))
            assert regions is not None
            shown[name] = shown_faces(regions, im.getexif().get(0x0112, 1), im.size)
    assert shown["portrait.jpg"] == shown["portrait-orientation-6.jpg"], "same faces, each once"
    assert [f[0] for f in shown["portrait.jpg"]] == ["Marie Curie", "Pierre Curie"]


def test_people_from_faces_and_people_tags() -> None:
    assert people(["People/Ben", "holiday", "person/Anna"], [["Carl", 0, 0, 0.1, 0.1]]) == [
        "Anna",
        "Ben",
        "Carl",
    ]


def test_folder_tree_counts_and_covers() -> None:
    entries = [
        {"id": "a", "files": ["P/2019/x.jpg", "P/2019/sub/y.jpg"]},
        {"id": "b", "files": ["P/2019/sub/z.jpg"]},
        {"id": "c", "files": ["P/top.jpg"]},
    ]
    assert folder_tree(entries) == [["P", 1, 3, "a"], ["P/2019", 1, 2, "a"], ["P/2019/sub", 2, 2, "a"]]
    assert folder_tree([{"id": "x"}]) == [], "no file names (privacy): no folders"
