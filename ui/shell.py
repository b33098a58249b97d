"""The app shell around every page: navigation from the section registry, and the guard that keeps a deep
link inside the app.

`streamlit_app.py` calls `navigation()` and runs the chosen page with `run(page)`; every file in `pages/` calls
`enter()` first.
"""
from __future__ import annotations

import contextlib
import functools
import runpy
import threading
from pathlib import Path

import streamlit as st

from openclosed import report

ENTRY = Path(__file__).resolve().parents[1] / "streamlit_app.py"
_run = threading.local()          # each session's script runs in its own thread

# One script run at a time per server process; the others wait their turn, releasing the GIL while they wait.
# Why: Streamlit's event loop (which sends every element to the browser) needs the GIL several times per element.
# With two or more script threads running Python at once it lost the GIL to them again and again: at 60 readers
# changing the yardstick every 3 s, the server sat at 0.4 cores while a change took 1.4 s (p50), most of it with
# finished runs' messages waiting for the event loop. With one run at a time: p50 0.14 s, p95 0.44 s
# (bench/loadgen.py; README "Capacity"). Two at a time was as bad as no limit.
_turn = threading.Lock()


@contextlib.contextmanager
def one_run_at_a_time():
    """Hold the process's script-run turn for the block (re-entrant within a run: a fragment called during a
    full run, or a page run through `enter`, does not wait for itself)."""
    if getattr(_run, "has_turn", False):
        yield
        return
    with _turn:
        _run.has_turn = True
        try:
            yield
        finally:
            _run.has_turn = False


@contextlib.contextmanager
def letting_others_run():
    """Give the turn up for long work that does not need it (building the slide deck), and take it back after."""
    if not getattr(_run, "has_turn", False):
        yield
        return
    _run.has_turn = False
    _turn.release()
    try:
        yield
    finally:
        _turn.acquire()
        _run.has_turn = True


def fragment(func):
    """`st.fragment` whose reruns take their turn like full runs (see `one_run_at_a_time`)."""
    @functools.wraps(func)
    def in_turn(*args, **kwargs):
        with one_run_at_a_time():
            return func(*args, **kwargs)
    return st.fragment(in_turn)


def navigation():
    """`st.navigation` over the registry's sections; returns the page the URL asks for."""
    pages = [st.Page(s.page, title=s.title, icon=s.icon, default=s.default,
                     url_path=f"{s.url_path}-home" if s.default else s.url_path) for s in report.SECTIONS]
    # Streamlit serves the default page at "/" only (its own url path is reserved but unreachable), so
    # /<its url path>, e.g. /overview, is a hidden page that forwards to "/" with the same query string.
    home = next(s for s in report.SECTIONS if s.default)
    alias = st.Page(_to_home, title=home.title, url_path=home.url_path, visibility="hidden")
    return st.navigation(pages + [alias])


def _to_home() -> None:
    st.switch_page(next(s for s in report.SECTIONS if s.default).page,
                   query_params={k: st.query_params.get_all(k) for k in st.query_params})


def run(page) -> None:
    """Run the page `st.navigation` chose, marked as running inside the app."""
    _run.inside = True
    try:
        page.run()
    finally:
        _run.inside = False


def enter() -> None:
    """First call of every page: when Streamlit ran this file on its own, run the whole app in its place.

    Why: in Streamlit 1.67 a folder `pages/` beside the entry script switches on the legacy multipage mode
    (`PagesManager.uses_pages_directory`, process-wide, set when the first session starts and cleared only by
    `st.navigation`; see `runtime/scriptrunner/script_runner.py::_mpa_v1`). On a fresh server the first
    request `/risk` then runs `pages/risk.py` alone: no navigation, no sidebar. Here the page sees that the
    entry script did not start it, runs the entry script instead (exactly as Streamlit runs it for `/` in that
    mode: its `st.navigation` resolves the URL's page and clears the mode for the process), and stops.
    Public API only. `tests/browser/test_deep_links.py` fails if a Streamlit upgrade changes this behaviour.
    Needs every page file to be named after its url path (`report.Section.page`), else the legacy mode shows
    "Page not found" first.
    """
    if getattr(_run, "inside", False):
        return
    runpy.run_path(str(ENTRY), run_name="__main__")
    st.stop()


def data_age(url_path: str) -> None:
    """The page's dateline: the newest date of each source it uses (openclosed.report.data_age)."""
    from openclosed import report
    from ui import data
    rows = report.data_age(url_path, data.provenance())
    if rows:
        listed = "\n".join(f"- {line}" for line in report.data_age_text(rows).removeprefix("Data to: ").split(" · "))
        st.caption(report.data_age_summary(rows), help="Each source's data end (its newest snapshot or the newest "
                   "date its rows reach):\n\n" + listed + "\n\nA number on this page is no newer than the sources "
                   "it uses; every card's source line gives its own dates.")
