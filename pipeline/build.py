"""Rebuild data/ from the raw public sources.

    python -m pipeline.build [--raw ../shared/raw] [--out data]

Runs every loader, matches models across sources, validates each table against its schema and
writes sorted CSVs plus data/provenance.json. The same input always gives byte-identical output.
"""
from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
from pathlib import Path

import pandas as pd

from openclosed import tables
from pipeline import catalog as cat
from pipeline import dating, eci_stitch
from pipeline import publish, sources
from pipeline.common import MENTION_COLUMNS
from pipeline.gold import evaluate
from pipeline.hosts import flag_prices

ROOT = Path(__file__).resolve().parent.parent
LOADERS = list(sources.LOADERS)     # the registry (pipeline/sources.py), in build order
# Tables keyed by a source id that the build maps to the catalog's model_id.
ID_MAPPED = {"scores", "prices", "aa_speed", "aa_index_runs"}


def run_loaders(raw: Path, names: list[str]) -> dict[str, object]:
    outputs = {}
    for name in names:
        module = importlib.import_module(f"pipeline.{name}")
        outputs[module.SOURCE] = module.load(raw)
    return outputs


def _map_ids(df: pd.DataFrame, id_map: dict[tuple[str, str], str], table: str) -> pd.DataFrame:
    keys = list(zip(df["source"], df["source_id"]))
    df = df.assign(model_id=[id_map.get(k, "") for k in keys])
    missing = df[df["model_id"] == ""]
    if len(missing):
        print(f"  {table}: dropped {len(missing)} rows with no catalog mention "
              f"(e.g. {sorted(set(missing['source_id']))[:5]})")
    return df[df["model_id"] != ""]


def assemble(outputs: dict[str, object]) -> tuple[dict[str, pd.DataFrame], dict[str, list[str]]]:
    """All finished tables, and for each the sources it draws on."""
    mentions = pd.concat([o.mentions for o in outputs.values() if o.mentions is not None], ignore_index=True)
    mentions = mentions[MENTION_COLUMNS].fillna("")
    mentions = cat.assign_model_ids(mentions)
    eci_meta = outputs["eci"].extra.get("_eci_meta") if "eci" in outputs else None
    models = cat.build_catalog(mentions, eci_meta)
    id_map = dict(zip(zip(mentions["source"], mentions["source_id"]), mentions["model_id"]))

    built: dict[str, pd.DataFrame] = {"models": models, "match_coverage": cat.coverage(mentions, models),
                                      "mentions": cat.crosswalk(mentions),
                                      "organizations": cat.organizations_table(models)}
    origin: dict[str, list[str]] = {"models": sorted(mentions["source"].unique()), "match_coverage": ["curated"],
                                    "mentions": sorted(mentions["source"].unique()), "organizations": ["curated"]}
    for kind in ("scores", "prices"):
        parts = [getattr(o, kind) for o in outputs.values() if getattr(o, kind) is not None]
        if parts:
            df = _map_ids(pd.concat(parts, ignore_index=True), id_map, kind)
            if kind == "prices":
                df = flag_prices(df.reset_index(drop=True))
            built[kind] = df
            origin[kind] = sorted(df["source"].unique())
    built["source_dates"], origin["source_dates"] = dating.table(outputs), sorted(outputs)
    for source, out in outputs.items():
        for name, df in out.extra.items():
            if name.startswith("_"):
                continue
            if name in ID_MAPPED:
                df = _map_ids(df.assign(source=source), id_map, name)
            built[name] = df
            origin[name] = [source]
    return built, origin


def add_stitched_eci(built: dict[str, pd.DataFrame], origin: dict[str, list[str]], raw: Path) -> dict:
    """Scores on the newest ECI export's scale for models it does not cover (pipeline.eci_stitch), added to
    data/scores.csv as source 'eci_stitched' (variant 'estimated'); its validation per model in
    data/eci_stitch_validation.csv; the method's checks go into provenance.json under scores."""
    scores = built.get("scores")
    if scores is None:
        return {}
    epoch = scores[(scores["metric"] == "eci") & (scores["source"] == "eci")]
    if epoch.empty:
        return {}
    snapshot = max(epoch["snapshot"])
    groups = built["models"].set_index("model_id")["open_weights"].map({True: "open", False: "closed"})
    rows, report, validation = eci_stitch.stitch(scores, raw, snapshot, groups)
    built["scores"] = pd.concat([scores, rows], ignore_index=True)
    built["scores"].attrs["checks"] = {"stitched_eci": report}
    origin["scores"] = sorted(set(origin["scores"]) | {eci_stitch.SOURCE})
    if len(rows):       # its data end at the newest estimated model; its inputs are read on their own snapshots
        dated = pd.DataFrame([{"source": eci_stitch.SOURCE, "snapshot": max(rows["date"]), "data_ends": max(rows["date"]),
                               "snapshots": snapshot}])
        built["source_dates"] = pd.concat([built["source_dates"], dated], ignore_index=True)
    built["eci_stitch_validation"] = validation.assign(snapshot=snapshot)
    origin["eci_stitch_validation"] = ["eci", "artificial_analysis", "livebench"]
    return report


