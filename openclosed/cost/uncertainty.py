"""How sure the calculator is: the break-even volume as each input moves (tornado) and a Monte Carlo over GPU price,
throughput and utilization (fixed seed)."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from openclosed import fmt
from openclosed.cost import serving
from openclosed.cost.calculator import CalcInputs
from openclosed.cost.primitives import HOURS_PER_MONTH, MIN_UTILIZATION, SECONDS_PER_MONTH, break_even_tokens

MC_DRAWS = 4000
MC_SEED = 20261124


def _gpu_quantiles(gp: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(probabilities, USD/GPU-hour) of the month's marketplace price distribution, for inverse-CDF sampling."""
    qs = np.array([0.0, 0.10, 0.25, 0.50, 0.75, 0.90, 1.0])
    names = ["usd_per_gpu_hour_min", "usd_per_gpu_hour_p10", "usd_per_gpu_hour_p25", "usd_per_gpu_hour_median",
             "usd_per_gpu_hour_p75", "usd_per_gpu_hour_p90", "usd_per_gpu_hour_max"]
    vals = []
    for i, n in enumerate(names):
        v = gp.get(n, np.nan)
        vals.append(float(v) if v is not None and np.isfinite(float(v)) else np.nan)
    vals = np.array(vals)
    ok = np.isfinite(vals)
    qs, vals = qs[ok], np.maximum.accumulate(vals[ok])
    return qs, vals


def _range(value: float, lo_f: float = 0.5, hi_f: float = 1.5, cap: float | None = None) -> tuple[float, float]:
    lo, hi = value * lo_f, value * hi_f
    if cap is not None:
        hi = min(hi, cap)
    return lo, hi


def tornado(res: dict, ci: CalcInputs, against: str = "closed") -> pd.DataFrame:
    """Break-even volume when each input moves to a low and a high value, the others held at the reader's.

    Ranges: GPU price from the month's p10 to p90; throughput and utilization x0.5 to x1.5 (capped at
    MLPerf's best and at 100%); overhead and the API price x0.5 to x2; minimum GPUs x0.5 to x2.
    Columns: input, low_label, high_label, be_low, be_high, be_base (tokens/month; inf = never)."""
    rate = res["rate_closed"] if against == "closed" else res["rate_hosted"]
    if rate is None:
        return pd.DataFrame(columns=["input", "low_label", "high_label", "be_low", "be_high", "be_base"])
    base = dict(api=rate, tput=res["throughput"], gpu=res["gpu_usd"], util=res["utilization"],
                min_gpus=res["min_gpus"], overhead=res["overhead"])
    share = res["input_share"]

    def be(**kw):
        a = {**base, **kw}
        b = break_even_tokens(a["api"], a["tput"], a["gpu"], a["util"], a["min_gpus"], a["overhead"], share,
                              res.get("step", 1))
        return math.inf if b.tokens is None else b.tokens

    gp = res["gpu_prices"]
    mlperf = res["throughput_mlperf"]
    t_lo, t_hi = _range(base["tput"], cap=mlperf)
    u_lo, u_hi = _range(base["util"], cap=1.0)
    fit = res["fit_gpus"]
    m_lo = serving.whole_gpus(max(fit, int(math.floor(base["min_gpus"] / 2))), fit, fit)
    m_hi = serving.whole_gpus(max(fit, int(base["min_gpus"] * 2)), fit, fit)
    o_lo, o_hi = base["overhead"] * 0.5, base["overhead"] * 2
    specs = [
        ("GPU price ($/GPU-hour)", dict(gpu=float(gp["usd_per_gpu_hour_p10"])),
         dict(gpu=float(gp["usd_per_gpu_hour_p90"])),
         f"p10 {fmt.usd(gp['usd_per_gpu_hour_p10'])}", f"p90 {fmt.usd(gp['usd_per_gpu_hour_p90'])}"),
        ("Throughput (tokens/s per GPU)", dict(tput=t_lo), dict(tput=t_hi), f"{t_lo:,.0f}", f"{t_hi:,.0f}"),
        ("Utilization", dict(util=u_lo), dict(util=u_hi), f"{u_lo:.0%}", f"{u_hi:.0%}"),
        ("API price ($/M tokens)", dict(api=rate * 0.5), dict(api=rate * 2), fmt.usd(rate * 0.5), fmt.usd(rate * 2)),
        ("Minimum GPUs", dict(min_gpus=m_lo), dict(min_gpus=m_hi), f"{m_lo}", f"{m_hi}"),
        ("Overhead ($/month)", dict(overhead=o_lo), dict(overhead=o_hi), fmt.usd(o_lo), fmt.usd(o_hi)),
    ]
    b0 = be()
    rows = [{"input": name, "low_label": ll, "high_label": hl, "be_low": be(**lo), "be_high": be(**hi), "be_base": b0}
            for name, lo, hi, ll, hl in specs]
    return pd.DataFrame(rows)


