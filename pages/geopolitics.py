"""Geopolitics: who releases open and who releases closed models, and how far apart are the US and China?"""
import streamlit as st

from openclosed import fmt, geo, report
from ui import data, prebuilt, presenter, state
from ui.card import chart_card, presenter_mode
from ui import shell

shell.enter()  # a deep link on a fresh server runs the whole app

D = geo.Settings()
_EPOCH_LIST_END = str(data.table("epoch_models")["publication_date"].max())
_EPOCH_SNAPSHOT = next(src["snapshot"] for src in data.provenance()["epoch_models"]["sources"]
                       if src["id"] == "epoch_models")


@st.cache_resource(show_spinner=False, max_entries=state.VIEWS_KEPT)
@prebuilt.kept
def _facts(settings: geo.Settings):
    """The headline numbers and the scored models without a country, for the settings they read
    (`geo.FACTS_READS`); the cards are cached one by one (`state.card`)."""
    an = geo.analyze({name: data.table(name) for name in geo.TABLES}, settings)
    no_country = an.no_country_points.head(5)[["model", "value"]]
    return {"metrics": geo.metrics(an), "no_country": (len(an.no_country_points), no_country), "metric": an.metric}


@st.cache_resource(show_spinner=False)
@prebuilt.kept
def _comparison():
    return geo.analyze({name: data.table(name) for name in geo.TABLES}, D).comparison


def _card(card) -> None:
    if card.data is None or card.data.empty:
        st.info(f"{card.title} Widen the year range or change the list.")
    else:
        chart_card(card)


st.title("Geopolitics: who releases open models, and how far apart are the US and China?")
st.markdown(
    "The common picture is that China leads open-weight releases while the US leads the closed frontier. "
    "This page checks that picture against Epoch AI's catalog of notable and large-scale models and against "
    "capability scores, year by year. Every setting below is stored in the link, so a shared URL reproduces "
    "the view."
)

