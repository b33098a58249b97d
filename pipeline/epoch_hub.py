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

import io
import re
import zipfile
from pathlib import Path

import pandas as pd

from pipeline import eci
from pipeline.common import MENTION_COLUMNS, SCORE_COLUMNS, SourceOutput, SourceSpec, frame, iso_date, read_csv, to_float
from pipeline.fetching import (
    MAX_ZIP_MEMBER, MAX_ZIP_TOTAL, FetchError, Rule, Snapshot, check_csv, check_values, csv_rows
)

SOURCE = "epoch_hub"
SPEC = SourceSpec(
    key=SOURCE,
    name="Epoch AI Benchmarking Hub (every snapshot in the data; each chart names the one it uses)",
    license="CC BY 4.0",
    citation="Epoch AI, 'AI Benchmarking', epoch.ai/benchmarks",
    snapshot="2025-12-17",
    files=("epoch_benchmarking_hub/*",),
    base_url="https://epoch.ai/data",
    fetch="fetch", max_mb=60,
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


# --- downloading a new snapshot (pipeline.fetch runs SPEC.fetch) ----------------------------

HUB_NEED = ["Model version", "Release date", "Organization"]
ECI_NEED = ["Model version", "ECI Score", "Release date", "Organization", "Country", "Model accessibility",
            "Confidence", "Model name"]


HUB_RULES = [Rule("Model version"), Rule("Release date", "date", optional=True)]


def fetch(s: Snapshot) -> None:
    """benchmark_data.zip: Epoch's own runs and METR into the newest hub folder, ECI into epoch_eci/."""
    url, body = s.client.get("epoch_hub", "benchmark_data.zip")
    try:
        archive = zipfile.ZipFile(io.BytesIO(body))
    except zipfile.BadZipFile as err:
        raise FetchError(f"epoch_hub: benchmark_data.zip: not a complete zip archive, truncated? ({err})") from None
    sizes = {i.filename: i.file_size for i in archive.infolist()}
    big = max(sizes, key=sizes.get, default=None)
    if big is not None and sizes[big] > MAX_ZIP_MEMBER:
        raise FetchError(f"epoch_hub: benchmark_data.zip: member {big} unpacks to {sizes[big]:,} bytes, over the "
                         f"limit of {MAX_ZIP_MEMBER:,}")
    if sum(sizes.values()) > MAX_ZIP_TOTAL:
        raise FetchError(f"epoch_hub: benchmark_data.zip: unpacks to {sum(sizes.values()):,} bytes, over the "
                         f"limit of {MAX_ZIP_TOTAL:,}")
    try:
        bad = archive.testzip()              # after the size check: it unpacks every member
    except (zipfile.BadZipFile, NotImplementedError, EOFError, ValueError) as err:
        raise FetchError(f"epoch_hub: benchmark_data.zip: cannot be unpacked ({err})") from None
    if bad:
        raise FetchError(f"epoch_hub: benchmark_data.zip: member {bad} is corrupt")
    members = {Path(n).name: n for n in archive.namelist() if n.endswith(".csv")}
    folder = f"{DIR}/{SNAPSHOTS[0]}"
    for bench in (*BENCHMARKS, METR):
        name = f"{bench}.csv"
        if name not in members:
            continue
        data = archive.read(members[name])
        need = HUB_NEED + (["Time horizon"] if bench == METR else ["mean_score"])
        check_csv("epoch_hub", name, data, need, s.previous(f"{folder}/{name}"))
        score = (Rule("Time horizon", "number", 0, 1e7) if bench == METR
                 else Rule("mean_score", "number", 0, 1, optional=True))       # a share of the tasks, 0-1
        check_values("epoch_hub", name, csv_rows("epoch_hub", name, data), [*HUB_RULES, score])
        s.write("epoch_hub", f"{folder}/{name}", data, f"{url}#{members[name]}")
    if "gpqa_diamond.csv" not in members:
        raise FetchError("epoch_hub: benchmark_data.zip: gpqa_diamond.csv is missing (the archive changed layout)")
    if "epoch_capabilities_index.csv" not in members:
        raise FetchError("eci: benchmark_data.zip: epoch_capabilities_index.csv is missing")
    data = archive.read(members["epoch_capabilities_index.csv"])
    versions = [snap for snap, (_, kind) in eci.snapshot_files(s.base).items() if kind == "version"]
    previous = s.previous(eci.version_export_path(max(versions))) if versions else None
    check_csv("eci", "epoch_capabilities_index.csv", data, ECI_NEED, previous)
    check_values("eci", "epoch_capabilities_index.csv", csv_rows("eci", "epoch_capabilities_index.csv", data),
                 [*HUB_RULES, Rule("ECI Score", "number", 0, 1000, optional=True)])
    s.write("eci", eci.version_export_path(s.date), data, f"{url}#{members['epoch_capabilities_index.csv']}")
    s.carry("eci", "epoch_eci/*", "older ECI exports, kept for checks against published figures")
    s.carry("epoch_hub", f"{DIR}/{SNAPSHOTS[-1]}/*", "older hub snapshot, fallback for files "
            "the new archive lacks")
