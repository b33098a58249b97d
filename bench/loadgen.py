"""Protocol-level load generator: simulated readers speaking Streamlit's websocket protocol, no browser.

    .venv/bin/python -m bench.loadgen --url http://127.0.0.1:8501 --readers 60 --duration 60 --think 3
    .venv/bin/python -m bench.loadgen --cold        # first page after a server start, app vs one-chart app

Each reader does what a browser tab does: GET /_stcore/health (sets the XSRF cookie and, behind the proxy, the
affinity cookie), opens /_stcore/stream with subprotocols ["streamlit", <xsrf cookie>], asks for its page by
name, then every --think seconds changes one control in the page's main area (read from the page's own
ForwardMsgs) and waits for `script_finished`. Readers are spread over every page of streamlit_app.py. It reports
latency percentiles, errors, the server's RSS and CPU, and its own CPU (a generator near 100% of a core is
starved and its latencies are inflated).
"""
from __future__ import annotations

import argparse
import ast
import asyncio
import contextlib
import http.client
import json
import math
import os
import random
import sys
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402
from streamlit.proto.WidgetStates_pb2 import WidgetState  # noqa: E402

MAIN = 0                       # delta_path[0]: 0 main area, 1 sidebar
TIMEOUT = 60.0                 # seconds one script run may take before it counts as an error
DONE = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY,
        ForwardMsg.FINISHED_WITH_COMPILE_ERROR}


# ---------------------------------------------------------------- pure parts (unit-tested)

def percentile(xs: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100); nan for no data."""
    if not xs:
        return float("nan")
    xs = sorted(xs)
    rank = max(1, math.ceil(q / 100 * len(xs)))
    return xs[rank - 1]


def summarise(xs: list[float]) -> dict:
    return {"n": len(xs), "p50": percentile(xs, 50), "p95": percentile(xs, 95), "max": max(xs, default=float("nan"))}


def page_paths(app_file: Path = ROOT / "streamlit_app.py") -> list[str]:
    """URL paths of the st.Page(...) calls in the entry script (url_path=, else the file's stem); the default
    page is served at the root, "". The report's own entry script builds its pages from the section registry."""
    if app_file == ROOT / "streamlit_app.py":
        from openclosed import report
        return ["" if s.default else s.url_path for s in report.SECTIONS]
    paths = []
    for node in ast.walk(ast.parse(app_file.read_text())):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) == "Page":
            kw = {k.arg: k.value for k in node.keywords}
            if isinstance(kw.get("default"), ast.Constant) and kw["default"].value is True:
                paths.append("")
            elif "url_path" in kw and isinstance(kw["url_path"], ast.Constant):
                paths.append(kw["url_path"].value)
            elif node.args and isinstance(node.args[0], ast.Constant):
                paths.append(Path(node.args[0].value).stem)
    return paths


