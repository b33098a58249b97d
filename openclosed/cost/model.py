"""Cost data and analysis: prices, the capability-price frontier, price history, the self-hosting
calculator (break-even, tornado, Monte Carlo), Settings. Pure functions of the tables."""
from __future__ import annotations

import dataclasses
import math
import re

import numpy as np
import pandas as pd

from openclosed import report
from openclosed import fmt
from openclosed import openness as op
from openclosed import theme
from openclosed.cost import serving


PAGE = "cost"
HOURS_PER_MONTH = 730.0
SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600.0
METRIC = "aa_intelligence_index"
MIN_UTILIZATION = 0.001

PRICE_SOURCES = {
    "aa_reference": "AA reference price",
    "lab_list": "Lab list price",
    "cheapest_host": "Cheapest host",
}
PRICE_SOURCE_NOTES = {   # the snapshot dates are added from the data (Market.price_as_of, score_snapshot)
    "aa_reference": "Artificial Analysis's reference provider price for the same AA entry as the score "
                    "(usually the lab's own API)",
    "lab_list": "the lab's own list price from models.dev",
    "cheapest_host": "the cheapest price in models.dev among providers that count as a host for the model "
                     "(pipeline/curated/hosts.csv: the lab itself and inference hosts that run the weights; closed "
                     "models only at their own lab or a cloud licensed to serve them). Routers, resellers and "
                     "subscription plans never set it. A price below the lab's own list price is flagged "
                     "(`below_lab_list`): a host's discount, or the lab's own regional list",
}
OPEN_RULES = op.OPEN_RULES
GPU_PCTS = {"p25": "usd_per_gpu_hour_p25", "median": "usd_per_gpu_hour_median", "p75": "usd_per_gpu_hour_p75"}
CLOSED_CLASSES = op.CLOSED_CLASSES
CLAIM_LOW, CLAIM_HIGH = 70.0, 90.0   # the popular claim: open inference is 70-90% cheaper

# MLPerf model -> the catalog model priced at hosted providers for the "open via a host" option.
# "same": that very model; "comparable": same size and architecture class, because the measured model
# itself is no longer priced anywhere in data/.
SELF_HOST_MODELS: dict[str, tuple[str, str]] = {
    "deepseek-r1": ("deepseek-r1", "same"),
    "llama3.1-405b": ("llama-3-1-405b", "same"),
    "llama2-70b-99": ("llama-3-3-70b", "comparable"),
    "mixtral-8x7b": ("mixtral-8x7b", "same"),
    "llama3.1-8b": ("llama-3-1-8b", "same"),
    "gpt-oss-120b": ("gpt-oss-120b", "same"),
}
HOSTED_PRICE_ORDER = ("cheapest_host", "host", "aa_reference", "lab_list")
CLOSED_PRICE_ORDER = ("lab_list", "aa_reference", "cheapest_host")
BYTES_PER_PARAM = {"fp4": 0.5, "mxfp4": 0.5, "nvfp4": 0.5, "uint4": 0.5, "int4": 0.5, "fp8": 1.0, "int8": 1.0, "fp16": 2.0, "bf16": 2.0}

# Token volumes for the calculator's log slider: 0, then a 1-2-5 ladder from 1M to 100B tokens/month.
TOKEN_STEPS: tuple[float, ...] = (0.0,) + tuple(m * 10.0 ** e for e in range(6, 11) for m in (1, 2, 5)) + (1e11,)
RATIO_STEPS: tuple[float, ...] = (0.0, 0.25, 0.5, 1.0, 2.0, 3.0, 4.0, 5.0, 8.0, 10.0, 20.0)

MC_DRAWS = 4000
MC_SEED = 20261124


# ---------------------------------------------------------------------------------------------------
# Formatting helpers (pure; used for headlines and by the page)
# ---------------------------------------------------------------------------------------------------


# ---------------------------------------------------------------------------------------------------
# The cost model
# ---------------------------------------------------------------------------------------------------

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


def _valid_price(p) -> bool:
    return p is not None and not (isinstance(p, float) and math.isnan(p)) and np.isfinite(float(p)) and float(p) >= 0


def api_usd_per_mtok(input_share: float, price_in: float, price_out: float, cache_hit_share: float = 0.0,
                     cache_read_price: float | None = None) -> float:
    """Effective USD per million tokens of traffic through an API.

    Input tokens that hit the prompt cache are billed at ``cache_read_price`` when the data has one;
    without a cache price the discount does not apply."""
    s = min(max(float(input_share), 0.0), 1.0)
    h = min(max(float(cache_hit_share), 0.0), 1.0) if _valid_price(cache_read_price) else 0.0
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

    def within(self, max_tokens: float) -> bool:
        return self.tokens is not None and self.tokens <= max_tokens


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


def gpus_to_hold_weights(params_b: float, precision: str, gpu_memory_gb: float | None) -> int:
    """GPUs whose memory holds the model weights alone (no KV cache): ceil(params * bytes / memory)."""
    if not gpu_memory_gb or not np.isfinite(gpu_memory_gb) or gpu_memory_gb <= 0 or not params_b:
        return 1
    b = BYTES_PER_PARAM.get(str(precision).strip().lower(), 2.0)
    return max(1, int(math.ceil(float(params_b) * b / float(gpu_memory_gb))))


def gpu_memory_gb(gpu_type: str) -> float | None:
    """Memory per GPU from the tracker's gpu_type, e.g. 'B200_180GB' -> 180."""
    m = re.search(r"(\d+)\s*GB", str(gpu_type or ""), re.I)
    return float(m.group(1)) if m else None


# ---------------------------------------------------------------------------------------------------
# Price against capability
# ---------------------------------------------------------------------------------------------------

def _group(open_weights: bool) -> str:
    return theme.openness_label(bool(open_weights))


def classify(models: pd.DataFrame, open_rule: str = "any") -> pd.DataFrame:
    """model_id, name, openness, open (bool) and group label, for models that are clearly open or closed.

    Open follows ``openness.is_open`` under the rule; closed is API or hosted access. Models whose
    openness is unknown (and open models excluded by the 'unrestricted' rule) are left out."""
    m = models[["model_id", "name", "organization", "openness"]].copy()
    m["open"] = m["openness"].map(lambda o: op.is_open(o, open_rule))
    keep = m["open"] | m["openness"].isin(CLOSED_CLASSES)
    m = m[keep].copy()
    m["group"] = m["open"].map(_group)
    return m.reset_index(drop=True)


def best_scores(scores: pd.DataFrame, metric: str = METRIC) -> pd.DataFrame:
    """Best variant per model: model_id, score, aa_id (the AA entry), variant, score_date."""
    s = scores[scores["metric"] == metric]
    s = s.sort_values(["model_id", "value", "source_id"], ascending=[True, False, True], kind="mergesort")
    b = s.groupby("model_id", sort=False).head(1)
    return b.rename(columns={"value": "score", "source_id": "aa_id", "date": "score_date"})[
        ["model_id", "score", "aa_id", "variant", "score_date"]].reset_index(drop=True)


def nearest_snapshots(price_dates, score_snapshots) -> tuple[str, str] | None:
    """The (price as_of, score snapshot) pair closest in time; ties go to the earlier score snapshot, then the
    later price. None when either side has no date."""
    pd_ = sorted({str(x) for x in price_dates if str(x)})
    sd = sorted({str(x) for x in score_snapshots if str(x)})
    if not pd_ or not sd:
        return None
    return min(((p, q) for p in pd_ for q in sd),
               key=lambda pq: (abs((pd.Timestamp(pq[0]) - pd.Timestamp(pq[1])).days), pq[1], -pd.Timestamp(pq[0]).value))


