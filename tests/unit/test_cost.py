"""The cost model: hand-calculated scenarios, property tests of its invariants, and checks on data/."""
from __future__ import annotations

import dataclasses
import math
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from openclosed import cost, fmt, tables

NAN = re.compile(r"\bnan\b|\binf\b", re.I)   # "GPT-5 nano" is fine; a bare "nan" is not
H = cost.HOURS_PER_MONTH          # 730
S = cost.SECONDS_PER_MONTH        # 2,628,000


# ----------------------------------------------------------------------------------------------------
# Hand-calculated scenarios
# ----------------------------------------------------------------------------------------------------

def test_blended_price_and_input_share():
    assert cost.blended_price(1.0, 5.0, 3) == pytest.approx(2.0)          # (3*1 + 5) / 4
    assert cost.blended_price(1.0, 5.0, 0) == pytest.approx(5.0)          # output only
    assert cost.blended_price(np.array([1.0, 2.0]), np.array([5.0, 6.0]), 1).tolist() == [3.0, 4.0]
    assert cost.input_share_from_ratio(3) == pytest.approx(0.75)
    assert cost.input_share_from_ratio(0) == 0.0


def test_monthly_cost_api_by_hand():
    # 1B tokens, 75% input at $1/M, 25% output at $5/M: 750 * 1 + 250 * 5 = $2,000
    assert cost.monthly_cost_api(1e9, 0.75, 1.0, 5.0) == pytest.approx(2000.0)
    # half the input served from cache at $0.10/M: input 0.5*1 + 0.5*0.1 = 0.55 -> 750*0.55 + 1250 = 1662.5
    assert cost.monthly_cost_api(1e9, 0.75, 1.0, 5.0, 0.5, 0.1) == pytest.approx(1662.5)
    # no cache price in the data: the discount does not apply
    assert cost.monthly_cost_api(1e9, 0.75, 1.0, 5.0, 0.5, None) == pytest.approx(2000.0)
    assert cost.monthly_cost_api(1e9, 0.75, 1.0, 5.0, 0.5, float("nan")) == pytest.approx(2000.0)
    assert cost.monthly_cost_api(0, 0.75, 1.0, 5.0) == 0.0
    assert cost.api_usd_per_mtok(0.75, 1.0, 5.0) == pytest.approx(2.0)


def test_self_host_by_hand():
    # 1,000 output tokens/s per GPU at 50% utilization: 1000 * 0.5 * 2,628,000 = 1.314e9 output tokens per GPU-month
    kw = dict(throughput_tok_s_per_gpu=1000, gpu_usd_per_hour=2.0, utilization=0.5, min_gpus=2, overhead_usd=1000,
              input_share=0.75)
    assert cost.tokens_per_gpu_month(1000, 0.5, 0.75) == pytest.approx(1.314e9 / 0.25)
    # 1B tokens -> 250M output tokens -> 1 GPU, but at least 2: 2 * $2 * 730 + $1,000 = $3,920
    assert cost.gpus_needed(1e9, 1000, 0.5, 2, 0.75) == 2
    assert cost.self_host_monthly_cost(1e9, **kw) == pytest.approx(3920.0)
    # 20B tokens -> 5e9 output -> 5e9 / 1.314e9 = 3.8 -> 4 GPUs: 4 * 1460 + 1000 = $6,840
    assert cost.gpus_needed(2e10, 1000, 0.5, 2, 0.75) == 4
    assert cost.self_host_monthly_cost(2e10, **kw) == pytest.approx(6840.0)
    # 0 tokens: the minimum fleet and the overhead
    assert cost.self_host_monthly_cost(0, **kw) == pytest.approx(3920.0)


def test_break_even_by_hand():
    # API $2/M; GPU $2/h (c = $1,460/month); one GPU carries 5.256e9 tokens/month (3:1 mix).
    # Two GPUs minimum and $1,000 overhead: self-hosting costs $3,920 flat up to 10.5B tokens;
    # the API reaches $3,920 at 3,920 / 2e-6 = 1.96e9 tokens.
    be = cost.break_even_tokens(2.0, 1000, 2.0, 0.5, min_gpus=2, overhead_usd=1000, input_share=0.75)
    assert be.tokens == pytest.approx(1.96e9, rel=1e-9)
    assert be.gpus == 2
    assert be.stays_cheaper_from == pytest.approx(1.96e9, rel=1e-9)


def test_break_even_sawtooth_by_hand():
    # API $1/M, capacity 1e9 tokens per GPU-month (input_share 0), GPU $1,000/month, no overhead, min 1 GPU.
    # p*cap = $1,000 per GPU-month of traffic... make the API slightly dearer: $1.25/M -> $1,250 per GPU of traffic.
    tput = 1e9 / (0.5 * S)          # so that cap = 1e9 at 50% utilization
    gpu_hour = 1000 / H
    be = cost.break_even_tokens(1.25, tput, gpu_hour, 0.5, min_gpus=1, overhead_usd=0)
    # With 1 GPU ($1,000) the API costs $1,000 at 0.8e9 tokens
    assert be.tokens == pytest.approx(0.8e9, rel=1e-9)
    # Just past 1e9 a second GPU is added ($2,000) while the API costs $1,250: API cheaper again until 1.6e9.
    # From n GPUs on, the API at (n-1)e9 tokens must exceed n * 1000: 1250 (n - 1) >= 1000 n -> n >= 5,
    # so self-hosting stays cheaper from the crossing inside the 4-GPU interval: 4000 / 1.25e-6 = 3.2e9.
    assert be.stays_cheaper_from == pytest.approx(3.2e9, rel=1e-9)
    api = lambda v: v * 1.25e-6  # noqa: E731
    sh = lambda v: cost.self_host_monthly_cost(v, tput, gpu_hour, 0.5, 1, 0)  # noqa: E731
    assert api(1.05e9) < sh(1.05e9)          # the sawtooth: API cheaper right after the second GPU
    for v in np.linspace(3.2e9, 2e10, 500):
        assert api(v) >= sh(v) - 1e-6


