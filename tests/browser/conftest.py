"""Start the real Streamlit server on a free port and drive it with Debian's chromium.

Waits as Streamlit's own e2e suite does: /_stcore/health, then the app's script state (tests/browser/app_utils.py).
In CI a missing browser is a failure, not a skip.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.servers import free_port, healthy
from tests.browser.app_utils import (SHOTS, assert_no_exception, expect_shell, open_app,  # noqa: F401
                                     shot, wait_for_app)

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Under pytest-xdist each worker starts its own servers: their logs carry the worker's name.
LOG_PREFIX = os.environ.get("PYTEST_XDIST_WORKER", "")
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


# Browser test files, longest first (wall time on this 2-core machine beside other work). The test command hands out
# files in collection order (--dist loadfile --no-loadscope-reorder): a long file started last would leave one
# worker running it alone while the other idles. xdist's default order, by number of tests, started the meeting
# journeys (3 tests, the longest after the fresh-server deep links) ninth of eleven. Each file alone, load 6-10:
# phone 113 s, a11y 81 s, advisor 78 s, meeting 74 s, deep links 62 s (114 s before its presenter cards were
# prebuilt), links 57 s.
LONGEST_FIRST = ("test_phone.py", "test_a11y.py", "test_advisor.py", "test_meeting.py", "test_deep_links.py",
                 "test_links.py", "test_cost.py", "test_performance.py", "test_risk.py", "test_geopolitics.py")


def pytest_collection_modifyitems(items):
    """Put this folder's tests in LONGEST_FIRST order of their files (others after, in their own order), leaving
    every other test where it was."""
    here = Path(__file__).parent
    slots = [i for i, item in enumerate(items) if item.path.parent == here]
    rank = {name: n for n, name in enumerate(LONGEST_FIRST)}
    ordered = sorted((items[i] for i in slots), key=lambda item: rank.get(item.path.name, len(rank)))
    for i, item in zip(slots, ordered):
        items[i] = item


@pytest.fixture(scope="session")
def server():
    with start_server() as url:
        yield url


# A server the tests are done with has nothing to save: it gets this long to stop before it is killed (a busy one
# took over 10 s to stop gracefully, at the end of every worker's run).
STOP_GRACE = 2.0


class Server:
    """`streamlit run streamlit_app.py` on a free port, exactly as a user starts it, in `app` (this checkout, or a
    copy of it with other data); its output goes to `log_name` beside the screenshots."""

    def __init__(self, log_name: str = "server.log", app: Path = ROOT):
        self.url = f"http://127.0.0.1:{free_port()}"
        self.log = open(SHOTS.parent / (f"{LOG_PREFIX}_{log_name}" if LOG_PREFIX else log_name), "w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.port", self.url.rsplit(":", 1)[1],
             "--server.address", "127.0.0.1", "--server.headless", "true"],
            cwd=app, stdout=self.log, stderr=subprocess.STDOUT)

    def ready(self, timeout: float = 60) -> str:
        """The URL, once /_stcore/health answers."""
        deadline = time.time() + timeout
        while not healthy(self.url):
            if self.proc.poll() is not None or time.time() > deadline:
                self.stop()
                raise RuntimeError(f"streamlit server did not start; see {self.log.name}")
            time.sleep(0.1)
        return self.url

    def stop(self, grace: float = STOP_GRACE) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(grace)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


@contextlib.contextmanager
def start_server(log_name: str = "server.log", app: Path = ROOT):
    """A fresh Streamlit server on a free port (see Server); yields its URL once /_stcore/health answers."""
    srv = Server(log_name, app)
    try:
        yield srv.ready()
    finally:
        srv.stop()


@pytest.fixture(scope="session")
def fresh_server():
    """A function returning the URL of a server that has served no request yet (Streamlit keeps process-wide
    state from the first request). While a test uses one, the next one starts in the background; asking for
    a new one stops the previous. One pool per worker, whichever test files it runs (a pool per module started a
    spare server that no test used at the end of each)."""
    started = [0]

    def start() -> Server:           # two alive at a time, so two log files suffice
        started[0] += 1
        return Server(f"fresh_server_{started[0] % 2}.log")

    servers = [start()]

    def next_url() -> str:
        if len(servers) > 1:
            servers.pop(0).stop()
        servers.append(start())
        return servers[0].ready()

    yield next_url
    for srv in servers:
        srv.stop(grace=0.1)          # the spare has served nothing


@pytest.fixture(scope="session")
def browser():
    if not (Path(CHROMIUM).exists() or shutil.which("chromium")):
        if os.environ.get("CI"):
            pytest.fail("chromium is missing: CI requires the browser tests (apt-get install chromium)")
        pytest.skip("chromium not installed")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    SHOTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 800}, accept_downloads=True)
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    yield pg
    context.close()


@pytest.fixture(scope="module")
def entrypoint_first(server, browser):
    """Open the app's root once before a module's deep links (a fresh server serves a first deep link without the
    shell). Modules that deep-link use it with pytest.mark.usefixtures("entrypoint_first")."""
    context = browser.new_context()
    pg = context.new_page()
    pg.goto(server + "/")
    wait_for_app(pg, timeout=90_000)
    context.close()
