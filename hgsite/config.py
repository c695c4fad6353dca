"""Typed, frozen settings. load_config() validates once and reports every problem together."""

from __future__ import annotations

import dataclasses
import difflib
import math
import os
import tomllib
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hgsite.errors import ConfigError

CONFIG_NAME = "hgsite.toml"
DEFAULT_EXCLUDE = ("@eaDir", "#recycle", "#snapshot", "Thumbs.db", "*.part", "*.tmp")


@dataclass(frozen=True)
class PreviewSettings:
    sizes: tuple[int, ...] = (320, 720, 1920)
    quality: int = 82
    # Progressive JPEG for the 720 and 1920 px previews: they draw coarse-to-fine over a slow link and are
    # about 4% smaller, but encoding them takes 5x as long (a fifth of a cold build); docs/benchmarks.md.
    progressive: bool = False


@dataclass(frozen=True)
class LimitSettings:
    max_megapixels: float = 180.0
    timeout: float = 120.0


@dataclass(frozen=True)
class PrivacySettings:
    strip_locations: bool = False
    include_paths: bool = True


@dataclass(frozen=True)
class HostingSettings:
    headers: bool = False  # write _headers (Netlify, Cloudflare Pages) into the site


X264_PRESETS = (
    "ultrafast",
    "superfast",
    "veryfast",
    "faster",
    "fast",
    "medium",
    "slow",
    "slower",
    "veryslow",
)


@dataclass(frozen=True)
class RawSettings:
    # Decode the sensor data of a RAW file that has no embedded preview as large as the largest
    # preview size (0.3-0.4 s of CPU per 24 MP file instead of 0.2 s, see README); off: the small
    # preview is used as it is, and a RAW without any preview is reported.
    decode: bool = False


@dataclass(frozen=True)
class VideoSettings:
    enabled: bool = True  # False (or --no-video): video files are not read and not in the site
    size: int = 720  # short edge of the web copy in pixels (720: 1280x720 landscape, 720x1280 portrait)
    crf: int = 23  # x264 quality: lower is better and larger
    preset: str = "veryfast"  # x264 speed preset
    max_bitrate: int = 2500  # cap of the video bitrate in kbit/s
    audio_bitrate: int = 128  # AAC bitrate in kbit/s; 0 leaves the sound out
    ffmpeg: str = ""  # path of the ffmpeg program; empty: ffmpeg on PATH, else the one of imageio-ffmpeg


@dataclass(frozen=True)
class ClusterSettings:
    scheduler: str = ""  # a Dask scheduler (tcp://host:8786): the per-item work runs on its workers
    paths: dict[str, str] = field(default_factory=dict)  # a folder here -> the same folder on the workers
    batch: int = 200  # the most files a worker gets at once


@dataclass(frozen=True)
class Config:
    """Everything a build needs to know, with paths already resolved."""

    project: Path
    sources: tuple[Path, ...]
    output: Path
    cache: Path
    title: str = "Gallery"
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    include_hidden: bool = False
    theme: str = "default"  # an installed theme's name, or a folder relative to the project
    theme_overrides: str = "theme"  # a project folder whose templates/ and assets/ replace the theme's
    jobs: int = 0
    strict: bool = False
    query: str | None = None  # build only the items this search finds (command line: --query)
    previews: PreviewSettings = field(default_factory=PreviewSettings)
    limits: LimitSettings = field(default_factory=LimitSettings)
    privacy: PrivacySettings = field(default_factory=PrivacySettings)
    hosting: HostingSettings = field(default_factory=HostingSettings)
    video: VideoSettings = field(default_factory=VideoSettings)
    raw: RawSettings = field(default_factory=RawSettings)
    cluster: ClusterSettings = field(default_factory=ClusterSettings)

    @property
    def events(self) -> Path:
        return self.project / "events.ndjson"

    @property
    def workers(self) -> int:
        return self.jobs if self.jobs > 0 else max(1, os.cpu_count() or 1)


# Keys a user may write in hgsite.toml: top-level scalars plus one table per settings section.
_PATH_KEYS = ("sources", "output", "cache")
_SECTIONS: dict[str, type[Any]] = {
    "previews": PreviewSettings,
    "limits": LimitSettings,
    "privacy": PrivacySettings,
    "hosting": HostingSettings,
    "video": VideoSettings,
    "raw": RawSettings,
    "cluster": ClusterSettings,
}
_SCALARS = ("title", "exclude", "include_hidden", "theme", "theme_overrides", "jobs", "strict")


