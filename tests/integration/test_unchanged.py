"""A rebuild with nothing changed repeats the last build's outcome; a change to any input builds again.

The shortcut must never leave a gallery stale, so every input of a build has a case here that changes it
and checks that the next build is a real one and shows the change.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

import hgsite
from hgsite import ffmpeg, fingerprint, index, naming, replay, site
from hgsite.build import build
from hgsite.cache.store import Store
from hgsite.commands.xmp import current_tags
from hgsite.config import Config, Overrides, load_config
from hgsite.report import BuildReport
from hgsite.stages import database as database_stage
from hgsite.stages.site import themes
from hgsite.tasks.executor import LocalPool
from hgsite.tasks.model import Result

EVENT = {
    "type": "userAction",
    "id": "e1",
    "date": "2026-01-01T00:00:00Z",
    "targetIds": [],
    "actions": [{"action": "addTag", "value": "from-event"}],
}
KEYWORD_SIDECAR = (
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    '<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:subject><rdf:Bag>'
    "<rdf:li>from-sidecar</rdf:li></rdf:Bag></dc:subject></rdf:Description></rdf:RDF></x:xmpmeta>"
)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    photos = tmp_path / "photos"
    photos.mkdir()
    for name, colour in (("red.jpg", "red"), ("blue.jpg", "blue")):
        Image.new("RGB", (96, 64), colour).save(photos / name)
    (photos / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 not a photo")
    (tmp_path / "hgsite.toml").write_text('title = "Ours"\nsources = ["photos"]\n[previews]\nsizes = [320]\n')
    monkeypatch.chdir(tmp_path)
    return tmp_path


def config() -> Config:
    return load_config(None, Overrides(jobs=1))


def database(project: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(
        gzip.decompress((project / "site/data/database.json.gz").read_bytes())
    )
    return document


def tags(project: Path) -> dict[str, list[str]]:
    return {e["files"][0].rsplit("/", 1)[-1]: e["tags"] for e in database(project)["entries"]}


def dates(project: Path) -> dict[str, str]:
    return {e["files"][0].rsplit("/", 1)[-1]: e["date"] for e in database(project)["entries"]}


def test_a_rebuild_with_nothing_changed_repeats_the_last_outcome(project: Path) -> None:
    first = build(config())
    marker = (project / "site" / site.MARKER).stat().st_mtime_ns
    second = build(config())
    assert not first.replayed and second.replayed
    assert set(second.seconds) == {"index", "inputs"}, "nothing after the index ran"
    assert (second.entries, second.database_bytes, second.files) == (first.entries, first.database_bytes, 3)
    assert second.failures == first.failures and [f.path for f in second.failures] == ["photos/broken.jpg"]
    assert second.warnings == first.warnings
    assert (project / "site" / site.MARKER).stat().st_mtime_ns == marker, "the site is left alone"
    assert build(config()).replayed


def touch(path: Path) -> None:
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))


def new_photo(project: Path) -> None:
    Image.new("RGB", (96, 64), "green").save(project / "photos" / "green.jpg")


def edit_photo(project: Path) -> None:
    Image.new("RGB", (96, 64), "yellow").save(project / "photos" / "red.jpg")


def add_sidecar(project: Path) -> None:
    (project / "photos" / "red.jpg.xmp").write_text(KEYWORD_SIDECAR)


def change_title(project: Path) -> None:
    toml = project / "hgsite.toml"
    toml.write_text(toml.read_text().replace("Ours", "Theirs"))


def add_event(project: Path) -> None:
    sha1 = next(iter(current_tags(config())))[0].sha1
    (project / "events.ndjson").write_text(json.dumps({**EVENT, "targetIds": [sha1]}) + "\n")


def new_key(project: Path) -> None:
    (project / "hgsite.key").write_text("ab" * 32 + "\n")


def theme_override(project: Path) -> None:
    css = project / "theme" / "assets" / "css" / "extra.css"
    css.parent.mkdir(parents=True)
    css.write_text("body { color: red }\n")


def site_replaced(project: Path) -> None:
    (project / "site" / site.MARKER).write_text("someone else's\n")


def site_deleted(project: Path) -> None:
    shutil.rmtree(project / "site")


# Each change, and what the rebuilt site shows of it.
CHANGES: dict[str, tuple[Callable[[Path], None], Callable[[Path], bool]]] = {
    "new photo": (new_photo, lambda p: "green.jpg" in tags(p)),
    "deleted photo": (lambda p: (p / "photos" / "blue.jpg").unlink(), lambda p: "blue.jpg" not in tags(p)),
    "edited photo": (edit_photo, lambda p: len(database(p)["entries"]) == 2),
    "touched photo": (
        lambda p: touch(p / "photos" / "red.jpg"),
        lambda p: dates(p)["red.jpg"] != dates(p)["blue.jpg"],
    ),
    "sidecar": (add_sidecar, lambda p: tags(p)["red.jpg"] == ["from-sidecar"]),
    "settings": (change_title, lambda p: "<title>Theirs</title>" in (p / "site/index.html").read_text()),
    "events file": (add_event, lambda p: any("from-event" in t for t in tags(p).values())),
    "naming key": (new_key, lambda p: database(p)["gallery"] == naming.gallery_id(bytes.fromhex("ab" * 32))),
    "theme": (theme_override, lambda p: (p / "site/assets/css/extra.css").is_file()),
    "site replaced": (site_replaced, lambda p: (p / "site" / site.MARKER).read_text() != "someone else's\n"),
    "site deleted": (site_deleted, lambda p: (p / "site/index.html").is_file()),
}


@pytest.mark.parametrize("change", CHANGES)
def test_any_changed_input_builds_again(project: Path, change: str) -> None:
    apply, shows = CHANGES[change]
    build(config())
    assert build(config()).replayed
    before = (project / "site/data/database.json.gz").read_bytes() if (project / "site").exists() else b""
    apply(project)
    rebuilt = build(config())
    assert not rebuilt.replayed, f"{change}: the build must not repeat the last one"
    assert shows(project), f"{change}: the site does not show it"
    if change not in ("theme", "settings", "site replaced", "site deleted"):
        assert (project / "site/data/database.json.gz").read_bytes() != before
    assert build(config()).replayed, "and then the next one has nothing to do again"


def test_the_time_zone_is_an_input(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Photos without a recorded time are dated by their modification time, in local time."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    try:
        build(config())
        assert build(config()).replayed
        monkeypatch.setenv("TZ", "Asia/Tokyo")
        time.tzset()
        assert not build(config()).replayed
        assert all(e["date"].endswith("+09:00") for e in database(project)["entries"])
    finally:
        monkeypatch.undo()
        time.tzset()


def test_a_build_that_did_not_finish_is_never_repeated(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(config())
    photo = project / "photos" / "red.jpg"
    stamp = photo.stat()
    touch(photo)

    def killed(*args: Any, **kwargs: Any) -> Any:
        raise KeyboardInterrupt

    with monkeypatch.context() as patched:
        patched.setattr(database_stage, "run", killed)
        with pytest.raises(KeyboardInterrupt):
            build(config())
    os.utime(photo, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))  # the inputs of the complete build again
    assert not build(config()).replayed


def test_a_failure_that_may_pass_next_time_is_tried_again(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = LocalPool.run

    def one_times_out(*args: Any) -> Iterator[Result]:
        results = list(run(*args))
        yield Result(results[0].sha1, error="timed out after 120 s", transient=True)
        yield from results[1:]

    with monkeypatch.context() as patched:
        patched.setattr(LocalPool, "run", one_times_out)
        first = build(config())
    assert first.unfinished == 1
    second = build(config())
    assert not second.replayed and second.extracted == 1, "the timed-out photo is read again"
    assert build(config()).replayed


def test_a_served_build_is_never_repeated(project: Path) -> None:
    build(config())
    served = build(config(), serving=site.Serving(("sha256-x",)))
    assert not served.replayed and served.bundle is not None, "serve needs the bundle to write themes"
    assert not build(config()).replayed, "the served site is not the built one"


# -- the digest itself: inputs that a project cannot change from inside a test ----------------------
def digest(project: Path, scan: index.Scan | None = None) -> str:
    settings = config()
    found = scan or index.scan(settings.sources, {})
    return fingerprint.inputs(settings, found, b"k" * 16, themes(settings))


def test_hgsite_and_its_libraries_are_inputs(
    project: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = digest(project)
    assert digest(project) == before
    monkeypatch.setattr(hgsite, "__version__", "99.0")
    assert digest(project) != before
    monkeypatch.undo()
    versions = fingerprint.importlib.metadata.version
    monkeypatch.setattr(
        fingerprint.importlib.metadata,
        "version",
        lambda name: "0.0.1" if name == "Pillow" else versions(name),
    )
    assert digest(project) != before
    monkeypatch.undo()
    package = tmp_path_factory.mktemp("package") / "hgsite"
    shutil.copytree(Path(hgsite.__file__).parent, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(hgsite, "__file__", str(package / "__init__.py"))
    copied = digest(project)
    touch(package / "database.py")  # an edited checkout
    assert digest(project) != copied


def test_the_ffmpeg_programs_are_inputs_when_there_are_videos(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    photos_only = index.scan(config().sources, {})
    (project / "photos" / "clip.mp4").write_bytes(b"not really a video")
    with_video = index.scan(config().sources, {})
    before = (digest(project, photos_only), digest(project, with_video))
    monkeypatch.setattr(ffmpeg, "programs", lambda configured="": [("/nowhere/ffmpeg", "system")])
    assert digest(project, photos_only) == before[0], "no videos: ffmpeg does not matter"
    assert digest(project, with_video) != before[1]


def test_a_report_of_another_version_is_not_trusted(project: Path) -> None:
    first: BuildReport = build(config())
    store = Store(project / ".hgsite")
    try:
        store.set_state(replay._row(config()), '{"inputs": 1}')
    finally:
        store.close()
    assert not build(config()).replayed and first.entries == 2