def test_break_even_never_and_edge_cases():
    # a fully used GPU costs more per token than the API: never
    assert cost.break_even_tokens(0.01, 100, 5.0, 0.5, 1, 0).tokens is None
    # free API: never
    assert cost.break_even_tokens(0.0, 1000, 2.0, 0.5).tokens is None
    # input-only traffic: self-hosting is a flat cost, the API overtakes it at (n*c + o) / p
    be = cost.break_even_tokens(1.0, 1000, 2.0, 0.5, 1, 0, input_share=1.0)
    assert be.tokens == pytest.approx(1460 / 1e-6)
    # 1% utilization never divides by zero
    assert cost.gpus_needed(1e11, 1000, 0.01, 1, 0.75) == math.ceil(2.5e10 / (1000 * 0.01 * S))
    with pytest.raises(ValueError):
        cost.tokens_per_gpu_month(0, 0.5)


def test_gpu_memory_from_the_listing():
    assert cost.gpu_memory_gb("B200_180GB") == 180 and cost.gpu_memory_gb("") is None


def test_formatting():
    assert fmt.tokens(1e9) == "1B" and fmt.tokens(2.5e6) == "2.5M" and fmt.tokens(0) == "0"
    assert fmt.usd(0.4) == "$0.40" and fmt.usd(0.175) == "$0.175" and fmt.usd(8307.4) == "$8,307"
    assert fmt.usd(float("nan")) == "n/a"
    assert fmt.ratio(3) == "3:1" and fmt.ratio(0.25) == "1:4"


# ----------------------------------------------------------------------------------------------------
# Property tests
# ----------------------------------------------------------------------------------------------------

volumes = st.floats(min_value=0, max_value=1e12, allow_nan=False)
tputs = st.floats(min_value=1, max_value=50_000, allow_nan=False)
gpu_prices = st.floats(min_value=0.05, max_value=20, allow_nan=False)
utils = st.floats(min_value=0.01, max_value=1.0, allow_nan=False)
shares = st.floats(min_value=0, max_value=0.99, allow_nan=False)
min_gpus = st.integers(min_value=1, max_value=16)
overheads = st.floats(min_value=0, max_value=50_000, allow_nan=False)
api_prices = st.floats(min_value=0.001, max_value=100, allow_nan=False)


@settings(deadline=None)
@given(volumes, volumes, shares, api_prices, api_prices, st.floats(0, 1), st.floats(0, 10))
def test_api_cost_never_decreases_with_volume(a, b, share, p_in, p_out, hit, cache):
    lo, hi = sorted((a, b))
    assert cost.monthly_cost_api(lo, share, p_in, p_out, hit, cache) <= cost.monthly_cost_api(
        hi, share, p_in, p_out, hit, cache) + 1e-9


@settings(deadline=None)
@given(volumes, volumes, tputs, gpu_prices, utils, min_gpus, overheads, shares)
def test_self_host_cost_never_decreases_with_volume(a, b, tput, price, util, n0, o, share):
    lo, hi = sorted((a, b))
    f = lambda v: cost.self_host_monthly_cost(v, tput, price, util, n0, o, share)  # noqa: E731
    assert f(lo) <= f(hi)


@settings(deadline=None)
@given(volumes, tputs, gpu_prices, gpu_prices, utils, min_gpus, overheads, shares)
def test_higher_gpu_price_never_lowers_self_host_cost(v, tput, p1, p2, util, n0, o, share):
    lo, hi = sorted((p1, p2))
    assert cost.self_host_monthly_cost(v, tput, lo, util, n0, o, share) <= cost.self_host_monthly_cost(
        v, tput, hi, util, n0, o, share)


@settings(deadline=None)
@given(tputs, gpu_prices, utils, min_gpus, overheads, shares, st.integers(1, 200))
def test_self_host_steps_at_whole_gpu_boundaries(tput, price, util, n0, o, share, k):
    cap = cost.tokens_per_gpu_month(tput, util, share)
    assume(cap * (k + 1) < 1e15)
    n = lambda v: cost.gpus_needed(v, tput, util, n0, share)  # noqa: E731
    c = lambda v: cost.self_host_monthly_cost(v, tput, price, util, n0, o, share)  # noqa: E731
    # exactly k GPUs' capacity needs max(k, minimum) GPUs; a hair more needs one more (once past the minimum)
    assert n(k * cap) == max(k, n0)
    assert n(k * cap * (1 + 1e-6)) == max(k + 1, n0)
    # inside an interval the cost is flat; across a boundary past the minimum it rises by exactly one GPU-month
    assert c((k - 0.5) * cap) == c((k - 0.01) * cap)
    if k >= n0:
        assert c(k * cap * (1 + 1e-6)) - c(k * cap) == pytest.approx(price * H, rel=1e-9)


