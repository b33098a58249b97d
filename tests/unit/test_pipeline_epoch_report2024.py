from pathlib import Path

import math

import pytest

from pipeline import epoch_report2024 as rep

RAW = Path(__file__).resolve().parents[1] / "fixtures" / "raw"


@pytest.fixture(scope="module")
def table():
    out = rep.load(RAW)
    assert out.mentions is None and out.scores is None
    return out.extra["report2024"]


def cell(table, system, benchmark):
    row = table[(table.system == system) & (table.benchmark == benchmark)]
    assert len(row) == 1, (system, benchmark)
    return row.iloc[0]


def test_columns_and_key(table):
    assert list(table.columns) == rep.COLUMNS
    assert not table.duplicated(["system", "benchmark"]).any()
    assert table.value.notna().all()
    assert table.open.dtype == bool
    assert set(table.benchmark) == {"MMLU", "GPQA", "BBH", "GSM1k", "training_compute"}


def test_values_are_fractions_as_in_file(table):
    r = cell(table, "BLOOM-176B", "MMLU")
    assert (r.value, r.date, bool(r.open)) == (pytest.approx(0.3913), "2022-07-11", True)
    assert r.training_compute_flop == pytest.approx(4.12e23)
    assert cell(table, "GPT-4o", "GPQA").value == pytest.approx(0.49)
    assert bool(cell(table, "GPT-4o", "GPQA").open) is False
    assert math.isnan(cell(table, "GPT-4o", "MMLU").training_compute_flop)


def test_gsm1k_and_compute_rows(table):
    r = cell(table, "claude-2.1", "GSM1k")
    assert (r.value, r.file) == (pytest.approx(0.894), rep.GSM_FILE)
    assert cell(table, "claude-2.1", "training_compute").value == pytest.approx(3.8e24)
    assert cell(table, "BloombergGPT", "training_compute").value == pytest.approx(2.12e23)
    # speculative compute kept in its own column, not used as training compute
    opus = cell(table, "claude-3-opus-20240229", "GSM1k")
    assert opus.speculative_compute_flop == pytest.approx(4e25)
    assert math.isnan(opus.training_compute_flop)
    assert len(table[(table.system == "claude-3-opus-20240229") & (table.benchmark == "training_compute")]) == 0
    assert "GSM8k" not in set(table.benchmark)


def test_seal_math_fills_gsm1k_for_the_benchmarks_file(table):
    r = cell(table, "GPT-4o", "GSM1k")
    assert (r.value, r.column, r.file) == (pytest.approx(0.9485), "SEAL Math", rep.BENCH_FILE)
    assert cell(table, "claude-2.1", "GSM1k").column == "GSM1k"


def test_rows_without_date_or_label_dropped(table):
    assert "Random chance" not in set(table.system)
    assert "command" not in set(table.system)