def price_capability(models: pd.DataFrame, scores: pd.DataFrame, prices: pd.DataFrame,
                     price_source: str = "aa_reference", ratio: float = 3.0, open_rule: str = "any") -> pd.DataFrame:
    """One row per model with an AA Intelligence Index and a price from ``price_source``.

    - aa_reference: the AA entry (variant) is scored and priced together; of a model's priced entries the
      best-scoring one is kept, so score and price always belong to the same entry.
    - lab_list / cheapest_host: the model's best AA score, and of its price rows the one with the lowest
      blended price (models.dev lists some models under several ids).

    For the models.dev kinds, prices and scores come from the snapshot pair nearest in time (nearest_snapshots).

    Columns: model_id, name, organization, openness, open, group, score, aa_id, variant, price_in,
    price_out, cache_read, blended, provider, price_id, as_of, price_source, score_snapshot, host_role,
    below_lab_list (bool: the blended price is below the same model's lab list price)."""
    if price_source not in PRICE_SOURCES:
        price_source = "aa_reference"
    cls = classify(models, open_rule)
    s = scores[(scores["metric"] == METRIC) & scores["model_id"].isin(cls["model_id"])]
    p = prices[prices["price_kind"] == price_source].copy()
    if price_source != "aa_reference" and "snapshot" in s:
        pair = nearest_snapshots(p["as_of"], s["snapshot"])
        if pair is not None:
            p, s = p[p["as_of"].astype(str) == pair[0]], s[s["snapshot"].astype(str) == pair[1]]
    for col in ("host_role", "below_lab_list"):
        if col not in p:
            p[col] = ""
    p["blended"] = blended_price(p["input_usd_per_mtok"].to_numpy(), p["output_usd_per_mtok"].to_numpy(), ratio)
    cols = {"input_usd_per_mtok": "price_in", "output_usd_per_mtok": "price_out",
            "cache_read_usd_per_mtok": "cache_read", "source_id": "price_id"}
    if price_source == "aa_reference":
        j = s.merge(p.rename(columns=cols)[["price_id", "price_in", "price_out", "cache_read", "blended", "provider",
                                             "as_of", "host_role", "below_lab_list"]], left_on="source_id",
                    right_on="price_id", how="inner")
        j = j.sort_values(["model_id", "value", "blended", "source_id"], ascending=[True, False, True, True],
                          kind="mergesort").groupby("model_id", sort=False).head(1)
        j = j.rename(columns={"value": "score", "source_id": "aa_id"})
    else:
        b = best_scores(s)
        if "snapshot" in s:
            b = b.merge(s.drop_duplicates("model_id")[["model_id", "snapshot"]], on="model_id", how="left")
        pp = p.rename(columns=cols).sort_values(["model_id", "blended", "provider", "price_id"], kind="mergesort")
        pp = pp.groupby("model_id", sort=False).head(1)
        j = b.merge(pp[["model_id", "price_id", "price_in", "price_out", "cache_read", "blended", "provider",
                        "as_of", "host_role", "below_lab_list"]], on="model_id", how="inner")
    j = j.merge(cls, on="model_id", how="inner")
    j = j[np.isfinite(j["blended"]) & (j["blended"] > 0)]
    j["price_source"] = price_source
    j["score_snapshot"] = j["snapshot"].fillna("").astype(str) if "snapshot" in j else ""
    j["below_lab_list"] = j["below_lab_list"].astype(str).str.lower().isin(["yes", "true"])
    j["host_role"] = j["host_role"].fillna("").astype(str)
    out = j[["model_id", "name", "organization", "openness", "open", "group", "score", "aa_id", "variant",
             "price_in", "price_out", "cache_read", "blended", "provider", "price_id", "as_of", "price_source",
             "score_snapshot", "host_role", "below_lab_list"]]
    out = out.sort_values(["score", "blended", "model_id"], ascending=[False, True, True], kind="mergesort")
    return out.reset_index(drop=True)


def cheapest_meeting(models_prices_scores: pd.DataFrame, threshold: float, openness: str) -> dict | None:
    """The cheapest model scoring >= threshold among 'open' or 'closed' rows; None when none qualifies.

    Needs columns ``open`` (bool), ``score`` and ``blended``. Ties on price go to the higher score, then
    the model id."""
    df = models_prices_scores
    if df is None or len(df) == 0:
        return None
    want_open = str(openness).lower() in ("open", "true", "open weights")
    sel = df[(df["open"] == want_open) & (df["score"] >= float(threshold)) & np.isfinite(df["blended"])]
    if sel.empty:
        return None
    sort_cols = ["blended", "score"] + (["model_id"] if "model_id" in sel else [])
    asc = [True, False] + ([True] if "model_id" in sel else [])
    return sel.sort_values(sort_cols, ascending=asc, kind="mergesort").iloc[0].to_dict()


def pareto_frontier(df: pd.DataFrame) -> pd.DataFrame:
    """Per group, the models no other model beats on both price and score: the cheapest at each capability.

    Sorted by price; each frontier model scores higher than every cheaper model in its group."""
    parts = []
    for grp, g in df.groupby("group", sort=True):
        g = g.sort_values(["blended", "score"], ascending=[True, False], kind="mergesort")
        best = g["score"].cummax().shift(1, fill_value=-np.inf)
        parts.append(g[g["score"] > best])
    if not parts:
        return df.iloc[0:0]
    return pd.concat(parts).reset_index(drop=True)


def _cheapest_by_threshold(df: pd.DataFrame, thresholds: np.ndarray) -> np.ndarray:
    """Row position (in ``df``) of the cheapest model with score >= each threshold; -1 when none.

    Same choice as ``cheapest_meeting`` (lowest blended, then higher score, then model id), vectorized:
    walk models from the highest score down keeping the running cheapest."""
    if df.empty:
        return np.full(len(thresholds), -1)
    d = df.reset_index(drop=True)
    order = np.lexsort((d["model_id"].to_numpy(), d["blended"].to_numpy(), -d["score"].to_numpy()))
    score = d["score"].to_numpy()[order]
    price = d["blended"].to_numpy()[order]
    prev_min = np.concatenate([[np.inf], np.minimum.accumulate(price)[:-1]])
    pos = np.arange(len(price))
    best_pos = np.maximum.accumulate(np.where(price < prev_min, pos, 0))
    k = np.searchsorted(-score, -np.asarray(thresholds, dtype=float), side="right")  # models with score >= t
    out = np.where(k > 0, order[best_pos[np.maximum(k - 1, 0)]], -1)
    return out


def saving_curve(pc: pd.DataFrame, thresholds=None) -> pd.DataFrame:
    """Cheapest open and closed model at each threshold, their prices, ratio and saving (%).

    Rows only where both an open and a closed model meet the threshold. Saving = 1 - open/closed."""
    cols = ["threshold", "open_model", "open_price", "open_score", "closed_model", "closed_price", "closed_score",
            "ratio", "saving_pct"]
    if pc is None or pc.empty:
        return pd.DataFrame(columns=cols)
    if thresholds is None:
        thresholds = np.arange(0.0, math.floor(float(pc["score"].max())) + 1.0, 0.5)
    th = np.asarray(thresholds, dtype=float)
    o = pc[pc["open"]].reset_index(drop=True)
    c = pc[~pc["open"]].reset_index(drop=True)
    io, ic = _cheapest_by_threshold(o, th), _cheapest_by_threshold(c, th)
    ok = (io >= 0) & (ic >= 0)
    if not ok.any():
        return pd.DataFrame(columns=cols)
    ro, rc = o.iloc[io[ok]], c.iloc[ic[ok]]
    op, cp = ro["blended"].to_numpy(), rc["blended"].to_numpy()
    return pd.DataFrame({"threshold": th[ok], "open_model": ro["name"].to_numpy(), "open_price": op,
                         "open_score": ro["score"].to_numpy(), "closed_model": rc["name"].to_numpy(),
                         "closed_price": cp, "closed_score": rc["score"].to_numpy(), "ratio": cp / op,
                         "saving_pct": 100.0 * (1.0 - op / cp)}, columns=cols)


def claim_summary(curve: pd.DataFrame) -> dict:
    """Where the 70-90% claim holds along a saving curve: counts and threshold ranges."""
    n = len(curve)
    if n == 0:
        return {"n": 0, "in_band": 0, "at_least_low": 0, "open_cheaper": 0, "band_ranges": []}
    s = curve["saving_pct"].to_numpy()
    in_band = (s >= CLAIM_LOW) & (s <= CLAIM_HIGH)
    ranges = []
    start = None
    th = curve["threshold"].to_numpy()
    for i, ok in enumerate(in_band):
        if ok and start is None:
            start = th[i]
        if (not ok or i == n - 1) and start is not None:
            end = th[i] if ok else th[i - 1]
            ranges.append((float(start), float(end)))
            start = None
    return {"n": n, "in_band": int(in_band.sum()), "at_least_low": int((s >= CLAIM_LOW).sum()),
            "open_cheaper": int((s > 0).sum()), "band_ranges": ranges}


# ---------------------------------------------------------------------------------------------------
# Price over time (OpenRouter step function)
# ---------------------------------------------------------------------------------------------------

def _openrouter_map(models: pd.DataFrame, open_rule: str) -> pd.DataFrame:
    cls = classify(models, open_rule)
    m = models[["model_id", "id_openrouter"]].dropna(subset=["id_openrouter"])
    m = m[m["id_openrouter"].astype(str) != ""]
    m = m.assign(source_id=m["id_openrouter"].astype(str).str.split(";")).explode("source_id")
    return m.merge(cls[["model_id", "name", "open", "group"]], on="model_id")[
        ["source_id", "model_id", "name", "open", "group"]]


def price_intervals(models: pd.DataFrame, price_history: pd.DataFrame, ratio: float = 3.0,
                    open_rule: str = "any") -> pd.DataFrame:
    """OpenRouter prices as intervals [start, end) per listing, blended, with the catalog model and group.

    A price holds from its change point to the next one, or to the day after the listing was last seen.
    Zero prices (free promotions) are dropped: they are not a market price."""
    idmap = _openrouter_map(models, open_rule)
    h = price_history.merge(idmap, on="source_id", how="inner").copy()
    if h.empty:
        return pd.DataFrame(columns=["source_id", "model_id", "name", "open", "group", "start", "end", "blended"])
    h["start"] = pd.to_datetime(h["date"])
    h = h.sort_values(["source_id", "start"], kind="mergesort")
    nxt = h.groupby("source_id")["start"].shift(-1)
    h["end"] = nxt.fillna(pd.to_datetime(h["last_seen"]) + pd.Timedelta(days=1))
    h["blended"] = blended_price(h["input_usd_per_mtok"].to_numpy(), h["output_usd_per_mtok"].to_numpy(), ratio)
    h = h[(h["blended"] > 0) & (h["end"] > h["start"])]
    return h[["source_id", "model_id", "name", "open", "group", "start", "end", "blended",
              "input_usd_per_mtok", "output_usd_per_mtok"]].reset_index(drop=True)


