"""Serving physics (openclosed.cost.serving): memory fit, replica sizes, prefill + decode, whole GPUs.

Hand-computed cases with the module's stated defaults: 10% of memory kept free, 32 sequences x 4,096 tokens of
KV cache, KV at 2 bytes per element, prefill at 40% of dense peak TFLOPS."""
import math

import pytest

from openclosed import cost
from openclosed.cost import serving as sv

B200 = {"memory_gb": 180.0, "bf16_tflops": 2250.0, "fp8_tflops": 4500.0, "fp4_tflops": 9000.0}
H200 = {"memory_gb": 141.0, "bf16_tflops": 989.0, "fp8_tflops": 1979.0, "fp4_tflops": float("nan")}
H100 = {"memory_gb": 80.0, "bf16_tflops": 989.0, "fp8_tflops": 1979.0, "fp4_tflops": float("nan")}
L40S = {"memory_gb": 48.0, "bf16_tflops": 362.0, "fp8_tflops": 733.0, "fp4_tflops": float("nan")}
R1_KV_GB = 61 * 576 * 2 * 4096 * 32 / 1e9          # MLA: 70,272 bytes per token -> 9.21 GB
L70_KV_GB = 2 * 80 * 8 * 128 * 2 * 4096 * 32 / 1e9  # GQA: 327,680 bytes per token -> 42.95 GB
L8_KV_GB = 2 * 32 * 8 * 128 * 2 * 4096 * 32 / 1e9   # 131,072 bytes per token -> 17.18 GB


def _plan(model, params, active, precision, spec, gpu, measured=8, tps=1000.0, ratio=3.0):
    return sv.plan(model=model, params_b=params, active_params_b=active, precision=precision,
                   memory_gb=spec["memory_gb"], spec=spec, gpu=gpu, mlperf_tps=tps, measured_gpus=measured,
                   ratio=ratio)


@pytest.mark.parametrize("precision, spec, gpu, weights, replica", [
    # 671B MoE at fp4: 335.5 + 9.2 = 344.7 GB. B200: 2 x 162 = 324 too small -> 4. H200: 2 x 126.9 = 253.8 -> 4.
    ("fp4", B200, "B200", 335.5, 4),
    ("fp4", H200, "H200", 335.5, 4),
    # at fp8: 671 + 9.2 = 680.2 GB. B200: 4 x 162 = 648 too small -> 8. H200: 4 x 126.9 = 507.6 -> 8 (1,015).
    ("fp8", B200, "B200", 671.0, 8),
    ("fp8", H200, "H200", 671.0, 8),
    # on H100 at fp8: 8 x 72 = 576 too small -> two whole nodes, 16
    ("fp8", H100, "H100 SXM5", 671.0, 16),
])
def test_671b_moe_fits(precision, spec, gpu, weights, replica):
    p = _plan("deepseek-r1", 671, 37, precision, spec, gpu)
    assert p.weights_gb == pytest.approx(weights)
    assert p.kv_gb == pytest.approx(R1_KV_GB) and p.kv_stated
    assert p.replica == replica
    assert sv.usable_gb(p.replica, spec["memory_gb"]) >= weights + R1_KV_GB
    smaller = [n for n in sv.supported_sizes(64) if n < replica]
    assert all(sv.usable_gb(n, spec["memory_gb"]) < weights + R1_KV_GB for n in smaller)   # never fewer


def test_671b_on_two_b200_does_not_fit():
    """The old default (2 x B200) does not hold the fp4 weights with a KV cache and headroom."""
    assert sv.usable_gb(2, 180) < 335.5 + R1_KV_GB


@pytest.mark.parametrize("precision, spec, gpu, replica", [
    # 70B dense at fp8: 70 + 42.95 = 112.95 GB. H100: 1 x 72 too small -> 2. H200: 1 x 126.9 holds it -> 1.
    ("fp8", H100, "H100 SXM5", 2),
    ("fp8", H200, "H200", 1),
    # at bf16: 140 + 42.95 = 182.95 GB. H100: 2 x 72 = 144 too small -> 4 (288). H200: 2 x 126.9 = 253.8 -> 2.
    ("bf16", H100, "H100 SXM5", 4),
    ("bf16", H200, "H200", 2),
])
def test_70b_dense_fits(precision, spec, gpu, replica):
    p = _plan("llama2-70b-99", 70, 70, precision, spec, gpu)
    assert p.kv_gb == pytest.approx(L70_KV_GB)
    assert p.replica == replica


@pytest.mark.parametrize("precision, spec, gpu, need", [
    # a 7B model MLPerf never measured: its KV size is estimated from Llama 3.1 8B (the smallest listed Llama at
    # least as large): 17.18 GB. fp8: 7 + 17.18 = 24.18 GB; bf16: 14 + 17.18 = 31.18 GB. One GPU either way.
    ("fp8", H100, "H100 SXM5", 7 + L8_KV_GB),
    ("fp8", L40S, "L40S", 7 + L8_KV_GB),
    ("bf16", L40S, "L40S", 14 + L8_KV_GB),
])
def test_7b_on_one_gpu(precision, spec, gpu, need):
    p = _plan("some-7b", 7, 7, precision, spec, gpu, measured=1)
    assert not p.kv_stated
    assert p.weights_gb + p.kv_gb == pytest.approx(need)
    assert p.replica == 1 and not p.estimate      # measured on 1 GPU and served on 1: no estimate


