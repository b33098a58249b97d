"""Cost: how much cheaper is open at equal capability, and when does self-hosting pay?"""
import streamlit as st

from openclosed import byod, cost, fmt, urlstate
from openclosed.cards import by_key
from ui import data, prebuilt, presenter, state, yours
from ui.card import chart_card
from ui.controls import control
from ui import shell

shell.enter()  # a deep link on a fresh server runs the whole app


@st.cache_resource(show_spinner=False)
def _tables() -> dict:
    """The page's tables, shared read-only (the core never modifies its inputs), so no copy per call."""
    return {name: data.table(name) for name in cost.TABLES}


@st.cache_resource(show_spinner=False, max_entries=state.VIEWS_KEPT)
@prebuilt.kept
def _market(s: cost.Settings):
    m = cost.analyze_market(_tables(), s)
    return m, by_key(cost.market_cards(m))


@st.cache_resource(show_spinner=False, max_entries=state.VIEWS_KEPT)
def _price_card_yours(s: cost.Settings, mine: tuple):
    """The price-against-capability card with the reader's models as "Yours" (the key holds their rows); the
    market analysis is the cached public one, so frontiers and savings cannot change."""
    m, _ = _market(s)
    return cost.price_capability_card(m, byod.from_key(mine))


@st.cache_resource(show_spinner=False, max_entries=state.VIEWS_KEPT)
@prebuilt.kept
def _history(s: cost.Settings):
    h = cost.analyze_history(_tables(), s)
    return h, by_key(cost.history_cards(h))


@st.cache_resource(show_spinner=False, max_entries=state.VIEWS_KEPT)
@prebuilt.kept
def _closed(ratio: float):
    t = _tables()
    return cost.closed_catalog(t["models"], t["scores"], t["prices"], ratio)


@st.cache_resource(show_spinner=False, max_entries=state.VIEWS_KEPT)
@prebuilt.kept
def _calc(s: cost.Settings):
    t = _tables()
    c = cost.analyze_calc(t, s, sh=cost.self_host_table(t["throughput"], t["gpu_prices"]), closed=_closed(s.ratio))
    return c, by_key(cost.calc_cards(c))


@st.cache_resource(show_spinner=False, max_entries=state.VIEWS_KEPT)
@prebuilt.kept
def _matches(closed_id: str, yardstick: str, task_in: float, task_out: float, tokens: float):
    return cost.match.open_matches(_tables(), closed_id, yardstick, cost.match.Task(task_in, task_out, tokens))


st.title("Cost")
st.markdown(
    "A popular claim says running open-weight models is **70–90% cheaper** than closed ones. This page tests it "
    "on real prices: what the cheapest model at a given capability costs, open against closed, and how that has "
    "moved over time. Then it gives you a calculator for your own case: pay an API, or rent GPUs and serve an "
    "open model yourself? Capability is the Artificial Analysis Intelligence Index (v4.1); prices are in US "
    "dollars per million tokens ($/M)."
)

def price_against_capability() -> tuple[dict, cost.Settings]:
    """Section 1: the market controls and the price-against-capability chart; (their values, their settings)."""
    st.header("Price against capability")
    c1, c2, c3 = st.columns([1.2, 1.4, 1])
    values = {"cost_source": control("cost_source", c1), "cost_ratio": control("cost_ratio", c2),
              "cost_open": control("cost_open", c3), "cost_log": control("cost_log", c3),
              "cost_threshold": control("cost_threshold")}
    settings = urlstate.settings_from_values("cost", values).only(cost.MARKET_FIELDS)
    mine = byod.to_key(yours.models())     # the reader's own models (Data & methods), as a hashable cache key
    chart_card(_price_card_yours(settings, mine) if mine else _market(settings)[1]["cost_price_capability"])
    if mine:
        st.caption(cost.yours_note(byod.from_key(mine), settings))
    return values, settings


