"""Places stage: name the new GPS positions, in a worker process, into the cache file the database reads."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from hgsite.cache.layout import places_file
from hgsite.config import Config
from hgsite.extract import places
from hgsite.workers import run_tasks

log = logging.getLogger(__name__)


def run(config: Config, meta: Mapping[str, dict[str, Any]]) -> None:
    """The GeoNames data takes about 190 MB while loaded, which the build's own process cannot spare at
    100,000 items. Should the worker fail, the database stage names the positions in this process."""
    if config.privacy.strip_locations:
        return
    points = [
        (fields["lat"], fields["lon"]) for fields in meta.values() if "lat" in fields and "lon" in fields
    ]
    cache_file = places_file(config.cache)
    if places.unnamed(points, cache_file):
        for outcome in run_tasks(places.name_new, [(points, cache_file)], 1, config.limits.timeout):
            if outcome.error is not None:
                log.info("naming places in a worker failed (%s); naming them here", outcome.error)
