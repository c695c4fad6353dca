"""hgsite.site.emit: a rebuild keeps the previous site's files/, writes only what changed, and a crash at
any point of the swap leaves a complete site or one the next emit completes."""

from __future__ import annotations

import errno
import gzip
import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from hgsite import site
from hgsite.errors import ConfigError
from hgsite.site import MARKER, Bundle


def previews(cache: Path, names: list[str]) -> dict[str, str | Path]:
    files: dict[str, str | Path] = {}
    for name in names:
        source = cache / f"{name}.jpg"
        if not source.exists():
            source.parent.mkdir(parents=True, exist_ok=True)
            source.write_bytes(b"preview of " + name.encode())
        files[f"files/{name[:2]}/{name[2:4]}/{name[4:]}-320-k.jpg"] = source
    return files


def bundle(cache: Path, names: list[str], title: str = "T") -> Bundle:
    data = {"database": gzip.compress(b'{"entries": []}', mtime=0)}
    return Bundle(title, data, len(names), previews(cache, names))


def emit(output: Path, made: Bundle) -> bool:
    return site.emit(output, made, [site.theme_dir()])


def listing(output: Path) -> dict[str, int]:
    """Every file under files/ with its inode."""
    return {str(p.relative_to(output)): p.stat().st_ino for p in (output / "files").rglob("*") if p.is_file()}


def test_a_rebuild_keeps_the_files_and_writes_only_what_changed(tmp_path: Path) -> None:
    cache, output = tmp_path / "cache", tmp_path / "site"
    assert emit(output, bundle(cache, ["aaaa1", "bbbb2", "bbbc3"]))
    before = listing(output)
    assert len(before) == 3
    assert emit(output, bundle(cache, ["aaaa1", "bbbc3", "cccc4"], title="U"))
    after = listing(output)
    assert set(after) == set(previews(cache, ["aaaa1", "bbbc3", "cccc4"]))
    kept = "files/aa/aa/1-320-k.jpg"
    assert after[kept] == before[kept], "an unchanged file is the same file, not a new link"
    assert not (output / "files/bb/bb").exists(), "a folder left empty is removed"
    assert (output / "files/bb/bc/3-320-k.jpg").read_bytes() == b"preview of bbbc3"
    assert "<title>U</title>" in (output / "index.html").read_text()
    assert not list(tmp_path.glob("site.*-hgsite"))


def test_a_file_deleted_from_the_site_is_put_back_by_the_next_rebuild(tmp_path: Path) -> None:
    cache, output = tmp_path / "cache", tmp_path / "site"
    emit(output, bundle(cache, ["aaaa1", "bbbb2"]))
    (output / "files/aa/aa/1-320-k.jpg").unlink()
    emit(output, bundle(cache, ["aaaa1", "bbbb2"], title="U"))
    assert (output / "files/aa/aa/1-320-k.jpg").read_bytes() == b"preview of aaaa1"


def test_without_hard_links_only_new_files_are_copied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache, output = tmp_path / "cache", tmp_path / "site"
    copied: list[str] = []
    link = os.link

    def no_links(source: Any, target: Any) -> None:
        copied.append(str(target))
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", no_links)
    emit(output, bundle(cache, ["aaaa1", "bbbb2"]))
    assert len(copied) == 2
    copied.clear()
    emit(output, bundle(cache, ["aaaa1", "bbbb2", "cccc3"], title="U"))
    assert [Path(p).name for p in copied] == ["3-320-k.jpg"], "the two kept files are not copied again"
    assert (output / "files/cc/cc/3-320-k.jpg").read_bytes() == b"preview of cccc3"
    assert not any(p.name.startswith(".tmp-") for p in output.rglob("*")), "copies are renamed into place"
    monkeypatch.setattr(os, "link", link)


def assert_whole(output: Path, cache: Path, sites: dict[str, list[str]]) -> None:
    """No site, or a whole one: its marker final, and the files of the bundle it was written from
    (`sites`: the names of each bundle's previews, by its title)."""
    if not output.exists():
        return
    assert (output / MARKER).read_text() != "in progress\n"
    title = "U" if "<title>U</title>" in (output / "index.html").read_text() else "T"
    assert all((output / url).is_file() for url in previews(cache, sites[title]))


