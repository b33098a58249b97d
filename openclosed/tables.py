"""The curated tables in data/: schemas, loading with validation, and provenance.

Every table is validated with pandera when the pipeline writes it and again when the app loads it.
A violation raises `TableError` naming the table, the column and the offending rows.
"""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from openclosed.openness import CLASSES

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


class TableError(ValueError):
    """A table broke its schema. The message names table, column and rows."""


def _c(dtype, *checks, nullable=False, unique=False, required=True):
    return pa.Column(dtype, checks=list(checks), nullable=nullable, unique=unique, required=required, coerce=True)


_DATE = pa.Check.str_matches(r"^\d{4}-\d{2}-\d{2}$")
_DATE_OR_EMPTY = pa.Check.str_matches(r"^(\d{4}-\d{2}-\d{2})?$")
_NONNEG = pa.Check.ge(0)
_PRICE = pa.Check.in_range(0, 10_000)


@dataclasses.dataclass(frozen=True)
class Table:
    name: str
    description: str
    key: tuple[str, ...]
    columns: dict[str, pa.Column]

    @property
    def schema(self) -> pa.DataFrameSchema:
        return pa.DataFrameSchema(self.columns, unique=list(self.key), strict=False, name=self.name)


TABLES: dict[str, Table] = {}


def register(table: Table) -> Table:
    TABLES[table.name] = table
    return table


register(Table(
    "models", "Model catalog: one row per model, merged across sources, with openness and source ids.",
    ("model_id",),
    {
        "model_id": _c(str, pa.Check.str_matches(r"^[a-z0-9][a-z0-9-]*$"), unique=True),
        "name": _c(str, pa.Check.str_length(1, 200)),
        "organization": _c(str, nullable=True),
        "country": _c(str, nullable=True),
        # organization entities (data/organizations.csv): ids ';'-joined; lab = the first one's top parent
        "org_ids": _c(str, nullable=True, required=False),
        "lab_id": _c(str, nullable=True, required=False),
        "release_date": _c(str, _DATE_OR_EMPTY),
        # which source gave the date, and whether it is a stated release, a first listing or a curated row
        "release_date_source": _c(str, nullable=True, required=False),
        "release_date_kind": _c(str, pa.Check.isin(["release", "first_listed", "curated", ""]), nullable=True,
                                required=False),
        "openness": _c(str, pa.Check.isin(CLASSES)),
        "open_weights": _c(bool),
        "openness_source": _c(str),
        "openness_basis": _c(str, pa.Check.isin(["override", "curated_license", "license", "epoch", "flag", "none"])),
        "license": _c(str, nullable=True),
        # for an open class: what shows the weights were released (a link, Epoch's class, a licence text, a cited row)
        "weights_evidence": _c(str, nullable=True, required=False),
        "family": _c(str),
        "metadata_unverified": _c(bool),
        "preview": _c(bool),
        "n_sources": _c(int, pa.Check.ge(1)),
    },
))

register(Table(
    "organizations", "Organizations as entities: canonical id and name, every spelling the sources use, country, "
    "type and parent (a brand's owner), with the number of catalog models pointing to each.",
    ("org_id",),
    {
        "org_id": _c(str, pa.Check.str_matches(r"^[a-z0-9][a-z0-9-]*$"), unique=True),
        "name": _c(str, pa.Check.str_length(1, 200)),
        "aliases": _c(str, nullable=True),
        "country": _c(str, nullable=True),
        "type": _c(str, pa.Check.isin(["company", "university", "research_institute", "government_lab",
                                       "nonprofit", "brand", "community"])),
        "parent": _c(str, nullable=True),
        "model_prefixes": _c(str, nullable=True, required=False),
        "source": _c(str, nullable=True),
        "n_models": _c(int, pa.Check.ge(0)),
    },
))

register(Table(
    "mentions", "Crosswalk: every model id of every source, the catalog model it is matched to, how and why.",
    ("source", "source_id"),
    {
        "source": _c(str),
        "source_id": _c(str),
        "name": _c(str),
        "model_id": _c(str, pa.Check.str_matches(r"^[a-z0-9][a-z0-9-]*$")),
        "method": _c(str, pa.Check.isin(["rule", "alias", "review"])),
        "reason": _c(str),
    },
))

