"""Serving physics for self-hosting: does a model fit in the GPUs' memory, how many GPUs a replica needs, and
how fast it serves prefill (input) and decode (output) tokens. Pure functions; every rule is stated here.

Rules
- **Memory fit.** A replica holds the weights (total parameters x bytes per parameter at the precision) plus the
  KV cache for ``concurrency`` sequences of ``context`` tokens each, inside (1 - HEADROOM) of its GPUs' memory
  (the rest is activations, CUDA graphs and fragmentation; vLLM's default ``gpu_memory_utilization`` is 0.9).
- **Replica size.** Tensor parallelism splits a model over 1, 2, 4 or 8 GPUs (powers of two, as serving engines
  require), then whole 8-GPU nodes. The replica is the smallest such count that fits; never fewer.
- **Decode throughput.** MLPerf's tokens/s per GPU (output tokens, measured at the system size it names), times
  the reader's derate. A replica smaller than the measured system has less KV memory per GPU, so smaller batches:
  the throughput is scaled by the ratio of free memory per GPU (capped at 1) and marked an estimate. A model MLPerf
  did not measure takes a measured model's throughput scaled by their active parameters (capped at 1, never
  extrapolated upward), marked an estimate.
- **Prefill throughput.** Compute-bound: dense tensor TFLOPS at the precision x PREFILL_MFU / (2 x active
  parameters) tokens/s per GPU. MLPerf's own figure already includes prefilling its benchmark's prompts, so
  charging the reader's input tokens on top errs towards a higher self-hosting cost.
- **Traffic capacity.** A GPU serving an input:output mix of r:1 spends 1/decode + r/prefill seconds per output
  token: effective output tokens/s = 1 / (1/decode + r/prefill).
"""
from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd

HEADROOM = 0.10            # share of GPU memory kept free of weights and KV cache
PREFILL_MFU = 0.40         # assumed share of dense peak TFLOPS a prefill pass reaches
DEFAULT_CONTEXT = 4096     # tokens held per sequence (prompt + answer)
DEFAULT_CONCURRENCY = 32   # sequences in flight per replica
NODE_GPUS = 8
BYTES_PER_PARAM = {"fp4": 0.5, "mxfp4": 0.5, "nvfp4": 0.5, "uint4": 0.5, "int4": 0.5, "fp8": 1.0, "int8": 1.0, "fp16": 2.0, "bf16": 2.0}
KV_BYTES_PER_ELEMENT = 2.0  # KV cache kept at bf16 (conservative: engines may store it at fp8)

# KV cache elements per token (K and V over all layers), from each model's published config.json:
# GQA: 2 x layers x KV heads x head dim; DeepSeek MLA: layers x (kv_lora_rank + rope dim).
KV_ELEMENTS_PER_TOKEN: dict[str, tuple[int, str]] = {
    "llama2-70b-99": (2 * 80 * 8 * 128, "https://huggingface.co/meta-llama/Llama-2-70b-hf/blob/main/config.json"),
    "llama2-70b-99.9": (2 * 80 * 8 * 128, "https://huggingface.co/meta-llama/Llama-2-70b-hf/blob/main/config.json"),
    "llama3.1-405b": (2 * 126 * 8 * 128, "https://huggingface.co/meta-llama/Llama-3.1-405B/blob/main/config.json"),
    "llama3.1-8b": (2 * 32 * 8 * 128, "https://huggingface.co/meta-llama/Llama-3.1-8B/blob/main/config.json"),
    "mixtral-8x7b": (2 * 32 * 8 * 128, "https://huggingface.co/mistralai/Mixtral-8x7B-v0.1/blob/main/config.json"),
    "deepseek-r1": (61 * (512 + 64), "https://huggingface.co/deepseek-ai/DeepSeek-R1/blob/main/config.json"),
    "gpt-oss-120b": (2 * 36 * 8 * 64, "https://huggingface.co/openai/gpt-oss-120b/blob/main/config.json"),
}


def bytes_per_param(precision: str) -> float:
    return BYTES_PER_PARAM.get(str(precision or "").strip().lower(), 2.0)


