"""Cost headlines (computed from the analysis), chart cards and ``cards()`` in page order."""
from __future__ import annotations

import numpy as np
import pandas as pd

from openclosed import fmt, theme
from openclosed.cards import ChartCard, by_key
from openclosed.cost import serving
from openclosed.cost.calculator import self_host_label
from openclosed.cost.market import PRICE_SOURCE_NOTES, PRICE_SOURCES, yours_prices
from openclosed.cost.model import AGAINST, Calc, History, Market, PAGE, Results, Settings, analyze
from openclosed.cost.primitives import HOURS_PER_MONTH, BreakEven
from openclosed.cost.uncertainty import MC_SEED
from openclosed.openness import OPEN_RULES
from openclosed.cost import robust
from openclosed.cost.charts import (
    chart_two_currencies, two_currency_frame,
    TORNADO_TOP, chart_history, chart_mc, chart_price_capability, chart_saving, chart_tornado, chart_volume,
)


def yours_note(user: pd.DataFrame | None, settings: Settings) -> str:
    """A caption for the page when the reader has models: how many are on the price chart, why the others are
    not, and that none of them changes a computed number. '' when there are none."""
    if user is None or len(user) == 0:
        return ""
    s = settings.clean()
    shown = yours_prices(user, s.ratio, s.log_price)
    n = len(user)
    txt = (f"Your models: {len(shown)} of {n} {'is' if len(shown) == 1 else 'are'} drawn on the price-against-"
           f"capability chart as purple diamonds marked 'Yours' (blended at {fmt.ratio(s.ratio)} input:output). "
           "They are for comparison only: the Pareto frontiers, the cheapest models and the savings use public "
           "data and do not change.")
    if len(shown) < n:
        txt += (" The chart needs an AA Intelligence Index score and both prices"
                + (" (and a price above 0 on the log axis)" if s.log_price else "") + ".")
    return txt


def gpu_price_window(gpu_prices: pd.DataFrame) -> str:
    """The dates the GPU rental prices cover, from the table ('19 Oct – 16 Nov 2025'); '' when unknown."""
    if gpu_prices is None or not len(gpu_prices) or "first_date" not in gpu_prices:
        return ""
    a = pd.to_datetime(gpu_prices["first_date"], errors="coerce").min()
    b = pd.to_datetime(gpu_prices["last_date"], errors="coerce").max()
    if pd.isna(a) or pd.isna(b):
        return ""
    return f"{a:%-d %b} – {b:%-d %b %Y}" if a.year == b.year else f"{a:%-d %b %Y} – {b:%-d %b %Y}"


# ----- headlines (computed, true for the settings in force) -------------------------------------------

def _ranges_text(rs: list[tuple[float, float]], n_max: int = 3) -> str:
    txt = ", ".join(robust.fmt_range(a, b) for a, b in rs[:n_max])
    return txt + (", …" if len(rs) > n_max else "")


def headline_scatter(m: Market) -> str:
    o, cl = m.pc[m.pc["open"]], m.pc[~m.pc["open"]]
    r = m.ranges
    if r is None or r.empty:
        return "No capability level has both a priced open and a priced closed model under these settings."
    cheaper = robust.merged_ranges(r, (r["saving_pct"] > 0).to_numpy())
    dearer = robust.merged_ranges(r, (r["saving_pct"] <= 0).to_numpy())
    lead = (f"The cheapest open model undercuts the cheapest closed one for AA index {_ranges_text(cheaper)}"
            if cheaper else "The cheapest closed model is never dearer than the cheapest open one")
    if cheaper and dearer:
        lead += f"; closed is as cheap or cheaper for {_ranges_text(dearer)}"
    tail = ""
    if len(o) and len(cl):
        tail = f"; the top open model scores {o['score'].max():.1f}, the top closed {cl['score'].max():.1f}"
    return lead + tail + "."


