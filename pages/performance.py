"""Performance: how far behind are open models, in score and in months, and is the gap closing?"""
import streamlit as st

from openclosed import byod, fmt, urlstate
from openclosed import performance as P
from openclosed.performance import LAG_DEFINITIONS, LAG_NAMES
from ui import data, prebuilt, yours
from ui.card import chart_card
from ui.controls import control
from ui import presenter, shell, state

shell.enter()  # a deep link on a fresh server runs the whole app



@st.cache_resource(show_spinner=False)
@prebuilt.kept
def _prepared() -> P.Prepared:
    """The tables plus per-metric base points, built once per server."""
    return P.prepare({name: data.table(name) for name in P.TABLES}).warm()


@st.cache_resource(show_spinner="Checking our numbers against Epoch's…")
@prebuilt.kept
def _fixed() -> dict:
    """Cards that do not depend on the controls: the Epoch check, the triangulation and the 2024 re-run."""
    return P.fixed_parts(_prepared())


@st.cache_resource(show_spinner="Computing the frontiers…", max_entries=state.VIEWS_KEPT)
@prebuilt.kept
def _view(settings: P.Settings):
    """Frontier, gap and lag for one setting of the controls (with the bootstrap), and the data notes."""
    analysis, view = P.view_cards(_prepared(), settings)
    return analysis, view, P.data_notes(analysis)


@st.cache_resource(show_spinner=False, max_entries=state.VIEWS_KEPT)
def _frontier_yours(settings: P.Settings, mine: tuple):
    """The frontier card with the reader's models drawn as "Yours". The key holds their rows; the analysis is
    the cached public one, so the frontiers, lags and headlines cannot change."""
    analysis, _, _ = _view(settings)
    return P.freeze(P.frontier_card(analysis, _prepared()["events"], byod.from_key(mine)))


@st.cache_resource(show_spinner=False, max_entries=state.VIEWS_KEPT)
@prebuilt.kept
def _domains(rule: str, include_flagged: bool, country: str, end: str):
    return P.domain_cards(_prepared(), P.Settings(open_rule=rule, include_flagged=include_flagged, country=country,
                                                  end=end))


st.title("Performance: how far behind are open models?")
st.markdown(
    "Open-weight models (whose trained weights anyone can download and run) have been catching up with the "
    "best closed models, which are only reachable through an API. This page measures the gap two ways: "
    "**in points**, how far the best open model scores below the best closed one, and **in months**, how "
    "long ago closed models first reached the level open models have now. It then checks our numbers "
    "against the published ones and shows how much the answer depends on the yardstick."
)

def read_controls() -> P.Settings:
    """The controls, drawn from their declarations (openclosed/urlstate.py), as cleaned settings."""
    state.upgrade_old_link("performance")
    with st.container(border=True, key="perf_controls"):
        c1, c2 = st.columns([1, 1.3])
        values = {"perf_metric": control("perf_metric", c1)}
        pulled = P.range_within_data(st.query_params.get_all("perf_range"))
        if pulled is not None:          # a link whose range ends past the data: its end pulled back, said so
            st.query_params["perf_range"] = list(pulled[0])
        values["perf_range"] = control("perf_range", c2)
        if pulled is not None:
            c2.caption(pulled[1])
        for key, column in zip(("perf_open", "perf_country", "perf_flagged"), st.columns([1.2, 1.2, 1])):
            values[key] = control(key, column)
    return urlstate.settings_from_values("performance", values)


def headline_metrics(analysis, settings: P.Settings) -> None:
    """Lag and gap today, open's share where the score has a true zero, and the average lag; or why not."""
    h = P.headline_numbers(analysis)
    m = P.METRICS[settings.metric]
    measurable = not analysis.empty and h["gap_now"] == h["gap_now"]
    cols = st.columns(4 if m.true_zero else 3)
    cols[0].metric(LAG_NAMES["today"], fmt.months(h["lag_now"]) if measurable else "n/a",
                   help=f"As of {fmt.day(h['now'])}, the date this yardstick's data end: "
                        f"{LAG_DEFINITIONS['today']} (best open: {h['open_model'] or 'none'}; first reached by "
                        f"{h['matched_model'] or 'none'}).")
    cols[1].metric(f"Gap today ({m.points_word})", fmt.num(h["gap_now"], m.decimals),
                   help=f"Best closed ({h['closed_model'] or 'none'}) minus best open "
                        f"({h['open_model'] or 'none'}); negative when the best open model is ahead.")
    if m.true_zero:
        cols[-2].metric("Open's % of the closed score", fmt.num(h["open_pct"], 1) + ("%" if h["open_pct"] == h["open_pct"] else ""),
                        help=f"{m.label} is percent correct, so 0 means nothing solved and the ratio means something.")
    cols[-1].metric(f"Average lag since {fmt.month(settings.start_ts)}",
                   fmt.num(h["mean_lag"], 1) + " months" if h["mean_lag"] == h["mean_lag"] else "n/a",
                   help=f"{LAG_NAMES['level_average']}: {LAG_DEFINITIONS['level_average']}; over your date range, "
                        f"90% bootstrap interval {fmt.num(h['mean_lag_low'], 1)} to {fmt.num(h['mean_lag_high'], 1)} "
                        f"months. Not the {LAG_NAMES['daily_average'].lower()} ({LAG_DEFINITIONS['daily_average']}).")
    if not measurable:
        st.info(f"This selection has {h['n_open']} open and {h['n_closed']} closed models on {m.label} in the date "
                "range, so the gap cannot be measured. Widen the date range, choose all countries, or another "
                "yardstick.")