@dataclass
class Widget:
    """A control as the page declared it: enough to send a valid new value the way the frontend does."""
    id: str
    kind: str                  # selectbox, radio, toggle, slider, select_slider, segmented, multiselect
    options: list = field(default_factory=list)
    default: list = field(default_factory=list)   # option indices, or numbers for a numeric slider
    lo: float = 0.0
    hi: float = 0.0
    step: float = 1.0
    multi: bool = False
    max_selections: int = 0
    fragment_id: str = ""

    def limited(self, k: int) -> "Widget":
        """The same control with at most k values to choose from (the default among them): a crowd that keeps
        to a few common settings, so the server's caches can answer. k=0: every valid value."""
        if k <= 0:
            return self
        if self.kind == "slider":
            steps = max(1, int(round((self.hi - self.lo) / self.step)))
            stride = max(1, steps // max(1, k - 1))
            return Widget(self.id, self.kind, default=self.default, lo=self.lo, step=self.step * stride,
                          hi=self.lo + self.step * stride * min(k - 1, steps // stride), fragment_id=self.fragment_id)
        if self.kind in ("toggle",) or len(self.options) <= k:
            return self
        keep = sorted(set(range(k - len(self.default))) | set(d for d in self.default if d < len(self.options)))
        remap = {old: new for new, old in enumerate(keep)}
        return Widget(self.id, self.kind, [self.options[i] for i in keep], [remap[d] for d in self.default
                                                                              if d in remap],
                      multi=self.multi, max_selections=self.max_selections, fragment_id=self.fragment_id)


def widget_from_delta(delta) -> Widget | None:
    """The control in a Delta's new element, or None (not a control we drive, or disabled)."""
    if delta.WhichOneof("type") != "new_element":
        return None
    el = delta.new_element
    kind = el.WhichOneof("type")
    w = getattr(el, kind, None) if kind else None
    if w is None or getattr(w, "disabled", False) or not getattr(w, "id", ""):
        return None
    frag = delta.fragment_id
    if kind in ("selectbox", "radio") and len(w.options) > 1:
        return Widget(w.id, kind, list(w.options), [w.default], fragment_id=frag)
    if kind == "checkbox":
        return Widget(w.id, "toggle", default=[w.default], fragment_id=frag)
    if kind == "slider" and w.options:
        return Widget(w.id, "select_slider", list(w.options), [int(d) for d in w.default], fragment_id=frag)
    if kind == "slider" and w.max > w.min:
        return Widget(w.id, "slider", default=list(w.default), lo=w.min, hi=w.max, step=w.step or 1.0,
                      fragment_id=frag)
    if kind == "button_group" and len(w.options) > 1:
        return Widget(w.id, "segmented", [o.content for o in w.options], list(w.default),
                      multi=w.click_mode == w.MULTI_SELECT, fragment_id=frag)
    if kind == "multiselect" and w.options:
        return Widget(w.id, "multiselect", list(w.options), list(w.default), max_selections=w.max_selections,
                      fragment_id=frag)
    return None


def new_value(w: Widget, rng: random.Random, last: WidgetState | None = None) -> WidgetState:
    """A WidgetState with a value different from the last one sent (or the default), encoded as 1.67's frontend
    does: selectbox/radio the shown label; toggle a bool; slider a list of numbers; select_slider, segmented
    control and multiselect a list of labels."""
    s = WidgetState(id=w.id)

    def other_label(current: str | None) -> str:
        return rng.choice([o for o in w.options if o != current] or w.options)

    if w.kind in ("selectbox", "radio"):
        current = last.string_value if last else (w.options[w.default[0]] if 0 <= w.default[0] < len(w.options)
                                                  else None)
        s.string_value = other_label(current)
    elif w.kind == "toggle":
        s.bool_value = not (last.bool_value if last else bool(w.default[0]))
    elif w.kind == "slider":
        steps = max(1, int(round((w.hi - w.lo) / w.step)))
        pick = lambda: round(w.lo + rng.randint(0, steps) * w.step, 10)  # noqa: E731
        values = sorted(pick() for _ in range(max(1, len(w.default))))
        if last is not None and list(last.double_array_value.data) == values or values == list(w.default):
            values = [w.lo] * len(values) if values[0] != w.lo else [w.hi] * len(values)
        s.double_array_value.data.extend(values)
    elif w.kind == "select_slider":
        idx = sorted(rng.sample(range(len(w.options)), k=min(len(w.options), max(1, len(w.default)))))
        s.string_array_value.data.extend(w.options[i] for i in idx)
    elif w.kind == "segmented":
        current = last.string_array_value.data[0] if last and last.string_array_value.data else (
            w.options[w.default[0]] if w.default else None)
        s.string_array_value.data.append(other_label(current))
    elif w.kind == "multiselect":
        k = rng.randint(1, min(len(w.options), w.max_selections or 3, 3))
        s.string_array_value.data.extend(rng.sample(w.options, k))
    return s


def rerun_msg(page_name: str, page_hash: str, states: dict[str, WidgetState], cached: set[str],
              fragment_id: str = "", query_string: str = "") -> bytes:
    """The BackMsg a browser sends to run the script: the page by name until the server has told us its hash,
    then by hash; with every widget value the reader has set and the hashes of messages it has cached."""
    msg = BackMsg()
    cs = msg.rerun_script
    cs.query_string = query_string
    if page_hash:
        cs.page_script_hash = page_hash
    else:
        cs.page_name = page_name
    cs.widget_states.widgets.extend(states.values())
    cs.cached_message_hashes.extend(sorted(cached))
    if fragment_id:
        cs.fragment_id = fragment_id
    return msg.SerializeToString()


# ---------------------------------------------------------------- one simulated reader

class ReaderError(Exception):
    pass


class PageNotFound(ReaderError):
    """The server did not find the page by its URL path (a broken deep link); the reader can still navigate."""


def http_get_cookies(url: str, cookies: dict[str, str] | None = None) -> dict[str, str]:
    """GET /_stcore/health and return the cookies it sets (the XSRF cookie, and an affinity cookie if proxied)."""
    u = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(u.hostname, u.port or 80, timeout=TIMEOUT)
    try:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in (cookies or {}).items())} if cookies else {}
        conn.request("GET", "/_stcore/health", headers=headers)
        r = conn.getresponse()
        r.read()
        if r.status != 200:
            raise ReaderError(f"health returned {r.status}")
        jar = dict(cookies or {})
        for name, value in r.getheaders():
            if name.lower() == "set-cookie":
                k, _, v = value.split(";", 1)[0].partition("=")
                jar[k.strip()] = v.strip()
        return jar
    finally:
        conn.close()


class Reader:
    def __init__(self, url: str, page: str, rng: random.Random, values: int = 0, controls: list[str] | None = None):
        self.url, self.page, self.rng, self.values = url.rstrip("/"), page, rng, values
        self.controls = controls or []               # keep to controls whose key contains one of these
        self.ws = None
        self.page_hash = ""
        self.nav: dict[str, str] = {}                # url path -> page hash, from the navigation message
        self.widgets: dict[str, Widget] = {}
        self.states: dict[str, WidgetState] = {}
        self.cache: dict[str, Widget | None] = {}    # hash of a cacheable message -> the control it carried
        self.where: dict[str, tuple] = {}            # control id -> its delta path when last drawn

    async def connect(self):
        from websockets.asyncio.client import connect
        jar = await asyncio.to_thread(http_get_cookies, self.url)
        xsrf = jar.get("_streamlit_xsrf", "")
        ws_url = "ws" + self.url[4:] + "/_stcore/stream"
        self.ws = await connect(ws_url, subprotocols=["streamlit", xsrf] if xsrf else ["streamlit"],
                                additional_headers={"Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())},
                                origin=self.url, max_size=None, open_timeout=TIMEOUT, ping_interval=None)

    async def close(self):
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await self.ws.close()

    async def run(self, fragment_id: str = "") -> float:
        """Send one rerun and wait for it to finish; return the seconds it took."""
        start = time.perf_counter()
        seen: dict[str, Widget] = {}
        paths: list[tuple] = []                      # where this run drew (a fragment redraws one subtree)
        not_found = False
        await self.ws.send(rerun_msg(self.page, self.page_hash, self.states, set(self.cache), fragment_id))
        deadline = start + TIMEOUT
        while True:
            raw = await asyncio.wait_for(self.ws.recv(), timeout=max(0.1, deadline - time.perf_counter()))
            msg = ForwardMsg.FromString(raw)
            kind = msg.WhichOneof("type")
            if kind == "navigation":
                self.page_hash = msg.navigation.page_script_hash
                self.nav = {pg.url_pathname: pg.page_script_hash for pg in msg.navigation.app_pages}
            elif kind in ("delta", "ref_hash"):      # an element, or the hash of one the reader has cached
                if kind == "delta":
                    w = widget_from_delta(msg.delta)
                    if msg.metadata.cacheable and msg.hash:
                        self.cache[msg.hash] = w
                    if msg.delta.new_element.WhichOneof("type") == "exception":
                        raise ReaderError(f"exception on {self.page}: {msg.delta.new_element.exception.message}")
                else:
                    w = self.cache.get(msg.ref_hash)
                path = tuple(msg.metadata.delta_path)
                paths.append(path)
                if w and path[:1] == (MAIN,):
                    seen[w.id] = w
                    self.where[w.id] = path
            elif kind == "page_not_found":
                not_found = True
            elif kind == "script_finished":
                if msg.script_finished not in DONE:
                    continue
                if msg.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    raise ReaderError(f"compile error on {self.page}")
                break
        if not_found:
            # What a reader does next: pick the page from the navigation menu (by its hash). The miss still counts.
            if self.page not in self.nav:
                raise ReaderError(f"page not found and not in the navigation: {self.page}")
            self.page_hash = self.nav[self.page]
            raise PageNotFound(self.page)
        if fragment_id:
            # The fragment redrew the subtree it lives in: its controls that were not drawn again are gone (a
            # nested fragment a redraw left out no longer exists on the server).
            root = os.path.commonprefix(paths) if paths else ()
            self.widgets = {k: v for k, v in self.widgets.items()
                            if k in seen or self.where.get(k, ())[:len(root)] != tuple(root)}
            self.widgets.update(seen)
        else:
            self.widgets = seen
            self.states = {k: v for k, v in self.states.items() if k in seen}
        return time.perf_counter() - start

    async def change_control(self) -> float | None:
        """Change one control of the page's main area to another valid value; None if the page has none."""
        ids = [k for k in sorted(self.widgets) if not self.controls or any(c in k for c in self.controls)]
        if not ids:
            return None
        w = self.widgets[self.rng.choice(ids)].limited(self.values)
        self.states[w.id] = new_value(w, self.rng, self.states.get(w.id))
        return await self.run(w.fragment_id)


# ---------------------------------------------------------------- server and generator metrics

def listener_pids(port: int) -> list[int]:
    """Processes listening on a local TCP port (from /proc; Linux only)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(table).read_text().splitlines()[1:]:
                cols = line.split()
                if cols[3] == "0A" and int(cols[1].rsplit(":", 1)[1], 16) == port:
                    inodes.add(cols[9])
    pids = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            for fd in (proc / "fd").iterdir():
                with contextlib.suppress(OSError):
                    if os.readlink(fd)[8:-1] in inodes:
                        pids.append(int(proc.name))
                        break
    return pids


def proc_sample(pid: int) -> tuple[float, float]:
    """(CPU seconds used so far, RSS in MB) of one process, from psutil if installed, else /proc."""
    try:
        import psutil
        p = psutil.Process(pid)
        t = p.cpu_times()
        return t.user + t.system, p.memory_info().rss / 2**20
    except ImportError:
        stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks = os.sysconf("SC_CLK_TCK")
        rss_pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
        return (int(stat[11]) + int(stat[12])) / ticks, rss_pages * os.sysconf("SC_PAGE_SIZE") / 2**20


class Monitor:
    """Samples the server processes once a second: RSS (first, max, last) and CPU use over the run."""

    def __init__(self, pids: list[int]):
        self.pids = pids
        self.rss: list[float] = []
        self.cpu0 = self.cpu1 = 0.0
        self.t0 = self.t1 = 0.0

    def sample(self) -> tuple[float, float]:
        cpu = rss = 0.0
        for pid in self.pids:
            with contextlib.suppress(OSError):
                c, r = proc_sample(pid)
                cpu, rss = cpu + c, rss + r
        return cpu, rss

    async def run(self, stop: asyncio.Event, start: float = 0.0):
        """Sample until `stop`; the baseline (first RSS, CPU zero) is taken at perf_counter() >= start."""
        while time.perf_counter() < start and not stop.is_set():
            await asyncio.sleep(0.2)
        self.cpu0, rss = self.sample()
        self.t0 = time.perf_counter()
        self.rss.append(rss)
        while not stop.is_set():
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(stop.wait(), 1.0)
            self.cpu1, rss = self.sample()
            self.t1 = time.perf_counter()
            self.rss.append(rss)

    def report(self) -> dict:
        if not self.pids or not self.rss:
            return {}
        secs = max(1e-9, self.t1 - self.t0)
        return {"pids": self.pids, "cpu_s": round(self.cpu1 - self.cpu0, 2), "rss_start_mb": round(self.rss[0], 1), "rss_end_mb": round(self.rss[-1], 1),
                "rss_max_mb": round(max(self.rss), 1),
                "rss_growth_pct": round(100 * (self.rss[-1] / self.rss[0] - 1), 1) if self.rss[0] else None,
                "cpu_cores": round((self.cpu1 - self.cpu0) / secs, 2)}


# ---------------------------------------------------------------- the load run

async def reader_loop(url: str, page: str, seed: int, think: float, until: float, stats: dict,
                      measure_from: float = 0.0, values: int = 0, controls: list[str] | None = None):
    rng = random.Random(seed)
    await asyncio.sleep(rng.uniform(0, min(think, max(0.0, until - time.perf_counter()))))
    reader = Reader(url, page, rng, values, controls)
    try:
        await reader.connect()
        try:
            stats["open"].append((page, await reader.run()))
        except PageNotFound as e:
            stats["errors"].append(f"{page}: deep link failed: {e}")
            stats["open"].append((page, await reader.run()))
        while time.perf_counter() + think < until:
            await asyncio.sleep(think)
            took = await reader.change_control()
            if took is None:                 # a page without controls: a reader rereads it
                took = await reader.run()
            if time.perf_counter() - took >= measure_from:
                stats["change"].append((page, took))
    except Exception as e:  # noqa: BLE001 - every failure is counted and reported, never hidden
        stats["errors"].append(f"{page}: {type(e).__name__}: {e}"[:300])
    finally:
        await reader.close()


async def load(url: str, readers: int, duration: float, think: float, pages: list[str], pids: list[int],
               seed: int = 1, warmup: float = 0.0, values: int = 0, controls: list[str] | None = None) -> dict:
    """Run the readers for warmup + duration seconds; latencies, CPU and the RSS baseline count only after the
    warm-up (which fills the server's caches and lets memory settle)."""
    stats = {"open": [], "change": [], "errors": []}
    t0 = time.perf_counter()
    measure_from, until = t0 + warmup, t0 + warmup + duration
    stop = asyncio.Event()
    monitor = Monitor(pids)
    mon_task = asyncio.create_task(monitor.run(stop, measure_from))
    cpu0 = time.process_time()
    await asyncio.gather(*(reader_loop(url, pages[i % len(pages)], seed * 1000 + i, think, until, stats,
                                       measure_from, values, controls) for i in range(readers)))
    stop.set()
    await mon_task
    wall = time.perf_counter() - t0
    changes = [t for _, t in stats["change"]]
    server = monitor.report()
    if server and changes:
        server["cpu_ms_per_interaction"] = round(1000 * server["cpu_s"] / len(changes))
    result = {
        "url": url, "readers": readers, "values_per_control": values, "controls": controls or "all", "duration_s": duration, "think_s": think, "pages": pages,
        "interactions": len(changes), "per_second": round(len(changes) / duration, 2),
        "change": summarise(changes), "open": summarise([t for _, t in stats["open"]]),
        "per_page_p95": {p: percentile([t for q, t in stats["change"] if q == p], 95) for p in pages},
        "errors": len(stats["errors"]), "error_samples": stats["errors"][:5],
        "server": server, "warmup_s": warmup,
        "generator_cpu_cores": round((time.process_time() - cpu0) / wall, 2),
    }
    return result


def print_result(r: dict):
    c, o, s = r["change"], r["open"], r.get("server", {})
    print(f"{r['readers']} readers, {r['duration_s']:.0f} s (+{r['warmup_s']:.0f} s warm-up), think {r['think_s']} s, "
          f"{r['values_per_control'] or 'any'} values per control, controls {r.get('controls', 'all')}, "
          f"{len(r['pages'])} pages: "
          f"{r['interactions']} interactions ({r['per_second']}/s)")
    print(f"  control change: p50 {c['p50']:.3f} s  p95 {c['p95']:.3f} s  max {c['max']:.3f} s")
    print(f"  page open:      p50 {o['p50']:.3f} s  p95 {o['p95']:.3f} s  max {o['max']:.3f} s  (n={o['n']})")
    print("  p95 by page:    " + "  ".join(f"{p or '/'} {v:.2f}" for p, v in r["per_page_p95"].items()))
    print(f"  errors: {r['errors']}" + "".join(f"\n    {e}" for e in r["error_samples"]))
    if s:
        print(f"  server pids {s['pids']}: CPU {s['cpu_cores']} cores; RSS {s['rss_start_mb']} -> {s['rss_end_mb']} MB"
              f" (max {s['rss_max_mb']}, growth {s['rss_growth_pct']}%); "
              f"{s.get('cpu_ms_per_interaction', 'n/a')} ms server CPU per interaction")
    busy = " (starved: latencies include the generator's own queueing)" if r["generator_cpu_cores"] > 0.8 else ""
    print(f"  generator CPU: {r['generator_cpu_cores']} cores{busy}")


async def first_page(url: str, page: str) -> float:
    reader = Reader(url, page, random.Random(0))
    try:
        await reader.connect()
        return await reader.run()
    finally:
        await reader.close()


def cold_start(repeats: int = 3, pages: list[str] | None = None) -> dict:
    """Seconds from server spawn to the first page's script_finished: the app's default page (or each of `pages`,
    each the first page of its own fresh server) vs bench/baseline_app.py (median of `repeats` fresh starts)."""
    from bench.servers import streamlit_server
    out = {}
    runs = [("bench/baseline_app.py", "")] + [("streamlit_app.py", page) for page in (pages or page_paths()[:1])]
    for script, page in runs:
        totals, firsts = [], []
        for _ in range(repeats):
            spawn = time.perf_counter()
            with streamlit_server(script) as (url, _proc, _healthy_s):
                first = asyncio.run(first_page(url, page))
                totals.append(time.perf_counter() - spawn)
                firsts.append(first)
        key = script if script != "streamlit_app.py" else f"/{page}"
        out[key] = {"spawn_to_first_page_s": round(sorted(totals)[len(totals) // 2], 2),
                    "first_page_run_s": round(sorted(firsts)[len(firsts) // 2], 2)}
    base = out["bench/baseline_app.py"]["spawn_to_first_page_s"]
    out["ratio"] = {key: round(v["spawn_to_first_page_s"] / base, 2) for key, v in out.items() if key.startswith("/")}
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--url", default="http://127.0.0.1:8501")
    ap.add_argument("--readers", type=int, default=60)
    ap.add_argument("--duration", type=float, default=60, help="seconds")
    ap.add_argument("--think", type=float, default=3, help="seconds between a reader's control changes")
    ap.add_argument("--pages", nargs="*", help="URL paths to drive (default: every page of streamlit_app.py)")
    ap.add_argument("--pids", help="server PIDs to sample, comma-separated (default: whatever listens on --url's port)")
    ap.add_argument("--warmup", type=float, default=0, help="seconds of load before measuring (not counted)")
    ap.add_argument("--values", type=int, default=0,
                    help="at most this many values per control (0: any valid value, so many cache misses)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", help="also write the result to this file")
    ap.add_argument("--controls", nargs="*", help="only change controls whose key contains one of these "
                    "(e.g. perf_metric: the yardstick); default every control of the page's main area")
    ap.add_argument("--cold", action="store_true", help="measure cold start against bench/baseline_app.py instead "
                    "(with --pages: each page as the first of a fresh server)")
    args = ap.parse_args(argv)
    if args.cold:
        print(json.dumps(cold_start(pages=args.pages), indent=2))
        return 0
    pages = args.pages or page_paths()
    port = urllib.parse.urlsplit(args.url).port or 80
    pids = [int(p) for p in args.pids.split(",")] if args.pids else listener_pids(port)
    result = asyncio.run(load(args.url, args.readers, args.duration, args.think, pages, pids, args.seed,
                                args.warmup, args.values, args.controls))
    print_result(result)
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2))
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
