"""One short real-server run of the load generator against bench/smoke_app.py (one control of each kind): the
handshake, the page run, control changes the server accepts. The app raises on a value it did not offer."""
import asyncio
import time

from bench.loadgen import listener_pids, load
from bench.servers import streamlit_server


def test_loadgen_drives_a_real_server():
    start = time.perf_counter()
    with streamlit_server("bench/smoke_app.py") as (url, proc, _):
        assert listener_pids(int(url.rsplit(":", 1)[1])) == [proc.pid]
        result = asyncio.run(load(url, readers=2, duration=4, think=0.5, pages=[""], pids=[proc.pid]))
    assert result["errors"] == 0, result["error_samples"]
    assert result["open"]["n"] == 2 and result["interactions"] >= 3
    assert result["server"]["rss_start_mb"] > 50 and result["server"]["cpu_s"] > 0
    assert time.perf_counter() - start < 20
