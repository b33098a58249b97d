"""The self-host-or-API calculator: MLPerf throughput rows with a GPU price, the serving plans of a choice, and the
monthly cost of a closed API, the open model at a host and self-hosting at one volume (``compare_options``)."""
from __future__ import annotations

import dataclasses
import math
import re

import numpy as np
import pandas as pd

from openclosed import fmt
from openclosed.memo import per_inputs
from openclosed.cost import serving
from openclosed.cost.market import (
    HOSTED_PRICE_ORDER, PRICE_LABEL, best_scores, closed_catalog, price_row,
)
from openclosed.cost.primitives import (
    HOURS_PER_MONTH, BreakEven, api_usd_per_mtok, break_even_tokens, gpu_memory_gb, gpus_needed,
    input_share_from_ratio, self_host_monthly_cost, tokens_per_gpu_month, valid_price,
)

GPU_PCTS = {"p25": "usd_per_gpu_hour_p25", "median": "usd_per_gpu_hour_median", "p75": "usd_per_gpu_hour_p75"}

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

# Token volumes for the calculator's log slider: 0, then a 1-2-5 ladder from 1M to 100B tokens/month.
TOKEN_STEPS: tuple[float, ...] = (0.0,) + tuple(m * 10.0 ** e for e in range(6, 11) for m in (1, 2, 5)) + (1e11,)
RATIO_STEPS: tuple[float, ...] = (0.0, 0.25, 0.5, 1.0, 2.0, 3.0, 4.0, 5.0, 8.0, 10.0, 20.0)


@per_inputs
def self_host_table(throughput: pd.DataFrame, gpu_prices: pd.DataFrame) -> pd.DataFrame:
    """Best MLPerf tokens/s per GPU for each (model, rented GPU, scenario) we have prices for (built once per
    pair of tables; read-only).

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


SCENARIO_ORDER = ("Server", "Offline", "Interactive")


def gpu_choices(sh: pd.DataFrame, gpu_prices: pd.DataFrame, gpu_specs: pd.DataFrame, model: str) -> dict[str, str]:
    """The GPU picker for a self-hosted model, {gpu: label}: the GPUs MLPerf measured it on, then the priced GPUs
    with a spec its throughput can be derived for (labelled as estimates)."""
    measured = sorted(sh.loc[sh["model"] == model, "gpu"].unique())
    derivable = sorted((set(gpu_prices["gpu"]) & set(gpu_specs["gpu"])) - set(measured))
    return {g: gpu_label(g, g in measured) for g in measured + derivable}


def scenario_choices(sh: pd.DataFrame, model: str, gpu: str) -> list[str]:
    """The MLPerf scenarios offered for a model on a GPU: those measured on that GPU, or on any GPU when the GPU's
    throughput is derived (no result of its own)."""
    rows = sh[sh["model"] == model]
    derived = gpu not in set(rows["gpu"])
    return sorted(rows.loc[(rows["gpu"] == gpu) | derived, "scenario"].unique(), key=SCENARIO_ORDER.index)


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


@per_inputs
def gpu_spec_rows(gpu_specs: pd.DataFrame) -> dict[str, pd.Series]:
    """Every GPU's datasheet row by name, built once per table (callers only read them)."""
    by_gpu = gpu_specs.set_index("gpu")
    return {gpu: by_gpu.loc[gpu] for gpu in by_gpu.index.unique()}


def gpu_spec(gpu_specs: pd.DataFrame | None, gpu: str) -> pd.Series | None:
    """The datasheet row of a GPU (data/gpu_specs.csv), None when the table or the GPU is missing."""
    if gpu_specs is None or len(gpu_specs) == 0:
        return None
    return gpu_spec_rows(gpu_specs).get(gpu)


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


def serving_plans(row, gpu_specs: pd.DataFrame | None, ratio: float, derate: float, **kw) -> list[serving.Plan]:
    """The replica sizes worth costing: the smallest that fits, then each supported size up to the MLPerf system's
    (a bigger replica has more KV memory per GPU, so larger batches and more tokens per GPU). ``kw`` goes to
    ``serving_plan`` for every size."""
    first = serving_plan(row, gpu_specs, ratio, derate, **kw)
    if first.replica is None:
        return []
    out = [first]
    for n in serving.supported_sizes(max(first.measured_gpus, first.replica)):
        if n > first.replica:
            out.append(serving_plan(row, gpu_specs, ratio, derate, min_replica=n, **kw))
    return out


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
    hosted = price_row(prices, hosted_id, HOSTED_PRICE_ORDER, ci.ratio)
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
                               + (f", cached input {fmt.usd(crow['cache_read'])}" if valid_price(crow["cache_read"])
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
