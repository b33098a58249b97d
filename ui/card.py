"""The chart card: the one way a chart is shown (headline, chart, source line, downloads)."""
from __future__ import annotations

import copy

import streamlit as st

from openclosed import export
from openclosed.cards import ChartCard, source_line
from openclosed.charts import screen_spec
from ui import shell


def page_styles() -> None:
    """App-wide accessibility styles; call once per run from the entry point. A visible keyboard focus ring where
    Streamlit draws none of its own: toggles, checkboxes and radios (their input is hidden inside the label) and
    the chart toolbar's buttons. Metric labels and values wrap instead of ending in "...": a headline number
    (the gap in points and months) must be read whole in a narrow column. A card's chart holds its place while it
    loads (Streamlit draws a 40 px placeholder until the chart scrolls into view), so the page does not jump under
    the reader's pointer when it draws."""
    st.html("""<style>
label:has(input:focus-visible), [data-testid='stElementToolbar'] button:focus-visible {
  outline: 2px solid #0072B2; outline-offset: 2px; border-radius: 4px; }
[data-testid='stMetricValue'], [data-testid='stMetricValue'] *, [data-testid='stMetricLabel'],
[data-testid='stMetricLabel'] * { white-space: normal !important; overflow: visible !important;
  text-overflow: clip !important; overflow-wrap: anywhere; }
[data-testid='stMetricValue'] { line-height: 1.15; }
[class*='st-key-card_'] [data-testid='stSkeleton'] { min-height: 300px; }
</style>""")


def presenter_mode() -> bool:
    return bool(st.session_state.get("presenter", False))


def accessible_spec(card: ChartCard) -> dict:
    """The card's Vega-Lite spec for screen readers: the chart is one image named by its alt text, and the
    marks inside are hidden from assistive tech (the same rows are one toggle away as a table)."""
    config = card.spec.get("config", {})
    config = {**config, "mark": {**config.get("mark", {}), "aria": False}}
    return screen_spec({**card.spec, "description": card.alt, "config": config})


def chart_spec(card: ChartCard) -> dict:
    """The accessible spec with each dataset already as Arrow bytes, which Streamlit sends as they are. Built once
    per card object (pages cache their cards), so a rerun does not convert the chart's rows again."""
    spec = card.__dict__.get("_arrow_spec")
    if spec is None:
        from streamlit import dataframe_util
        # a deep copy (rows aside): st.vega_lite_chart patches a null legend title in place, which would change the
        # cached card's own spec, and with it the deck and the exports
        spec = {k: v if k == "datasets" else copy.deepcopy(v) for k, v in accessible_spec(card).items()}
        datasets = dict(spec.get("datasets", {}))
        top = spec.get("data")
        if isinstance(top, dict) and set(top) == {"values"} and isinstance(top["values"], list):
            # Rows inline at the top level would be converted on every rerun: name them like the others.
            datasets["_card_rows"] = top["values"]
            spec["data"] = {"name": "_card_rows"}
        spec["datasets"] = {name: dataframe_util.convert_anything_to_arrow_bytes(rows)
                            for name, rows in datasets.items()}
        card.__dict__["_arrow_spec"] = spec
    return spec


def chart_card(card: ChartCard) -> None:
    """Render a card: headline, subtitle, chart, source, data table, method and PNG/SVG/CSV downloads."""
    with st.container(border=True, key=f"card_{card.key}"):
        if presenter_mode():
            st.markdown(f"## {card.title}")
        else:
            st.markdown(f"#### {card.title}")
        st.caption(card.subtitle)
        st.vega_lite_chart(chart_spec(card), width="stretch")
        st.caption(source_line(card.sources))
        if not presenter_mode():
            card_tools(card)


