"""Schema-valid toy tables for tests: state only the columns a test cares about.

`table("models", [{"model_id": "a", "openness": "api"}, ...])` gives a DataFrame with every column the schema
in openclosed/tables.py lists; a column a row leaves out takes the value of the first row of the real table in
data/ (valid by construction). The result is validated, so a bad toy row fails with the schema's message.
Key columns (`TABLES[name].key`) must be unique across the rows, as in the real tables.
"""
from __future__ import annotations

import functools

import pandas as pd

from openclosed import tables
from openclosed.tables import TABLES


@functools.cache
def _template(name: str) -> dict:
    return tables.read(name).iloc[0].to_dict()


def table(name: str, rows: list[dict]) -> pd.DataFrame:
    """A validated `name` table holding `rows`; unnamed columns take a valid default value."""
    if name not in TABLES:
        raise ValueError(f"no table '{name}'; known: {', '.join(TABLES)}")
    unknown = {c for row in rows for c in row} - set(TABLES[name].columns)
    if unknown:
        raise ValueError(f"table '{name}' has no column(s) {sorted(unknown)}")
    template = _template(name)
    columns = list(TABLES[name].columns)
    rows = [_derived(name, row) for row in rows]
    df = pd.DataFrame([{c: row.get(c, template.get(c)) for c in columns} for row in rows], columns=columns)
    return tables.validate(name, df)


def _derived(name: str, row: dict) -> dict:
    """Columns that follow from others, so a toy row cannot contradict itself."""
    if name == "models" and "openness" in row and "open_weights" not in row:
        return {**row, "open_weights": row["openness"].startswith("open_")}
    return row


def real(*names: str) -> dict[str, pd.DataFrame]:
    """The real tables from data/ (validated), by name."""
    return {name: tables.read(name) for name in names}
