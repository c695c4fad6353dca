"""`hgsite serve`: build, serve the site on 127.0.0.1, rebuild on change and reload the open page.

livereload (tornado) lives here and nowhere else. Changes are debounced; rebuilds run in a thread, one at
a time, and go through the normal build, which writes a complete new site before swapping it in, so the
browser never sees a half-built site. A failed rebuild leaves the last good site in place, and the
server writes the error into serve-status.json for the page to show. A change to the theme alone
re-renders the site from the last database without looking at the photos again. When serving stops,
the last site is written once more as a plain build writes it, without the live-reload script.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import hashlib
import logging
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import orjson
from livereload import Server
from livereload.handlers import LiveReloadHandler
from livereload.watcher import Watcher
from tornado import ioloop

from hgsite import site
from hgsite.atomic import atomic_write
from hgsite.build import build
from hgsite.cache.lock import project_lock
from hgsite.config import Config
from hgsite.errors import HgsiteError
from hgsite.report import BuildReport, Progress, silent
from hgsite.stages.site import themes

log = logging.getLogger(__name__)
STATUS_FILE = "serve-status.json"
DEBOUNCE = 0.4  # seconds of quiet before a rebuild starts


@dataclass
class _State:
    """What the rebuilding thread and the server's loop share (under `lock`)."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    pending: set[str] = field(default_factory=set)  # "media" and/or "theme"
    last_change: float = 0.0
    running: bool = False
    last: BuildReport | None = None
    config: Config | None = None  # the settings `last` was built with


class _Watcher(Watcher):  # type: ignore[misc]
    """livereload's polling watcher, minus its own reloads: the page reloads when a rebuild is done."""

    def examine(self) -> tuple[None, None]:
        super().examine()  # runs the functions of changed paths: they only mark what changed
        return None, None


class _Server(Server):  # type: ignore[misc]
    """livereload's server, remembering the inline script it injects so the page's CSP can allow it."""

    injected: bytes = b""

    def get_web_handlers(self, script: bytes) -> list[tuple[object, ...]]:
        _Server.injected = script
        handlers: list[tuple[object, ...]] = super().get_web_handlers(script)
        return handlers


def script_hash(tag: bytes) -> str:
    """The CSP source expression of an inline <script>...</script>."""
    body = tag.split(b">", 1)[1].rsplit(b"</script>", 1)[0]
    return "sha256-" + base64.b64encode(hashlib.sha256(body).digest()).decode()


def serve(
    load: Callable[[], Config],
    port: int,
    host: str = "127.0.0.1",
    on_build: Callable[[BuildReport | None, str | None], None] = lambda r, e: None,
    progress: Progress = silent,
) -> None:
    """Serve until interrupted (Ctrl-C or SIGTERM), then leave the site as a plain build writes it.
    `load` reads the config afresh for every rebuild (it may change); `progress` draws the builds."""
    config = load()
    server = _Server(watcher=_Watcher())
    server.root = str(config.output)
    server.default_filename = "index.html"
    server.application(port, host, liveport=None, debug=False, live_css=False)
    serving = site.Serving((script_hash(_Server.injected),))
    state = _State()
    rebuild = _Rebuilder(load, serving, state, on_build, progress)
    main = threading.current_thread() is threading.main_thread()  # only it may handle signals
    previous = signal.signal(signal.SIGTERM, _interrupt) if main else None
    try:
        rebuild.run({"media"})  # the first build, before the first page is served
        for path, kind in _watched(config):
            server.watch(str(path), _marker(state, kind))
        loop = ioloop.IOLoop.current()
        ioloop.PeriodicCallback(lambda: rebuild.tick(loop), 200).start()
        LiveReloadHandler.start_tasks()
        with contextlib.suppress(KeyboardInterrupt):
            loop.start()
        rebuild.wait()
    finally:
        if main:
            signal.signal(signal.SIGTERM, previous)
    unserve(state)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # SIGTERM stops the server the way Ctrl-C does


def unserve(state: _State) -> None:
    """Rewrite the last site without what only a served page needs (serve.js, the live-reload script's
    CSP hash): opened later from disk or another server, it must not ask for them."""
    last, config = state.last, state.config
    if last is None or last.bundle is None or config is None or last.bundle.serving is None:
        return
    with project_lock(config.cache):
        site.emit(config.output, dataclasses.replace(last.bundle, serving=None), themes(config))


def _watched(config: Config) -> list[tuple[Path, str]]:
    watched = [(source, "media") for source in config.sources]
    watched += [(p, "media") for p in (config.project / "hgsite.toml", config.events) if p.exists()]
    watched += [(theme, "theme") for theme in themes(config)]
    return watched


def _marker(state: _State, kind: str) -> Callable[[], None]:
    def changed() -> None:
        with state.lock:
            state.pending.add(kind)
            state.last_change = time.monotonic()

    return changed


class _Rebuilder:
    def __init__(
        self,
        load: Callable[[], Config],
        serving: site.Serving,
        state: _State,
        on_build: Callable[[BuildReport | None, str | None], None],
        progress: Progress = silent,
    ) -> None:
        self.load, self.serving, self.state, self.on_build = load, serving, state, on_build
        self.progress = progress
        self.thread: threading.Thread | None = None

    def wait(self) -> None:
        """Let a rebuild that is under way finish (a second Ctrl-C gives up on it)."""
        if self.thread is not None:
            self.thread.join()

    def tick(self, loop: ioloop.IOLoop) -> None:
        """Start a rebuild in a thread once changes have been quiet for a moment."""
        with self.state.lock:
            quiet = time.monotonic() - self.state.last_change >= DEBOUNCE
            if self.state.running or not self.state.pending or not quiet:
                return
            kinds, self.state.pending = self.state.pending, set()
            self.state.running = True

        def work() -> None:
            try:
                self.run(kinds)
            finally:
                with self.state.lock:
                    self.state.running = False
                # name the page: given a changed photo's path, the client would only refresh images
                loop.add_callback(LiveReloadHandler.reload_waiters, "index.html")

        self.thread = threading.Thread(target=work, daemon=True)
        self.thread.start()

    def run(self, kinds: set[str]) -> None:
        output: Path | None = None
        try:
            config = self.load()
            output = config.output
            last = self.state.last
            if kinds == {"theme"} and last is not None and last.bundle is not None:
                site.emit(config.output, last.bundle, themes(config))
                report = last
            else:
                report = build(config, self.progress, serving=self.serving)
                self.state.last = report
            self.state.config = config
            _write_status(config.output, None)
            self.on_build(report, None)
        except HgsiteError as error:
            self._failed(output or self._last_output(), str(error))
        except Exception as error:  # a bug must not stop the server: show it, keep the last good site
            log.exception("rebuild failed")
            self._failed(output or self._last_output(), f"{type(error).__name__}: {error}")

    def _last_output(self) -> Path | None:
        last = self.state.last
        return last.output if last is not None else None

    def _failed(self, output: Path | None, message: str) -> None:
        _write_status(output, message)
        self.on_build(None, message)


def _write_status(output: Path | None, error: str | None) -> None:
    """serve-status.json beside the served site: the page shows `error` when there is one."""
    if output is not None and output.is_dir():
        with atomic_write(output / STATUS_FILE) as handle:
            handle.write(orjson.dumps({"error": error}))
