"""hgsite.naming: the project key, keyed public ids and preview URLs that do not reveal sha1s."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from hgsite.errors import HgsiteError
from hgsite.naming import ID_LENGTH, KEY_FILE, load_key, preview_tag, preview_url, public_id

SHA = hashlib.sha1(b"a photo").hexdigest()


def test_load_key_creates_a_key_once(tmp_path: Path) -> None:
    key = load_key(tmp_path)
    text = (tmp_path / KEY_FILE).read_text(encoding="ascii")
    assert re.fullmatch(r"[0-9a-f]{64}\n", text)
    assert key == bytes.fromhex(text.strip())
    assert len(key) == 32
    assert load_key(tmp_path) == key
    assert (tmp_path / KEY_FILE).read_text(encoding="ascii") == text
    assert sorted(p.name for p in tmp_path.iterdir()) == [KEY_FILE]  # no temp file left


def test_new_projects_get_different_keys(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert load_key(tmp_path / "a") != load_key(tmp_path / "b")


def test_existing_key_is_used(tmp_path: Path) -> None:
    (tmp_path / KEY_FILE).write_text("AB" * 32 + "  \n", encoding="ascii")
    assert load_key(tmp_path) == b"\xab" * 32


@pytest.mark.parametrize("content", ["not a key\n", "abcd\n", "", "zz" * 32, "é" * 10])
def test_invalid_key_file(tmp_path: Path, content: str) -> None:
    (tmp_path / KEY_FILE).write_text(content, encoding="utf-8")
    with pytest.raises(HgsiteError) as caught:
        load_key(tmp_path)
    assert KEY_FILE in str(caught.value)
    assert (tmp_path / KEY_FILE).read_text(encoding="utf-8") == content  # never overwritten


def test_key_path_that_is_a_folder(tmp_path: Path) -> None:
    (tmp_path / KEY_FILE).mkdir()
    with pytest.raises(HgsiteError, match="cannot read the naming key"):
        load_key(tmp_path)


def test_public_id_shape_and_determinism() -> None:
    key = b"\x01" * 32
    item = public_id(key, SHA)
    assert re.fullmatch(r"[0-9a-f]{16}", item)
    assert len(item) == ID_LENGTH
    assert public_id(key, SHA) == item
    assert public_id(b"\x02" * 32, SHA) != item
    assert public_id(key, hashlib.sha1(b"another photo").hexdigest()) != item


def test_public_id_does_not_reveal_the_sha1() -> None:
    item = public_id(b"\x01" * 32, SHA)
    assert item not in SHA
    assert SHA[:ID_LENGTH] != item
    assert hashlib.sha256(SHA.encode()).hexdigest()[:ID_LENGTH] != item  # keyed, not a plain hash


def test_public_ids_do_not_collide_on_a_sample() -> None:
    key = b"\x07" * 32
    ids = {public_id(key, hashlib.sha1(str(n).encode()).hexdigest()) for n in range(5000)}
    assert len(ids) == 5000


def test_preview_url_layout() -> None:
    url = preview_url("0123456789abcdef", 320, "0e1d")
    assert url == "files/01/23/456789abcdef-320-0e1d.jpg"
    assert preview_url("0123456789abcdef", 1920, "0e1d") != url
    assert preview_url("0123456789abcdef", 320, "91de") != url


def test_preview_tag_is_the_short_parameter_key() -> None:
    assert preview_tag("deadbeef") == "dead"
    assert preview_url("3f9a0c2d4b5e6f71", 320, preview_tag("0e1d1234")) == (
        "files/3f/9a/0c2d4b5e6f71-320-0e1d.jpg"  # the example in docs/database.md
    )
