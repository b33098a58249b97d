"""Epoch Capabilities Index (ECI): every dated export, in either of Epoch's two formats.

Snapshots are found by file name, so a newer export flows through ``pipeline.build --raw`` with no code change:
- ``epoch_eci/epoch_capabilities_index_<date>.csv``: one row per model *version* (``Model version``, ``ECI Score``,
  ``Release date``, ``Model name``, ``Confidence`` ...);
- ``epoch_eci/eci_scores_<date>.csv``: Epoch's per-model export with an interval (``Model``, ``eci``,
  ``eci_ci_low``, ``eci_ci_high``, ``date``, ``Model accessibility`` ...);
- the Benchmarking Hub's copy of November 2025 (the snapshot nearest Epoch's October 2025 lag estimate).

ECI is re-estimated between exports, so each score row names its snapshot and no chart mixes two. A row is a
checkpoint (`Model version` without host prefix and reasoning setting, e.g. claude-3-5-sonnet-20241022), dated at
its own release date; effort settings of one checkpoint keep the best score and name it in `variant`. A per-model
row takes the checkpoint id that the version-format exports give the same model name on the same release date, so
both formats name one checkpoint alike; a model no version-format export knows keeps Epoch's model name as its id.
Epoch's `Model name` can group several checkpoints ("Claude 3.5 Sonnet" in the Nov 2025 snapshot); collapsing on it
moved later checkpoints' scores to the first one's date, so it is not used as the id when versions are known.
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from openclosed.openness import from_epoch
from pipeline.common import MENTION_COLUMNS, SCORE_COLUMNS, SourceOutput, SourceSpec, frame, iso_date, read_csv

SOURCE = "eci"
SPEC = SourceSpec(
    key=SOURCE,
    name="Epoch Capabilities Index (every export in the data; each chart names the one it uses)",
    license="CC BY 4.0",
    citation="Epoch AI, 'Epoch Capabilities Index', epoch.ai/benchmarks/eci",
    snapshot="2026-03-09",
    files=("epoch_eci/epoch_capabilities_index_*.csv", "epoch_eci/eci_scores_*.csv", "epoch_benchmarking_hub/snapshot_2025-11-04/epoch_capabilities_index.csv"),
    name_priority=9, openness_priority=1, date_priority=2,
    main_metric="eci",
)
VERSION_EXPORTS = "epoch_eci/epoch_capabilities_index_*.csv"     # one row per model version
MODEL_EXPORTS = "epoch_eci/eci_scores_*.csv"                     # one row per model, with an interval
HUB_COPIES = {"2025-11-04": Path("epoch_benchmarking_hub/snapshot_2025-11-04/epoch_capabilities_index.csv")}
_DATED = re.compile(r"_(\d{4}-\d{2}-\d{2})\.csv$")


def snapshot_files(raw: Path) -> dict[str, tuple[Path, str]]:
    """snapshot date -> (file, 'version' | 'model'); a per-model export wins over a version export of the same date."""
    found: dict[str, tuple[Path, str]] = {snap: (raw / rel, "version") for snap, rel in HUB_COPIES.items()
                                          if (raw / rel).exists()}
    for pattern, kind in ((VERSION_EXPORTS, "version"), (MODEL_EXPORTS, "model")):
        for path in sorted(raw.glob(pattern)):
            m = _DATED.search(path.name)
            if m:
                found[m.group(1)] = (path, kind)
    return dict(sorted(found.items()))


# "_high", "_32K", "_thinking": the reasoning setting Epoch ran a checkpoint with (a variant, not a model).
_SETTING = re.compile(r"_(minimal|low|medium|high|xhigh|max|none|unknown|thinking|\d+K)$|(?<=\d{8})-(\d+k|base)$")


def version_export_path(snapshot: str) -> str:
    """Where a version-format export of this date lives under the raw folder (``pipeline.fetch`` writes there)."""
    return VERSION_EXPORTS.replace("*", snapshot)


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


_NAME_MONTH = re.compile(r"^(?P<base>.*?)\s*\((?P<mon>[A-Za-z]{3})[a-z]*\.?\s+(?P<year>\d{4})\)$")


def _checkpoint_for(model: str, release: str, known: pd.DataFrame) -> tuple[str, str] | None:
    """(checkpoint id, its release date) that the version-format exports give this per-model row, or None.

    Same model name on the same date; else the only checkpoint of the name; else a name dated in parentheses
    ("GPT-4o (Aug 2024)") -> the checkpoint of the base name released that month. Several on one date (a web-app
    build, a host's copy): the shortest id, then the first in order."""
    same = known[known["model_name"] == model]
    on_date = same[same["release"] == release]
    if on_date.empty and same["name"].nunique() == 1:
        on_date = same
    m = _NAME_MONTH.match(model)
    if on_date.empty and m:
        month = pd.to_datetime(f"{m['mon']} {m['year']}", format="%b %Y", errors="coerce")
        if pd.notna(month):
            base = known[known["model_name"] == m["base"]]
            on_date = base[base["release"].str.startswith(f"{month:%Y-%m}")]
    if on_date.empty:
        return None
    best = on_date.assign(n=on_date["name"].str.len()).sort_values(["n", "name"], kind="mergesort").iloc[0]
    return str(best["name"]), str(best["release"])


def _model_export(path: Path, snapshot: str, known: pd.DataFrame) -> pd.DataFrame:
    """Epoch's per-model export, one row per model with its interval, in the columns of ``_one_snapshot``.

    ``known`` holds (model_name, release, name) from the version-format exports (see ``_checkpoint_for``); a model
    they do not know keeps its own name as id and the export's date."""
    df = read_csv(path)
    df = df[df["eci"].str.strip() != ""].copy()
    rows = []
    for r in df.to_dict("records"):
        release = iso_date(r["date"])
        hit = _checkpoint_for(r["Model"], release, known)
        rows.append({
            "name": hit[0] if hit else r["Model"],
            "model_name": r["Model"],
            "score": float(r["eci"]),
            "ci_low": float(r["eci_ci_low"]) if r["eci_ci_low"].strip() else float("nan"),
            "ci_high": float(r["eci_ci_high"]) if r["eci_ci_high"].strip() else float("nan"),
            "setting": "",
            "release": hit[1] if hit else release,
            "openness": from_epoch(r["Model accessibility"]),
            "country": r["Country (of organization)"],
            "organization": r["Organization"],
            "confidence": "",
            "versions": r.get("model_versions", ""),
            "snapshot": snapshot,
        })
    out = pd.DataFrame(rows)
    # Two models that resolve to one checkpoint: keep the best score, as the version format does.
    return out.sort_values(["name", "score"], ascending=[True, False], kind="mergesort").drop_duplicates("name")


def load(raw: Path) -> SourceOutput:
    files = snapshot_files(raw)
    per_snapshot = {snap: _one_snapshot(path, snap) for snap, (path, kind) in files.items() if kind == "version"}
    known = (pd.concat(per_snapshot.values(), ignore_index=True)[["model_name", "release", "name"]]
             .drop_duplicates() if per_snapshot else pd.DataFrame(columns=["model_name", "release", "name"]))
    for snap, (path, kind) in files.items():
        if kind == "model":
            per_snapshot[snap] = _model_export(path, snap, known)
    both = pd.concat([per_snapshot[s] for s in sorted(per_snapshot)], ignore_index=True)
    for col in ("ci_low", "ci_high"):
        if col not in both:
            both[col] = float("nan")
    scores = frame(pd.DataFrame({
        "source": SOURCE, "source_id": both["name"], "metric": "eci", "value": both["score"],
        "date": both["release"], "snapshot": both["snapshot"], "variant": both["setting"],
        "ci_low": both["ci_low"], "ci_high": both["ci_high"],
    }), SCORE_COLUMNS)
    # Mentions: the newest snapshot's metadata wins; older ones fill models it lacks.
    latest = both.sort_values("snapshot", ascending=False, kind="mergesort").drop_duplicates("name")
    mentions = frame(pd.DataFrame({
        "source": SOURCE, "source_id": latest["name"], "name": latest["name"],
        "organization": latest["organization"], "release_date": latest["release"],
        "openness": latest["openness"], "license": "", "country": latest["country"],
    }).sort_values("source_id"), MENTION_COLUMNS)
    meta = latest[["name", "confidence", "versions"]].rename(columns={"name": "source_id"})
    return SourceOutput(mentions=mentions, scores=scores.sort_values(["source_id", "snapshot"]),
                        extra={"_eci_meta": meta.sort_values("source_id").reset_index(drop=True)})