register(Table(
    "scores", "Capability scores in long form: model, metric, value, date, snapshot, source.",
    ("model_id", "metric", "snapshot", "variant", "source_id"),
    {
        "model_id": _c(str),
        "source": _c(str),
        "source_id": _c(str),
        "metric": _c(str, pa.Check.str_matches(r"^[a-z0-9_]+$")),
        "value": _c(float, pa.Check(lambda s: s.notna() & (s.abs() < 1e6), element_wise=False,
                                    error="value must be finite")),
        "date": _c(str, _DATE_OR_EMPTY),
        "snapshot": _c(str),
        "variant": _c(str, nullable=True),
        "stderr": _c(float, nullable=True),
        "ci_low": _c(float, nullable=True),
        "ci_high": _c(float, nullable=True),
    },
))

register(Table(
    "prices", "Current prices per model in USD per million tokens: lab list, cheapest host, AA reference.",
    ("model_id", "price_kind", "provider", "source_id"),
    {
        "model_id": _c(str),
        "source": _c(str),
        "source_id": _c(str),
        "price_kind": _c(str, pa.Check.isin(["lab_list", "cheapest_host", "aa_reference", "host"])),
        "provider": _c(str),
        "input_usd_per_mtok": _c(float, _PRICE),
        "output_usd_per_mtok": _c(float, _PRICE),
        "cache_read_usd_per_mtok": _c(float, _PRICE, nullable=True),
        "as_of": _c(str, _DATE),
        # role of `provider` in pipeline/curated/hosts.csv (lab, inference_host, reseller, router, reference)
        "host_role": _c(str, pa.Check.isin(["lab", "inference_host", "reseller", "router", "reference"])),
        # blended (3:1) price below the same model's lab_list price: yes/no; empty when there is no
        # lab list price or the row is the lab list price
        "below_lab_list": _c(str, pa.Check.isin(["yes", "no", ""]), nullable=True),
    },
))

register(Table(
    "epoch_models", "Epoch's notable and large-scale models: country, accessibility, date, compute.",
    ("model",),
    {
        "model": _c(str, unique=True),
        "organization": _c(str, nullable=True),
        "country": _c(str, nullable=True),
        "publication_date": _c(str, _DATE),
        "openness": _c(str, pa.Check.isin(CLASSES)),
        "training_compute_flop": _c(float, pa.Check.gt(0), nullable=True),
        "compute_confidence": _c(str, nullable=True),
        "parameters": _c(float, nullable=True),
        "domain": _c(str, nullable=True),
        "notable": _c(bool),
        "large_scale": _c(bool),
    },
))

register(Table(
    "match_coverage", "Cross-source matching: per source, rows matched to a model seen in another source.",
    ("source",),
    {
        "source": _c(str, unique=True),
        "mentions": _c(int, _NONNEG),
        "matched_elsewhere": _c(int, _NONNEG),
        "share_matched": _c(float, pa.Check.in_range(0, 1)),
        "notable_unmatched": _c(str, nullable=True),
    },
))


register(Table(
    "published_estimates", "Published estimates of the open-closed gap and usage share, with intervals and sources.",
    ("estimate_id",),
    {
        "estimate_id": _c(str, unique=True),
        "quantity": _c(str),
        "value": _c(float, nullable=True),
        "low": _c(float, nullable=True),
        "high": _c(float, nullable=True),
        "interval": _c(str, nullable=True),
        "unit": _c(str),
        "method": _c(str, pa.Check.str_length(1, 400)),
        "method_group": _c(str, pa.Check.isin(["horizontal_lag_eci", "catch_up_benchmarks", "threshold_crossing",
                                              "arena_rating", "usage_share"])),
        "source": _c(str, pa.Check.str_length(1, 300)),
        "url": _c(str, pa.Check.str_startswith("http")),
        "published": _c(str, _DATE),
        "date_precision": _c(str, pa.Check.isin(["day", "month"])),
        "window": _c(str, nullable=True),
        "notes": _c(str, nullable=True),
    },
))

register(Table(
    "events", "Dated releases, policy moves and market events used to annotate charts; each cites a source.",
    ("event_id",),
    {
        "event_id": _c(str, unique=True),
        "date": _c(str, _DATE),
        "label": _c(str, pa.Check.str_length(1, 40)),
        "kind": _c(str, pa.Check.isin(["open_release", "closed_release", "policy", "price", "market"])),
        "country": _c(str, pa.Check.isin(["US", "China", "Europe", "other", ""]), nullable=True),
        "description": _c(str),
        "source": _c(str, pa.Check.str_length(1, 300)),
        "url": _c(str, pa.Check.str_startswith("http")),
    },
))