def headline_threshold(m: Market) -> str:
    t = m.at_threshold
    th = f"{t['threshold']:g}"
    if t["open"] is None and t["closed"] is None:
        return f"No priced model reaches AA index {th}."
    if t["open"] is None:
        return (f"No open model reaches AA index {th}; the cheapest closed model that does is "
                f"{t['closed']['name']} at {fmt.usd(t['closed']['blended'])}/M tokens.")
    if t["closed"] is None:
        return (f"No closed model reaches AA index {th}; the cheapest open model that does is "
                f"{t['open']['name']} at {fmt.usd(t['open']['blended'])}/M tokens.")
    sv = t["saving_pct"]
    o, c = t["open"], t["closed"]
    if sv > 0:
        lead = (f"At AA index ≥ {th}, open is {sv:.0f}% cheaper per token: {o['name']} at {fmt.usd(o['blended'])} vs "
                f"{c['name']} at {fmt.usd(c['blended'])} per million tokens")
    else:
        lead = (f"At AA index ≥ {th}, closed is as cheap or cheaper per token: {c['name']} at "
                f"{fmt.usd(c['blended'])} vs {o['name']} at {fmt.usd(o['blended'])} per million tokens")
    return lead + loo_text(m.robust) + "."


def _gone(model: str, members: tuple[str, ...]) -> str:
    """Who a leave-one-family-out removes: the model, or its whole family by name."""
    others = [x for x in members if x != model]
    return model if not others else f"{model}'s family ({', '.join([model] + others)})"


def loo_text(r) -> str:
    """'; without DeepSeek V4 Flash 0731's family (DeepSeek V4 Flash 0731, DeepSeek V4 Flash) it is 11% (Hy3
    decides), without GPT-5.6 Luna 90% (GPT-5.4 mini decides)': each deciding model's family left out in turn."""
    if r is None or not r.ok:
        return ""
    parts = []
    for gone, members, val, nxt in ((r.open_model, r.open_family_members, r.without_open, r.next_open),
                                    (r.closed_model, r.closed_family_members, r.without_closed, r.next_closed)):
        who = _gone(gone, tuple(members))
        parts.append(f"without {who} {val:.0f}% ({nxt} decides)" if np.isfinite(val)
                     else f"without {who} no comparison")
    return "; " + ", ".join(parts)


def runs_set_text(m: Market) -> str:
    """Why the two-currency card's per-token saving can differ from the equal-capability card's: the index-run
    file holds fewer models. '' when the deciding pair is in both."""
    tc = m.two
    if tc is None or m.robust is None or not m.robust.ok or not tc.per_token.ok:
        return ""
    d = robust.missing_from_runs(m.pc, m.robust, tc)
    if not d["deciding_missing"]:
        return ""
    names = " and ".join(d["deciding_missing"])
    return (f"This file has {d['n_shared']} of the {d['n_market']} models the equal-capability card compares at "
            f"AA index ≥ {tc.threshold:g} and lacks {names}, which decide{'s' if len(d['deciding_missing']) == 1 else ''}"
            f" that card's {m.robust.saving:.0f}% per token; both currencies here use the same "
            f"{len(tc.models)} entries, so the per-token saving here ({tc.per_token.saving:.0f}%) answers the "
            "per-task question on the models that have a task cost, not the market's cheapest.")


def headline_saving(m: Market) -> str:
    r = m.ranges
    if r is None or r.empty:
        return "No capability level has both an open and a closed model with a price under these settings."
    band = robust.claim_ranges(r)
    longest = r.assign(width=r["high"] - r["low"]).sort_values("width", ascending=False, kind="mergesort").iloc[0]
    pairs = len(r[["open_model", "closed_model"]].drop_duplicates())
    where = (f"The 70–90% saving holds only for AA index {_ranges_text(band)}" if band else
             "The 70–90% saving holds at no capability level")
    return (f"{where}; {pairs} pairs of models decide the whole curve, and one pair, {longest['open_model']} vs "
            f"{longest['closed_model']} ({longest['saving_pct']:.0f}%), decides every level "
            f"in AA index {robust.fmt_range(longest['low'], longest['high'])}.")


