"""Emit the bundle: theme assets, index.html, data files and previews, swapped in atomically.

The new bundle is written into a sibling temporary folder and renamed into place only when complete,
so a crash or Ctrl-C never leaves a half-written site. Previews are hard links to the cache when the
output is on the same file system (copies otherwise). A marker file identifies folders hgsite made:
it never deletes or replaces a folder without it.

The names of files/ never change meaning (an item's id, a size and a key of the settings that made
it), so a rebuild keeps the previous site's files/: it adds the new files to it while the previous
site is still in place (they harm nothing there), moves the folder into the new site as part of the
swap, and only then deletes the files the new site no longer names. A rebuild of 100,000 items writes
what changed, not 100,000 links or copies.
"""

from __future__ import annotations

import base64
import contextlib
import errno
import gzip
import hashlib
import json
import os
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import orjson

import hgsite
from hgsite.atomic import atomic_write
from hgsite.cache.layout import world_file
from hgsite.errors import ConfigError, OutputError

MARKER = ".hgsite-site"
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "media-src 'self' blob:; connect-src 'self'; font-src 'self'; manifest-src 'self'; "
    "base-uri 'none'; form-action 'none'"
)


@dataclass(frozen=True)
class Bundle:
    """Everything the bundle consists of, computed before anything is written."""

    title: str
    data: dict[str, bytes]  # name -> gzipped JSON, written as data/<name>.json.gz and data/<name>.js
    count: int
    files: dict[str, str | Path]  # bundle URL -> source file (previews)
    serving: Serving | None = None  # set by `hgsite serve` only
    extras: dict[str, bytes] = field(default_factory=dict)  # more top-level files, e.g. _headers


@dataclass(frozen=True)
class Serving:
    """What a page served by `hgsite serve` needs beyond a normal bundle."""

    script_hashes: tuple[str, ...]  # CSP hashes of the inline script the live-reload server injects


def theme_dir(name: str = "default") -> Path:
    """The installed theme, or the one at the top of a source checkout."""
    installed = Path(hgsite.__file__).parent / "themes" / name
    return installed if installed.is_dir() else Path(hgsite.__file__).parent.parent / "themes" / name


def theme_chain(theme: str, project: Path, overrides: Path | None) -> list[Path]:
    """Theme folders in lookup order: the project's overrides, the chosen theme, the default theme.

    `theme` is the name of an installed theme or a folder (relative to the project).
    """
    chain = [overrides] if overrides is not None and _is_theme(overrides) else []
    if theme != "default":
        chosen = theme_dir(theme) if theme_dir(theme).is_dir() else (project / theme)
        if not _is_theme(chosen):
            raise ConfigError([f"theme {theme!r}: no such theme (a folder with templates/ or assets/)"])
        chain.append(chosen)
    return [*chain, theme_dir()]


def _is_theme(folder: Path) -> bool:
    return (folder / "templates").is_dir() or (folder / "assets").is_dir()


def _assets(themes: Sequence[Path]) -> dict[str, Path]:
    """Every asset by its path inside assets/; a theme earlier in the chain wins."""
    found: dict[str, Path] = {}
    for theme in themes:
        root = theme / "assets"
        for path in sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else ():
            found.setdefault(path.relative_to(root).as_posix(), path)
    return dict(sorted(found.items()))


SCRIPTS = "js/scripts.json"  # the page's scripts in load order; an asset, so a theme can override it


def _scripts(assets: dict[str, Path]) -> list[str]:
    """The page's scripts in load order: the asset paths listed in the theme chain's js/scripts.json."""
    manifest = assets.get(SCRIPTS)
    if manifest is None:
        return []
    try:
        names = json.loads(manifest.read_bytes())
    except ValueError as error:
        raise ConfigError([f"{manifest}: not valid JSON ({error})"]) from error
    if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
        raise ConfigError([f"{manifest}: must be a list of script paths inside assets/, in load order"])
    missing = [name for name in names if name not in assets]
    if missing:
        raise ConfigError([f"{manifest}: no such asset in the theme: {', '.join(missing)}"])
    return names


