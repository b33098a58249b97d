"""Cached access to data/ for the pages."""
from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import streamlit as st

from openclosed import report, tables
from openclosed.text import markdown_literal
from ui import prebuilt


@st.cache_resource(show_spinner=False)
@prebuilt.kept
def table(name: str) -> pd.DataFrame:
    """A validated table from data/ (cached for every session; read and validated at setup when prebuilt)."""
    return tables.read(name)


@st.cache_resource(show_spinner=False)
def preview(name: str, rows: int | None = 100):
    """The first rows (all when None) of a table as an Arrow table: `st.dataframe` sends it as it is."""
    df = table(name)
    return arrow(df if rows is None else df.head(rows))


@st.cache_resource(show_spinner=False)
def schema(name: str):
    """A table's schema (column, type, checks) as an Arrow table, for display."""
    return arrow(tables.describe_schema(name))


def arrow(df: pd.DataFrame):
    """A DataFrame as the Arrow table Streamlit would make of it (its own type fixes for mixed columns)."""
    from streamlit import dataframe_util
    return dataframe_util.convert_pandas_df_to_arrow_table(df, preserve_index=False)


@st.cache_resource(show_spinner=False)
def provenance() -> dict:
    return tables.provenance()


def stop_if_unreadable(names) -> None:
    """Stop the page with one message naming every damaged table file among `names` and its problem, before any
    number is drawn: a page computed from part of its data would show numbers beside an error."""
    problems = []
    for name in dict.fromkeys(names):
        try:
            table(name)
        except tables.TableError as err:
            problems.append(" ".join(line.strip() for line in str(err).splitlines()[:3]))   # file, first faults
    if problems:
        st.error("This page is not shown: a data file it is computed from is damaged, so its numbers would be "
                 "wrong.\n\n" + "\n".join(f"- {markdown_literal(p, limit=400)}" for p in problems)
                 + "\n\nRebuild the data with `python -m pipeline.build` (or restore data/ from the repository).",
                 icon=":material/error:")
        st.stop()


def tables_for(url_path: str, presenter: bool = False) -> tuple[str, ...]:
    """The tables a view is computed from: presenter mode shows every section with cards, a page its section."""
    if presenter:
        return tuple(n for s in report.with_cards() for n in s.tables)
    path = url_path.removesuffix("-home")
    section = next((s for s in report.SECTIONS if s.url_path == path), None)
    if section is None:
        section = next(s for s in report.SECTIONS if s.default)
    return tuple(section.tables)


class LazyTables(Mapping):
    """Tables from data/, loaded (cached) only when a section asks for them."""

    def __getitem__(self, name):
        return table(name)

    def __iter__(self):
        return iter(provenance())

    def __len__(self):
        return len(provenance())