def equal_capability(settings: cost.Settings) -> None:
    """Section 2: the cheapest open and closed model at the threshold, and the cards that follow from it."""
    market, market_cards = _market(settings)
    st.header("Cost at equal capability")
    st.markdown(f"**{cost.headline_threshold(market)}**")
    t = market.at_threshold
    m1, m2, m3, m4 = st.columns(4)
    for col, side, label in ((m1, "open", "Cheapest open"), (m2, "closed", "Cheapest closed")):
        row = t[side]
        if row is None:
            col.metric(label, "none", help=f"No {side} model with a price reaches AA index {settings.threshold:g}.")
        else:
            col.metric(label, f"{fmt.usd(row['blended'])}/M",
                       help=f"{row['name']}: AA index {fmt.num(row['score'], 1)}; {fmt.usd(row['price_in'])} in, "
                            f"{fmt.usd(row['price_out'])} out per M tokens ({row['provider']}).")
            col.caption(f"{row['name']} · AA {fmt.num(row['score'], 1)} · $ per million tokens, blended")
    m3.metric("Closed ÷ open price", "n/a" if t["ratio"] is None else f"{fmt.num(t['ratio'], 2)}×")
    m4.metric("Saving with open", fmt.open_saving(t["saving_pct"]),
              help="1 − open price ÷ closed price. When the closed model is cheaper, the line below gives closed's saving: "
                   "1 − closed price ÷ open price.")
    if t["saving_pct"] is not None:
        m4.caption(fmt.saving(t["saving_pct"]).capitalize() + " here.")
    st.caption(
        "Prices are per token, and each model counts with its best-scoring variant. A model at high reasoning effort can "
        "spend many times more tokens on the same task, so the card below prices the same comparison per task too."
    )
    trace = cost.trace_rows(market)
    if len(trace):
        with st.expander("Trace these numbers to data/ (the rows used)"):
            st.dataframe(trace, hide_index=True, width="stretch")
    chart_card(market_cards["cost_saving_curve"])
    chart_card(market_cards["cost_two_currencies"])


def price_over_time(values: dict) -> None:
    """Section 3: the cheapest price at a capability level over time; adds the level to `values`."""
    st.header("Price over time")
    values["cost_level"] = control("cost_level")
    settings = urlstate.settings_from_values("cost", values).only(cost.HISTORY_FIELDS)
    chart_card(_history(settings)[1]["cost_price_history"])


def calculator_controls() -> dict:
    """Section 4's controls: volume, the self-hosted setup (its GPUs and scenarios depend on the model) and the API."""
    st.header("Self-host or API: a break-even calculator")
    gpu_window = cost.gpu_price_window(_tables()["gpu_prices"])
    st.markdown(
        "Pick a volume and an open model that MLPerf measured, rent GPUs at marketplace prices listed "
        f"{gpu_window or 'in the GPU price snapshot'}, and "
        "compare with paying per token. The closed API defaults to the cheapest closed model that scores at least as "
        "high as the open model; choose another below."
    )
    a1, a2, a3 = st.columns(3)
    v = {"cost_tokens": control("cost_tokens", a1), "cost_cache": control("cost_cache", a1),
         "cost_model": control("cost_model", a2)}
    v["cost_gpu"] = control("cost_gpu", a2, given=(v["cost_model"],))
    v["cost_scenario"] = control("cost_scenario", a2, given=(v["cost_model"], v["cost_gpu"]))
    v |= {"cost_gpu_pct": control("cost_gpu_pct", a2), "cost_derate": control("cost_derate", a3),
          "cost_util": control("cost_util", a3)}
    b1, b2 = a3.columns(2)
    v |= {"cost_min_gpus": control("cost_min_gpus", b1), "cost_overhead": control("cost_overhead", b2)}
    c_a, c_b = st.columns([2, 1])
    v |= {"cost_closed": control("cost_closed", c_a), "cost_against": control("cost_against", c_b)}
    return v


def setup_caption(r: dict) -> None:
    """The GPU's rental prices, the MLPerf result used and how the serving plan was chosen."""
    gp = r["gpu_prices"]
    st.caption(
        f"{r['row']['gpu']} rental, 2025-10-19 to 2025-11-16: p25 {fmt.usd(gp['usd_per_gpu_hour_p25'])}, median "
        f"{fmt.usd(gp['usd_per_gpu_hour_median'])}, p75 {fmt.usd(gp['usd_per_gpu_hour_p75'])} per GPU-hour. "
        f"MLPerf {r['row']['scenario']} (result {r['row']['id']}): {fmt.num(r['throughput_mlperf'], 0)} output tokens/s "
        f"per GPU on {r['plan'].measured_gpus} GPUs; used: {fmt.num(r['throughput'], 0)} output tokens/s per GPU "
        f"with prefill ({'an estimate' if r['plan'].estimate else 'the measured configuration'}). "
        f"{r['plan'].why}. Replicas of {r['fit_gpus']} GPUs; minimum in use: {r['min_gpus']}."
        + (f" Closed API (auto): {r['closed']['name']}, AA {fmt.num(r['closed']['score'], 1)} vs {fmt.num(r['open_score'], 1)} for the "
           f"open model." if r["closed_auto"] and r["closed"] is not None else "")
        + (" The hosted price is for a comparable model (same size class), because the measured model itself is no "
           "longer priced." if r["row"]["relation"] == "comparable" else "")
    )


def monthly_costs(r: dict) -> None:
    st.subheader(f"Monthly cost at {fmt.tokens(r['tokens'])} tokens a month")
    for col, (_, o) in zip(st.columns(3), r["options"].iterrows()):
        per_m = "n/a (no tokens)" if r["tokens"] <= 0 else f"{fmt.usd(o['usd_per_mtok'])}/M tokens"
        col.metric(f"{o['option']} ($/month)", fmt.usd(o["monthly_usd"]), help=o["detail"])
        col.caption(f"**{o['model']}** · {per_m} · {o['detail']}")


