"""Shared pieces of the pipeline: the loader output and small parsing helpers."""
from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pandas as pd

MENTION_COLUMNS = ["source", "source_id", "name", "organization", "release_date", "openness", "license", "country",
                   "weights"]   # weights: a link to the released weights (a Hugging Face page) when the source gives one
SCORE_COLUMNS = ["source", "source_id", "metric", "value", "date", "snapshot", "variant", "stderr", "ci_low", "ci_high"]
PRICE_COLUMNS = ["source", "source_id", "price_kind", "provider", "input_usd_per_mtok", "output_usd_per_mtok",
                 "cache_read_usd_per_mtok", "as_of"]


@dataclasses.dataclass(frozen=True)
class SourceSpec:
    """One data source, declared once in its pipeline module as ``SPEC``; pipeline.sources lists the modules, and the
    build, fetch, catalog, publish and data/provenance.json (which the app reads) read the spec."""
    key: str                        # the source id: column `source` in data/, and its key in provenance.json
    name: str                       # what the source is, for readers
    license: str
    citation: str
    snapshot: str                   # fallback date, for a source whose rows carry none (the build computes the rest)
    files: tuple[str, ...] = ()     # what it reads under ../shared/raw (globs); () for tables curated in pipeline/
    base_url: str = ""              # where pipeline.fetch downloads it from ("" = never re-fetched)
    fetch: str = ""                 # the function in its own module that downloads it (pipeline.fetch runs it)
    carry: tuple[str, ...] = ()     # raw globs pipeline.fetch carries over from the previous snapshot (fixed releases)
    max_mb: int = 0                 # largest response pipeline.fetch accepts (0: its default)
    # rank of its spelling and metadata, openness and release dates when several sources name one model (1 = first);
    # a source with model mentions must declare all three (pipeline.sources checks)
    name_priority: int | None = None
    openness_priority: int | None = None
    date_priority: int | None = None
    catalog_ids: bool = True        # data/models.csv keeps an id_<key> column (False: its ids repeat another source's)
    main_metric: str = ""           # its headline metric: its leaders must be recognisable elsewhere (publish)
    reference: bool = False         # fixed reference figures (datasheets): no data age

    def provenance(self) -> dict[str, str]:
        """What data/provenance.json says of the source (the build adds its dates)."""
        return {"name": self.name, "license": self.license, "snapshot": self.snapshot, "citation": self.citation,
                **({"reference": "yes"} if self.reference else {})}


@dataclasses.dataclass
class SourceOutput:
    mentions: pd.DataFrame | None = None
    scores: pd.DataFrame | None = None
    prices: pd.DataFrame | None = None
    extra: dict[str, pd.DataFrame] = dataclasses.field(default_factory=dict)


def frame(rows: list[dict] | pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """A DataFrame with exactly `columns` (missing ones filled: '' for text, NaN for numbers)."""
    df = pd.DataFrame(rows) if not isinstance(rows, pd.DataFrame) else rows.copy()
    for col in columns:
        if col not in df.columns:
            df[col] = float("nan") if col in {"value", "stderr", "ci_low", "ci_high"} or "usd" in col else ""
    return df[columns].reset_index(drop=True)


def iso_date(value) -> str:
    """Parse many date spellings to YYYY-MM-DD; '' when empty or unparseable.

    Month-only dates (YYYY-MM) become the first of the month; YYYYMMDD integers are accepted.
    """
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    text = str(value).strip()
    if not text or text.lower() in {"nan", "none", "nat"}:
        return ""
    if re.fullmatch(r"\d{8}", text):
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    if re.fullmatch(r"\d{4}-\d{2}", text):
        text += "-01"
    try:
        ts = pd.Timestamp(text)
    except (ValueError, TypeError):
        return ""
    if pd.isna(ts):
        return ""
    return ts.strftime("%Y-%m-%d")


def read_csv(path: Path, **kwargs) -> pd.DataFrame:
    """Read a raw CSV as strings (no type guessing), keeping empty cells as ''."""
    return pd.read_csv(path, dtype=str, keep_default_na=False, **kwargs)


def read_curated(path: Path, columns: list[str], numeric: list[str], key: str) -> pd.DataFrame:
    """A hand-curated CSV in pipeline/curated/: exactly ``columns`` (a missing one is an error naming it), the
    ``numeric`` ones as floats (empty = NaN; text that is not a number is an error), one row per ``key``, sorted
    by it."""
    df = read_csv(path, encoding="utf-8")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"{path.name} is missing columns {missing}")
    df = df[columns].copy()
    for c in numeric:
        text = df[c].str.strip()
        df[c] = pd.to_numeric(text.where(text != ""), errors="raise").astype(float)
    if df[key].duplicated().any():
        raise ValueError(f"{path.name}: duplicate {key} rows {sorted(set(df.loc[df[key].duplicated(), key]))}")
    return df.sort_values(key, kind="mergesort").reset_index(drop=True)


def to_float(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")