def price_over_time(models: pd.DataFrame, scores: pd.DataFrame, price_history: pd.DataFrame, level: float,
                    ratio: float = 3.0, open_rule: str = "any") -> pd.DataFrame:
    """Cheapest blended OpenRouter price, day by day, to reach AA Intelligence Index >= ``level``.

    A listing counts from the release date of the first AA entry of its model that reaches the level, so a
    listing never borrows a score from a later version. Returns the change points of each group's step
    line: date, group, price, model (the cheapest listing's model)."""
    iv = price_intervals(models, price_history, ratio, open_rule)
    cols = ["date", "group", "price", "model"]
    if iv.empty:
        return pd.DataFrame(columns=cols)
    s = scores[(scores["metric"] == METRIC) & (scores["value"] >= float(level))]
    reach = pd.to_datetime(s.groupby("model_id")["date"].min())
    iv = iv[iv["model_id"].isin(reach.index)].copy()
    if iv.empty:
        return pd.DataFrame(columns=cols)
    iv["start"] = np.maximum(iv["start"].to_numpy(), iv["model_id"].map(reach).to_numpy())
    iv = iv[iv["start"] < iv["end"]]
    if iv.empty:
        return pd.DataFrame(columns=cols)
    day0 = pd.to_datetime(price_history["date"]).min()
    day1 = pd.to_datetime(price_history["last_seen"]).max()
    days = pd.date_range(day0, day1, freq="D").to_numpy()
    out = []
    for grp, g in iv.groupby("group", sort=True):
        st = g["start"].to_numpy()[:, None]
        en = g["end"].to_numpy()[:, None]
        active = (st <= days[None, :]) & (days[None, :] < en)
        prices = np.where(active, g["blended"].to_numpy()[:, None], np.inf)
        idx = prices.argmin(axis=0)
        best = prices[idx, np.arange(len(days))]
        names = g["name"].to_numpy()[idx]
        ok = np.isfinite(best)
        if not ok.any():
            continue
        d = pd.DataFrame({"date": days[ok], "price": best[ok], "model": names[ok]})
        # keep change points only (a step line needs nothing else), plus the last day
        chg = (d["price"].ne(d["price"].shift())) | (d["model"].ne(d["model"].shift()))
        chg.iloc[-1] = True
        d = d[chg]
        d["group"] = grp
        out.append(d)
    if not out:
        return pd.DataFrame(columns=cols)
    return pd.concat(out)[cols].reset_index(drop=True)


def notable_cuts(series: pd.DataFrame, min_drop: float = 0.5, top: int = 3) -> pd.DataFrame:
    """The largest cuts in each group's cheapest price: a step to a new low that is at most
    (1 - min_drop) x the price before it. Recoveries after a spike (such as a capacity crunch) are not
    cuts, because they do not set a new low. Top ``top`` per group by size."""
    rows = []
    for grp, g in series.groupby("group", sort=True):
        g = g.sort_values("date")
        prev = g["price"].shift()
        low_before = g["price"].cummin().shift()
        drop = 1.0 - g["price"] / prev
        cand = g.assign(drop=drop, prev=prev)
        cand = cand[(cand["drop"] >= min_drop) & (g["price"] < low_before)]
        cand = cand.sort_values("drop", ascending=False).head(top)
        rows.append(cand)
    if not rows:
        return pd.DataFrame(columns=["date", "group", "price", "model", "drop", "prev"])
    return pd.concat(rows).sort_values("date").reset_index(drop=True)


# ---------------------------------------------------------------------------------------------------
# Self-hosting inputs and the calculator
# ---------------------------------------------------------------------------------------------------

def self_host_table(throughput: pd.DataFrame, gpu_prices: pd.DataFrame) -> pd.DataFrame:
    """Best MLPerf tokens/s per GPU for each (model, rented GPU, scenario) we have prices for.

    Columns: model, model_name, params_b, active_params_b, gpu, scenario, tokens_per_s_per_gpu, n_gpus,
    submitter, id, precision, gpu_type, memory_gb, hosted_model_id, relation."""
    t = throughput[throughput["model"].isin(SELF_HOST_MODELS) & (throughput["category"] == "closed")]
    t = t[t["gpu"].astype(str) != ""]
    t = t.merge(gpu_prices[["gpu", "gpu_type"]], on="gpu", how="inner")
    t = t.sort_values(["model", "gpu", "scenario", "tokens_per_s_per_gpu"], ascending=[True, True, True, False],
                      kind="mergesort").groupby(["model", "gpu", "scenario"], sort=False).head(1)
    t = t.copy()
    t["memory_gb"] = t["gpu_type"].map(gpu_memory_gb)
    t["hosted_model_id"] = t["model"].map(lambda k: SELF_HOST_MODELS[k][0])
    t["relation"] = t["model"].map(lambda k: SELF_HOST_MODELS[k][1])
    if "active_params_b" not in t:
        t["active_params_b"] = t["params_b"]
    if "precision" not in t:
        t["precision"] = ""
    if "version" not in t:
        t["version"] = ""
    return t[["model", "model_name", "params_b", "active_params_b", "gpu", "scenario", "tokens_per_s_per_gpu",
              "n_gpus", "submitter", "id", "precision", "gpu_type", "memory_gb", "hosted_model_id",
              "relation", "version"]].reset_index(drop=True)


def self_host_label(row) -> str:
    """'DeepSeek-R1 (671B MoE, 37B active)'."""
    p, a = float(row["params_b"]), float(row.get("active_params_b", row["params_b"]) or row["params_b"])
    name = re.sub(r"\s*\(99% accuracy target\)", "", str(row["model_name"]))
    if a and a < p:
        return f"{name} ({p:g}B MoE, {a:g}B active)"
    return f"{name} ({p:g}B dense)"


GPU_ESTIMATE_NOTE = " (estimate: no MLPerf result)"


def gpu_label(gpu: str, measured: bool) -> str:
    """The GPU picker's label (written to the URL): the GPU, marked when MLPerf did not measure it for the model."""
    return gpu if measured else gpu + GPU_ESTIMATE_NOTE


def gpu_from_label(label: str) -> str:
    """The GPU a picker label names (`gpu_label` undone), so a link reads the same on the page and in the deck."""
    return label.removesuffix(GPU_ESTIMATE_NOTE)


def _best_price_rows(prices: pd.DataFrame, model_ids, order, ratio: float) -> pd.DataFrame:
    """Per model, the lowest-blended price row of the first price kind in ``order`` that has one."""
    p = prices[prices["model_id"].isin(set(model_ids)) & prices["price_kind"].isin(order)].copy()
    p["rank"] = p["price_kind"].map({k: i for i, k in enumerate(order)})
    p["blended"] = blended_price(p["input_usd_per_mtok"].to_numpy(), p["output_usd_per_mtok"].to_numpy(), ratio)
    p = p.sort_values(["model_id", "rank", "blended", "provider", "source_id"], kind="mergesort")
    p = p.groupby("model_id", sort=False).head(1)
    cache = p["cache_read_usd_per_mtok"].astype(float)
    return pd.DataFrame({"model_id": p["model_id"].to_numpy(), "price_in": p["input_usd_per_mtok"].astype(float).to_numpy(),
                         "price_out": p["output_usd_per_mtok"].astype(float).to_numpy(),
                         "cache_read": cache.where(np.isfinite(cache) & (cache >= 0)).to_numpy(),
                         "kind": p["price_kind"].to_numpy(), "provider": p["provider"].astype(str).to_numpy(),
                         "price_id": p["source_id"].astype(str).to_numpy(), "as_of": p["as_of"].astype(str).to_numpy(),
                         "blended": p["blended"].to_numpy()})


def _price_row(prices: pd.DataFrame, model_id: str, order, ratio: float) -> dict | None:
    """The lowest-blended price row of a model from the first price kind in ``order`` that has one."""
    b = _best_price_rows(prices, [model_id], order, ratio)
    if b.empty:
        return None
    r = b.iloc[0].to_dict()
    r["cache_read"] = float(r["cache_read"]) if _valid_price(r["cache_read"]) else None
    return r


def closed_catalog(models: pd.DataFrame, scores: pd.DataFrame, prices: pd.DataFrame,
                   ratio: float = 3.0) -> pd.DataFrame:
    """Closed models with an AA score and an API price (lab list, else AA reference, else cheapest host).

    Columns: model_id, name, score, price_in, price_out, cache_read, blended, kind, provider, price_id, as_of,
    label (unique display name)."""
    cls = classify(models, "any")
    closed = cls[~cls["open"]]
    b = best_scores(scores[scores["model_id"].isin(closed["model_id"])])
    pr = _best_price_rows(prices, b["model_id"], CLOSED_PRICE_ORDER, ratio)
    df = b[["model_id", "score"]].merge(pr, on="model_id").merge(closed[["model_id", "name"]], on="model_id")
    df["label"] = df["name"]
    dup = df["label"].duplicated(keep=False)
    df.loc[dup, "label"] = df.loc[dup, "name"] + " (" + df.loc[dup, "model_id"] + ")"
    cols = ["model_id", "name", "score", "price_in", "price_out", "cache_read", "blended", "kind", "provider",
            "price_id", "as_of", "label"]
    return df.sort_values("label", key=lambda s: s.str.lower()).reset_index(drop=True)[cols]


