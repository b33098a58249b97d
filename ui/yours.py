"""The reader's own models ("yours"): kept in the session, shown on the Performance and Cost charts."""
from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from openclosed import byod
from openclosed.text import markdown_literal

KEY = "_user_models"
PARSED = "_user_upload"            # (sha256 of the file, its name) -> byod.Result, for the file in the uploader


def models() -> pd.DataFrame:
    """The reader's validated models for this session (empty when none)."""
    return st.session_state.get(KEY, pd.DataFrame(columns=byod.COLUMNS + ["open_weights"]))


def store(df: pd.DataFrame) -> None:
    st.session_state[KEY] = df


def clear() -> None:
    st.session_state.pop(KEY, None)


def problems(intro: str, errors: list[str]) -> str:
    """A markdown list of a file's problems. They quote the file's name, columns and cells: escaped, so they show
    as text, never as markup (a cell `![x](http://host/a.png)` must not make the browser fetch an image)."""
    return intro + "\n\n" + "\n".join(f"- {markdown_literal(e)}" for e in errors)


def parsed(raw: bytes, file_name: str) -> tuple[byod.Result, bool]:
    """The file's validation, parsed once per content and name and kept in the session: a rerun (every control
    change on the page) reuses it instead of parsing up to a megabyte again inside the one-run-at-a-time turn.
    Returns (result, whether it was parsed just now)."""
    key = (hashlib.sha256(raw).hexdigest(), file_name)
    kept = st.session_state.get(PARSED)
    if kept is not None and kept[0] == key:
        return kept[1], False
    result = byod.parse(raw, file_name=file_name)
    st.session_state[PARSED] = (key, result)
    return result, True


def render_upload() -> None:
    """Upload a CSV or type rows; errors name the row and column; valid models are kept for the session."""
    st.download_button("Download the template (CSV)", data=byod.template(), file_name="my_models_template.csv",
                       mime="text/csv", key="byod_template", on_click="ignore", icon=":material/download:")
    # Any file type is accepted here so that a wrong one gets a message saying what to do, not just an icon.
    upload = st.file_uploader("Upload a CSV of your models", key="byod_file", max_upload_size=byod.MAX_MB,
                              help=f"A .csv file with the columns {', '.join(byod.COLUMNS)}; up to "
                                   f"{byod.MAX_ROWS} rows and {byod.MAX_MB} MB ({byod.MAX_BYTES:,} bytes).")
    if upload is not None:
        result, new = parsed(upload.getvalue(), upload.name)
        if result.ok and new:              # a rerun keeps the models (or their removal) as the reader left them
            store(result.rows)
        if result.ok and models() is result.rows:
            st.success(f"Loaded {len(result.rows)} model(s). They now appear on the Performance and Cost "
                       "charts, marked 'Yours', for the rest of this session.")
        elif not result.ok:
            st.error(problems("This file was not loaded:", result.errors))
    with st.expander("...or type your models into a table"):
        blank = pd.DataFrame([{c: None for c in byod.COLUMNS}])
        edited = st.data_editor(blank, num_rows="dynamic", key="byod_editor", width="stretch", column_config={
            "openness": st.column_config.SelectboxColumn(options=["open", "closed"]),
            "metric": st.column_config.SelectboxColumn(options=list(byod.METRICS)),
            "release_date": st.column_config.TextColumn(help="YYYY-MM-DD"),
            "score": st.column_config.NumberColumn(),
            "input_usd_per_mtok": st.column_config.NumberColumn(min_value=0.0),
            "output_usd_per_mtok": st.column_config.NumberColumn(min_value=0.0),
        })
        if st.button("Use these rows", key="byod_use"):
            rows = edited.dropna(how="all")
            result = byod.parse(rows.to_csv(index=False).encode())
            if result.ok:
                store(result.rows)
                st.success(f"Loaded {len(result.rows)} model(s) for this session.")
            else:
                st.error(problems("These rows were not loaded:", result.errors))
    current = models()
    if len(current):
        st.markdown(f"**Your models this session** ({len(current)})")
        st.dataframe(current, hide_index=True, width="stretch")
        if st.button("Remove my models", key="byod_clear"):
            clear()
            st.rerun()
