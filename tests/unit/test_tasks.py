"""The task model: a new artifact kind plugs in through the registry alone; results are recorded by one
coordinator; a lost worker's failure is tried again, a bad file's is remembered."""

from __future__ import annotations

import pickle
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from hgsite import kinds
from hgsite.cache.store import Artifact, Store
from hgsite.config import Config, Overrides, load_config
from hgsite.extract import images as images_source
from hgsite.index import FileRecord
from hgsite.report import BuildReport, silent
from hgsite.tasks import coordinator, executor
from hgsite.tasks.coordinator import Recorder
from hgsite.tasks.executor import LocalPool
from hgsite.tasks.frames import Frames
from hgsite.tasks.model import Limits, Result, Task, Want
from hgsite.tasks.planner import Stored, plan
from hgsite.tasks.run import run_task
from hgsite.workers import Outcome

SHA = "7a5c" + "0" * 36


class AverageColour:
    """A kind as a new per-item output would be one: the mean colour of the picture, from its frames."""

    name = "colour"
    sources: tuple[str, ...] = ("image",)
    leads = False
    version = 1

    def wants(self, config: Config) -> tuple[Want, ...]:
        return (Want(self.name, "colour", "c1"),)

    def stale(
        self,
        sha1: str,
        wants: Sequence[Want],
        fields: Mapping[str, Any] | None,
        artifacts: Mapping[tuple[str, str], Artifact],
    ) -> list[Want]:
        return [want for want in wants if (sha1, want.name) not in artifacts]

    def need(self, width: int, height: int, wants: Sequence[Want]) -> int:
        return 64

    def make(self, frames: Frames, wants: Sequence[Want], task: Task) -> list[Artifact]:
        frame = frames.smallest(1)
        colour = frame.convert("RGB").resize((1, 1), Image.Resampling.BOX).getpixel((0, 0))
        info = {"rgb": list(colour), "from": list(frame.size)}  # type: ignore[arg-type]
        return [Artifact(task.sha1, want.name, want.key, info) for want in wants]


@pytest.fixture
def registered(monkeypatch: pytest.MonkeyPatch) -> AverageColour:
    kind = AverageColour()
    monkeypatch.setattr(kinds, "KINDS", (*kinds.KINDS, kind))
    monkeypatch.setattr(kinds, "BY_NAME", {**kinds.BY_NAME, kind.name: kind})
    return kind


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Config:
    monkeypatch.chdir(tmp_path)  # the project, and so its cache, is the current folder
    (tmp_path / "photos").mkdir()
    Image.new("RGB", (800, 400), (200, 40, 10)).save(tmp_path / "photos" / "red.jpg", quality=95)
    return load_config(None, Overrides(sources=(str(tmp_path / "photos"),), output=str(tmp_path / "site")))


def test_a_registered_kind_is_planned_and_made_from_the_one_decode(
    registered: AverageColour, config: Config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wants = kinds.wanted(config, "image")
    assert [want.kind for want in wants] == ["preview"] * 3 + ["embedding", "colour"]
    path = str(tmp_path / "photos" / "red.jpg")
    made = plan({SHA: path}, "image", wants, Stored({}, {}, {}), str(config.cache), Limits(10**8, 60))
    (task,) = made.tasks
    assert task.meta and task.wants == wants
    opened: list[str] = []
    real_open = images_source.Image.open
    monkeypatch.setattr(images_source.Image, "open", lambda p, *a, **k: (opened.append(p), real_open(p))[1])
    result = run_task(pickle.loads(pickle.dumps(task)))  # plain data, as it crosses to a worker
    assert result.error is None and opened == [path]
    colour = next(artifact for artifact in result.artifacts if artifact.name == "colour")
    red, green, blue = colour.info["rgb"]
    assert red > 180 and green < 70 and blue < 50
    assert colour.info["from"] == [320, 160], "the smallest frame the previews made"
    artifacts = {(SHA, artifact.name): artifact for artifact in result.artifacts}
    again = plan({SHA: path}, "image", wants, Stored({}, artifacts, {}), str(config.cache), Limits(10**8, 60))
    assert [want.kind for want in again.tasks[0].wants] == [], "only the metadata is missing now"


def test_a_kind_alone_decodes_at_its_own_size(
    registered: AverageColour, config: Config, tmp_path: Path
) -> None:
    task = Task(
        SHA, str(tmp_path / "photos" / "red.jpg"), str(config.cache), "image", False, (Want("colour", "colour", "c1"),),
        Limits(10**8, 60),
    )  # fmt: skip
    result = run_task(task)
    assert result.meta is None and [a.info["from"] for a in result.artifacts] == [[64, 32]]


def test_results_are_recorded_and_a_lost_worker_is_tried_again(
    config: Config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker that crashed or hung says nothing about the file: not remembered, and counted as
    unfinished; a file that cannot be decoded is remembered until it or the extractor changes."""
    broken = tmp_path / "photos" / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff not a jpeg")
    red = str(tmp_path / "photos" / "red.jpg")
    items = {
        "a" * 40: [FileRecord(red, "red.jpg", 1, 0, "a" * 40)],
        "b" * 40: [FileRecord(str(broken), "b.jpg", 1, 0, "b" * 40)],
    }

    def lost_then_real(
        func: Any, tasks: Sequence[Task], workers: int, timeout: float
    ) -> Iterator[Outcome[Task, Result]]:
        for task in tasks:
            if task.sha1 == "a" * 40:
                yield Outcome(task, None, "decoder crashed (SIGSEGV)", lost=True)
            else:
                yield Outcome(task, func(task))

    monkeypatch.setattr(executor, "run_tasks", lost_then_real)
    store = Store(config.cache)
    try:
        report = BuildReport()
        recorder = Recorder(store, items, report)
        paths = {sha1: records[0].path for sha1, records in items.items()}
        wants = kinds.wanted(config, "image")
        coordinator.extract(
            paths,
            "image",
            wants,
            recorder,
            LocalPool(1, 60),
            silent,
            "images",
            config.cache,
            Limits.of(config.limits),
        )
        assert report.unfinished == 1 and len(report.failures) == 2
        assert list(store.load_failures()) == ["b" * 40]
        assert report.failures[1].reason == "not an image format hgsite can read"
    finally:
        store.close()
