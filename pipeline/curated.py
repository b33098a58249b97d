"""Hand-curated tables: published estimates, chart events and the article's claims.

These live in `pipeline/curated/` (reviewed by hand, every row cited), not in the raw data
directory, so `raw` is accepted only to keep the loader contract.

- `published_estimates.csv`: one row per published figure (value, interval, method, source, date).
  Ranges published without a point value keep `value` empty (NaN) and fill `low`/`high`.
- `events.csv`: dated releases, policy moves and market events for chart annotations.
- `claims.csv`: the article's claims, paraphrased, with the key of the check the core runs and
  the numeric range each claim asserts (empty when the claim is not numeric), and the key of the chart card
  that shows the evidence (`evidence_card`, empty when none; the overview links to it).
- `risk_register.csv`: one row per risk and option it affects, with likelihood and impact ranges (1-5,
  the report's judgment), rationale, mitigation, context links and up to three cited public sources.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.common import SourceOutput, SourceSpec

SOURCE = "curated"
SPEC = SourceSpec(
    key=SOURCE,
    name="Report team's curated tables (each row cites its own public source)",
    license="CC BY 4.0 (this report); cited sources keep their terms",
    citation="Open vs Closed AI report, curated from the sources named in each row",
    snapshot="2026-11-24",
)
CURATED_DIR = Path(__file__).resolve().parent / "curated"

ESTIMATE_COLUMNS = ["estimate_id", "quantity", "value", "low", "high", "interval", "unit", "method",
                    "method_group", "source", "url", "published", "date_precision", "window", "notes"]
EVENT_COLUMNS = ["event_id", "date", "label", "kind", "country", "description", "source", "url"]
CLAIM_COLUMNS = ["claim_id", "claim", "section", "check", "threshold_low", "threshold_high", "unit",
                 "evidence_card"]
# Risk register (owned by the Risk section; scored by openclosed.risk): one row per risk and option it affects.
RISK_COLUMNS = ["risk_id", "option", "risk", "category", "description", "likelihood_low", "likelihood_high",
                "impact_low", "impact_high", "rationale", "mitigation", "amplified_by", "dampened_by",
                "measured_by", "source", "url", "source2", "url2", "source3", "url3"]

METHOD_GROUPS = {"horizontal_lag_eci", "catch_up_benchmarks", "threshold_crossing", "arena_rating", "usage_share"}
EVENT_KINDS = {"open_release", "closed_release", "policy", "price", "market"}
EVENT_COUNTRIES = {"US", "China", "Europe", "other", ""}
CLAIM_SECTIONS = {"performance", "cost", "geopolitics", "risk", "usage"}

_FLOAT_COLUMNS = {
    "published_estimates": ["value", "low", "high"],
    "claims": ["threshold_low", "threshold_high"],
}


def _read(name: str, columns: list[str], key: str, directory: Path) -> pd.DataFrame:
    df = pd.read_csv(directory / f"{name}.csv", dtype=str, keep_default_na=False, encoding="utf-8")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"{name}.csv is missing columns {missing}")
    df = df[columns].copy()
    for col in _FLOAT_COLUMNS.get(name, []):
        text = df[col].str.strip()
        df[col] = pd.to_numeric(text.where(text != ""), errors="raise").astype(float)
    return df.sort_values(key, kind="stable").reset_index(drop=True)


def load(raw: Path | None = None, directory: Path = CURATED_DIR) -> SourceOutput:
    """Read the curated CSVs. `raw` is unused: these tables are not derived from raw files."""
    estimates = _read("published_estimates", ESTIMATE_COLUMNS, "estimate_id", directory)
    events = _read("events", EVENT_COLUMNS, "event_id", directory)
    claims = _read("claims", CLAIM_COLUMNS, "claim_id", directory)
    risk_register = _read("risk_register", RISK_COLUMNS, ["risk_id", "option"], directory)
    for col in ("likelihood_low", "likelihood_high", "impact_low", "impact_high"):
        risk_register[col] = pd.to_numeric(risk_register[col], errors="raise").astype(int)
    return SourceOutput(extra={"published_estimates": estimates, "events": events, "claims": claims,
                               "risk_register": risk_register})