def weights_gb(params_b: float, precision: str) -> float:
    """GB of weights: billions of parameters x bytes per parameter."""
    return float(params_b) * bytes_per_param(precision)


def kv_bytes_per_token(model: str, params_b: float) -> tuple[float, bool]:
    """(KV cache bytes per token, stated): the model's own architecture when known; else the estimate of a
    grouped-query dense model: the KV size of the smallest listed Llama at least as large (the largest if none)."""
    if model in KV_ELEMENTS_PER_TOKEN:
        return KV_ELEMENTS_PER_TOKEN[model][0] * KV_BYTES_PER_ELEMENT, True
    llamas = sorted([(8.0, "llama3.1-8b"), (70.0, "llama2-70b-99"), (405.0, "llama3.1-405b")])
    pick = next((k for p, k in llamas if p >= float(params_b or 0)), llamas[-1][1])
    return KV_ELEMENTS_PER_TOKEN[pick][0] * KV_BYTES_PER_ELEMENT, False


def kv_cache_gb(kv_bytes_token: float, context: int, concurrency: int) -> float:
    return float(kv_bytes_token) * max(int(context), 1) * max(int(concurrency), 1) / 1e9


def usable_gb(n_gpus: int, memory_gb: float, headroom: float = HEADROOM) -> float:
    return float(n_gpus) * float(memory_gb) * (1.0 - float(headroom))


def supported_sizes(limit: int = 1024):
    """GPU counts a tensor-parallel replica can use: 1, 2, 4, 8, then whole 8-GPU nodes."""
    n = 1
    while n < NODE_GPUS:
        yield n
        n *= 2
    n = NODE_GPUS
    while n <= limit:
        yield n
        n += NODE_GPUS


def replica_gpus(need_gb: float, memory_gb: float, headroom: float = HEADROOM) -> int | None:
    """The smallest supported GPU count whose usable memory holds ``need_gb``; None when nothing up to 1,024 does."""
    if not memory_gb or not np.isfinite(memory_gb) or memory_gb <= 0:
        return None
    for n in supported_sizes():
        if usable_gb(n, memory_gb, headroom) >= float(need_gb) - 1e-9:
            return n
    return None


def tflops_at(spec: dict | pd.Series | None, precision: str) -> float:
    """Dense tensor TFLOPS at the precision, else at the next wider format the GPU has (fp4 -> fp8 -> bf16)."""
    if spec is None:
        return float("nan")
    p = str(precision or "").strip().lower()
    order = {"fp4": ["fp4", "fp8", "bf16"], "mxfp4": ["fp4", "fp8", "bf16"], "nvfp4": ["fp4", "fp8", "bf16"],
             "uint4": ["fp8", "bf16"], "int4": ["fp8", "bf16"],
             "fp8": ["fp8", "bf16"], "int8": ["fp8", "bf16"]}.get(p, ["bf16"])
    for k in order:
        v = spec.get(f"{k}_tflops") if hasattr(spec, "get") else None
        try:
            v = float(v)
        except (TypeError, ValueError):
            continue
        if np.isfinite(v) and v > 0:
            return v
    return float("nan")


def prefill_tokens_per_s(tflops: float, active_params_b: float, mfu: float = PREFILL_MFU) -> float:
    """Compute-bound prefill tokens/s per GPU: TFLOPS x MFU / (2 x active parameters)."""
    if not np.isfinite(tflops) or tflops <= 0 or not active_params_b or active_params_b <= 0:
        return float("nan")
    return float(tflops) * 1e12 * float(mfu) / (2.0 * float(active_params_b) * 1e9)


def effective_output_tps(decode_tps: float, prefill_tps: float, ratio: float) -> float:
    """Output tokens/s per GPU once each output token's ``ratio`` input tokens are prefilled on the same GPU.

    Without a prefill rate (unknown GPU) input tokens cannot be costed and the decode rate is returned."""
    d = float(decode_tps)
    r = max(float(ratio), 0.0)
    if not np.isfinite(prefill_tps) or prefill_tps <= 0 or r == 0:
        return d
    return 1.0 / (1.0 / d + r / float(prefill_tps))


