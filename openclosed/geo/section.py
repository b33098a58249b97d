"""Geopolitics headlines (computed from the analysis) and ``cards()`` in page order."""
from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from openclosed import fmt
from openclosed.cards import ChartCard, by_key
from openclosed.geo.model import (
    COUNTRY_RULE,
    Analysis, CLOSED_LABEL, CN, EPOCH_US_CHINA_TOLERANCE, GROUPINGS, OPEN_LABEL, OPEN_RULES, PAGE, REGIONS, REGION_SHORT, STATUS_ORDER,
    Settings, US, list_word, count_text, analyze, compute_cap_finding, crossers_by_region, fmt_flop,
    n_levels, year_label,
)
from openclosed.geo.charts import (
    capability_chart, compute_cap_chart, compute_chart, crossers_chart, lag_chart, releases_chart,
    share_open_chart, timeline_chart, timeline_slide_chart,
)


# ------------------------------------------------------------------------------------------------
# Headlines (computed, true for the settings) and cards
# ------------------------------------------------------------------------------------------------

def _year_counts(rel: pd.DataFrame, year: int, region: str) -> dict[str, float]:
    r = rel[(rel["year"] == year) & (rel["region"] == region)]
    return {st: float(r.loc[r["status"] == st, "count"].sum()) for st in STATUS_ORDER}


def headline_releases(an: Analysis) -> str:
    rel, s = an.releases, an.settings
    if rel.empty or rel["count"].sum() == 0:
        return f"Epoch's {list_word(s)} list has no models published in {s.year_from}-{s.year_to}."
    y = int(rel.loc[rel["count"] > 0, "year"].max())
    us, cn = _year_counts(rel, y, US), _year_counts(rel, y, CN)
    uo, uc, co, cc = us[OPEN_LABEL], us[CLOSED_LABEL], cn[OPEN_LABEL], cn[CLOSED_LABEL]
    w = list_word(s)
    if co > uo and uc > cc:
        return (f"In {y}, China released more open-weight {w} models than the US ({count_text(co)} vs {count_text(uo)}), "
                f"and the US more closed ones ({count_text(uc)} vs {count_text(cc)})")
    return (f"In {y}, the US released {count_text(uo)} open-weight and {count_text(uc)} closed {w} models; "
            f"China {count_text(co)} and {count_text(cc)}")


def share_test_text(a, b, alpha: float = 0.05) -> str:
    """Whether two regions' shares open differ beyond the noise: Fisher's exact test on whole counts; with
    fractional counts (no exact test) whether the 95% Wilson intervals overlap, said as such."""
    counts = [float(a["open"]), float(a["n"]), float(b["open"]), float(b["n"])]
    if all(np.isfinite(x) and x == int(x) for x in counts):
        from openclosed.risk.compare import fisher_p
        p = fisher_p(*(int(x) for x in counts))
        return (f"Fisher's exact p = {p:.2g}" + (", a clear difference" if p < alpha else ", no clear difference"))
    overlap = not (a["low"] > b["high"] or b["low"] > a["high"])
    return ("fractional counts: the 95% intervals overlap, so no clear difference" if overlap
            else "fractional counts: the 95% intervals do not overlap")


def headline_share(an: Analysis) -> str:
    so, s = an.share_open, an.settings
    both = so[so["region"].isin([US, CN])]
    years = [y for y, g in both.groupby("year") if set(g["region"]) == {US, CN}]
    if not years:
        return "Too few US and Chinese models with known accessibility in this range to compare shares."
    y = max(years)
    u = so[(so["year"] == y) & (so["region"] == US)].iloc[0]
    c = so[(so["year"] == y) & (so["region"] == CN)].iloc[0]
    lead, trail = (c, u) if c["share"] >= u["share"] else (u, c)
    lead_name = "China" if lead is c else "the US"
    trail_name = "the US" if lead is c else "China"
    tail = share_test_text(c, u)
    return (f"In {y}, {fmt.share(lead['share'])} of {lead_name}'s {list_word(s)} models had open weights against "
            f"{fmt.share(trail['share'])} of {trail_name}'s; {tail}")