def headline_two(m: Market) -> str:
    tc = m.two
    th = f"{m.settings.threshold:g}"
    if tc is None or not (tc.per_token.ok and tc.per_run.ok):
        return f"Artificial Analysis has no index-run cost for both an open and a closed model at AA index ≥ {th}."
    a, b = tc.per_token, tc.per_run
    th = f"{th} (the {len(tc.models)} entries AA ran its index on, one set for both currencies)"

    def side(x):
        return f"{abs(x.saving):.0f}% {'cheaper' if x.saving > 0 else 'dearer'}"
    if (a.saving > 0) != (b.saving > 0):
        return (f"At AA index ≥ {th}, open is {side(a)} per token but {side(b)} per task (per index run): "
                f"{b.open_model} vs {b.closed_model} once the tokens each spends are counted.")
    if a.open_model != b.open_model or a.closed_model != b.closed_model:
        return (f"At AA index ≥ {th}, open is {side(a)} per token ({a.open_model} vs {a.closed_model}) and "
                f"{side(b)} per task ({b.open_model} vs {b.closed_model}): the two currencies pick different models.")
    return (f"At AA index ≥ {th}, open is {side(a)} per token and {side(b)} per task, and both currencies pick "
            f"{a.open_model} vs {a.closed_model}.")


def two_currency_card(m: Market) -> ChartCard:
    s = m.settings
    tc = m.two
    data = two_currency_frame(m)
    date = "" if tc is None or tc.models.empty else tc.models["as_of"].iloc[0]
    rows = []
    for r in (() if tc is None else (tc.per_token, tc.per_run)):
        rows.append(f"{robust.CURRENCIES[r.col]}: {r.open_model} vs {r.closed_model}, "
                    + (f"{r.saving:.0f}%{loo_text(r)}; any of the {robust.TOP_K} cheapest on each side gives "
                       f"{r.spread_low:.0f}% to {r.spread_high:.0f}%" if r.ok else "no comparison"))
    return ChartCard(
        key="cost_two_currencies", title=headline_two(m),
        subtitle=(f"Models Artificial Analysis ran its Intelligence Index on (file of {date}) scoring at least "
                  f"{s.threshold:g}: blended price per million tokens ({fmt.ratio(s.ratio)} input:output) and the "
                  "USD one run of the whole index cost. Rings: the cheapest open and closed model in each currency. "
                  + " ".join(x[0].upper() + x[1:] + "." for x in rows)
                  + ("" if not runs_set_text(m) else " " + runs_set_text(m))
                  + ("" if tc is None or not tc.one_currency_only else
                     f" Left out for having one currency only: {', '.join(tc.one_currency_only)}.")),
        chart=chart_two_currencies(m), data=data, sources=["aa_index_runs"],
        alt=("Two dot plots side by side, one row per model: price per million tokens and cost of one "
             "Intelligence Index run, open models orange, closed blue, the cheapest of each ringed."),
        method=("**Recompute from the raw file** `artificial_analysis/aa_model_data_enriched_2026-07-31.csv`: keep "
                f"rows with `intel` ≥ {s.threshold:g}; open = `type` 'Open weights', closed = 'Proprietary'. **Per "
                f"token:** blended = ({s.ratio:g} × `inp` + `out`) ÷ ({s.ratio:g} + 1), rows with a price above 0. "
                "**Per task:** `cost`, the USD Artificial Analysis paid to run the whole index once (the input and "
                "output tokens the model used, `tokens_m` million of them, at its prices); rows without it are "
                "left out, and so are their per-token prices, so both currencies compare one set of models. In each "
                "currency, saving = 1 − cheapest open ÷ cheapest closed. **Leave-one-family-out:** the same with "
                "every checkpoint of the deciding open (then closed) model's family removed (the catalog's `family`; "
                "a dated twin at the same price would otherwise stand in for it). **Spread:** the lowest and highest saving "
                f"over every pair of the {robust.TOP_K} cheapest open and {robust.TOP_K} cheapest closed models. The "
                "score here is the one the file records with the run (whole numbers), so it can differ from the "
                "AA API score on the other cards; AA's separate cost-per-task chart is in `data/aa_index_runs.csv` "
                "(dataset 'task'). Source: Artificial Analysis, artificialanalysis.ai (attribution required)."),
        page=PAGE, settings=s.label())


