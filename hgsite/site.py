"""Emit the bundle: theme assets, index.html, data files and previews, swapped in atomically.

The new bundle is written into a sibling temporary folder and renamed into place only when complete,
so a crash or Ctrl-C never leaves a half-written site. Previews are hard links to the cache when the
output is on the same file system (copies otherwise). A marker file identifies folders hgsite made:
it never deletes or replaces a folder without it.
"""

from __future__ import annotations

import base64
import contextlib
import errno
import hashlib
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import jinja2

import hgsite
from hgsite.errors import OutputError

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
    database: bytes  # gzipped JSON
    count: int
    files: dict[str, Path]  # bundle URL -> source file (previews)


def theme_dir(name: str = "default") -> Path:
    """The installed theme, or the one at the top of a source checkout."""
    installed = Path(hgsite.__file__).parent / "themes" / name
    return installed if installed.is_dir() else Path(hgsite.__file__).parent.parent / "themes" / name


def _digest(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()[:10]


def data_script(name: str, gzipped: bytes) -> bytes:
    """The file:// twin of a data file: a classic script that hands over the same gzipped bytes."""
    encoded = base64.b64encode(gzipped).decode("ascii")
    return f'(window.hgsiteData = window.hgsiteData || {{}})["{name}"] = "{encoded}";\n'.encode("ascii")


def _asset_urls(assets: Path) -> dict[str, str]:
    """Every theme asset by its path inside assets/, as a URL whose query changes with its content."""
    urls = {}
    for path in sorted(p for p in assets.rglob("*") if p.is_file()):
        name = path.relative_to(assets).as_posix()
        urls[name] = f"assets/{name}?v={_digest(path.read_bytes())}"
    return urls


def render_index(theme: Path, bundle: Bundle) -> str:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(theme / "templates"), autoescape=True, undefined=jinja2.StrictUndefined
    )
    context = {
        "title": bundle.title,
        "csp": CSP,
        "assets": _asset_urls(theme / "assets"),
        "data_version": _digest(bundle.database),
        "count": bundle.count,
        "generator": f"hgsite {hgsite.__version__}",
    }
    return env.get_template("index.html").render(context)


def emit(output: Path, bundle: Bundle, theme: Path, progress: Callable[[int], None] | None = None) -> bool:
    """Write the bundle unless the folder already holds exactly this bundle; True if written."""
    index_html = render_index(theme, bundle)
    stamp = _stamp(index_html, bundle, theme)
    _recover(output)
    if _read_marker(output) == stamp:
        return False
    _check_replaceable(output)
    tmp = output.with_name(f"{output.name}.tmp-hgsite")
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    (tmp / MARKER).write_text("in progress\n")
    shutil.copytree(theme / "assets", tmp / "assets")
    (tmp / "data").mkdir()
    (tmp / "data" / "database.json.gz").write_bytes(bundle.database)
    (tmp / "data" / "database.js").write_bytes(data_script("database", bundle.database))
    _place_files(tmp, bundle.files, progress)
    (tmp / "index.html").write_text(index_html, encoding="utf-8")
    (tmp / MARKER).write_text(stamp + "\n")
    _swap(tmp, output)
    return True


def _stamp(index_html: str, bundle: Bundle, theme: Path) -> str:
    digest = hashlib.sha1(index_html.encode())
    for path in sorted(p for p in (theme / "assets").rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(theme)).encode() + b"\0" + path.read_bytes())
    for url in sorted(bundle.files):
        digest.update(url.encode() + b"\0")
    return digest.hexdigest()


def _read_marker(folder: Path) -> str | None:
    try:
        return (folder / MARKER).read_text().strip()
    except (FileNotFoundError, NotADirectoryError):
        return None


def _check_replaceable(output: Path) -> None:
    if output.exists() and not output.is_dir():
        raise OutputError(f"{output}: output exists and is not a folder")
    if output.is_dir() and any(output.iterdir()) and _read_marker(output) is None:
        raise OutputError(f"{output}: folder is not empty and was not made by hgsite; refusing to replace it")


def _recover(output: Path) -> None:
    """After a crash between the two renames of a swap, put the previous bundle back."""
    old = output.with_name(f"{output.name}.old-hgsite")
    if old.is_dir() and _read_marker(old) is not None:
        if output.exists():
            shutil.rmtree(old)
        else:
            old.rename(output)


def _place_files(root: Path, files: dict[str, Path], progress: Callable[[int], None] | None) -> None:
    can_link = True
    made: set[Path] = set()
    for url, source in files.items():
        target = root / url
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        if can_link:
            try:
                os.link(source, target)
            except OSError as error:
                if error.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP):
                    raise
                can_link = False
        if not can_link:
            shutil.copyfile(source, target)
        if progress is not None:
            progress(1)


def _swap(tmp: Path, output: Path) -> None:
    old = output.with_name(f"{output.name}.old-hgsite")
    if output.exists():
        output.rename(old)
    tmp.rename(output)
    with contextlib.suppress(FileNotFoundError):
        shutil.rmtree(old)
