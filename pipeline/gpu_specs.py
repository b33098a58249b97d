"""GPU specifications for sizing a self-hosted deployment: a curated table, one cited row per GPU.

`pipeline/curated/gpu_specs.csv` -> extra table `gpu_specs`: `gpu` (the label used by `gpu_prices` and
`throughput`, plus AMD and L40S parts MLPerf measured), `memory_gb` (memory per GPU), `bandwidth_tb_s` (memory
bandwidth), `bf16_tflops` / `fp8_tflops` / `fp4_tflops` (dense tensor throughput; empty where the GPU has no
such format), `source`, `url`, `notes`. Not derived from raw files: `raw` is accepted for the loader contract.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.common import SourceOutput, SourceSpec, read_curated

SOURCE = "gpu_specs"
SPEC = SourceSpec(
    key=SOURCE,
    name="GPU datasheets (NVIDIA, AMD): memory, bandwidth, dense TFLOPS; curated, one source per row",
    license="manufacturers' public specifications",
    citation="NVIDIA and AMD datasheets as cited per row of data/gpu_specs.csv",
    snapshot="2026-12-04",
    reference=True,
)
FILE = Path(__file__).resolve().parent / "curated" / "gpu_specs.csv"
NUMERIC = ["memory_gb", "bandwidth_tb_s", "bf16_tflops", "fp8_tflops", "fp4_tflops"]
COLUMNS = ["gpu"] + NUMERIC + ["source", "url", "notes"]


def build(path: Path = FILE) -> pd.DataFrame:
    return read_curated(path, COLUMNS, NUMERIC, "gpu")


def load(raw: Path | None = None) -> SourceOutput:
    return SourceOutput(extra={"gpu_specs": build()})
