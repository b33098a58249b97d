"""Cost: how much cheaper is open at equal capability, and when does self-hosting pay?"""
import streamlit as st

from openclosed import byod, cost, fmt
from openclosed.cards import by_key
from ui import data, prebuilt, presenter, state, yours
from ui.card import chart_card
from ui import shell

shell.enter()  # a deep link on a fresh server runs the whole app

D = cost.Settings()


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


@st.cache_resource(show_spinner=False)
@prebuilt.kept
def _choices():
    t = _tables()
    sh = cost.self_host_table(t["throughput"], t["gpu_prices"])
    closed = _closed(D.ratio)
    aa = t["scores"][t["scores"]["metric"] == cost.METRIC]
    r1 = aa.loc[aa["model_id"] == "deepseek-r1", "value"]
    released = t["models"].loc[t["models"]["model_id"] == "deepseek-r1", "release_date"]
    return sh, closed[["model_id", "label", "score"]], float(aa["value"].max()), \
        float(r1.max()) if len(r1) else float("nan"), released.iloc[0] if len(released) else None


sh, closed, top_score, r1_score, r1_released = _choices()
max_level = float(int(top_score) + 1)

st.title("Cost")
st.markdown(
    "A popular claim says running open-weight models is **70–90% cheaper** than closed ones. This page tests it "
    "on real prices: what the cheapest model at a given capability costs, open against closed, and how that has "
    "moved over time. Then it gives you a calculator for your own case: pay an API, or rent GPUs and serve an "
    "open model yourself? Capability is the Artificial Analysis Intelligence Index (v4.1); prices are in US "
    "dollars per million tokens ($/M)."
)

