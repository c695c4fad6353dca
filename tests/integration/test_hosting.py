"""Hosting: netlify.toml and the _headers file agree with each other and with the bundle's layout;
theme overrides replace the default theme's files in order."""

from __future__ import annotations

import fnmatch
import shutil
import tomllib
from pathlib import Path

import pytest

from hgsite import hosting
from hgsite.build import build
from hgsite.config import Overrides, load_config
from hgsite.errors import ConfigError
from hgsite.site import CSP

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "photos").mkdir()
    shutil.copyfile(REPO / "content-example/photos/nature/silver_fir.jpg", tmp_path / "photos/fir.jpg")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def bundle_paths(site: Path) -> list[str]:
    return ["/" + p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()]


def test_netlify_toml_matches_the_rules_and_the_example() -> None:
    netlify = tomllib.loads((REPO / "netlify.toml").read_text())
    assert [(h["for"], h["values"]) for h in netlify["headers"]] == hosting.RULES
    assert netlify["headers"][0]["values"]["Content-Security-Policy"].startswith(CSP)
    config = load_config(REPO / netlify["build"]["command"].split(" -c ")[1].split()[0])
    assert config.output == (REPO / netlify["build"]["publish"]).resolve()


def test_headers_file_fits_the_bundle(project: Path) -> None:
    (project / "hgsite.toml").write_text('sources = ["photos"]\n[hosting]\nheaders = true\n')
    build(load_config())
    site = project / "site"
    assert (site / "_headers").read_text() == hosting.headers_file()
    paths = bundle_paths(site)
    cache = {}
    for pattern, headers in hosting.RULES:
        matched = [p for p in paths if fnmatch.fnmatch(p, pattern)] or (["/"] if pattern == "/" else [])
        assert matched, f"{pattern} matches nothing in the bundle"
        for path in matched:
            cache.setdefault(path, headers.get("Cache-Control"))
            cache[path] = headers.get("Cache-Control", cache[path])
    assert all(cache[p] == hosting.IMMUTABLE for p in paths if p.startswith("/files/"))
    assert cache["/index.html"] == cache["/data/database.json.gz"] == cache["/data/database.js"] == "no-cache"
    assert not any(p.startswith(("/files/", "/data/", "/index")) and cache.get(p) is None for p in paths)


def test_no_headers_file_unless_asked(project: Path) -> None:
    build(load_config(None, Overrides(sources=("photos",))))
    assert not (project / "site" / "_headers").exists()


def test_theme_overrides_and_a_theme_by_path(project: Path) -> None:
    overrides = project / "theme" / "assets" / "css"
    overrides.mkdir(parents=True)
    (overrides / "hgsite.css").write_text("body { background: hotpink; }\n")
    mine = project / "mytheme" / "templates"
    mine.mkdir(parents=True)
    template = (REPO / "themes/default/templates/index.html").read_text()
    (mine / "index.html").write_text(template.replace("<body>", '<body class="mytheme">'))
    (project / "mytheme" / "assets").mkdir()
    (project / "mytheme" / "assets" / "extra.txt").write_text("from my theme\n")
    (project / "hgsite.toml").write_text('sources = ["photos"]\ntheme = "mytheme"\n')
    build(load_config())
    site = project / "site"
    assert (site / "assets/css/hgsite.css").read_text() == "body { background: hotpink; }\n", "project wins"
    assert (site / "assets/extra.txt").read_text() == "from my theme\n"
    assert (site / "assets/js/app.js").read_bytes() == (REPO / "themes/default/assets/js/app.js").read_bytes()
    assert '<body class="mytheme">' in (site / "index.html").read_text()


def test_unknown_theme_is_a_clear_error(project: Path) -> None:
    (project / "hgsite.toml").write_text('sources = ["photos"]\ntheme = "nope"\n')
    with pytest.raises(ConfigError, match="theme 'nope'"):
        build(load_config())
