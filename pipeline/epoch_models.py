"""Epoch AI 'Data on AI Models': notable and large-scale lists.

Produces catalog mentions and the model-level table `epoch_models` behind the geopolitics page
(country, accessibility, year, training compute). The two lists overlap; a model in both is one
row with both flags set, so the lists are never added together.
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from openclosed.openness import from_epoch
from pipeline.common import MENTION_COLUMNS, SourceOutput, SourceSpec, frame, iso_date, read_csv, to_float
from pipeline.fetching import Rule, Snapshot, check_csv, check_values, csv_rows

SOURCE = "epoch_models"
SPEC = SourceSpec(
    key=SOURCE,
    name="Epoch AI, Data on AI Models (notable and large-scale lists)",
    license="CC BY 4.0",
    citation="Epoch AI, 'Data on AI Models', epoch.ai/data/ai-models",
    snapshot="2026-01-20",
    files=("epoch_ai_models/*.csv",),
    base_url="https://epoch.ai/data",
    fetch="fetch", max_mb=60,
    name_priority=1, openness_priority=2, date_priority=1,
)
FILES = {"notable": "notable_ai_models", "large_scale": "large_scale_ai_models"}   # file name stems
_DATED = re.compile(r"_(\d{4}-\d{2}-\d{2})\.csv$")


def downloads(raw: Path, stem: str) -> list[Path]:
    """Every download of a list, oldest first: the undated ``<stem>.csv`` (the oldest copy), then
    ``<stem>_<date>.csv`` by date. Found by name, so a newer download flows through with no code change."""
    folder = Path(raw) / "epoch_ai_models"
    dated = sorted((m.group(1), p) for p in folder.glob(f"{stem}_*.csv") if (m := _DATED.search(p.name)))
    undated = [folder / f"{stem}.csv"] if (folder / f"{stem}.csv").exists() else []
    return undated + [p for _, p in dated]


def newest_file(raw: Path, stem: str) -> Path:
    found = downloads(raw, stem)
    return found[-1] if found else Path(raw) / "epoch_ai_models" / f"{stem}.csv"


def _older_names(raw: Path, newest: set[str]) -> pd.DataFrame:
    """Rows of older downloads whose model name the newest downloads dropped (Epoch's Feb 2026 large-scale list
    folds 'Gemini 2.5 Flash (Apr 2025)' .. '(Sep 2025)' into one 'Gemini 2.5 Flash'): kept as catalog mentions
    so the dated checkpoints stay identifiable, never counted in the epoch_models table."""
    parts = [read_csv(p) for stem in FILES.values() for p in downloads(raw, stem)[:-1]]
    if not parts:
        return pd.DataFrame()
    old = pd.concat(parts, ignore_index=True)
    old["Model"] = old["Model"].str.strip()
    old = old[(old["Model"] != "") & ~old["Model"].isin(newest)]
    return old.drop_duplicates("Model", keep="last")


def load(raw: Path) -> SourceOutput:
    parts = []
    for list_name, stem in FILES.items():
        df = read_csv(newest_file(raw, stem))
        df["list"] = list_name
        parts.append(df)
    both = pd.concat(parts, ignore_index=True)
    both["Model"] = both["Model"].str.strip()
    both = both[both["Model"] != ""]
    rows = []
    for name, grp in both.groupby("Model", sort=True):
        first = grp.iloc[0]
        rows.append({
            "model": name,
            "organization": first["Organization"],
            "country": first["Country (of organization)"],
            "publication_date": iso_date(first["Publication date"]),
            "openness": from_epoch(first["Model accessibility"]) or "unknown",
            "training_compute_flop": to_float(first["Training compute (FLOP)"]),
            "compute_confidence": first["Confidence"],
            "parameters": to_float(first["Parameters"]),
            "domain": first["Domain"],
            "notable": "notable" in set(grp["list"]),
            "large_scale": "large_scale" in set(grp["list"]),
        })
    models = pd.DataFrame(rows)
    models = models[models["publication_date"] != ""].sort_values("model").reset_index(drop=True)
    older = _older_names(raw, set(both["Model"]))
    if len(older):
        older = older.assign(publication_date=older["Publication date"].map(iso_date))
        older = older[older["publication_date"] != ""]
    mentions = frame(pd.concat([pd.DataFrame({
        "source": SOURCE, "source_id": models["model"], "name": models["model"],
        "organization": models["organization"], "release_date": models["publication_date"],
        "openness": models["openness"].replace("unknown", ""), "license": "", "country": models["country"],
    }), pd.DataFrame({
        "source": SOURCE, "source_id": older.get("Model", []), "name": older.get("Model", []),
        "organization": older.get("Organization", []), "release_date": older.get("publication_date", []),
        "openness": [from_epoch(a) for a in older.get("Model accessibility", [])], "license": "",
        "country": older.get("Country (of organization)", []),
    })], ignore_index=True).sort_values("source_id", kind="mergesort"), MENTION_COLUMNS)
    return SourceOutput(mentions=mentions, extra={"epoch_models": models})


# --- downloading a new snapshot (pipeline.fetch runs SPEC.fetch) ----------------------------

EPOCH_MODEL_RULES = [Rule("Model"), Rule("Publication date", "date", optional=True)]


def fetch(s: Snapshot) -> None:
    need = ["Model", "Organization", "Publication date", "Country (of organization)", "Model accessibility",
            "Training compute (FLOP)", "Confidence", "Parameters", "Domain"]
    for stem in [*FILES.values(), "frontier_ai_models"]:
        file, listed = f"{stem}.csv", stem in FILES.values()
        # the lists the loader reads are kept dated, so the newest download is the one it picks
        rel = f"epoch_ai_models/{stem}_{s.date}.csv" if listed else f"epoch_ai_models/{file}"
        previous = newest_file(s.base, stem) if listed else s.previous(rel)
        url, body = s.client.get("epoch_models", file)
        check_csv("epoch_models", file, body, need if listed else ["Model"], previous)
        check_values("epoch_models", file, csv_rows("epoch_models", file, body), EPOCH_MODEL_RULES)
        s.write("epoch_models", rel, body, url)
    s.carry("epoch_models", "epoch_ai_models/*.csv", "older downloads of the lists")
