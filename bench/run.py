"""Speed benchmark: the app beside a minimal Streamlit app and a static Vega-Lite page.

    .venv/bin/python -m bench.run [--load-seconds 60] [--sessions 1 10 30] [--skip-load]

Prints one table measured on this machine in one run. Loopback only; every loop is bounded in time.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pages import PAGES  # noqa: E402
from bench.servers import rss_mb, static_server, streamlit_server  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
STATIC = ROOT / "bench" / ".static"
SCRIPT_DONE = """() => { const a = document.querySelector("[data-testid='stApp']");
                   return a && a.getAttribute('data-test-script-state') === 'notRunning'; }"""


def p95(xs):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(0.95 * (len(xs) - 1))))] if xs else float("nan")


def measure_build() -> float:
    from pipeline import build
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        build.main(["--out", tmp])
        return time.perf_counter() - start


def measure_warm_reruns(repeats: int = 15) -> list[dict]:
    from tests.app.conftest import open_page
    rows = []
    for spec in PAGES:
        at = open_page(spec["page"])
        at.run()  # warm the caches
        times = []
        for i in range(repeats):
            if spec["control"]:
                kind, key, values = spec["control"]
                widget = getattr(at, kind)(key=key)
                widget.set_value(values[i % len(values)])
            start = time.perf_counter()
            at.run()
            times.append((time.perf_counter() - start) * 1000)
            assert not at.exception, at.exception
        rows.append({"page": spec["url"], "median_ms": statistics.median(times), "p95_ms": p95(times)})
    return rows


def ensure_static_page() -> Path:
    """A static HTML page drawing the baseline chart with vega-embed from npm (installed once)."""
    STATIC.mkdir(exist_ok=True)
    if not (STATIC / "node_modules" / "vega-embed").exists():
        subprocess.run(["npm", "install", "--silent", "--prefix", str(STATIC), "vega@6", "vega-lite@6",
                        "vega-embed@7"], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import altair as alt
    import pandas as pd
    df = pd.DataFrame({"month": pd.date_range("2023-01-01", periods=40, freq="MS"), "score": range(40)})
    spec = alt.Chart(df).mark_line().encode(x="month:T", y="score:Q").properties(width=600).to_dict()
    (STATIC / "index.html").write_text(f"""<!doctype html><html><head><meta charset="utf-8">
