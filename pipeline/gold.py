"""Score the matcher on the reviewed gold set `pipeline/curated/gold_pairs.csv`.

Each row names two (source, source_id) mentions and says whether they are the `same` released
checkpoint or must stay `apart`, with a one-line reason. To add a row after finding a mistake, append
`source_a,id_a,source_b,id_b,same|apart,reason` (ids exactly as in data/mentions.csv) and rebuild: the
build prints precision and recall and tests/unit/test_matching_gold.py requires precision >= 0.99 and
recall >= 0.97.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

GOLD = Path(__file__).parent / "curated" / "gold_pairs.csv"
COLUMNS = ["source_a", "id_a", "source_b", "id_b", "label", "reason"]


def read_gold(path: Path = GOLD) -> pd.DataFrame:
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in COLUMNS if c not in df.columns]
    if missing:
        raise ValueError(f"{path.name} is missing columns {missing}")
    bad = sorted(set(df["label"]) - {"same", "apart"})
    if bad:
        raise ValueError(f"{path.name}: label must be 'same' or 'apart', found {bad}")
    return df[COLUMNS]


def evaluate(mentions: pd.DataFrame, gold: pd.DataFrame | None = None) -> dict:
    """Pairwise precision and recall of the matcher on the gold pairs, and the pairs it gets wrong.

    A pair is predicted 'same' when both mentions carry the same model_id. Pairs naming a mention the
    build does not have are counted as `unknown` and left out."""
    gold = read_gold() if gold is None else gold
    ids = dict(zip(zip(mentions["source"], mentions["source_id"]), mentions["model_id"]))
    rows = []
    for r in gold.itertuples():
        a, b = ids.get((r.source_a, r.id_a)), ids.get((r.source_b, r.id_b))
        rows.append({**r._asdict(), "model_a": a, "model_b": b,
                     "predicted": None if a is None or b is None else ("same" if a == b else "apart")})
    d = pd.DataFrame(rows)
    known = d[d["predicted"].notna()]
    tp = int(((known["label"] == "same") & (known["predicted"] == "same")).sum())
    fp = int(((known["label"] == "apart") & (known["predicted"] == "same")).sum())
    fn = int(((known["label"] == "same") & (known["predicted"] == "apart")).sum())
    return {
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "recall": tp / (tp + fn) if tp + fn else 1.0,
        "same": int((known["label"] == "same").sum()), "apart": int((known["label"] == "apart").sum()),
        "unknown": int(d["predicted"].isna().sum()),
        "errors": known[known["label"] != known["predicted"]].drop(columns=["Index"], errors="ignore"),
    }
