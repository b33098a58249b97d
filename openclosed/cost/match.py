"""Your closed model, its open match: the open models statistically tied with a closed model on the yardsticks a
reader cares about, each priced per task (hosted and self-hosted) with the volume where self-hosting breaks even
against the closed API. Pure; the Cost page and the advisor call the same function.

Tie rule (stated): for an open and a closed model, take each Artificial Analysis evaluation in the chosen yardstick
that both have (best variant of each), and the differences d_j = open - closed (percentage points). The mean
difference gets a two-sided 95% t-interval over the evaluations (scipy.stats.t; the evaluations are the sample).
- better: the interval lies above 0;
- tied: it contains 0 and its lower end is above -MARGIN (the open model is at most MARGIN points worse on
  average, at 97.5% confidence: a non-inferiority test, so a small sample cannot call a weak model a tie);
- worse: it lies below 0; unclear: otherwise (too few or too scattered evaluations to say).
A match is better or tied. Fewer than MIN_SHARED shared evaluations: no verdict (the model is left out).
"""
from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd

from openclosed import fmt
from openclosed.cost.calculator import self_host_table
from openclosed.cost.market import CLOSED_PRICE_ORDER, HOSTED_PRICE_ORDER, price_row
from openclosed.cost.primitives import api_usd_per_mtok, break_even_tokens, input_share_from_ratio
from openclosed.cost.sizing import model_sizes, size_self_host
from openclosed.memo import per_inputs

YARDSTICKS: dict[str, tuple[str, tuple[str, ...]]] = {
    "all": ("Every AA evaluation", ("aa_gpqa", "aa_hle", "aa_mmlu_pro", "aa_livecodebench", "aa_scicode",
                                    "aa_terminalbench_hard", "aa_tau2", "aa_ifbench", "aa_lcr", "aa_aime_25",
                                    "aa_math_500")),
    "coding": ("Coding", ("aa_livecodebench", "aa_scicode", "aa_terminalbench_hard")),
    "reasoning": ("Knowledge and reasoning", ("aa_gpqa", "aa_hle", "aa_mmlu_pro")),
    "agents": ("Agents and instructions", ("aa_tau2", "aa_terminalbench_hard", "aa_ifbench", "aa_lcr")),
    "math": ("Math", ("aa_aime_25", "aa_math_500")),
}
MIN_SHARED = 3
CONFIDENCE = 0.95
MARGIN = 5.0            # percentage points of AA evaluation score: the largest average deficit still called a tie
COLUMNS = ["model_id", "name", "verdict", "n_evals", "mean_diff", "ci_low", "ci_high", "hosted_usd_per_task",
           "hosted_provider", "self_usd_per_task", "self_setup", "self_estimate", "break_even_tokens",
           "closed_usd_per_task"]


def best_per_metric(scores: pd.DataFrame, metrics) -> pd.DataFrame:
    """model_id x metric table of each model's best variant (AA rows)."""
    s = scores[scores["metric"].isin(list(metrics))]
    return s.groupby(["model_id", "metric"])["value"].max().unstack("metric")


def paired_interval(diffs, confidence: float = CONFIDENCE) -> tuple[float, float, float]:
    """(mean, low, high) of the mean of paired differences: mean ± t(df = n - 1) x sd / sqrt(n)."""
    d = np.asarray(diffs, dtype=float)
    d = d[np.isfinite(d)]
    n = len(d)
    if n < 2:
        return (float(d.mean()) if n else float("nan")), float("nan"), float("nan")
    from scipy import stats   # imported here: scipy is slow to import
    half = float(stats.t.ppf(0.5 + confidence / 2, n - 1)) * float(d.std(ddof=1)) / math.sqrt(n)
    m = float(d.mean())
    return m, m - half, m + half


def verdict(low: float, high: float, margin: float = MARGIN) -> str:
    """better | tied | worse | unclear from the interval of the mean difference (module docstring)."""
    if not (np.isfinite(low) and np.isfinite(high)):
        return "unclear"
    if low > 0:
        return "better"
    if high < 0:
        return "worse"
    return "tied" if low > -float(margin) else "unclear"