@settings(max_examples=300, deadline=None)
@given(api_prices, tputs, gpu_prices, utils, min_gpus, overheads, shares)
def test_break_even_lies_where_the_curves_cross(p, tput, price, util, n0, o, share):
    be = cost.break_even_tokens(p, tput, price, util, n0, o, share)
    api = lambda v: np.asarray(v) * p / 1e6  # noqa: E731
    sh = lambda v: cost.self_host_monthly_cost(v, tput, price, util, n0, o, share)  # noqa: E731
    cap = cost.tokens_per_gpu_month(tput, util, share)
    if be.tokens is None:
        # self-hosting is never cheaper or equal: check across many volumes and every step boundary
        grid = np.logspace(0, 15, 400)
        if cap * 50 < 1e15:
            grid = np.concatenate([grid, cap * np.arange(1, 50), cap * np.arange(1, 50) * (1 + 1e-9)])
        assert (api(grid) < sh(grid) + 1e-6 * np.maximum(sh(grid), 1)).all()
        return
    v = be.tokens
    # at the break-even the curves meet (the API has caught up) ...
    assert api(v) == pytest.approx(sh(v), rel=1e-6)
    # ... and everywhere below it the API was cheaper, step boundaries included
    below = np.concatenate([np.linspace(0, v, 300, endpoint=False),
                            cap * np.arange(1, min(int(v / cap) + 1, 2000)) if np.isfinite(cap) else []])
    below = below[below < v * (1 - 1e-9)]
    assert (api(below) < sh(below) * (1 + 1e-9)).all()
    # from stays_cheaper_from on, self-hosting never costs more
    assert be.stays_cheaper_from >= v * (1 - 1e-12)
    above = be.stays_cheaper_from * np.logspace(0, 3, 200)
    if np.isfinite(cap):
        k0 = int(be.stays_cheaper_from / cap) + 1
        above = np.concatenate([above, cap * np.arange(k0, k0 + 50) * (1 + 1e-9)])
    assert (api(above) >= sh(above) * (1 - 1e-9)).all()


def _frame(rows):
    return pd.DataFrame(rows, columns=["model_id", "name", "open", "score", "blended"])


model_rows = st.lists(st.tuples(st.booleans(), st.floats(0, 60, allow_nan=False),
                                st.floats(0.01, 100, allow_nan=False)), min_size=1, max_size=25)


@settings(deadline=None)
@given(model_rows, st.floats(0, 65))
def test_cheapest_meeting_is_the_brute_force_minimum(rows, threshold):
    df = _frame([(f"m{i}", f"M{i}", o, s, p) for i, (o, s, p) in enumerate(rows)])
    for side, flag in (("open", True), ("closed", False)):
        got = cost.cheapest_meeting(df, threshold, side)
        ok = [r for r in df.itertuples() if r.open == flag and r.score >= threshold]
        if not ok:
            assert got is None
        else:
            assert got["blended"] == min(r.blended for r in ok)
            assert got["score"] >= threshold and bool(got["open"]) == flag


@settings(deadline=None)
@given(model_rows)
def test_saving_curve_matches_cheapest_meeting(rows):
    df = _frame([(f"m{i}", f"M{i}", o, s, p) for i, (o, s, p) in enumerate(rows)])
    th = np.arange(0, 61, 2.5)
    curve = cost.saving_curve(df, th)
    expected = 0
    for t in th:
        o, c = cost.cheapest_meeting(df, t, "open"), cost.cheapest_meeting(df, t, "closed")
        if o is None or c is None:
            assert t not in set(curve["threshold"])
            continue
        expected += 1
        row = curve[curve["threshold"] == t].iloc[0]
        assert row["open_model"] == o["name"] and row["closed_model"] == c["name"]
        assert row["saving_pct"] == pytest.approx(100 * (1 - o["blended"] / c["blended"]))
    assert len(curve) == expected


@settings(deadline=None)
@given(model_rows)
def test_pareto_frontier_is_undominated_and_covers(rows):
    df = _frame([(f"m{i}", f"M{i}", o, s, p) for i, (o, s, p) in enumerate(rows)])
    df["group"] = np.where(df["open"], "Open weights", "Closed")
    fr = cost.pareto_frontier(df)
    for grp, g in df.groupby("group"):
        f = fr[fr["group"] == grp]
        for r in f.itertuples():   # nobody in the group is at least as cheap and strictly better
            assert not ((g["blended"] <= r.blended) & (g["score"] > r.score)).any()
        for r in g.itertuples():   # every model is matched or beaten by a frontier model
            assert ((f["blended"] <= r.blended) & (f["score"] >= r.score)).any()


# ----------------------------------------------------------------------------------------------------
# The calculator on small hand-made tables
# ----------------------------------------------------------------------------------------------------

