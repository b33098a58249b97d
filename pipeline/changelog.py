"""The data changelog: what changed between the previously published tables and a new build.

`compare(previous, current, ...)` works on two dicts of tables (name -> DataFrame) and returns a
JSON-ready dict:
- `models_added` / `models_removed`: catalog rows present on one side only;
- `openness_changed`: models whose open/closed class moved;
- `prices_changed`: per (model, price kind, provider, source id), input or output price moved;
- `scores_changed`: per (model, source, metric, variant), the newest value moved (a new snapshot
  of a leaderboard counts as a move only when the number differs);
- `rows`: rows added and removed per table (by the table's key);
- `headlines_changed` / `verdicts_changed`: the overview's headline numbers and claim verdicts,
  computed by the core at its defaults on both sides (failures are reported in `notes`, never raised).
`to_markdown` renders it for people; ui/changelog.py shows it on Data & methods (the JSON carries the
section titles, so the app does not import the pipeline).
"""
from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from pathlib import Path

import pandas as pd

from openclosed import tables as T
from openclosed.changelog_text import snapshot_sentence

JSON_FILE = "changelog.json"
MD_FILE = "changelog.md"
REL_TOL = 1e-9
SECTIONS = ["headlines_changed", "verdicts_changed", "models_added", "models_removed", "openness_changed",
            "prices_changed", "scores_changed"]

Tables = Mapping[str, pd.DataFrame]
LABELS = {
    "models_added": "New models", "models_removed": "Removed models", "openness_changed": "Openness changed",
    "prices_changed": "Prices that moved", "scores_changed": "Scores that moved",
    "headlines_changed": "Headline numbers that changed", "verdicts_changed": "Claim verdicts that changed",
}


def read_dir(directory: Path) -> dict[str, pd.DataFrame]:
    """Every table CSV of a data folder, read as written (no schema check: old builds may predate it)."""
    out = {}
    for name in T.TABLES:
        path = Path(directory) / f"{name}.csv"
        if path.exists():
            out[name] = pd.read_csv(path, keep_default_na=False, na_values=[""], low_memory=False)
    return out


def data_date(tables: Tables) -> str:
    """The newest snapshot date in the tables (price as_of, score snapshot); '' when none."""
    dates = []
    if "prices" in tables and len(tables["prices"]):
        dates += [str(d) for d in tables["prices"]["as_of"] if str(d) != "nan"]
    if "scores" in tables and len(tables["scores"]):
        dates += [str(s).rsplit(":", 1)[-1] for s in tables["scores"]["snapshot"] if str(s) != "nan"]
    dates = [d for d in dates if len(d) == 10 and d[4] == "-"]
    return max(dates) if dates else ""


def snapshot_info(directory: Path | None, tables: Tables, raw: Path | None = None) -> dict:
    """Snapshot date of a build: its raw manifest's date, else a recorded one, else the newest data date."""
    if raw is not None and (Path(raw) / "manifest.json").exists():
        return {"snapshot_date": json.loads((Path(raw) / "manifest.json").read_text())["snapshot_date"],
                "date_from": "raw manifest"}
    if directory is not None and (Path(directory) / JSON_FILE).exists():
        return json.loads((Path(directory) / JSON_FILE).read_text())["current"]
    return {"snapshot_date": data_date(tables), "date_from": "newest source snapshot in the tables"}


def headlines(tables: Tables) -> tuple[dict[str, str], dict[str, dict], list[str]]:
    """The overview's headline numbers and claim verdicts at default settings (guarded)."""
    from openclosed import overview
    notes: list[str] = []
    try:
        d = overview.defaults(tables)
    except Exception as err:  # noqa: BLE001 - a failure here must not break the build
        return {}, {}, [f"headline numbers could not be computed: {type(err).__name__}: {err}"]
    numbers, verdicts = {}, {}
    try:
        numbers = {n["label"]: n["value"] for n in overview.five_numbers(d)}
    except Exception as err:  # noqa: BLE001
        notes.append(f"headline numbers could not be computed: {type(err).__name__}: {err}")
    try:
        checked = overview.check_claims(tables["claims"], d)
        verdicts = {r.claim_id: {"claim": r.claim, "verdict": r.verdict} for r in checked.itertuples()}
    except Exception as err:  # noqa: BLE001
        notes.append(f"claim verdicts could not be computed: {type(err).__name__}: {err}")
    return numbers, verdicts, notes


