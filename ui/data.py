"""Cached access to data/ for the pages."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from openclosed import tables
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