@dataclasses.dataclass(frozen=True)
class CalcInputs:
    """Everything the self-host-or-API calculator needs. Defaults equal the page's defaults."""
    tokens_per_month: float = 1e9
    ratio: float = 3.0                 # input:output tokens, ratio:1
    cache_hit_share: float = 0.0       # share of input tokens served from the API's prompt cache
    model: str = "deepseek-r1"         # MLPerf model key (see SELF_HOST_MODELS)
    gpu: str = "B200"
    scenario: str = "Server"
    gpu_pct: str = "median"            # p25 | median | p75 of the month's marketplace prices
    derate: float = 0.5                # realism factor on MLPerf throughput (1 = MLPerf's best case)
    utilization: float = 0.5           # average load / capacity
    min_gpus: int = 2
    overhead_usd: float = 0.0          # monthly engineering and operations cost of self-hosting
    closed_model: str = "auto"         # catalog model_id, or 'auto': cheapest closed model at least as capable
    max_tokens: float = 1e11


def derived_row(sh: pd.DataFrame, model: str, gpu: str, scenario: str, gpu_specs: pd.DataFrame | None,
                gpu_prices: pd.DataFrame | None) -> pd.Series | None:
    """A throughput row for a rented GPU MLPerf did not measure with this model, derived by a stated rule: the
    model's result on the measured GPU nearest in memory bandwidth, times the bandwidth ratio (decode reads the
    weights and KV cache from memory; capped at 1, never scaled up). Weights fall back to fp8 on a GPU without fp4.
    None when the GPU has no datasheet or price, or the model no measured GPU with one."""
    if gpu_specs is None or gpu_prices is None or gpu not in set(gpu_specs["gpu"]) or \
            gpu not in set(gpu_prices["gpu"]):
        return None
    m = sh[(sh["model"] == model) & sh["gpu"].isin(set(gpu_specs["gpu"]))]
    if m.empty:
        return None
    bw = gpu_specs.set_index("gpu")["bandwidth_tb_s"]
    target = float(bw[gpu])
    src = min(sorted(m["gpu"].unique()), key=lambda g: abs(math.log(float(bw[g]) / target)))
    rows = m[m["gpu"] == src]
    pick = rows[rows["scenario"] == scenario]
    r = (pick if len(pick) else rows[rows["scenario"] == "Server"] if (rows["scenario"] == "Server").any()
         else rows).iloc[0].copy()
    factor = min(1.0, target / float(bw[src]))
    spec = gpu_specs.set_index("gpu").loc[gpu]
    if str(r["precision"]).lower() in ("fp4", "mxfp4", "nvfp4") and not np.isfinite(float(spec.get("fp4_tflops"))):
        r["precision"] = "fp8"
    r["tokens_per_s_per_gpu"] = float(r["tokens_per_s_per_gpu"]) * factor
    r["derive_note"] = (f"MLPerf has no {r['model_name']} result on {gpu}: its result on {src} × {factor:.2f} (memory "
                        f"bandwidth {fmt.num(target, 2)} / {fmt.num(float(bw[src]), 2)} TB/s, never scaled up)")
    r["gpu"] = gpu
    r["gpu_type"] = str(gpu_prices.set_index("gpu")["gpu_type"].get(gpu, "")) if "gpu_type" in gpu_prices else ""
    r["memory_gb"] = float(spec["memory_gb"])
    return r


def resolve_self_host(sh: pd.DataFrame, model: str, gpu: str, scenario: str, gpu_specs: pd.DataFrame | None = None,
                      gpu_prices: pd.DataFrame | None = None) -> pd.Series | None:
    """The throughput row for a choice: measured; else derived for a rented GPU with a datasheet (derived_row, an
    estimate); else the model's first measured GPU and scenario."""
    if sh.empty:
        return None
    m = sh[sh["model"] == model]
    if m.empty:
        m = sh[sh["model"] == CalcInputs.model] if (sh["model"] == CalcInputs.model).any() else sh
    g = m[m["gpu"] == gpu]
    if g.empty and (d := derived_row(sh, str(m["model"].iloc[0]), gpu, scenario, gpu_specs, gpu_prices)) is not None:
        return d
    if g.empty:
        g = m.sort_values(["gpu"]).head(len(m))
        g = g[g["gpu"] == g["gpu"].iloc[0]]
    s = g[g["scenario"] == scenario]
    if s.empty:
        s = g[g["scenario"] == "Server"] if (g["scenario"] == "Server").any() else g
    return s.iloc[0]


def gpu_spec(gpu_specs: pd.DataFrame | None, gpu: str) -> pd.Series | None:
    """The datasheet row of a GPU (data/gpu_specs.csv), None when the table or the GPU is missing."""
    if gpu_specs is None or len(gpu_specs) == 0 or gpu not in set(gpu_specs["gpu"]):
        return None
    return gpu_specs.set_index("gpu").loc[gpu]


def serving_plan(row, gpu_specs: pd.DataFrame | None, ratio: float, derate: float, **kw) -> serving.Plan:
    """serving.plan for a self_host_table row: the GPU's memory from its datasheet (else the rental listing's
    size), MLPerf's throughput at the system size it was measured on."""
    spec = gpu_spec(gpu_specs, str(row["gpu"]))
    mem = float(spec["memory_gb"]) if spec is not None else float(row["memory_gb"] or float("nan"))
    active = row.get("active_params_b", row["params_b"])
    active = float(active) if active is not None and np.isfinite(float(active)) else float(row["params_b"])
    n_gpus = row.get("n_gpus", 1)
    note = row.get("derive_note")
    if isinstance(note, str) and note and "size_note" not in kw:
        kw["size_note"] = note
    return serving.plan(model=str(row["model"]), params_b=float(row["params_b"]), active_params_b=active,
                        precision=str(row["precision"]), memory_gb=mem, spec=spec, gpu=str(row["gpu"]),
                        mlperf_tps=float(row["tokens_per_s_per_gpu"]),
                        measured_gpus=int(n_gpus) if n_gpus is not None and np.isfinite(float(n_gpus)) else 1,
                        ratio=ratio, derate=derate, **kw)


def serving_plans(row, gpu_specs: pd.DataFrame | None, ratio: float, derate: float) -> list[serving.Plan]:
    """The replica sizes worth costing: the smallest that fits, then each supported size up to the MLPerf system's
    (a bigger replica has more KV memory per GPU, so larger batches and more tokens per GPU)."""
    return _plans_for(row, gpu_specs, ratio, derate)


def _first_break_even(rate: float, setups, gpu_usd: float, util: float, overhead: float, share: float) -> BreakEven:
    """The lowest break-even volume over the replica sizes (each costed in whole replicas)."""
    found = [break_even_tokens(rate, p.effective_tps, gpu_usd, util, m, overhead, share, p.replica)
             for p, m in setups]
    ok = [b for b in found if b.tokens is not None]
    return min(ok, key=lambda b: b.tokens) if ok else found[0]


def busy_share(tokens: float, gpus: int, output_tps_per_gpu: float, input_share: float) -> float:
    """Share of the rented GPUs' full capacity (the throughput used, every second of the month) the traffic uses:
    the utilization target's headroom counts as idle."""
    cap = tokens_per_gpu_month(output_tps_per_gpu, 1.0, input_share) * max(int(gpus), 0)
    if not math.isfinite(cap):
        return 0.0
    return min(max(float(tokens), 0.0) / cap, 1.0) if cap > 0 else 0.0