register(Table(
    "claims", "The article's claims, paraphrased, with the check this report runs and the range each asserts.",
    ("claim_id",),
    {
        "claim_id": _c(str, unique=True),
        "claim": _c(str, pa.Check.str_length(10, 400)),
        "section": _c(str, pa.Check.isin(["performance", "cost", "geopolitics", "risk", "usage"])),
        "check": _c(str, pa.Check.str_matches(r"^[a-z0-9_]+$")),
        "threshold_low": _c(float, nullable=True),
        "threshold_high": _c(float, nullable=True),
        "unit": _c(str, nullable=True),
        "evidence_card": _c(str, pa.Check.str_matches(r"^([a-z0-9_]+)?$"), nullable=True),
    },
))


register(Table(
    "price_history", "OpenRouter price change points per model id (step function: a price holds until the next).",
    ("source_id", "date"),
    {
        "source_id": _c(str),
        "date": _c(str, _DATE),
        "input_usd_per_mtok": _c(float, _PRICE),
        "output_usd_per_mtok": _c(float, _PRICE),
        "first_seen": _c(str, _DATE),
        "last_seen": _c(str, _DATE),
        "present_now": _c(bool),
    },
))

register(Table(
    "listings", "OpenRouter listing history: first and last seen per model id, for churn and survival.",
    ("source_id",),
    {
        "source_id": _c(str, unique=True),
        "name": _c(str),
        "author": _c(str, nullable=True),
        "first_seen": _c(str, _DATE),
        "last_seen": _c(str, _DATE),
        "present_now": _c(bool),
        "openness_hint": _c(str, pa.Check.isin(["open", "closed", ""]), nullable=True),
    },
))

register(Table(
    "source_dates", "How old each source's data is: its newest snapshot and the newest date its rows reach "
    "(computed by the build from what each loader read).",
    ("source",),
    {
        "source": _c(str, unique=True),
        "snapshot": _c(str, _DATE_OR_EMPTY, nullable=True),
        "data_ends": _c(str, _DATE_OR_EMPTY, nullable=True),
        "snapshots": _c(str, nullable=True),
    },
))

register(Table(
    "eci_stitch_validation", "Stitched ECI checked against Epoch's: for each model of the newest ECI export, its "
    "ECI and the stitched estimate from benchmark parameters fitted without it (K-fold by model), with interval.",
    ("model_id",),
    {
        "model_id": _c(str, unique=True),
        "eci": _c(float),
        "estimate": _c(float),
        "low": _c(float),
        "high": _c(float),
        "n_benchmarks": _c(int, pa.Check.ge(1)),
        "snapshot": _c(str, _DATE),
    },
))

register(Table(
    "aa_speed", "Artificial Analysis median output speed and time to first token per model variant.",
    ("source_id",),
    {
        "model_id": _c(str),
        "source_id": _c(str, unique=True),
        "median_output_tokens_per_second": _c(float, _NONNEG, nullable=True),
        "median_time_to_first_token_seconds": _c(float, _NONNEG, nullable=True),
    },
))

register(Table(
    "aa_index_runs", "Artificial Analysis: USD and million tokens one Intelligence Index run took per model (with "
    "the score and list prices the file records), and AA's cost per index task.",
    ("source_id",),
    {
        "model_id": _c(str),
        "source_id": _c(str, unique=True),
        "dataset": _c(str, pa.Check.isin(["index_run", "task"])),
        "aa_slug": _c(str),
        "name": _c(str),
        "open_weights": _c(str, pa.Check.isin(["yes", "no", ""]), nullable=True),
        "intelligence_index": _c(float, pa.Check.in_range(0, 100), nullable=True),
        "tokens_m": _c(float, _NONNEG, nullable=True),
        "cost_usd_per_run": _c(float, _NONNEG, nullable=True),
        "cost_usd_per_task": _c(float, _NONNEG, nullable=True),
        "input_usd_per_mtok": _c(float, _NONNEG, nullable=True),
        "output_usd_per_mtok": _c(float, _NONNEG, nullable=True),
        "as_of": _c(str, _DATE),
    },
))

register(Table(
    "gpu_prices", "GPU rental marketplace prices in USD per GPU-hour over one month: percentiles per GPU.",
    ("gpu",),
    {
        "gpu": _c(str, unique=True),
        "usd_per_gpu_hour_p10": _c(float, pa.Check.in_range(0.01, 100)),
        "usd_per_gpu_hour_p25": _c(float, pa.Check.in_range(0.01, 100)),
        "usd_per_gpu_hour_median": _c(float, pa.Check.in_range(0.01, 100)),
        "usd_per_gpu_hour_p75": _c(float, pa.Check.in_range(0.01, 100)),
        "usd_per_gpu_hour_p90": _c(float, pa.Check.in_range(0.01, 100)),
        "n_snapshots": _c(int, pa.Check.ge(1)),
        "first_date": _c(str, _DATE),
        "last_date": _c(str, _DATE),
    },
))

