"""Publishing a build safely: stop on bad input, write into a temporary folder, then swap it in.

Used by pipeline.build. A build stops (BuildStopped, the report names source and problem, the
output folder is left untouched) when
- a loader fails on the raw files (e.g. a column the loader needs is gone),
- a table breaks its schema (openclosed.tables),
- a notable model is unmatched: one of the top TOP_N models by a source's main metric (newest
  snapshot) is known to no other source, unless it was already unmatched in the previous build
  (with no previous build this is only a warning).
Otherwise the tables and the changelog (pipeline.changelog) are written next to the output folder
and moved into place in one rename.
"""
from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from openclosed import overview
from openclosed import tables as T
from pipeline import changelog
from pipeline import history, sources

TOP_N = 3
# Each scored source's headline metric: the one whose leaders must be recognisable elsewhere.
MAIN_METRIC = sources.main_metrics()      # declared in each source's SPEC


class BuildStopped(Exception):
    """The build was stopped; the message is the report."""


def run_loaders_checked(run: Callable, raw: Path, names: list[str]) -> dict:
    """Run each loader; a failure becomes a report naming the source and the problem."""
    outputs = {}
    for name in names:
        try:
            outputs.update(run(raw, [name]))
        except Exception as err:  # noqa: BLE001 - any loader failure must stop with a report
            problem = f"missing column or key {err}" if isinstance(err, KeyError) else f"{type(err).__name__}: {err}"
            raise BuildStopped(f"source '{name}': its raw files in {raw} could not be read: {problem}") from None
    return outputs


def top_models(scores: pd.DataFrame) -> pd.DataFrame:
    """Per source: the TOP_N model ids by its main metric in the newest snapshot of that metric."""
    parts = []
    for source, metric in MAIN_METRIC.items():
        s = scores[(scores["source"] == source) & (scores["metric"] == metric)]
        if not len(s):
            continue
        dates = s["snapshot"].astype(str).str.rsplit(":", n=1).str[-1]  # "family:YYYY-MM-DD" or a date
        s = s[dates == dates.max()]
        best = s.groupby("model_id", sort=True)["value"].max().sort_values(ascending=False, kind="mergesort")
        parts.append(pd.DataFrame({"source": source, "metric": metric, "model_id": best.index[:TOP_N],
                                   "value": best.values[:TOP_N], "rank": range(1, min(TOP_N, len(best)) + 1)}))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=["source", "metric", "model_id", "value", "rank"])


def unmatched_notable(built: dict[str, pd.DataFrame], previous: dict[str, pd.DataFrame]) -> list[str]:
    """Problems: top models of a source that no other source knows, and that were matched before."""
    if "scores" not in built or "models" not in built:
        return []
    lonely = set(built["models"].loc[built["models"]["n_sources"] <= 1, "model_id"])
    prev_models = previous.get("models")
    known_lonely = set(prev_models.loc[prev_models["n_sources"] <= 1, "model_id"]) if prev_models is not None else set()
    names = dict(zip(built["models"]["model_id"], built["models"]["name"]))
    problems = []
    for r in top_models(built["scores"]).itertuples():
        if r.model_id in lonely and r.model_id not in known_lonely:
            problems.append(f"source '{r.source}': #{r.rank} model on {r.metric} ({names.get(r.model_id, r.model_id)}, "
                            f"{r.value:g}) matches no model in any other source; add an alias in "
                            "pipeline/curated/aliases.csv or check the new data")
    return problems


def _swap(new: Path, target: Path) -> None:
    old = target.parent / f".{target.name}.old-{os.getpid()}"
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    new.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def _same_tables(a: Path, b: Path) -> bool:
    """The two folders hold byte-identical table CSVs (then the changelog needs no recomputing)."""
    names = sorted(p.name for p in b.glob("*.csv") if p.name != history.FILE)
    return names == sorted(p.name for p in a.glob("*.csv") if p.name != history.FILE) and all(
        (a / n).read_bytes() == (b / n).read_bytes() for n in names)


def publish(built: dict[str, pd.DataFrame], origin: dict, write: Callable[[dict, dict, Path], None],
            raw: Path, out: Path, previous: Path) -> dict:
    """Check, write into a temporary folder, add the changelog against `previous`, swap into `out`."""
    prev_tables = changelog.read_dir(previous) if Path(previous).is_dir() else {}
    prev_tables.pop("history", None)    # the findings' history is appended below, not compared
    problems = unmatched_notable(built, prev_tables)
    if problems and prev_tables:
        raise BuildStopped("unmatched notable models in the new data:\n  " + "\n  ".join(problems))
    for p in problems:  # a first build has no earlier catalog to regress from: report, do not stop
        print(f"  warning: {p}")
    out = Path(out).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.parent / f".{out.name}.building-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        try:
            write(built, origin, tmp)
        except T.TableError as err:
            raise BuildStopped(f"schema violation: {err}") from None
        except SystemExit as err:
            raise BuildStopped(str(err)) from None
        kept = [Path(previous, n) for n in (changelog.JSON_FILE, changelog.MD_FILE)]
        if prev_tables and _same_tables(Path(previous), tmp) and all(p.exists() for p in kept):
            # nothing changed: the last real change stays the news
            for name in (changelog.JSON_FILE, changelog.MD_FILE):
                shutil.copyfile(Path(previous, name), tmp / name)
            log = changelog.read(tmp)
        else:
            cur_tables = changelog.read_dir(tmp)
            log = changelog.compare(prev_tables, cur_tables,
                                    changelog.snapshot_info(previous, prev_tables) if prev_tables else {},
                                    changelog.snapshot_info(None, cur_tables, raw))
            changelog.write(log, tmp)
        try:
            overview.save_state(tmp)
        except Exception as err:  # noqa: BLE001 - without it the overview page computes live
            print(f"  warning: the overview's state of play was not saved: {type(err).__name__}: {err}")
        if Path(tmp, overview.STATE_FILE).exists():     # this vintage's findings join data/history.csv
            try:
                history.add_entry(previous, tmp, prev_tables.get("models"))
            except ValueError as err:       # a damaged history, or one this build would rewrite
                raise BuildStopped(f"history: {err}") from None
        _swap(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return log
