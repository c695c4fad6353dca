"""hgsite.config: defaults, validation that reports every problem at once, and path resolution."""

from __future__ import annotations

from pathlib import Path

import pytest

from hgsite.config import (
    CONFIG_NAME,
    DEFAULT_EXCLUDE,
    LimitSettings,
    Overrides,
    PreviewSettings,
    PrivacySettings,
    load_config,
)
from hgsite.errors import ConfigError, HgsiteError


def write_config(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / CONFIG_NAME
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(config_file: Path | None = None, overrides: Overrides | None = None) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_config(config_file, overrides)
    return caught.value.problems


def test_defaults_without_a_config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    config = load_config()
    root = tmp_path.resolve()
    assert config.project == root
    assert config.sources == (root,)
    assert config.output == root / "site"
    assert config.cache == root / ".hgsite"
    assert config.events == root / "events.ndjson"
    assert config.title == "Gallery"
    assert config.exclude == DEFAULT_EXCLUDE
    assert config.include_hidden is False
    assert config.jobs == 0
    assert config.workers >= 1
    assert config.strict is False
    assert config.previews == PreviewSettings(sizes=(320, 720, 1920), quality=82)
    assert config.limits == LimitSettings(max_megapixels=180.0, timeout=120.0)
    assert config.privacy == PrivacySettings(strip_locations=False, include_paths=True)


def test_config_file_in_cwd_is_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_config(tmp_path, 'title = "Found"\n')
    monkeypatch.chdir(tmp_path)
    assert load_config().title == "Found"


VALID = """
title = "Trip"
sources = ["photos", "more"]
output = "public"
cache = "cachedir"
exclude = ["*.raw", "private"]
include_hidden = true
jobs = 3
strict = true

[previews]
sizes = [256, 1024]
quality = 90

[limits]
max_megapixels = 50
timeout = 30.5

[privacy]
strip_locations = true
include_paths = false
"""


def test_valid_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "proj"
    (project / "photos").mkdir(parents=True)
    (project / "more").mkdir()
    path = write_config(project, VALID)
    monkeypatch.chdir(tmp_path)
    config = load_config(path)
    root = project.resolve()
    assert config.project == root
    assert config.title == "Trip"
    assert config.sources == (root / "photos", root / "more")
    assert config.output == root / "public"
    assert config.cache == root / "cachedir"
    assert config.exclude == ("*.raw", "private")
    assert config.include_hidden is True
    assert config.jobs == 3
    assert config.workers == 3
    assert config.strict is True
    assert config.previews == PreviewSettings(sizes=(256, 1024), quality=90)
    assert config.limits == LimitSettings(max_megapixels=50.0, timeout=30.5)
    assert isinstance(config.limits.max_megapixels, float)
    assert config.privacy == PrivacySettings(strip_locations=True, include_paths=False)


def test_partial_section_keeps_other_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_config(tmp_path, "[previews]\nquality = 70\nprogressive = true\n")
    monkeypatch.chdir(tmp_path)
    config = load_config(path)
    assert config.previews == PreviewSettings(sizes=(320, 720, 1920), quality=70, progressive=True)
    assert config.limits == LimitSettings()


def test_unknown_keys_are_reported_together_with_suggestions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_config(
        tmp_path,
        'titel = "x"\n[previews]\nqualty = 80\n[privacy]\nstrip_location = true\n[preview]\nsizes = [320]\n',
    )
    monkeypatch.chdir(tmp_path)
    problems = problems_of(path)
    assert len(problems) == 4, problems
    text = "\n".join(problems)
    assert "unknown key 'titel'" in text and "did you mean 'title'" in text
    assert "unknown key 'previews.qualty'" in text and "did you mean 'previews.quality'" in text
    assert "unknown key 'privacy.strip_location'" in text and "did you mean 'privacy.strip_locations'" in text
    assert "unknown key 'preview'" in text and "did you mean 'previews'" in text
    assert all(str(path) in p for p in problems)


def test_unknown_key_without_close_match_has_no_suggestion(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_config(tmp_path, "zzzzqqq = 1\n")
    monkeypatch.chdir(tmp_path)
    [problem] = problems_of(path)
    assert "unknown key 'zzzzqqq'" in problem
    assert "did you mean" not in problem


def test_wrong_types_are_all_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_config(
        tmp_path,
        'jobs = "two"\ninclude_hidden = "yes"\nexclude = "*.raw"\nsources = ["ok", 3]\n'
        '[previews]\nsizes = "320"\nquality = 82.5\n[privacy]\nstrip_locations = 1\n[limits]\ntimeout = "1"\n',
    )
    monkeypatch.chdir(tmp_path)
    problems = problems_of(path)
    text = "\n".join(problems)
    for key in (
        "'jobs' must be int",
        "'include_hidden' must be bool",
        "'exclude' must be a list of str",
        "'sources' must be a list of str",
        "'previews.sizes' must be a list of int",
        "'previews.quality' must be int",
        "'privacy.strip_locations' must be bool",
        "'limits.timeout' must be float",
    ):
        assert key in text, (key, problems)
    assert len(problems) == 8, problems


def test_bool_is_not_an_int(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_config(tmp_path, "jobs = true\n")
    monkeypatch.chdir(tmp_path)
    [problem] = problems_of(path)
    assert "'jobs' must be int" in problem


def test_section_that_is_not_a_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_config(tmp_path, "previews = 5\n")
    monkeypatch.chdir(tmp_path)
    [problem] = problems_of(path)
    assert "'previews' must be a table" in problem


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        ("[previews]\nquality = 0\n", ["previews.quality"]),
        ("[previews]\nquality = 101\n", ["previews.quality"]),
        ("[previews]\nsizes = []\n", ["previews.sizes"]),
        ("[previews]\nsizes = [320, 10]\n", ["previews.sizes"]),
        ("[previews]\nsizes = []\nquality = 0\n", ["previews.sizes", "previews.quality"]),
        ("[limits]\ntimeout = 0\n", ["limits.timeout"]),
        ("[limits]\nmax_megapixels = -1\n", ["limits.max_megapixels"]),
        ("jobs = -1\n", ["'jobs' must be 0"]),
    ],
)
def test_ranges(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, toml: str, expected: list[str]) -> None:
    path = write_config(tmp_path, toml)
    monkeypatch.chdir(tmp_path)
    problems = problems_of(path)
    assert len(problems) == len(expected), problems
    for word, problem in zip(expected, problems, strict=True):
        assert word in problem


@pytest.mark.parametrize("toml", ["[limits]\ntimeout = nan\n", "[limits]\nmax_megapixels = nan\n",
                                  "[limits]\nmax_megapixels = inf\n"])  # fmt: skip
def test_non_finite_limits_are_rejected(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, toml: str) -> None:
    path = write_config(tmp_path, toml)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError):
        load_config(path)


