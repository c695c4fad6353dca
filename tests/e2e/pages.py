"""Helpers for the browser tests."""

from __future__ import annotations

import gzip
import json
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Page


class LocalServer(ThreadingHTTPServer):
    """The tests' HTTP server. Python's default backlog of 5 connections overflows when Chromium opens a
    dozen at once on a busy machine: connections then wait seconds for a retry or are reset, and a page
    misses a script now and then (a route it does not know, a timeout)."""

    request_queue_size = 128
    daemon_threads = True


def database(site: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(gzip.decompress((site / "data" / "database.json.gz").read_bytes()))
    return document


class Watched:
    """A page plus everything it asked for and complained about."""

    def __init__(self, page: Page, allowed_prefix: str) -> None:
        self.page = page
        self.requests: list[str] = []
        self.problems: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("console", lambda m: m.type in ("error", "warning") and self.problems.append(m.text))
        page.on("pageerror", lambda e: self.problems.append(str(e)))
        page.on("dialog", lambda d: (self.problems.append(f"dialog: {d.message}"), d.dismiss()))
        self.failed: list[str] = []  # aborted loads are normal (tiles scrolled away): shown, not judged
        page.on("requestfailed", lambda r: self.failed.append(f"{r.url} ({r.failure})"))
        self.allowed_prefix = allowed_prefix

    def foreign_requests(self) -> list[str]:
        return [u for u in self.requests if not self._local(u)]

    def _local(self, url: str) -> bool:
        """The site itself, inline data, or a blob the page made (its URL carries the page's origin,
        "null" from file://): the viewer plays a video through one."""
        if url.startswith(self.allowed_prefix) or url.startswith("data:"):
            return True
        if url.startswith("blob:"):
            parts = urlsplit(self.allowed_prefix)
            origin = "null" if parts.scheme == "file" else f"{parts.scheme}://{parts.netloc}"
            return url[len("blob:") :].startswith(origin + "/")
        return False