def headline_capability(an: Analysis) -> str:
    ln = an.lag_now
    label = an.metric["label"]
    if not np.isfinite(ln["lag_months"]):
        return f"No date in this range has both a scored US model and a scored Chinese model on {label}."
    when = fmt.month(ln["date"])
    if ln["lag_months"] == 0:
        return (f"As of {when}, China's best model ({ln.get('china_model', '')}) is level with the US's best on "
                f"{label}" + (f" (within {an.settings.tolerance:g} point)" if an.settings.tolerance else ""))
    match = f", with {ln['us_match_model']}" if ln.get("us_match_model") else ""
    # model labels can carry their own parentheses ("GPT-5.4 Pro (Mar 2026)"), so none around them here
    txt = (f"As of {when}, China's best model, {ln.get('china_model', '')} at {fmt.num(ln['china_best'], 1)}, is "
           f"{fmt.num(ln['gap_points'], 1)} {label} points below the US's best, {ln.get('us_model', '')} at "
           f"{fmt.num(ln['us_best'], 1)}; the US first passed that score {fmt.num(ln['lag_months'], 1)} months "
           f"earlier{match}")
    return txt + _unassigned_caveat(an)


def _unassigned_caveat(an: Analysis) -> str:
    """A warning when scored models without a country outscore China's best: the comparison may be off."""
    nc = an.no_country_points
    if nc.empty or not np.isfinite(an.lag_now.get("china_best", float("nan"))):
        return ""
    nc = nc[nc["date"] <= an.lag_now["date"]]
    above = nc[nc["value"] > an.lag_now["china_best"]]
    if above.empty:
        return ""
    top = above.iloc[0]
    return (f" (but {len(above)} higher-scoring models have no country in the catalog, led by {top['model']} at "
            f"{fmt.num(top['value'], 1)}, so the comparison is incomplete)")


def headline_lag(an: Analysis) -> str:
    a, s = an.lag_avg, an.settings
    if not np.isfinite(a["mean"]):
        return f"No date in {s.year_from}-{s.year_to} has both a scored US and a scored Chinese model."
    pub = an.published
    first = an.gap.dropna(subset=["lag_months"])["date"].min()
    span = f"{fmt.month(first)}-{fmt.month(an.lag_now['date'])}"
    txt = (f"China trailed the US by {fmt.num(a['mean'], 1)} months on average over {span} "
           f"(daily range {fmt.num(a['min'], 1)}-{fmt.num(a['max'], 1)})")
    if pub is not None and an.metric["metric"] == "eci":
        txt += f"; Epoch published {pub['value']:g} ({pub['low']:g}-{pub['high']:g}) for 2023 to early 2026"
    return txt


def headline_crossers(an: Analysis) -> str:
    g = crossers_by_region(an)
    s = an.settings
    if g.empty:
        return f"No open-weight model crossed a new one-point {an.metric['label']} level in {s.year_from}-{s.year_to}."
    total = n_levels(an)
    top = g.iloc[0]
    who = "Chinese" if top["region"] == CN else ("US" if top["region"] == US else f"{top['region']}")
    first, last = an.crossers["date"].min(), an.crossers["date"].max()
    span = fmt.month(first) if first == last else f"{fmt.month(first)}-{fmt.month(last)}"
    return (f"{who} models were first to {count_text(top['levels'])} of the {count_text(total)} one-point "
            f"{an.metric['label']} levels the open-weight frontier reached over {span} "
            f"({fmt.num(100 * top['levels'] / total, 0)}%)")


def headline_compute(an: Analysis) -> str:
    c = an.compute
    if c.empty:
        return "No training-compute estimates in this range."
    years = [y for y, g in c.groupby("year") if {US, CN} <= set(g["region"])]
    if not years:
        return "The compute data have no year with both a US and a Chinese estimate in this range."
    y = max(years)
    u = c[(c["year"] == y) & (c["region"] == US)].iloc[0]
    h = c[(c["year"] == y) & (c["region"] == CN)].iloc[0]
    big, small = (u, h) if u["flop"] >= h["flop"] else (h, u)
    bn, sn = ("US", "Chinese") if big is u else ("Chinese", "US")
    ratio = big["flop"] / small["flop"]
    return (f"The largest {bn} training run of {y} ({big['model']}, {fmt_flop(big['flop'])} FLOP, "
            f"{big['confidence'].lower()}) was {fmt.num(ratio, 0)}× the largest {sn} one "
            f"({small['model']}, {fmt_flop(small['flop'])}, {small['confidence'].lower()})")