@dataclass(frozen=True)
class Overrides:
    """What the command line may set; None means "not given"."""

    sources: tuple[str, ...] = ()
    output: str | None = None
    jobs: int | None = None
    strict: bool | None = None
    no_video: bool = False
    query: str | None = None
    cluster: str | None = None


def load_config(config_file: Path | None = None, overrides: Overrides | None = None) -> Config:
    """Read hgsite.toml (optional), apply command-line overrides, and validate everything at once."""
    overrides = overrides or Overrides()
    cwd = Path.cwd()
    if config_file is None and (cwd / CONFIG_NAME).is_file():
        config_file = cwd / CONFIG_NAME
    raw: dict[str, Any] = {}
    where = "command line"
    if config_file is not None:
        raw = _read_toml(config_file)
        where = str(config_file)
    project = (config_file.parent if config_file is not None else cwd).resolve()
    problems: list[str] = []
    values = _check_keys(raw, where, problems)
    config = _assemble(values, project, cwd, overrides, where, problems)
    if problems or config is None:
        raise ConfigError(problems)
    return config


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError([f"{path}: config file not found"]) from None
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError([f"{path}: {error}"]) from None


def _suggest(key: str, valid: typing.Iterable[str], prefix: str = "") -> str:
    close = difflib.get_close_matches(key, list(valid), n=1)
    return f" (did you mean '{prefix}{close[0]}'?)" if close else ""


def _check_keys(raw: dict[str, Any], where: str, problems: list[str]) -> dict[str, Any]:
    """Type-check every key against the dataclass annotations; collect problems instead of raising."""
    top_valid = (*_PATH_KEYS, *_SCALARS, *_SECTIONS)
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in top_valid:
            problems.append(f"{where}: unknown key '{key}'{_suggest(key, top_valid)}")
        elif key in _SECTIONS:
            values[key] = _check_section(key, value, _SECTIONS[key], where, problems)
        elif key in _PATH_KEYS:
            values[key] = _check_value(
                key, value, tuple[str, ...] if key == "sources" else str, where, problems
            )
        else:
            values[key] = _check_value(key, value, _field_types(Config)[key], where, problems)
    return values


def _check_section(name: str, table: Any, cls: type[Any], where: str, problems: list[str]) -> Any:
    if not isinstance(table, dict):
        problems.append(f"{where}: '{name}' must be a table ([{name}])")
        return cls()
    types_ = _field_types(cls)
    checked: dict[str, Any] = {}
    for key, value in table.items():
        if key not in types_:
            problems.append(f"{where}: unknown key '{name}.{key}'{_suggest(key, types_, name + '.')}")
            continue
        result = _check_value(f"{name}.{key}", value, types_[key], where, problems)
        if result is not None:
            checked[key] = result
    section = cls(**checked)
    _check_ranges(name, section, where, problems)
    return section


def _field_types(cls: type[Any]) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    return {f.name: hints[f.name] for f in dataclasses.fields(cls)}


def _check_value(key: str, value: Any, expected: Any, where: str, problems: list[str]) -> Any:
    origin = typing.get_origin(expected)
    if origin is tuple:
        item_type = typing.get_args(expected)[0]
        if isinstance(value, list) and all(_is_type(v, item_type) for v in value):
            return tuple(value)
        problems.append(f"{where}: '{key}' must be a list of {item_type.__name__}, got {value!r}")
        return None
    if origin is dict:
        if isinstance(value, dict) and all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            return dict(value)
        problems.append(f"{where}: '{key}' must be a table of strings, got {value!r}")
        return None
    if origin in (typing.Union, types.UnionType):
        expected = next(t for t in typing.get_args(expected) if t is not type(None))
    if _is_type(value, expected):
        return float(value) if expected is float else value
    problems.append(f"{where}: '{key}' must be {expected.__name__}, got {value!r}")
    return None


def _is_type(value: Any, expected: type[Any]) -> bool:
    if expected is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if expected is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, expected)