register(Table(
    "throughput", "MLPerf Inference v5.1 and v6.0 best measured serving throughput, tokens/s per GPU, per model and GPU.",
    ("model", "accelerator", "scenario", "category"),
    {
        "model": _c(str),
        "model_name": _c(str),
        "params_b": _c(float, pa.Check.gt(0)),
        "accelerator": _c(str),
        "gpu": _c(str, nullable=True),
        "scenario": _c(str, pa.Check.isin(["Offline", "Server", "Interactive"])),
        "category": _c(str, pa.Check.isin(["closed", "open"])),
        "tokens_per_s_per_gpu": _c(float, pa.Check.gt(0)),
        "n_gpus": _c(int, pa.Check.ge(1)),
        "submitter": _c(str),
        "id": _c(str),
    },
))


register(Table(
    "gpu_specs", "GPU memory, bandwidth and dense tensor TFLOPS per GPU (curated, one cited datasheet per row): "
    "sizes a self-hosted deployment so the weights and KV cache fit.",
    ("gpu",),
    {
        "gpu": _c(str, unique=True),
        "memory_gb": _c(float, pa.Check.in_range(1, 10_000)),
        "bandwidth_tb_s": _c(float, pa.Check.gt(0)),
        "bf16_tflops": _c(float, pa.Check.gt(0)),
        "fp8_tflops": _c(float, pa.Check.gt(0), nullable=True),
        "fp4_tflops": _c(float, pa.Check.gt(0), nullable=True),
        "source": _c(str, pa.Check.str_length(min_value=1)),
        "url": _c(str, pa.Check.str_startswith("https://")),
    },
))


register(Table(
    "model_params", "Total and active parameter counts of open models (curated, one stated source per row), for "
    "sizing a self-hosted deployment of the model the reader picks.",
    ("model_id",),
    {
        "model_id": _c(str, unique=True),
        "params_b": _c(float, pa.Check.gt(0)),
        "active_params_b": _c(float, pa.Check.gt(0), nullable=True),
        "source": _c(str, pa.Check.str_length(min_value=1)),
        "active_source": _c(str),
        "url": _c(str, pa.Check.str_startswith("https://")),
    },
))


register(Table(
    "report2024", "Input data of Epoch's 2024 'How far behind are open models?' report, in long form.",
    ("system", "benchmark"),
    {
        "system": _c(str),
        "date": _c(str, _DATE),
        "open": _c(bool),
        "benchmark": _c(str, pa.Check.isin(["MMLU", "GPQA", "BBH", "GSM1k", "training_compute"])),
        "value": _c(float, pa.Check.ge(0)),
        "training_compute_flop": _c(float, nullable=True),
    },
))


_RISK_CONTEXTS = r"(personal_data|regulated|on_prem|ml_team)"
_RISK_SCALE = pa.Check.in_range(1, 5)


def _low_le_high(high_col: str) -> pa.Check:
    """Column check on a '*_low' column: within each group of equal '*_high' values, low <= high."""
    return pa.Check(lambda groups: all(bool((s <= k).all()) for k, s in groups.items()), groupby=high_col,
                    error=f"low must be <= {high_col}")