def break_even(calc) -> None:
    """The volumes from which self-hosting is cheaper, and the simulated chance that it is at yours."""
    r = calc.calc
    e1, e2, e3 = st.columns(3)
    for col, key, label in ((e1, "break_even_hosted", "Break-even vs hosted open"),
                            (e2, "break_even_closed", "Break-even vs closed API")):
        be = r[key]
        if be is None:
            col.metric(label, "n/a", help="No price for this option in data/.")
        elif be.tokens is None:
            col.metric(label, "never", help=be.reason)
            col.caption("Self-hosting costs more at every volume.")
        else:
            col.metric(label, fmt.tokens(be.tokens), help=be.reason)
            note = f"tokens per month, with {be.gpus} GPUs"
            if be.stays_cheaper_from is not None and be.stays_cheaper_from > be.tokens * 1.0001:
                note += (f". Each added GPU can make the API cheaper again for a while; self-hosting stays cheaper "
                         f"above {fmt.tokens(be.stays_cheaper_from)} tokens/month.")
            col.caption(note)
    p = calc.mc.get(f"p_cheaper_{calc.settings.against}")[0]
    e3.metric("Chance self-hosting is cheaper", "n/a" if p != p else f"{fmt.share(p, 0)}",
              help=f"Against {cost.AGAINST[calc.settings.against]}, at your volume: the share of {calc.mc['n']:,} "
                   "simulated scenarios (fixed seed) in which self-hosting costs less.")
    e3.caption(f"vs {cost.AGAINST[calc.settings.against]}, over {calc.mc['n']:,} simulated scenarios")


def self_host_or_api(values: dict) -> dict:
    """Section 4: the calculator; adds its controls to `values` and returns its result (`calc.calc`)."""
    values |= calculator_controls()
    settings = urlstate.settings_from_values("cost", values)
    presenter.remember_view("cost", settings)
    calc, calc_cards = _calc(settings.only(cost.CALC_FIELDS))
    setup_caption(calc.calc)
    monthly_costs(calc.calc)
    break_even(calc)
    chart_card(calc_cards["cost_volume"])
    chart_card(calc_cards["cost_tornado"])
    chart_card(calc_cards["cost_monte_carlo"])
    st.caption("GPU rental prices are marketplace listings (Prime Intellect aggregate), not hyperscaler on-demand prices, "
               "which run higher. Self-hosting here excludes power, networking, storage and engineering time unless you "
               "add them as overhead.")
    return calc.calc


def open_match(r: dict) -> None:
    """Section 5: the open models level with the closed API chosen above, priced per task."""
    st.header("Your closed model, its open match")
    st.markdown(
        "The open models that score level with the closed API chosen above on the evaluations you care about, each "
        "priced per task through a host and self-hosted at your monthly volume. **Tie rule:** over the Artificial "
        "Analysis evaluations both models have, the mean score difference gets a 95% t-interval; *tied* means it "
        f"contains 0 and the open model is at most {fmt.num(cost.match.MARGIN, 0)} points worse on average, "
        "*better* that the whole interval is above 0. Fewer than "
        f"{cost.match.MIN_SHARED} shared evaluations: no verdict.")
    m1, m2, m3 = st.columns(3)
    yard = control("cost_match_yardstick", m1)
    task_in, task_out = control("cost_task_in", m2), control("cost_task_out", m3)
    if r["closed"] is None:
        st.info("No closed API with a price to match: choose one above.")
        return
    found = _matches(r["closed"]["model_id"], yard, float(task_in), float(task_out), float(r["tokens"]))
    name = r["closed"]["name"]
    if found.empty:
        st.info(f"No open model is tied with or better than {name} on this yardstick in data/.")
    else:
        st.caption(f"{name}: {fmt.usd(found['closed_usd_per_task'].iloc[0], 4)} per task at its API price. "
                   f"Self-hosted per task is at your {fmt.tokens(r['tokens'])} tokens a month; break-even is "
                   f"the monthly volume from which self-hosting the match costs no more than {name}'s API.")
        st.dataframe(cost.match.display_table(found), hide_index=True, width="stretch")


@shell.fragment
def controls_and_view() -> None:
    """Every control of the page and what it drives; a fragment, so a control change reruns this part only
    (not the title, the introduction or the sidebar). The controls are drawn from their declarations
    (openclosed/urlstate.py)."""
    state.upgrade_old_link("cost")
    values, market_settings = price_against_capability()
    equal_capability(market_settings)
    price_over_time(values)
    open_match(self_host_or_api(values))


controls_and_view()
