"""Links that remember their data: the current data vintage, the "since this link was made" panel, "Cite this"
for a page or a card, and a card's data bundle (openclosed.vintage, .history, .cite, .bundle)."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from openclosed import bundle, cite, history, vintage
from openclosed.cards import ChartCard
from openclosed.tables import TableError
from openclosed.text import markdown_literal
from ui import data

DISMISSED = "since_link_dismissed"


@st.cache_resource(show_spinner=False)
def current_vintage() -> vintage.Vintage:
    return vintage.of(data.table("source_dates"))


def current_date() -> str:
    """The current vintage's date; '' when data/source_dates.csv cannot be read (links then carry no vintage)."""
    try:
        return current_vintage().date
    except (TableError, ValueError):
        return ""


def _history() -> pd.DataFrame | None:
    try:
        return data.table("history")
    except TableError:
        return None


def link_vintage() -> str | None:
    """The vintage the opened link was made on; None when it has none or a malformed one."""
    return vintage.parse(st.query_params.get_all(vintage.PARAM))


def since_link_panel() -> None:
    """At the top of the page: when the link was made on older data, what changed since (dismissible)."""
    made, now = link_vintage(), current_date()
    if made is None or not now or made >= now or st.session_state.get(DISMISSED) == made:
        return
    hist = _history()
    change = history.since(hist, made, now) if hist is not None else None
    with st.container(border=True, key="since_link"):
        st.markdown(f"**Since this link was made** · it was made on data of {markdown_literal(made)}; "
                    f"the data is now of {now}.")
        if change is None:
            st.caption("The report's history of findings (data/history.csv) does not reach back to that date, so "
                       "the numbers then cannot be shown; the numbers below are today's.")
        else:
            st.caption(f"Findings then: the data of {change.then}. Findings now: the data of {change.now}. "
                       "Both from data/history.csv.")
            table = pd.DataFrame([{"Headline number": h["label"], f"Then ({change.then})": h["then"],
                                   f"Now ({change.now})": h["now"], "Changed": "yes" if h["changed"] else ""}
                                  for h in change.headlines])
            st.table(table, hide_index=True)      # plain text cells: readable, copyable, searchable
            if change.verdicts_flipped:
                st.markdown("**Verdicts that flipped**\n\n" + "\n".join(
                    f"- {markdown_literal(str(v['claim']).rstrip('.'))}: then **{markdown_literal(v['then'])}**, "
                    f"now **{markdown_literal(v['now'])}**"
                    for v in change.verdicts_flipped))
            else:
                st.markdown("No claim's verdict flipped.")
            if change.models_added or change.models_removed:
                added = ", ".join(markdown_literal(n) for n in change.models_added[:12])
                more = len(change.models_added) - 12
                st.markdown(f"**Models added to the data**: {len(change.models_added)}"
                            + (f" ({added}{f' and {more} more' if more > 0 else ''})" if added else "")
                            + f". Removed: {len(change.models_removed)}.")
        st.button("Dismiss", key="since_link_dismiss", icon=":material/close:",
                  on_click=lambda: st.session_state.__setitem__(DISMISSED, made))


def permalink(url_path: str, anchor: str = "") -> str:
    from ui import presenter
    return presenter.share_url(url_path) + (f"#{anchor}" if anchor else "")


def _show(c: cite.Citation) -> None:
    st.markdown("**APA**")
    st.code(c.apa, language=None, wrap_lines=True)
    st.markdown("**BibTeX**")
    st.code(c.bibtex, language="bibtex", wrap_lines=True)
    if c.sources:
        st.markdown("**Data sources** (credit their producers too)")
        st.code("\n".join(c.sources), language=None, wrap_lines=True)


def page_citation(url_path: str, title: str, source_keys) -> None:
    """'Cite this page' in the sidebar."""
    with st.sidebar.expander("Cite this page", icon=":material/format_quote:"):
        _show(cite.cite(f"{title}: {cite.REPORT}", current_date() or "undated", permalink(url_path), dt.date.today(),
                        source_keys))


def page_citation_for(url_path: str) -> None:
    """'Cite this page' for a section's page: its title, and the sources behind the tables it reads."""
    from openclosed import report
    section = next((s for s in report.SECTIONS if s.url_path == url_path), None)
    if section is not None:
        page_citation(url_path, section.title, [r["id"] for r in report.data_age(url_path, data.provenance())])


def card_path(card: ChartCard) -> str:
    """The url path of the page a card is on (cards name their page by key, title or path)."""
    from openclosed import report
    page = (card.page or "").lower()
    return next((sec.url_path for sec in report.SECTIONS if page in (sec.key, sec.url_path, sec.title.lower())), "")


