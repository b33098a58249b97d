"""GPU rental prices, Prime Intellect marketplace via tugot17/gpu-price-tracker (raw/gpu_rental_prices/).

Extra table `gpu_prices`: one row per GPU over the month of snapshots (2025-10-19 .. 2025-11-16).
`gpu` is a clean label from `gpu_type` + `socket_type` ("H100 SXM5", "A100 80GB PCIe", "H200", "B200",
"GH200"); the memory size is kept only for the A100 (which also exists as 40 GB). Each
`usd_per_gpu_hour_<stat>` is the median over the snapshots of that snapshot statistic (p10 of
offers in a snapshot, then the median of those p10s over the month, and so on). Also
`offers_median` (median of `avail_total`, offers per snapshot), `n_snapshots`, `first_date`,
`last_date` (UTC dates of the first and last snapshot).
Marketplace offers only (including spot-like community offers); hyperscaler on-demand prices are
not in this data.
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from pipeline.common import SourceOutput, SourceSpec, iso_date, read_csv

SOURCE = "gpu_prices"
SPEC = SourceSpec(
    key=SOURCE,
    name="GPU rental marketplace prices (tugot17/gpu-price-tracker, Prime Intellect aggregate)",
    license="MIT",
    citation="tugot17/gpu-price-tracker, 2025-10-19 to 2025-11-16",
    snapshot="2025-11-16",
    files=("gpu_rental_prices/*",),
    carry=("gpu_rental_prices/*",),
)
FILE = "gpu_rental_price_stats.csv"
STATS = ["min", "p10", "p25", "median", "p75", "p90", "max", "mean"]
COLUMNS = (["gpu", "gpu_type", "socket_type"] + [f"usd_per_gpu_hour_{s}" for s in STATS]
           + ["offers_median", "n_snapshots", "first_date", "last_date"])


def gpu_label(gpu_type: str, socket_type: str) -> str:
    """'H100_80GB','SXM5' -> 'H100 SXM5'; 'A100_80GB','PCIe' -> 'A100 80GB PCIe'; 'B200_180GB','' -> 'B200'."""
    parts = str(gpu_type).strip().split("_")
    base = parts[0]
    memory = [p for p in parts[1:] if re.fullmatch(r"\d+GB", p, re.I)]
    label = [base]
    if base.upper() == "A100" and memory:
        label.append(memory[0].upper())
    label += [p for p in parts[1:] if p not in memory]
    if str(socket_type).strip():
        label.append(str(socket_type).strip())
    return " ".join(label)


def _num(series: pd.Series) -> pd.Series:
    return pd.to_numeric(series.replace("", float("nan")), errors="coerce")


def build(stats: pd.DataFrame) -> pd.DataFrame:
    df = stats.copy()
    df["gpu"] = [gpu_label(t, s) for t, s in zip(df["gpu_type"], df["socket_type"])]
    df["date"] = df["timestamp"].map(iso_date)
    rows = []
    for gpu in sorted(df["gpu"].unique()):
        g = df[df["gpu"] == gpu]
        row = {"gpu": gpu, "gpu_type": g["gpu_type"].iloc[0], "socket_type": g["socket_type"].iloc[0]}
        for s in STATS:
            row[f"usd_per_gpu_hour_{s}"] = float(_num(g[f"price_{s}"]).median())
        row["offers_median"] = float(_num(g["avail_total"]).median())
        row["n_snapshots"] = int(g["timestamp"].nunique())
        row["first_date"] = min(g["date"])
        row["last_date"] = max(g["date"])
        rows.append(row)
    return pd.DataFrame(rows, columns=COLUMNS)


def load(raw: Path) -> SourceOutput:
    stats = read_csv(Path(raw) / "gpu_rental_prices" / FILE)
    return SourceOutput(extra={"gpu_prices": build(stats)})
