"""hgsite.extract.places (offline place names) and site.world_data (the map's basemap data file)."""

from __future__ import annotations

import gzip
import json
import logging
from pathlib import Path
from typing import Any

import pytest

from hgsite import site
from hgsite.extract import places
from hgsite.extract.places import Place, add_places, name_places, places_for


def test_name_places_offline_with_big_cities_preferred() -> None:
    found = name_places(
        [
            (41.8902, 12.4922),  # the Colosseum
            (48.8584, 2.2945),  # the Eiffel Tower: nearest GeoNames place is a suburb, the city is Paris
            (51.562466, -0.077332),  # Stamford Hill, in London
            (41.2203, -96.071625),  # near Omaha (content-example's IMG_2682.heic)
            (47.0, 8.0),  # a village in Switzerland, far from big cities
            (48.5734, 7.8),  # Kehl, Germany: Strasbourg is closer and bigger, but in France
        ]
    )
    assert [(p.country, p.city) for p in found] == [
        ("Italy", "Rome"),
        ("France", "Paris"),
        ("United Kingdom", "London"),
        ("United States", "Omaha"),
        ("Switzerland", "Schüpfheim"),
        ("Germany", "Kehl"),
    ]
    assert found[1].state == "Île-de-France"
    assert name_places([]) == []


def test_places_for_names_each_position_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[list[tuple[float, float]]] = []

    def fake(points: list[tuple[float, float]]) -> list[Place]:
        calls.append(list(points))
        return [Place("Country", "State", f"City {lat:g}") for lat, _ in points]

    monkeypatch.setattr(places, "name_places", fake)
    cache = tmp_path / "places.json"
    first = places_for([(1.0, 2.0), (3.0, 4.0), (1.0, 2.0)], cache)
    assert [p.city for p in first] == ["City 1", "City 3", "City 1"]
    assert calls == [[(1.0, 2.0), (3.0, 4.0)]], "each distinct position once"
    again = places_for([(3.0, 4.0), (5.0, 6.0)], cache)
    assert [p.city for p in again] == ["City 3", "City 5"]
    assert calls[1] == [(5.0, 6.0)], "only the new position"
    places_for([(1.0, 2.0), (5.0, 6.0)], cache)
    assert len(calls) == 2, "everything known: the data is not loaded at all"
    stored = json.loads(cache.read_text(encoding="utf-8"))
    assert stored["version"] == places.version() and len(stored["places"]) == 3


def test_places_cache_is_redone_for_another_version_or_when_unreadable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    calls: list[int] = []

    def fake(points: list[tuple[float, float]]) -> list[Place]:
        calls.append(len(points))
        return [Place("C", "S", "X") for _ in points]

    monkeypatch.setattr(places, "name_places", fake)
    cache = tmp_path / "places.json"
    places_for([(1.0, 2.0)], cache)
    monkeypatch.setattr(places, "version", lambda: "other")
    places_for([(1.0, 2.0)], cache)
    assert calls == [1, 1]
    cache.write_text("{broken", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        assert places_for([(1.0, 2.0)], cache) == [Place("C", "S", "X")]
    assert "unreadable place cache" in caplog.text
    assert calls == [1, 1, 1]


def test_add_places_only_touches_entries_with_a_position(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(places, "name_places", lambda points: [Place("Italy", "", "Rome") for _ in points])
    entries: list[dict[str, Any]] = [{"id": "a", "lat": 41.9, "lon": 12.5}, {"id": "b"}]
    assert add_places(entries, tmp_path / "places.json") == 1
    assert entries == [{"id": "a", "lat": 41.9, "lon": 12.5, "country": "Italy", "city": "Rome"}, {"id": "b"}]


def test_world_data_is_a_typed_data_file_kept_in_the_cache(tmp_path: Path) -> None:
    theme = site.theme_dir()
    payload = site.world_data(theme, tmp_path)
    document = json.loads(gzip.decompress(payload))
    assert document["type"] == "hgsite/world@1"
    assert document["topology"]["type"] == "Topology"
    assert "countries" in document["topology"]["objects"]
    assert "Natural Earth" in document["source"] and "Bostock" in document["license"]
    cached = list(tmp_path.glob("world-*.json.gz"))
    assert len(cached) == 1 and cached[0].read_bytes() == payload
    assert site.world_data(theme, tmp_path) == payload == site.world_data(theme), "same bytes every time"
