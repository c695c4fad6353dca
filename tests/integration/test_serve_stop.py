"""`hgsite serve` leaves the site as a plain build writes it when it stops: no live-reload script."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PHOTO = REPO / "content-example" / "photos" / "nature" / "silver_fir.jpg"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_stopped_serve_leaves_a_site_without_serve_js(tmp_path: Path, stop: signal.Signals) -> None:
    (tmp_path / "photos").mkdir()
    shutil.copyfile(PHOTO, tmp_path / "photos" / "fir.jpg")
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "hgsite", "serve", "photos", "-p", str(port)],
        cwd=tmp_path,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/index.html", timeout=2) as page:
                    served = page.read().decode()
                break
            except OSError:
                time.sleep(0.2)
        assert "serve.js" in served and "sha256-" in served, "while serving, the page loads serve.js"
        process.send_signal(stop)
        stderr = process.communicate(timeout=60)[1]
    finally:
        process.kill()
    assert process.returncode == 0, stderr
    index = (tmp_path / "site" / "index.html").read_text()
    assert "serve.js" not in index and "sha256-" not in index
    assert "script-src &#39;self&#39;;" in index, "the plain CSP"
    assert "no longer loads the live-reload script" in stderr.splitlines()[-1]
