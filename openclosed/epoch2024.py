"""Epoch's 2024 report "How far behind are open models?" re-run on its own input data (data/report2024.csv).

The report's notebook (``benchmark_analysis.ipynb``, epoch-research/open-model-trends):
- GSM1k pools the GSM1k file with the benchmarks file's SEAL Math scores (the pipeline stores both as
  benchmark ``GSM1k``; column ``column`` says which);
- drops the Flan-* rows (its printed frontiers hold no Flan model);
- drops MMLU scores flagged suspect (trust < 0) and distrusted GPQA scores from Nov 2023 on;
- scores become -log(1 - accuracy); catch-ups use a 0.02 nat tolerance (``frontier.catch_up_events``).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from openclosed import frontier as F

BENCHMARKS = ["MMLU", "GPQA", "GSM1k", "BBH"]
TOLERANCE = 0.02          # nats of -log(error rate), the notebook's benchmark_noise_tolerance
GPQA_TRUST_FROM = "2023-11-01"


def points(report: pd.DataFrame, benchmark: str) -> pd.DataFrame:
    """One benchmark's points after the notebook's filters: date, value (-log error rate), model, open."""
    d = report[report["benchmark"] == benchmark].copy()
    d["ts"] = pd.to_datetime(d["date"])
    trust = pd.to_numeric(d["trust"], errors="coerce") if "trust" in d else pd.Series(np.nan, index=d.index)
    if benchmark == "MMLU":
        d = d[trust >= 0]
    elif benchmark == "GPQA":
        d = d[(d["ts"] < GPQA_TRUST_FROM) | (trust >= 0)]
    d = d[~d["system"].str.startswith("Flan")]
    v = d["value"].astype(float).clip(upper=0.999999)
    return pd.DataFrame({"date": d["ts"], "value": -np.log(1 - v), "model": d["system"],
                         "open": d["open"].astype(bool)}).reset_index(drop=True)


def lags(report: pd.DataFrame) -> pd.DataFrame:
    """Catch-up events on every benchmark; closed_value and open_value back in percent correct."""
    out = []
    for b in BENCHMARKS:
        p = points(report, b)
        ev = F.catch_up_events(p[p["open"]], p[~p["open"]], TOLERANCE).assign(benchmark=b)
        for c in ("closed_value", "open_value"):
            ev[c] = 100 * (1 - np.exp(-ev[c]))
        out.append(ev)
    return pd.concat(out, ignore_index=True)


def per_benchmark(events: pd.DataFrame) -> pd.DataFrame:
    """Mean lag and number of catch-ups per benchmark, in BENCHMARKS order (NaN mean when none)."""
    g = events.groupby("benchmark")["lag_months"]
    return pd.DataFrame({"lag_months": g.mean(), "events": g.size()}).reindex(BENCHMARKS).fillna(
        {"events": 0}).astype({"events": int})


def pooled(events: pd.DataFrame) -> dict:
    """All benchmarks' catch-ups together, as the notebook pools them: count, mean, median, 5th/95th pct."""
    x = events["lag_months"].to_numpy(dtype=float)
    if len(x) == 0:
        return {"events": 0, "mean": np.nan, "median": np.nan, "p5": np.nan, "p95": np.nan}
    p5, p95 = np.percentile(x, [5, 95])
    return {"events": len(x), "mean": float(x.mean()), "median": float(np.median(x)), "p5": float(p5),
            "p95": float(p95)}


def published(tables) -> dict:
    """Epoch's printed figures from published_estimates: per-benchmark means and the pooled summary."""
    pub = tables["published_estimates"].set_index("estimate_id")
    out = {b: float(pub.loc[f"epoch2024_lag_{b.lower()}", "value"]) for b in BENCHMARKS}
    mean = pub.loc["epoch2024_lag_mean"]
    out.update(mean=float(mean["value"]), median=float(pub.loc["epoch2024_lag_median", "value"]),
               p5=float(mean["low"]), p95=float(mean["high"]))
    return out


def data_span(report: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last release date among the benchmark rows the method uses (after its filters); the
    training-compute rows and filtered rows do not count."""
    dates = pd.concat([points(report, b)["date"] for b in BENCHMARKS], ignore_index=True)
    return (dates.min(), dates.max()) if len(dates) else (pd.NaT, pd.NaT)
