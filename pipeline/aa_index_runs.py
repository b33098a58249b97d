"""Artificial Analysis: what one run of the Intelligence Index cost each model, and the tokens it used.

Two raw files in ``artificial_analysis/`` (SOURCES.md section 8):
- ``aa_model_data_enriched_2026-07-31.csv``: 38 models; ``intel`` (AA Intelligence Index as recorded with the
  run), ``cost`` (USD to run the whole index once), ``tokens_m`` (million tokens the model used to run it),
  ``inp``/``out`` (USD per million input/output tokens), ``type`` (Proprietary or Open weights).
- ``aa_jsonld_export_2026-07-31.json``: the site's "Cost per Task" chart (USD per index task, top models).

Mentions: one per row, source_id = ``<dataset>:<AA slug>``, matched to the catalog like any source (names are
split from their reasoning-effort suffix the way the AA loader does). Extra table ``aa_index_runs``, one row per
(dataset, slug). The file's own score, prices and open/closed label are kept, so the Cost page's two-currency
comparison can be recomputed from the raw file alone.
"""
from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd

from pipeline.artificial_analysis import split_variant
from pipeline.common import MENTION_COLUMNS, SourceOutput, SourceSpec, frame, iso_date, read_csv

SOURCE = "aa_index_runs"
SPEC = SourceSpec(
    key=SOURCE,
    name="Artificial Analysis: cost and tokens of one Intelligence Index run per model, and cost per task",
    license="Attribution required (Artificial Analysis terms of use)",
    citation="Artificial Analysis, artificialanalysis.ai (via Nirvaxstiel/artificialanalysis-at-home)",
    snapshot="2026-07-31",
    files=("artificial_analysis/aa_model_data_enriched_*.csv", "artificial_analysis/aa_jsonld_export_*.json"),
    catalog_ids=False,   # index_run:<AA slug>: the AA entries id_artificial_analysis already lists
    name_priority=10, openness_priority=10, date_priority=10,
)
RUNS_FILE = "aa_model_data_enriched_2026-07-31.csv"
JSONLD_FILE = "aa_jsonld_export_2026-07-31.json"
API_FILE = "aa_api_models_2026-07-31.json"
SNAPSHOT = "2026-07-31"
TASK_DATASET = "Cost per Task"
# The files shorten some names that AA's own API spells out for the same slug; the API's spelling lets the
# matcher find the model instead of adding a new one.
NAME_FIXES = {
    "Claude Sonnet 4.6 Adaptive": "Claude Sonnet 4.6",
    "Claude Fable 5 (with fallback)": "Claude Fable 5",
    "Nemotron 3 Super 120B": "NVIDIA Nemotron 3 Super 120B A12B",
    "Nemotron 3 Ultra 550B": "Nemotron 3 Ultra 550B A55B",
    "Nemotron 3 Ultra": "Nemotron 3 Ultra 550B A55B",
    "Nova 2.0 Pro Reasoning": "Nova 2.0 Pro Preview",
}
COLUMNS = ["source_id", "dataset", "aa_slug", "name", "open_weights", "intelligence_index", "tokens_m",
           "cost_usd_per_run", "cost_usd_per_task", "input_usd_per_mtok", "output_usd_per_mtok", "as_of"]


def _num(text) -> float:
    try:
        v = float(str(text).strip())
    except (TypeError, ValueError):
        return float("nan")
    return v if math.isfinite(v) else float("nan")


def _positive(text) -> float:
    v = _num(text)
    return v if v > 0 else float("nan")


def _runs(raw: Path) -> list[dict]:
    df = read_csv(Path(raw) / "artificial_analysis" / RUNS_FILE)
    rows = []
    for r in df.to_dict("records"):
        slug = str(r["slug"]).strip()
        if not slug:
            continue
        rows.append({"source_id": f"index_run:{slug}", "dataset": "index_run", "aa_slug": slug,
                     "name": str(r["name"]).strip(), "organization": str(r["creator"]).strip(),
                     "open_weights": str(r["type"]).strip().lower() == "open weights",
                     "intelligence_index": _num(r["intel"]), "tokens_m": _positive(r["tokens_m"]),
                     "cost_usd_per_run": _positive(r["cost"]), "cost_usd_per_task": float("nan"),
                     # a $0 list price in this file means "not priced", not free
                     "input_usd_per_mtok": _positive(r["inp"]), "output_usd_per_mtok": _positive(r["out"]),
                     "as_of": SNAPSHOT})
    return rows


def _tasks(raw: Path) -> list[dict]:
    path = Path(raw) / "artificial_analysis" / JSONLD_FILE
    if not path.exists():
        return []
    with open(path, encoding="utf-8") as fh:
        blocks = json.load(fh)
    rows = []
    for block in blocks:
        if block.get("name") != TASK_DATASET:
            continue
        for d in block.get("data") or []:
            slug = str(d.get("detailsUrl", "")).rstrip("/").split("/")[-1]
            v = _positive(d.get("costPerIntelligenceIndexTask"))
            if not slug or v != v:
                continue
            rows.append({"source_id": f"task:{slug}", "dataset": "task", "aa_slug": slug,
                         "name": str(d.get("label", "")).strip(), "organization": "", "open_weights": pd.NA,
                         "intelligence_index": float("nan"), "tokens_m": float("nan"),
                         "cost_usd_per_run": float("nan"), "cost_usd_per_task": v,
                         "input_usd_per_mtok": float("nan"), "output_usd_per_mtok": float("nan"),
                         "as_of": SNAPSHOT})
    return rows


def _api_dates(raw: Path) -> dict[str, tuple[str, str]]:
    """AA API slug -> (name without variant, release date), to date the mentions whose names agree."""
    path = Path(raw) / "artificial_analysis" / API_FILE
    if not path.exists():
        return {}
    with open(path, encoding="utf-8") as fh:
        entries = json.load(fh)["data"]
    return {str(e.get("slug")): (split_variant(e.get("name", ""))[0], iso_date(e.get("release_date")))
            for e in entries if e.get("slug")}


def load(raw: Path) -> SourceOutput:
    rows = _runs(raw) + _tasks(raw)
    api = _api_dates(raw)

    def name(r):
        return split_variant(NAME_FIXES.get(r["name"], r["name"]))[0]

    def date(r):   # only when the API's entry for the slug is the same model (slugs get reused for new checkpoints)
        n, d = api.get(r["aa_slug"], ("", ""))
        return d if n == name(r) else ""
    mentions = [{"source": SOURCE, "source_id": r["source_id"], "name": name(r),
                 "organization": r["organization"], "release_date": date(r), "openness": "", "license": "",
                 "country": ""} for r in rows]
    table = pd.DataFrame(rows, columns=COLUMNS + ["organization"])[COLUMNS]
    table["open_weights"] = table["open_weights"].map(lambda v: "" if v is pd.NA else ("yes" if v else "no"))
    return SourceOutput(
        mentions=frame(mentions, MENTION_COLUMNS).sort_values("source_id").reset_index(drop=True),
        extra={"aa_index_runs": table.sort_values("source_id").reset_index(drop=True)},
    )
