"""Packaging and test-run settings in pyproject.toml: no deprecated metadata, skips say why."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())


def test_licence_is_an_spdx_expression_with_a_setuptools_that_reads_it() -> None:
    """A licence table makes setuptools >= 77 warn at every build; the string needs setuptools >= 77."""
    assert PYPROJECT["project"]["license"] == "MIT"
    (setuptools,) = [r for r in PYPROJECT["build-system"]["requires"] if r.startswith("setuptools")]
    match = re.fullmatch(r"setuptools>=(\d+)(\.\d+)*", setuptools)
    assert match is not None and int(match.group(1)) >= 77


def test_a_skipped_test_says_why(tmp_path: Path) -> None:
    test = tmp_path / "test_skips.py"
    test.write_text(
        "import pytest\n\n@pytest.mark.skip(reason='needs a unicorn')\ndef test_it():\n    pass\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-c", REPO / "pyproject.toml", test],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"^SKIPPED \[1\] .*test_skips\.py:\d+: needs a unicorn$", result.stdout, re.MULTILINE)