def compare_options(tables: dict[str, pd.DataFrame], ci: CalcInputs, sh: pd.DataFrame | None = None,
                    closed: pd.DataFrame | None = None) -> dict:
    """Monthly cost of a closed API, the open model at a hosted provider, and self-hosting, at one volume.

    Returns a dict: inputs (resolved), options (DataFrame: option, model, monthly_usd, usd_per_mtok, detail),
    break_even_closed / break_even_hosted (BreakEven), the API rates, GPU figures, and notes."""
    models, scores, prices = tables["models"], tables["scores"], tables["prices"]
    if sh is None:
        sh = self_host_table(tables["throughput"], tables["gpu_prices"])
    row = resolve_self_host(sh, ci.model, ci.gpu, ci.scenario, tables.get("gpu_specs"), tables["gpu_prices"])
    if row is None:
        raise ValueError("no self-hosting throughput with a GPU price in data/")
    gp = tables["gpu_prices"].set_index("gpu").loc[row["gpu"]]
    pct_col = GPU_PCTS.get(ci.gpu_pct, GPU_PCTS["median"])
    gpu_usd = float(gp[pct_col])
    share = input_share_from_ratio(ci.ratio)
    tokens = max(float(ci.tokens_per_month), 0.0)
    derate = min(max(float(ci.derate), 0.01), 1.0)
    util = min(max(float(ci.utilization), 0.01), 1.0)
    # every replica size from the smallest that fits up to MLPerf's measured system: the cheapest at the volume
    plans = serving_plans(row, tables.get("gpu_specs"), ci.ratio, derate)
    setups = [(p, serving.whole_gpus(ci.min_gpus, p.replica, p.replica)) for p in plans if p.effective_tps > 0]
    if not setups:
        raise ValueError(f"{row['model_name']} does not fit on any supported number of {row['gpu']}")
    plan, min_eff = min(setups, key=lambda pm: (
        self_host_monthly_cost(tokens, pm[0].effective_tps, gpu_usd, util, pm[1], 0.0, share, pm[0].replica),
        -pm[0].effective_tps))
    tput = plan.effective_tps          # output tokens/s per GPU, prefill of their input included
    fit = plan.replica

    # the open model through a hosted provider
    hosted_id = str(row["hosted_model_id"])
    hosted = _price_row(prices, hosted_id, HOSTED_PRICE_ORDER, ci.ratio)
    hosted_name = models.set_index("model_id")["name"].get(hosted_id, hosted_id)
    best = best_scores(scores[scores["model_id"] == hosted_id])
    open_score = float(best["score"].iloc[0]) if len(best) else float("nan")

    # the closed API
    if closed is None:
        closed = closed_catalog(models, scores, prices, ci.ratio)
    auto = ci.closed_model == "auto" or ci.closed_model not in set(closed["model_id"])
    if auto:
        cand = closed[closed["score"] >= (open_score if np.isfinite(open_score) else 0.0)]
        if cand.empty:
            cand = closed.sort_values("score", ascending=False).head(1)
        crow = cand.sort_values(["blended", "score"], ascending=[True, False]).iloc[0] if len(cand) else None
    else:
        crow = closed[closed["model_id"] == ci.closed_model].iloc[0]

    opts = []
    be_closed = be_hosted = None
    rate_closed = rate_hosted = None
    if crow is not None:
        rate_closed = api_usd_per_mtok(share, crow["price_in"], crow["price_out"], ci.cache_hit_share,
                                       crow["cache_read"])
        opts.append({"option": "Closed API", "model": crow["name"], "monthly_usd": tokens / 1e6 * rate_closed,
                     "usd_per_mtok": rate_closed,
                     "detail": f"{PRICE_LABEL.get(crow['kind'], crow['kind'])} via {crow['provider']}: "
                               f"{fmt.usd(crow['price_in'])} in / {fmt.usd(crow['price_out'])} out per M tokens"
                               + (f", cached input {fmt.usd(crow['cache_read'])}" if _valid_price(crow["cache_read"])
                                  else "")})
        be_closed = _first_break_even(rate_closed, setups, gpu_usd, util, ci.overhead_usd, share)
    if hosted is not None:
        rate_hosted = api_usd_per_mtok(share, hosted["price_in"], hosted["price_out"], ci.cache_hit_share,
                                       hosted["cache_read"])
        opts.append({"option": "Open model, hosted", "model": hosted_name, "monthly_usd": tokens / 1e6 * rate_hosted,
                     "usd_per_mtok": rate_hosted,
                     "detail": f"{PRICE_LABEL.get(hosted['kind'], hosted['kind'])} via {hosted['provider']}: "
                               f"{fmt.usd(hosted['price_in'])} in / {fmt.usd(hosted['price_out'])} out per M tokens"
                               + (f", cached input {fmt.usd(hosted['cache_read'])}"
                                  if hosted["cache_read"] is not None else "")})
        be_hosted = _first_break_even(rate_hosted, setups, gpu_usd, util, ci.overhead_usd, share)
    n = gpus_needed(tokens, tput, util, min_eff, share, fit)
    sh_cost = self_host_monthly_cost(tokens, tput, gpu_usd, util, min_eff, ci.overhead_usd, share, fit)
    busy = busy_share(tokens, n, tput, share)
    gpu_month = n * gpu_usd * HOURS_PER_MONTH
    opts.append({"option": "Self-host", "model": self_host_label(row), "monthly_usd": sh_cost,
                 "usd_per_mtok": (sh_cost / tokens * 1e6) if tokens > 0 else float("nan"),
                 "detail": f"{n} x {row['gpu']} ({n // fit} replica(s) of {fit}) at {fmt.usd(gpu_usd)}/GPU-hour "
                           f"({ci.gpu_pct}); {tput:,.0f} output tokens/s per GPU with prefill "
                           f"({'estimate' if plan.estimate else 'measured configuration'}); busy {busy:.0%} of "
                           f"their capacity"})
    options = pd.DataFrame(opts)
    return {
        "row": row, "gpu_usd": gpu_usd, "gpu_prices": gp, "input_share": share, "tokens": tokens,
        "throughput": tput, "throughput_mlperf": float(row["tokens_per_s_per_gpu"]), "derate": derate,
        "utilization": util, "min_gpus": min_eff, "fit_gpus": fit, "gpus": n, "step": fit, "plan": plan, "setups": setups,
        "busy_share": busy, "idle_usd": gpu_month * (1.0 - busy),
        "cap": tokens_per_gpu_month(tput, util, share),
        "hosted": hosted, "hosted_id": hosted_id, "hosted_name": hosted_name, "open_score": open_score,
        "closed": None if crow is None else crow.to_dict(), "closed_auto": auto,
        "rate_closed": rate_closed, "rate_hosted": rate_hosted,
        "options": options, "break_even_closed": be_closed, "break_even_hosted": be_hosted,
        "overhead": max(float(ci.overhead_usd), 0.0),
    }


PRICE_LABEL = {"lab_list": "Lab list price", "cheapest_host": "Cheapest host", "host": "OpenRouter price",
               "aa_reference": "AA reference price"}


# ---------------------------------------------------------------------------------------------------
# Uncertainty: tornado and Monte Carlo
# ---------------------------------------------------------------------------------------------------

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


# ---------------------------------------------------------------------------------------------------
# Settings, analysis and cards
# ---------------------------------------------------------------------------------------------------

AGAINST = {"hosted": "the hosted open model", "closed": "the closed API"}

MARKET_FIELDS = ("price_source", "ratio", "open_rule", "log_price", "threshold")
HISTORY_FIELDS = ("ratio", "open_rule", "history_level")
CALC_FIELDS = ("ratio", "tokens", "cache_hit", "model", "gpu", "scenario", "gpu_pct", "derate", "utilization",
               "min_gpus", "overhead", "closed_model", "against")


@dataclasses.dataclass(frozen=True)
class Settings:
    """The page's settings; defaults equal the page's defaults."""
    price_source: str = "aa_reference"
    ratio: float = 3.0
    open_rule: str = "any"
    log_price: bool = True
    threshold: float = 40.0
    history_level: float = 18.0
    tokens: float = 1e9
    cache_hit: float = 0.0
    model: str = "deepseek-r1"
    gpu: str = "B200"
    scenario: str = "Server"
    gpu_pct: str = "median"
    derate: float = 0.5
    utilization: float = 0.5
    min_gpus: int = 2
    overhead: float = 0.0
    closed_model: str = "auto"
    against: str = "hosted"

    def calc_inputs(self) -> CalcInputs:
        return CalcInputs(tokens_per_month=self.tokens, ratio=self.ratio, cache_hit_share=self.cache_hit,
                          model=self.model, gpu=self.gpu, scenario=self.scenario, gpu_pct=self.gpu_pct,
                          derate=self.derate, utilization=self.utilization, min_gpus=self.min_gpus,
                          overhead_usd=self.overhead, closed_model=self.closed_model)

    def only(self, fields) -> "Settings":
        """These settings with every field outside ``fields`` at its default (a narrower cache key)."""
        return dataclasses.replace(Settings(), **{f: getattr(self, f) for f in fields})

    def clean(self) -> "Settings":
        """Every field clamped to a valid value, so any combination (and any URL) computes."""
        return _clean(self)

    def label(self) -> str:
        """The settings that differ from the defaults, as short text ('' at the defaults)."""
        return fmt.settings_label(self, {
            "price_source": lambda v: f"Prices: {PRICE_SOURCES.get(v, v)}",
            "ratio": lambda v: f"input:output {fmt.ratio(v)}",
            "open_rule": lambda v: f"open = {OPEN_RULES.get(v, v).lower()}",
            "log_price": lambda v: "log price axis" if v else "linear price axis",
            "threshold": lambda v: f"AA index ≥ {v:g}",
            "history_level": lambda v: f"history level {v:g}",
            "tokens": lambda v: f"{fmt.tokens(v)} tokens/month",
            "cache_hit": lambda v: f"cache hits {fmt.share(v)}",
            "model": lambda v: f"self-hosted model {v}", "gpu": lambda v: f"GPU {v}",
            "scenario": lambda v: f"MLPerf scenario {v}", "gpu_pct": lambda v: f"{v} GPU price",
            "derate": lambda v: f"derate {fmt.share(v)}", "utilization": lambda v: f"utilization {fmt.share(v)}",
            "min_gpus": lambda v: f"min {v} GPUs", "overhead": lambda v: f"overhead {fmt.usd(v)}/month",
            "closed_model": lambda v: f"closed API {v}", "against": lambda v: f"against {AGAINST.get(v, v)}",
        })