def headline_history(h: History) -> str:
    d = h.history
    lvl = h.settings.history_level
    if d.empty:
        return f"No model listed on OpenRouter reaches AA index {lvl:g} under these settings."
    parts = []
    for grp in theme.OPENNESS_DOMAIN:
        g = d[d["group"] == grp].sort_values("date")
        name = "open" if grp == theme.OPENNESS_DOMAIN[0] else "closed"
        if g.empty:
            parts.append(f"no {name} model reaches it")
            continue
        first, last = g.iloc[0], g.iloc[-1]
        verb = "fell" if last["price"] < first["price"] else ("rose" if last["price"] > first["price"] else "held")
        parts.append(f"{name} {verb} from {fmt.usd(first['price'])} ({pd.Timestamp(first['date']):%b %Y}) to "
                     f"{fmt.usd(last['price'])}")
    return f"Cheapest price per million tokens to reach AA index {lvl:g}: " + "; ".join(parts) + "."


def be_text(be: BreakEven | None, max_tokens: float = 1e11) -> str:
    """A break-even in words, for metrics and headlines."""
    if be is None or be.tokens is None:
        return "never breaks even"
    if be.tokens > max_tokens:
        return f"breaks even only beyond {fmt.tokens(max_tokens)} tokens/month (at {fmt.tokens(be.tokens)})"
    return f"breaks even at {fmt.tokens(be.tokens)} tokens/month"


def headline_volume(c: Calc) -> str:
    calc = c.calc
    opts = calc["options"].set_index("option")
    sh = opts.loc["Self-host"]
    tok = fmt.tokens(calc["tokens"])
    name = str(calc["row"]["model_name"]).split(" (")[0]
    parts = [f"At {tok} tokens a month, self-hosting {name} costs {fmt.usd(sh['monthly_usd'])}"]
    others = [f"{fmt.usd(opts.loc[o, 'monthly_usd'])} for {opts.loc[o, 'model']}"
              + (" hosted" if o == "Open model, hosted" else "") for o in ("Open model, hosted", "Closed API")
              if o in opts.index]
    if others:
        parts.append(" vs " + " and ".join(others))
    if c.against_rate is not None:
        parts.append(f"; against {AGAINST[c.settings.against]} it {be_text(c.against_be)}")
    busy = calc.get("busy_share")
    if busy is not None and busy < 0.5 and calc["tokens"] > 0:
        parts.append(f". The {calc['gpus']} rented GPUs sit {fmt.share(1 - busy)} idle, "
                     f"{fmt.usd(calc['idle_usd'])} a month paid for capacity your traffic does not use")
    return "".join(parts) + "."


def _short_input(name: str) -> str:
    """'GPU price ($/GPU-hour)' -> 'the GPU price'."""
    base = name.split(" (")[0]
    return "the " + (base if base[:3].isupper() else base[0].lower() + base[1:])


def headline_tornado(c: Calc) -> str:
    t = c.tornado
    if t.empty:
        return "There is no API price to compare self-hosting with."
    v = np.log10(t[["be_low", "be_high"]].clip(upper=TORNADO_TOP).to_numpy())
    width = v.max(axis=1) - v.min(axis=1)
    if not np.isfinite(t["be_base"].iloc[0]):
        helps = t[np.isfinite(t["be_low"]) | np.isfinite(t["be_high"])]
        if helps.empty:
            return (f"No single input, moved across its range, makes self-hosting break even against "
                    f"{AGAINST[c.settings.against]}.")
        names = ", ".join(_short_input(x) for x in helps["input"])
        return f"Self-hosting never breaks even at these settings; it would only by changing {names}."
    i = int(np.argmax(width))
    return (f"The break-even moves most with {_short_input(t['input'].iloc[i])}: "
            f"{t['low_label'].iloc[i]} gives {fmt.tokens(t['be_low'].iloc[i]) if np.isfinite(t['be_low'].iloc[i]) else 'never'}, "
            f"{t['high_label'].iloc[i]} gives {fmt.tokens(t['be_high'].iloc[i]) if np.isfinite(t['be_high'].iloc[i]) else 'never'} "
            "tokens/month.")


