"""The data changelog (data/changelog.json, written by pipeline.build) on the Data & methods page."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import streamlit as st

from openclosed import tables
from openclosed.changelog_text import snapshot_sentence

JSON_FILE = "changelog.json"  # written by pipeline.changelog


@st.cache_resource(show_spinner=False)
def load(path: str = str(tables.DATA_DIR / JSON_FILE)) -> dict | None:
    p = Path(path)
    return json.loads(p.read_text()) if p.exists() else None


def render(log: dict | None = None) -> None:
    """The snapshot dates and every section of the changelog that has entries."""
    log = load() if log is None else log
    st.subheader("What changed in the last refresh")
    if not log:
        st.info("No changelog yet: the next `python -m pipeline.build` writes one.")
        return
    st.markdown(snapshot_sentence(log) + " The build compares the new "
                "tables with the published ones; refresh the sources with `python -m pipeline.fetch` "
                "(see the README).")
    counts = log.get("summary", {})
    if not any(counts.values()) and not log.get("rows"):
        st.markdown("No table changed between these snapshots.")
    for section, label in log.get("labels") or []:
        rows = log.get(section) or []
        if rows:
            with st.expander(f"{label} ({len(rows):,})", expanded=section in ("headlines_changed",
                                                                                       "verdicts_changed")):
                st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    if log.get("rows"):
        st.caption("Rows added / removed per table: " + "; ".join(
            f"{t} +{v['added']:,} / −{v['removed']:,}" for t, v in sorted(log["rows"].items())))
    for note in log.get("notes") or []:
        st.caption(note)
