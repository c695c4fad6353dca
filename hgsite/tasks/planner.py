"""The one planner: which artifacts of which items are missing or stale, for any source and kind."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from hgsite import kinds
from hgsite.cache.layout import params_key
from hgsite.cache.store import Artifact, Meta
from hgsite.kinds import Kind
from hgsite.tasks.model import Limits, Task, Want
from hgsite.tasks.run import SOURCES


@dataclass(frozen=True, slots=True)
class Stored:
    """What the manifest holds (read-only views): metadata, artifacts, remembered failures."""

    meta: Mapping[str, Meta]
    artifacts: Mapping[tuple[str, str], Artifact]
    failures: Mapping[str, tuple[str, str]]


@dataclass
class Plan:
    tasks: list[Task] = field(default_factory=list)
    cached_failures: dict[str, str] = field(default_factory=dict)  # sha1 -> reason, not retried
    obsolete: dict[str, list[str]] = field(default_factory=dict)  # sha1 -> artifact names to forget


def failure_key(source: str, wants: Sequence[Want]) -> str:
    """A failure is remembered until the file, its reader or what is wanted of it changes."""
    parts = ((want.kind, kinds.BY_NAME[want.kind].version, want.key) for want in wants)
    return params_key(SOURCES[source].meta_key, *parts)


def plan(
    items: Mapping[str, str],
    source: str,
    wants: Sequence[Want],
    stored: Stored,
    cache: str,
    limits: Limits,
    keep: Collection[str] = (),
) -> Plan:
    """A task per item (sha1 -> a path to read) that lacks valid metadata or a wanted artifact.

    `wants` are every artifact the settings want of such an item (kinds.wanted); `keep` names further
    artifacts made elsewhere (the web copy of a video) that are not obsolete.
    """
    result = Plan()
    fkey = failure_key(source, wants)
    meta_key = SOURCES[source].meta_key
    names = {want.name for want in wants} | set(keep)
    by_kind = _by_kind(wants)
    artifacts = stored.artifacts
    stored_names: dict[str, list[str]] = {}  # the artifact names of each item in the manifest
    for sha1, name in artifacts:
        stored_names.setdefault(sha1, []).append(name)
    for sha1, path in items.items():
        failed = stored.failures.get(sha1)
        if failed is not None and failed[0] == fkey:
            result.cached_failures[sha1] = failed[1]
            continue
        known = stored.meta.get(sha1)
        valid = known is not None and known.key == meta_key
        fields = known.fields if known is not None else None
        todo = tuple(
            want for kind, of_kind in by_kind for want in kind.stale(sha1, of_kind, fields, artifacts)
        )
        if todo or not valid:
            result.tasks.append(Task(sha1, path, cache, source, not valid, todo, limits))
        extra = [name for name in stored_names.get(sha1, ()) if name not in names]
        if extra:
            result.obsolete[sha1] = extra
    return result


def _by_kind(wants: Sequence[Want]) -> list[tuple[Kind, list[Want]]]:
    """The wants of each kind, in the order given (kinds.wanted gives them kind by kind)."""
    grouped: dict[str, list[Want]] = {}
    for want in wants:
        grouped.setdefault(want.kind, []).append(want)
    return [(kinds.BY_NAME[kind], of_kind) for kind, of_kind in grouped.items()]
