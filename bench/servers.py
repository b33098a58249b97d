"""Start and stop local servers for the benchmark and the browser tests (loopback only, bounded in time)."""
from __future__ import annotations

import contextlib
import functools
import http.server
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


# As scripts/run_app.sh starts the app: two glibc malloc arenas (memory stays flat under load; see its comment).
SERVER_ENV = {**os.environ, "MALLOC_ARENA_MAX": os.environ.get("MALLOC_ARENA_MAX", "2")}


@contextlib.contextmanager
def stopped_after(proc: subprocess.Popen, ready, name: str, timeout: float, poll: float = 0.1):
    """Wait until `ready()` is true (an error naming `name`, with the end of its stderr when piped, if the process
    exits or `timeout` seconds pass), yield, and always stop the process (killed if still running 10 s after
    SIGTERM). Every server the benchmark starts (Streamlit, HAProxy, nginx) goes through this."""
    try:
        start = time.perf_counter()
        while not ready():
            if proc.poll() is not None:
                err = proc.stderr.read().decode()[-800:] if proc.stderr else ""
                raise RuntimeError(f"{name} exited" + (f": {err}" if err else ""))
            if time.perf_counter() - start > timeout:
                raise RuntimeError(f"{name} did not answer within {timeout:g} s")
            time.sleep(poll)
        yield
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


@contextlib.contextmanager
def streamlit_server(script: str, timeout: float = 90, extra_args: list[str] | None = None):
    """Yield (url, process, seconds until healthy). `extra_args` go to `streamlit run` (e.g. config flags)."""
    port = free_port()
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port),
                             "--server.address", "127.0.0.1", "--server.headless", "true", *(extra_args or [])],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=SERVER_ENV)
    url = f"http://127.0.0.1:{port}"
    with stopped_after(proc, lambda: healthy(url), script, timeout, poll=0.05):
        yield url, proc, time.perf_counter() - start


@contextlib.contextmanager
def static_server(directory: Path):
    port = free_port()
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(directory))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        httpd.shutdown()


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, in MB (from /proc)."""
    total = 0
    pids = [pid]
    with contextlib.suppress(OSError):
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    for p in pids:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    return total / 1024