def _tiny_tables():
    models = pd.DataFrame({
        "model_id": ["deepseek-r1", "closed-a", "closed-b", "mystery"],
        "name": ["DeepSeek-R1", "Closed A", "Closed B", "Mystery"],
        "organization": ["DeepSeek", "Lab", "Lab", "?"],
        "openness": ["open_unrestricted", "api", "api", "unknown"],
        "id_openrouter": ["deepseek/deepseek-r1", "lab/a", "", ""],
    })
    scores = pd.DataFrame({
        "model_id": ["deepseek-r1", "closed-a", "closed-b", "mystery"],
        "source_id": ["r1", "a", "b", "m"], "metric": [cost.METRIC] * 4,
        "value": [20.0, 25.0, 50.0, 60.0], "date": ["2025-01-20", "2025-01-01", "2025-06-01", "2025-01-01"],
        "variant": ["", "", "", ""],
    })
    prices = pd.DataFrame({
        "model_id": ["deepseek-r1", "deepseek-r1", "closed-a", "closed-b", "mystery"],
        "source": ["models_dev", "openrouter", "models_dev", "models_dev", "models_dev"],
        "source_id": ["ds/r1", "deepseek/deepseek-r1", "lab/a", "lab/b", "x"],
        "price_kind": ["cheapest_host", "host", "lab_list", "lab_list", "lab_list"],
        "provider": ["hostco", "openrouter", "lab", "lab", "x"],
        "input_usd_per_mtok": [0.5, 0.7, 1.0, 3.0, 0.01], "output_usd_per_mtok": [2.0, 2.5, 5.0, 15.0, 0.01],
        "cache_read_usd_per_mtok": [np.nan, np.nan, 0.1, 0.3, np.nan], "as_of": ["2026-07-02"] * 5,
    })
    throughput = pd.DataFrame({
        "model": ["deepseek-r1", "deepseek-r1"], "model_name": ["DeepSeek-R1"] * 2, "params_b": [671.0] * 2,
        "active_params_b": [37.0] * 2, "accelerator": ["B200", "B200"], "gpu": ["B200", "B200"],
        "scenario": ["Server", "Offline"], "category": ["closed", "closed"],
        "tokens_per_s_per_gpu": [2000.0, 4000.0], "n_gpus": [8, 8], "submitter": ["X", "X"],
        "id": ["1", "2"], "precision": ["fp4", "fp4"],
    })
    gpu = pd.DataFrame({
        "gpu": ["B200"], "gpu_type": ["B200_180GB"], "usd_per_gpu_hour_min": [4.0], "usd_per_gpu_hour_p10": [4.5],
        "usd_per_gpu_hour_p25": [5.0], "usd_per_gpu_hour_median": [6.0], "usd_per_gpu_hour_p75": [7.0],
        "usd_per_gpu_hour_p90": [7.5], "usd_per_gpu_hour_max": [8.0],
    })
    specs = pd.DataFrame({"gpu": ["B200"], "memory_gb": [180.0], "bandwidth_tb_s": [8.0], "bf16_tflops": [2250.0],
                          "fp8_tflops": [4500.0], "fp4_tflops": [9000.0]})
    return {"models": models, "scores": scores, "prices": prices, "throughput": throughput, "gpu_prices": gpu,
            "gpu_specs": specs}


def test_compare_options_by_hand():
    t = _tiny_tables()
    ci = cost.CalcInputs(tokens_per_month=1e10, ratio=3.0, cache_hit_share=0.5, model="deepseek-r1", gpu="B200",
                         scenario="Server", gpu_pct="median", derate=0.5, utilization=0.5, min_gpus=2,
                         overhead_usd=1000, closed_model="auto")
    r = cost.compare_options(t, ci)
    opts = r["options"].set_index("option")
    # auto: the cheapest closed model scoring >= 20 is Closed A (25), list $1 / $5, cache $0.10.
    # Input 75% of 1e10 = 7.5e9: half cached -> 3750 * 1 + 3750 * 0.1 = 4125; output 2.5e9 * $5/M = 12,500.
    assert r["closed"]["model_id"] == "closed-a"
    assert opts.loc["Closed API", "monthly_usd"] == pytest.approx(4125 + 12500)
    # hosted: cheapest host $0.5 / $2 (no cache price): 7500 * 0.5 + 2500 * 2 = 8,750
    assert opts.loc["Open model, hosted", "monthly_usd"] == pytest.approx(8750)
    # self-host (serving.py rules). Weights 671B x 0.5 bytes = 335.5 GB; KV 61 x 576 x 2 B = 70,272 B/token x 4,096
    # x 32 = 9.21 GB: 344.7 GB need 4 B200 (2 x 162 usable = 324 is too small; 4 x 162 = 648). MLPerf measured 8:
    # free memory per GPU (648 - 335.5) / 4 = 78.125 vs (1296 - 335.5) / 8 = 120.0625 -> decode x 0.6507.
    mem = (648 - 335.5) / 4 / ((1296 - 335.5) / 8)
    decode4, decode8 = 2000 * 0.5 * mem, 2000 * 0.5
    prefill = 9000e12 * 0.4 / (2 * 37e9)                 # 48,649 tokens/s per GPU
    eff4 = 1 / (1 / decode4 + 3 / prefill)               # 625.6 output tokens/s per GPU, prefill included
    eff8 = 1 / (1 / decode8 + 3 / prefill)               # 941.9
    assert r["plan"].replica == 4 and r["plan"].estimate
    assert r["throughput"] == pytest.approx(eff4)
    # 2.5e9 output tokens / (625.6 x 0.5 x 2,628,000 = 8.22e8 per GPU) = 3.04 -> 4 GPUs = one replica of 4
    # (8 GPUs as one replica of 8 would cost twice as much): 4 x $6 x 730 + $1,000 = $18,520
    assert r["gpus"] == 4 and r["fit_gpus"] == 4
    assert opts.loc["Self-host", "monthly_usd"] == pytest.approx(4 * 6 * 730 + 1000)
    # busy: 1e10 tokens over 4 GPUs' full capacity (625.6 x 2,628,000 / 0.25 each)
    assert r["busy_share"] == pytest.approx(1e10 / (4 * eff4 * 2_628_000 / 0.25))
    # break-even vs hosted ($0.875/M): a GPU-month carries at most 941.9 x 0.5 x 2,628,000 / 0.25 = 4.95e9 tokens,
    # worth $4,332 < $4,380 rent, so self-hosting never pays.
    assert r["break_even_hosted"].tokens is None
    # vs Closed A ($1.6625/M with the cache): the 4-GPU replica crosses at (4 x 4380 + 1000) / 1.6625e-6
    assert r["break_even_closed"].tokens == pytest.approx((4 * 4380 + 1000) / 1.6625e-6)
    assert r["break_even_closed"].gpus == 4
    assert eff8 > eff4
    # an explicit closed model and the p75 GPU price
    r2 = cost.compare_options(t, dataclasses.replace(ci, closed_model="closed-b", gpu_pct="p75"))
    assert r2["closed"]["model_id"] == "closed-b"
    assert r2["options"].set_index("option").loc["Self-host", "monthly_usd"] == pytest.approx(4 * 7 * 730 + 1000)


