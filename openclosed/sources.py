"""Provenance of each raw source: origin, license and the citation to show.

Dates are not typed here: each source's ``snapshot`` (newest snapshot it holds) and ``data_ends`` (newest date its
rows reach) come from data/source_dates.csv, which the build computes from what each loader read. The typed
``snapshot`` below is only the fallback for a source whose rows carry no date (MLPerf's results tables)."""
from __future__ import annotations

import csv
from pathlib import Path

SOURCES: dict[str, dict[str, str]] = {
    "epoch_models": {
        "name": "Epoch AI, Data on AI Models (notable and large-scale lists)",
        "license": "CC BY 4.0", "snapshot": "2026-01-20",
        "citation": "Epoch AI, 'Data on AI Models', epoch.ai/data/ai-models",
    },
    "eci": {
        "name": "Epoch Capabilities Index (every export in the data; each chart names the one it uses)",
        "license": "CC BY 4.0", "snapshot": "2026-03-09",
        "citation": "Epoch AI, 'Epoch Capabilities Index', epoch.ai/benchmarks/eci",
    },
    "eci_stitched": {
        "name": "Stitched ECI: this report's estimates on the newest ECI export's scale for models it does not "
                "score, from their Artificial Analysis and LiveBench results (method of Epoch AI's 'A Rosetta "
                "Stone for AI Benchmarks'); not Epoch's ECI",
        "license": "CC BY 4.0 (this report); inputs keep their terms", "snapshot": "2026-07-31",
        "citation": "This report's stitched ECI estimates (method: Epoch AI, 'A Rosetta Stone for AI Benchmarks', "
                    "epoch-research/benchmark-stitching)",
    },
    "epoch_hub": {
        "name": "Epoch AI Benchmarking Hub (every snapshot in the data; each chart names the one it uses)",
        "license": "CC BY 4.0", "snapshot": "2025-12-17",
        "citation": "Epoch AI, 'AI Benchmarking', epoch.ai/benchmarks",
    },
    "epoch_report2024": {
        "name": "Epoch AI, 'How far behind are open models?' (2024) input data",
        "license": "CC BY 4.0 (Epoch publishes its work under CC BY)", "snapshot": "2024-11-05",
        "citation": "Cottier et al., 'How far behind are open models?', Epoch AI, 2024",
    },
    "artificial_analysis": {
        "name": "Artificial Analysis free data API (models, v4.1 Intelligence Index, prices)",
        "license": "Attribution required (Artificial Analysis terms of use)", "snapshot": "2026-07-31",
        "citation": "Artificial Analysis, artificialanalysis.ai",
    },
    "aa_index_runs": {
        "name": "Artificial Analysis: cost and tokens of one Intelligence Index run per model, and cost per task",
        "license": "Attribution required (Artificial Analysis terms of use)", "snapshot": "2026-07-31",
        "citation": "Artificial Analysis, artificialanalysis.ai (via Nirvaxstiel/artificialanalysis-at-home)",
    },
    "models_dev": {
        "name": "models.dev community model and price catalog",
        "license": "MIT", "snapshot": "2026-07-02",
        "citation": "models.dev (anomalyco/models.dev)",
    },
    "openrouter": {
        "name": "OpenRouter model catalog and price history (jvrck/openrouterlist)",
        "license": "MIT (collector); prices are OpenRouter's public listing", "snapshot": "2026-08-22",
        "citation": "OpenRouter /api/v1/models, via jvrck/openrouterlist",
    },
    "lmarena": {
        "name": "LMArena (Chatbot Arena) text ratings over time",
        "license": "LMArena data; collector repos MPL-2.0 / unstated", "snapshot": "2025-12-17",
        "citation": "LMArena, lmarena.ai (histories via jasontrigg0, fboulnois, lmarena/arena-catalog)",
    },
    "livebench": {
        "name": "LiveBench leaderboard tables",
        "license": "Apache-2.0 / CC (LiveBench)", "snapshot": "2026-07-01",
        "citation": "White et al., 'LiveBench', 2024; livebench.ai",
    },
    "swebench": {
        "name": "SWE-bench leaderboards (Verified and bash-only)",
        "license": "CC BY-NC 4.0", "snapshot": "2025-12-10",
        "citation": "SWE-bench, swebench.com (CC BY-NC 4.0)",
    },
    "mlperf": {
        "name": "MLCommons MLPerf Inference v5.1 and v6.0, LLM results",
        "license": "MLCommons published results (v6.0 summary: Apache-2.0)", "snapshot": "2026-03-26",
        "citation": "MLCommons MLPerf Inference v5.1 (2025-09-09) and v6.0 (2026-03-26)",
    },
    "gpu_prices": {
        "name": "GPU rental marketplace prices (tugot17/gpu-price-tracker, Prime Intellect aggregate)",
        "license": "MIT", "snapshot": "2025-11-16",
        "citation": "tugot17/gpu-price-tracker, 2025-10-19 to 2025-11-16",
    },
    "gpu_specs": {
        "name": "GPU datasheets (NVIDIA, AMD): memory, bandwidth, dense TFLOPS; curated, one source per row",
        "license": "manufacturers' public specifications", "snapshot": "2026-12-04", "reference": "yes",
        "citation": "NVIDIA and AMD datasheets as cited per row of data/gpu_specs.csv",
    },
    "model_params": {
        "name": "Parameter counts of open models: Epoch AI notable models (2026-07-15) and model cards, curated",
        "license": "CC BY 4.0 (Epoch AI); model cards as cited per row", "snapshot": "2026-07-15",
        "citation": "Epoch AI, 'Data on AI Models' (notable models, 2026-07-15), and the model cards cited per row",
    },
    "curated": {
        "name": "Report team's curated tables (each row cites its own public source)",
        "license": "CC BY 4.0 (this report); cited sources keep their terms", "snapshot": "2026-11-24",
        "citation": "Open vs Closed AI report, curated from the sources named in each row",
    },
}


def _dates_from_build(path: Path = Path(__file__).resolve().parent.parent / "data" / "source_dates.csv") -> None:
    if path.exists():
        with open(path, newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                if row["source"] in SOURCES and row["snapshot"]:
                    SOURCES[row["source"]].update(snapshot=row["snapshot"], data_ends=row["data_ends"] or row["snapshot"])
    for spec in SOURCES.values():
        spec.setdefault("data_ends", spec["snapshot"])


_dates_from_build()