register(Table(
    "risk_register", "Curated risk register: per risk and option, likelihood and impact ranges (1-5, the "
    "report's judgment), rationale, mitigation and cited public sources.",
    ("risk_id", "option"),
    {
        "risk_id": _c(str, pa.Check.str_matches(r"^[a-z0-9_]+$")),
        "option": _c(str, pa.Check.isin(["self_hosted", "hosted_open", "closed_api"])),
        "risk": _c(str, pa.Check.str_length(3, 60)),
        "category": _c(str, pa.Check.isin(["security", "data_control", "vendor", "safety_quality", "compliance",
                                           "operations", "jurisdiction"])),
        "description": _c(str, pa.Check.str_length(20, 700)),
        "likelihood_low": _c(int, _RISK_SCALE, _low_le_high("likelihood_high")),
        "likelihood_high": _c(int, _RISK_SCALE),
        "impact_low": _c(int, _RISK_SCALE, _low_le_high("impact_high")),
        "impact_high": _c(int, _RISK_SCALE),
        "rationale": _c(str, pa.Check.str_length(20, 600)),
        "mitigation": _c(str, pa.Check.str_length(20, 400)),
        "amplified_by": _c(str, pa.Check.str_matches(rf"^({_RISK_CONTEXTS}(;{_RISK_CONTEXTS})*)?$"), nullable=True),
        "dampened_by": _c(str, pa.Check.str_matches(rf"^({_RISK_CONTEXTS}(;{_RISK_CONTEXTS})*)?$"), nullable=True),
        "measured_by": _c(str, pa.Check.isin(["", "listing_churn", "price_volatility"]), nullable=True),
        "source": _c(str, pa.Check.str_length(3, 300)),
        "url": _c(str, pa.Check.str_matches(r"^https?://\S+$")),
        "source2": _c(str, nullable=True),
        "url2": _c(str, pa.Check.str_matches(r"^(https?://\S+)?$"), nullable=True),
        "source3": _c(str, nullable=True),
        "url3": _c(str, pa.Check.str_matches(r"^(https?://\S+)?$"), nullable=True),
    },
))


def validate(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """Validate `df` against table `name`'s schema; raise TableError naming table, column and rows."""
    table = TABLES[name]
    try:
        return table.schema.validate(df, lazy=True)
    except SchemaErrors as err:
        failures = err.failure_cases
        lines = []
        for (column, check), grp in failures.groupby(["column", "check"], dropna=False, sort=False):
            rows = [int(i) if isinstance(i, (int, float)) else str(i) for i in grp["index"].dropna().tolist()[:10]]
            cases = [str(v) for v in grp["failure_case"].tolist()[:5]]
            lines.append(f"column '{column}' failed {check}: rows {rows} values {cases}")
        raise TableError(f"table '{name}' violates its schema:\n  " + "\n  ".join(lines)) from None


def read(name: str, data_dir: Path | None = None) -> pd.DataFrame:
    """Load data/<name>.csv and validate it."""
    path = (data_dir or DATA_DIR) / f"{name}.csv"
    shown = f"{path.parent.name}/{path.name}"
    try:
        df = pd.read_csv(path, keep_default_na=False, na_values=[""])
    except FileNotFoundError:
        raise TableError(f"{shown} is missing (rebuild with python -m pipeline.build)") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, ValueError) as err:
        raise TableError(f"{shown} cannot be read as CSV: {str(err).strip()[:300]}") from None
    table = TABLES[name]
    for col, spec in table.columns.items():
        if col in df.columns and str(spec.dtype).startswith("str"):
            df[col] = df[col].fillna("").astype(str)
    try:
        return validate(name, df)
    except TableError as err:
        raise TableError(f"{shown}: {err}") from None
    except Exception as err:              # a file so damaged that the schema check itself fails on it
        raise TableError(f"{shown} cannot be checked against its schema: {type(err).__name__}: "
                         f"{str(err)[:300]}") from None


def provenance(data_dir: Path | None = None) -> dict:
    """The machine-readable provenance file written by the pipeline."""
    return json.loads(((data_dir or DATA_DIR) / "provenance.json").read_text())


def describe_schema(name: str) -> pd.DataFrame:
    """The schema of a table as rows: column, type, nullable, unique, checks."""
    table = TABLES[name]
    rows = []
    for col, spec in table.columns.items():
        rows.append({
            "column": col,
            "type": "text" if str(spec.dtype).startswith("str") else str(spec.dtype),
            "nullable": bool(spec.nullable),
            "unique": bool(spec.unique) or (len(table.key) == 1 and table.key[0] == col),
            "checks": "; ".join(str(c.error or c.name) for c in spec.checks) or "",
        })
    return pd.DataFrame(rows)


register(Table(
    "history", "The report's findings per published data vintage (append-only): each source's snapshot date, the "
    "Overview's headline numbers and claim verdicts at default settings, and models added and removed since the "
    "build before. A rebuild with other findings on the same vintage adds a revision; past rows never change.",
    ("vintage", "revision", "kind", "key"),
    {
        "vintage": _c(str, _DATE),
        "revision": _c(int, pa.Check.ge(1)),
        "kind": _c(str, pa.Check.isin(["source", "headline", "verdict", "model_added", "model_removed"])),
        "key": _c(str, pa.Check.str_length(min_value=1)),
        "label": _c(str),
        "value": _c(str, nullable=True),
    },
))
