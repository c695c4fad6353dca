"""The one exception hierarchy of hgsite. Only the CLI turns these into messages and exit codes."""

from __future__ import annotations


class HgsiteError(Exception):
    """Base of every error hgsite raises on purpose; str(error) is a complete one-line message."""


class ConfigError(HgsiteError):
    """The configuration file or the command line is invalid."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


class SourceError(HgsiteError):
    """A source folder is missing or unusable."""


class LockedError(HgsiteError):
    """Another hgsite process holds the project lock."""


class OutputError(HgsiteError):
    """The output folder cannot be written safely."""


class MediaError(HgsiteError):
    """One media file could not be processed; the build goes on without it."""