def headline_mc(c: Calc) -> str:
    mc = c.mc
    p = mc.get(f"p_cheaper_{c.settings.against}", np.array([np.nan]))[0]
    tok = fmt.tokens(c.calc["tokens"])
    if not np.isfinite(p):
        return f"Self-hosting cost at {tok} tokens a month across {mc['n']:,} simulated scenarios."
    share = "none" if p == 0 else ("all" if p == 1 else f"{p:.0%}")
    return (f"Self-hosting is cheaper than {AGAINST[c.settings.against]} in {share} of {mc['n']:,} simulated "
            f"scenarios at {tok} tokens a month.")


# ----- cards --------------------------------------------------------------------------------------------

def _picked_names(m: Market) -> str:
    t = m.at_threshold
    names = [f"{t[k]['name']} ({k})" for k in ("open", "closed") if t[k] is not None]
    return (": " + " and ".join(names)) if names else ": none"


def dates_text(pc: pd.DataFrame) -> str:
    """'prices as of 2026-07-02, scores from the 2026-07-31 snapshot' (both from the rows drawn)."""
    def join(col):
        return " and ".join(sorted({str(x) for x in pc[col] if str(x)})) if col in pc and len(pc) else "n/a"
    return f"prices as of {join('as_of')}, scores from the {join('score_snapshot')} snapshot"


def below_list_text(pc: pd.DataFrame) -> str:
    """How many drawn prices are below the model's own lab list price, and what that means ('' when none)."""
    if "below_lab_list" not in pc or not pc["below_lab_list"].any():
        return ""
    b = pc[pc["below_lab_list"]]
    n_o, n_c = int(b["open"].sum()), int((~b["open"]).sum())
    names = ", ".join(b.sort_values("score", ascending=False)["name"].head(3))
    return (f" Flagged: {n_o} open and {n_c} closed prices are below the lab's own list price (e.g. {names}): a "
            "host that counts (the lab or an inference host running the weights) sells them cheaper, or the lab "
            "lists a cheaper region; routers and resellers never set this price.")