<script src="node_modules/vega/build/vega.min.js"></script>
<script src="node_modules/vega-lite/build/vega-lite.min.js"></script>
<script src="node_modules/vega-embed/build/vega-embed.min.js"></script></head>
<body><div id="chart"></div><script>vegaEmbed('#chart', {json.dumps(spec)}, {{actions: false}});</script>
</body></html>""")
    return STATIC


def first_chart_ms(browser, url: str, repeats: int = 3) -> float:
    times = []
    for _ in range(repeats):
        ctx = browser.new_context(viewport={"width": 1280, "height": 800})
        page = ctx.new_page()
        start = time.perf_counter()
        page.goto(url)
        page.wait_for_selector(".vega-embed canvas, .vega-embed svg", state="attached", timeout=60_000)
        times.append((time.perf_counter() - start) * 1000)
        ctx.close()
    return statistics.median(times)


async def _session(browser, url: str, spec: dict, seconds: float, latencies: list, errors: list):
    ctx = await browser.new_context(viewport={"width": 1280, "height": 800})
    page = await ctx.new_page()
    try:
        await page.goto(url, timeout=60_000)
        await page.wait_for_function(SCRIPT_DONE, timeout=60_000)
        label, options = spec["browser"]
        end = time.perf_counter() + seconds
        i = 0
        while time.perf_counter() < end:
            i += 1
            await page.locator("[data-testid='stSelectbox']").filter(has_text=label).first.click()
            start = time.perf_counter()
            await page.get_by_role("option", name=options[i % len(options)], exact=True).click()
            await page.wait_for_function(SCRIPT_DONE, timeout=30_000)
            latencies.append((time.perf_counter() - start) * 1000)
            if await page.locator("[data-testid='stException']").count():
                errors.append("exception box")
    except Exception as exc:  # a failed interaction counts as an error, the run goes on
        errors.append(type(exc).__name__)
    finally:
        await ctx.close()


async def _load(url: str, spec: dict, sessions: int, seconds: float, pid: int) -> dict:
    from playwright.async_api import async_playwright
    latencies, errors, rss = [], [], []
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)

        async def sample():
            while True:
                rss.append(rss_mb(pid))
                await asyncio.sleep(1)

        sampler = asyncio.create_task(sample())
        await asyncio.gather(*[_session(browser, url, spec, seconds, latencies, errors) for _ in range(sessions)])
        sampler.cancel()
        await browser.close()
    return {"sessions": sessions, "interactions": len(latencies), "p95_ms": p95(latencies),
            "errors": len(errors), "max_rss_mb": max(rss) if rss else float("nan")}


def measure_deck() -> float:
    from openclosed import deck, report, tables
    data = {name: tables.read(name) for name in tables.provenance()}
    start = time.perf_counter()
    cards = [c for s in report.with_cards() for c in report.section_cards(s, data).values()]
    deck.build_deck(cards, "Open vs Closed AI", "2026-08-22")
    return time.perf_counter() - start


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--load-seconds", type=float, default=60)
    ap.add_argument("--sessions", type=int, nargs="*", default=[1, 10, 30])
    ap.add_argument("--skip-load", action="store_true")
    args = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright

    out = []
    out.append(("Build data/ from ../shared/raw", f"{measure_build():.1f} s", ""))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        with streamlit_server("streamlit_app.py") as (url, proc, healthy_s):
            page = browser.new_page()
            start = time.perf_counter()
            page.goto(url)
            page.wait_for_function(SCRIPT_DONE, timeout=90_000)
            first = time.perf_counter() - start
            page.close()
            out.append(("Server cold start: process to healthy", f"{healthy_s:.1f} s", ""))
            out.append(("Cold start: healthy to first page rendered", f"{first:.1f} s", ""))
            chart_pages = [s for s in PAGES if s.get("has_chart", True) and s["url"] != "data"]
            app_first = {s["url"]: first_chart_ms(browser, f"{url}/{s['url']}") for s in chart_pages}
        with streamlit_server("bench/baseline_app.py") as (burl, _, _):
            base_streamlit = first_chart_ms(browser, burl)
        with static_server(ensure_static_page()) as surl:
            base_static = first_chart_ms(browser, surl + "/index.html")
        browser.close()

    out.append(("Baseline: minimal one-chart Streamlit app, first chart", f"{base_streamlit:.0f} ms", ""))
    out.append(("Baseline: static HTML + Vega-Lite, first chart", f"{base_static:.0f} ms", ""))
    for page_url, ms in app_first.items():
        ok = "meets" if ms <= 2 * base_streamlit else "MISSES"
        out.append((f"First chart drawn: /{page_url}", f"{ms:.0f} ms",
                    f"{ms / base_streamlit:.1f}x minimal app ({ok} <= 2x)"))
    for row in measure_warm_reruns():
        ok = "meets" if row["p95_ms"] < 300 else "MISSES"
        out.append((f"Warm rerun after a control change: /{row['page']}",
                    f"median {row['median_ms']:.0f} ms, p95 {row['p95_ms']:.0f} ms", f"{ok} < 300 ms"))
    if not args.skip_load:
        load_spec = next((s for s in PAGES if s.get("browser")), None)
        if load_spec:
            with streamlit_server("streamlit_app.py") as (url, proc, _):
                for n in args.sessions:
                    r = asyncio.run(_load(f"{url}/{load_spec['url']}", load_spec, n, args.load_seconds, proc.pid))
                    ok = "meets" if r["errors"] == 0 and r["p95_ms"] < 2000 and r["max_rss_mb"] < 1536 else "MISSES"
                    out.append((f"Load: {n} sessions x {args.load_seconds:.0f} s on /{load_spec['url']}",
                                f"{r['interactions']} interactions, p95 {r['p95_ms']:.0f} ms, "
                                f"{r['errors']} errors, RSS {r['max_rss_mb']:.0f} MB",
                                f"{ok} (0 errors, p95 < 2 s, RSS < 1.5 GB)"))
    out.append(("Slide deck export (all chart cards)", f"{measure_deck():.1f} s", "target < 15 s"))

    width = max(len(r[0]) for r in out)
    print(f"\n{'measure':{width}}  {'result':45}  target")
    print("-" * (width + 60))
    for name, value, note in out:
        print(f"{name:{width}}  {value:45}  {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