def _check_ranges(name: str, section: Any, where: str, problems: list[str]) -> None:
    if isinstance(section, PreviewSettings):
        if not section.sizes or any(not 16 <= s <= 8192 for s in section.sizes):
            problems.append(f"{where}: 'previews.sizes' must be 1 or more sizes between 16 and 8192")
        if not 1 <= section.quality <= 100:
            problems.append(f"{where}: 'previews.quality' must be between 1 and 100")
    if isinstance(section, VideoSettings):
        _check_video(section, where, problems)
    if isinstance(section, ClusterSettings):
        _check_cluster(section, where, problems)
    limits = (section.max_megapixels, section.timeout) if isinstance(section, LimitSettings) else ()
    if any(not math.isfinite(value) or value <= 0 for value in limits):
        problems.append(f"{where}: '{name}.max_megapixels' and '{name}.timeout' must be positive")


def _check_cluster(cluster: ClusterSettings, where: str, problems: list[str]) -> None:
    if cluster.scheduler and "://" not in cluster.scheduler:
        problems.append(f"{where}: 'cluster.scheduler' must be an address such as tcp://nas:8786")
    if not 1 <= cluster.batch <= 10_000:
        problems.append(f"{where}: 'cluster.batch' must be between 1 and 10000 (files a worker gets at once)")
    relative = [folder for folder in cluster.paths if not Path(folder).is_absolute()]
    if relative:
        problems.append(f"{where}: 'cluster.paths' maps absolute folders; not: {', '.join(relative)}")


def _check_video(video: VideoSettings, where: str, problems: list[str]) -> None:
    if not 144 <= video.size <= 4320:
        problems.append(f"{where}: 'video.size' must be between 144 and 4320 (pixels of the short edge)")
    if not 0 <= video.crf <= 51:
        problems.append(f"{where}: 'video.crf' must be between 0 and 51")
    if video.preset not in X264_PRESETS:
        hint = _suggest(video.preset, X264_PRESETS)
        problems.append(f"{where}: 'video.preset' must be one of {', '.join(X264_PRESETS)}{hint}")
    if not 100 <= video.max_bitrate <= 200_000:
        problems.append(f"{where}: 'video.max_bitrate' must be between 100 and 200000 (kbit/s)")
    if video.audio_bitrate != 0 and not 32 <= video.audio_bitrate <= 512:
        problems.append(f"{where}: 'video.audio_bitrate' must be 0 (no sound) or between 32 and 512 (kbit/s)")


def _assemble(
    values: dict[str, Any], project: Path, cwd: Path, overrides: Overrides, where: str, problems: list[str]
) -> Config | None:
    if overrides.sources:
        sources = tuple((cwd / s).resolve() for s in overrides.sources)
    elif values.get("sources"):
        sources = tuple((project / s).resolve() for s in values["sources"])
    else:
        sources = (project,)
    for source in sources:
        if not source.is_dir():
            problems.append(f"{where}: source folder {source} does not exist or is not a folder")
    output_value = overrides.output if overrides.output is not None else values.get("output") or "site"
    output_base = cwd if overrides.output is not None else project
    output = (output_base / output_value).resolve()
    for source in sources:
        if source.is_relative_to(output):
            problems.append(
                f"{where}: source folder {source} is inside the output folder {output} (replaced by builds)"
            )
    scalars = {k: values[k] for k in _SCALARS if values.get(k) is not None}
    sections = {k: values[k] for k in _SECTIONS if k in values}
    if overrides.jobs is not None:
        scalars["jobs"] = overrides.jobs
    if overrides.strict is not None:
        scalars["strict"] = overrides.strict
    if overrides.query is not None:
        scalars["query"] = overrides.query
    if overrides.no_video:
        sections["video"] = dataclasses.replace(sections.get("video", VideoSettings()), enabled=False)
    if overrides.cluster is not None:
        sections["cluster"] = dataclasses.replace(
            sections.get("cluster", ClusterSettings()), scheduler=overrides.cluster
        )
    if scalars.get("jobs", 0) < 0:
        problems.append(f"{where}: 'jobs' must be 0 (one per core) or more")
    if problems:
        return None
    return Config(
        project=project,
        sources=sources,
        output=output,
        cache=(project / (values.get("cache") or ".hgsite")).resolve(),
        **scalars,
        **sections,
    )


def config_path(config_file: Path | None) -> Path:
    """The config file a command uses: the one given, else ./hgsite.toml (which may not exist yet)."""
    return config_file if config_file is not None else Path.cwd() / CONFIG_NAME
