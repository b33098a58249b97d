"""Input data of Epoch's 2024 report "How far behind are open models?" (SOURCES.md section 4).

Produces one extra table, ``report2024``, in long form, to reproduce the report's lag analysis:

- ``system``: the model name as in the file.
- ``date``: publication date (YYYY-MM-DD).
- ``open``: bool from ``Open/Closed``.
- ``benchmark``: ``MMLU``, ``GPQA``, ``BBH`` (from benchmarks_with_model_accessibility.csv),
  ``GSM1k`` and ``training_compute`` (either file).
- ``column``: the file column the value comes from. GSM1k rows come from the GSM1k file's ``GSM1k``
  column and from the benchmarks file's ``SEAL Math`` column: the report's notebook
  (``benchmark_analysis.ipynb``) writes Scale's SEAL Math scores (a GSM1k-based leaderboard) into GSM1k
  for the benchmarks file's models, then pools them with the GSM1k file. The two files name models
  differently (``Llama 3 70B`` vs ``Meta-Llama-3-70B``), so no system appears twice.
- ``value``: as in the file. Benchmark scores are **fractions (0-1)**, not percentages;
  ``training_compute`` rows hold FLOP.
- ``training_compute_flop``: the system's training compute (NaN if unknown).
- ``speculative_compute_flop``: the GSM1k file's "Speculative Compute" column (an estimate the
  file gives when ``Training compute`` is empty; NaN otherwise).
- ``trust``: "Trust in benchmark results" from the benchmarks file (-1, 0, 1; NaN for GSM1k rows).
- ``file``: which input file the row comes from.

Rows without a date or without an Open/Closed label (the "Random chance" reference row; six
undated GSM1k rows) are dropped: the lag method needs both. No mentions (models up to 2024-09 are
covered better by Epoch's model tables).
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.common import SourceOutput, SourceSpec, iso_date, read_csv, to_float

SOURCE = "epoch_report2024"
SPEC = SourceSpec(
    key=SOURCE,
    name="Epoch AI, 'How far behind are open models?' (2024) input data",
    license="CC BY 4.0 (Epoch publishes its work under CC BY)",
    citation="Cottier et al., 'How far behind are open models?', Epoch AI, 2024",
    snapshot="2024-11-05",
    files=("epoch_open_models_report_2024/*",),
    carry=("epoch_open_models_report_2024/*",),
)
DIR = "epoch_open_models_report_2024"
BENCH_FILE = "benchmarks_with_model_accessibility.csv"
GSM_FILE = "gsm1k_with_model_accessibility.csv"
TABLE = "report2024"
COLUMNS = ["system", "date", "open", "benchmark", "column", "value", "training_compute_flop",
           "speculative_compute_flop", "trust", "file"]

# (file, ((benchmark, file column), ...))
_FILES = ((BENCH_FILE, (("MMLU", "MMLU"), ("GPQA", "GPQA"), ("BBH", "BBH"), ("GSM1k", "SEAL Math"))),
          (GSM_FILE, (("GSM1k", "GSM1k"),)))


def _open(label: str) -> bool | None:
    label = str(label or "").strip().lower()
    return {"open": True, "closed": False}.get(label)


def load(raw: Path) -> SourceOutput:
    base = Path(raw) / DIR
    rows: list[dict] = []
    for fname, benches in _FILES:
        path = base / fname
        if not path.exists():
            continue
        df = read_csv(path)
        for rec in df.to_dict("records"):
            system = str(rec.get("System", "")).strip()
            date = iso_date(rec.get("Date", ""))
            is_open = _open(rec.get("Open/Closed", ""))
            if not system or not date or is_open is None:
                continue
            compute = to_float(rec.get("Training compute (FLOP)", ""))
            common = {"system": system, "date": date, "open": is_open, "training_compute_flop": compute,
                      "speculative_compute_flop": to_float(rec.get("Speculative Compute", "")),
                      "trust": to_float(rec.get("Trust in benchmark results", "")), "file": fname}
            for bench, column in benches:
                value = to_float(rec.get(column, ""))
                if value == value:
                    rows.append({**common, "benchmark": bench, "column": column, "value": value})
            if compute == compute:
                rows.append({**common, "benchmark": "training_compute", "column": "Training compute (FLOP)",
                             "value": compute})
    table = pd.DataFrame(rows, columns=COLUMNS)
    table["open"] = table["open"].astype(bool)
    table = table.sort_values(["benchmark", "date", "system", "file"], kind="mergesort").reset_index(drop=True)
    return SourceOutput(extra={TABLE: table})