def test_compare_options_extremes_give_numbers():
    t = _tiny_tables()
    for ci in (cost.CalcInputs(tokens_per_month=0), cost.CalcInputs(tokens_per_month=1e11),
               cost.CalcInputs(utilization=0.01, derate=0.05), cost.CalcInputs(gpu="H100", scenario="nope",
                                                                               model="unknown")):
        r = cost.compare_options(t, ci)
        monthly = r["options"]["monthly_usd"].to_numpy()
        assert np.isfinite(monthly).all() and (monthly >= 0).all()


def test_monte_carlo_is_reproducible_and_bounded():
    t = _tiny_tables()
    r = cost.compare_options(t, cost.CalcInputs())
    a = cost.monte_carlo(r, [1e6, 1e9, 1e11])
    b = cost.monte_carlo(r, [1e6, 1e9, 1e11])
    assert np.array_equal(a["p_cheaper_hosted"], b["p_cheaper_hosted"])
    assert ((a["p_cheaper_closed"] >= 0) & (a["p_cheaper_closed"] <= 1)).all()
    assert (a["p10"] <= a["p50"]).all() and (a["p50"] <= a["p90"]).all()
    # GPU prices drawn inside the month's min..max: costs inside the matching bounds
    at = cost.mc_at(r, 1e9)
    assert at["p_cheaper_hosted"][0] == pytest.approx(cost.monte_carlo(r, [1e9])["p_cheaper_hosted"][0])
    assert at["costs"].min() >= r["min_gpus"] * 4.0 * H and at["costs"].max() <= 1e9


def test_price_over_time_counts_a_listing_only_from_its_score_date_and_skips_free_prices():
    t = _tiny_tables()
    hist = pd.DataFrame({
        "source_id": ["deepseek/deepseek-r1"] * 3 + ["lab/a"] * 2,
        "date": ["2025-01-10", "2025-01-28", "2025-02-01", "2024-12-01", "2025-01-15"],
        "input_usd_per_mtok": [1.0, 0.0, 0.5, 4.0, 2.0], "output_usd_per_mtok": [1.0, 0.0, 0.5, 4.0, 2.0],
        "first_seen": ["2025-01-10"] * 3 + ["2024-12-01"] * 2, "last_seen": ["2025-02-10"] * 3 + ["2025-02-10"] * 2,
        "present_now": [False] * 5,
    })
    s = cost.price_over_time(t["models"], t["scores"], hist, level=20, ratio=3)
    o = s[s["group"] == "Open weights"].set_index("date")["price"]
    # the open listing starts 2025-01-10, but its model's score dates from 2025-01-20
    assert pd.Timestamp(o.index.min()) == pd.Timestamp("2025-01-20") and o.iloc[0] == pytest.approx(1.0)
    # the $0 promotion (Jan 28-31) is skipped: no open point then; $0.50 from Feb 1
    days = pd.to_datetime(o.index)
    assert not ((days >= "2025-01-28") & (days < "2025-02-01")).any()
    assert o[days == pd.Timestamp("2025-02-01")].iloc[0] == pytest.approx(0.5)
    c = s[s["group"] == "Closed"].set_index("date")["price"]
    # listed from 2024-12-01 at $4, but Closed A's score dates from 2025-01-01
    assert pd.Timestamp(c.index.min()) == pd.Timestamp("2025-01-01") and c.iloc[0] == 4.0
    cuts = cost.notable_cuts(s)
    assert set(cuts["group"]) == {"Open weights", "Closed"}


def test_notable_cuts_ignore_recovery_after_a_spike():
    s = pd.DataFrame({"date": pd.to_datetime(["2025-01-01", "2025-01-05", "2025-01-08", "2025-02-01"]),
                      "group": "Open weights", "price": [1.0, 7.0, 1.1, 0.3], "model": ["a", "a", "a", "b"]})
    cuts = cost.notable_cuts(s)
    assert list(cuts["model"]) == ["b"]     # 7 -> 1.1 is a recovery, not a new low


# ----------------------------------------------------------------------------------------------------
# On the real data: traceability, defaults, extremes
# ----------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def data():
    return {name: tables.read(name) for name in cost.TABLES}


