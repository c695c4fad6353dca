"""`hgsite build --query`: pick the entries of a subset with the page's own search language.

The query is evaluated by the theme's query.js, the very code the gallery page runs, in an embedded
JavaScript engine (the optional `quickjs` package), so a query selects at build time exactly what it
finds in the browser.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from hgsite import database, naming
from hgsite.errors import ConfigError, HgsiteError

_RUN = """(function () {
  try {
    var found = hgsite.query.search(JSON.parse(hgsiteEntries), hgsiteQuery);
    return JSON.stringify({ids: found.entries.map(function (e) { return e.id; })});
  } catch (err) {
    return JSON.stringify({error: String(err && err.message || err), pos: err && err.pos});
  }
})()"""


def select(entries: list[dict[str, Any]], query: str, query_js: Path) -> set[str]:
    """Ids of the entries that `query` finds; a malformed query is a ConfigError naming the position."""
    try:
        import quickjs
    except ImportError:
        raise HgsiteError(
            "--query needs the optional JavaScript engine: pip install 'hgsite[subset]' (the quickjs package)"
        ) from None
    context = quickjs.Context()
    context.eval("var window = globalThis;")
    context.eval(query_js.read_text(encoding="utf-8"))
    context.set("hgsiteEntries", orjson.dumps(entries).decode())
    context.set("hgsiteQuery", query)
    result = orjson.loads(context.eval(_RUN))
    if "error" in result:
        where = f" at character {int(result['pos']) + 1}" if isinstance(result.get("pos"), int) else ""
        raise ConfigError([f"--query {query!r}: {result['error']}{where}"])
    return set(result["ids"])


def keep_only(db: database.Database, query: str, query_js: Path) -> None:
    """A subset bundle: the entries the query finds, their files, their folders; nothing of the others."""
    keep = select(db.entries, query, query_js)
    db.entries = [entry for entry in db.entries if entry["id"] in keep]
    owners = tuple(naming.files_of(item_id) for item_id in keep)
    db.files = {url: path for url, path in db.files.items() if url.startswith(owners)} if owners else {}
    db.folders = database.folder_tree(db.entries)
    db.events = []  # a published subset is for looking; its page keeps no record of the full log
