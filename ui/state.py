"""Per-session memory of each section's current settings, for presenter mode and the deck."""
from __future__ import annotations

import streamlit as st


def remember(section: str, settings) -> None:
    """Call from a page after reading its widgets: presenter mode and the deck reuse these settings."""
    st.session_state[f"_settings_{section}"] = settings


def recall(section: str):
    return st.session_state.get(f"_settings_{section}")


def remember_query(section: str, query: dict[str, list[str]]) -> None:
    """The section's URL parameters as its page last left them: presenter mode puts them back in the URL."""
    st.session_state[f"_query_{section}"] = query


def recall_query(section: str) -> dict[str, list[str]]:
    return st.session_state.get(f"_query_{section}", {})


def query() -> dict[str, list[str]]:
    """The URL's query parameters as {key: [values]} (a range or a multi-select repeats its key)."""
    return {k: st.query_params.get_all(k) for k in st.query_params}


def keep_in_url(params: dict[str, list[str]]) -> None:
    """Put these parameters in the URL and keep them there although their widgets are not on screen.

    Streamlit drops a bound parameter from the URL when its widget unmounts (as a page's controls do when
    presenter mode replaces the page), so the binding is released first and the parameter is set as a plain
    one. The page's widgets bind it again when the page shows, and read the same value."""
    if not params:
        return
    try:
        from streamlit.runtime.state.session_state_proxy import get_session_state
        with get_session_state().query_params() as qp:
            for key in params:
                binding = qp.get_binding_for_param(key)
                if binding is not None:
                    qp.unbind_widget(binding.widget_id)
    except (ImportError, AttributeError):      # another Streamlit version: the next rerun restores them
        params = {k: v for k, v in params.items() if k not in st.query_params}
    st.query_params.update({k: v if len(v) > 1 else v[0] for k, v in params.items()})
