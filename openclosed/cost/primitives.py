"""The cost model's arithmetic, shared with the advisor: blended and effective API prices, monthly API cost, whole
GPUs for a volume, self-hosting cost and the break-even volume. Pure functions of numbers (scalars or arrays)."""
from __future__ import annotations

import dataclasses
import math
import re

import numpy as np

HOURS_PER_MONTH = 730.0
SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600.0
MIN_UTILIZATION = 0.001


def blended_price(price_in, price_out, ratio: float = 3.0):
    """Blended $/M for an input:output ratio of ``ratio``:1: (ratio*input + output) / (ratio + 1).

    Scalars give a float; arrays give an array."""
    ratio = max(float(ratio), 0.0)
    out = (ratio * np.asarray(price_in, dtype=float) + np.asarray(price_out, dtype=float)) / (ratio + 1.0)
    return float(out) if np.ndim(out) == 0 else out


def input_share_from_ratio(ratio: float) -> float:
    """Share of all tokens that are input tokens for an input:output ratio of ``ratio``:1."""
    ratio = max(float(ratio), 0.0)
    return ratio / (ratio + 1.0)


def valid_price(p) -> bool:
    return p is not None and not (isinstance(p, float) and math.isnan(p)) and np.isfinite(float(p)) and float(p) >= 0


def api_usd_per_mtok(input_share: float, price_in: float, price_out: float, cache_hit_share: float = 0.0,
                     cache_read_price: float | None = None) -> float:
    """Effective USD per million tokens of traffic through an API.

    Input tokens that hit the prompt cache are billed at ``cache_read_price`` when the data has one;
    without a cache price the discount does not apply."""
    s = min(max(float(input_share), 0.0), 1.0)
    h = min(max(float(cache_hit_share), 0.0), 1.0) if valid_price(cache_read_price) else 0.0
    p_in = (1.0 - h) * float(price_in) + (h * float(cache_read_price) if h > 0 else 0.0)
    return s * p_in + (1.0 - s) * float(price_out)


def monthly_cost_api(tokens_per_month, input_share: float, price_in: float, price_out: float,
                     cache_hit_share: float = 0.0, cache_read_price: float | None = None):
    """USD per month for ``tokens_per_month`` tokens through an API. Accepts a scalar or an array of volumes."""
    rate = api_usd_per_mtok(input_share, price_in, price_out, cache_hit_share, cache_read_price)
    tokens = np.maximum(np.asarray(tokens_per_month, dtype=float), 0.0)
    out = tokens / 1e6 * rate
    return float(out) if np.ndim(out) == 0 else out


def tokens_per_gpu_month(throughput_tok_s_per_gpu: float, utilization: float, input_share: float = 0.0) -> float:
    """Monthly traffic (input + output tokens) one GPU carries at the target average utilization.

    Infinite when ``input_share`` is 1 (no output tokens to generate)."""
    if not throughput_tok_s_per_gpu or throughput_tok_s_per_gpu <= 0:
        raise ValueError("throughput must be positive (tokens/s per GPU)")
    u = min(max(float(utilization), MIN_UTILIZATION), 1.0)
    out_share = 1.0 - min(max(float(input_share), 0.0), 1.0)
    out_tokens = float(throughput_tok_s_per_gpu) * u * SECONDS_PER_MONTH
    return math.inf if out_share <= 0 else out_tokens / out_share


def gpus_needed(tokens_per_month, throughput_tok_s_per_gpu: float, utilization: float, min_gpus: int = 1,
                input_share: float = 0.0, step: int = 1):
    """Whole GPUs needed for a monthly volume (scalar or array): ceil(volume / per-GPU capacity), >= min_gpus >= 1,
    rounded up to whole replicas of ``step`` GPUs (a tensor-parallel replica is rented whole)."""
    cap = tokens_per_gpu_month(throughput_tok_s_per_gpu, utilization, input_share)
    floor = max(int(math.ceil(min_gpus)) if min_gpus and np.isfinite(min_gpus) else 1, 1)
    tokens = np.maximum(np.asarray(tokens_per_month, dtype=float), 0.0)
    if math.isinf(cap):
        n = np.zeros_like(tokens)
    else:
        # the relative tolerance keeps a volume of exactly k GPUs' capacity at k GPUs despite rounding
        n = np.ceil(tokens / cap * (1.0 - 1e-12))
    n = np.maximum(n, floor)
    k = max(int(step or 1), 1)
    if k > 1:
        n = np.ceil(n / k) * k
    return int(n) if np.ndim(n) == 0 else n.astype(np.int64)


def self_host_monthly_cost(tokens_per_month, throughput_tok_s_per_gpu: float, gpu_usd_per_hour: float,
                           utilization: float, min_gpus: int = 1, overhead_usd: float = 0.0,
                           input_share: float = 0.0, step: int = 1):
    """USD per month to self-host: whole GPUs (whole replicas of ``step``) rented for the month plus an overhead."""
    n = gpus_needed(tokens_per_month, throughput_tok_s_per_gpu, utilization, min_gpus, input_share, step)
    out = np.asarray(n, dtype=float) * float(gpu_usd_per_hour) * HOURS_PER_MONTH + max(float(overhead_usd), 0.0)
    return float(out) if np.ndim(out) == 0 else out


