"""Sizing a self-hosted deployment to a reader: parameter counts per model, the size class a quality bar asks for,
and the cheapest measured serving setup (model, GPU type, whole replicas) for a volume."""
from __future__ import annotations

import dataclasses
import math
import re

import numpy as np
import pandas as pd

from openclosed import fmt
from openclosed.memo import per_inputs
from openclosed.cost.calculator import GPU_PCTS, busy_share, self_host_label, serving_plans
from openclosed.cost.primitives import HOURS_PER_MONTH, gpus_needed, input_share_from_ratio


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


@per_inputs
def _records(sh: pd.DataFrame) -> list[dict]:
    """The table's rows as dicts, once per table: sizing filters them in Python (callers only read them)."""
    return sh.to_dict("records")


@per_inputs
def _stand_in_model(sh: pd.DataFrame, active_b: float, moe: bool) -> str:
    """The key of the measured model that stands in for a model MLPerf did not run: the same kind (MoE or dense)
    where one exists, nearest in active parameters (log distance; ties: the larger). Once per table and size."""
    kinds = sh.assign(_moe=sh["active_params_b"] < sh["params_b"])
    same = kinds[kinds["_moe"] == moe]
    pool = same if len(same) else kinds
    dist = (np.log(pool["active_params_b"].astype(float)) - math.log(max(active_b, 1e-3))).abs()
    best = pool.assign(_d=dist.round(9)).sort_values(["_d", "active_params_b"], ascending=[True, False],
                                                     kind="mergesort")
    return str(best["model"].iloc[0])


def picked_label(picked: dict) -> str:
    """'DeepSeek V4 Flash 0731 (284B MoE, 13B active)', or '(116.8B)' when the active count is unknown."""
    p, a = float(picked["params_b"]), picked.get("active_params_b")
    a = float(a) if a is not None and np.isfinite(float(a)) else None
    size = f"{fmt.num(p, 0 if p >= 10 else 1)}B"
    if a is not None and a < p:
        return f"{picked['name']} ({size} MoE, {fmt.num(a, 0 if a >= 10 else 1)}B active)"
    return f"{picked['name']} ({size}{' dense' if a is not None else ''})"


@per_inputs
def gpu_hour_prices(gpu_prices: pd.DataFrame, column: str) -> dict[str, float]:
    """$/GPU-hour by GPU from one price column, built once per table."""
    return dict(zip(gpu_prices["gpu"], gpu_prices[column]))


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
    t = _records(sh)            # the rows as dicts: each filter below is a list comprehension, not a frame copy
    largest = sh["params_b"].max()
    gpu_note = ""
    size_of = None          # (params_b, active_params_b, label) of the model sized when it is not the measured one
    if model != "auto" and any(r["model"] == model for r in t):
        t, basis = [r for r in t if r["model"] == model], "chosen"
        if need is not None and need.params_b is not None and t[0]["params_b"] < need.params_b:
            gpu_note = "; it is smaller than the smallest open model that reaches your bar, so it may understate "\
                       "the hardware"
    elif picked is not None and picked.get("params_b") is not None and np.isfinite(float(picked["params_b"])):
        p_total = float(picked["params_b"])
        a = picked.get("active_params_b")
        p_active = float(a) if a is not None and np.isfinite(float(a)) else p_total
        stand_in = _stand_in_model(sh, p_active, p_active < p_total)
        t, basis = [r for r in t if r["model"] == stand_in], "picked"
        size_of = (p_total, p_active, picked_label(picked))
    elif need is None or need.params_b is None:
        t, basis = [r for r in t if r["params_b"] == largest], "unknown"
    elif need.params_b > largest:
        t, basis = [r for r in t if r["params_b"] == largest], "bigger"
    else:
        t, basis = [r for r in t if r["params_b"] >= need.params_b], "size"
    if gpu != "auto":
        if any(r["gpu"] == gpu for r in t):
            t = [r for r in t if r["gpu"] == gpu]
            gpu_note += "; the GPU you chose"
        else:
            gpu_note += f"; MLPerf has no result for this model on {gpu}, so the cheapest measured GPU is used"
    server = {(r["model"], r["gpu"]) for r in t if r["scenario"] == "Server"}
    t = [r for r in t if r["scenario"] == "Server" or (r["model"], r["gpu"]) not in server]
    prices = gpu_hour_prices(gpu_prices, GPU_PCTS.get(gpu_pct, GPU_PCTS["median"]))
    share = input_share_from_ratio(ratio)
    tokens = max(float(tokens), 0.0)
    best, best_key = None, None
    for r in t:
        if not np.isfinite(prices.get(r["gpu"], math.nan)):
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
        for plan in serving_plans(row, gpu_specs, ratio, derate, **kw):
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