def card_citation(card: ChartCard) -> None:
    _show(cite.cite(card.title, current_date() or "undated", permalink(card_path(card), card.key), dt.date.today(),
                    card.sources))


def card_bundle_maker(card: ChartCard):
    """A function that builds the card's bundle when the reader clicks (the link is taken now, in the script run)."""
    made_on, link = current_vintage(), permalink(card_path(card), card.key)
    return lambda: bundle.card_bundle(card, made_on, link)


def report_bundle_maker():
    """Builds, when clicked, every table of data/ as one bundle (CSV per table, metadata.json, README)."""
    made_on, link, prov = current_vintage(), permalink("data"), data.provenance()
    return lambda: bundle.report_bundle({name: data.table(name) for name in sorted(prov)}, prov, made_on, link)


# ---- embed a chart: ?embed=<card key> plus the card's settings renders that card alone ---------------------------
EMBED = "embed"
EMBED_CHART_HEIGHT = 260      # px: at most, inside an embed frame
EMBED_FRAME_HEIGHT = 720      # px: the <iframe> snippet's height


def embed_key() -> str | None:
    """The card key an embed link asks for; None for an ordinary view (and for Streamlit's own `embed=true`).
    Streamlit keeps `embed` out of st.query_params (it reserves it), so it is read from the run's query string."""
    from urllib.parse import parse_qs

    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx
    ctx = get_script_run_ctx()
    values = parse_qs(getattr(ctx, "query_string", "") or "").get(EMBED, [])
    value = values[0].strip() if values else ""
    return value if value and value.lower() not in ("true", "false") else None


@st.cache_resource(show_spinner=False)
def _card_owners() -> dict[str, str]:
    """card key -> section key, from every section's cards at its defaults (cached and prebuilt already)."""
    from openclosed import report
    from ui import state
    return {key: sec.key for sec in report.with_cards() for key in state.cards(sec.key)}


def _query() -> str:
    """The URL's values as a query string (Streamlit leaves `embed` out of them)."""
    from urllib.parse import urlencode
    return urlencode([(k, v) for k in st.query_params for v in st.query_params.get_all(k)])


def embed_snippet(card: ChartCard) -> str:
    """The <iframe> that shows this card alone, with the current settings and vintage."""
    import html
    url = permalink(card_path(card)).split("#")[0]
    src = url + ("&" if "?" in url else "?") + f"{EMBED}={card.key}"
    return (f'<iframe src="{html.escape(src)}" title="{html.escape(card.title)}" width="100%" '
            f'height="{EMBED_FRAME_HEIGHT}" style="border:0;max-width:1200px;min-width:320px" loading="lazy"></iframe>')


def render_embed(key: str) -> None:
    """The chart-only view: headline, chart, source line, vintage and a link to the full view; no navigation and no
    sidebar. An unknown key says so and lists the keys there are."""
    from openclosed.cards import source_line
    from ui import card as card_ui, presenter
    st.html("""<style>
[data-testid='stSidebar'], [data-testid='stSidebarCollapsedControl'], [data-testid='stHeader'],
[data-testid='stToolbar'], [data-testid='stDecoration'] { display: none !important; }
[data-testid='stMainBlockContainer'] { padding: 0.5rem 0.75rem !important; max-width: 1200px; }
[class*='st-key-embed_'] h4 { font-size: 1.1rem; line-height: 1.3; padding: 0 0 0.25rem 0; }
</style>""")
    owners = _card_owners()
    if key not in owners:
        st.error(f"There is no chart {markdown_literal(key)} to embed. Chart keys: "
                 + ", ".join(markdown_literal(k) for k in sorted(owners)) + ".", icon=":material/error:")
        return
    settings = dict(presenter.current_settings())[owners[key]]
    card = next((c for c in presenter.presenter_cards(owners[key], settings) if c.key == key), None)
    if card is None:                        # a card that these settings do not draw
        st.error(f"The chart {markdown_literal(key)} is not drawn with these settings.", icon=":material/error:")
        return
    with st.container(key=f"embed_{key}"):
        st.markdown(f"#### {card.title}")
        st.caption(card.subtitle)
        spec = card_ui.chart_spec(card)
        if isinstance(spec.get("height"), (int, float)):      # headline, chart and source fit the frame
            spec = {**spec, "height": min(spec["height"], EMBED_CHART_HEIGHT)}
        st.vega_lite_chart(spec, width="stretch")
        query = _query()
        full = f"{card_path(card)}" + (f"?{query}" if query else "") + f"#{card.key}"
        st.caption(f"{source_line(card.sources)}. Data vintage {current_date()}. "
                   f"[Open the full view in {cite.REPORT}]({full})")