def _digest(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()[:10]


def data_script(name: str, gzipped: bytes) -> bytes:
    """The file:// twin of a data file: a classic script that hands over the same gzipped bytes."""
    encoded = base64.b64encode(gzipped).decode("ascii")
    return f'(window.hgsiteData = window.hgsiteData || {{}})["{name}"] = "{encoded}";\n'.encode("ascii")


def world_data(theme: Path, cache: Path | None = None) -> bytes:
    """The map's basemap as a data file: Natural Earth country shapes (TopoJSON from npm world-atlas).

    Kept in the theme's vendor/ folder, outside assets/, so that only sites with a map carry it, once.
    Compressing it takes half a second, so the result is kept in `cache` (a folder) when given.
    """
    folder = theme / "vendor" / "world-atlas"
    sources = [(folder / name).read_bytes() for name in ("package.json", "LICENSE", "countries-50m.json")]
    cached = world_file(cache, _digest(b"".join(sources))) if cache is not None else None
    if cached is not None and cached.is_file():
        return cached.read_bytes()
    package, license_text, topology = sources
    version = json.loads(package)["version"]
    document = {
        "type": "hgsite/world@1",
        "source": f"world-atlas {version}: Natural Earth 1:50m countries (public domain)",
        "license": license_text.decode("utf-8"),
        "topology": json.loads(topology),
    }
    payload = gzip.compress(orjson.dumps(document), compresslevel=9, mtime=0)
    if cached is not None:
        with atomic_write(cached) as handle:
            handle.write(payload)
    return payload


def render_index(themes: Sequence[Path], assets: dict[str, Path], bundle: Bundle) -> str:
    loader = jinja2.ChoiceLoader([jinja2.FileSystemLoader(t / "templates") for t in themes])
    env = jinja2.Environment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined)
    csp = CSP
    if bundle.serving is not None:
        hashes = " ".join(f"'{h}'" for h in bundle.serving.script_hashes)
        csp = CSP.replace("script-src 'self'", f"script-src 'self' {hashes}")
    context = {
        "title": bundle.title,
        "csp": csp,
        "assets": {name: f"assets/{name}?v={_digest(path.read_bytes())}" for name, path in assets.items()},
        "scripts": _scripts(assets),
        "data_version": _digest(b"".join(bundle.data[name] for name in sorted(bundle.data))),
        "count": bundle.count,
        "generator": f"hgsite {hgsite.__version__}",
        "serving": bundle.serving is not None,
    }
    return env.get_template("index.html").render(context)


def emit(
    output: Path, bundle: Bundle, themes: Sequence[Path], progress: Callable[[int], None] | None = None
) -> bool:
    """Write the bundle unless the folder already holds exactly this bundle; True if written."""
    assets = _assets(themes)
    index_html = render_index(themes, assets, bundle)
    stamp = _stamp(index_html, bundle, assets)
    interrupted = _recover(output)
    if read_marker(output) == stamp:
        if interrupted:  # files of the interrupted build may be left in files/
            _remove(output, _present(output).difference(bundle.files))
        return False
    _check_replaceable(output)
    tmp = output.with_name(f"{output.name}.tmp-hgsite")
    tmp.mkdir(parents=True)  # _recover removed any left by a crash
    (tmp / MARKER).write_text("in progress\n")
    for name, path in assets.items():
        (tmp / "assets" / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, tmp / "assets" / name)
    (tmp / "data").mkdir()
    for name, gzipped in bundle.data.items():
        (tmp / "data" / f"{name}.json.gz").write_bytes(gzipped)
        (tmp / "data" / f"{name}.js").write_bytes(data_script(name, gzipped))
    kept = output if read_marker(output) is not None and (output / FILES).is_dir() else None
    present = _present(output) if kept is not None else set()
    for url, source in bundle.files.items():  # new files of files/ go straight into the site in place
        if url not in present:
            _place(source, (kept if kept is not None and url.startswith(f"{FILES}/") else tmp) / url)
        if progress is not None:
            progress(1)
    for name, content in bundle.extras.items():
        (tmp / name).write_bytes(content)
    (tmp / "index.html").write_text(index_html, encoding="utf-8")
    (tmp / MARKER).write_text(stamp + "\n")
    old = _swap(tmp, output, keep_files=kept is not None)
    _remove(output, present.difference(bundle.files))
    shutil.rmtree(old, ignore_errors=True)  # last: while it is there, _recover knows to clean up
    return True


