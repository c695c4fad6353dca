"""Site stage: the bundle (database, data files, previews) written through the theme, atomically."""

from __future__ import annotations

from pathlib import Path

from hgsite import hosting, site
from hgsite.config import Config
from hgsite.database import Database
from hgsite.report import BuildReport, Progress


def themes(config: Config) -> list[Path]:
    return site.theme_chain(config.theme, config.project, config.project / config.theme_overrides)


def bundle(
    config: Config, db: Database, payload: bytes, similar: bytes, serving: site.Serving | None
) -> site.Bundle:
    """What the site is written from: the data files (the map's basemap for a site with positions)."""
    located = any("lat" in entry for entry in db.entries)
    world = {"world": site.world_data(site.theme_dir(), config.cache)} if located else {}
    extras = {"_headers": hosting.headers_file().encode()} if config.hosting.headers else {}
    data = {"database": payload, "similar": similar, **world}
    return site.Bundle(config.title, data, len(db.entries), db.files, serving, extras)


def run(config: Config, bundle: site.Bundle, progress: Progress, report: BuildReport) -> None:
    with progress("site", len(bundle.files)) as step:
        report.site_written = site.emit(config.output, bundle, themes(config), step)


def query_js(config: Config) -> Path:
    """The theme's query language (what `--query` runs, as the page does)."""
    return next(p for t in themes(config) if (p := t / "assets" / "js" / "query.js").is_file())
