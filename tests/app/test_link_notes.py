"""A link value a URL-bound control cannot use gets a note naming the value and the control, instead of a silent
fallback; values the controls take as given get none."""
from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import APP


def _controls():
    import streamlit as st

    from ui import state
    with state.noting_ignored_link_values():
        st.selectbox("Yardstick", ["Epoch index", "AA index"], key="m", bind="query-params")
        st.toggle("Flagged", key="f", bind="query-params")
        st.slider("Level", 0.0, 10.0, 5.0, 0.5, key="lvl", bind="query-params")
        st.select_slider("Range", ["2023-01", "2023-02", "2023-03"], value=("2023-01", "2023-03"), key="r",
                         bind="query-params")
        st.number_input("Slide", 1.0, 9.0, step=1.0, format="%.0f", key="s", bind="query-params")
        st.multiselect("Labs", ["a", "b", "c"], key="ms", bind="query-params")
        st.segmented_control("Step", ["x", "y"], default="x", required=True, key="seg", bind="query-params")
        st.radio("Rule", ["u", "v"], key="rad", bind="query-params", horizontal=True)


def _notes(params: dict) -> list[str]:
    at = AppTest.from_function(_controls)
    for key, value in params.items():
        at.query_params[key] = value
    at.run(timeout=60)
    assert not at.exception
    return [_shown(n) for i in at.info for n in i.value.split("\n\n")]


def _shown(markdown: str) -> str:
    """The note as the reader sees it: link values are markdown-escaped (a backslash before each punctuation mark)."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown).replace("\u2060", "")


@pytest.mark.parametrize("params", [
    {},
    {"m": "AA index", "f": "false", "lvl": "7.5", "r": ["2023-02", "2023-03"], "s": "3", "ms": ["a", "c"],
     "seg": "y", "rad": "v"},
    {"m": "Epoch index", "f": "true", "lvl": "5", "seg": "x"},           # valid values equal to the defaults
])
def test_values_taken_as_given_get_no_note(params):
    assert _notes(params) == []


def test_unrecognised_values_are_named_with_the_control_and_what_is_shown():
    assert _notes({"m": "Nonsense", "f": "maybe", "lvl": "99", "seg": "q", "s": "abc", "ms": ["a", "zz"],
                   "r": ["2023-02", "2099-01"]}) == [
        "Link value 'Nonsense' for 'Yardstick' was not recognised; showing the default.",
        "Link value 'maybe' for 'Flagged' was not recognised; showing the default.",
        "Link value '99' for 'Level' was not recognised; showing the default.",
        "Link value '2023-02, 2099-01' for 'Range' was not recognised; showing '2023-02, 2023-03'.",
        "Link value 'abc' for 'Slide' was not recognised; showing the default.",
        "Link value 'a, zz' for 'Labs' was not recognised; showing 'a'.",
        "Link value 'q' for 'Step' was not recognised; showing the default.",
    ]


def test_link_values_are_shown_as_text_not_markdown():
    at = AppTest.from_function(_controls)
    at.query_params["m"] = "**b** [x](javascript:alert(1)) <img src=x>"
    at.run(timeout=60)
    proto = at.info[0].proto.body
    assert "\\*\\*b\\*\\*" in proto and "\\<img" in proto


def test_the_real_app_notes_an_ignored_presenter_value():
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["presenter"] = "maybe"
    at.run(timeout=60)
    assert [_shown(i.value) for i in at.info] == [
        "Link value 'maybe' for 'Presenter mode' was not recognised; showing the default."]