def _clean(s: Settings) -> Settings:
    """Clamp every field to a valid value, so any combination (and any URL) computes."""
    def num(v, lo, hi, default):
        try:
            v = float(v)
        except (TypeError, ValueError):
            return default
        return default if not np.isfinite(v) else min(max(v, lo), hi)
    d = Settings()
    return dataclasses.replace(
        s,
        price_source=s.price_source if s.price_source in PRICE_SOURCES else d.price_source,
        ratio=num(s.ratio, 0.0, 100.0, d.ratio),
        open_rule=s.open_rule if s.open_rule in OPEN_RULES else d.open_rule,
        log_price=bool(s.log_price),
        threshold=num(s.threshold, 0.0, 100.0, d.threshold),
        history_level=num(s.history_level, 0.0, 100.0, d.history_level),
        tokens=num(s.tokens, 0.0, 1e13, d.tokens),
        cache_hit=num(s.cache_hit, 0.0, 1.0, d.cache_hit),
        model=str(s.model), gpu=str(s.gpu), scenario=str(s.scenario),
        gpu_pct=s.gpu_pct if s.gpu_pct in GPU_PCTS else d.gpu_pct,
        derate=num(s.derate, 0.01, 1.0, d.derate),
        utilization=num(s.utilization, 0.01, 1.0, d.utilization),
        min_gpus=int(num(s.min_gpus, 1, 10_000, d.min_gpus)),
        overhead=num(s.overhead, 0.0, 1e9, d.overhead),
        closed_model=str(s.closed_model),
        against=s.against if s.against in AGAINST else d.against,
    )


@dataclasses.dataclass
class Market:
    """Price against capability and cost at equal capability."""
    settings: Settings
    pc: pd.DataFrame                # one row per model: score, prices, openness
    frontier: pd.DataFrame          # each group's Pareto frontier
    curve: pd.DataFrame             # saving at each threshold
    claim: dict                     # where the 70-90% claim holds
    at_threshold: dict              # cheapest open / closed at the reader's threshold, ratio, saving
    robust: object = None           # robust.Robust: the saving at the threshold with each deciding model left out
    ranges: pd.DataFrame | None = None   # runs of levels one (open, closed) pair decides
    two: object = None              # robust.TwoCurrencies: per token and per index run (None: no aa_index_runs)


@dataclasses.dataclass
class History:
    settings: Settings
    history: pd.DataFrame           # change points: date, group, price, model
    cuts: pd.DataFrame              # largest drops
    events: pd.DataFrame            # price events in range


@dataclasses.dataclass
class Calc:
    settings: Settings
    calc: dict                      # compare_options output
    volume_curve: pd.DataFrame      # cost against volume for the three options (+ simulation band)
    tornado: pd.DataFrame
    mc: dict                        # simulation at the reader's volume
    mc_curve: pd.DataFrame          # probability self-hosting is cheaper, against volume, per API option
    self_host: pd.DataFrame         # MLPerf rows usable for self-hosting
    closed: pd.DataFrame            # closed models the calculator can compare with

    @property
    def against_rate(self) -> float | None:
        return self.calc["rate_hosted"] if self.settings.against == "hosted" else self.calc["rate_closed"]

    @property
    def against_be(self) -> BreakEven | None:
        return self.calc["break_even_hosted"] if self.settings.against == "hosted" else \
            self.calc["break_even_closed"]

    @property
    def against_option(self) -> str:
        return "Open model, hosted" if self.settings.against == "hosted" else "Closed API"


@dataclasses.dataclass
class Results:
    market: Market
    history: History
    calc: Calc

    @property
    def settings(self) -> Settings:
        return self.market.settings


def _threshold_summary(pc: pd.DataFrame, threshold: float) -> dict:
    o = cheapest_meeting(pc, threshold, "open")
    c = cheapest_meeting(pc, threshold, "closed")
    out = {"threshold": float(threshold), "open": o, "closed": c, "ratio": None, "saving_pct": None}
    if o is not None and c is not None:
        out["ratio"] = c["blended"] / o["blended"]
        out["saving_pct"] = 100.0 * (1.0 - o["blended"] / c["blended"])
    return out


def analyze_market(tables: dict[str, pd.DataFrame], settings: Settings) -> Market:
    s = settings.clean()
    pc = price_capability(tables["models"], tables["scores"], tables["prices"], s.price_source, s.ratio, s.open_rule)
    curve = saving_curve(pc)
    from openclosed.cost import robust   # robust imports this module
    runs = tables.get("aa_index_runs") if hasattr(tables, "get") else None
    two = None if runs is None else robust.two_currencies(runs, s.threshold, s.ratio, tables["models"])
    return Market(s, pc, pareto_frontier(pc), curve, claim_summary(curve), _threshold_summary(pc, s.threshold),
                  robust.robust_saving(robust.with_family(pc, tables["models"]), s.threshold),
                  robust.decided_ranges(curve), two)


def analyze_history(tables: dict[str, pd.DataFrame], settings: Settings) -> History:
    s = settings.clean()
    hist = price_over_time(tables["models"], tables["scores"], tables["price_history"], s.history_level, s.ratio,
                           s.open_rule)
    return History(s, hist, notable_cuts(hist), relevant_events(tables["events"], hist))


def relevant_events(events: pd.DataFrame, history: pd.DataFrame, days: int = 3) -> pd.DataFrame:
    """Price events (events.csv kind 'price') where a drawn line changes within ``days`` of the event."""
    ev = events[events["kind"] == "price"].copy()
    if ev.empty or history.empty:
        return ev.iloc[0:0].reset_index(drop=True)
    changes = pd.to_datetime(history["date"]).to_numpy()
    first = history.groupby("group")["date"].transform("min").to_numpy()
    changes = changes[changes != first]   # the start of a line is not a change
    evd = pd.to_datetime(ev["date"]).to_numpy()
    near = np.array([np.any(np.abs(changes - d) <= np.timedelta64(days, "D")) for d in evd], dtype=bool)
    return ev[near].reset_index(drop=True)


def _volume_grid(res: dict, max_tokens: float) -> np.ndarray:
    """Log-spaced volumes plus each whole-GPU boundary (at it and just past it), so steps draw sharp."""
    grid = np.logspace(6, math.log10(max_tokens), 121)
    cap = res["cap"]
    if np.isfinite(cap):
        k = np.arange(max(res["min_gpus"], 1), int(max_tokens / cap) + 2)
        k = k[(k * cap >= 1e6) & (k * cap <= max_tokens)]
        if len(k) <= 400:
            grid = np.concatenate([grid, k * cap, k * cap * (1 + 1e-9)])
    return np.unique(grid)


def _volume_frame(calc: dict, grid: np.ndarray, mc: dict) -> pd.DataFrame:
    parts = []
    opts = calc["options"].set_index("option")
    for name, rate in (("Closed API", calc["rate_closed"]), ("Open model, hosted", calc["rate_hosted"])):
        if rate is None:
            continue
        parts.append(pd.DataFrame({"tokens": grid, "option": name, "model": opts.loc[name, "model"],
                                   "monthly_usd": grid * rate / 1e6, "low": np.nan, "high": np.nan}))
    shc = np.min([self_host_monthly_cost(grid, p.effective_tps, calc["gpu_usd"], calc["utilization"], m,
                                         calc["overhead"], calc["input_share"], p.replica)
                  for p, m in calc.get("setups", [])] or [self_host_monthly_cost(
                      grid, calc["throughput"], calc["gpu_usd"], calc["utilization"], calc["min_gpus"],
                      calc["overhead"], calc["input_share"])], axis=0)
    parts.append(pd.DataFrame({"tokens": grid, "option": "Self-host", "model": opts.loc["Self-host", "model"],
                               "monthly_usd": shc, "low": mc["p10"], "high": mc["p90"]}))
    return pd.concat(parts, ignore_index=True)


def analyze_calc(tables: dict[str, pd.DataFrame], settings: Settings, sh: pd.DataFrame | None = None,
                 closed: pd.DataFrame | None = None) -> Calc:
    """The calculator. ``sh`` and ``closed`` (self_host_table, closed_catalog at the same ratio) may be passed
    in when the caller has them cached."""
    s = settings.clean()
    if sh is None:
        sh = self_host_table(tables["throughput"], tables["gpu_prices"])
    if closed is None:
        closed = closed_catalog(tables["models"], tables["scores"], tables["prices"], s.ratio)
    ci = s.calc_inputs()
    calc = compare_options(tables, ci, sh, closed)
    grid = _volume_grid(calc, ci.max_tokens)
    mc_grid = monte_carlo(calc, grid)
    vc = _volume_frame(calc, grid, mc_grid)
    curve = []
    for key, name in (("closed", "Closed API"), ("hosted", "Open model, hosted")):
        pr = mc_grid[f"p_cheaper_{key}"]
        if np.isfinite(pr).all():
            curve.append(pd.DataFrame({"tokens": grid, "option": name, "probability": pr}))
    mc_curve = pd.concat(curve, ignore_index=True) if curve else pd.DataFrame(
        columns=["tokens", "option", "probability"])
    if calc["rate_hosted"] is None and s.against == "hosted":
        s = dataclasses.replace(s, against="closed")
    if calc["rate_closed"] is None and s.against == "closed" and calc["rate_hosted"] is not None:
        s = dataclasses.replace(s, against="hosted")
    tor = tornado(calc, ci, s.against)
    return Calc(s, calc, vc, tor, mc_at(calc, calc["tokens"]), mc_curve, sh, closed)


