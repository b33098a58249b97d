"""CPU per cache miss, in one process (no server): the data is read once, then each section's cards are built for
N random settings of its controls (declared in openclosed/urlstate.py), as a server does when a reader moves a
control nobody has tried. Prints CPU ms per miss (time.process_time, so other work on the machine counts less),
optionally the top functions (cProfile) and a JSON dump of every card for before/after diffs.

    .venv/bin/python -m bench.misses                       # ms per miss, every section with cards
    .venv/bin/python -m bench.misses --sections cost --profile 15
    .venv/bin/python -m bench.misses --dump /tmp/cards.json   # every card at the defaults and the random settings
    .venv/bin/python -m bench.misses --per-card               # each card alone, as the pages build them
"""
from __future__ import annotations

import argparse
import cProfile
import json
import math
import pstats
import random
import time

from openclosed import report, tables as T, urlstate

SECTIONS = ("advisor", "cost", "geo", "risk", "performance")


def random_values(section: str, tables, rng: random.Random) -> dict:
    """A random value for each of the section's controls that a card reads (unbounded numbers keep the default)."""
    values = {}
    for p in urlstate.params(section):
        if p.field is None:
            continue
        value = urlstate.default(section, p)
        if p.kind == "bool":
            value = rng.random() < 0.5
        elif p.kind == "number" and all(math.isfinite(b) for b in p.bounds):
            value = p.cast(rng.uniform(*p.bounds))
        elif p.kind in ("choice", "multi", "range") and p.labels is not None:
            options = list(p.labels(tables))
            if p.kind == "choice":
                value = rng.choice(options)
            elif p.kind == "multi":
                value = rng.sample(options, rng.randint(1, len(options)))
            else:
                value = tuple(sorted(rng.sample(range(len(options)), 2)))
                value = tuple(options[i] for i in value)
        elif p.kind == "range" and all(math.isfinite(b) for b in p.bounds):
            value = tuple(sorted(p.cast(rng.uniform(*p.bounds)) for _ in range(2)))
        values[p.key] = value
    return values


def card_record(card) -> dict:
    return {"title": card.title, "subtitle": card.subtitle, "alt": card.alt, "method": card.method,
            "settings": card.settings, "sources": card.sources, "spec": card.spec,
            "data": card.data.to_csv(index=False)}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sections", nargs="*", default=list(SECTIONS))
    ap.add_argument("-n", type=int, default=12, help="random settings per section")
    ap.add_argument("--seed", type=int, default=30)
    ap.add_argument("--profile", type=int, default=0, help="print this many top functions (cumulative)")
    ap.add_argument("--per-card", action="store_true",
                    help="build each card alone from the settings it reads (report.section_card, the page's path) "
                         "where the section declares CARD_READS")
    ap.add_argument("--dump", help="write every card (defaults first, then each random setting) to this JSON file")
    args = ap.parse_args(argv)
    tables = {name: T.read(name) for name in T.TABLES}
    dump = {}
    for key in args.sections:
        sec = report.section(key)
        rng = random.Random(args.seed)
        settings = [urlstate.settings_from_values(key, random_values(key, tables, rng)) for _ in range(args.n)]
        cards = report.section_cards(sec, tables, None)          # the defaults: warms per-table work
        dump[f"{key}/default"] = {k: card_record(c) for k, c in cards.items()}
        prof = cProfile.Profile() if args.profile else None
        reads = report.card_reads(sec) if args.per_card else {}      # sections without CARD_READS: all cards at once
        cpu = []
        for i, s in enumerate(settings):
            t0 = time.process_time()
            if prof:
                prof.enable()
            cards = ({k: report.section_card(sec, tables, s, k) for k in reads} if reads
                     else report.section_cards(sec, tables, s))
            if prof:
                prof.disable()
            cpu.append(1000 * (time.process_time() - t0))
            if args.dump:
                dump[f"{key}/{i}"] = {k: card_record(c) for k, c in cards.items()}
        cpu.sort()
        print(f"{key:12s} ms per miss (CPU, {len(cpu)} settings): median {cpu[len(cpu) // 2]:.0f}  "
              f"mean {sum(cpu) / len(cpu):.0f}  min {cpu[0]:.0f}  max {cpu[-1]:.0f}", flush=True)
        if prof:
            pstats.Stats(prof).sort_stats("cumulative").print_stats(args.profile)
    if args.dump:
        with open(args.dump, "w") as f:
            json.dump(dump, f, sort_keys=True, default=str, indent=0)


if __name__ == "__main__":
    main()
