"""Extraction: decide which artifacts are missing or stale, then make them in worker processes."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from hgsite.cache.layout import params_key
from hgsite.cache.store import Artifact, Meta
from hgsite.extract.embeddings import EMBED_KEY, EMBED_NAME
from hgsite.extract.images import META_KEY, ImageResult, ImageTask, PreviewSpec, extract_image, wanted_sizes
from hgsite.workers import run_tasks


@dataclass
class Plan:
    tasks: list[ImageTask] = field(default_factory=list)
    cached_failures: dict[str, str] = field(default_factory=dict)  # sha1 -> reason, not retried
    obsolete: dict[str, list[str]] = field(default_factory=dict)  # sha1 -> artifact names to forget


def failure_key(specs: Sequence[PreviewSpec]) -> str:
    """A failure is remembered until the file or an extractor changes."""
    return params_key(META_KEY, EMBED_KEY, *(s.key for s in specs))


def plan_images(
    items: dict[str, str],
    specs: Sequence[PreviewSpec],
    cache: str,
    meta: Mapping[str, Meta],
    artifacts: Mapping[tuple[str, str], Artifact],
    failures: Mapping[str, tuple[str, str]],
    max_pixels: int,
) -> Plan:
    """One task per item (sha1 -> a path to read) that lacks valid metadata or a wanted preview."""
    plan = Plan()
    fkey = failure_key(specs)
    names = {s.name for s in specs} | {EMBED_NAME}
    stored: dict[str, list[str]] = {}
    for sha1, name in artifacts:
        stored.setdefault(sha1, []).append(name)
    for sha1, path in items.items():
        failed = failures.get(sha1)
        if failed is not None and failed[0] == fkey:
            plan.cached_failures[sha1] = failed[1]
            continue
        known = meta.get(sha1)
        valid_meta = known is not None and known.key == META_KEY
        fields = known.fields if known is not None else None
        sizes = wanted_sizes(fields["width"], fields["height"], [s.size for s in specs]) if fields else None
        todo = tuple(
            s for s in specs
            if (sizes is None or s.size in sizes) and _stale(artifacts.get((sha1, s.name)), s.key)
        )  # fmt: skip
        embed = _stale(artifacts.get((sha1, EMBED_NAME)), EMBED_KEY)
        if todo or not valid_meta or embed:
            plan.tasks.append(ImageTask(sha1, path, cache, todo, not valid_meta, max_pixels, embed))
        extra = [name for name in stored.get(sha1, ()) if name not in names]
        if extra:
            plan.obsolete[sha1] = extra
    return plan


def _stale(artifact: Artifact | None, key: str) -> bool:
    return artifact is None or artifact.key != key


def run(tasks: Iterable[ImageTask], workers: int, timeout: float) -> Iterator[ImageResult]:
    """Results in completion order; a crashed or stuck worker becomes an error result."""
    for outcome in run_tasks(extract_image, tasks, workers, timeout):
        if outcome.result is not None:
            yield outcome.result
        else:
            yield ImageResult(outcome.task.sha1, None, (), outcome.error)


def artifacts_of(result: ImageResult) -> list[Artifact]:
    made = [
        Artifact(result.sha1, spec.name, spec.key, {"w": w, "h": h, "ext": "jpg"})
        for spec, w, h in result.previews
    ]
    if result.embedding is not None:
        made.append(Artifact(result.sha1, EMBED_NAME, EMBED_KEY, result.embedding))
    return made
