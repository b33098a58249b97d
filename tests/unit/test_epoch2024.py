"""Epoch's 2024 report re-run on data/report2024.csv: the notebook's printed figures (SOURCES.md section 14)."""
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from openclosed import epoch2024 as E

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.fixture(scope="module")
def events():
    return E.lags(pd.read_csv(DATA / "report2024.csv"))


def test_per_benchmark_means_match_the_notebook(events):
    pb = E.per_benchmark(events)
    assert pb.loc["MMLU", "lag_months"] == pytest.approx(18.4, abs=0.05)
    assert pb.loc["GPQA", "lag_months"] == pytest.approx(4.6, abs=0.05)
    assert pb.loc["BBH", "lag_months"] == pytest.approx(14.8, abs=0.05)
    # GSM1k with the SEAL Math rows: three catch-ups, 8.4 months (10.2 and one catch-up without them)
    assert pb.loc["GSM1k", "lag_months"] == pytest.approx(8.4, abs=0.05)
    assert dict(pb["events"]) == {"MMLU": 5, "GPQA": 2, "GSM1k": 3, "BBH": 3}
    gsm = events[events["benchmark"] == "GSM1k"]
    assert list(gsm["open_model"]) == ["Mixtral-8x22B-instruct-v0.1", "Llama 3 70B", "Llama 3.1 405B"]
    mmlu = events[events["benchmark"] == "MMLU"]["lag_months"]
    assert list(mmlu.round(1)) == [25.4, 14.6, 16.6, 19.0, 16.3]      # the notebook's printed MMLU lags


def test_pooled_matches_the_notebook(events):
    p = E.pooled(events)
    assert p["events"] == 13
    assert round(p["mean"]) == 13 and round(p["median"]) == 15
    assert round(p["p5"]) == 5 and round(p["p95"]) == 22


def test_flan_rows_are_dropped_by_the_method():
    rows = [("Flan-T5", "2019-10-01", True, 0.9), ("closedA", "2022-01-01", False, 0.5),
            ("openA", "2022-07-01", True, 0.6)]
    rep = pd.DataFrame([{"system": s, "date": d, "open": o, "benchmark": "BBH", "value": v, "trust": 0}
                        for s, d, o, v in rows])
    ev = E.lags(rep)
    assert list(ev["open_model"]) == ["openA"]
    assert ev["lag_months"].iloc[0] == pytest.approx(181 / (365 / 12))


def test_empty_pooled_is_nan():
    p = E.pooled(pd.DataFrame({"lag_months": []}))
    assert p["events"] == 0 and np.isnan(p["mean"])


def test_caption_dates_and_the_published_estimates_window_agree():
    """The Epoch 2024 card's caption computes its date span from the benchmark rows the method uses; the
    published-estimates table's window for the same report must name the same months (it said 2019-10 to
    2024-09 while the rows run from Feb 2019 to Nov 2024)."""
    from openclosed import tables as T
    first, last = E.data_span(T.read("report2024"))
    est = T.read("published_estimates")
    windows = set(est.loc[est["estimate_id"].str.startswith("epoch2024_"), "window"])
    assert windows and all(f"{first:%Y-%m} to {last:%Y-%m}" in w for w in windows)
    # the compute rows (training_compute) and filtered rows do not widen the span
    toy = pd.DataFrame({"system": ["A", "B", "Flan-T5"], "date": ["2020-01-01", "2021-01-01", "2010-01-01"],
                        "open": [True, False, True], "benchmark": ["BBH", "BBH", "BBH"], "value": [0.3, 0.4, 0.2],
                        "trust": [0, 0, 0]})
    toy = pd.concat([toy, toy.iloc[:1].assign(benchmark="training_compute", date="2009-01-01")])
    assert E.data_span(toy) == (pd.Timestamp("2020-01-01"), pd.Timestamp("2021-01-01"))
