"""A non-editable install (a wheel) carries the theme and builds a site on its own."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_wheel_contains_theme_and_builds_a_site(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", tmp_path, REPO],
        check=True,
        capture_output=True,
    )
    wheel = next(tmp_path.glob("hgsite-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    modules = {p.relative_to(REPO).as_posix() for p in (REPO / "hgsite").rglob("*.py")}
    assert modules - set(names) == set(), "every module of the source tree is in the wheel"
    assert "hgsite/models/efficientnet-lite0.onnx" in names
    assert "hgsite/themes/default/templates/index.html" in names
    assert "hgsite/themes/default/assets/js/app.js" in names
    target = tmp_path / "lib"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", target, wheel],
        check=True,
        capture_output=True,
    )
    photos = tmp_path / "photos"
    photos.mkdir()
    source = REPO / "content-example" / "photos" / "nature" / "silver_fir.jpg"
    (photos / "fir.jpg").write_bytes(source.read_bytes())
    code = "import hgsite, sys; print(hgsite.__file__); sys.exit(__import__('hgsite.cli').cli.main(sys.argv[1:]))"
    result = subprocess.run(
        [sys.executable, "-c", code, "build", "photos", "-o", "out", "-q"],
        cwd=tmp_path,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(str(target)), "the installed wheel, not the checkout, must have run"
    index = (tmp_path / "out" / "index.html").read_text()
    assert "assets/js/app.js" in index
    assert (tmp_path / "out" / "assets" / "js" / "app.js").is_file()