def view_sections(settings: P.Settings, view: dict, notes: str) -> None:
    """Sections 1-3 (the frontier, the gap in two forms, by domain) and the data notes, for these settings."""
    domains = _domains(settings.open_rule, settings.include_flagged, settings.country, settings.end)
    frontier_card = view["perf_frontier"]
    mine = byod.to_key(yours.models())     # the reader's own models (Data & methods), as a hashable cache key
    if mine:
        frontier_card = _frontier_yours(settings, mine)

    st.header("1. The frontier over time")
    st.markdown(
        "Each dot is a model; the lines step up whenever a model beats every earlier model of its kind. The "
        "vertical distance between the lines is the gap in points; the horizontal distance is the lag in months."
    )
    chart_card(frontier_card)
    if mine:
        st.caption(P.yours_note(byod.from_key(mine), settings))

    st.header("2. The gap in two forms")
    st.markdown(
        "The **vertical gap** says how much better the best closed model scores today. The **horizontal lag** "
        "says how far back in time you have to go to find closed models as good as today's best open one. The "
        "lag resets when a strong open model arrives and grows by a month every month until the next one, so "
        "the lag *today* can sit well above the lag *on average*: compare the first and last numbers above. "
        "That is why the trend line matters more than any single date, and why our single-date figure is not "
        "comparable with Epoch AI's averages."
    )
    chart_card(view["perf_gap"])
    chart_card(view["perf_lag"])

    st.header("3. Where open leads and where it lags")
    st.markdown(
        "A single index hides that open models are closer on some skills than on others. Here each benchmark "
        "compares the best open score with the best closed score, using the same filters as above."
    )
    chart_card(domains)

    with st.expander("Data notes: what to watch for in these numbers"):
        st.markdown(notes)


@shell.fragment
def controls_and_view() -> None:
    """The controls and every card they drive. A fragment: changing a control reruns this part of the page only,
    not the title, the fixed cards below or the sidebar."""
    settings = read_controls()
    presenter.remember_view("performance", settings)
    st.caption(P.METRICS[settings.metric].what)
    analysis, view, notes = _view(settings)
    headline_metrics(analysis, settings)
    view_sections(settings, view, notes)

controls_and_view()
fixed = _fixed()
st.header("4. Lag today on every yardstick")
st.markdown(
    "Each yardstick ends on a different date, and a yardstick that stopped earlier cannot see the newest models. "
    "This card measures lag today on each one's own newest data, says when that data ends, and marks the one "
    "the Overview's headline uses; the spread between rows is part of the answer."
)
chart_card(fixed["yardsticks_card"])
st.dataframe(P.yardsticks_table(fixed["yardsticks"]), hide_index=True, width="stretch")

st.header("5. Checking our method against Epoch AI's")
st.markdown(fixed["epoch_intro"])
chart_card(fixed["epoch_card"])

st.header("6. Triangulation: how much the answer depends on the yardstick")
st.markdown(
    "Published estimates of the lag range from a few months to well over a year. They are not contradictory: "
    "they measure different things. The chart groups them by method; open *About this chart* for why they "
    "differ."
)
chart_card(fixed["triangulation_card"])

st.header("7. Reproducing Epoch's 2024 report")
st.markdown(
    "Epoch's November 2024 report *How far behind are open models?* found that open models lagged by about "
    "a year on benchmarks. We re-ran its catch-up method on its own input data."
)
chart_card(fixed["report2024_card"])


@st.cache_resource(show_spinner=False)
def _prewarm() -> bool:
    """Once per server, after the first page view has rendered: compute every yardstick at the default
    settings, so that switching yardstick, the most common change, is a cache hit."""
    for key in P.METRICS:
        _view(P.Settings(metric=key))
    return True


_prewarm()
