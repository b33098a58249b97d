"""Server time per presenter-mode step: the app's script run for each slide, stepped one by one as the Next button
and the arrow keys do (AppTest, in process, no browser). Target: < 300 ms per step once the cards are built.

    .venv/bin/python -m bench.slide_steps [--slides N]
"""
from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "streamlit_app.py")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slides", type=int, default=0, help="step through this many slides (0: all)")
    args = parser.parse_args(argv)
    at = AppTest.from_file(APP, default_timeout=600)
    at.query_params["presenter"] = "true"
    at.query_params["slide"] = "1"
    started = time.perf_counter()
    at.run()
    print(f"first run (computes every section's cards): {time.perf_counter() - started:.1f} s")
    counter = next(m.value for m in at.markdown if m.value.startswith("**Slide "))
    n = int(counter.split(" of ")[1].split("**")[0])
    steps = []
    for i in range(2, (args.slides or n) + 1):
        at.query_params["slide"] = str(i)
        started = time.perf_counter()
        at.run()
        steps.append((time.perf_counter() - started) * 1000)
        assert not at.exception, at.exception
        assert any(m.value.startswith(f"**Slide {i} of") for m in at.markdown), f"slide {i} not shown"
    steps_sorted = sorted(steps)
    print(f"{len(steps)} steps: median {statistics.median(steps):.0f} ms, "
          f"p90 {steps_sorted[int(0.9 * (len(steps) - 1))]:.0f} ms, max {max(steps):.0f} ms "
          f"(slide {steps.index(max(steps)) + 2})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
