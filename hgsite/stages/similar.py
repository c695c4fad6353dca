"""Similar stage: near-duplicate groups (before the database), labels into the entries, and the browser's
similarity data (after the database). The work itself is in the similar/ package."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from hgsite.cache.compressed import compressed
from hgsite.cache.store import Artifact
from hgsite.database import Database
from hgsite.similar import browser, labels, pairs
from hgsite.similar.duplicates import DuplicateGroup
from hgsite.stages.index import Items


def near_duplicates(
    cache: Path, artifacts: Mapping[tuple[str, str], Artifact], items: Items
) -> list[DuplicateGroup]:
    """Groups of near-duplicates among every item with features (reusing the last build's pairs)."""
    return pairs.duplicate_groups(cache, pairs.with_features(artifacts, items))


def label(db: Database, artifacts: Mapping[tuple[str, str], Artifact], ids: dict[str, str]) -> dict[str, str]:
    """Labels into the entries, which a query may ask for; the browser codes of the entries, by sha1."""
    sha1_of = {item_id: sha1 for sha1, item_id in ids.items()}
    entry_of = {sha1_of[entry["id"]]: entry for entry in db.entries}
    codes_of = {}
    for sha1, item in labels.analysed(artifacts, entry_of):
        entry_of[sha1]["labels"] = labels.labels(item.top)
        codes_of[sha1] = item.code
    return codes_of


def browser_data(
    cache: Path,
    db: Database,
    ids: dict[str, str],
    codes_of: dict[str, str],
    near: list[DuplicateGroup],
    items: Items,
) -> bytes:
    """data/similar.json.gz: the codes and duplicate groups of the entries (`near`: of every item)."""
    sha1_of = {item_id: sha1 for sha1, item_id in ids.items()}
    order = [sha1_of[entry["id"]] for entry in db.entries]
    exact = [sha1 for sha1 in order if len(items[sha1]) > 1]
    parts = browser.browser_parts(order, codes_of, near, exact)
    codes_of.clear()  # in the parts' code blob now: 27 MB at 100,000 items
    return compressed(cache, "similar", parts, browser.GZIP_LEVEL)
