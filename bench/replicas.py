"""Several Streamlit processes behind HAProxy with cookie affinity (deploy/haproxy.cfg), on this machine.

    .venv/bin/python -m bench.replicas --replicas 2 --readers 120 --duration 60 --think 3   # measure
    .venv/bin/python -m bench.replicas --replicas 2 --serve                                  # just serve
    .venv/bin/python -m bench.replicas --replicas 2 --serve --front    # nginx in front: baked edition at /read/

Needs Debian's haproxy (apt-get install -y haproxy; with --front also nginx). Loopback only; everything it starts
is stopped on exit.
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.loadgen import http_get_cookies, load, page_paths, print_result  # noqa: E402
from bench.servers import free_port, healthy, stopped_after, streamlit_server  # noqa: E402

CONFIG = ROOT / "deploy" / "haproxy.cfg"
AFFINITY_COOKIE = "report_server"


@contextlib.contextmanager
def haproxy(backends: list[str], port: int, timeout: float = 20):
    """HAProxy on 127.0.0.1:port in front of `backends` ("host:port"); yields its URL once it answers."""
    exe = shutil.which("haproxy") or "/usr/sbin/haproxy"
    if not Path(exe).exists():
        raise SystemExit("haproxy is not installed: apt-get install -y haproxy")
    env = dict(os.environ, PROXY_PORT=str(port), **{f"APP{i + 1}": b for i, b in enumerate(backends)})
    proc = subprocess.Popen([exe, "-f", str(CONFIG), "-db"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    with stopped_after(proc, lambda: healthy(url), "haproxy", timeout, poll=0.2):
        yield url


def check_affinity(url: str, tries: int = 6) -> dict[str, int]:
    """New readers are spread over the servers, and a reader that carries its cookie keeps it (not re-assigned)."""
    counts: dict[str, int] = {}
    for _ in range(tries):
        jar = http_get_cookies(url)
        server = jar.get(AFFINITY_COOKIE)
        if server is None:
            raise RuntimeError(f"the proxy set no {AFFINITY_COOKIE} cookie")
        again = http_get_cookies(url, jar)
        if again.get(AFFINITY_COOKIE) != server:
            raise RuntimeError("the affinity cookie changed between two requests of one reader")
        counts[server] = counts.get(server, 0) + 1
    return counts


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--replicas", type=int, default=2, choices=[1, 2])
    ap.add_argument("--readers", type=int, default=120)
    ap.add_argument("--duration", type=float, default=60)
    ap.add_argument("--think", type=float, default=3)
    ap.add_argument("--warmup", type=float, default=0)
    ap.add_argument("--values", type=int, default=0, help="values per control, as bench.loadgen --values")
    ap.add_argument("--port", type=int, default=0, help="proxy port (default: a free one)")
    ap.add_argument("--serve", action="store_true", help="serve until Ctrl-C instead of measuring")
    ap.add_argument("--front", action="store_true", help="nginx on --port in front (deploy/nginx.conf): the baked "
                    "edition under /read/ (ui/bake.py), HAProxy and the replicas behind it for everything else")
    args = ap.parse_args(argv)
    with contextlib.ExitStack() as stack:
        servers = [stack.enter_context(streamlit_server("streamlit_app.py")) for _ in range(args.replicas)]
        backends = [url.removeprefix("http://") for url, _, _ in servers]
        backends += backends[:1] * (2 - len(backends))          # the config names two servers
        url = stack.enter_context(haproxy(backends, free_port() if args.front else args.port or free_port()))
        print(f"proxy {url} -> {', '.join(u for u, _, _ in servers)}; affinity {check_affinity(url)}", flush=True)
        if args.front:
            from bench.baked import PREFIX, nginx
            proxy = url
            url, _ = stack.enter_context(nginx(args.port or free_port(), app=proxy.removeprefix("http://")))
            print(f"front {url}: baked edition at {url}{PREFIX}, the live app at {url}/ (via {proxy})", flush=True)
        if args.serve:
            signal.signal(signal.SIGTERM, signal.default_int_handler)   # stop the servers and proxy on TERM too
            with contextlib.suppress(KeyboardInterrupt):
                while True:
                    time.sleep(3600)
            return 0
        pids = [proc.pid for _, proc, _ in servers]
        result = asyncio.run(load(url, args.readers, args.duration, args.think, page_paths(), pids,
                                  warmup=args.warmup, values=args.values))
        print_result(result)
        return 1 if result["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
