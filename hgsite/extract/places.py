"""Offline reverse geocoding: GPS positions -> country, state and city.

The names come from GeoNames (places with 1,000 or more people, with their first-level region and
country) as shipped inside the `reverse_geocode` package: no network, no service. A position gets the
nearest such place. Results are remembered in the cache (`places.json`, keyed by the package version),
so a rebuild loads the GeoNames data only for positions it has not seen.
"""

from __future__ import annotations

import importlib.metadata
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hgsite.cache import atomic_write

log = logging.getLogger(__name__)

FORMAT = 1  # bump when what is stored per position changes
CACHE_NAME = "places.json"


@dataclass(frozen=True, slots=True)
class Place:
    country: str = ""
    state: str = ""
    city: str = ""

    def fields(self) -> dict[str, str]:
        """The entry keys of this place; empty names are left out."""
        return {k: v for k, v in (("country", self.country), ("state", self.state), ("city", self.city)) if v}


def version() -> str:
    """What cached names depend on: our format and the GeoNames data of the installed package."""
    return f"{FORMAT}/{importlib.metadata.version('reverse_geocode')}"


def name_places(points: Sequence[tuple[float, float]]) -> list[Place]:
    """The nearest GeoNames place of each (lat, lon); loading the data takes about a second."""
    if not points:
        return []
    import reverse_geocode  # a slow import: only when a position is new

    results: list[dict[str, Any]] = reverse_geocode.search([(lat, lon) for lat, lon in points])
    return [
        Place(str(r.get("country") or ""), str(r.get("state") or ""), str(r.get("city") or ""))
        for r in results
    ]


def _key(lat: float, lon: float) -> str:
    return f"{lat:.5f},{lon:.5f}"


def places_for(points: Sequence[tuple[float, float]], cache_file: Path) -> list[Place]:
    """name_places with a cache file: only positions not named before are looked up."""
    known = _load(cache_file)
    missing = sorted(
        {_key(lat, lon): (lat, lon) for lat, lon in points if _key(lat, lon) not in known}.items()
    )
    if missing:
        for (key, _), place in zip(missing, name_places([p for _, p in missing]), strict=True):
            known[key] = place
        _save(cache_file, known)
    return [known[_key(lat, lon)] for lat, lon in points]


def _load(cache_file: Path) -> dict[str, Place]:
    try:
        document = json.loads(cache_file.read_text(encoding="utf-8"))
        if document.get("version") != version():
            return {}
        return {key: Place(*names) for key, names in document["places"].items()}
    except FileNotFoundError:
        return {}
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        log.warning("%s: unreadable place cache, naming every position again (%s)", cache_file, error)
        return {}


def _save(cache_file: Path, places: dict[str, Place]) -> None:
    document = {
        "version": version(),
        "places": {key: [p.country, p.state, p.city] for key, p in sorted(places.items())},
    }
    with atomic_write(cache_file) as handle:
        handle.write(json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def add_places(entries: list[dict[str, Any]], cache_file: Path) -> int:
    """Add country, state and city to every entry that has a position; returns how many got a place."""
    located = [e for e in entries if "lat" in e and "lon" in e]
    named = 0
    for entry, place in zip(
        located, places_for([(e["lat"], e["lon"]) for e in located], cache_file), strict=True
    ):
        fields = place.fields()
        entry.update(fields)
        named += bool(fields)
    return named
