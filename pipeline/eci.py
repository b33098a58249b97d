"""Epoch Capabilities Index (ECI): two snapshots, March 2026 (main) and November 2025 (hub copy).

ECI is re-estimated between snapshots, so each score row names its snapshot. A row is a checkpoint
(`Model version` without host prefix and reasoning setting, e.g. claude-3-5-sonnet-20241022), dated at
its own release date; effort settings of one checkpoint keep the best score and name it in `variant`.
Epoch's `Model name` can group several checkpoints ("Claude 3.5 Sonnet" in the Nov 2025 snapshot);
collapsing on it moved later checkpoints' scores to the first one's date, so it is not used as the id.
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from openclosed.openness import from_epoch
from pipeline.common import MENTION_COLUMNS, SCORE_COLUMNS, SourceOutput, frame, iso_date, read_csv

SOURCE = "eci"
SNAPSHOTS = {
    "2026-03-09": Path("epoch_eci/epoch_capabilities_index_2026-03-09.csv"),
    "2025-11-04": Path("epoch_benchmarking_hub/snapshot_2025-11-04/epoch_capabilities_index.csv"),
}


# "_high", "_32K", "_thinking": the reasoning setting Epoch ran a checkpoint with (a variant, not a model).
_SETTING = re.compile(r"_(minimal|low|medium|high|xhigh|max|none|unknown|thinking|\d+K)$|(?<=\d{8})-(\d+k|base)$")


def checkpoint_id(version: str) -> tuple[str, str]:
    """'chutes/DeepSeek-R1-0528' -> ('DeepSeek-R1-0528', ''); 'gpt-5-2025-08-07_high' -> ('gpt-5-2025-08-07', 'high')."""
    text = str(version).strip().rsplit("/", 1)[-1]
    m = _SETTING.search(text)
    return (text[: m.start()], m.group(1) or m.group(2)) if m else (text, "")


def _one_snapshot(path: Path, snapshot: str) -> pd.DataFrame:
    """One row per checkpoint (Model version without host prefix and setting): its best setting's score,
    dated at that checkpoint's own release date (no back-dating to an earlier version of the model)."""
    df = read_csv(path)
    df = df[df["ECI Score"].str.strip() != ""].copy()
    df["score"] = df["ECI Score"].astype(float)
    df["release"] = df["Release date"].map(iso_date)
    df["openness"] = df["Model accessibility"].map(from_epoch)
    parts = df["Model version"].map(checkpoint_id)
    df["checkpoint"] = parts.map(lambda t: t[0])
    df["setting"] = parts.map(lambda t: t[1])
    rows = []
    for ckpt, grp in df.sort_values(["checkpoint", "score", "Model version"], ascending=[True, False, True],
                                    kind="mergesort").groupby("checkpoint", sort=True):
        best = grp.iloc[0]
        filled = grp[grp["openness"] != ""]
        countries = grp[grp["Country"] != ""]
        orgs = grp[grp["Organization"] != ""]
        rows.append({
            "name": ckpt,
            "model_name": best["Model name"],
            "score": float(best["score"]),
            "setting": best["setting"],
            "release": min(d for d in grp["release"] if d) if any(grp["release"]) else "",
            "openness": filled["openness"].iloc[0] if len(filled) else "",
            "country": countries["Country"].iloc[0] if len(countries) else "",
            "organization": orgs["Organization"].iloc[0] if len(orgs) else "",
            "confidence": best["Confidence"],
            "versions": ";".join(sorted(grp["Model version"])),
            "snapshot": snapshot,
        })
    return pd.DataFrame(rows)


def load(raw: Path) -> SourceOutput:
    per_snapshot = [_one_snapshot(raw / rel, snap) for snap, rel in SNAPSHOTS.items() if (raw / rel).exists()]
    both = pd.concat(per_snapshot, ignore_index=True)
    scores = frame(pd.DataFrame({
        "source": SOURCE, "source_id": both["name"], "metric": "eci", "value": both["score"],
        "date": both["release"], "snapshot": both["snapshot"], "variant": both["setting"],
    }), SCORE_COLUMNS)
    # Mentions: the newest snapshot's metadata wins; the older one fills models it lacks.
    latest = both.sort_values("snapshot", ascending=False).drop_duplicates("name")
    mentions = frame(pd.DataFrame({
        "source": SOURCE, "source_id": latest["name"], "name": latest["name"],
        "organization": latest["organization"], "release_date": latest["release"],
        "openness": latest["openness"], "license": "", "country": latest["country"],
    }).sort_values("source_id"), MENTION_COLUMNS)
    meta = latest[["name", "confidence", "versions"]].rename(columns={"name": "source_id"})
    return SourceOutput(mentions=mentions, scores=scores.sort_values(["source_id", "snapshot"]),
                        extra={"_eci_meta": meta.sort_values("source_id").reset_index(drop=True)})
