"""Sources given on the command line, remembered in the project's hgsite.toml (hgsite/remembered.py)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from hgsite.config import CONFIG_NAME, Overrides, config_path, load_config
from hgsite.remembered import remember_sources


def write_config(folder: Path, text: str) -> Path:
    path = folder / CONFIG_NAME
    path.write_text(text)
    return path


@pytest.fixture
def gallery(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "Pictures").mkdir()
    (tmp_path / "gallery" / "scans").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "gallery")
    return tmp_path / "gallery"


def test_sources_given_once_are_written_into_a_new_config(gallery: Path) -> None:
    config = load_config(None, Overrides(sources=("../Pictures", "scans")))
    note = remember_sources(config_path(None), config)
    assert note is not None and note.startswith(f"remembered the sources in {gallery / CONFIG_NAME}")
    text = (gallery / CONFIG_NAME).read_text()
    assert f'sources = ["{gallery.parent / "Pictures"}", "scans"]' in text, (
        "outside: absolute; inside: relative"
    )
    assert load_config().sources == config.sources, "a later command without folders finds them"
    assert remember_sources(config_path(None), load_config(None, Overrides(sources=("scans",)))) == (
        "built the folders given; hgsite.toml keeps its own sources for commands without folders"
    )
    assert remember_sources(config_path(None), config) is None, "the same folders: nothing to say"


def test_remembering_keeps_every_byte_of_an_existing_config(gallery: Path) -> None:
    original = '# my gallery\ntitle = "Trip"  # a comment\n\n[previews]\nquality = 80 # another\n'
    write_config(gallery, original).chmod(0o600)
    config = load_config(None, Overrides(sources=("../Pictures",)))
    assert remember_sources(config_path(None), config) is not None
    path = gallery / CONFIG_NAME
    first, rest = path.read_text().split("\n", 1)
    assert first == f'sources = ["{gallery.parent / "Pictures"}"]  # added by the first build with folders'
    assert rest == original
    assert path.stat().st_mode & 0o777 == 0o600
    again = load_config()
    assert (again.title, again.previews.quality, again.sources) == ("Trip", 80, config.sources)


def test_nothing_is_remembered_for_the_default_source(gallery: Path) -> None:
    assert remember_sources(config_path(None), load_config(None, Overrides(sources=(".",)))) is None
    assert not (gallery / CONFIG_NAME).exists()


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS file systems refuse non-UTF-8 names")
def test_a_name_toml_cannot_hold_is_not_written_and_said(gallery: Path) -> None:
    os.mkdir(os.fsencode(str(gallery.parent)) + b"/caf\xe9")
    write_config(gallery, "title = 'x'\n")
    config = load_config(None, Overrides(sources=(os.fsdecode(b"../caf\xe9"),)))
    note = remember_sources(config_path(None), config)
    assert note is not None and note.startswith("could not remember the sources")
    assert (gallery / CONFIG_NAME).read_text() == "title = 'x'\n"