def analyze(tables: dict[str, pd.DataFrame], settings: Settings) -> Results:
    """Every number and table the page shows, for one set of settings."""
    return Results(analyze_market(tables, settings), analyze_history(tables, settings),
                   analyze_calc(tables, settings))


YOURS_LABEL = "Yours"          # the reader's own models (Data & methods upload): drawn, never analysed
YOURS_COLUMNS = ["name", "group", "weights", "score", "price_in", "price_out", "blended"]


def yours_prices(user: pd.DataFrame | None, ratio: float = 3.0, log_price: bool = False) -> pd.DataFrame:
    """The reader's models (openclosed.byod format) that can sit on the price-against-capability chart: scored
    on the AA Intelligence Index with both prices, blended at ``ratio`` like every other model. On a log axis
    a blended price of 0 cannot be drawn and is left out. Columns: YOURS_COLUMNS. Never part of the Pareto
    frontier, the saving curve or any headline."""
    need = {"name", "metric", "score", "input_usd_per_mtok", "output_usd_per_mtok"}
    if user is None or len(user) == 0 or not need <= set(user.columns):
        return pd.DataFrame(columns=YOURS_COLUMNS)
    u = user[user["metric"].astype(str) == METRIC]
    score = pd.to_numeric(u["score"], errors="coerce").astype(float)
    p_in = pd.to_numeric(u["input_usd_per_mtok"], errors="coerce").astype(float)
    p_out = pd.to_numeric(u["output_usd_per_mtok"], errors="coerce").astype(float)
    if "open_weights" in u:
        ow = u["open_weights"].astype(bool)
    else:
        ow = u["openness"].astype(str).str.lower() == "open" if "openness" in u else pd.Series(False, index=u.index)
    d = pd.DataFrame({"name": u["name"].astype(str), "group": YOURS_LABEL,
                      "weights": np.where(ow, theme.OPENNESS_DOMAIN[0], theme.OPENNESS_DOMAIN[1]),
                      "score": score, "price_in": p_in, "price_out": p_out,
                      "blended": blended_price(p_in.to_numpy(), p_out.to_numpy(), ratio)}, columns=YOURS_COLUMNS)
    ok = np.isfinite(d["score"]) & np.isfinite(d["price_in"]) & np.isfinite(d["price_out"]) & (d["price_in"] >= 0) \
        & (d["price_out"] >= 0)
    ok &= (d["blended"] > 0) if log_price else (d["blended"] >= 0)
    return d[ok].sort_values(["score", "name"], ascending=[False, True], kind="mergesort").reset_index(drop=True)


TABLES = report.section("cost").tables   # the data/ tables it reads: declared once, in the registry


def trace_rows(m: Market) -> pd.DataFrame:
    """The data/ rows behind the cheapest open and closed model at the threshold: where each number comes from."""
    rows = []
    for side in ("open", "closed"):
        r = m.at_threshold[side]
        if r is None:
            continue
        rows.append({"side": side, "model": r["name"], "model_id": r["model_id"], "openness": r["openness"],
                     "scores.csv source_id": r["aa_id"], "variant": "" if pd.isna(r["variant"]) else r["variant"],
                     "AA index": r["score"], "prices.csv price_kind": r["price_source"],
                     "provider": r["provider"], "prices.csv source_id": r["price_id"],
                     "input $/M": r["price_in"], "output $/M": r["price_out"], "blended $/M": r["blended"],
                     "as of": r["as_of"]})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------------------
# Sizing a self-hosted deployment to a reader: model size class from the quality bar, GPUs from the volume
# ---------------------------------------------------------------------------------------------------

# a parameter count in a model's own name: 'Qwen3.6 27B', 'Qwen3.5 35B A3B', 'gpt-oss-120b', 'Ring-2.6-1T'
_NAME_SIZE = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)\s*([BT])(?!\w)", re.I)


def params_from_name(name: str) -> float | None:
    """Billions of parameters as a model's name states them (total, not active); None when it states none."""
    m = _NAME_SIZE.search(str(name or ""))
    if not m:
        return None
    return float(m.group(1)) * (1000.0 if m.group(2).upper() == "T" else 1.0)


_NAME_ACTIVE = re.compile(r"(?<![\w.])A(\d+(?:\.\d+)?)B(?!\w)", re.I)


def active_from_name(name: str) -> float | None:
    """Billions of active parameters a MoE model's name states ('Qwen3.5 35B A3B' -> 3); None when it states none."""
    m = _NAME_ACTIVE.search(str(name or "").replace("-", " "))
    return float(m.group(1)) if m else None


def model_sizes(models: pd.DataFrame, epoch_models: pd.DataFrame | None = None,
                model_params: pd.DataFrame | None = None) -> pd.DataFrame:
    """Parameter counts (billions) per catalog model. Total: the curated ``model_params`` row (data/model_params.csv:
    Epoch's 2026 notable-models file and model cards, cited per row), else Epoch's ``parameters`` where Epoch lists
    the model, else the count in the model's own name. Active: model_params, else the name ('A17B'), else unknown.
    Columns: model_id, params_b, active_params_b (NaN: unknown), size_source."""
    rows = []
    epoch = {}
    if epoch_models is not None and len(epoch_models):
        e = epoch_models.dropna(subset=["parameters"])
        epoch = dict(zip(e["model"].astype(str), e["parameters"].astype(float) / 1e9))
    curated = {}
    if model_params is not None and len(model_params):
        curated = {r["model_id"]: r for r in model_params.to_dict("records")}
    ids = models["id_epoch_models"] if "id_epoch_models" in models else pd.Series("", index=models.index)
    for mid, name, eid in zip(models["model_id"], models["name"], ids.fillna("").astype(str)):
        named_active = active_from_name(name)
        if mid in curated:
            c = curated[mid]
            act = c.get("active_params_b")
            act = float(act) if act is not None and np.isfinite(float(act)) else (named_active or np.nan)
            rows.append((mid, float(c["params_b"]), act, "Epoch" if str(c["source"]).startswith("Epoch") else
                         str(c["source"])))
            continue
        known = [epoch[x] for x in eid.split(";") if x in epoch]
        if known:
            rows.append((mid, max(known), named_active or np.nan, "Epoch"))
        elif (p := params_from_name(name)) is not None:
            rows.append((mid, p, named_active or np.nan, "its name"))
    return pd.DataFrame(rows, columns=["model_id", "params_b", "active_params_b", "size_source"])


@dataclasses.dataclass(frozen=True)
class SizeClass:
    """The size of model a quality bar asks for: the smallest open model with a known size that reaches it."""
    target: float
    params_b: float | None      # None: no open model reaching the bar has a known parameter count
    model: str = ""             # that model's name
    score: float = float("nan")
    size_source: str = ""       # 'Epoch' or 'its name'


def size_class(pc: pd.DataFrame, sizes: pd.DataFrame, target: float) -> SizeClass:
    """The smallest open model (by parameters) in ``pc`` (price_capability rows) that scores at least ``target``,
    among those whose size ``sizes`` (model_sizes) knows; ties go to the higher score, then the name."""
    o = pc[pc["open"] & (pc["score"] >= float(target))].merge(sizes, on="model_id", how="inner")
    if o.empty:
        return SizeClass(float(target), None)
    r = o.sort_values(["params_b", "score", "name"], ascending=[True, False, True], kind="mergesort").iloc[0]
    return SizeClass(float(target), float(r["params_b"]), str(r["name"]), float(r["score"]), str(r["size_source"]))


@dataclasses.dataclass(frozen=True)
class Sizing:
    """A serving setup for one reader: which measured model and GPUs, and what they cost a month."""
    model: str                  # MLPerf model key
    label: str                  # 'DeepSeek-R1 (671B MoE, 37B active)'
    params_b: float             # the measured model's parameters (billions)
    gpu: str
    scenario: str
    gpus: int                   # whole GPUs rented at the volume (whole replicas)
    weight_gpus: int            # GPUs of one replica: the smallest supported count that holds weights + KV cache
    gpus_avg: float             # = gpus: GPUs are rented whole (kept for callers that read it)
    monthly_usd: float
    gpu_usd: float              # $/GPU-hour
    busy_share: float           # share of the rented GPUs' full capacity the volume uses (headroom counts as idle)
    idle_usd: float             # monthly cost of paid capacity the volume does not use
    need: SizeClass | None      # the size class the quality bar asks for
    basis: str                  # 'size' | 'bigger' | 'unknown' | 'chosen' | 'picked' (the reader's open model, sized
                                # by its own parameter counts)
    covers: bool                # the model sized is at least as large as the size class
    why: str                    # the rule that picked it, in words
    throughput: float = float("nan")   # output tokens/s per GPU used (derated, prefill included)
    estimate: bool = False             # outside MLPerf's measured configuration (serving.Plan.estimate)
    memory_why: str = ""               # serving.Plan.why: what fits in how many GPUs
    stand_in: str = ""                 # the MLPerf-measured model whose throughput is used, when another is sized

    @property
    def idle_share(self) -> float:
        return 1.0 - self.busy_share