FILES = "files"  # the folder of previews and web videos, kept from one site to the next


def _present(site: Path) -> set[str]:
    """The bundle URLs of the files in site/files/."""
    found: set[str] = set()
    root = str(site)
    for folder, _, names in os.walk(site / FILES):
        prefix = os.path.relpath(folder, root).replace(os.sep, "/")
        found.update(f"{prefix}/{name}" for name in names)
    return found


def _place(source: str | Path, target: Path) -> None:
    """A hard link to `source` at `target`, or a copy (written beside it and renamed: a file of that
    name is always whole) when the file systems or their rules forbid a link."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
        return
    except FileExistsError:
        target.unlink()
        os.link(source, target)
        return
    except OSError as error:
        if error.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP):
            raise
    with Path(source).open("rb") as original, atomic_write(target) as copy:
        shutil.copyfileobj(original, copy)


def _remove(site: Path, urls: set[str]) -> None:
    """Delete files the site no longer names, and the folders that leaves empty."""
    folders = set()
    for url in urls:
        with contextlib.suppress(FileNotFoundError):
            (site / url).unlink()
        folders.add((site / url).parent)
    for folder in sorted(folders, key=lambda f: len(f.parts), reverse=True):
        while folder != site and folder.name != FILES:
            try:
                folder.rmdir()
            except OSError:
                break  # not empty
            folder = folder.parent


def _stamp(index_html: str, bundle: Bundle, assets: dict[str, Path]) -> str:
    digest = hashlib.sha1(index_html.encode())
    for name, path in assets.items():
        digest.update(name.encode() + b"\0" + path.read_bytes())
    for name, content in sorted(bundle.extras.items()):
        digest.update(name.encode() + b"\0" + content)
    for name, gzipped in sorted(bundle.data.items()):
        digest.update(name.encode() + b"\0" + hashlib.sha1(gzipped).digest())
    for url in sorted(bundle.files):
        digest.update(url.encode() + b"\0")
    return digest.hexdigest()


def read_marker(folder: Path) -> str | None:
    try:
        return (folder / MARKER).read_text().strip()
    except (FileNotFoundError, NotADirectoryError):
        return None


def _check_replaceable(output: Path) -> None:
    if output.exists() and not output.is_dir():
        raise OutputError(f"{output}: output exists and is not a folder")
    if output.is_dir() and any(output.iterdir()) and read_marker(output) is None:
        raise OutputError(f"{output}: folder is not empty and was not made by hgsite; refusing to replace it")


def _recover(output: Path) -> bool:
    """Finish what a crash interrupted; True if it interrupted anything (files/ may then hold files that
    the site does not name: additions for a site never swapped in, or the previous site's leftovers).

    If the previous site was renamed away: when the new one is complete and already holds the files,
    it takes its place; otherwise the previous one is put back. Then the rest is deleted.
    """
    old = output.with_name(f"{output.name}.old-hgsite")
    tmp = output.with_name(f"{output.name}.tmp-hgsite")
    interrupted = old.exists() or tmp.exists()
    if not output.exists():
        if read_marker(tmp) not in (None, "in progress") and (tmp / FILES).is_dir():
            tmp.rename(output)
        elif read_marker(old) is not None:
            old.rename(output)
    for leftover in (old, tmp):
        if leftover.is_dir():
            shutil.rmtree(leftover)
    return interrupted


def _swap(tmp: Path, output: Path, keep_files: bool = False) -> Path:
    """Put `tmp` in the place of `output` (with `keep_files`, output's files/ moves into it first);
    return where the previous site is now, for the caller to delete."""
    old = output.with_name(f"{output.name}.old-hgsite")
    if output.exists():
        output.rename(old)
    if keep_files:
        (old / FILES).rename(tmp / FILES)
    tmp.rename(output)
    return old