def tied_open_models(models: pd.DataFrame, scores: pd.DataFrame, closed_id: str, yardstick: str = "all",
                     min_shared: int = MIN_SHARED, margin: float = MARGIN) -> pd.DataFrame:
    """Every open model with at least ``min_shared`` evaluations shared with ``closed_id``, and its verdict.
    Columns: model_id, name, verdict, n_evals, mean_diff, ci_low, ci_high (sorted: tied/better first, by mean).
    The same for every reader: computed once per server for each closed model and yardstick."""
    return _tied_open_models(models, scores, closed_id, yardstick, min_shared, margin)


@per_inputs
def _aa_scores(scores: pd.DataFrame) -> pd.DataFrame:
    return scores[scores["source"] == "artificial_analysis"] if "source" in scores else scores


@per_inputs(kept=256)      # closed models x yardsticks: small frames
def _tied_open_models(models, scores, closed_id, yardstick, min_shared, margin) -> pd.DataFrame:
    metrics = YARDSTICKS.get(yardstick, YARDSTICKS["all"])[1]
    wide = best_per_metric(scores, metrics)
    out = []
    if closed_id in wide.index:
        ref = wide.loc[closed_id]
        is_open = models.set_index("model_id")["openness"].astype(str).str.startswith("open_")
        names = models.set_index("model_id")["name"]
        for mid, row in wide.iterrows():
            if mid == closed_id or not bool(is_open.get(mid, False)):
                continue
            d = (row - ref).dropna()
            if len(d) < min_shared:
                continue
            m, lo, hi = paired_interval(d.to_numpy())
            out.append({"model_id": mid, "name": str(names.get(mid, mid)), "verdict": verdict(lo, hi, margin),
                        "n_evals": int(len(d)), "mean_diff": m, "ci_low": lo, "ci_high": hi})
    df = pd.DataFrame(out, columns=["model_id", "name", "verdict", "n_evals", "mean_diff", "ci_low", "ci_high"])
    rank = {"better": 0, "tied": 1, "unclear": 2, "worse": 3}
    return df.sort_values(["verdict", "mean_diff", "name"], key=lambda s: s.map(rank) if s.name == "verdict" else s,
                          ascending=[True, False, True], kind="mergesort").reset_index(drop=True)


@dataclasses.dataclass(frozen=True)
class Task:
    """A task as the reader sizes it, and the volume they run."""
    input_tokens: float = 3000.0
    output_tokens: float = 1000.0
    tokens_per_month: float = 1e9

    @property
    def tokens(self) -> float:
        return max(self.input_tokens, 0.0) + max(self.output_tokens, 0.0)

    @property
    def ratio(self) -> float:
        return self.input_tokens / self.output_tokens if self.output_tokens > 0 else 100.0