@shell.fragment
def card_tools(card: ChartCard) -> None:
    """Under the chart: the data as a table, the method, and the downloads. A fragment, so using them reruns only
    this card's tools. The table and the download buttons are built only when asked for (toggle on, menu open):
    each download button registers with Streamlit's media file manager under one process-wide lock, and at 60
    readers script threads spent 39% of their time waiting for it (README "Capacity")."""
    if st.toggle("Show the data as a table", key=f"table_{card.key}",
                 help="The rows this chart draws, readable with a keyboard or a screen reader."):
        st.dataframe(card.data, hide_index=True, width="stretch")
    with st.expander("About this chart: method, caveats and alt text"):
        st.markdown(f"{card.method}\n\n**Alt text:** {card.alt}".strip())
    with st.popover("Download", icon=":material/download:", key=f"downloads_{card.key}", on_change="rerun",
                    help="The chart as a 16:9 slide image (PNG or SVG), or its rows as CSV.") as menu:
        if menu.open:
            _download_buttons(card)
    with st.popover("Cite", icon=":material/format_quote:", key=f"cite_{card.key}", on_change="rerun",
                    help="How to cite this chart (APA, BibTeX) and the sources behind it; the code to embed it.") as cite_menu:
        if cite_menu.open:
            from ui import links
            links.card_citation(card)
            st.markdown("**Embed this chart** (it fits 320 to 1,200 px wide)")
            st.code(links.embed_snippet(card), language="html", wrap_lines=True)


def _download_buttons(card: ChartCard) -> None:
    """PNG and SVG as 16:9 slide images (headline, source, licence, as-of date); CSV with a provenance header.
    Each is built when clicked; file names carry the card and its settings."""
    from ui.presenter import as_of
    date, stem = as_of(), export.file_stem(card)
    st.download_button("PNG", data=lambda: export.slide_png(card, date), file_name=f"{stem}.png",
                       mime="image/png", key=f"png_{card.key}", on_click="ignore", icon=":material/image:",
                       width="stretch")
    st.download_button("SVG", data=lambda: export.slide_svg(card, date), file_name=f"{stem}.svg",
                       mime="image/svg+xml", key=f"svg_{card.key}", on_click="ignore", icon=":material/draw:",
                       width="stretch")
    st.download_button("CSV", data=lambda: export.card_csv(card, date), file_name=f"{stem}.csv",
                       mime="text/csv", key=f"csv_{card.key}", on_click="ignore", icon=":material/table:",
                       width="stretch")
    from ui import links
    st.download_button("Data bundle (zip)", data=links.card_bundle_maker(card), file_name=f"{stem}.zip",
                       mime="application/zip", key=f"zip_{card.key}", on_click="ignore", icon=":material/folder_zip:",
                       width="stretch", help="The rows as CSV, metadata.json (columns, units, sources and licences, "
                       "method, settings, data vintage) and a README.")


def card_anchors() -> None:
    """Make '/<page>#<card key>' land on the card: each card's container (class st-key-card_<key>) gets id=<key>,
    and the page scrolls to the one in the address once it is drawn. Call once per full run (the entry script): the
    page keeps checking, so cards drawn later or redrawn by a fragment get their id too, without an element per
    card (each element is a message the server sends on every rerun)."""
    st.html("""<script>
(() => {
  if (window.__cardAnchors) return;
  window.__cardAnchors = true;
  let scrolledTo = '';
  const go = () => {
    document.querySelectorAll("[class*='st-key-card_']").forEach((el) => {
      const m = el.className.match(/st-key-card_(\\S+)/);
      if (m && !el.id) { el.id = m[1]; el.style.scrollMarginTop = '4rem'; }
    });
    const id = decodeURIComponent(location.hash.slice(1));
    const el = id && id !== scrolledTo && document.getElementById(id);
    if (el) { scrolledTo = id; el.scrollIntoView({block: 'start'}); }
  };
  setInterval(go, 250);
  window.addEventListener('hashchange', () => { scrolledTo = ''; go(); });
})();
</script>""", unsafe_allow_javascript=True)


def card_link(url_path: str, key: str) -> str:
    """A relative link to a chart card on a page ('performance#perf_gap'); it works under any base path."""
    return f"{url_path}#{key}"