@shell.fragment
def controls_and_view() -> None:
    """The controls and every chart they drive; a fragment, so a control change reruns this part only."""
    state.upgrade_old_link("geo")
    with st.container(border=True):
        c1, c2, c3 = st.columns([1.3, 1, 1])
        years = c1.slider("Years of publication", geo.YEAR_MIN, geo.YEAR_MAX, value=(D.year_from, D.year_to),
                          key="geo_years", bind="query-params",
                          help=f"Epoch's model lists end on {_EPOCH_LIST_END}; capability scores may run later.")
        model_list = c2.radio("Epoch list", list(geo.LISTS), format_func=geo.LISTS.get, key="geo_list",
                              bind="query-params",
                              help="Notable: Epoch's notability criteria. Large-scale: over 10²³ FLOP. The lists "
                                   "overlap and are never added together.")
        open_rule = c3.radio("What counts as open", list(geo.OPEN_RULES), format_func=geo.OPEN_RULES.get,
                             key="geo_open", bind="query-params",
                             help="Any open weights, or only weights under an unrestricted licence.")
        c4, c5, c6 = st.columns([1.3, 1, 1])
        grouping = c4.radio("Region grouping", list(geo.GROUPINGS), format_func=geo.GROUPINGS.get, key="geo_regions",
                            bind="query-params", horizontal=True)
        counting = c5.radio("Multi-country models", list(geo.COUNTING), format_func=geo.COUNTING.get,
                            key="geo_counting", bind="query-params",
                            help="Full: a US-UK model counts once for the US and once for Europe. Fractional: half each.")
        metric = c6.selectbox("Capability score", list(geo.METRICS), format_func=geo.METRICS.get, key="geo_metric",
                              bind="query-params")

    metrics_box = st.container()

    st.header("Who releases open and who releases closed")
    if not presenter_mode():
        st.markdown(
            "Each bar counts the models of one region in one year, split by access. A model whose organizations sit "
            "in several countries is handled by the counting rule above; \"China,China\" in Epoch's data (two Chinese "
            "organizations) is one Chinese model under either rule."
        )
    measure = st.radio("Show", list(geo.MEASURES), format_func=geo.MEASURES.get, key="geo_measure",
                       bind="query-params", horizontal=True, label_visibility="collapsed")

    settings = geo.Settings(year_from=int(years[0]), year_to=int(years[1]), model_list=model_list or D.model_list,
                            counting=counting or D.counting, open_rule=open_rule or D.open_rule,
                            grouping=grouping or D.grouping, measure=measure or D.measure, metric=metric or D.metric)
    settings = settings.clean()
    presenter.remember_view("geo", settings)
    res = _facts(report.only(settings, geo.FACTS_READS))
    cards = {key: state.card("geo", key, settings) for key in geo.CARD_READS}

    if res["metrics"]:
        cols = metrics_box.columns(len(res["metrics"]))
        for col, m in zip(cols, res["metrics"]):
            col.metric(m["label"], m["value"], help=m["help"])

    _card(cards["geo_releases"])
    _card(cards["geo_share_open"])

    st.header("How far apart are the US and China?")
    if not presenter_mode():
        st.markdown(
            "The best American and the best Chinese model to date, on one capability score. The gap in months uses "
            "the same code as the Performance page: how long ago the US first reached the score China has now."
        )
    _card(cards["geo_capability"])
    _card(cards["geo_lag"])
    st.markdown("**Published estimates beside this report's recomputation** (same definition, nearest snapshot)")
    st.table(_comparison().rename(columns={
        "quantity": "Quantity", "published": "Published", "published_range": "Published range",
        "published_by": "Source", "this_report": "This report", "this_report_range": "Range (daily min-max)",
        "how": "How recomputed"}).style.format({"Published": lambda v: fmt.num(v, 1), "This report": lambda v: fmt.num(v, 1)}).hide(axis="index"))
    n_nc, top_nc = res["no_country"]
    if n_nc:
        st.caption(f"{n_nc} models scored on {res['metric']['label']} have no country in the catalog and are left out "
                   f"of the US-China comparison; the highest-scoring is {top_nc['model'].iloc[0]} "
                   f"({fmt.num(top_nc['value'].iloc[0], 1)}).")

    st.subheader("Who leads the open-weight frontier?")
    _card(cards["geo_open_frontier"])

    st.header("Compute")
    if not presenter_mode():
        st.markdown(
            "The largest training runs by region, from Epoch's estimates. Compute for closed models is rarely "
            "disclosed, so most of the largest figures are estimates; the marker shape shows Epoch's confidence."
        )
    _card(cards["geo_compute"])
    _card(cards["geo_compute_capability"])

    st.header("Policy timeline")
    _card(cards["geo_timeline"])
    ev = cards["geo_timeline"].data
    if not ev.empty and not presenter_mode():
        with st.expander("Events and their sources"):
            st.dataframe(ev[["date", "label", "lane", "country", "source", "url"]], hide_index=True, width="stretch",
                         column_config={"date": st.column_config.DateColumn("Date", format="YYYY-MM-DD"),
                                        "url": st.column_config.LinkColumn("Link")})


controls_and_view()

st.header("What this page can and cannot say")
st.markdown(
    f"- **Coverage.** Epoch's lists are curated. *Notable* models meet one of its criteria (state of the art, highly "
    "cited, historically significant, or costly to train); *large-scale* models are estimated above 10²³ FLOP. "
    "Models that meet neither are absent, and how completely recent or non-US models are catalogued depends on "
    f"Epoch. The copy used here is the snapshot of {_EPOCH_SNAPSHOT} and ends on {_EPOCH_LIST_END}.\n"
    "- **Compute figures are estimates.** Epoch labels each one *Confident*, *Likely* or *Speculative*; for "
    "closed models they are mostly inferred from hardware, training time or benchmark results, not disclosed.\n"
    "- **Country** is the country of the developing organization's headquarters, not where the model was "
    "trained or who uses it.\n"
    "- **Open** means the weights can be downloaded; it says nothing about training data or code.\n"
    "- **Capability scores** are composite indices that are re-estimated between snapshots; each chart names "
    "the snapshot it uses. Scores measure benchmark performance, not usage or revenue, so this page cannot say "
    "who leads in revenue."
)
