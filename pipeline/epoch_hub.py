"""Epoch AI Benchmarking Hub: Epoch's own evaluation runs (SOURCES.md section 2).

Benchmarks: gpqa_diamond, otis_mock_aime_2024_2025, frontiermath, frontiermath_tier_4,
swe_bench_verified, simpleqa_verified, chess_puzzles, math_level_5. Each file is read from
``snapshot_2025-12-17`` when it exists there, else from ``snapshot_2025-11-04`` (never both).

Scores: metric ``epoch_<benchmark>`` in % (0-100) from ``mean_score``, or ``Best score (across
scorers)`` when there is no mean; ``stderr`` x 100; ``date`` = the model version's release date;
``snapshot`` = the snapshot date; ``variant`` = the reasoning-effort / thinking-budget suffix of
the ``Model version`` id (``gpt-5.1-2025-11-13_medium`` -> ``medium``, ``..._16K`` -> ``16K``).

Also ``metr_time_horizons_external`` -> ``metr_time_horizon_minutes`` (METR's 50 % time horizon,
minutes, with its CI), same snapshot preference.

Mentions: ``source_id`` = ``Model version`` (the same ids as ECI), name = the id without provider
prefix, effort suffix and trailing date, organization and country from the files. No openness: the
ECI join supplies it.
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from pipeline.common import MENTION_COLUMNS, SCORE_COLUMNS, SourceOutput, SourceSpec, frame, iso_date, read_csv, to_float

SOURCE = "epoch_hub"
SPEC = SourceSpec(
    key=SOURCE,
    name="Epoch AI Benchmarking Hub (every snapshot in the data; each chart names the one it uses)",
    license="CC BY 4.0",
    citation="Epoch AI, 'AI Benchmarking', epoch.ai/benchmarks",
    snapshot="2025-12-17",
    files=("epoch_benchmarking_hub/*",),
    base_url="https://epoch.ai/data",
    fetch="fetch_epoch_hub", max_mb=60,
    carry=("epoch_benchmark_stitching/*",),
    name_priority=8, openness_priority=8, date_priority=4,
    main_metric="epoch_gpqa_diamond",
)
DIR = "epoch_benchmarking_hub"
SNAPSHOTS = ("snapshot_2025-12-17", "snapshot_2025-11-04")  # preference order
BENCHMARKS = ("gpqa_diamond", "otis_mock_aime_2024_2025", "frontiermath", "frontiermath_tier_4",
              "swe_bench_verified", "simpleqa_verified", "chess_puzzles", "math_level_5")
METR = "metr_time_horizons_external"
METR_METRIC = "metr_time_horizon_minutes"

_SUFFIX = re.compile(r"_((?:minimal|low|medium|high|xhigh|none)|\d+(?:\.\d+)?[KkMm])$")
_DATE_TAIL = re.compile(r"[-_@](\d{4}-\d{2}-\d{2}|\d{8})$")


def split_version(version: str) -> tuple[str, str]:
    """'gpt-5.1-2025-11-13_medium' -> ('gpt-5.1-2025-11-13', 'medium'); no suffix -> (version, '')."""
    version = str(version or "").strip()
    m = _SUFFIX.search(version)
    if not m:
        return version, ""
    return version[: m.start()], m.group(1)


def display_name(version: str) -> str:
    """The model name in a version id: no provider prefix, effort suffix or trailing date."""
    base, _ = split_version(version)
    base = base.split("/")[-1]
    return _DATE_TAIL.sub("", base) or base


def pick_file(base: Path, name: str) -> tuple[Path, str] | None:
    """The preferred snapshot's copy of `name`.csv and that snapshot's date, or None."""
    for snap in SNAPSHOTS:
        path = base / snap / f"{name}.csv"
        if path.exists():
            return path, snap.removeprefix("snapshot_")
    return None


def load(raw: Path) -> SourceOutput:
    base = Path(raw) / DIR
    scores: list[dict] = []
    meta: dict[str, dict] = {}

    def note(version: str, row: dict, snap: str) -> None:
        info = meta.setdefault(version, {"release_date": "", "organization": "", "country": "", "snap": ""})
        # prefer values from the newest snapshot; fill blanks from older ones
        newer = snap > info["snap"]
        for col, val in (("release_date", iso_date(row.get("Release date", ""))),
                         ("organization", str(row.get("Organization", "")).strip()),
                         ("country", str(row.get("Country", "")).strip())):
            if val and (newer or not info[col]):
                info[col] = val
        info["snap"] = max(info["snap"], snap)

    for bench in BENCHMARKS:
        found = pick_file(base, bench)
        if not found:
            continue
        path, snap = found
        df = read_csv(path)
        for row in df.to_dict("records"):
            version = str(row.get("Model version", "")).strip()
            if not version:
                continue
            score = to_float(row.get("mean_score", ""))
            if score != score:
                score = to_float(row.get("Best score (across scorers)", ""))
            if score != score:
                continue
            stderr = to_float(row.get("stderr", ""))
            scores.append({"source": SOURCE, "source_id": version, "metric": f"epoch_{bench}",
                           "value": score * 100.0, "date": iso_date(row.get("Release date", "")),
                           "snapshot": snap, "variant": split_version(version)[1],
                           "stderr": stderr * 100.0})
            note(version, row, snap)

    found = pick_file(base, METR)
    if found:
        path, snap = found
        for row in read_csv(path).to_dict("records"):
            version = str(row.get("Model version", "")).strip()
            value = to_float(row.get("Time horizon", ""))
            if not version or value != value:
                continue
            scores.append({"source": SOURCE, "source_id": version, "metric": METR_METRIC, "value": value,
                           "date": iso_date(row.get("Release date", "")), "snapshot": snap,
                           "variant": split_version(version)[1],
                           "ci_low": to_float(row.get("CI_low", "")), "ci_high": to_float(row.get("CI_high", ""))})
            note(version, row, snap)

    scores_df = frame(scores, SCORE_COLUMNS)
    for col in ("stderr", "ci_low", "ci_high"):
        scores_df[col] = pd.to_numeric(scores_df[col], errors="coerce")
    if len(scores_df):
        scores_df = scores_df.sort_values(["source_id", "metric", "snapshot", "variant"],
                                          kind="mergesort").reset_index(drop=True)
    mentions = frame([{"source": SOURCE, "source_id": v, "name": display_name(v),
                       "organization": info["organization"], "release_date": info["release_date"],
                       "openness": "", "license": "", "country": info["country"]}
                      for v, info in sorted(meta.items())], MENTION_COLUMNS)
    return SourceOutput(mentions=mentions, scores=scores_df)
