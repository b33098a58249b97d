from pathlib import Path

import pytest

from pipeline import mlperf
from pipeline.common import read_csv

RAW = Path(__file__).resolve().parents[1] / "fixtures" / "raw"


@pytest.fixture(scope="module")
def table():
    return mlperf.load(RAW).extra["throughput"]


def row(table, accelerator, model="llama2-70b-99", scenario="Offline", category="closed"):
    t = table[(table.model == model) & (table.accelerator == accelerator) & (table.scenario == scenario)
              & (table.category == category)]
    assert len(t) == 1
    return t.iloc[0]


def test_columns_and_filters(table):
    assert list(table.columns) == mlperf.COLUMNS
    assert set(table.category) == {"closed"}  # open division left out by default
    # Queries/s row and CPU-only rows (no a#) are dropped
    assert set(table.accelerator) == {"NVIDIA B200-SXM-180GB", "NVIDIA GB200", "NVIDIA H100-SXM-80GB"}
    assert not table.duplicated(["model", "accelerator", "scenario", "category"]).any()


def test_per_gpu_division_and_best_row(table):
    h = row(table, "NVIDIA H100-SXM-80GB")
    # 124879 tokens/s over 4 nodes x 8 GPUs beats 62351.6 over 2 x 8
    assert h.tokens_per_s_per_gpu == pytest.approx(124879.0 / 32)
    assert (h.n_gpus, h.submitter, h.id, h.n_results) == (32, "Cisco", "5.1-0016", 2)
    assert h.gpu == "H100 SXM5"
    assert (h.params_b, h.model_name) == (70.0, "Llama 2 70B (99% accuracy target)")
    b = row(table, "NVIDIA B200-SXM-180GB")
    assert b.tokens_per_s_per_gpu == pytest.approx(102909.0 / 8)
    assert (b.submitter, b.id, b.n_results, b.gpu) == ("Lenovo", "5.1-0061", 2, "B200")
    g = row(table, "NVIDIA GB200")
    assert g.tokens_per_s_per_gpu == pytest.approx(52061.6 / 4)
    assert g.gpu == ""


def test_open_category_on_request():
    rows = read_csv(RAW / "mlperf_inference" / mlperf.FILE)
    t = mlperf.build_throughput(rows, categories=("closed", "open"))
    o = row(t, "AMD Instinct MI355X 288GB HBM3e", category="open")
    # 350820 / (4 x 8) = 10963 per GPU beats 648248 / (8 x 8) = 10129: per-GPU, not per-system, best
    assert o.tokens_per_s_per_gpu == pytest.approx(350820.0 / 32)
    assert (o.id, o.n_results) == ("5.1-0102", 2)


def test_gpu_label():
    assert mlperf.gpu_label("NVIDIA H100-SXM-80GB") == "H100 SXM5"
    assert mlperf.gpu_label("NVIDIA H200-SXM-141GB") == "H200"
    assert mlperf.gpu_label("Virtualized NVIDIA H200-SXM-141GB") == "H200"
    assert mlperf.gpu_label("NVIDIA H200-NVL-141GB") == ""
    assert mlperf.gpu_label("NVIDIA B200-SXM-180GB") == "B200"
    assert mlperf.gpu_label("NVIDIA GB300") == ""
    assert mlperf.gpu_label("AMD Instinct MI325X 256GB HBM3e") == ""


def test_params():
    assert mlperf.MODELS["mixtral-8x7b"][1:] == (46.7, 12.9)
    assert mlperf.MODELS["deepseek-r1"][1] == 671.0
    assert mlperf.MODELS["llama3.1-405b"][1] == 405.0


SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "raw"


@pytest.mark.skipif(not (SHARED / "mlperf_inference" / mlperf.FILE_V6).is_file(), reason="no v6.0 summary")
def test_v6_rows_join_the_v5_rows():
    t = mlperf.load(SHARED).extra["throughput"]
    assert set(t["version"]) == {"v5.1", "v6.0"}
    # gpt-oss-120b is new in v6.0: the best B200 Server row, 87,444.2 tokens/s over 8 GPUs (result 6.0-0083)
    g = row(t, "NVIDIA B200-SXM-180GB", model="gpt-oss-120b", scenario="Server")
    assert (g.id, g.version, g.n_gpus, g.gpu) == ("6.0-0083", "v6.0", 8, "B200")
    assert (g.params_b, g.active_params_b) == (116.83, 5.1)
    # v5.1 rows stay where v6.0 has nothing better: Llama 2 70B on 32 H100s (Cisco, 5.1-0016)
    h = row(t, "NVIDIA H100-SXM-80GB", scenario="Server")
    assert (h.id, h.version) == ("5.1-0016", "v5.1")
    # the GPU count is v6.0's Total Accelerators where it states one
    raw = mlperf.read_v6(SHARED / "mlperf_inference" / mlperf.FILE_V6)
    r = raw[raw["ID"] == g.id]
    r = r[(r["Model"] == "gpt-oss-120b") & (r["Scenario"] == "Server") & (r["Accelerator"] == g.accelerator)]
    assert g.tokens_per_s_per_gpu == pytest.approx(float(r["Performance_Result"].iloc[0]) / 8)