@dataclasses.dataclass(frozen=True)
class Plan:
    """One replica of a model on one GPU type: what it holds, how many GPUs, how fast."""
    gpu: str
    precision: str
    memory_gb: float
    weights_gb: float
    kv_gb: float                # KV cache for the stated context x concurrency
    kv_stated: bool             # the model's own KV size (else the dense-GQA estimate)
    replica: int | None         # GPUs per replica; None = does not fit
    measured_gpus: int          # GPUs of the MLPerf system the throughput comes from
    mlperf_tps: float           # MLPerf's output tokens/s per GPU (its own row)
    decode_tps: float           # used: x derate x memory factor x size factor
    prefill_tps: float          # used: compute rule (nan: GPU specs unknown)
    effective_tps: float        # output tokens/s per GPU with prefill time included
    estimate: bool              # outside MLPerf's measured configuration
    why: str                    # the rule applied, in words

    @property
    def fits(self) -> bool:
        return self.replica is not None


def plan(*, model: str, params_b: float, active_params_b: float, precision: str, memory_gb: float,
         spec: dict | pd.Series | None, gpu: str, mlperf_tps: float, measured_gpus: int, ratio: float,
         derate: float = 1.0, context: int = DEFAULT_CONTEXT, concurrency: int = DEFAULT_CONCURRENCY,
         headroom: float = HEADROOM, size_factor: float = 1.0, size_note: str = "", min_replica: int = 1) -> Plan:
    """Size one replica and derive its throughput (module docstring: the rules). ``min_replica``: a bigger
    replica than the smallest that fits (rounded up to a supported size)."""
    w = weights_gb(params_b, precision)
    kvb, stated = kv_bytes_per_token(model, params_b)
    kv = kv_cache_gb(kvb, context, concurrency)
    rep = replica_gpus(w + kv, memory_gb, headroom)
    if rep is not None and min_replica > rep:
        rep = next(n for n in supported_sizes(max(int(min_replica), NODE_GPUS)) if n >= min_replica)
    measured = max(int(measured_gpus or 1), 1)
    notes = []
    mem_factor = 1.0
    if rep is not None and rep != measured:
        free_here = (usable_gb(rep, memory_gb, headroom) - w) / rep
        free_measured = (usable_gb(measured, memory_gb, headroom) - w) / measured
        mem_factor = min(1.0, max(free_here, 0.0) / free_measured) if free_measured > 0 else 1.0
        notes.append(f"MLPerf measured {measured} GPUs and the replica has {rep}: decode scaled by the free memory "
                     f"per GPU, ×{mem_factor:.2f}")
    if size_factor != 1.0 or size_note:
        notes.append(size_note or f"decode scaled by active parameters, ×{size_factor:.2f}")
    decode = float(mlperf_tps) * float(derate) * mem_factor * float(size_factor)
    prefill = prefill_tokens_per_s(tflops_at(spec, precision), active_params_b)
    eff = effective_output_tps(decode, prefill, ratio) if decode > 0 else 0.0
    estimate = bool(notes)
    if rep is None:
        why = f"{w + kv:,.0f} GB of weights and KV cache do not fit on any supported number of {gpu}"
    else:
        why = (f"{w:,.0f} GB of weights ({params_b:g}B × {bytes_per_param(precision):g} bytes at {precision}) + "
               f"{kv:,.0f} GB KV cache ({concurrency} sequences × {context:,} tokens"
               f"{'' if stated else ', size estimated from a dense model as large'}) fit in {rep} × {gpu} "
               f"({usable_gb(rep, memory_gb, headroom):,.0f} GB usable, {headroom:.0%} kept free)")
        if notes:
            why += "; estimate: " + "; ".join(notes)
    return Plan(gpu, str(precision), float(memory_gb), w, kv, stated, rep, measured, float(mlperf_tps), decode,
                prefill, eff, estimate, why)


def whole_gpus(n_needed: float, replica: int, floor_gpus: int = 1) -> int:
    """Whole replicas: the GPU count rounded up to a multiple of the replica size, at least ``floor_gpus``."""
    r = max(int(replica), 1)
    n = max(float(n_needed), float(floor_gpus), 1.0)
    return int(math.ceil(n / r * (1.0 - 1e-12)) * r)
