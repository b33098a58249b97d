"""The baked edition under a crowd: bake (when not current), serve it with Debian's nginx and deploy/nginx.conf on a
loopback port, and load it with wrk (Debian's HTTP benchmark) from many concurrent connections.

    .venv/bin/python -m bench.baked                        # 1,000 connections for 30 s over every baked page
    .venv/bin/python -m bench.baked --connections 2000 --duration 60 --first-visit

Needs nginx and wrk (apt-get install -y nginx wrk). Each connection requests the pages in turn, with
'Accept-Encoding: gzip' as a browser sends it (nginx serves the precompressed copies the bake wrote);
--first-visit adds the style and chart scripts a first visit also loads. Prints p50/p95/p99/max latency,
requests/s and errors (connect, read, write, timeout, non-2xx) against the target: p95 < 100 ms, 0 errors.
Loopback only; nginx is stopped on exit.
"""
from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.servers import free_port, stopped_after  # noqa: E402

CONFIG = ROOT / "deploy" / "nginx.conf"
PREFIX = "/read/"                      # where deploy/nginx.conf serves the edition
TARGET_P95_MS = 100.0


def nginx_config(port: int, app: str, config: Path = CONFIG) -> str:
    """deploy/nginx.conf listening on 127.0.0.1:`port`, with the live app (or the proxy in front of replicas) at
    `app` ("host:port"): the file's own `listen 8080;` and `server 127.0.0.1:8501;` lines, replaced."""
    text = config.read_text()
    for old, new in (("listen 8080;", f"listen 127.0.0.1:{port};"), ("server 127.0.0.1:8501;", f"server {app};")):
        line = re.compile(rf"^(\s*){re.escape(old)}$", re.M)
        if len(line.findall(text)) != 1:
            raise RuntimeError(f"{config} should have exactly one '{old}' line (bench/baked.py replaces it)")
        text = line.sub(lambda m: m[1] + new, text)
    return text


def nginx_exe() -> str:
    exe = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(exe).exists():
        raise SystemExit("nginx is not installed: apt-get install -y nginx")
    return exe


@contextlib.contextmanager
def nginx(port: int, app: str = "127.0.0.1:8501", prefix: Path = ROOT, timeout: float = 20):
    """nginx with deploy/nginx.conf on 127.0.0.1:`port`, serving the edition in `prefix`/baked and proxying the rest
    to `app`; yields (URL, master process id) once the edition answers (or, without an edition, once nginx answers)."""
    with tempfile.TemporaryDirectory(prefix="report-nginx-") as tmp:
        conf = Path(tmp) / "nginx.conf"
        conf.write_text(nginx_config(port, app))
        proc = subprocess.Popen([nginx_exe(), "-p", f"{prefix}/", "-c", str(conf), "-e", "stderr",
                                 "-g", f"daemon off; pid {tmp}/nginx.pid;"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        url = f"http://127.0.0.1:{port}"
        with stopped_after(proc, lambda: _answers(url + PREFIX), "nginx", timeout):
            yield url, proc.pid


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except urllib.error.HTTPError:
        return True                   # nginx is up (no edition baked: 404)
    except OSError:
        return False


def baked_paths(out: Path, first_visit: bool) -> list[str]:
    """The URL paths of the edition's pages (and with `first_visit`, its style and scripts)."""
    paths = [PREFIX + ("" if p.name == "index.html" else p.stem) for p in sorted(out.glob("*.html"))]
    if first_visit:
        paths += [f"{PREFIX}assets/{p.name}" for p in sorted((out / "assets").iterdir()) if p.suffix in (".js", ".css")]
    return paths


WRK_SCRIPT = """\
local paths = {%s}
local i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i], {["Accept-Encoding"] = "gzip"})
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %%d %%d %%d %%d %%d %%d %%d %%d %%.0f %%.0f %%.0f %%.0f\\n", summary.requests,
    summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout, latency:percentile(50),
    latency:percentile(95), latency:percentile(99), latency.max))
end
"""


def run_wrk(url: str, paths: list[str], connections: int, duration: float, threads: int) -> dict:
    """wrk over `paths` in turn; its Lua `done` hook prints the figures (latency in microseconds)."""
    exe = shutil.which("wrk")
    if exe is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(WRK_SCRIPT % ", ".join(f'"{p}"' for p in paths))
    try:
        done = subprocess.run([exe, "-t", str(threads), "-c", str(connections), "-d", f"{duration:g}s",
                               "--timeout", "10s", "-s", f.name, url], capture_output=True, text=True)
    finally:
        os.unlink(f.name)
    match = re.search(r"^RESULT (.+)$", done.stdout, re.M)
    if match is None:
        raise RuntimeError(f"wrk failed: {(done.stderr or done.stdout)[-800:]}")
    n, micros, size, connect, read, write, status, timeout_, p50, p95, p99, most = (float(x) for x in match[1].split())
    return {"requests": int(n), "seconds": micros / 1e6, "mb": size / 1e6, "p50": p50 / 1e3, "p95": p95 / 1e3,
            "p99": p99 / 1e3, "max": most / 1e3,
            "errors": {"connect": int(connect), "read": int(read), "write": int(write), "status": int(status),
                       "timeout": int(timeout_)}}


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process and its children (nginx's workers), from /proc."""
    pids = [pid] + [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    ticks = 0
    for p in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])          # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def _children_cpu() -> float:
    import resource
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--connections", type=int, default=1000)
    ap.add_argument("--duration", type=float, default=30)
    ap.add_argument("--threads", type=int, default=2, help="wrk threads (default 2: the machine's cores)")
    ap.add_argument("--first-visit", action="store_true", help="also load the style and chart scripts")
    args = ap.parse_args(argv)
    from ui import bake
    if bake.main([]) != 0:
        return 1
    paths = baked_paths(bake.OUT, args.first_visit)
    before = load_average()
    with nginx(free_port()) as (url, pid):
        cpu = cpu_seconds(pid)
        wrk_cpu = _children_cpu()
        result = run_wrk(url, paths, args.connections, args.duration, args.threads)
        cpu, wrk_cpu = cpu_seconds(pid) - cpu, _children_cpu() - wrk_cpu
    errors = sum(result["errors"].values())
    meets = result["p95"] < TARGET_P95_MS and errors == 0
    print(f"{len(paths)} paths under {url}{PREFIX}, {args.connections} connections, {result['seconds']:.0f} s, "
          f"wrk {args.threads} threads; load average before {before}, after {load_average()}")
    print(f"requests {result['requests']} ({result['requests'] / result['seconds']:.0f}/s, "
          f"{result['mb'] / result['seconds']:.1f} MB/s)  latency p50 {result['p50']:.1f} ms  p95 {result['p95']:.1f} ms"
          f"  p99 {result['p99']:.1f} ms  max {result['max']:.1f} ms")
    print(f"nginx CPU {cpu:.1f} s ({cpu / result['seconds']:.2f} cores, {cpu / result['requests'] * 1e6:.0f} us per "
          f"request); wrk CPU {wrk_cpu:.1f} s ({wrk_cpu / result['seconds']:.2f} cores)")
    print(f"errors {errors} ({', '.join(f'{k} {v}' for k, v in result['errors'].items())})  "
          f"target p95 < {TARGET_P95_MS:.0f} ms, 0 errors: {'meets' if meets else 'MISSES'}")
    return 0 if meets else 1


if __name__ == "__main__":
    sys.exit(main())