def headline_compute_cap(an: Analysis) -> str:
    f = compute_cap_finding(an)
    if f is None:
        return "In this range no Chinese open-weight model has both an ECI score and a compute estimate."
    c = f["cn"]
    head = (f"{c['model']} reached ECI {fmt.num(c['value'], 1)} with about {fmt_flop(c['flop'])} FLOP "
            f"({c['confidence'].lower()})")
    u = f["us"]
    if u is None:
        return head + "; no US model at that level has a compute estimate"
    if u["flop"] > c["flop"]:
        return (head + f"; the US models at that level report at least {fmt_flop(u['flop'])} "
                f"({u['model']}, {u['confidence'].lower()}), {fmt.num(u['flop'] / c['flop'], 0)}× more")
    return head + f"; {u['model']} reached that level with as little or less ({fmt_flop(u['flop'])})"


def headline_timeline(an: Analysis) -> str:
    s = an.settings
    ctl = an.controls[(an.controls["date"].dt.year >= s.year_from) & (an.controls["date"].dt.year <= s.year_to)]
    co = an.china_open
    if ctl.empty:
        return f"No US export-control round falls in {s.year_from}-{s.year_to}; the timeline shows releases in range."
    first, last = ctl["date"].min(), ctl["date"].max()
    txt = f"The US tightened AI-chip export rules {len(ctl)} times from {fmt.month(first)} to {fmt.month(last)}"
    y0 = first.year
    later = co[co["year"] >= y0]
    if len(later) >= 2 and y0 in set(later["year"]):
        a, b = later.iloc[0], later.iloc[-1]
        verb = "rose" if b["share"] > a["share"] else ("fell" if b["share"] < a["share"] else "stayed")
        txt += (f"; China's share of open-weight {list_word(s)} models {verb} from {fmt.share(a['share'])} in "
                f"{int(a['year'])} to {fmt.share(b['share'])} in {int(b['year'])}")
    return txt


def metrics(an: Analysis) -> list[dict]:
    """Headline numbers for st.metric: label, value, help."""
    out = []
    so = an.share_open
    both = [y for y, g in so.groupby("year") if {US, CN} <= set(g["region"])]
    if both:
        y = max(both)
        for region, name in ((CN, "China"), (US, "US")):
            r = so[(so["year"] == y) & (so["region"] == region)].iloc[0]
            out.append({"label": f"{name}: share open, {year_label(y)}", "value": fmt.share(r["share"]),
                        "help": f"{count_text(r['open'])} of {count_text(r['n'])} {list_word(an.settings)} models with known "
                                f"accessibility; 95% Wilson interval {fmt.share(r['low'])}-{fmt.share(r['high'])}."})
    ln = an.lag_now
    if np.isfinite(ln["lag_months"]):
        out.append({"label": f"US lead, {fmt.month(ln['date'])}",
                    "value": f"{fmt.num(ln['lag_months'], 1)} months",
                    "help": f"On {an.metric['label']}: how long ago the US first passed China's best score. "
                            f"Gap {fmt.num(ln['gap_points'], 1)} points: {ln.get('us_model', '')} vs "
                            f"{ln.get('china_model', '')}."})
    a = an.lag_avg
    if np.isfinite(a["mean"]):
        pub = an.published
        out.append({"label": "US lead, average", "value": f"{fmt.num(a['mean'], 1)} months",
                    "help": ("Daily lag averaged over the range. " +
                             (f"Epoch published {pub['value']:g} months ({pub['low']:g}-{pub['high']:g}) "
                              f"for 2023 to early 2026." if pub else ""))})
    return out


SNAPSHOT_NOTE = {"eci": "ECI snapshot {snap}", "aa_intelligence_index": "Artificial Analysis index, snapshot {snap}"}


def _limits(s: Settings) -> str:
    return ("Epoch's lists are curated: *notable* models meet one of its criteria (state of the art, highly "
            "cited, historically significant or costly to train); *large-scale* models are those estimated "
            "above 10²³ FLOP. Models that meet neither are absent, and coverage of recent and non-US models "
            "depends on what Epoch has catalogued (its copy here ends on 2025-12-31).")


