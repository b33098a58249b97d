"""Geopolitics: who releases open and who releases closed models, and how far apart are the US and China?"""
import streamlit as st

from openclosed import fmt, geo, report, urlstate
from ui import data, prebuilt, presenter, state
from ui.card import chart_card, presenter_mode
from ui.controls import control
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

def read_controls() -> dict:
    """The controls above the charts, drawn from their declarations (openclosed/urlstate.py): {key: value}."""
    state.upgrade_old_link("geo")
    with st.container(border=True):
        row1, row2 = st.columns([1.3, 1, 1]), st.columns([1.3, 1, 1])
        keys = ("geo_years", "geo_list", "geo_open", "geo_regions", "geo_counting", "geo_metric")
        return {key: control(key, column) for key, column in zip(keys, (*row1, *row2))}


def headline_metrics(box, res: dict) -> None:
    if res["metrics"]:
        for col, m in zip(box.columns(len(res["metrics"])), res["metrics"]):
            col.metric(m["label"], m["value"], help=m["help"])


def us_china_gap(cards: dict, res: dict) -> None:
    """The US-China capability gap, the published estimates beside ours, and the models left out for no country."""
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


def compute_and_timeline(cards: dict) -> None:
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


@shell.fragment
def controls_and_view() -> None:
    """The controls and every chart they drive; a fragment, so a control change reruns this part only."""
    values = read_controls()
    metrics_box = st.container()

    st.header("Who releases open and who releases closed")
    if not presenter_mode():
        st.markdown(
            "Each bar counts the models of one region in one year, split by access. A model whose organizations sit "
            "in several countries is handled by the counting rule above; \"China,China\" in Epoch's data (two Chinese "
            "organizations) is one Chinese model under either rule."
        )
    values["geo_measure"] = control("geo_measure", label_visibility="collapsed")

    settings = urlstate.settings_from_values("geo", values)
    presenter.remember_view("geo", settings)
    res = _facts(report.only(settings, geo.FACTS_READS))
    cards = {key: state.card("geo", key, settings) for key in geo.CARD_READS}

    headline_metrics(metrics_box, res)
    _card(cards["geo_releases"])
    _card(cards["geo_share_open"])
    us_china_gap(cards, res)
    st.subheader("Who leads the open-weight frontier?")
    _card(cards["geo_open_frontier"])
    compute_and_timeline(cards)


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