def price_capability_card(m: Market, user: pd.DataFrame | None = None) -> ChartCard:
    """The price-against-capability card. ``user``: the reader's models, drawn as "Yours"; the headline, the
    frontiers and the rings come from ``m`` (public data) alone."""
    s = m.settings
    src_label = PRICE_SOURCES[s.price_source]
    sources = ["artificial_analysis"] + ([] if s.price_source == "aa_reference" else ["models_dev"])
    n_open, n_closed = int(m.pc["open"].sum()), int((~m.pc["open"]).sum())
    mine = yours_prices(user, s.ratio, s.log_price)
    data = m.pc[["model_id", "name", "group", "openness", "score", "aa_id", "variant", "price_in", "price_out",
                 "blended", "provider", "price_id", "as_of", "score_snapshot", "host_role", "below_lab_list"]]
    subtitle = (f"AA Intelligence Index v4.1 (best variant per model) against blended price, {src_label} "
                f"({dates_text(m.pc)}), "
                f"{fmt.ratio(s.ratio)} input:output; {n_open} open and {n_closed} closed models. Lines: each "
                f"group's Pareto frontier (cheapest model at each capability). Rings: the cheapest at AA ≥ "
                f"{s.threshold:g} (dashed line){_picked_names(m)}.")
    if s.price_source != "aa_reference":
        subtitle += below_list_text(m.pc)
    alt_text = (f"Scatter of {len(m.pc)} models, capability against blended price on a "
                f"{'log' if s.log_price else 'linear'} axis, open models orange and closed blue, with step lines "
                "along each group's cheapest model at each capability level.")
    if len(mine):
        subtitle += (f" Purple diamonds: your {len(mine)} model{'s' if len(mine) != 1 else ''} ('Yours'), for "
                     "comparison only; they are not part of the frontiers or the savings.")
        # the reader's names stay out of the alt text, which the card renders as markdown
        alt_text += (f" Your {len(mine)} model{'s' if len(mine) != 1 else ''}, as purple diamonds: " + "; ".join(
            f"AA {r.score:.1f} at {fmt.usd(r.blended)}/M ({r.weights.lower()})" for r in mine.itertuples()) + ".")
        rows = mine.rename(columns={"weights": "openness"}).assign(model_id="", provider="yours")
        data = pd.concat([data, rows.drop(columns=[c for c in rows if c not in data.columns])], ignore_index=True)
    return ChartCard(
        key="cost_price_capability", title=headline_scatter(m), subtitle=subtitle,
        chart=chart_price_capability(m, user), data=data, sources=sources, alt=alt_text,
        method=(f"**Capability:** Artificial Analysis Intelligence Index v4.1; a model's best variant "
                f"(reasoning effort) counts. **Price:** {PRICE_SOURCE_NOTES[s.price_source]}; "
                f"{dates_text(m.pc)}. For models.dev prices the score snapshot is the one nearest the price "
                "snapshot (cost.nearest_snapshots). With the AA "
                "reference price, score and price come from the same AA entry (the best-scoring entry that has a "
                "price). **Blended price** = (ratio × input + output) ÷ (ratio + 1). **Open** = open weights "
                f"({OPEN_RULES[s.open_rule].lower()}); **closed** = API or hosted access; models whose openness "
                "the catalog does not know are left out. **Caveat:** a price per token ignores how many tokens "
                "a model spends; reasoning variants often use several times more, so the cost of a task can "
                "rank models differently." + (" **Your models** ('Yours') are blended with the same ratio and "
                                             "drawn for comparison; no frontier, ring or saving uses them."
                                             if len(mine) else "")),
        page=PAGE, settings=s.label())


def market_cards(m: Market, user: pd.DataFrame | None = None) -> list[ChartCard]:
    """The price-against-capability card (with the reader's models, if any, as "Yours") and the saving curve."""
    s = m.settings
    src_label = PRICE_SOURCES[s.price_source]
    sources = ["artificial_analysis"] + ([] if s.price_source == "aa_reference" else ["models_dev"])
    return [
        price_capability_card(m, user),
        ChartCard(
            key="cost_saving_curve", title=headline_saving(m),
            subtitle=(f"Saving = 1 − cheapest open ÷ cheapest closed price among models at or above each AA index, "
                      f"{src_label}, {fmt.ratio(s.ratio)} input:output. Shaded: the claimed 70–90%. Dashed: your "
                      "threshold. Savings below −100% (closed much cheaper) are drawn at −100%."),
            chart=chart_saving(m), data=m.curve, sources=sources,
            alt=("Step line of the open-model saving against the capability threshold, with a shaded band from "
                 "70% to 90% and a dashed line at the chosen threshold."),
            method=("For each threshold from 0 in steps of 0.5, the cheapest open and the cheapest closed model "
                    "scoring at or above it are compared. Consecutive levels decided by the same pair of models form "
                    "one range; the headline speaks of those ranges (in AA index points) and the pairs that decide "
                    "them. Each CSV row names both models and their blended prices, "
                    "so every point traces to `data/prices.csv` and `data/scores.csv`. Where no open or no closed "
                    "model reaches a level, there is no point."),
            page=PAGE, settings=s.label()),
        two_currency_card(m),
    ]