def _rules_md(s: Settings) -> str:
    rule = ("**full**: a model counts once in each region it lists, so a US-UK model is one US and one European "
            "model and region totals can exceed the number of models" if s.counting == "full" else
            "**fractional**: a model's one count is split equally among its distinct countries, so a US-UK model "
            "is half US and half UK and totals equal the number of models")
    openr = ("any Epoch *Open weights* class (unrestricted, restricted use, non-commercial)" if s.open_rule == "any"
             else "only *Open weights (unrestricted)*; restricted-use and non-commercial weights count as closed")
    return (f"- Countries: Epoch's country string names one country per organization, so it can repeat a country "
            f"(\"China,China\") or list several. It is split on commas and duplicates are dropped: \"China,China\" "
            f"is one Chinese model. Hong Kong counts as China; \"Multinational\" counts as Other. "
            f"{COUNTRY_RULE} (`openclosed.countries`, used by every page).\n"
            f"- Counting rule: {rule}.\n"
            f"- Open = {openr}. Closed = API access, hosted access or unreleased. Models whose accessibility "
            f"Epoch left empty are *Unknown*: shown in the counts, left out of share-open denominators.\n"
            f"- Regions ({GROUPINGS[s.grouping]}): " + {
                "europe": "Europe = the EU members plus the UK, Switzerland, Norway and other European states "
                          "(not Russia).",
                "eu": "EU = the 27 current member states as one bloc; the UK and Switzerland fall into Other.",
                "uk_fr": "the UK and France on their own; Rest of Europe = other EU members and European states.",
            }[s.grouping])


def cards(tables: dict[str, pd.DataFrame], settings: Settings | None = None) -> dict[str, ChartCard]:
    """Every chart card of the page by key, in page order."""
    return by_key(cards_from(analyze(tables, settings or Settings())))


def _common(an: Analysis):
    """What several cards' words use: the settings, the list's word, the score, its snapshot note, its sources."""
    s, spec = an.settings, an.metric
    snap = SNAPSHOT_NOTE.get(spec["metric"], "{snap}").format(snap=spec["snapshot"])
    return s, list_word(s), spec, snap, [spec["source"], "epoch_models"]


def _releases_card(an: Analysis) -> ChartCard:
    s, w, spec, snap, cap_src = _common(an)
    rel_rows = an.releases[an.releases["total"] > 0].reset_index(drop=True)
    return ChartCard(
        key="geo_releases", title=headline_releases(an),
        subtitle=(f"{'Share of each region' + chr(39) + 's' if s.measure == 'share' else 'Number of'} {w} models "
                  f"per year, by region and access; counting: {s.counting}; open = "
                  f"{OPEN_RULES[s.open_rule].lower()}. Bar labels: "
                  + ", ".join(f"{REGION_SHORT[r]} = {r}" for r in REGIONS[s.grouping]) + "."),
        chart=releases_chart(an.releases, s), data=rel_rows, sources=["epoch_models"],
        alt=(f"Grouped stacked bars: for each year from {s.year_from} to {s.year_to}, one bar per region "
             f"({', '.join(REGIONS[s.grouping])}) split into open-weight, closed and unknown-access {w} models. "
             + headline_releases(an) + "."),
        method=(_rules_md(s) + "\n\n" + _limits(s) +
                f"\n\nIn this range {an.n_unknown_access} models have no accessibility and "
                f"{an.n_no_country} no country (left out)."),
        page=PAGE, settings=s.label())


def _share_open_card(an: Analysis) -> ChartCard:
    s, w, spec, snap, cap_src = _common(an)
    return ChartCard(
        key="geo_share_open", title=headline_share(an),
        subtitle=(f"Share of each region's {w} models released with open weights, per year, with 95% Wilson "
                  f"intervals; models with unknown access left out."),
        chart=share_open_chart(an.share_open, s), data=an.share_open, sources=["epoch_models"],
        alt=(f"Dot and interval chart of the share of {w} models with open weights by region and year. "
             + headline_share(an) + "."),
        method=("The interval is the 95% Wilson score interval (scipy `binomtest(k, n).proportion_ci("
                "method='wilson')`); with fractional counts the same Wilson formula is applied to the "
                "fractional totals. Small yearly counts give wide intervals: read the dots with them. The headline's "
                "US-China comparison uses Fisher's exact test on the counts (whole counts only; overlapping "
                "intervals alone do not show there is no difference).\n\n"
                + _rules_md(s) + "\n\n" + _limits(s)),
        page=PAGE, settings=s.label())