def test_prefill_and_decode_are_both_costed():
    # 70B on H100 at fp8: prefill 1,979e12 x 0.4 / (2 x 70e9) = 5,654 tokens/s per GPU
    p = _plan("llama2-70b-99", 70, 70, "fp8", H100, "H100 SXM5", measured=2, tps=1000.0, ratio=3.0)
    prefill = 1979e12 * 0.4 / (2 * 70e9)
    assert p.prefill_tps == pytest.approx(prefill)
    # each output token carries 3 input tokens: 1/1000 + 3/5654 s -> 653 output tokens/s per GPU
    assert p.effective_tps == pytest.approx(1 / (1 / 1000 + 3 / prefill))
    assert p.effective_tps == pytest.approx(653.35, abs=0.01)
    # no input tokens: decode only
    assert sv.effective_output_tps(1000.0, prefill, 0.0) == 1000.0
    # fp4 on a GPU without fp4 computes at fp8; the A100 (no fp8) at bf16
    assert sv.tflops_at(H100, "fp4") == 1979.0
    assert sv.tflops_at({"bf16_tflops": 312.0, "fp8_tflops": None}, "fp8") == 312.0
    # input tokens now cost money: the traffic a GPU-month carries at 3:1 drops from 4e6 x... to the effective rate
    out_only = cost.tokens_per_gpu_month(1000.0, 1.0, 0.75)
    with_prefill = cost.tokens_per_gpu_month(p.effective_tps, 1.0, 0.75)
    assert with_prefill / out_only == pytest.approx(p.effective_tps / 1000.0)


def test_smaller_replica_than_measured_is_an_estimate():
    # 671B fp4 on 4 B200 where MLPerf measured 8: free memory per GPU (648 - 335.5)/4 vs (1296 - 335.5)/8
    p = _plan("deepseek-r1", 671, 37, "fp4", B200, "B200", measured=8, tps=2324.025, ratio=0.0)
    factor = ((648 - 335.5) / 4) / ((1296 - 335.5) / 8)
    assert p.estimate and "estimate" in p.why
    assert p.decode_tps == pytest.approx(2324.025 * factor)
    assert p.mlperf_tps == 2324.025
    big = sv.plan(model="deepseek-r1", params_b=671, active_params_b=37, precision="fp4", memory_gb=180, spec=B200,
                  gpu="B200", mlperf_tps=2324.025, measured_gpus=8, ratio=0.0, min_replica=8)
    assert big.replica == 8 and not big.estimate and big.decode_tps == pytest.approx(2324.025)


def test_whole_gpus_and_replicas():
    assert sv.whole_gpus(3.27, 4) == 4          # 3.27 GPUs "on average" is 4 rented GPUs
    assert sv.whole_gpus(5, 4) == 8             # replicas are rented whole
    assert sv.whole_gpus(0.2, 1) == 1
    assert sv.whole_gpus(2, 4, 4) == 4          # a floor below one replica is one replica
    assert list(sv.supported_sizes(24)) == [1, 2, 4, 8, 16, 24]
    # gpus_needed in whole replicas: capacity 1e9 tokens per GPU, 5e9 tokens, replicas of 4 -> 8 GPUs
    cap_tps = 1e9 / cost.SECONDS_PER_MONTH
    assert cost.gpus_needed(5e9, cap_tps, 1.0, 1, 0.0) == 5
    assert cost.gpus_needed(5e9, cap_tps, 1.0, 4, 0.0, step=4) == 8
    assert cost.self_host_monthly_cost(5e9, cap_tps, 2.0, 1.0, 4, 0.0, 0.0, step=4) == pytest.approx(8 * 2 * 730)
    # break-even in whole replicas: API $1/M, a GPU carries 1e9 tokens ($1,000) and rents for $730:
    # one replica of 4 (4e9 tokens, $2,920) breaks even at 2.92e9 tokens
    b = cost.break_even_tokens(1.0, cap_tps, 1.0, 1.0, 4, 0.0, 0.0, step=4)
    assert b.tokens == pytest.approx(4 * 730 / 1e-6) and b.gpus == 4


def test_busy_share_counts_headroom_as_idle():
    # 2 GPUs each able to carry 1e9 tokens a month at full use; 5e8 tokens -> 25% busy whatever the target load
    cap_tps = 1e9 / cost.SECONDS_PER_MONTH
    assert cost.busy_share(5e8, 2, cap_tps, 0.0) == pytest.approx(0.25)
    assert cost.busy_share(5e9, 2, cap_tps, 0.0) == 1.0
    assert math.isclose(cost.busy_share(0, 2, cap_tps, 0.0), 0.0)


def test_another_gpu_type_is_derived_by_bandwidth_and_marked():
    """DeepSeek-R1 on H200 (no MLPerf result): B200's measured row x 4.8 / 8 TB/s, fp8 weights (no fp4 on H200),
    so 671 + 9.2 GB need 8 H200; marked an estimate."""
    from openclosed import tables
    t = {n: tables.read(n) for n in cost.TABLES}
    sh = cost.self_host_table(t["throughput"], t["gpu_prices"])
    b200 = sh[(sh["model"] == "deepseek-r1") & (sh["gpu"] == "B200") & (sh["scenario"] == "Server")].iloc[0]
    r = cost.resolve_self_host(sh, "deepseek-r1", "H200", "Server", t["gpu_specs"], t["gpu_prices"])
    assert r["gpu"] == "H200" and r["precision"] == "fp8"
    assert r["tokens_per_s_per_gpu"] == pytest.approx(b200["tokens_per_s_per_gpu"] * 4.8 / 8.0)
    c = cost.compare_options(t, cost.CalcInputs(gpu="H200", tokens_per_month=1e9))
    assert c["plan"].replica == 8 and c["plan"].estimate and "no DeepSeek-R1 result on H200" in c["plan"].why
    # a faster GPU than the measured one is never credited with more: the ratio is capped at 1
    assert cost.derived_row(sh, "llama3.1-405b", "GH200", "Server", t["gpu_specs"], t["gpu_prices"]) is not None
