"""Total and active parameter counts of open models, for sizing self-hosting (curated, one source per row).

`pipeline/curated/model_params.csv` -> extra table `model_params`: `model_id` (catalog id), `params_b` (total,
billions), `active_params_b` (per token, billions; empty when no source states it), `source` (where the total
comes from: a row of Epoch AI's notable models file of 2026-07-15, `raw/epoch_ai_models/`), `active_source` (the
sentence stating the active count: Epoch's notes, the model card, or the model's own name such as 'A17B'; a dense
model's active count is its total), `quote` (Epoch's parameter notes), `url`. A later checkpoint of the same
model with no row of its own in Epoch takes that model's counts, and says so in `source`.
Not derived at build time: `raw` is accepted for the loader contract.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.common import SourceOutput, SourceSpec, read_curated

SOURCE = "model_params"
SPEC = SourceSpec(
    key=SOURCE,
    name="Parameter counts of open models: Epoch AI notable models (2026-07-15) and model cards, curated",
    license="CC BY 4.0 (Epoch AI); model cards as cited per row",
    citation="Epoch AI, 'Data on AI Models' (notable models, 2026-07-15), and the model cards cited per row",
    snapshot="2026-07-15",
)
FILE = Path(__file__).resolve().parent / "curated" / "model_params.csv"
COLUMNS = ["model_id", "params_b", "active_params_b", "source", "active_source", "quote", "url"]


def build(path: Path = FILE) -> pd.DataFrame:
    df = read_curated(path, COLUMNS, ["params_b", "active_params_b"], "model_id")
    bad = df[df["active_params_b"] > df["params_b"]]
    if len(bad):
        raise ValueError(f"{path.name}: more active than total parameters for {sorted(bad['model_id'])}")
    return df


def load(raw: Path | None = None) -> SourceOutput:
    return SourceOutput(extra={"model_params": build()})