def _capability_card(an: Analysis) -> ChartCard:
    s, w, spec, snap, cap_src = _common(an)
    steps_rows = an.steps.copy()
    return ChartCard(
        key="geo_capability", title=headline_capability(an),
        subtitle=(f"Best {spec['label']} score to date of US and Chinese models ({snap}); dots mark new bests; "
                  f"dashed lines mark US chip export-control rounds."),
        chart=capability_chart(an), data=steps_rows, sources=cap_src + ["curated"],
        alt=(f"Two step lines, the best US and the best Chinese {spec['label']} score to date. "
             + headline_capability(an) + "."),
        method=(COUNTRY_RULE + " The same rule (`openclosed.countries`) decides Performance's country filter and "
                "the Overview's numbers. The gap in "
                "months uses the Performance page's code (`openclosed.frontier.lag_series`) with China as the "
                "trailing side: the time since the US frontier first scored at least China's best score "
                "(`openclosed.gap.today`, the lag-today definition every page uses; Performance applies it to "
                "closed vs open). Composite indices "
                "are re-estimated between snapshots, so a model's score can differ by snapshot."),
        page=PAGE, settings=s.label())


def _lag_card(an: Analysis) -> ChartCard:
    s, w, spec, snap, cap_src = _common(an)
    return ChartCard(
        key="geo_lag", title=headline_lag(an),
        subtitle=(f"US lead over China in months, weekly ({snap}); grey band and dashed line: Epoch's published "
                  f"average and range (Jan 2026)."),
        chart=lag_chart(an), data=an.gap, sources=cap_src + ["curated"],
        alt=("Area chart of how many months China's best model trails the US's, week by week. "
             + headline_lag(an) + "."),
        method=("For each day, the months since the best US model first scored at least China's best score "
                "(`frontier.lag_series`); the headline averages the daily values over the range, as Epoch does "
                "(\"for each day, time since the best US model last had an ECI no higher than the best Chinese "
                "model's, within 1 point, averaged over days\"). The table under the chart recomputes Epoch's "
                f"figure on its window with Epoch's {EPOCH_US_CHINA_TOLERANCE:g}-point tolerance, and the AI "
                "Index's Arena figures on LMArena snapshots."),
        page=PAGE, settings=s.label())


def _open_frontier_card(an: Analysis) -> ChartCard:
    s, w, spec, snap, cap_src = _common(an)
    crossers_rows = an.crossers
    return ChartCard(
        key="geo_open_frontier", title=headline_crossers(an),
        subtitle=(f"Best open-weight {spec['label']} score to date (grey); dots: the models that set it, sized by "
                  f"how many one-point levels they were first to reach ({snap}; open = "
                  f"{OPEN_RULES[s.open_rule].lower()})."),
        chart=crossers_chart(an, an.open_front), data=crossers_rows, sources=cap_src,
        alt=("Step line of the best open-weight score to date with dots for each new record, colored by the "
             "region of the model. " + headline_crossers(an) + "."),
        method=("Each whole score level (1 point apart) is credited to the open model that first reached it "
                "(`frontier.running_best`, `frontier.first_reached`); only levels first reached inside the year "
                "range count. A model from several regions is credited to each (full) or split (fractional). "
                "Håvard Ihle (LessWrong, May 2026) found about 80% of open-frontier first-crossers were Chinese "
                "across 17 benchmarks; this chart uses one composite index instead."),
        page=PAGE, settings=s.label())


