"""Memory soak: one fresh server under steady load; RSS after the warm-up vs at the end must grow < 10%.

    .venv/bin/python -m bench.soak --minutes 10 --readers 30        # the target run
    .venv/bin/python -m bench.soak --minutes 2 --readers 30 --warmup 60

Uses the app's own config (.streamlit/config.toml, runner.postScriptGC = false); add
`--gc` to compare with Streamlit's default gc.collect() after every run.
"""
from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.loadgen import load, page_paths, print_result  # noqa: E402
from bench.servers import streamlit_server  # noqa: E402

MAX_GROWTH_PCT = 10


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--minutes", type=float, default=10)
    ap.add_argument("--readers", type=int, default=30)
    ap.add_argument("--think", type=float, default=3)
    ap.add_argument("--warmup", type=float, default=60, help="seconds of load before the RSS baseline")
    ap.add_argument("--values", type=int, default=0, help="values per control (0: any, the harder case)")
    ap.add_argument("--gc", action="store_true", help="run with runner.postScriptGC=true instead")
    args = ap.parse_args(argv)
    extra = ["--runner.postScriptGC", "true"] if args.gc else []
    with streamlit_server("streamlit_app.py", extra_args=extra) as (url, proc, _):
        result = asyncio.run(load(url, args.readers, args.minutes * 60, args.think, page_paths(), [proc.pid],
                                  warmup=args.warmup, values=args.values))
    print_result(result)
    growth = result["server"]["rss_growth_pct"]
    ok = growth < MAX_GROWTH_PCT and result["errors"] == 0
    print(f"soak: RSS growth {growth}% (target < {MAX_GROWTH_PCT}%), {result['errors']} errors: "
          f"{'meets' if ok else 'MISSES'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