def history_cards(h: History) -> list[ChartCard]:
    s = h.settings
    data = h.history.assign(date=pd.to_datetime(h.history["date"]).dt.strftime("%Y-%m-%d"))
    return [ChartCard(
        key="cost_price_history", title=headline_history(h),
        subtitle=(f"Cheapest OpenRouter price among models scoring AA Intelligence Index ≥ {s.history_level:g}, "
                  f"blended {fmt.ratio(s.ratio)} input:output, USD per million tokens, day by day. Triangles: the "
                  "largest cuts (price halved or more); dashed lines: price events."),
        chart=chart_history(h), data=data, sources=["openrouter", "artificial_analysis", "curated"],
        alt=("Two step lines on a log price axis, open and closed, for the cheapest price to reach the chosen "
             "capability level over time, with triangles at large price cuts."),
        method=("OpenRouter price change points, 2024-09 to 2026-08 (a price holds until the next change; $0 "
                "promotional prices are left out). An open model's OpenRouter price is its default routed "
                "provider's, so it jumps as providers come and go; in late January 2025 DeepSeek-R1's went to $7 "
                "during a capacity crunch. A listing counts toward a level only from the release date of its "
                "model's first AA entry reaching that level. Capability is AA's v4.1 index measured in 2026, "
                "applied to past prices. A cut is marked when the cheapest price halves or more in one step."),
        page=PAGE, settings=s.label())]