def _num(x) -> float:
    try:
        return float(x)
    except (TypeError, ValueError):
        return float("nan")


def _moved(a, b) -> bool:
    a, b = _num(a), _num(b)
    if math.isnan(a) and math.isnan(b):
        return False
    if math.isnan(a) or math.isnan(b):
        return True
    return not math.isclose(a, b, rel_tol=REL_TOL, abs_tol=1e-12)


def _clean(value):
    """JSON-safe scalar: NaN -> None, numpy -> Python."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _names(*frames: pd.DataFrame) -> dict[str, str]:
    out: dict[str, str] = {}
    for df in frames:
        if df is not None and "model_id" in df and "name" in df:
            out.update(zip(df["model_id"].astype(str), df["name"].astype(str)))
    return out


def _model_changes(prev: pd.DataFrame, cur: pd.DataFrame) -> dict[str, list[dict]]:
    cols = ["model_id", "name", "organization", "openness"]
    p, c = prev.set_index("model_id", drop=False), cur.set_index("model_id", drop=False)
    added = sorted(set(c.index) - set(p.index))
    removed = sorted(set(p.index) - set(c.index))
    both = sorted(set(p.index) & set(c.index))
    moved = [{"model_id": m, "name": str(c.at[m, "name"]), "before": str(p.at[m, "openness"]),
              "after": str(c.at[m, "openness"])} for m in both if str(p.at[m, "openness"]) != str(c.at[m, "openness"])]
    rows = lambda df, ids: [{k: _clean(df.at[m, k]) for k in cols} for m in ids]  # noqa: E731
    return {"models_added": rows(c, added), "models_removed": rows(p, removed), "openness_changed": moved}


def _price_changes(prev: pd.DataFrame, cur: pd.DataFrame, names: dict[str, str]) -> list[dict]:
    key = ["model_id", "source", "price_kind", "provider", "source_id"]
    merged = prev.merge(cur, on=key, suffixes=("_before", "_after"))
    out = []
    for r in merged.to_dict("records"):
        if _moved(r["input_usd_per_mtok_before"], r["input_usd_per_mtok_after"]) or \
                _moved(r["output_usd_per_mtok_before"], r["output_usd_per_mtok_after"]):
            out.append({**{k: r[k] for k in key}, "name": names.get(str(r["model_id"]), ""),
                        **{f"{side}_{io}": _clean(r[f"{io}_usd_per_mtok_{side}"])
                           for io in ("input", "output") for side in ("before", "after")},
                        "as_of_before": _clean(r["as_of_before"]), "as_of_after": _clean(r["as_of_after"])})
    return sorted(out, key=lambda r: tuple(str(r[k]) for k in key))


def _latest_scores(df: pd.DataFrame) -> pd.DataFrame:
    key = ["model_id", "source", "metric", "variant"]
    df = df.assign(variant=df["variant"].fillna("").astype(str))
    return df.sort_values([*key, "snapshot", "source_id"], kind="mergesort").groupby(key, sort=True).tail(1)


def _score_changes(prev: pd.DataFrame, cur: pd.DataFrame, names: dict[str, str]) -> list[dict]:
    key = ["model_id", "source", "metric", "variant"]
    merged = _latest_scores(prev).merge(_latest_scores(cur), on=key, suffixes=("_before", "_after"))
    out = [{**{k: r[k] for k in key}, "name": names.get(str(r["model_id"]), ""),
            "before": _clean(r["value_before"]), "after": _clean(r["value_after"]),
            "snapshot_before": str(r["snapshot_before"]), "snapshot_after": str(r["snapshot_after"])}
           for r in merged.to_dict("records") if _moved(r["value_before"], r["value_after"])]
    return sorted(out, key=lambda r: tuple(str(r[k]) for k in key))


def _row_counts(prev: Tables, cur: Tables) -> dict[str, dict]:
    out = {}
    for name in sorted(set(prev) | set(cur)):
        key = list(T.TABLES[name].key) if name in T.TABLES else []
        a, b = prev.get(name), cur.get(name)
        if a is None or b is None or not key or not set(key) <= set(a.columns) & set(b.columns):
            out[name] = {"added": int(len(b)) if b is not None else 0, "removed": int(len(a)) if a is not None else 0}
            continue
        ka = set(a[key].astype(str).itertuples(index=False, name=None))
        kb = set(b[key].astype(str).itertuples(index=False, name=None))
        if ka != kb:
            out[name] = {"added": len(kb - ka), "removed": len(ka - kb)}
    return out


def compare(prev: Tables, cur: Tables, prev_info: dict, cur_info: dict,
            headline_fn: Callable[[Tables], tuple] = headlines) -> dict:
    """The changelog between two table sets (see the module docstring)."""
    names = _names(prev.get("models"), cur.get("models"))
    log: dict = {"previous": prev_info, "current": cur_info}
    if "models" in prev and "models" in cur:
        log.update(_model_changes(prev["models"], cur["models"]))
    log["prices_changed"] = _price_changes(prev["prices"], cur["prices"], names) \
        if "prices" in prev and "prices" in cur else []
    log["scores_changed"] = _score_changes(prev["scores"], cur["scores"], names) \
        if "scores" in prev and "scores" in cur else []
    log["rows"] = _row_counts(prev, cur)
    # headlines need both sides (a first build has nothing to compare with)
    nums_a, verd_a, notes_a = headline_fn(prev) if prev and cur else ({}, {}, [])
    nums_b, verd_b, notes_b = headline_fn(cur) if prev and cur else ({}, {}, [])
    log["headlines_changed"] = [{"label": k, "before": nums_a.get(k), "after": nums_b.get(k)}
                                for k in sorted(set(nums_a) | set(nums_b)) if nums_a.get(k) != nums_b.get(k)]
    log["verdicts_changed"] = [
        {"claim_id": k, "claim": (verd_b.get(k) or verd_a.get(k))["claim"],
         "before": (verd_a.get(k) or {}).get("verdict"), "after": (verd_b.get(k) or {}).get("verdict")}
        for k in sorted(set(verd_a) | set(verd_b))
        if (verd_a.get(k) or {}).get("verdict") != (verd_b.get(k) or {}).get("verdict")]
    log["notes"] = [f"previous: {n}" for n in notes_a] + [f"current: {n}" for n in notes_b]
    for section in SECTIONS:
        log.setdefault(section, [])
    log["summary"] = {s: len(log[s]) for s in SECTIONS}
    log["labels"] = [[s, LABELS[s]] for s in SECTIONS]  # the app shows sections in this order, with these titles
    return log


def is_empty(log: dict) -> bool:
    return not any(log["summary"].values()) and not log["rows"]




def _md_table(rows: list[dict], limit: int = 50) -> list[str]:
    cols = list(rows[0])
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join("" if r[c] is None else str(r[c]).replace("|", "\\|") for c in cols) + " |"
              for r in rows[:limit]]
    if len(rows) > limit:
        lines.append(f"\n… and {len(rows) - limit} more (see changelog.json)")
    return lines


def to_markdown(log: dict) -> str:
    prev, cur = log["previous"].get("snapshot_date") or "none", log["current"].get("snapshot_date") or "?"
    title = f"snapshot {cur} (rebuilt)" if prev == cur else f"snapshot {prev} → {cur}"
    lines = [f"# Data changelog: {title}", "", snapshot_sentence(log, bold=False), ""]
    if is_empty(log):
        lines.append("No table changed.")
    for section in SECTIONS:
        if log[section]:
            lines += [f"## {LABELS[section]} ({len(log[section])})", "", *_md_table(log[section]), ""]
    if log["rows"]:
        lines += ["## Rows added and removed per table", "",
                  *_md_table([{"table": t, **v} for t, v in log["rows"].items()]), ""]
    lines += [f"- {n}" for n in log["notes"]]
    return "\n".join(lines).rstrip() + "\n"


def read(directory: Path) -> dict:
    return json.loads(Path(directory, JSON_FILE).read_text())


def write(log: dict, directory: Path) -> None:
    Path(directory, JSON_FILE).write_text(json.dumps(log, indent=1, sort_keys=True, allow_nan=False) + "\n")
    Path(directory, MD_FILE).write_text(to_markdown(log))
