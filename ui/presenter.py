"""Presenter mode (the report's chart cards as slides), the share link and the slide-deck export."""
from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from openclosed import deck, report
from openclosed.cards import ChartCard, source_line
from ui import data, state


def current_settings() -> tuple:
    """(section key, settings) for every section with cards: what the reader last set, else the defaults."""
    return tuple((section.key, state.current(section)) for section in report.with_cards())


def report_cards(settings: tuple | None = None) -> list[ChartCard]:
    """Every chart card of the report, in reading order, with each section's current settings (or defaults)."""
    return [card for key, section_settings in settings or current_settings()
            for card in state.cards(key, section_settings).values()]


def as_of() -> str:
    snapshots = [s["snapshot"] for p in data.provenance().values() for s in p["sources"] if s["id"] != "curated"]
    return max(snapshots)


def _step(delta: int, n: int) -> None:
    current = st.session_state.get("slide", 1) or 1
    st.session_state["slide"] = float(min(max(int(current) + delta, 1), n))


def render_presenter() -> None:
    """One chart card per slide, big, with previous/next and a counter. Settings stay as set."""
    st.markdown("<style>h1 {font-size: 2.6rem !important;} .stCaption p {font-size: 1.05rem;}</style>",
                unsafe_allow_html=True)
    cards = report_cards()
    if not cards:
        st.info("No chart cards yet: presenter mode has nothing to show.")
        return
    n = len(cards)
    if st.session_state.get("slide", 1) > n:
        st.session_state["slide"] = float(n)
    left, mid, counter, right = st.columns([1, 3, 1, 1], vertical_alignment="bottom")
    left.button("Previous", icon=":material/arrow_back:", on_click=_step, args=(-1, n), key="slide_prev",
                width="stretch")
    right.button("Next", icon=":material/arrow_forward:", on_click=_step, args=(1, n), key="slide_next",
                 width="stretch")
    # A float input: Streamlit's whole-number input overflows on URL values such as slide=inf.
    i = int(counter.number_input(f"Slide (of {n})", min_value=1.0, max_value=float(n), step=1.0, format="%.0f",
                                 key="slide", bind="query-params"))
    card = cards[int(i) - 1]
    mid.markdown(f"**Slide {i} of {n}** · {card.page}")
    st.title(card.title)
    st.caption(card.subtitle)
    st.altair_chart(card.chart.properties(height=520), width="stretch")
    st.caption(source_line(card.sources))
    if card.settings and card.settings != "defaults":
        st.caption(f"Settings: {card.settings}")


def share_url(url_path: str) -> str:
    """The link to this exact view: the page plus every URL-bound control's current value."""
    base = (st.context.url or "http://localhost:8501").split("?")[0].rstrip("/")
    for section in report.SECTIONS:            # st.context.url may already end with a page path
        if base.endswith("/" + section.url_path):
            base = base[: -len(section.url_path) - 1]
    query = urlencode([(k, v) for k in st.query_params for v in st.query_params.get_all(k)])
    return f"{base}/{url_path}" + (f"?{query}" if query else "")


def render_share_box(slot, url_path: str) -> None:
    """Fill the sidebar slot with the link to this view (call after the page ran, so every control counts)."""
    with slot.container():
        st.markdown("**Share this view**")
        st.code(share_url(url_path), language=None, wrap_lines=True)
        st.caption("Every control is in this link: opening it reproduces the view.")


def render_sidebar_tools() -> None:
    with st.sidebar:
        if st.button("Export the report as slides (PPTX)", icon=":material/slideshow:", key="deck_prepare"):
            st.session_state["_deck_requested"] = True
        if st.session_state.get("_deck_requested"):
            pptx = _deck_bytes(current_settings(), as_of())
            st.download_button("Download slides (.pptx)", data=pptx, file_name="open-vs-closed-ai.pptx",
                               mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
                               key="deck_download", on_click="ignore", icon=":material/download:")


@st.cache_data(show_spinner="Rendering the slide deck...", max_entries=8)
def _deck_bytes(settings: tuple, as_of_date: str) -> bytes:
    return deck.build_deck(report_cards(settings), "Open vs Closed AI", as_of_date)
