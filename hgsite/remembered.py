"""The sources a build was given, written into the project's hgsite.toml so the next command finds them."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

from hgsite.atomic import atomic_write
from hgsite.config import Config


def remember_sources(path: Path, config: Config) -> str | None:
    """Write the sources given on the command line into the config file, if it names none, so that the
    next command without folders (build, serve, xmp) finds them; what was done, in a sentence, or None.

    An existing file gets one line at its very top (a top-level key before any table is valid whatever
    follows); every other byte stays as it was, and the result must read back as the old settings plus
    the sources, or nothing is written.
    """
    if config.sources == (config.project,):
        return None  # the default already
    try:
        old = path.read_bytes() if path.exists() else None
        current = tomllib.loads(old.decode("utf-8")) if old is not None else {}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None  # load_config has said what is wrong with it
    if "sources" in current:
        return _differs(path, current["sources"], config)
    values = [_relative(source, config.project) for source in config.sources]
    line = "sources = [" + ", ".join(_toml_string(v) for v in values) + "]"
    if old is None:
        head = "# hgsite settings: every key is optional (see the README)\n"
        text = f"{head}{line}\n".encode("utf-8", "surrogateescape")
    else:
        text = f"{line}  # added by the first build with folders\n".encode("utf-8", "surrogateescape") + old
    try:
        if tomllib.loads(text.decode("utf-8")) != {**current, "sources": values}:
            raise ValueError("the names do not read back")
        _replace(path, text)
    except (OSError, ValueError) as error:  # UnicodeError and TOMLDecodeError are ValueErrors
        return f"could not remember the sources in {path} ({error}); give the folders again next time"
    return f"remembered the sources in {path} ({line}): build, serve and xmp without folders use them"


def _differs(path: Path, sources: Any, config: Config) -> str | None:
    named = tuple((config.project / s).resolve() for s in sources) if isinstance(sources, list) else ()
    if named == config.sources:
        return None
    return f"built the folders given; {path.name} keeps its own sources for commands without folders"


def _relative(source: Path, project: Path) -> str:
    """A source inside the project relative to it (the project may move), any other absolute."""
    return source.relative_to(project).as_posix() if source.is_relative_to(project) else str(source)


def _toml_string(value: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's; whatever TOML would read otherwise, the caller's
    read-back check catches)."""
    return json.dumps(value, ensure_ascii=False)


def _replace(path: Path, text: bytes) -> None:
    mode = path.stat().st_mode & 0o7777 if path.exists() else 0o644
    with atomic_write(path, durable=True) as handle:
        handle.write(text)
    path.chmod(mode)
