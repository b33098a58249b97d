"""An upload is parsed once per file content: reruns (every control change on Data & methods) reuse the result
kept in the session instead of parsing up to a megabyte again inside the one-run-at-a-time turn."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest

from openclosed import byod


def _page():
    import streamlit as st

    from openclosed import byod
    from ui import yours
    good = byod.template().encode()
    bad = (",".join(byod.COLUMNS) + "\n" + "\n" * 1000).encode()
    raw = {"good": good, "bad": bad, "good again": good + b"\n"}[st.query_params.get("file", "good")]
    result, new = yours.parsed(raw, "mine.csv")
    st.session_state.setdefault("parses", 0)
    st.session_state["parses"] += new
    if result.ok and new:
        yours.store(result.rows)
    if st.button("Remove my models"):
        yours.clear()
    st.markdown(f"models: {len(yours.models())}")


def test_reruns_reuse_the_parse_and_a_new_file_is_parsed(monkeypatch):
    calls = []
    real = byod.parse
    monkeypatch.setattr(byod, "parse", lambda raw, **kw: calls.append(len(raw)) or real(raw, **kw))
    at = AppTest.from_function(_page, default_timeout=60)
    at.run()
    for _ in range(3):
        at.run()                                       # reruns: a control changed elsewhere on the page
    assert len(calls) == 1 and at.session_state["parses"] == 1
    assert at.markdown[-1].value == "models: 2"
    at.button[0].click().run()                          # removed models stay removed on the next reruns
    at.run()
    assert at.markdown[-1].value == "models: 0" and len(calls) == 1
    at.query_params["file"] = "bad"                     # another file (another hash): parsed once, then kept
    at.run()
    at.run()
    assert len(calls) == 2
    at.query_params["file"] = "good again"
    at.run()
    assert len(calls) == 3 and at.markdown[-1].value == "models: 2"