def open_matches(tables, closed_id: str, yardstick: str = "all", task: Task = Task(),
                 include_better: bool = True, limit: int = 8, derate: float = 0.5, utilization: float = 0.5,
                 gpu_pct: str = "median") -> pd.DataFrame:
    """The open models tied with (or better than, ``include_better``) the closed model on the yardstick, priced per
    task: hosted (cheapest counting host, else OpenRouter, AA reference, lab list), self-hosted (the model sized by
    its own parameter counts, cost.size_self_host, at the reader's monthly volume) and the monthly volume from which
    self-hosting costs no more than the closed API (lab list, else AA reference, else cheapest host).
    Columns: COLUMNS. Empty when the closed model has no AA evaluations in data/."""
    models, scores, prices = tables["models"], tables["scores"], tables["prices"]
    tied = tied_open_models(models, _aa_scores(scores), closed_id, yardstick)
    keep = {"tied", "better"} if include_better else {"tied"}
    tied = tied[tied["verdict"].isin(keep)]
    if tied.empty:
        return pd.DataFrame(columns=COLUMNS)
    ratio = task.ratio
    share = input_share_from_ratio(ratio)
    per_task = task.tokens / 1e6
    closed = price_row(prices, closed_id, CLOSED_PRICE_ORDER, ratio)
    rate_closed = None if closed is None else api_usd_per_mtok(share, closed["price_in"], closed["price_out"])
    sh = self_host_table(tables["throughput"], tables["gpu_prices"])
    sizes = model_sizes(models, tables.get("epoch_models"), tables.get("model_params"))
    hosted_rows = []
    for r in tied.to_dict("records"):
        hosted = price_row(prices, r["model_id"], HOSTED_PRICE_ORDER, ratio)
        rate_h = None if hosted is None else api_usd_per_mtok(share, hosted["price_in"], hosted["price_out"])
        hosted_rows.append({**r, "hosted_usd_per_task": float("nan") if rate_h is None else rate_h * per_task,
                            "hosted_provider": "" if hosted is None else str(hosted["provider"])})
    # the cheapest matches first (hosted price per task), models without a price last; only these are sized
    cand = pd.DataFrame(hosted_rows).sort_values(["hosted_usd_per_task", "name"], na_position="last",
                                                 kind="mergesort").head(limit)
    rows = []
    for r in cand.to_dict("records"):
        z_row = sizes[sizes["model_id"] == r["model_id"]]
        picked = None if z_row.empty else {
            "model_id": r["model_id"], "name": r["name"], "params_b": float(z_row["params_b"].iloc[0]),
            "active_params_b": float(z_row["active_params_b"].iloc[0]), "size_source": str(z_row["size_source"].iloc[0])}
        z = None
        if picked is not None and not sh.empty:
            z = size_self_host(sh, tables["gpu_prices"], task.tokens_per_month, ratio, None, derate, utilization,
                                  gpu_pct, gpu_specs=tables.get("gpu_specs"), picked=picked)
        self_task = be = float("nan")
        setup = "no parameter count in data/: not sized"
        if z is not None:
            tasks = task.tokens_per_month / task.tokens if task.tokens > 0 else 0.0
            self_task = z.monthly_usd / tasks if tasks > 0 else float("nan")
            setup = f"{z.gpus} × {z.gpu} (replicas of {z.weight_gpus})"
            if rate_closed is not None:
                b = break_even_tokens(rate_closed, z.throughput, z.gpu_usd, utilization, z.weight_gpus, 0.0,
                                         share, z.weight_gpus)
                be = float("inf") if b.tokens is None else float(b.tokens)
        rows.append({**r, "self_usd_per_task": self_task, "self_setup": setup,
                     "self_estimate": bool(z.estimate) if z is not None else True, "break_even_tokens": be,
                     "closed_usd_per_task": float("nan") if rate_closed is None else rate_closed * per_task})
    return pd.DataFrame(rows, columns=COLUMNS)


def display_table(m: pd.DataFrame) -> pd.DataFrame:
    """open_matches rows as the page shows them: words and rounded figures."""
    def usd(x, digits=4):
        return "n/a" if not np.isfinite(x) else f"${x:,.{digits}f}"

    def tok(x):
        if not np.isfinite(x):
            return "n/a" if np.isnan(x) else "never"
        return fmt.tokens(x)
    return pd.DataFrame({
        "open model": m["name"], "verdict": m["verdict"],
        "score difference (95% interval)": [f"{a:+.1f} ({lo:+.1f} to {hi:+.1f}) over {n}"
                                            for a, lo, hi, n in zip(m["mean_diff"], m["ci_low"], m["ci_high"],
                                                                    m["n_evals"])],
        "hosted $/task": [usd(x) for x in m["hosted_usd_per_task"]],
        "self-hosted $/task": [usd(x) + (" (estimate)" if e and np.isfinite(x) else "")
                               for x, e in zip(m["self_usd_per_task"], m["self_estimate"])],
        "self-hosting setup": m["self_setup"],
        "break-even vs the closed API (tokens/month)": [tok(x) for x in m["break_even_tokens"]],
    })