def calc_cards(c: Calc) -> list[ChartCard]:
    s = c.settings
    calc = c.calc
    row = calc["row"]
    srcs = ["mlperf", "gpu_prices", "gpu_specs", "models_dev", "openrouter", "artificial_analysis"]
    mc_data = pd.DataFrame({"self_host_usd_per_month": c.mc["costs"]}).describe(
        percentiles=[0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95]).reset_index().rename(columns={"index": "statistic"})
    for key in ("closed", "hosted"):
        p = c.mc.get(f"p_cheaper_{key}", np.array([np.nan]))[0]
        mc_data.loc[len(mc_data)] = [f"P(self-host cheaper than {key} API)", p]
    return [
        ChartCard(
            key="cost_volume", title=headline_volume(c),
            subtitle=(f"Monthly cost against volume, {fmt.ratio(s.ratio)} input:output, log axes. Self-hosting "
                      f"{self_host_label(row)} on {row['gpu']} at {fmt.usd(calc['gpu_usd'])}/GPU-hour ({s.gpu_pct}), "
                      f"{calc['throughput']:,.0f} output tokens/s per GPU with prefill "
                      f"({'an estimate' if calc['plan'].estimate else 'MLPerf-measured configuration'}; MLPerf's row: "
                      f"{calc['throughput_mlperf']:,.0f} on {calc['plan'].measured_gpus} GPUs), "
                      f"{calc['utilization']:.0%} target load, replicas of {calc['step']} GPUs "
                      f"(≥ {calc['min_gpus']}): it steps up one whole replica at a time; the band spans the 10th–90th "
                      "percentile of the simulation. Diamonds: break-even points."),
            chart=chart_volume(c), data=c.volume_curve, sources=srcs,
            alt=("Cost lines against monthly tokens on log axes: the closed API and the hosted open model rise "
                 "in straight lines; self-hosting stays flat, then steps up one whole replica of GPUs at a time."),
            method=(f"**API:** tokens × price; cached input billed at the cache-read price where the data has one. "
                    f"**Memory fit:** {calc['plan'].why}. A replica is the smallest tensor-parallel GPU count "
                    "(1, 2, 4, 8, then whole 8-GPU nodes) that holds the weights and KV cache; every size from it up "
                    "to MLPerf's measured system is costed and the cheapest at your volume is shown. "
                    f"**Throughput:** MLPerf Inference {row.get('version') or 'v5.1'}'s best {row['scenario']} result for {row['model_name']} on "
                    f"{row['gpu']} (result {row['id']}, {row['submitter']}, {row['precision']}: "
                    f"{calc['throughput_mlperf']:,.0f} output tokens/s per GPU on {calc['plan'].measured_gpus} GPUs) "
                    f"× your {calc['derate']:.0%} derate = decode {calc['plan'].decode_tps:,.0f}; prefill (input "
                    f"tokens) {fmt.num(calc['plan'].prefill_tps, 0)} tokens/s per GPU from the GPU's dense TFLOPS "
                    f"× {serving.PREFILL_MFU:.0%} ÷ (2 × active parameters). Each output token costs 1/decode + "
                    f"{s.ratio:g} ÷ prefill seconds (input tokens per output token: {s.ratio:g}). **GPUs:** whole replicas, max(minimum, ceil(traffic ÷ "
                    f"(throughput × target load))); cost = GPUs × $/GPU-hour × {HOURS_PER_MONTH:g} h + overhead. "
                    "Idle = the share of the GPUs' full capacity the traffic leaves unused (the target load's "
                    "headroom counts as idle). Prompt caching is ignored. GPU memory and TFLOPS: data/gpu_specs.csv "
                    "(datasheets). GPU prices: marketplace listings 2025-10-19 to 2025-11-16 (no hyperscaler "
                    "on-demand prices). Break-evens are solved with scipy's brentq."),
            page=PAGE, settings=s.label()),
        ChartCard(
            key="cost_tornado", title=headline_tornado(c),
            subtitle=(f"Break-even volume against {AGAINST[s.against]} when one input moves to a low or a high value "
                      "and the others stay at your settings. Black line: your break-even; bars reaching the right "
                      "edge never break even; dotted line: 100B tokens/month."),
            chart=chart_tornado(c), data=c.tornado, sources=["mlperf", "gpu_prices", "models_dev", "openrouter",
                                                             "artificial_analysis"],
            alt="Tornado chart: for each input, a bar from the reader's break-even to the break-even at its low and high value.",
            method=("Ranges: GPU price from the month's 10th to 90th percentile of marketplace listings; throughput "
                    "and utilization from half to one and a half times your setting (capped at MLPerf's best and "
                    "at 100%); the API price, the minimum GPUs and the overhead from half to twice your setting. "
                    "Inputs are sorted by the width of their effect on a log scale."),
            page=PAGE, settings=s.label()),
        ChartCard(
            key="cost_monte_carlo", title=headline_mc(c),
            subtitle=(f"Share of {c.mc['n']:,} simulated scenarios (seed {c.mc['seed']}) in which self-hosting costs "
                      f"less than each API option, against monthly volume; dot: your volume. Simulated self-hosting "
                      f"cost at your volume: {fmt.usd(np.percentile(c.mc['costs'], 10))} to "
                      f"{fmt.usd(np.percentile(c.mc['costs'], 90))} a month (10th–90th percentile)."),
            chart=chart_mc(c), data=pd.concat([c.mc_curve.assign(kind="curve"), mc_data.assign(kind="at your volume")],
                                              ignore_index=True),
            sources=["mlperf", "gpu_prices", "models_dev", "openrouter", "artificial_analysis"],
            alt=("Step lines of the probability that self-hosting is cheaper than the closed API and than the hosted "
                 "open model, rising with monthly volume."),
            method=("Each draw takes a GPU price from the month's marketplace distribution (interpolating its min, "
                    "p10, p25, median, p75, p90 and max), and a throughput and a utilization uniformly from half to "
                    "one and a half times your settings (capped at MLPerf's best and at 100%). Vectorized with "
                    f"numpy; fixed seed {MC_SEED}, so the same settings always give the same answer."),
            page=PAGE, settings=s.label()),
    ]


def cards_from(r: Results, user: pd.DataFrame | None = None) -> list[ChartCard]:
    return market_cards(r.market, user) + history_cards(r.history) + calc_cards(r.calc)


def cards(tables: dict[str, pd.DataFrame], settings: Settings | None = None,
          user: pd.DataFrame | None = None) -> dict[str, ChartCard]:
    """Every chart card of the Cost page by key, in page order, for these settings (for presenter mode and
    slides). ``user``: the reader's models, drawn as "Yours" on the price-against-capability chart only."""
    return by_key(cards_from(analyze(tables, settings or Settings()), user))