@pytest.mark.parametrize(
    "moment", ["previous site renamed", "files moved", "new site in place", "old files half deleted"]
)
def test_a_crash_during_the_swap_is_finished_by_the_next_emit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, moment: str
) -> None:
    cache, output = tmp_path / "cache", tmp_path / "site"
    emit(output, bundle(cache, ["aaaa1", "bbbb2"]))
    renames = {"previous site renamed": 1, "files moved": 2}.get(moment, 3)
    rename = Path.rename
    done: list[Path] = []

    def crash_after(path: Path, target: Any) -> Any:
        if len(done) == renames:
            raise KeyboardInterrupt  # the process dies here
        done.append(path)
        return rename(path, target)

    def crash_removing(root: Path, urls: set[str]) -> None:
        if moment == "old files half deleted" and urls:
            (root / sorted(urls)[0]).unlink()
        raise KeyboardInterrupt

    with monkeypatch.context() as patched:
        patched.setattr(Path, "rename", crash_after)
        patched.setattr(site, "_remove", crash_removing)
        with pytest.raises(KeyboardInterrupt):
            emit(output, bundle(cache, ["aaaa1", "cccc3"], title="U"))
    sites = {"T": ["aaaa1", "bbbb2"], "U": ["aaaa1", "cccc3"]}
    assert_whole(output, cache, sites)
    probe = tmp_path / "probe"  # what the recovery alone makes of it, on a copy
    for folder in tmp_path.glob("site*"):
        shutil.copytree(folder, probe / folder.name)
    site._recover(probe / "site")
    assert (probe / "site").is_dir() and not list(probe.glob("site.*"))
    assert_whole(probe / "site", cache, sites)
    assert not emit(output, bundle(cache, ["aaaa1", "cccc3"], title="U")) or moment == "previous site renamed"
    assert set(listing(output)) == set(previews(cache, ["aaaa1", "cccc3"])), "nothing more, nothing less"
    assert "<title>U</title>" in (output / "index.html").read_text()
    assert not list(tmp_path.glob("site.*-hgsite")), "nothing left beside the site"


def test_additions_of_a_build_that_never_finished_are_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache, output = tmp_path / "cache", tmp_path / "site"
    emit(output, bundle(cache, ["aaaa1"]))
    with monkeypatch.context() as patched:
        patched.setattr(site, "_swap", lambda *a, **k: (_ for _ in ()).throw(KeyboardInterrupt()))
        with pytest.raises(KeyboardInterrupt):
            emit(output, bundle(cache, ["aaaa1", "secret"], title="U"))
    assert (output / "files/se/cr/et-320-k.jpg").is_file(), "added to the site in place, unnamed by it"
    assert_whole(output, cache, {"T": ["aaaa1"]})
    assert not emit(output, bundle(cache, ["aaaa1"])), "the same site as before"
    assert set(listing(output)) == set(previews(cache, ["aaaa1"])), "the unfinished build's file is gone"


def test_the_page_loads_the_scripts_of_the_manifest_in_its_order(tmp_path: Path) -> None:
    """A view is one file plus one line in js/scripts.json: a project theme's manifest is the one used."""
    theme = tmp_path / "theme"
    (theme / "assets" / "js").mkdir(parents=True)
    default = (site.theme_dir() / "assets" / "js" / "scripts.json").read_text()
    names = json.loads(default)
    names.insert(names.index("js/start.js"), "js/videos.js")
    (theme / "assets" / "js" / "scripts.json").write_text(json.dumps(names))
    (theme / "assets" / "js" / "videos.js").write_text("/* a view */\n")
    output = tmp_path / "site"
    assert site.emit(output, bundle(tmp_path / "cache", ["aaaa1"]), [theme, site.theme_dir()])
    page = (output / "index.html").read_text()
    loaded = re.findall(r'<script src="assets/(js/[^"?]+)\?v=[0-9a-f]+" defer></script>', page)
    assert loaded == names and loaded[-1] == "js/start.js"
    assert (output / "assets" / "js" / "videos.js").is_file()


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        ("[not json", "not valid JSON"),
        ('{"js": "app.js"}', "must be a list of script paths"),
        ('["js/app.js", "js/nowhere.js"]', "no such asset in the theme: js/nowhere.js"),
    ],
)
def test_a_broken_manifest_is_an_error_naming_it(tmp_path: Path, manifest: str, message: str) -> None:
    theme = tmp_path / "theme"
    (theme / "assets" / "js").mkdir(parents=True)
    (theme / "assets" / "js" / "scripts.json").write_text(manifest)
    with pytest.raises(ConfigError) as raised:
        site.emit(tmp_path / "site", bundle(tmp_path / "cache", ["aaaa1"]), [theme, site.theme_dir()])
    assert "scripts.json" in str(raised.value) and message in str(raised.value)
    assert not (tmp_path / "site").exists()