def test_cheapest_at_threshold_traces_to_data_rows(data):
    """Recompute the default comparison straight from the CSV rows, without the cost module's helpers."""
    models, scores, prices = data["models"], data["scores"], data["prices"]
    openness = models.set_index("model_id")["openness"]
    ref = prices[prices["price_kind"] == "aa_reference"]
    (as_of,) = ref["as_of"].unique()             # AA's reference prices come from one pull, paired with its scores
    aa = scores[(scores["metric"] == cost.METRIC) & (scores["snapshot"] == as_of)].set_index("source_id")
    best = {}
    for r in ref.itertuples():
        if r.source_id not in aa.index:
            continue
        mid = aa.loc[r.source_id, "model_id"]
        score = float(aa.loc[r.source_id, "value"])
        blended = (3 * r.input_usd_per_mtok + r.output_usd_per_mtok) / 4
        cls = openness.get(mid, "unknown")
        if not (cls.startswith("open_") or cls in ("api", "hosted")):
            continue
        key = (-score, blended, r.source_id)
        if mid not in best or key < best[mid][0]:
            best[mid] = (key, cls.startswith("open_"), score, blended)
    for threshold in (20.0, 40.0, 50.0):
        for want_open in (True, False):
            cands = [(v[3], -v[2], m) for m, v in best.items() if v[1] == want_open and v[2] >= threshold]
            got = cost.cheapest_meeting(cost.price_capability(models, scores, prices), threshold,
                                        "open" if want_open else "closed")
            if not cands:
                assert got is None
                continue
            price, _, mid = min(cands)
            assert got["blended"] == pytest.approx(price)
            assert got["score"] >= threshold


def test_default_analysis_is_complete_and_headlines_are_numbers(data):
    r = cost.analyze(data, cost.Settings())
    cards = cost.cards_from(r)
    assert [c.key for c in cards] == ["cost_price_capability", "cost_saving_curve", "cost_two_currencies",
                                      "cost_price_history",
                                      "cost_volume", "cost_tornado", "cost_monte_carlo"]
    t = r.market.at_threshold
    assert t["open"] is not None and t["closed"] is not None
    assert t["saving_pct"] == pytest.approx(100 * (1 - t["open"]["blended"] / t["closed"]["blended"]))
    assert f"{t['saving_pct']:.0f}%" in cost.headline_threshold(r.market)
    for c in cards:
        assert not NAN.search(c.title) and not NAN.search(c.subtitle)
        assert c.sources and c.alt
    # the saving headline speaks of capability ranges and the models that decide them, not grid steps
    rg = r.market.ranges
    longest = rg.assign(w=rg["high"] - rg["low"]).sort_values("w", ascending=False, kind="mergesort").iloc[0]
    assert longest["open_model"] in cards[1].title and longest["closed_model"] in cards[1].title
    assert not re.search(r"\d+ of \d+ (capability )?levels", cards[1].title + cards[0].title)
    # the trace table names the exact data rows
    tr = cost.trace_rows(r.market)
    assert set(tr["side"]) == {"open", "closed"}
    for row in tr.itertuples():
        hit = data["prices"][(data["prices"]["source_id"] == row[10]) & (data["prices"]["price_kind"] == row[8])]
        assert len(hit) >= 1


@pytest.mark.parametrize("changes", [
    dict(tokens=0.0), dict(tokens=1e11), dict(utilization=0.01), dict(threshold=100.0), dict(history_level=100.0),
    dict(price_source="lab_list", open_rule="unrestricted"), dict(price_source="cheapest_host", ratio=0.0),
    dict(model="llama3.1-8b", gpu="H100 SXM5", scenario="Offline", against="closed", closed_model="nope"),
    dict(model="llama3.1-405b", gpu="H200", gpu_pct="p75", derate=1.0, min_gpus=64, overhead=1e6, cache_hit=0.9),
    dict(log_price=False, ratio=20.0, threshold=0.0),
])
def test_extreme_settings_render_without_nan(data, changes):
    r = cost.analyze(data, dataclasses.replace(cost.Settings(), **changes))
    for c in cost.cards_from(r):
        assert not NAN.search(c.title), c.title
        c.chart.to_dict()   # a valid Vega-Lite spec
    opts = r.calc.calc["options"]
    assert np.isfinite(opts["monthly_usd"]).all()


def test_sanitize_hostile_values():
    s = cost.Settings(price_source="drop table", ratio=float("nan"), threshold=-5, tokens=-1,
                      utilization=0, derate=7, min_gpus=0, gpu_pct="p99", against="x").clean()
    d = cost.Settings()
    assert s.price_source == d.price_source and s.ratio == d.ratio and s.threshold == 0.0 and s.tokens == 0.0
    assert s.utilization == 0.01 and s.derate == 1.0 and s.min_gpus == 1 and s.gpu_pct == d.gpu_pct
    assert s.against == d.against


# ----- robustness and the second currency (hand-computed) ----------------------------------------------------

from openclosed.cost import robust  # noqa: E402
from openclosed.cost import section as cost_section  # noqa: E402


def _toy():
    # name, open, score, blended $/M, cost per index run
    rows = [("O1", True, 45, 0.2, 300.0), ("O2", True, 42, 0.5, 100.0), ("O3", True, 41, 1.0, 150.0),
            ("C1", False, 50, 2.0, 400.0), ("C2", False, 44, 4.0, 200.0), ("C3", False, 30, 0.1, 10.0)]
    return pd.DataFrame(rows, columns=["name", "open", "score", "blended", "cost_per_run"])


def test_leave_one_out_and_spread_by_hand():
    r = robust.robust_saving(_toy(), 40, robust.PER_TOKEN)
    # cheapest open >= 40 is O1 (0.2), cheapest closed is C1 (2.0; C3 scores 30): 1 - 0.2/2 = 90%
    assert (r.open_model, r.closed_model) == ("O1", "C1") and r.saving == pytest.approx(90.0)
    assert r.next_open == "O2" and r.without_open == pytest.approx(75.0)      # 1 - 0.5/2
    assert r.next_closed == "C2" and r.without_closed == pytest.approx(95.0)  # 1 - 0.2/4
    # pairs of the 3 cheapest open (0.2, 0.5, 1.0) and the 2 closed (2, 4): 1 - 1/2 = 50% .. 1 - 0.2/4 = 95%
    assert (r.spread_low, r.spread_high) == (pytest.approx(50.0), pytest.approx(95.0))