def _compute_card(an: Analysis) -> ChartCard:
    s, w, spec, snap, cap_src = _common(an)
    return ChartCard(
        key="geo_compute", title=headline_compute(an),
        subtitle=(f"Largest training run per region and year among {w} models with a compute estimate (FLOP, log "
                  f"scale); marker shape is "
                  f"Epoch's confidence in the estimate; dashed lines: US export-control rounds."),
        chart=compute_chart(an), data=an.compute, sources=["epoch_models", "curated"],
        alt=("Lines with markers, one per region, of the largest training compute each year on a log scale. "
             + headline_compute(an) + "."),
        method=("Training compute is Epoch's estimate, with its confidence label: *Confident* (within about 3×), "
                "*Likely* (within about 10×), *Speculative* (within about 30×). Closed labs rarely disclose "
                "compute, so their figures are mostly estimates from hardware, duration or benchmark results. "
                "A model from several regions can be the largest in each.\n\n" + _limits(s)),
        page=PAGE, settings=s.label())


def _compute_capability_card(an: Analysis) -> ChartCard:
    s, w, spec, snap, cap_src = _common(an)
    return ChartCard(
        key="geo_compute_capability", title=headline_compute_cap(an),
        subtitle=("ECI score against Epoch's training-compute estimate for models that have both (log scale); "
                  "shape = access."),
        chart=compute_cap_chart(an), data=an.compute_cap, sources=["eci", "epoch_models"],
        alt=("Scatter of ECI against training compute, colored by region. " + headline_compute_cap(an) + "."),
        method=("Scores come from the ECI snapshot named above; compute and its confidence from Epoch's model "
                "lists, joined on Epoch's exact model name (models without a compute estimate, including most "
                "2026 releases, are absent). The US figures at the top are mostly *Speculative*: they are "
                "estimates, not disclosures, and can be off by a factor of 30. Compute counts pre-training and, "
                "where known, post-training; distillation from other models is not counted."),
        page=PAGE, settings=s.label())


def _timeline_card(an: Analysis) -> ChartCard:
    s, w, spec, snap, cap_src = _common(an)
    ev = an.events
    return ChartCard(
        key="geo_timeline", title=headline_timeline(an),
        subtitle="Curated policy moves and major releases; hover a dot for details and source.",
        chart=timeline_chart(ev), data=ev, sources=["curated", "epoch_models"],
        slide_chart=functools.partial(timeline_slide_chart, ev),
        alt=("Timeline with lanes for policy, open releases, closed releases and market events. "
             + headline_timeline(an) + "."),
        method=("Events are a curated table; each row cites a public source (table below). Coinciding dates "
                "do not show cause: the chart puts policy and releases side by side, nothing more."),
        page=PAGE, settings=s.label())


# Each card's builder and the Settings fields it reads (checked by tests/unit/test_card_reads.py): ui.state caches a
# card on those fields alone, so a control change rebuilds only the cards that read it, and readers whose settings
# agree on them share the card.
CARD_BUILDERS = {
    "geo_releases": _releases_card, "geo_share_open": _share_open_card, "geo_capability": _capability_card,
    "geo_lag": _lag_card, "geo_open_frontier": _open_frontier_card, "geo_compute": _compute_card,
    "geo_compute_capability": _compute_capability_card, "geo_timeline": _timeline_card,
}
_YEARS = ("year_from", "year_to")
CARD_READS = {
    "geo_releases": (*_YEARS, "model_list", "counting", "open_rule", "grouping", "measure"),
    "geo_share_open": (*_YEARS, "model_list", "counting", "open_rule", "grouping"),
    "geo_capability": (*_YEARS, "metric", "tolerance"),
    "geo_lag": (*_YEARS, "metric", "tolerance"),
    "geo_open_frontier": (*_YEARS, "metric", "counting", "open_rule", "grouping"),
    "geo_compute": (*_YEARS, "model_list", "counting", "open_rule", "grouping"),
    "geo_compute_capability": (*_YEARS, "model_list", "metric", "grouping", "counting", "open_rule"),
    "geo_timeline": (*_YEARS, "model_list", "counting", "open_rule"),   # the headline: China's share of open models
}
# The page's headline numbers (`metrics`) and its note on models without a country read every field but `measure`.
FACTS_READS = (*_YEARS, "model_list", "counting", "open_rule", "grouping", "metric", "tolerance")


def card(tables: dict[str, pd.DataFrame], settings: Settings, key: str) -> ChartCard:
    """One card of the page, computing only what it draws."""
    return CARD_BUILDERS[key](analyze(tables, settings))


def cards_from(an: Analysis) -> list[ChartCard]:
    return [build(an) for build in CARD_BUILDERS.values()]

