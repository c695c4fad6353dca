"""Every route of docs/webapp.md opened by a fresh page load, 30 times each over http (where scripts
arrive one by one) and 6 times each from file:// (where they never did: a guard, kept short).

Over http the deferred scripts arrive one by one; if the app started before the last of them had
registered its view, a link to that view opened the whole grid ("Unknown address") now and then. Loads
run several pages at a time (one browser, one context per scheme) so the machine is as busy as a user's.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pytest
from pages import Watched, database
from playwright.sync_api import Browser, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

LOADS = {"http": 30, "file": 6}
AT_ONCE = 6

# What each route shows once the page is ready: the app's route name and a selector that must exist.
CHECK = """([name, selector]) => {
  const app = window.hgsite && window.hgsite.app;
  const toast = document.getElementById('hgsite-toast');
  const nav = Array.from(document.querySelectorAll('.bar-nav-link:not([hidden])')).map(a => a.dataset.route);
  return {
    route: app && app.route ? app.route.name : null,
    hash: location.hash,
    found: !!document.querySelector(selector),
    toast: toast && toast.classList.contains('is-visible') ? toast.textContent : '',
    nav: nav
  };
}"""


def routes(site: Path) -> list[tuple[str, str, str]]:
    """(hash, route name, selector shown) for every route of the example gallery."""
    entries = database(site)["entries"]
    image = next(e["id"] for e in entries if e["type"] == "image")
    folder = next(row[0] for row in database(site)["folders"] if "/" in row[0])
    return [
        ("#/", "all", ".grid [data-id]"),
        ("#/search/" + quote("year >= 2000", safe=""), "search", ".grid [data-id]"),
        (f"#/view/{image}", "view", ".viewer:not([hidden]) .viewer-img"),
        (f"#/similar/{image}", "similar", ".grid [data-id]"),
        ("#/duplicates", "duplicates", ".grid [data-id]"),
        ("#/years", "years", ".page-years"),
        ("#/tags", "tags", ".page-tags"),
        ("#/map", "map", ".page-map"),
        ("#/folders", "folders", ".page-folders"),
        ("#/folders/" + quote(folder, safe="/"), "folders", ".page-folders"),
        ("#/people", "people", ".page-people"),
    ]


def load_all(pages: list[Page], url: str, run: str) -> list[str]:
    """Start a fresh load of `url` on every page at once (a query string of its own makes each a new
    document, not a jump within the last); returns the addresses, which tell the documents apart."""
    base, hash_ = url.split("#", 1)
    addresses = [f"{base}?load={run}-{number}#{hash_}" for number in range(len(pages))]
    for page, address in zip(pages, addresses, strict=True):
        page.goto(address, wait_until="commit")
    return addresses


def shown(page: Page, address: str, name: str, selector: str) -> dict[str, object]:
    """What the page shows once it is ready and its view's content is there (or after 15 s, as it is)."""
    ready = """([address, name, selector]) => location.search === new URL(address).search
      && document.documentElement.getAttribute('data-state') === 'ready'
      && (!!document.querySelector(selector) || window.hgsite.app.route.name !== name)"""
    with contextlib.suppress(PlaywrightTimeout):  # a page that never gets there is judged as it is
        page.wait_for_function(ready, arg=[address, name, selector], timeout=15_000)
    seen: dict[str, object] = page.evaluate(CHECK, [name, selector])
    seen["state"] = page.get_attribute("html", "data-state")
    return seen


def wrong(seen: dict[str, object], hash_: str, name: str) -> bool:
    """The route did not come up as itself: another route, another address, its content missing, the
    "Unknown address" message, or the Folders link hidden (it was while views were still registering)."""
    return (
        seen["route"] != name
        or seen["hash"] != hash_
        or not seen["found"]
        or "Unknown address" in str(seen["toast"])
        or "folders" not in list(seen["nav"])  # type: ignore[call-overload]
    )


@pytest.mark.parametrize("scheme", ["http", "file"])
def test_every_route_loads_right_every_time(
    browser: Browser, example_site: Path, scheme: str, http_server_for: Callable[[Path], str]
) -> None:
    root = example_site.as_uri() + "/" if scheme == "file" else http_server_for(example_site)
    context = browser.new_context(viewport={"width": 800, "height": 600})
    watched = [Watched(context.new_page(), root) for _ in range(AT_ONCE)]
    pages = [w.page for w in watched]
    failures: list[str] = []
    for number, (hash_, name, selector) in enumerate(routes(example_site)):
        for run in range(LOADS[scheme] // AT_ONCE):
            addresses = load_all(pages, root + "index.html" + hash_, f"{number}-{run}")
            for page, address in zip(pages, addresses, strict=True):
                seen = shown(page, address, name, selector)
                if wrong(seen, hash_, name):
                    failures.append(f"{hash_}: {seen}")
    problems = [p for w in watched for p in w.problems]
    foreign = [u for w in watched for u in w.foreign_requests()]
    context.close()
    assert failures == [], (
        f"{len(failures)} of {LOADS[scheme] * len(routes(example_site))} loads wrong: {failures[:5]}"
    )
    assert problems == [] and foreign == []