def _canonical(name: str, df: pd.DataFrame) -> pd.DataFrame:
    table = tables.TABLES[name]
    ordered = list(table.columns) + sorted(c for c in df.columns if c not in table.columns)
    df = df[ordered].sort_values(list(table.key), kind="mergesort").reset_index(drop=True)
    return tables.validate(name, df)


def write(built: dict[str, pd.DataFrame], origin: dict[str, list[str]], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    provenance = {}
    dates = {r["source"]: {"snapshot": r["snapshot"] or sources.SPECS[r["source"]].snapshot,
                           "data_ends": r["data_ends"] or sources.SPECS[r["source"]].snapshot}
             for r in built.get("source_dates", pd.DataFrame(columns=["source"])).to_dict("records")}
    for name in sorted(built):
        if name not in tables.TABLES:
            raise SystemExit(f"table '{name}' has no schema in openclosed/tables.py")
        df = _canonical(name, built[name])
        df.to_csv(out / f"{name}.csv", index=False, float_format="%.10g", lineterminator="\n")
        table = tables.TABLES[name]
        provenance[name] = {
            **({"checks": built[name].attrs["checks"]} if built[name].attrs.get("checks") else {}),
            "description": table.description,
            "rows": int(len(df)),
            "columns": list(df.columns),
            "key": list(table.key),
            "sources": [{"id": s, **sources.provenance(s), **dates.get(s, {})} for s in origin[name]],
        }
    (out / "provenance.json").write_text(json.dumps(provenance, indent=1, sort_keys=True) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw", type=Path, default=ROOT.parent / "shared" / "raw")
    parser.add_argument("--out", type=Path, default=ROOT / "data")
    parser.add_argument("--only", nargs="*", help="run only these loaders (for development)")
    parser.add_argument("--no-bake", action="store_true",
                        help="do not rebuild the baked edition (done by default when writing the app's data/)")
    parser.add_argument("--previous", type=Path, default=ROOT / "data", help="published tables the changelog compares with")
    args = parser.parse_args(argv)
    if not args.raw.is_dir():
        print(f"raw data directory not found: {args.raw}", file=sys.stderr)
        return 2
    start = time.perf_counter()
    try:  # a bad snapshot stops here with a report and leaves --out untouched
        outputs = publish.run_loaders_checked(run_loaders, args.raw, args.only or LOADERS)
        built, origin = assemble(outputs)
        stitched = add_stitched_eci(built, origin, args.raw)
        publish.publish(built, origin, write, args.raw, args.out, args.previous)
    except publish.BuildStopped as err:
        print(f"build stopped, {args.out} left unchanged: {err}", file=sys.stderr)
        return 1
    if stitched:
        print(eci_stitch.summary(stitched))
    print("coverage: rows per source matched to a model seen in another source")
    for r in built["match_coverage"].itertuples():
        print(f"  {r.source:20s} {r.matched_elsewhere:5d}/{r.mentions:<5d} ({r.share_matched:.0%})"
              + (f"  notable unmatched: {r.notable_unmatched}" if r.notable_unmatched else ""))
    gold = evaluate(built["mentions"])
    print(f"gold set: {gold['same']} same / {gold['apart']} apart pairs, precision {gold['precision']:.3f}, "
          f"recall {gold['recall']:.3f}" + (f", {gold['unknown']} pairs name unknown ids" if gold["unknown"] else ""))
    for r in gold["errors"].itertuples():
        print(f"  wrong: {r.source_a}:{r.id_a} / {r.source_b}:{r.id_b} should be {r.label} ({r.reason})")
    for line in cat.catalog_counts(built["models"]):
        print(line)
    open_dups = cat.unreviewed(cat.duplicate_candidates(built["models"]))
    print(f"duplicate review: {len(open_dups)} unreviewed candidates (pipeline/curated/duplicate_review.csv)")
    for r in open_dups.head(10).itertuples():
        print(f"  unreviewed: {r.model_id_a} / {r.model_id_b} ({r.name_a} {r.date_a} / {r.name_b} {r.date_b})")
    print(f"built {len(built)} tables into {args.out} in {time.perf_counter() - start:.1f} s")
    if args.out.resolve() == (ROOT / "data").resolve() and not args.no_bake:
        rebake()
    return 0


def rebake() -> None:
    """The app's data changed: bring the baked edition up to date (ui/bake.py skips it when it is current; a
    failure leaves the live app unaffected and says so)."""
    import subprocess
    done = subprocess.run([sys.executable, "-m", "ui.bake"], cwd=ROOT, check=False)
    if done.returncode:
        print("baked edition not rebuilt (see above); setup bakes it next time", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