def test_cost_per_run_can_reverse_the_choice():
    t = robust.robust_saving(_toy(), 40, robust.PER_RUN)
    # per run: O2 (100) vs C2 (200): 50%; per token O1 and C1 decided
    assert (t.open_model, t.closed_model) == ("O2", "C2") and t.saving == pytest.approx(50.0)
    assert robust.robust_saving(_toy(), 60).ok is False


def test_two_currencies_from_index_runs_table():
    runs = pd.DataFrame({
        "model_id": ["a", "b", "c"], "source_id": ["index_run:a", "index_run:b", "task:c"],
        "dataset": ["index_run", "index_run", "task"], "aa_slug": ["a", "b", "c"], "name": ["A", "B", "C"],
        "open_weights": ["yes", "no", ""], "intelligence_index": [41.0, 43.0, np.nan],
        "tokens_m": [200.0, 50.0, np.nan], "cost_usd_per_run": [90.0, 60.0, np.nan],
        "cost_usd_per_task": [np.nan, np.nan, 0.5], "input_usd_per_mtok": [0.1, 2.0, np.nan],
        "output_usd_per_mtok": [0.5, 10.0, np.nan], "as_of": ["2026-07-31"] * 3})
    tc = robust.two_currencies(runs, 40, ratio=3.0)
    # blended 3:1: A (0.3+0.5)/4 = 0.2, B (6+10)/4 = 4: 95% cheaper per token; per run 1 - 90/60 = -50%
    assert tc.per_token.saving == pytest.approx(95.0)
    assert tc.per_run.saving == pytest.approx(-50.0)
    assert tc.disagree


def test_decided_ranges_merge_levels_of_one_pair():
    curve = pd.DataFrame({"threshold": [1.0, 1.5, 2.0, 2.5], "open_model": ["A", "A", "B", "B"],
                          "closed_model": ["X", "X", "X", "X"], "saving_pct": [80.0, 80.0, 50.0, 50.0]})
    r = robust.decided_ranges(curve)
    assert r[["low", "high", "open_model"]].values.tolist() == [[1.0, 1.5, "A"], [2.0, 2.5, "B"]]
    assert robust.claim_ranges(r) == [(1.0, 1.5)]


# --------------------------------------------------------------------------------------------------
# Cheapest host: counting hosts only, the snapshot pair nearest in time, prices below the lab's list flagged
# --------------------------------------------------------------------------------------------------
def test_nearest_snapshots_by_hand():
    # 2026-07-02 prices: 29 days from the 2026-07-31 scores, 120 from 2026-03-04 -> the July pair
    assert cost.nearest_snapshots(["2026-07-02"], ["2026-03-04", "2026-07-31"]) == ("2026-07-02", "2026-07-31")
    # two price snapshots: the 2026-08-22 one is 22 days from the scores, 2026-07-02 is 29
    assert cost.nearest_snapshots(["2026-07-02", "2026-08-22"], ["2026-07-31"]) == ("2026-08-22", "2026-07-31")
    # a tie (10 days either side) goes to the earlier score snapshot
    assert cost.nearest_snapshots(["2026-05-11"], ["2026-05-01", "2026-05-21"]) == ("2026-05-11", "2026-05-01")
    assert cost.nearest_snapshots([], ["2026-07-31"]) is None


def _host_tables():
    models = pd.DataFrame({"model_id": ["o", "c"], "name": ["Open O", "Closed C"], "organization": ["L", "M"],
                           "openness": ["open_unrestricted", "api"]})
    sc = [("o", 40.0, "2026-03-04"), ("o", 45.0, "2026-07-31"), ("c", 50.0, "2026-07-31")]
    scores = pd.DataFrame([{"model_id": m, "source": "artificial_analysis", "source_id": m, "metric": cost.METRIC,
                            "value": v, "date": "2026-01-01", "snapshot": snap, "variant": ""} for m, v, snap in sc])
    pr = [("o", "lab_list", "lab", 1.0, 2.0, "2026-07-02", "lab", ""),
          ("o", "cheapest_host", "deepinfra", 0.2, 0.4, "2026-07-02", "inference_host", "yes"),
          ("o", "cheapest_host", "deepinfra", 0.1, 0.2, "2025-11-01", "inference_host", "yes"),   # older snapshot
          ("c", "cheapest_host", "m", 2.0, 6.0, "2026-07-02", "lab", "no")]
    prices = pd.DataFrame([{"model_id": m, "source": "models_dev", "source_id": f"{p}/{m}/{d}", "price_kind": k,
                            "provider": p, "input_usd_per_mtok": i, "output_usd_per_mtok": o_,
                            "cache_read_usd_per_mtok": np.nan, "as_of": d, "host_role": role, "below_lab_list": b}
                           for m, k, p, i, o_, d, role, b in pr])
    return models, scores, prices


