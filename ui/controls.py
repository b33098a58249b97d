"""Draw a declared control: the widget comes from its `Param` (openclosed/urlstate.py), so a page never restates a
control's label, options, default, bounds or URL key, and presenter mode and the deck read the same declaration."""
from __future__ import annotations

from typing import Any

import streamlit as st

from openclosed import urlstate
from ui import data


@st.cache_resource(show_spinner=False)
def widget(key: str, given: tuple = ()) -> urlstate.Widget:
    """The declared widget, built once per server: its declaration, defaults and data do not change while it runs
    (help built from data, such as the Risk situations', costs milliseconds). Shared: never mutate it."""
    return urlstate.widget(key, data.LazyTables(), given)


def control(key: str, where: Any = st, given: tuple = (), **overrides) -> Any:
    """The value of the declared control `key`, drawn in `where` (st, a column or a container) and bound to the URL.
    `given`: the values of the controls its options depend on (`Param.given`). `overrides` are for layout only
    (e.g. label_visibility); anything a link or a slide reads stays declared."""
    w = widget(key, tuple(given))
    return getattr(where, w.style)(**(w.kwargs | overrides))