@dataclasses.dataclass(frozen=True)
class BreakEven:
    tokens: float | None              # first monthly volume where self-hosting costs <= the API; None = never
    gpus: int | None                  # GPUs self-hosting needs at that volume
    stays_cheaper_from: float | None  # self-hosting is cheaper at every volume above this
    reason: str                       # plain-language explanation


def break_even_tokens(api_price_usd_per_mtok: float, throughput_tok_s_per_gpu: float, gpu_usd_per_hour: float,
                      utilization: float, min_gpus: int = 1, overhead_usd: float = 0.0,
                      input_share: float = 0.0, step: int = 1) -> BreakEven:
    """Monthly volume where self-hosting becomes no more expensive than an API at ``api_price_usd_per_mtok``.

    ``step``: GPUs come in whole replicas of ``step``; the search then runs over replicas (a replica's capacity
    and rent are ``step`` GPUs') and reports GPUs.

    The API cost is linear, A(V) = p*V. Self-hosting is a step function, S(V) = n(V)*c + o, with n(V)
    whole GPUs of monthly capacity `cap`. With n GPUs the curves cross at V = (n*c + o)/p, which lies in
    n's interval when n*(p*cap - c) >= o. The first such n fixes the bracket, and brentq solves
    A(V) - S(V) = 0 inside it."""
    k = max(int(step or 1), 1)
    if k > 1:
        units = max(int(math.ceil((min_gpus or 1) / k - 1e-12)), 1)
        b = break_even_tokens(api_price_usd_per_mtok, float(throughput_tok_s_per_gpu) * k, float(gpu_usd_per_hour) * k,
                              utilization, units, overhead_usd, input_share)
        return BreakEven(b.tokens, None if b.gpus is None else b.gpus * k, b.stays_cheaper_from, b.reason)
    p = max(float(api_price_usd_per_mtok), 0.0) / 1e6            # USD per token
    c = max(float(gpu_usd_per_hour), 0.0) * HOURS_PER_MONTH  # USD per GPU-month
    o = max(float(overhead_usd), 0.0)
    n0 = max(int(math.ceil(min_gpus)) if min_gpus and np.isfinite(min_gpus) else 1, 1)
    cap = tokens_per_gpu_month(throughput_tok_s_per_gpu, utilization, input_share)
    if p <= 0:
        return BreakEven(None, None, None, "The API costs nothing, so self-hosting never pays.")

    def api(v):
        return p * v

    def sh(v):
        return self_host_monthly_cost(v, throughput_tok_s_per_gpu, gpu_usd_per_hour, utilization, n0, o,
                                      input_share)

    if math.isinf(cap):   # no output tokens: the self-host cost is flat
        v = (n0 * c + o) / p
        return BreakEven(v, n0, v, "Self-hosting is a fixed cost here; the API overtakes it at this volume.")
    margin = p * cap - c   # API cost of one GPU's monthly capacity minus that GPU's rent
    if margin <= 0:
        return BreakEven(None, None, None,
                         "A fully used GPU costs more per token than the API, so self-hosting never pays.")
    n_star = max(n0, int(math.ceil(o / margin - 1e-12)))
    lower = 0.0 if n_star == n0 else (n_star - 1) * cap
    upper = n_star * cap
    target = n_star * c + o

    def f(v):
        return api(v) - target  # S is constant (n_star GPUs) on (lower, upper]

    if f(upper) < 0:   # rounding at the edge
        upper = target / p
    from scipy.optimize import brentq  # imported here: scipy is slow to import and most runs never need it
    v_star = lower if f(lower) >= 0 else brentq(f, lower, upper, xtol=1e-6, rtol=1e-12)
    v_star = float(v_star)
    # the first whole-GPU count from which every new GPU still leaves self-hosting cheaper
    n_all = max(n0 + 1, int(math.ceil((p * cap + o) / margin - 1e-12)))
    k = n_all - 1
    lower_k = 0.0 if k == n0 else (k - 1) * cap
    stays = max(v_star, lower_k, (k * c + o) / p)
    if sh(v_star) > api(v_star) * (1 + 1e-9):   # guard: never report a point where the curves do not cross
        return BreakEven(None, None, None, "No crossing found.")
    return BreakEven(v_star, int(n_star), float(stays),
                     "Self-hosting costs no more than the API from this monthly volume on.")


def gpu_memory_gb(gpu_type: str) -> float | None:
    """Memory per GPU from the tracker's gpu_type, e.g. 'B200_180GB' -> 180."""
    m = re.search(r"(\d+)\s*GB", str(gpu_type or ""), re.I)
    return float(m.group(1)) if m else None
