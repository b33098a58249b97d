"""MLPerf Inference v5.1 and v6.0 datacenter/edge LLM results (raw/mlperf_inference/).

Both rounds are read (v6.0's `summary_results_v6.0.json` when present, SOURCES.md section 17); each group keeps
its best row over both, and `version` says which round it came from. v6.0 adds gpt-oss-120b, Qwen3-VL 235B A22B
and more DeepSeek-R1 systems. v6.0 rows state `Total Accelerators`; it is the GPU count where present.

Extra table `throughput`: one row per (model, accelerator, scenario, category) with the best
`tokens_per_s_per_gpu` = Performance_Result / (Nodes * a#) over the submissions (accelerators are
called GPUs here, AMD and Intel included), `tokens_per_s_system` and `n_gpus` of that row, and the
submitter, system, software, precision, availability and `id` (MLPerf result ID) of that best row,
plus `n_results` (rows in the group).
- Only rows whose Performance_Units is tokens/s (Queries/s and latency rows are dropped).
- Rows without an accelerator count (`a#` empty: CPU-only Xeon submissions) are dropped.
- By default only the closed division (comparable, fixed model and accuracy); `build_throughput`
  takes `categories` to add "open". The `category` column is kept either way.
- Mixed-accelerator systems (e.g. "MI300X (x32), MI325X (x16)") are kept with the accelerator
  string as published; their per-accelerator figure is an average over both kinds.
- `gpu` maps the accelerator to a `gpu_prices` label ("H100 SXM5", "H200", "B200"); "" when no
  rented GPU matches (GB200/GB300 superchips, AMD, RTX, H200 NVL which is a different board from
  the SXM H200 in the rental data).
- `params_b` / `active_params_b`: total / active parameters in billions from the public model
  cards (Llama 2 70B, Llama 3.1 405B / 8B, Mixtral 8x7B 46.7 total / 12.9 active, DeepSeek-R1
  671 total / 37 active); `model_name` is a display name. llama2-70b-99 and -99.9 are the same
  model at two accuracy targets (99% / 99.9% of the FP16 reference).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from pipeline.common import SourceOutput, SourceSpec, read_csv, to_float

SOURCE = "mlperf"
SPEC = SourceSpec(
    key=SOURCE,
    name="MLCommons MLPerf Inference v5.1 and v6.0, LLM results",
    license="MLCommons published results (v6.0 summary: Apache-2.0)",
    citation="MLCommons MLPerf Inference v5.1 (2025-09-09) and v6.0 (2026-03-26)",
    snapshot="2026-03-26",
    files=("mlperf_inference/*",),
    carry=("mlperf_inference/*",),
)
FILE = "mlperf_inference_v5.1_llm_results.csv"

# MLPerf benchmark model key -> (display name, total params B, active params B)
MODELS: dict[str, tuple[str, float, float]] = {
    "llama2-70b-99": ("Llama 2 70B (99% accuracy target)", 70.0, 70.0),
    "llama2-70b-99.9": ("Llama 2 70B (99.9% accuracy target)", 70.0, 70.0),
    "llama3.1-405b": ("Llama 3.1 405B", 405.0, 405.0),
    "llama3.1-8b": ("Llama 3.1 8B", 8.0, 8.0),
    "llama3.1-8b-edge": ("Llama 3.1 8B (edge)", 8.0, 8.0),
    "mixtral-8x7b": ("Mixtral 8x7B", 46.7, 12.9),
    "deepseek-r1": ("DeepSeek-R1", 671.0, 37.0),
    # OpenAI's model card: 117B parameters (116.83B per Epoch), 5.1B active; Qwen's: 235B total, 22B active
    "gpt-oss-120b": ("gpt-oss-120b", 116.83, 5.1),
    "qwen3-vl-235b-a22b": ("Qwen3-VL 235B A22B", 235.0, 22.0),
}
FILE_V6 = "summary_results_v6.0.json"

COLUMNS = ["model", "model_name", "params_b", "active_params_b", "accelerator", "gpu", "scenario", "category",
           "tokens_per_s_per_gpu", "tokens_per_s_system", "n_gpus", "submitter", "system",
           "software", "precision", "availability", "id", "n_results", "version"]


def gpu_label(accelerator: str) -> str:
    """MLPerf accelerator name -> gpu_prices `gpu` label, '' when no rental GPU matches."""
    a = str(accelerator).strip()
    if "," in a or not a.upper().replace("VIRTUALIZED ", "").startswith("NVIDIA"):
        return ""
    a = a.upper()
    if re.search(r"\bGB\d{3}\b", a):
        return ""
    if re.search(r"\bH100[- ]SXM", a):
        return "H100 SXM5"
    if re.search(r"\bH100[- ]PCIE", a):
        return "H100 PCIe"
    if re.search(r"\bH200[- ]SXM", a):
        return "H200"
    if re.search(r"\bB200\b", a):
        return "B200"
    if re.search(r"\bA100\b", a):
        mem = "80GB" if "80GB" in a else ""
        kind = "SXM4" if "SXM" in a else "PCIe" if "PCIE" in a else ""
        return f"A100 {mem} {kind}" if mem and kind else ""
    if re.search(r"\bGH200\b", a):
        return "GH200"
    return ""


def build_throughput(rows: pd.DataFrame, categories: tuple[str, ...] = ("closed",)) -> pd.DataFrame:
    df = rows.copy()
    df = df[df["Performance_Units"].str.strip().str.lower() == "tokens/s"]
    df = df[df["Category"].isin(categories)]
    df["_perf"] = df["Performance_Result"].map(to_float)
    df["_n"] = df["Nodes"].map(to_float) * df["a#"].map(to_float)
    if "Total Accelerators" in df:     # v6.0 states the count (Nodes x a# can differ from it)
        total = df["Total Accelerators"].map(to_float)
        df["_n"] = total.where(total > 0, df["_n"])
    df = df[(df["_n"] > 0) & (df["_perf"] > 0) & (df["Accelerator"].str.strip() != "")]
    df["_per"] = df["_perf"] / df["_n"]
    out = []
    keys = ["Model", "Accelerator", "Scenario", "Category"]
    for key, g in df.groupby(keys, sort=True):
        g = g.sort_values(["_per", "ID", "System"], ascending=[False, True, True], kind="mergesort")
        best = g.iloc[0]
        model = key[0]
        name, params, active = MODELS.get(model, (model, float("nan"), float("nan")))
        out.append({
            "model": model, "model_name": name, "params_b": params, "active_params_b": active,
            "accelerator": key[1], "gpu": gpu_label(key[1]), "scenario": key[2], "category": key[3],
            "tokens_per_s_per_gpu": float(best["_per"]), "tokens_per_s_system": float(best["_perf"]),
            "n_gpus": int(best["_n"]), "submitter": best["Submitter"], "system": best["System"],
            "software": best["Software"], "precision": best["weight_data_types"],
            "availability": best["Availability"], "id": best["ID"], "n_results": int(len(g)),
            "version": str(best.get("version", "") or "v5.1") if "version" in best else "v5.1",
        })
    return pd.DataFrame(out, columns=COLUMNS)


def read_v6(path: Path) -> pd.DataFrame:
    """The v6.0 summary JSON as the v5.1 CSV's string columns (missing values as '')."""
    df = pd.DataFrame(json.loads(Path(path).read_text(encoding="utf-8")))
    return df.astype(object).where(df.notna(), "").astype(str)


def load(raw: Path) -> SourceOutput:
    rows = read_csv(Path(raw) / "mlperf_inference" / FILE)
    v6 = Path(raw) / "mlperf_inference" / FILE_V6
    if v6.is_file():
        rows = pd.concat([rows, read_v6(v6)], ignore_index=True).fillna("")
    return SourceOutput(extra={"throughput": build_throughput(rows)})