def test_type_and_unknown_key_problems_come_together(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_config(tmp_path, 'jobs = "x"\nbogus = 1\n[previews]\nquality = 0\n')
    monkeypatch.chdir(tmp_path)
    problems = problems_of(path)
    assert len(problems) == 3, problems
    assert "; " in str(ConfigError(problems))


def test_cli_overrides_resolve_against_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "proj"
    (project / "photos").mkdir(parents=True)
    path = write_config(project, 'sources = ["photos"]\noutput = "public"\njobs = 2\n')
    cwd = tmp_path / "elsewhere"
    (cwd / "mine").mkdir(parents=True)
    monkeypatch.chdir(cwd)

    from_file = load_config(path)
    assert from_file.sources == ((project / "photos").resolve(),)
    assert from_file.output == (project / "public").resolve()

    config = load_config(path, Overrides(sources=("mine",), output="out", jobs=5, strict=True))
    assert config.sources == ((cwd / "mine").resolve(),)
    assert config.output == (cwd / "out").resolve()
    assert config.project == project.resolve()
    assert config.cache == (project / ".hgsite").resolve()
    assert config.jobs == 5
    assert config.strict is True


def test_cli_sources_without_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    monkeypatch.chdir(tmp_path)
    config = load_config(None, Overrides(sources=("a", str(tmp_path / "b"))))
    assert config.sources == ((tmp_path / "a").resolve(), (tmp_path / "b").resolve())
    assert config.output == tmp_path.resolve() / "site"


def test_missing_source_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_config(tmp_path, 'sources = ["nope"]\n')
    (tmp_path / "afile").write_text("x")
    monkeypatch.chdir(tmp_path)
    [problem] = problems_of(path)
    assert str((tmp_path / "nope").resolve()) in problem
    assert "does not exist" in problem
    [problem] = problems_of(None, Overrides(sources=("afile",)))
    assert "afile" in problem


def test_missing_config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    [problem] = problems_of(tmp_path / "absent.toml")
    assert "absent.toml" in problem and "not found" in problem


def test_invalid_toml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_config(tmp_path, "title = \n")
    monkeypatch.chdir(tmp_path)
    [problem] = problems_of(path)
    assert str(path) in problem


def test_config_error_is_an_hgsite_error() -> None:
    assert issubclass(ConfigError, HgsiteError)


def test_source_inside_the_output_folder_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "site" / "photos").mkdir(parents=True)
    with pytest.raises(ConfigError, match="inside the output folder"):
        load_config(None, Overrides(sources=("site/photos",), output="site"))
