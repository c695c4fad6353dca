"""The command line's own output: the build summary."""

from __future__ import annotations

from pathlib import Path

import pytest

from hgsite import cli
from hgsite.report import BuildReport


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
