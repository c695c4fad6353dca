"""The last complete build into each output folder: its inputs (fingerprint.py) and its outcome.

A rebuild whose inputs equal the last complete build's, and whose output folder still holds that
build's site, can only write the same site again: it repeats that build's outcome instead.
"""

from __future__ import annotations

import contextlib

import orjson

from hgsite import site
from hgsite.cache.store import Store
from hgsite.config import Config
from hgsite.report import BuildReport, Failure


def _row(config: Config) -> str:
    """The state row of the last complete build into this output folder."""
    return f"last build {config.output}"


def replay(store: Store, config: Config, inputs: str, report: BuildReport) -> bool:
    """Repeat the last complete build's outcome if it had these inputs and its site is still in place."""
    saved = store.get_state(_row(config))
    try:
        last = orjson.loads(saved) if saved else None
        if last is None or last["inputs"] != inputs or site.read_marker(config.output) != last["site"]:
            return False
        entries, size = int(last["entries"]), int(last["database_bytes"])
        failures = [Failure(str(path), str(reason)) for path, reason in last["failures"]]
        warnings = [Failure(str(path), str(reason)) for path, reason in last["warnings"]]
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
        return False  # written by another version: build
    report.entries, report.database_bytes = entries, size
    report.failures, report.warnings = failures, warnings
    report.replayed = True
    return True


def forget(store: Store, config: Config) -> None:
    """The cache and the site change from here: the last build is not complete any more."""
    store.forget_state(_row(config))


def remember(store: Store, config: Config, inputs: str, report: BuildReport) -> None:
    last = {
        "inputs": inputs,
        "site": site.read_marker(config.output),
        "entries": report.entries,
        "database_bytes": report.database_bytes,
        "failures": [[failure.path, failure.reason] for failure in report.failures],
        "warnings": [[warning.path, warning.reason] for warning in report.warnings],
    }
    with contextlib.suppress(orjson.JSONEncodeError):  # a name that is not text: the next build builds
        store.set_state(_row(config), orjson.dumps(last).decode())