def _simulated_costs(res: dict, volumes: np.ndarray, n: int, seed: int) -> np.ndarray:
    """Self-hosting monthly cost for ``n`` draws of the uncertain inputs (rows) at each volume (columns)."""
    rng = np.random.default_rng(seed)
    qs, vals = _gpu_quantiles(res["gpu_prices"])
    gpu = np.interp(rng.random(n), qs, vals)
    t_lo, t_hi = _range(res["throughput"], cap=res["throughput_mlperf"])
    u_lo, u_hi = _range(res["utilization"], cap=1.0)
    tput = rng.uniform(t_lo, t_hi, n)
    util = np.clip(rng.uniform(u_lo, u_hi, n), MIN_UTILIZATION, 1.0)
    cap = tput * util * SECONDS_PER_MONTH  # output tokens per GPU-month
    need = volumes[None, :] * (1.0 - res["input_share"]) / cap[:, None]
    gpus = np.maximum(np.ceil(need * (1.0 - 1e-12)), res["min_gpus"])
    step = max(int(res.get("step", 1)), 1)
    gpus = np.ceil(gpus / step) * step
    return gpus * gpu[:, None] * HOURS_PER_MONTH + res["overhead"]


def _summarize(cost: np.ndarray, volumes: np.ndarray, res: dict, n: int, seed: int) -> dict:
    pct = np.percentile(cost, [10, 50, 90], axis=0)
    out = {"volumes": volumes, "p10": pct[0], "p50": pct[1], "p90": pct[2], "n": n, "seed": seed}
    for key, rate in (("closed", res["rate_closed"]), ("hosted", res["rate_hosted"])):
        if rate is None:
            out[f"p_cheaper_{key}"] = np.full(len(volumes), np.nan)
        else:
            api = volumes * rate / 1e6
            out[f"p_cheaper_{key}"] = (cost < api[None, :]).mean(axis=0)
    out["samples_at"] = None
    return out


def monte_carlo(res: dict, volumes, n: int = MC_DRAWS, seed: int = MC_SEED) -> dict:
    """Self-hosting cost over ``n`` draws of the uncertain inputs, at each volume (vectorized, fixed seed).

    GPU price: drawn from the month's marketplace distribution (inverse CDF through min, p10, p25, median,
    p75, p90, max). Throughput and utilization: uniform from x0.5 to x1.5 of the reader's values (capped
    at MLPerf's best and at 100%). Returns volumes, cost percentiles (p10, p50, p90) per volume, and the
    probability that self-hosting is cheaper than each API at each volume."""
    volumes = np.asarray(volumes, dtype=float)
    return _summarize(_simulated_costs(res, volumes, n, seed), volumes, res, n, seed)


def mc_at(res: dict, tokens: float, n: int = MC_DRAWS, seed: int = MC_SEED) -> dict:
    """Monte Carlo at one volume: draws of self-host cost and the probabilities against each API."""
    volumes = np.asarray([tokens], dtype=float)
    cost = _simulated_costs(res, volumes, n, seed)
    mc = _summarize(cost, volumes, res, n, seed)
    mc["costs"] = cost[:, 0]
    return mc