def test_cheapest_host_pairs_the_nearest_snapshots_and_flags_below_list():
    models, scores, prices = _host_tables()
    pc = cost.price_capability(models, scores, prices, "cheapest_host").set_index("model_id")
    # 2026-07-02 prices pair with the 2026-07-31 scores (29 days), not the 2025-11-01 prices (272 days)
    assert pc.loc["o", "as_of"] == "2026-07-02" and pc.loc["o", "score_snapshot"] == "2026-07-31"
    assert pc.loc["o", "score"] == 45.0
    assert pc.loc["o", "blended"] == pytest.approx((3 * 0.2 + 0.4) / 4)        # $0.25, not the older $0.125
    assert bool(pc.loc["o", "below_lab_list"]) and not bool(pc.loc["c", "below_lab_list"])
    m = cost.analyze_market({"models": models, "scores": scores, "prices": prices},
                            cost.Settings(price_source="cheapest_host", threshold=40))
    card = cost.price_capability_card(m)
    assert "prices as of 2026-07-02, scores from the 2026-07-31 snapshot" in card.subtitle
    assert "Flagged: 1 open and 0 closed prices are below the lab's own list price" in card.subtitle
    assert card.data["below_lab_list"].sum() == 1


def test_real_cheapest_host_prices_come_from_counting_hosts_only():
    t = {n: tables.read(n) for n in ("models", "scores", "prices")}
    pc = cost.price_capability(t["models"], t["scores"], t["prices"], "cheapest_host")
    assert set(pc["host_role"]) <= {"lab", "inference_host"}                   # never a router or reseller
    hosts = pd.read_csv("pipeline/curated/hosts.csv").set_index("provider")
    assert (hosts.loc[pc["provider"].unique(), "counts_as_host"] == "yes").all()
    assert pc["as_of"].nunique() == 1 and pc["score_snapshot"].nunique() == 1
    below = pc[pc["below_lab_list"]]
    lab = t["prices"][t["prices"]["price_kind"] == "lab_list"]
    lab_blend = cost.blended_price(lab["input_usd_per_mtok"], lab["output_usd_per_mtok"], 3.0)
    lab_min = pd.Series(lab_blend, index=lab["model_id"].to_numpy()).groupby(level=0).min()
    for r in below.itertuples():                                                 # flagged = really below list
        assert r.blended < lab_min[r.model_id] + 1e-12


# ----- issue 28: leave out the deciding family; one model set for both currencies ------------------------------

def test_leave_one_out_drops_the_whole_family_not_one_twin():
    # O1 and its dated twin O1b cost the same: leaving out O1 alone gives the same 90% (tests nothing)
    rows = [("O1", "o1", True, 45, 0.2), ("O1b", "o1", True, 44, 0.2), ("O2", "o2", True, 42, 0.5),
            ("C1", "c1", False, 50, 2.0), ("C2", "c2", False, 44, 4.0)]
    df = pd.DataFrame(rows, columns=["name", "family", "open", "score", "blended"])
    r = robust.robust_saving(df, 40, robust.PER_TOKEN)
    assert r.saving == pytest.approx(90.0)
    # the old rule: the next cheapest open model is the twin, 1 - 0.2/2 = 90% again
    assert r.next_open == "O2" and r.without_open == pytest.approx(75.0)      # 1 - 0.5/2
    assert r.open_family == "o1" and set(r.open_family_members) == {"O1", "O1b"}
    assert "O1's family (O1, O1b)" in cost_section.loo_text(r)


def test_two_currencies_use_one_model_set_and_say_what_the_market_card_has_that_they_lack():
    runs = pd.DataFrame({
        "model_id": ["a", "b", "d"], "source_id": ["index_run:a", "index_run:b", "index_run:d"],
        "dataset": ["index_run"] * 3, "aa_slug": ["a", "b", "d"], "name": ["A", "B", "D"],
        "open_weights": ["yes", "no", "no"], "intelligence_index": [41.0, 43.0, 45.0],
        "tokens_m": [200.0, 50.0, np.nan], "cost_usd_per_run": [90.0, 60.0, np.nan],
        "cost_usd_per_task": [np.nan] * 3, "input_usd_per_mtok": [0.1, 2.0, 0.5],
        "output_usd_per_mtok": [0.5, 10.0, 1.5], "as_of": ["2026-07-31"] * 3})
    tc = robust.two_currencies(runs, 40, ratio=3.0)
    # D has a price but no run cost: the old rule let it decide per token (1 - 0.2/0.75 = 73%); now A vs B, 95%
    assert tc.per_token.closed_model == "B" and tc.per_token.saving == pytest.approx(95.0)
    assert tc.one_currency_only == ("D",) and list(tc.models["name"]) == ["B", "A"]
    pc = pd.DataFrame({"model_id": ["a", "x", "b"], "name": ["A", "X", "B"], "open": [True, False, False],
                       "score": [41.0, 42.0, 43.0], "blended": [0.2, 0.3, 4.0]})
    market = robust.robust_saving(pc, 40)
    assert market.closed_model == "X" and market.saving == pytest.approx(100 / 3)
    d = robust.missing_from_runs(pc, market, tc)
    assert d == {"n_market": 3, "n_shared": 2, "deciding_missing": ["X"]}


def test_gpu_price_window_is_read_from_the_table_not_called_this_month():
    gp = pd.DataFrame({"first_date": ["2025-10-19", "2025-10-20"], "last_date": ["2025-11-16", "2025-11-10"]})
    assert cost_section.gpu_price_window(gp) == "19 Oct – 16 Nov 2025"
    assert cost_section.gpu_price_window(gp.iloc[:0]) == ""
    real = tables.read("gpu_prices")
    assert cost_section.gpu_price_window(real).endswith(str(pd.Timestamp(real["last_date"].max()).year))
