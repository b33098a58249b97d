"""Append this build's entry to data/history.csv (openclosed.history), next to the other tables of a build."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from openclosed import history, overview, vintage
from openclosed import tables as T
from pipeline import sources

FILE = "history.csv"


def previous(directory: Path) -> pd.DataFrame:
    """The published history, validated; empty when there is none yet."""
    return T.read("history", Path(directory)) if (Path(directory) / FILE).exists() else history.empty()


def add_entry(previous_dir: Path, out: Path, prev_models: pd.DataFrame | None) -> pd.DataFrame:
    """Write out/history.csv: the previous history plus this build's entry (from out's tables and overview state),
    and list it in out/provenance.json."""
    out = Path(out)
    state = json.loads((out / overview.STATE_FILE).read_text())
    built = vintage.of(pd.read_csv(out / "source_dates.csv", keep_default_na=False, dtype=str))
    models = pd.read_csv(out / "models.csv", keep_default_na=False, dtype=str, usecols=["model_id", "name"])
    rows = history.append(previous(previous_dir), history.entry(built, state["numbers"], state["claims"],
                                                                prev_models, models))
    rows = T.validate("history", history.sort(rows))
    rows.to_csv(out / FILE, index=False, lineterminator="\n")
    path = out / "provenance.json"
    provenance = json.loads(path.read_text())
    table = T.TABLES["history"]
    curated = next((s for t in provenance.values() for s in t["sources"] if s["id"] == "curated"),
                   {"id": "curated", **sources.provenance("curated")})     # with this build's dates
    provenance["history"] = {"description": table.description, "rows": int(len(rows)), "columns": list(rows.columns),
                             "key": list(table.key), "sources": [curated]}
    path.write_text(json.dumps(provenance, indent=1, sort_keys=True) + "\n")
    return rows
