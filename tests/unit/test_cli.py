"""The command line's own output: the build summary."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from hgsite import cli
from hgsite.report import BuildReport, Failure


def report() -> BuildReport:
    return BuildReport(
        Path("site"), files=3, entries=2, seconds={"index": 0.5, "similar": 0.125, "site": 1.0}
    )


def test_verbose_summary_lists_the_seconds_of_each_stage(capsys: pytest.CaptureFixture[str]) -> None:
    cli._summarise(report(), quiet=False, verbose=1)
    lines = capsys.readouterr().err.splitlines()
    assert "hgsite: seconds by stage: index 0.50, similar 0.12, site 1.00" in lines
    assert lines[-1].startswith("hgsite: 2 items from 3 files") and "in 1.6 s" in lines[-1]


def test_plain_summary_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    cli._summarise(report(), quiet=False, verbose=0)
    assert len(capsys.readouterr().err.splitlines()) == 1


def test_summary_says_when_nothing_changed(capsys: pytest.CaptureFixture[str]) -> None:
    done = report()
    cli._summarise(done, quiet=False, verbose=0)
    assert "nothing changed" not in capsys.readouterr().err
    done.replayed = True
    cli._summarise(done, quiet=False, verbose=0)
    assert "; nothing changed since the last build; site unchanged: site" in capsys.readouterr().err


EVENT = (
    '{"type": "userAction", "id": "e1", "date": "2026-01-01T00:00:00Z", "targetIds": ["a"], '
    '"actions": [{"action": "addTag", "value": "x"}]}\n'
)


def test_import_outside_a_project_refuses_in_one_line_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    export = tmp_path / "export.ndjson"
    export.write_text(EVENT)
    elsewhere = tmp_path / "Downloads"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert cli.main(["import", str(export)]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1 and "is not an hgsite project" in lines[0]
    assert list(elsewhere.iterdir()) == [], "no stray events.ndjson, no cache folder"


@pytest.mark.parametrize("marker", ["hgsite.toml", "events.ndjson", ".hgsite/hgsite.sqlite", "hgsite.key"])
def test_import_in_a_project_imports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], marker: str
) -> None:
    from hgsite.cache.layout import index_file

    assert index_file(tmp_path / ".hgsite").name == "hgsite.sqlite"
    (tmp_path / marker).parent.mkdir(exist_ok=True)
    (tmp_path / marker).write_text("")
    export = tmp_path / "export.ndjson"
    export.write_text(EVENT)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["import", "export.ndjson"]) == 0
    assert (
        "hgsite: imported 1 new event into events.ndjson (0 already there, 0 bad lines skipped, 0 conflicts)"
        in (capsys.readouterr().err.splitlines())
    )
    assert "e1" in (tmp_path / "events.ndjson").read_text()


def test_import_of_a_photo_says_so_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "hgsite.toml").write_text("")
    photo = Path(__file__).parents[2] / "content-example" / "photos" / "city" / "FujiFilm_DS-7_2.jpg"
    monkeypatch.chdir(tmp_path)
    assert cli.main(["import", str(photo)]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == f"hgsite: {photo}: not an ndjson event file (binary data); file skipped"
    assert len(lines) == 2 and "1 file skipped" in lines[1]
    assert not (tmp_path / "events.ndjson").exists()


def test_many_bad_lines_are_summarised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "hgsite.toml").write_text("")
    export = tmp_path / "export.ndjson"
    export.write_text(EVENT + '{"type": "userAction"}\n' * 40)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["import", "export.ndjson"]) == 0
    lines = capsys.readouterr().err.splitlines()
    assert [line.split(":")[1] for line in lines[:5]] == [f" export.ndjson line {n}" for n in range(2, 7)]
    assert lines[5] == "hgsite: export.ndjson: ... and 35 more bad lines skipped (-v lists all)"
    assert len(lines) == 7 and "40 bad lines skipped" in lines[6]
    assert cli.main(["import", "-v", "export.ndjson"]) == 0
    assert sum("line skipped" in line for line in capsys.readouterr().err.splitlines()) == 40


def test_duplicates_never_claim_more_than_the_same_picture(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    groups = [0.996, 1.0, 0.9349]
    near = [{"similarity": s, "items": [{"files": ["a.jpg"]}, {"files": ["b.jpg"]}]} for s in groups]
    report = {"threshold": 0.85, "near": near, "exact": []}
    monkeypatch.setattr(cli, "duplicates_report", lambda cache: report)
    assert cli.main(["duplicates"]) == 0
    heads = [line for line in capsys.readouterr().out.splitlines() if line.startswith("near")]
    assert heads == [
        "near-duplicates 1: 2 items, similarity 0.99 or more",
        "near-duplicates 2: 2 items, the same picture (similarity 1.00)",
        "near-duplicates 3: 2 items, similarity 0.93 or more",
    ]


def test_files_not_shown_are_counted_by_reason_and_named_with_v(capsys: pytest.CaptureFixture[str]) -> None:
    done = report()
    done.not_shown = [
        Failure("p/a.NEF", "RAW photo, not supported yet"),
        Failure("p/b.nef", "RAW photo, not supported yet"),
        Failure("p/c.cr2", "RAW photo, not supported yet"),
        Failure("p/notes", "not a photo or video type hgsite reads"),
    ]
    cli._summarise(done, quiet=False, verbose=0)
    lines = capsys.readouterr().err.splitlines()
    assert lines[:2] == [
        "hgsite: not shown: 3 files (.nef 2, .cr2 1): RAW photo, not supported yet (-v names them)",
        "hgsite: not shown: 1 file (no extension 1): not a photo or video type hgsite reads (-v names them)",
    ]
    assert "; 4 other files not shown) in" in lines[2]
    cli._summarise(done, quiet=False, verbose=1)
    lines = capsys.readouterr().err.splitlines()
    assert "hgsite: not shown p/a.NEF: RAW photo, not supported yet" in lines
    assert "hgsite: not shown p/notes: not a photo or video type hgsite reads" in lines
    cli._summarise(done, quiet=True, verbose=1)
    assert capsys.readouterr().err == ""


def test_progress_bars_have_a_total_except_the_walk(capsys: pytest.CaptureFixture[str]) -> None:
    progress = cli._progress_factory(True)
    with progress("hash", 0) as step:
        step(0)
    assert capsys.readouterr().err == "", "nothing to hash: no bar"
    with progress("hash", 5) as step:
        step(1)
    err = capsys.readouterr().err
    assert "hashing:   0%" in err and " 0/5 " in err
    with progress("walk", 0) as step:
        step(3)
    assert "finding photos: 0 files [00:00" in capsys.readouterr().err, "the walk counts up, with no total"


def test_serve_says_what_it_does_and_repeats_no_line_on_rebuilds(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    import logging

    from hgsite import serve

    calls: list[object] = []

    def fake_serve(load: object, port: int, host: str, on_build: Any, progress: object) -> None:
        calls.append(progress)
        for _ in range(3):  # the first build and two rebuilds
            logging.getLogger("hgsite.stages.videos").info("hgsite: 2 videos: ffmpeg 7.1 (system)")
            logging.getLogger("hgsite.stages.places").info("a line of the build")
            on_build(report(), None)

    monkeypatch.setattr(serve, "serve", fake_serve)
    monkeypatch.chdir(tmp_path)
    caplog.set_level(logging.INFO)
    assert cli.main(["serve", "-p", "8123"]) == 0
    lines = capsys.readouterr().err.splitlines()
    assert (
        lines[0].startswith("hgsite: building ") and "then serving it on http://127.0.0.1:8123/" in lines[0]
    )
    ours = [line for line in lines if "ffmpeg" not in line and "a line of" not in line]
    assert ours[1].startswith("hgsite: 2 items from 3 files"), "the first build's summary"
    assert ours[2] == f"hgsite: serving {tmp_path / 'site'} on http://127.0.0.1:8123/ (Ctrl-C stops)"
    assert sum("serving" in line for line in ours) == 2 and len(ours) == 6
    said = [r.getMessage() for r in caplog.records if r.name.startswith("hgsite.stages")]
    assert said == ["hgsite: 2 videos: ffmpeg 7.1 (system)", "a line of the build"], "each line once"
    assert len(calls) == 1 and callable(calls[0]), "the builds get a progress factory"


def test_nothing_found_in_the_default_folder_says_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli.main(["build"]) == 1
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"hgsite: error: nothing to show (no photos found in {tmp_path}); site not written; "
        "give the folders with your photos once: hgsite build ~/Pictures"
    )
    assert cli.main(["xmp", "--out", str(tmp_path.parent / "sidecars")]) == 1
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"hgsite: error: no photos found in {tmp_path}; run it in the gallery's folder, or give the "
        "folders: hgsite xmp ~/Pictures ..."
    )
    (tmp_path / "empty").mkdir()
    (tmp_path / "hgsite.toml").write_text('sources = ["empty"]\n')
    assert cli.main(["build"]) == 1
    assert capsys.readouterr().err.splitlines()[-1].endswith("site not written"), "folders named: no hint"


def test_serve_remembers_its_folders_after_the_first_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from hgsite import serve

    def fake_serve(load: object, port: int, host: str, on_build: Any, progress: object) -> None:
        on_build(None, "a broken config")
        assert not (tmp_path / "gallery" / "hgsite.toml").exists(), "nothing built yet: nothing remembered"
        on_build(report(), None)

    monkeypatch.setattr(serve, "serve", fake_serve)
    (tmp_path / "Pictures").mkdir()
    (tmp_path / "gallery").mkdir()
    monkeypatch.chdir(tmp_path / "gallery")
    assert cli.main(["serve", "../Pictures"]) == 0
    assert f'sources = ["{tmp_path / "Pictures"}"]' in (tmp_path / "gallery" / "hgsite.toml").read_text()
    assert "hgsite: remembered the sources in" in capsys.readouterr().err
