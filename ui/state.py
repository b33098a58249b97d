"""Per-session memory of each section's settings, and each section's chart cards by key (cached).

Pages, presenter mode and the deck all get cards through `cards()`, so they show the same ones."""
from __future__ import annotations

import streamlit as st

from openclosed import report
from openclosed.cards import ChartCard
from ui import data


def remember(section: str, settings) -> None:
    """Call from a page after reading its widgets: presenter mode and the deck reuse these settings."""
    st.session_state[f"_settings_{section}"] = settings


def recall(section: str):
    return st.session_state.get(f"_settings_{section}")


def current(section: report.Section):
    """The settings the reader last set on a section's page, else its defaults."""
    return recall(section.key) or report.default_settings(section)


@st.cache_data(show_spinner="Computing the charts...", max_entries=64)
def cards(section_key: str, settings=None) -> dict[str, ChartCard]:
    """A section's chart cards by key, for `settings` (its defaults when None), from the tables it declares.
    A page renders `cards(...)[key]` for each chart."""
    section = report.section(section_key)
    return report.section_cards(section, {name: data.table(name) for name in section.tables}, settings)