@shell.fragment
def controls_and_view() -> None:
    """Every control of the page and what it drives; a fragment, so a control change reruns this part only
    (not the title, the introduction or the sidebar)."""
    # ---- 1. price against capability ---------------------------------------------------------------------
    st.header("Price against capability")
    c1, c2, c3 = st.columns([1.2, 1.4, 1])
    price_source = c1.radio("Price source", list(cost.PRICE_SOURCES), format_func=cost.PRICE_SOURCES.get,
                            key="cost_source", bind="query-params",
                            help="Lab list: the lab's own API price. Cheapest host: the cheapest provider in models.dev. "
                                 "AA reference: Artificial Analysis's price for the same entry as the score.")
    ratio = c2.select_slider("Input:output tokens", options=list(cost.RATIO_STEPS), value=D.ratio,
                             format_func=fmt.ratio, key="cost_ratio", bind="query-params",
                             help="Blended price = (ratio × input price + output price) ÷ (ratio + 1). "
                                  "Chat and RAG workloads are input-heavy; 3:1 is Artificial Analysis's blend.")
    state.upgrade_old_link("cost")
    open_rule = c3.radio("Counts as open", list(cost.OPEN_RULES), format_func=cost.OPEN_RULES.get, key="cost_open",
                         bind="query-params")
    log_price = c3.toggle("Log price axis", value=D.log_price, key="cost_log", bind="query-params")

    threshold = st.slider("Capability threshold: AA Intelligence Index at least", 0.0, max_level, D.threshold, 0.5,
                          key="cost_threshold", bind="query-params",
                          help="The cheapest open and closed model scoring at least this much are compared below.")
    settings = cost.Settings(price_source=price_source or D.price_source, ratio=float(ratio), open_rule=open_rule or D.open_rule,
                             log_price=bool(log_price), threshold=float(threshold))
    market, market_cards = _market(settings.only(cost.MARKET_FIELDS))
    mine = byod.to_key(yours.models())     # the reader's own models (Data & methods), as a hashable cache key
    chart_card(_price_card_yours(settings.only(cost.MARKET_FIELDS), mine) if mine
               else market_cards["cost_price_capability"])
    if mine:
        st.caption(cost.yours_note(byod.from_key(mine), settings))

    # ---- 2. cost at equal capability ----------------------------------------------------------------------
    st.header("Cost at equal capability")
    st.markdown(f"**{cost.headline_threshold(market)}**")
    t = market.at_threshold
    m1, m2, m3, m4 = st.columns(4)
    for col, side, label in ((m1, "open", "Cheapest open"), (m2, "closed", "Cheapest closed")):
        row = t[side]
        if row is None:
            col.metric(label, "none", help=f"No {side} model with a price reaches AA index {threshold:g}.")
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

    # ---- 3. price over time -------------------------------------------------------------------------------
    st.header("Price over time")
    level = st.slider("Capability level for the history: AA Intelligence Index at least", 0.0, max_level,
                      D.history_level, 0.5, key="cost_level", bind="query-params",
                      help=f"The default, {D.history_level:g}, sits just below DeepSeek-R1 (released {fmt.month(r1_released)}), "
                           "which scores "
                           f"{fmt.num(r1_score, 1)}, so its launch and the capacity crunch that followed are in view.")
    hist, hist_cards = _history(cost.Settings(ratio=float(ratio), open_rule=open_rule or D.open_rule,
                                              history_level=float(level)).only(cost.HISTORY_FIELDS))
    chart_card(hist_cards["cost_price_history"])

    # ---- 4. self-host or API ------------------------------------------------------------------------------
    st.header("Self-host or API: a break-even calculator")
    gpu_window = cost.gpu_price_window(_tables()["gpu_prices"])
    st.markdown(
        "Pick a volume and an open model that MLPerf measured, rent GPUs at marketplace prices listed "
        f"{gpu_window or 'in the GPU price snapshot'}, and "
        "compare with paying per token. The closed API defaults to the cheapest closed model that scores at least as "
        "high as the open model; choose another below."
    )
    model_keys = list(dict.fromkeys(sh["model"]))
    labels = {k: cost.self_host_label(sh[sh["model"] == k].iloc[0]) for k in model_keys}
    a1, a2, a3 = st.columns(3)
    tokens = a1.select_slider("Tokens per month (input + output)", options=list(cost.TOKEN_STEPS), value=D.tokens,
                              format_func=fmt.tokens, key="cost_tokens", bind="query-params",
                              help="A log scale from 1M to 100B tokens a month (0 = nothing yet).")
    cache_pct = a1.slider("Input tokens served from the API's prompt cache (%)", 0, 90, int(D.cache_hit * 100), 5,
                          key="cost_cache", bind="query-params",
                          help="Billed at the cache-read price where the data has one. Self-hosting ignores caching.")
    model = a2.selectbox("Open model to self-host (MLPerf-measured)", model_keys,
                         index=model_keys.index(D.model) if D.model in model_keys else 0,
                         format_func=labels.get, key="cost_model", bind="query-params")
    measured_gpus = sorted(sh.loc[sh["model"] == model, "gpu"].unique())
    specs = _tables()["gpu_specs"]
    derivable = sorted(set(_tables()["gpu_prices"]["gpu"]) & set(specs["gpu"]) - set(measured_gpus))
    gpus_avail = measured_gpus + derivable
    gpu = a2.selectbox("GPU type", gpus_avail, index=gpus_avail.index(D.gpu) if D.gpu in gpus_avail else 0,
                       format_func=lambda g: cost.gpu_label(g, g in measured_gpus),
                       key="cost_gpu", bind="query-params",
                       help="Rented GPUs. Without an MLPerf result for this model, throughput is derived from the "
                            "measured GPU nearest in memory bandwidth (scaled by the bandwidth ratio, never up).")
    scen_avail = sorted(sh.loc[(sh["model"] == model) & ((sh["gpu"] == gpu) | (gpu not in measured_gpus)),
                               "scenario"].unique(), key=["Server", "Offline", "Interactive"].index)
    scenario = a2.radio("MLPerf scenario", scen_avail, index=scen_avail.index("Server") if "Server" in scen_avail else 0,
                        key="cost_scenario", bind="query-params", horizontal=True,
                        help="Server: requests arrive over time under a latency bound. Offline: one big batch. "
                             "Interactive: a tighter latency bound.")
    gpu_pct = a2.radio("GPU price", list(cost.GPU_PCTS), index=list(cost.GPU_PCTS).index(D.gpu_pct), key="cost_gpu_pct",
                       bind="query-params", horizontal=True,
                       help="Percentile of the marketplace listings for this GPU (USD per GPU-hour), "
                            f"{gpu_window or 'over the snapshot'}.")
    derate = a3.slider("Realism derate on MLPerf throughput (%)", 5, 100, int(D.derate * 100), 5, key="cost_derate",
                       bind="query-params", help="MLPerf results are vendor-tuned best cases: an upper bound. "
                                                "100% keeps MLPerf's number.")
    util = a3.slider("Target GPU utilization (%)", 1, 100, int(D.utilization * 100), 1, key="cost_util",
                     bind="query-params", help="Average load as a share of capacity; traffic peaks need headroom.")
    b1, b2 = a3.columns(2)
    # Float-typed, shown as whole numbers: Streamlit's integer number_input crashes (OverflowError) on a URL value
    # such as "inf" or "1e309", while the float one falls back to the default (tests/app/test_hostile_urls.py).
    min_gpus = b1.number_input("Minimum GPUs", 1.0, 1024.0, float(D.min_gpus), 1.0, format="%.0f", key="cost_min_gpus",
                               bind="query-params", help="For redundancy. The weights' size can raise it.")
    overhead = b2.number_input("Overhead ($/month)", 0.0, 1_000_000.0, float(D.overhead), 500.0, format="%.0f",
                               key="cost_overhead", bind="query-params",
                               help="Engineering and operations time for self-hosting.")
    closed_ids = ["auto"] + list(closed["model_id"])
    closed_labels = dict(zip(closed["model_id"], closed["label"] + " (AA " + closed["score"].map("{:.1f}".format) + ")"))
    closed_labels["auto"] = "Auto: cheapest closed model at least as capable"
    c_a, c_b = st.columns([2, 1])
    closed_model = c_a.selectbox("Closed API to compare with", closed_ids, format_func=closed_labels.get,
                                 key="cost_closed", bind="query-params")
    against = c_b.radio("Break-even, tornado and simulation against", list(cost.AGAINST),
                        format_func=lambda k: cost.AGAINST[k][0].upper() + cost.AGAINST[k][1:], key="cost_against",
                        bind="query-params")

    calc_settings = cost.Settings(ratio=float(ratio), tokens=float(tokens), cache_hit=cache_pct / 100, model=model,
                                  gpu=gpu, scenario=scenario or "Server", gpu_pct=gpu_pct or D.gpu_pct,
                                  derate=derate / 100, utilization=util / 100, min_gpus=int(round(min_gpus)),
                                  overhead=float(overhead), closed_model=closed_model or "auto",
                                  against=against or D.against)
    calc, calc_cards = _calc(calc_settings.only(cost.CALC_FIELDS))
    presenter.remember_view("cost", cost.Settings(**{**{f: getattr(settings, f) for f in cost.MARKET_FIELDS},
                                                  "history_level": float(level),
                                                  **{f: getattr(calc_settings, f) for f in cost.CALC_FIELDS}}))
    r = calc.calc
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

    st.subheader(f"Monthly cost at {fmt.tokens(r['tokens'])} tokens a month")
    cols = st.columns(3)
    for col, (_, o) in zip(cols, r["options"].iterrows()):
        per_m = "n/a (no tokens)" if r["tokens"] <= 0 else f"{fmt.usd(o['usd_per_mtok'])}/M tokens"
        col.metric(f"{o['option']} ($/month)", fmt.usd(o["monthly_usd"]), help=o["detail"])
        col.caption(f"**{o['model']}** · {per_m} · {o['detail']}")
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
    chart_card(calc_cards["cost_volume"])
    chart_card(calc_cards["cost_tornado"])
    chart_card(calc_cards["cost_monte_carlo"])
    st.caption("GPU rental prices are marketplace listings (Prime Intellect aggregate), not hyperscaler on-demand prices, "
               "which run higher. Self-hosting here excludes power, networking, storage and engineering time unless you "
               "add them as overhead.")

    # ---- 5. your closed model, its open match ---------------------------------------------------------------------
    st.header("Your closed model, its open match")
    match_closed = r["closed"]["model_id"] if r["closed"] is not None else None
    st.markdown(
        "The open models that score level with the closed API chosen above on the evaluations you care about, each "
        "priced per task through a host and self-hosted at your monthly volume. **Tie rule:** over the Artificial "
        "Analysis evaluations both models have, the mean score difference gets a 95% t-interval; *tied* means it "
        f"contains 0 and the open model is at most {fmt.num(cost.match.MARGIN, 0)} points worse on average, "
        "*better* that the whole interval is above 0. Fewer than "
        f"{cost.match.MIN_SHARED} shared evaluations: no verdict.")
    m1, m2, m3 = st.columns(3)
    yard = m1.selectbox("Yardstick", list(cost.match.YARDSTICKS), format_func=lambda k: cost.match.YARDSTICKS[k][0],
                        key="cost_match_yardstick", bind="query-params")
    task_in = m2.number_input("Input tokens per task", 1.0, 1_000_000.0, 3000.0, 500.0, format="%.0f",
                              key="cost_task_in", bind="query-params")
    task_out = m3.number_input("Output tokens per task", 1.0, 1_000_000.0, 1000.0, 100.0, format="%.0f",
                               key="cost_task_out", bind="query-params")
    if match_closed is None:
        st.info("No closed API with a price to match: choose one above.")
    else:
        found = _matches(match_closed, yard or "all", float(task_in or 3000.0), float(task_out or 1000.0),
                         float(r["tokens"]))
        name = r["closed"]["name"]
        if found.empty:
            st.info(f"No open model is tied with or better than {name} on this yardstick in data/.")
        else:
            st.caption(f"{name}: {fmt.usd(found['closed_usd_per_task'].iloc[0], 4)} per task at its API price. "
                       f"Self-hosted per task is at your {fmt.tokens(r['tokens'])} tokens a month; break-even is "
                       f"the monthly volume from which self-hosting the match costs no more than {name}'s API.")
            st.dataframe(cost.match.display_table(found), hide_index=True, width="stretch")


controls_and_view()