def _size_why(basis: str, need: SizeClass | None, label: str, gpu_note: str) -> str:
    """The sizing rule that applied, in words (no typed numbers: every figure comes from the inputs)."""
    t = "" if need is None else f"AA {fmt.num(need.target, 1)}"
    found = "" if need is None or need.params_b is None else (
        f"{need.model}, {fmt.num(need.params_b, 0)}B parameters (per {need.size_source})")
    if basis == "chosen":
        txt = "the model you chose"
        if need is not None and need.params_b is not None and "smaller" in gpu_note:
            txt += f"; the smallest open model that reaches {t} is {found}"
    elif basis == "size":
        txt = (f"the smallest open model of known size that reaches {t} is {found}; this is the cheapest measured "
               "setup at your volume for a model at least that large")
    elif basis == "bigger":
        txt = (f"the smallest open model of known size that reaches {t} is {found}, bigger than any model MLPerf "
               f"measured, so the largest measured one, {label}, stands in and the estimate is a floor")
    else:
        txt = (f"no open model that reaches {t or 'your bar'} has a parameter count in data/ (Epoch's or in its "
               f"name), so the largest measured model, {label}, stands in for the size class of those that do")
    return txt + gpu_note


def _stand_in_rows(sh: pd.DataFrame, active_b: float, moe: bool) -> pd.DataFrame:
    """The measured model that stands in for a model MLPerf did not run: the same kind (MoE or dense) where one
    exists, nearest in active parameters (log distance; ties: the larger)."""
    kinds = sh.assign(_moe=sh["active_params_b"] < sh["params_b"])
    same = kinds[kinds["_moe"] == moe]
    pool = same if len(same) else kinds
    dist = (np.log(pool["active_params_b"].astype(float)) - math.log(max(active_b, 1e-3))).abs()
    best = pool.assign(_d=dist.round(9)).sort_values(["_d", "active_params_b"], ascending=[True, False],
                                                     kind="mergesort")
    return sh[sh["model"] == best["model"].iloc[0]]


def picked_label(picked: dict) -> str:
    """'DeepSeek V4 Flash 0731 (284B MoE, 13B active)', or '(116.8B)' when the active count is unknown."""
    p, a = float(picked["params_b"]), picked.get("active_params_b")
    a = float(a) if a is not None and np.isfinite(float(a)) else None
    size = f"{fmt.num(p, 0 if p >= 10 else 1)}B"
    if a is not None and a < p:
        return f"{picked['name']} ({size} MoE, {fmt.num(a, 0 if a >= 10 else 1)}B active)"
    return f"{picked['name']} ({size}{' dense' if a is not None else ''})"


def size_self_host(sh: pd.DataFrame, gpu_prices: pd.DataFrame, tokens: float, ratio: float,
                   need: SizeClass | None, derate: float = 0.5, utilization: float = 0.5, gpu_pct: str = "median",
                   model: str = "auto", gpu: str = "auto", gpu_specs: pd.DataFrame | None = None,
                   picked: dict | None = None, picked_name: str = "") -> Sizing | None:
    """The cheapest serving setup for a volume: a model, a GPU type and whole replicas that fit in memory.

    The model sized: ``picked`` (the reader's open model with its parameter counts: keys model_id, name,
    params_b, active_params_b, size_source) when given and ``model`` is 'auto'; its throughput comes from the
    measured model of the same kind nearest in active parameters, scaled by their active parameters (capped at 1):
    an estimate. Without ``picked``, a measured model stands in for the size class ``need`` (size_class): the
    measured models at least that large (a stand-in never understates the weights); when the bar needs more than
    any measured model, or no model reaching it has a known size, the largest measured model stands in.
    GPUs: serving.plan (weights + KV cache in memory, tensor-parallel replica sizes), then whole replicas for the
    volume at ``utilization``; every replica size up to MLPerf's system is tried. The cheapest month wins (ties:
    the smaller model, then the GPU name, then the faster setup). ``model`` / ``gpu`` other than 'auto' fix the
    choice (the reader's override)."""
    if sh is None or sh.empty:
        return None
    t = sh
    largest = t["params_b"].max()
    gpu_note = ""
    size_of = None          # (params_b, active_params_b, label) of the model sized when it is not the measured one
    if model != "auto" and (t["model"] == model).any():
        t, basis = t[t["model"] == model], "chosen"
        if need is not None and need.params_b is not None and t["params_b"].iloc[0] < need.params_b:
            gpu_note = "; it is smaller than the smallest open model that reaches your bar, so it may understate "\
                       "the hardware"
    elif picked is not None and picked.get("params_b") is not None and np.isfinite(float(picked["params_b"])):
        p_total = float(picked["params_b"])
        a = picked.get("active_params_b")
        p_active = float(a) if a is not None and np.isfinite(float(a)) else p_total
        t, basis = _stand_in_rows(t, p_active, p_active < p_total), "picked"
        size_of = (p_total, p_active, picked_label(picked))
    elif need is None or need.params_b is None:
        t, basis = t[t["params_b"] == largest], "unknown"
    elif need.params_b > largest:
        t, basis = t[t["params_b"] == largest], "bigger"
    else:
        t, basis = t[t["params_b"] >= need.params_b], "size"
    if gpu != "auto":
        if (t["gpu"] == gpu).any():
            t = t[t["gpu"] == gpu]
            gpu_note += "; the GPU you chose"
        else:
            gpu_note += f"; MLPerf has no result for this model on {gpu}, so the cheapest measured GPU is used"
    server = set(zip(t.loc[t["scenario"] == "Server", "model"], t.loc[t["scenario"] == "Server", "gpu"]))
    t = t[(t["scenario"] == "Server") | ~pd.Series(list(zip(t["model"], t["gpu"])), index=t.index).isin(server)]
    prices = gpu_prices.set_index("gpu")[GPU_PCTS.get(gpu_pct, GPU_PCTS["median"])]
    share = input_share_from_ratio(ratio)
    tokens = max(float(tokens), 0.0)
    best, best_key = None, None
    for r in t.to_dict("records"):
        if r["gpu"] not in prices.index or not np.isfinite(prices[r["gpu"]]):
            continue
        row = dict(r)
        kw = {}
        same = picked is not None and r.get("hosted_model_id") == picked.get("model_id") and \
            r.get("relation") == "same"
        if size_of is not None and not same:
            measured_active = float(r.get("active_params_b") or r["params_b"])
            factor = min(1.0, measured_active / size_of[1])
            row.update(params_b=size_of[0], active_params_b=size_of[1], model=f"picked:{r['model']}")
            kw = dict(size_factor=factor, size_note=(
                f"throughput from MLPerf's {self_host_label(r)} × {factor:.2f} (its active parameters over "
                f"{fmt.num(size_of[1], 1)}B; never scaled up)"))
        for plan in _plans_for(row, gpu_specs, ratio, derate, **kw):
            if plan.effective_tps <= 0:
                continue
            n = gpus_needed(tokens, plan.effective_tps, utilization, plan.replica, share, plan.replica)
            usd = n * float(prices[r["gpu"]]) * HOURS_PER_MONTH
            key = (round(usd, 6), float(row["params_b"]), str(r["gpu"]), -plan.effective_tps)
            if best_key is None or key < best_key:
                best, best_key = (r, plan, n, usd), key
    if best is None:
        return None
    r, plan, n, usd = best
    busy = busy_share(tokens, n, plan.effective_tps, share)
    label = size_of[2] if size_of is not None else self_host_label(r)
    params = size_of[0] if size_of is not None else float(r["params_b"])
    covers = need is not None and need.params_b is not None and params >= need.params_b
    why = _size_why(basis, need, label, gpu_note) if basis != "picked" else (
        "the open model the advice picked for your quality bar, sized by its own parameter counts (per "
        f"{picked.get('size_source') or 'data/model_params.csv'})" + gpu_note)
    if basis in ("size", "bigger", "unknown") and picked_name:
        why = f"{picked_name}, the open model picked, has no parameter count in data/, so a stand-in is sized: " + why
    return Sizing(str(r["model"]), label, params, r["gpu"], r["scenario"], int(n), int(plan.replica), float(n),
                  float(usd), float(prices[r["gpu"]]), busy, float(usd * (1.0 - busy)), need, basis, covers, why,
                  float(plan.effective_tps), bool(plan.estimate), plan.why,
                  self_host_label(r) if size_of is not None else "")


def _plans_for(row: dict, gpu_specs: pd.DataFrame | None, ratio: float, derate: float, **kw) -> list:
    """serving plans for every replica size from the smallest that fits up to MLPerf's measured system."""
    first = serving_plan(row, gpu_specs, ratio, derate, **kw)
    if first.replica is None:
        return []
    out = [first]
    for n in serving.supported_sizes(max(first.measured_gpus, first.replica)):
        if n > first.replica:
            out.append(serving_plan(row, gpu_specs, ratio, derate, min_replica=n, **kw))
    return out
