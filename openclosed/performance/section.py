"""Performance chart cards, one builder per card, and ``cards()`` in page order."""
from __future__ import annotations

import copy

import altair as alt
import numpy as np
import pandas as pd

from openclosed import countries, fmt, theme
from openclosed import epoch2024 as E24
from openclosed.cards import ChartCard, by_key
from openclosed.memo import per_inputs
from openclosed.charts import (
    alt_legend, ceil_to, event_layers, event_numbers, event_title, legend, message_spec, spec_chart,
)
from openclosed.performance.model import (
    ARENA_POINTS_PANEL, ARENA_PUBLISHED_PANEL, Analysis, BOOT_N, CLOSED_LABEL, EPOCH_END, EPOCH_SNAPSHOT, EPOCH_START, FAMILIES, GROUP_LABELS, METRICS,
    Metric, OPEN_LABEL, PAGE, REPORT_BENCHMARKS, Settings, analyze, domain_frame, epoch_check,
    events_in_range, Prepared, prepare, report2024_lags, scope_text, since_2026, snapshot_key,
    triangulation_frame, yours_points,
)
from openclosed.performance import today
from openclosed.performance.model import LAG_DEFINITIONS, LAG_NAMES
from openclosed.performance.charts import (
    dot_panel, field_spec, openness_color, json_records, yours_diamonds, yours_shape, freeze,
)


def _sources(metric: Metric) -> list[str]:
    return [metric.source]


def _fmt_row(value, low, high, decimals: int = 1) -> str:
    txt = fmt.num(value, decimals)
    if np.isfinite(low) and np.isfinite(high):
        txt += f" ({fmt.num(low, decimals)} to {fmt.num(high, decimals)})"
    return txt


def yours_note(user: pd.DataFrame | None, s: Settings) -> str:
    """A caption for the page when the reader has models: how many are drawn on this yardstick and date range,
    where the others are, and that they change none of the computed numbers. '' when there are none."""
    if user is None or len(user) == 0:
        return ""
    s = s.clean()
    m = METRICS[s.metric]
    here = yours_points(user, s.metric)
    shown = yours_points(user, s.metric, s.start_ts, s.end_ts)
    n = len(user)
    txt = (f"Your models: {len(shown)} of {n} {'is' if len(shown) == 1 else 'are'} drawn on the frontier chart as "
           f"purple diamonds marked 'Yours'. They are for comparison only: the frontiers, lags and headline numbers "
           f"use public data and do not change.")
    if len(here) > len(shown):
        txt += f" {len(here) - len(shown)} on {m.short} fall outside the date range."
    other = user[user["metric"].astype(str) != s.metric]
    if len(other):
        where = ", ".join(f"{METRICS[k].label} ({v})" if k in METRICS else f"{k} ({v})"
                          for k, v in other["metric"].astype(str).value_counts().sort_index().items())
        txt += f" Scored on another yardstick, so not drawn here: {where}."
    return txt


def frontier_card(a: Analysis, events: pd.DataFrame, user: pd.DataFrame | None = None,
                  pending: pd.DataFrame | None = None) -> ChartCard:
    """The frontier chart. ``user``: the reader's own models (openclosed.byod format); those on this card's
    metric and date range are drawn as "Yours" diamonds on top. They are not part of ``a``: no frontier, lag
    or headline uses them. ``pending``: models released after this yardstick's data end that others already
    score (today.pending), listed and drawn in a shaded "not yet scored" stretch (hollow: a stitched estimate)."""
    s, m, cur = a.settings, a.metric, a.current
    snap_txt = f"Snapshot of {snapshot_key(a.snapshot)}" if a.snapshot else "No snapshot"
    subtitle = (f"Best score to date of open-weight and closed models on {m.label} ({m.unit}); each dot is a "
                f"model (best variant), dated by release. {snap_txt}; {fmt.month(s.start_ts)} to "
                f"{fmt.month(a.now)}.")
    if a.empty or not np.isfinite(cur["gap_points"]):
        title = (f"Not enough models to compare open and closed on {m.short} for these settings"
                 f"{scope_text(s)}.")
        data = a.points.copy()
        chart = spec_chart(message_spec("No open or no closed model in this selection"))
        return ChartCard("perf_frontier", title, subtitle, chart, data, _sources(m),
                         alt="Empty chart: no open or no closed model for this selection.",
                         method=frontier_method(m), page=PAGE, settings=s.label())
    lag, gap = cur["lag_months"], cur["gap_points"]
    if gap < 0:
        title = (f"The best open model, {cur['open_model']}, leads the best closed one, {cur['closed_model']}, "
                 f"by {fmt.num(-gap, m.decimals)} {m.points_word} on {m.short} as of {fmt.month(a.now)}"
                 f"{scope_text(s)}.")
    elif lag <= 0 or gap == 0:
        title = (f"The best open model, {cur['open_model']}, is level with closed models on {m.short} as of "
                 f"{fmt.month(a.now)}{scope_text(s)}.")
    else:
        title = (f"Open models trail by about {fmt.months(lag)} on {m.short}{scope_text(s)}: the best open "
                 f"model, {cur['open_model']}, scores {fmt.num(cur['open_best'], m.decimals)}, a level closed models "
                 f"reached in {fmt.month(cur['matched_date'])}.")
    pts = a.points.assign(date=lambda d: d["date"].dt.strftime("%Y-%m-%d"))[
        ["model", "date", "value", "side", "openness"]]
    steps = []
    for label, front in ((OPEN_LABEL, a.open_front), (CLOSED_LABEL, a.closed_front)):
        inside = front[(front["date"] >= s.start_ts) & (front["date"] <= a.now)]
        before = front[front["date"] < s.start_ts]
        parts = [before.iloc[[-1]].assign(date=s.start_ts)] if len(before) else []
        parts.append(inside)
        f = pd.concat(parts) if parts else inside
        if f.empty:
            continue
        steps.append(pd.concat([f, f.iloc[[-1]].assign(date=a.now)]).assign(side=label))
    steps = (pd.concat(steps, ignore_index=True) if steps else pd.DataFrame(columns=["date", "value", "model", "side"]))
    steps = steps.assign(date=pd.to_datetime(steps["date"]).dt.strftime("%Y-%m-%d"))
    mine = yours_points(user, m.key, s.start_ts, s.end_ts)
    x_end = max(a.now, mine["date"].max()) if len(mine) else a.now
    pending = pending if pending is not None and len(pending) and a.now < s.end_ts else None
    if pending is not None:
        pending = pending[pending["date"] <= s.end_ts]
        x_end = max(x_end, pending["date"].max()) if len(pending) else x_end
    x = field_spec("date", "T", title="Release date",
           scale={"domain": [s.start_ts.strftime("%Y-%m-%d"), x_end.strftime("%Y-%m-%d")]})
    y_title = m.unit[0].upper() + m.unit[1:] if m.key != "eci" else "ECI score"
    y = field_spec("value", "Q", title=y_title, scale={"zero": False})
    value_format = f".{m.decimals}f"
    color = openness_color(yours=len(mine) > 0)
    dots = {"data": {"values": json_records(pts)}, "mark": {"type": "circle", "size": 45, "opacity": 0.55},
            "encoding": {"x": x, "y": y, "color": color,
                         "tooltip": [field_spec("model", "N", title="Model"), field_spec("date", "T", title="Released"),
                                     field_spec("value", "Q", title=m.unit, format=value_format),
                                     field_spec("openness", "N", title="Openness")]}}
    lines = {"data": {"values": json_records(steps[["date", "value", "model", "side"]])},
             "mark": {"type": "line", "interpolate": "step-after", "strokeWidth": 2.5},
             "encoding": {"x": x, "y": y, "color": color,
                          "tooltip": [field_spec("model", "N", title="Frontier model"),
                                      field_spec("value", "Q", title=m.unit, format=value_format)]}}
    ev = events_in_range(events, s.start_ts, a.now)
    layers = [dots, lines]
    top = {}
    if len(ev):
        # every event a faint rule; the key ones numbered, with a key under the plot (names would collide)
        ev_tip = [field_spec("label", "N", title="Event"), field_spec("date", "T", title="Date"), field_spec("source", "N", title="Source")]
        rules = {"data": {"values": json_records(ev[~ev["key"]])},
                 "mark": {"type": "rule", "strokeDash": [3, 3], "opacity": 0.35, "color": theme.NEUTRAL},
                 "encoding": {"x": field_spec("date", "T"), "tooltip": ev_tip}}
        keyed = event_numbers(ev[ev["key"]][["date", "label", "short", "source"]])
        layers = [rules] + (event_layers(keyed, ev_tip) if len(keyed) else []) + layers
        if len(keyed):
            top["title"] = event_title(keyed, "Events", "short")
    if pending is not None and len(pending):
        layers = _pending_layers(pending, a.now, x_end, x, y, m) + layers
        names = [f"{r.model} ({r.side.lower()}; {r.elsewhere.split('; ')[0]})" for r in pending.head(PENDING_NAMED).itertuples()]
        more = len(pending) - len(names)
        subtitle += (f" Shaded: released after {fmt.day(a.now)}, when {m.short} data end; not yet scored on it: "
                     + "; ".join(names) + (f"; and {more} more" if more > 0 else "") + "."
                     + (" Hollow dots: this report's stitched estimates on the ECI scale (not Epoch's scores)."
                        if pending["estimate"].notna().any() else ""))
    if len(mine):
        dots["mark"] = {"type": "point", "filled": True, "size": 45, "opacity": 0.55}
        dots["encoding"]["shape"] = yours_shape()
        layers.append(yours_diamonds(mine, x, y, color, m))
        subtitle += (f" Purple diamonds: your {len(mine)} model{'s' if len(mine) != 1 else ''} ('Yours'), for "
                     "comparison only; they do not move the frontiers, the lag or any number on this page.")
    chart = spec_chart({"width": "container", "height": 460, "layer": layers, **top})
    data = pts.assign(kind="model")
    data = pd.concat([data, steps.assign(kind="frontier step")[["model", "date", "value", "side", "kind"]]],
                     ignore_index=True)
    alt_text = (f"Step chart of the best {m.short} score to date for open-weight (orange) and closed (blue) "
                f"models from {s.start} to {fmt.month(a.now)}. Best closed now: {cur['closed_model']} "
                f"at {fmt.num(cur['closed_best'], m.decimals)}; best open: {cur['open_model']} at "
                f"{fmt.num(cur['open_best'], m.decimals)}.")
    if pending is not None and len(pending):
        waiting = pending.assign(date=pending["date"].dt.strftime("%Y-%m-%d"), value=pending["estimate"],
                                 openness="", kind=np.where(pending["estimate"].notna(), "not yet scored (estimate)",
                                                            "not yet scored"))
        data = pd.concat([data, waiting[["model", "date", "value", "side", "openness", "kind", "elsewhere"]]],
                         ignore_index=True)
    if len(mine):
        yours_rows = mine.assign(date=mine["date"].dt.strftime("%Y-%m-%d"), openness=mine["weights"], kind="yours")
        data = pd.concat([data, yours_rows[["model", "date", "value", "side", "openness", "kind"]]],
                         ignore_index=True)
        # the reader's names stay out of the alt text, which the card renders as markdown
        alt_text += (f" Your {len(mine)} model{'s' if len(mine) != 1 else ''}, as purple diamonds: "
                     + "; ".join(f"{fmt.num(r.value, m.decimals)} ({r.weights.lower()}, {fmt.month(r.date)})"
                                 for r in mine.itertuples()) + ".")
    return ChartCard("perf_frontier", title, subtitle, chart, data, _sources(m) + (["curated"] if len(ev) else []),
                     alt=alt_text, method=frontier_method(m), page=PAGE, settings=s.label())


PENDING_NAMED = 6     # models named in the frontier card's subtitle; the rest are counted (all are in its rows)


def _pending_layers(pending: pd.DataFrame, start, end, x: dict, y: dict, m: Metric) -> list[dict]:
    """A shaded stretch from the yardstick's data end to the newest pending model, and hollow dots for the
    pending models that have a stitched estimate."""
    band = {"data": {"values": [{"start": pd.Timestamp(start).strftime("%Y-%m-%d"),
                                 "end": pd.Timestamp(end).strftime("%Y-%m-%d"), "what": f"Not yet scored on {m.short}"}]},
            "mark": {"type": "rect", "opacity": 0.12, "color": theme.NEUTRAL},
            "encoding": {"x": field_spec("start", "T"), "x2": {"field": "end"},
                         "tooltip": [field_spec("what", "N", title="Stretch")]}}
    est = pending[pending["estimate"].notna()]
    if est.empty:
        return [band]
    rows = est.assign(date=est["date"].dt.strftime("%Y-%m-%d"), value=est["estimate"])
    hollow = {"data": {"values": json_records(rows[["model", "date", "value", "side", "estimate_low", "estimate_high",
                                                "elsewhere"]])},
              "mark": {"type": "point", "filled": False, "size": 70, "strokeWidth": 1.8},
              "encoding": {"x": x, "y": y, "color": openness_color(),
                           "tooltip": [field_spec("model", "N", title="Model (stitched estimate, not Epoch's)"),
                                       field_spec("date", "T", title="Released"),
                                       field_spec("value", "Q", title="Estimated ECI", format=".1f"),
                                       field_spec("estimate_low", "Q", title="90% interval from", format=".1f"),
                                       field_spec("estimate_high", "Q", title="to", format=".1f"),
                                       field_spec("elsewhere", "N", title="Scored elsewhere")]}}
    return [band, hollow]


def frontier_method(m: Metric) -> str:
    return (
        f"**What is plotted.** {m.what}\n\n"
        "**Frontier.** For each side the running best score to date (`openclosed.frontier.running_best`): a "
        "step up each time a model beats every earlier model of its side. Ties on one date go to the higher "
        "score, then the alphabetically first name, so the result does not depend on row order.\n\n"
        "**Which models count.** Scores join the model catalog (`data/models.csv`) on `model_id`; of a "
        "model's variants (reasoning effort, settings) the best one counts. *Open* means open weights "
        "(Epoch's accessibility classes; under *unrestricted only*, restricted-licence open models such as "
        "Llama or Qwen are left out of both sides). *Closed* means API, hosted-only or unreleased. Models "
        "whose openness is **unknown** are excluded from both frontiers. The country filter uses Epoch's "
        "country of the developer; models without a country count only under *all countries*. "
        + countries.RULE + " (`openclosed.countries`, the rule Geopolitics and the Overview use too).\n\n"
        "**Dates.** ECI, Artificial Analysis, Epoch hub and LiveBench scores carry the model's release or "
        "version date. For LMArena (dated by snapshot) and SWE-bench (dated by submission) the catalog's "
        "release date is used, never later than the snapshot; an LMArena rating key that first appeared on "
        "the leaderboard more than a year after that date (a name the catalog matched to an older model) is "
        "dated by its first appearance instead. Models retired from the leaderboard before the snapshot are "
        "missing from it, so the early closed frontier on LMArena is understated; and an alias such as "
        "ChatGPT-4o-latest is rated as its newest version but dated by its first release.\n\n"
        "**Events.** Dashed rules mark releases from the curated events table (`data/events.csv`, each row "
        "cites a source); hover a rule for its source."
    )


def gap_card(a: Analysis) -> ChartCard:
    s, m, cur = a.settings, a.metric, a.current
    pct_part = (" and the open best as a % of the closed best's percent-correct score (orange line, bottom panel)"
                if m.true_zero else "")
    subtitle = (f"Closed best-to-date minus open best-to-date on {m.label}, in {m.points_word} (blue area"
                f"{', top panel' if m.true_zero else ''}){pct_part}; {fmt.month(s.start_ts)} to {fmt.month(a.now)}.")
    ser = a.series.dropna(subset=["gap_points"])
    if a.empty or ser.empty:
        return ChartCard("perf_gap", f"No vertical gap can be computed on {m.short} for these settings.",
                         subtitle, spec_chart(message_spec("No open or no closed model in this selection")),
                         ser, _sources(m), alt="Empty chart.", method=gap_method(m), page=PAGE, settings=s.label())
    first = ser.iloc[0]
    then = (f"against {fmt.num(first['gap_points'], m.decimals)} in {fmt.month(first['date'])}"
            if first["gap_points"] >= 0 else
            f"when in {fmt.month(first['date'])} the best open model led by {fmt.num(-first['gap_points'], m.decimals)}")
    if fmt.num(cur["gap_points"], m.decimals) == fmt.num(0.0, m.decimals):
        title = (f"The best open and best closed models are tied on {m.short} as of {fmt.month(a.now)} "
                 f"({fmt.num(cur['open_best'], m.decimals)} vs {fmt.num(cur['closed_best'], m.decimals)}), {then}.")
    elif cur["gap_points"] > 0:
        share = f"open at {fmt.num(cur['open_pct'], 1)}% of the closed score; " if m.true_zero else ""
        title = (f"The best closed model leads the best open one by {fmt.num(cur['gap_points'], m.decimals)} "
                 f"{m.points_word} ({share}closed first reached today's open level "
                 f"{fmt.num(cur['lag_months'], 1)} months earlier) as of {fmt.month(a.now)}, {then}.")
    else:
        title = (f"The best open model leads the best closed one by {fmt.num(-cur['gap_points'], m.decimals)} "
                 f"{m.points_word} as of {fmt.month(a.now)}, {then}.")
    d = ser[["date", "open_best", "closed_best", "gap_points"]
            + (["open_pct_of_closed"] if m.true_zero else [])].copy()
    value_format = f".{m.decimals}f"
    tip = [field_spec("date", "T", title="Date"), field_spec("gap_points", "Q", title=f"Gap ({m.points_word})", format=value_format),
           field_spec("closed_best", "Q", title="Closed best", format=value_format), field_spec("open_best", "Q", title="Open best", format=value_format)]
    if m.true_zero:
        tip.insert(2, field_spec("open_pct_of_closed", "Q", title="Open as % of the closed score", format=".1f"))
    # one measure per panel, the panels stacked on a shared date axis (no second y axis)
    x_top = field_spec("date", "T", title=None, axis={"labels": False, "ticks": False} if m.true_zero else {})
    area = {"mark": {"type": "area", "interpolate": "step-after", "opacity": 0.3, "color": theme.CLOSED,
                     "line": {"color": theme.CLOSED}},
            "encoding": {"x": x_top if m.true_zero else field_spec("date", "T", title="Date"),
                         "y": field_spec("gap_points", "Q", title=f"Gap ({m.points_word})"), "tooltip": tip},
            "width": "container", "height": 220 if m.true_zero else 360}
    panels = [area]
    if m.true_zero:
        panels.append({"mark": {"type": "line", "interpolate": "step-after", "color": theme.OPEN, "strokeWidth": 2.5},
                       "encoding": {"x": field_spec("date", "T", title="Date"),
                                    "y": field_spec("open_pct_of_closed", "Q", title="Open as % of closed",
                                            scale={"zero": False}),
                                    "tooltip": tip},
                       "width": "container", "height": 140})
    chart = spec_chart({"data": {"values": json_records(d)}, "vconcat": panels, "resolve": {"scale": {"x": "shared"}},
                        "spacing": 6} if m.true_zero else {"data": {"values": json_records(d)}, **area})
    d["date"] = d["date"].dt.strftime("%Y-%m-%d")
    alt_text = (f"Area chart of the closed-minus-open gap in {m.points_word} over time"
                + (" and a line of the open best as a percentage of the closed best" if m.true_zero else "")
                + f". Now: {fmt.num(cur['gap_points'], m.decimals)} {m.points_word}"
                + (f", {fmt.num(cur['open_pct'], 1)}%." if m.true_zero else "."))
    return ChartCard("perf_gap", title, subtitle, chart, d, _sources(m), alt=alt_text, method=gap_method(m),
                     page=PAGE, settings=s.label())


def gap_method(m: Metric) -> str:
    pct_note = ("On this percent-correct yardstick 0 means nothing solved, so the orange line also shows "
                "`100 × open / closed`, the open best as a % of the closed score." if m.true_zero else
                f"{m.label} has no true zero (its zero is set by convention), so a ratio of two scores means "
                "nothing: read the points behind, and the months behind in the lag chart.")
    return ("**Vertical gap** at each date: the closed frontier's value minus the open frontier's value "
            "(`frontier.lag_series`, column `gap_points`). It is negative when the best open model is ahead. "
            f"{pct_note}")


LOWER_BOUND = "Lower bound (see method)"


def lag_card(a: Analysis) -> ChartCard:
    s, m, cur, tr, ep = a.settings, a.metric, a.current, a.trend, a.epoch
    subtitle = (f"Months since closed models first reached the open frontier's level, at each date "
                f"({m.label}); dashed: Theil-Sen trend on monthly samples (lower bounds left out) with its 90% "
                f"slope interval.")
    ser = a.series.dropna(subset=["lag_months"])
    if a.empty or ser.empty:
        return ChartCard("perf_lag", f"No lag in months can be computed on {m.short} for these settings.",
                         subtitle, spec_chart(message_spec("No open or no closed model in this selection")), ser,
                         _sources(m), alt="Empty chart.", method=lag_method(), page=PAGE, settings=s.label())
    slope, lo, hi = tr["slope_per_year"], tr["low"], tr["high"]
    unc = a.monthly[~a.monthly["censored"]].dropna(subset=["lag_months"])
    start_txt = fmt.month(unc["date"].iloc[0]) if len(unc) else fmt.month(ser["date"].iloc[0])
    if not np.isfinite(slope):
        trend_txt = "too few months to fit a trend"
    elif lo > 0:
        trend_txt = f"since {start_txt} the lag has grown by about {fmt.num(slope, 1)} months a year"
    elif hi < 0:
        trend_txt = f"since {start_txt} the lag has shrunk by about {fmt.num(-slope, 1)} months a year"
    else:
        trend_txt = f"since {start_txt} it shows no clear trend ({fmt.num(slope, 1)} months a year)"
    title = (f"Open models trail by {fmt.months(cur['lag_months'])} on {m.short} today; {trend_txt}"
             + (f" (90% CI {fmt.num(lo, 1)} to {fmt.num(hi, 1)})." if np.isfinite(slope) else "."))
    d = ser[["date", "lag_months", "open_best", "closed_best", "censored"]].copy()
    d["part"] = np.where(d["censored"], LOWER_BOUND, "Lag")
    band = pd.DataFrame()
    if np.isfinite(slope) and len(unc):
        t = pd.date_range(unc["date"].iloc[0], ser["date"].iloc[-1], periods=40)
        yrs = (t - pd.Timestamp("2000-01-01")).days.to_numpy() / 365.25
        fit = tr["intercept"] + slope * yrs
        y0 = tr.get("y0", np.nan)
        a1 = y0 + lo * (yrs - tr["x0"])
        a2 = y0 + hi * (yrs - tr["x0"])
        band = pd.DataFrame({"date": t.strftime("%Y-%m-%d"), "fit": fit, "band_low": np.minimum(a1, a2),
                             "band_high": np.maximum(a1, a2)})
    d["date"] = d["date"].dt.strftime("%Y-%m-%d")
    x = field_spec("date", "T", title="Date")
    parts = ["Lag", LOWER_BOUND]
    # draw the lower-bound stretch up to the first uncensored point so the line does not break
    d_lines = d.copy()
    if d["censored"].any() and (~d["censored"]).any():
        first_unc = d.index[~d["censored"]][0]
        d_lines = pd.concat([d, d.loc[[first_unc]].assign(part=parts[1])], ignore_index=True)
    line = {"data": {"values": json_records(d_lines.drop(columns=["censored"]))},
            "mark": {"type": "line", "strokeWidth": 2},
            "encoding": {"x": x, "y": field_spec("lag_months", "Q", title="Lag (months)"),
                         "color": field_spec("part", "N", title=None, scale={"domain": parts, "range": [theme.OPEN, theme.LIGHT]},
                                     legend=legend(parts)),
                         "tooltip": [field_spec("date", "T", title="Date"),
                                     field_spec("lag_months", "Q", title="Lag (months)", format=".1f"),
                                     field_spec("part", "N", title="Kind")]}}
    layers = [line]
    if len(band):
        area = {"data": {"values": json_records(band)}, "mark": {"type": "area", "opacity": 0.18, "color": theme.NEUTRAL},
                "encoding": {"x": field_spec("date", "T"), "y": field_spec("band_low", "Q"), "y2": {"field": "band_high"}}}
        fitl = {"data": {"values": json_records(band)}, "mark": {"type": "line", "color": theme.RULE, "strokeDash": [6, 3]},
                "encoding": {"x": field_spec("date", "T"), "y": field_spec("fit", "Q"),
                             "tooltip": [field_spec("fit", "Q", title="Trend (months)", format=".1f")]}}
        layers = [area, fitl, line]
    chart = spec_chart({"width": "container", "height": 340, "layer": layers})
    data = d.drop(columns=["censored"]).merge(band, on="date", how="outer") if len(band) else d
    alt_text = (f"Line chart of the lag in months over time with a dashed trend line. Lag now: "
                f"{fmt.num(cur['lag_months'], 1)} months; trend {fmt.num(slope, 1)} months per year.")
    return ChartCard("perf_lag", title, subtitle, chart, data, _sources(m), alt=alt_text, method=lag_method(),
                     page=PAGE, settings=s.label())


def lag_method() -> str:
    return (
        "**Horizontal lag at a date** (`frontier.lag_at`): take the open frontier's level at that date and "
        "find the first date the closed frontier reached it; the lag is the months between (days / 30.44). "
        "It is 0 when the best open model is level with or ahead of the best closed one, and it grows by a "
        "month every month until a better open model arrives, hence the saw-tooth.\n\n"
        "**Trend.** A Theil-Sen line (`scipy.stats.theilslopes`: the median of all pairwise slopes, robust "
        "to the saw-tooth's jumps) fitted to the lag sampled at the start of each month; the grey band spans "
        "the lines through the median point whose slopes lie in the 90% confidence interval. Monthly samples "
        "are autocorrelated, so treat the interval as optimistic.\n\n"
        "**Lower bounds.** The data start with the first closed model each source scored (GPT-4 in March "
        "2023 on the ECI). While the open frontier sits below that model, the lag can only be measured back "
        "to it, so it is a lower bound: drawn in grey and left out of the trend."
    )


def epoch_window_text() -> str:
    """Epoch's published window, from the constants the check uses."""
    return f"{fmt.month(pd.Timestamp(EPOCH_START))} to {fmt.month(pd.Timestamp(EPOCH_END))}"


def epoch_intro(check: pd.DataFrame) -> str:
    """The page's lead-in to the Epoch check: the published figures (data/published_estimates.csv) and ours."""
    pub = check[check["who"] == "Published"].set_index("unit")
    latest = [s for s in check["snapshot"].dropna().unique() if s and s != EPOCH_SNAPSHOT]
    pm, late = pub.loc["months"], ", ".join(fmt.month(pd.Timestamp(snapshot_key(s))) for s in latest)
    return (f"Epoch AI published an average lag of {fmt.num(pm['value'], 1)} months (90% interval {fmt.num(pm['low'], 1)}-"
            f"{fmt.num(pm['high'], 1)}) and an average gap of about {fmt.num(pub.loc['ECI points', 'value'], 0)} ECI points "
            f"for {epoch_window_text()}. We implemented the method they describe and ran it on the same index, "
            f"snapshot ({snapshot_key(EPOCH_SNAPSHOT)}) and window. The card below sets the two side by side, with "
            f"the {late} snapshot for comparison.")


def epoch_card(tables, check: pd.DataFrame, s26: dict) -> ChartCard:
    pub = check[check["who"] == "Published"].set_index("unit")
    ours = check[(check["snapshot"] == EPOCH_SNAPSHOT) & (check["tolerance"] == 0)].set_index("unit")
    latest_snap = max((s for s in check["snapshot"].dropna().unique() if s), key=snapshot_key)
    p26 = tables["published_estimates"].set_index("estimate_id")
    late = check[(check["snapshot"] == latest_snap) & (check["tolerance"] == 0)].set_index("unit")
    inside = ours.loc["months", "low"] <= pub.loc["months", "value"] <= ours.loc["months", "high"]
    om, pm = ours.loc["months"], pub.loc["months"]
    nov, mar = (fmt.month(pd.Timestamp(snapshot_key(x))) for x in (EPOCH_SNAPSHOT, latest_snap))
    title = (f"Recomputed on Epoch's index and window (ECI snapshot of {snapshot_key(EPOCH_SNAPSHOT)}, "
             f"{epoch_window_text()}), the open-model lag is {fmt.num(om['value'], 2)} months (90% interval "
             f"{fmt.num(om['low'], 2)}-{fmt.num(om['high'], 2)}) and {fmt.num(ours.loc['ECI points', 'value'], 2)} ECI points, "
             f"against Epoch's published {fmt.num(pm['value'], 1)} months ({fmt.num(pm['low'], 1)}-{fmt.num(pm['high'], 1)}) "
             f"and ~{fmt.num(pub.loc['ECI points', 'value'], 0)} points"
             + (" (inside our 90% interval)." if inside else " (outside our 90% interval)."))
    subtitle = (f"Average horizontal gap (months) and vertical gap (ECI points) between the open and closed ECI "
                f"frontiers, {epoch_window_text()}; dots are estimates, bars 90% intervals (bootstrap over "
                "models for ours; Epoch's as published).")
    d = check.copy()
    d["label"] = d["row"]
    d["text"] = [f"{r.row}: {_fmt_row(r.value, r.low, r.high)}" for r in d.itertuples()]
    who = alt.Scale(domain=["Published", "This report"], range=[theme.INK, theme.OPEN])
    color = alt.Color("who:N", scale=who, title=None, legend=alt_legend(who.domain, fixed=True))
    shape = alt.Shape("who:N", scale=alt.Scale(domain=["Published", "This report"], range=["diamond", "circle"]),
                      title=None, legend=alt_legend(who.domain, fixed=True))
    panels = [dot_panel(d[d["unit"] == "months"], "Average lag (months)", color, shape),
              dot_panel(d[d["unit"] == "ECI points"], "Average gap (ECI points)", color.legend(None),
                         shape.legend(None))]
    chart = alt.vconcat(*panels)
    method = (
        "**Epoch's method** (data insight *Open-weight models lag state-of-the-art by around 3 months on "
        "average*, Luke Emberson, 30 Oct 2025): draw the open and closed ECI frontiers as step lines; the "
        "average *horizontal* gap is the mean, over every ECI level both lines reach inside the window, of "
        "the months between the closed line first reaching the level and the open line reaching it; the "
        "average *vertical* gap is the mean over days where both lines exist of closed minus open. Epoch "
        "counts an open model as having caught up when the difference is not statistically significant "
        "(DeepSeek-V2 at 125 vs GPT-4 at 126). Implemented in `openclosed.frontier.epoch_horizontal_gap`; "
        "exact for step lines (integrals over the segments between model scores and dates). Only models "
        "released inside the window count, so each frontier starts with its first model of 2023.\n\n"
        f"**Our inputs.** `data/scores.csv`, metric `eci`, snapshot {snapshot_key(EPOCH_SNAPSHOT)} (the one "
        f"nearest Epoch's publication) and {snapshot_key(latest_snap)} (the newest); every scored model of known openness, open = any open weights, closed "
        "= API, hosted or unreleased; one point per Epoch model.\n\n"
        "**Why the numbers differ a little.**\n"
        "- *Tolerance.* We do not have ECI standard errors, so the headline uses no tolerance (a strict "
        "catch-up). Counting differences of 1 or 2 ECI points as caught up (rows below) shortens the lag, "
        f"bracketing Epoch's {fmt.num(pm['value'], 1)} months.\n"
        "- *Snapshot.* ECI is re-estimated with each release: the same models move by a point or two between "
        f"the {nov} and {mar} snapshots, and Epoch's page may have used a slightly different "
        "version of the November data.\n"
        f"- *Interval.* Our 90% interval resamples models only; Epoch's ({fmt.num(pm['low'], 1)} to "
        f"{fmt.num(pm['high'], 1)} months; {fmt.num(pub.loc['ECI points', 'low'], 0)} to "
        f"{fmt.num(pub.loc['ECI points', 'high'], 0)} points) "
        "is wider, consistent with it also carrying the noise in each model's ECI estimate.\n\n"
        f"**Since January 2026** (Epoch's {fmt.month(pd.Timestamp(p26.loc['epoch2026_lag', 'published']))} update "
        f"reports about {fmt.num(p26.loc['epoch2026_lag', 'value'], 0)} months and "
        f"{fmt.num(p26.loc['epoch2026_gap_eci', 'value'], 0)} points): in the "
        f"{fmt.month(s26['end'])} export, the one nearest that publication, the lag averaged over the {s26['days']} days from 1 Jan to "
        f"{s26['end'].strftime('%d %b %Y')} is {fmt.num(s26['mean_lag_months'], 1)} months and the gap "
        f"{fmt.num(s26['mean_gap_points'], 1)} ECI points. That is a daily average of `lag_at` using all earlier "
        f"models (a different quantity from Epoch's level average: see the help), over only {s26['days']} days of "
        "data, so it is indicative only."
    )
    data = check[["row", "unit", "value", "low", "high", "who", "snapshot", "tolerance"]]
    alt_text = (f"Dot-and-interval chart. Published: {fmt.num(pub.loc['months', 'value'], 1)} months (90% CI "
                f"{fmt.num(pub.loc['months', 'low'], 1)} to {fmt.num(pub.loc['months', 'high'], 1)}) and "
                f"{fmt.num(pub.loc['ECI points', 'value'], 0)} ECI points. Ours on the {nov} snapshot: "
                f"{fmt.num(ours.loc['months', 'value'], 2)} months, {fmt.num(ours.loc['ECI points', 'value'], 2)} points; "
                f"on {mar}: {fmt.num(late.loc['months', 'value'], 1)} months, "
                f"{fmt.num(late.loc['ECI points', 'value'], 1)} points.")
    return ChartCard("perf_epoch_check", title, subtitle, chart, data, ["eci", "curated"], alt=alt_text,
                     method=method, page=PAGE, settings=f"fixed: ECI, {epoch_window_text()}, any open weights")


def report2024_card(tables, events2024: pd.DataFrame) -> ChartCard:
    pub = E24.published(tables)
    ours = E24.per_benchmark(events2024)
    pool = E24.pooled(events2024)
    published_label, ours_label = "Published (Epoch 2024)", "Recomputed on the report's data"
    d = pd.DataFrame([{"benchmark": b, "estimate": est, "lag_months": v, "events": n}
                      for b in REPORT_BENCHMARKS
                      for est, v, n in ((published_label, pub[b], np.nan),
                                        (ours_label, ours.loc[b, "lag_months"], ours.loc[b, "events"]))])
    same = [b for b in REPORT_BENCHMARKS if fmt.num(ours.loc[b, "lag_months"], 1) == fmt.num(pub[b], 1)]
    differ = [b for b in REPORT_BENCHMARKS if b not in same]
    title = (f"Re-running Epoch's 2024 catch-up method on its own data reproduces {len(same)} of "
             f"{len(REPORT_BENCHMARKS)} published benchmark lags to the decimal"
             + (f" ({', '.join(f'{b} {fmt.num(pub[b], 1)}' for b in same)} months)" if same else "")
             + ("" if not differ else "; " + ", ".join(
                 f"{b} comes out at {fmt.num(ours.loc[b, 'lag_months'], 1)} instead of {fmt.num(pub[b], 1)}" for b in differ))
             + f". Pooled: {pool['events']} catch-ups, mean {fmt.num(pool['mean'], 1)} months (Epoch: "
               f"{pub['mean']:g}).")
    first, last = E24.data_span(tables["report2024"])
    subtitle = ("Mean months for an open model to match each new closed state of the art, per benchmark, "
                f"Epoch's 2024 report data (the benchmark rows the method uses: models dated "
                f"{first:%b %Y} to {last:%b %Y}).")
    order = [published_label, ours_label]
    texts = {b: (f"{b}: published {fmt.num(pub[b], 1)}; re-run {fmt.num(ours.loc[b, 'lag_months'], 1)} "
                 f"({ours.loc[b, 'events']} catch-ups)") for b in REPORT_BENCHMARKS}
    d["text"] = d["benchmark"].map(texts)
    y = alt.Y("benchmark:N", sort=REPORT_BENCHMARKS, axis=None, title=None)
    base = alt.Chart(d)
    dots = base.mark_point(filled=True, size=130, opacity=0.9).encode(
        x=alt.X("lag_months:Q", title="Mean catch-up lag (months)",
                scale=alt.Scale(domain=[0, ceil_to(1.08 * float(d["lag_months"].max()), 5)], nice=False)), y=y,
        color=alt.Color("estimate:N", sort=order, scale=alt.Scale(domain=order, range=[theme.INK, theme.OPEN]),
                        title=None, legend=alt_legend(order)),
        shape=alt.Shape("estimate:N", sort=order, scale=alt.Scale(domain=order, range=["diamond", "circle"]),
                        legend=None),
        tooltip=["benchmark:N", "estimate:N", alt.Tooltip("lag_months:Q", format=".1f"),
                 alt.Tooltip("events:Q", title="Catch-up events")])
    label = base.mark_text(align="left", baseline="bottom", dy=-10, fontSize=11, color=theme.TEXT).encode(
        x=alt.value(2), y=y, text="text:N")
    chart = alt.layer(dots, label).properties(width="container", height=len(REPORT_BENCHMARKS) * 50 + 110)
    pooled_txt = (f"{pool['events']} catch-up events: mean {fmt.num(pool['mean'], 1)} months, median "
                  f"{fmt.num(pool['median'], 1)}, 5th-95th percentile {fmt.num(pool['p5'], 1)} to {fmt.num(pool['p95'], 1)}. "
                  f"Epoch's notebook prints mean {pub['mean']:g}, median {pub['median']:g}, 5th-95th "
                  f"{pub['p5']:g} to {pub['p95']:g}.") if pool["events"] else "no catch-up events."
    n_seal = int(((tables["report2024"]["benchmark"] == "GSM1k")
                  & (tables["report2024"].get("column", pd.Series(dtype=str)) == "SEAL Math")).sum())
    method = (
        "**The report's method** (Cottier et al., *How far behind are open models?*, Epoch AI; notebook "
        "`benchmark_analysis.ipynb`): scores become −log(1 − accuracy); each side's best-to-date frontier is "
        f"built; for each closed frontier step more than {E24.TOLERANCE:g} above the last matched open score, "
        f"the lag is the time until the first open frontier step within {E24.TOLERANCE:g} of it "
        "(days / 365 × 12). MMLU scores with a 'suspect' trust flag are dropped, as are distrusted GPQA scores "
        "from Nov 2023 on. Implemented in `openclosed.epoch2024` with `openclosed.frontier.catch_up_events`.\n\n"
        f"**Pooled over all benchmarks**: {pooled_txt}\n\n"
        "**GSM1k.** The notebook writes Scale's SEAL Math leaderboard scores (a GSM1k-based leaderboard) into "
        "GSM1k for the benchmarks file's models and pools them with the GSM1k file; we do the same "
        f"({n_seal} SEAL Math rows in `data/report2024.csv`, column `column`). Without them GSM1k has one "
        "catch-up instead of three.\n\n"
        "**Flan rows.** The data file holds Flan-T5 (open, carrying T5's 2019 date) and Flan-PaLM (closed) "
        "rows; the notebook removes Flan models before building frontiers (its printed frontiers hold none), "
        "and so do we. Kept, Flan-T5 would appear to beat models released years after its date."
    )
    alt_text = ("Dot chart of mean catch-up lag per benchmark: published " +
                ", ".join(f"{b} {fmt.num(pub[b], 1)}" for b in REPORT_BENCHMARKS) + "; recomputed " +
                ", ".join(f"{b} {fmt.num(ours.loc[b, 'lag_months'], 1)}" for b in REPORT_BENCHMARKS) + ".")
    return ChartCard("perf_report2024", title, subtitle, chart, d, ["epoch_report2024", "curated"],
                     alt=alt_text, method=method, page=PAGE, settings="fixed: the 2024 report's data")


def triangulation_card(d: pd.DataFrame, a: Analysis) -> ChartCard:
    months = d[(d["panel"] == "Lag (months)") & (d["who"] == "Published")]
    lo_all = np.nanmin(np.r_[months["value"], months["low"]])
    hi_all = np.nanmax(np.r_[months["value"], months["high"]])
    pub = d[(d["who"] == "Published") & (d["panel"] == "Lag (months)")].set_index("label")
    e26 = pub["value"].get("Epoch May 2026: ECI, since Jan 2026", np.nan)
    lw = pub.loc["LessWrong 2026: private benchmarks"] if "LessWrong 2026: private benchmarks" in pub.index else None
    cat = pub["value"].get("Epoch 2024: mean of catch-ups (5th-95th pct)", np.nan)
    title = (f"Published estimates of the open-model lag run from {fmt.num(lo_all, 0)} to {fmt.num(hi_all, 0)} months, "
             f"and the method matters as much as the date: in 2026 the ECI average gives {fmt.num(e26, 0)} months "
             f"while private benchmarks give {fmt.num(lw['low'], 0) if lw is not None else 'n/a'} to "
             f"{fmt.num(lw['high'], 0) if lw is not None else 'n/a'}; single-benchmark catch-ups gave "
             f"{fmt.num(cat, 0)} in 2024.")
    subtitle = ("Our computed lags and gaps (circles, 'This report') beside published estimates (diamonds), "
                "coloured by method; bars are published or bootstrap intervals, or published ranges.")
    order = list(GROUP_LABELS.values())
    group_scale = alt.Scale(domain=order, range=[theme.CLOSED, theme.GREEN, theme.PINK, theme.VERMILLION])
    who_scale = alt.Scale(domain=["Published", "This report"], range=["diamond", "circle"])
    panels, slide_panels = [], []
    for panel in ["Lag (months)", "Gap (ECI points)", ARENA_POINTS_PANEL, ARENA_PUBLISHED_PANEL]:
        p = d[d["panel"] == panel].copy()
        if p.empty:
            continue
        p["g"] = p["group"].map({g: i for i, g in enumerate(order)})
        p = p.sort_values(["g", "who", "label"], kind="mergesort")
        p["text"] = [f"{r.label}: {_fmt_row(r.value, r.low, r.high)}" for r in p.itertuples()]
        first = not panels
        color = alt.Color("group:N", scale=group_scale, title="Method",
                          legend=alt_legend(order, "Method", fixed=True) if first else None)
        shape = alt.Shape("who:N", scale=who_scale, title=None,
                          legend=alt_legend(who_scale.domain, fixed=True) if first else None)
        panels.append(dot_panel(p, panel, color, shape))
        # On a 16:9 slide a long panel becomes several, split between methods where it can be.
        for i, rows in enumerate(_row_chunks(p, "group", SLIDE_ROWS)):
            slide_panels.append(dot_panel(rows, panel, color if i == 0 else color.legend(None),
                                           shape if i == 0 else None))
    chart = alt.vconcat(*panels)
    method = (
        "**Why the estimates differ.**\n"
        "- *What is averaged.* Epoch 2024 took each time a closed model set a new record on one benchmark "
        "and measured how long until an open model matched it; records set by big jumps (GPT-4 on MMLU) "
        "take long to match, so those lags are long. Epoch's ECI method averages the horizontal distance "
        "between the two frontiers over every capability level and so weights quiet periods as much as "
        "jumps.\n"
        "- *The yardstick.* The ECI pools 40+ benchmarks, which smooths out benchmarks where open models "
        "are strong or weak. The LessWrong study finds that the lag is about 1.7-1.9× longer on private "
        "(held-out) benchmarks than on public ones, a sign that public scores flatter open models. Arena "
        "ratings measure chat preference; their gap is in rating points, not months, and was nearly closed "
        "in early 2025.\n"
        "- *The period.* Open models closed much of the gap in 2024 (Llama 3.1 405B, then DeepSeek-V3 and "
        "R1); the 2024 report's data ends in September 2024.\n\n"
        "**Our rows.** ECI rows use Epoch's method on our data (see the check above); the 'lag today' row is "
        "the single-date lag of the default view; the 2024 re-run pools the catch-up events from the "
        "reproduction below; the arena rows take the top closed minus the top open LMArena rating, in rating "
        "points, within the LMArena snapshot nearest the middle of the month, with a bar over every snapshot "
        "within a month of it, and the head-to-head win probability that gap implies, 1 ÷ (1 + 10^(−gap/400)). "
        "Arena ratings (Bradley-Terry) have no true zero, so this report gives no gap as a percent of the top "
        "rating; the AI Index did, and its figures are drawn in their own panel, labelled as theirs. "
        + " ".join(f"{r.label}: {fmt.num(r.value, 0)} points ({r.note})."
                   for r in d[d["panel"] == ARENA_POINTS_PANEL].itertuples())
        + (" AI Index's published figures: " + "; ".join(
            f"{r.label} {fmt.num(r.value, 1)}%"
            for r in d[d["panel"] == ARENA_PUBLISHED_PANEL].itertuples()) + "."
           if (d["panel"] == ARENA_PUBLISHED_PANEL).any() else "")
        + " Ranges published without a point (LessWrong) are drawn at their midpoint."
    )
    alt_text = ("Dot-and-interval chart of published and recomputed estimates of the open-model lag in months, "
                "the ECI gap in points, the arena gap in rating points and the AI Index's published arena gap in "
                "percent, grouped by method. "
                + "; ".join(f"{r.label}: {fmt.num(r.value, 1)}" for r in d.itertuples()))
    return ChartCard("perf_triangulation", title, subtitle, chart,
                     d[["label", "group", "panel", "value", "low", "high", "who", "note", "source"]],
                     ["eci", "lmarena", "epoch_report2024", "curated"], alt=alt_text, method=method, page=PAGE,
                     settings="fixed: published definitions; our ECI rows use the default view",
                     slide_chart=alt.vconcat(*slide_panels))


SLIDE_ROWS = 9       # dot-and-interval rows a 16:9 slide holds with each row's label above it at slide size


def _row_chunks(d: pd.DataFrame, group: str, most: int) -> list[pd.DataFrame]:
    """`d` in order as consecutive chunks of at most `most` rows, each ending at a change of `group` when one
    falls in its second half, so a chunk holds whole groups where it can."""
    chunks, start = [], 0
    while start < len(d):
        end = min(start + most, len(d))
        if end < len(d):
            keys = d[group].to_numpy()
            cuts = [i for i in range(start + (most + 1) // 2, end + 1) if keys[i - 1] != keys[i]]
            end = cuts[-1] if cuts else end
        chunks.append(d.iloc[start:end])
        start = end
    return chunks


def domain_card(d: pd.DataFrame, s: Settings) -> ChartCard:
    snaps = {src: ", ".join(sorted(set(g))) for src, g in d.groupby("source")["snapshot"]} if len(d) else {}
    subtitle = ("Best open model's score as a % of the best closed model's, per benchmark, models released up to "
                f"{s.end}; Artificial Analysis components (snapshot {snaps.get('Artificial Analysis', 'none')}) "
                f"and LiveBench categories (release {snaps.get('LiveBench', 'none')}).")
    if d.empty:
        return ChartCard("perf_domains", "No benchmark has both an open and a closed model for these settings.",
                         subtitle, spec_chart(message_spec("No data for this selection")), d,
                         ["artificial_analysis", "livebench"], alt="Empty chart.", method=domain_method(),
                         page=PAGE, settings=s.label())
    fam = d.groupby("family")["open_pct"].mean().reindex(FAMILIES).dropna()
    best, worst = fam.idxmax(), fam.idxmin()
    ahead = d[d["open_pct"] >= 100]
    title = (f"Open models come closest in {best.lower()} ({fmt.num(fam[best], 0)}% of the best closed score on "
             f"average) and trail most in {worst.lower()} ({fmt.num(fam[worst], 0)}%)"
             + (f"; they lead on {len(ahead)} of {len(d)} benchmarks." if len(ahead) else "."))
    p = d.copy()
    p["row"] = p["benchmark"]
    p["fi"] = p["family"].map({f: i for i, f in enumerate(FAMILIES)})
    p = p.sort_values(["fi", "source", "benchmark"])
    order = list(p["row"])
    fam_scale = {"domain": FAMILIES, "range": [theme.GREEN, theme.PINK, theme.SKY, theme.VERMILLION, theme.OLIVE]}
    xmin = min(40.0, float(np.floor(p["open_pct"].min() / 10) * 10))
    xmax = max(105.0, float(np.ceil(p["open_pct"].max() / 5) * 5))
    y = field_spec("row", "N", sort=order, title=None, axis={"labelLimit": 200, "labelOverlap": False})
    bars = {"mark": {"type": "bar", "height": 12},
            "encoding": {"x": field_spec("open_pct", "Q", title="Best open as % of best closed",
                                 scale={"domain": [xmin, xmax]}),
                         "x2": {"datum": xmin}, "y": y,
                         "color": field_spec("family", "N", scale=fam_scale, title="Family",
                                     legend=legend(FAMILIES)),
                         "tooltip": [field_spec("family", "N"), field_spec("benchmark", "N"), field_spec("source", "N"),
                                     field_spec("open_pct", "Q", title="Open as % of closed", format=".1f"),
                                     field_spec("open_model", "N", title="Best open"), field_spec("open_best", "Q", format=".1f"),
                                     field_spec("closed_model", "N", title="Best closed"),
                                     field_spec("closed_best", "Q", format=".1f")]}}
    text = {"mark": {"type": "text", "align": "left", "dx": 3, "fontSize": 10},
            "encoding": {"x": field_spec("open_pct", "Q"), "y": field_spec("row", "N", sort=order),
                         "text": field_spec("open_pct", "Q", format=".0f")}}
    rule = {"data": {"values": [{"x": 100}]}, "mark": {"type": "rule", "color": theme.TEXT, "strokeDash": [4, 3]},
            "encoding": {"x": field_spec("x", "Q")}}
    chart = spec_chart({"width": "container", "height": 26 * len(p) + 120,
                        "data": {"values": json_records(p[["row", "family", "benchmark", "source", "open_pct",
                                                       "open_model", "open_best", "closed_model", "closed_best"]])},
                        "layer": [bars, text, rule]})
    alt_text = ("Bar chart of the best open score as a percentage of the best closed score per benchmark: "
                + "; ".join(f"{r.benchmark} {fmt.num(r.open_pct, 0)}%" for r in p.itertuples()) + ".")
    return ChartCard("perf_domains", title, subtitle, chart, p.drop(columns=["row", "fi"]),
                     ["artificial_analysis", "livebench"], alt=alt_text, method=domain_method(), page=PAGE,
                     settings=s.label())


def domain_method() -> str:
    return (
        "For each benchmark the best open and the best closed score among models released up to the end of "
        "your date range (best variant per model, the same openness rule, country and flag filters as the "
        "rest of the page), and 100 × open / closed. Families: coding (LiveCodeBench, SciCode, LiveBench "
        "coding), math (AIME 2025, LiveBench math), reasoning and knowledge (GPQA Diamond, MMLU-Pro, "
        "Humanity's Last Exam, LiveBench reasoning), agentic (Terminal-Bench Hard, tau2-bench, LiveBench "
        "agentic coding), instruction following (IFBench, LiveBench). The headline averages the benchmarks "
        "of each family.\n\n"
        "**Caveats.** A ratio of scores is not a ratio of capability: on hard, unsaturated benchmarks "
        "(Humanity's Last Exam, Terminal-Bench) a few points are a large share; on saturated ones (AIME) "
        "everyone is near 100%. Some AA components (LiveCodeBench, MMLU-Pro, AIME 2025) were retired from "
        "the index and have no scores for the newest models, so their best-to-date can be older. Artificial "
        "Analysis and LiveBench run their own evaluations; attribution: Artificial Analysis "
        "(artificialanalysis.ai), LiveBench (livebench.ai)."
    )


# ----------------------------------------------------------------------------------------------
# All cards
# ----------------------------------------------------------------------------------------------


def fixed_parts(tables, boot_n: int = BOOT_N) -> dict:
    """The cards that do not depend on the controls (Epoch check, triangulation, 2024 reproduction), and
    their inputs. The triangulation uses the default view (ECI, 2023 to the latest snapshot)."""
    tables = prepare(tables)
    check = epoch_check(tables, boot_n)
    s26 = since_2026(tables)
    ev24 = report2024_lags(tables["report2024"])
    default = analyze(tables, Settings(), boot_n)
    tri = triangulation_frame(tables, default, check, ev24)
    yardsticks = today.yardsticks(tables)
    return {"check": check, "since_2026": s26, "report2024": ev24, "triangulation": tri, "yardsticks": yardsticks,
            "yardsticks_card": freeze(yardsticks_card(yardsticks)),
            "epoch_intro": epoch_intro(check), "epoch_card": freeze(epoch_card(tables, check, s26)),
            "triangulation_card": freeze(triangulation_card(tri, default)),
            "report2024_card": freeze(report2024_card(tables, ev24))}


def view_cards(tables, settings: Settings, boot_n: int = BOOT_N,
               user: pd.DataFrame | None = None) -> tuple[Analysis, dict[str, ChartCard]]:
    """The analysis for the controls, and its three cards: frontier, gap, lag. ``user`` (the reader's models)
    only adds "Yours" points to the frontier chart; the analysis never sees them."""
    tables = prepare(tables)
    a = analyze(tables, settings, boot_n)
    waiting = today.pending(tables, a.metric.key, a.now, a.settings.open_rule)
    return a, by_key([freeze(frontier_card(a, tables["events"], user, waiting)), freeze(gap_card(a)),
                      freeze(lag_card(a))])


def domain_cards(tables, settings: Settings) -> ChartCard:
    s = settings.clean()
    return freeze(domain_card(domain_frame(prepare(tables), s), s))


def shared_prepared(tables) -> Prepared:
    """One `Prepared` (with its cache of base points) per set of table objects: presenter mode and the deck pass
    the same read-only frames on every call, so a new setting no longer prepares the tables again."""
    if isinstance(tables, Prepared):
        return tables
    names = sorted(tables)
    return _prepared_for(" ".join(names), *(tables[n] for n in names))


@per_inputs(kept=4)
def _prepared_for(names: str, *frames) -> Prepared:
    return Prepared(dict(zip(names.split(" "), frames)))


@per_inputs(kept=4)
def shared_fixed_parts(tables: Prepared) -> dict:
    """`fixed_parts` once per prepared tables: they do not depend on the controls (about 2.8 s of CPU)."""
    return fixed_parts(tables)


def cards(tables, settings: Settings | None = None, user: pd.DataFrame | None = None) -> dict[str, ChartCard]:
    """Every chart card of the Performance page by key, in page order, for ``settings``: frontier, gap, lag,
    per-domain view, lag today on every yardstick, Epoch check, triangulation, 2024 reproduction. ``user``: the
    reader's models, drawn as "Yours" on the frontier chart only. The fixed cards are computed once per tables and
    handed out as copies (the caller labels each card with its page and settings)."""
    settings = (settings or Settings()).clean()
    tables = shared_prepared(tables)
    fixed = shared_fixed_parts(tables)
    _, view = view_cards(tables, settings, user=user)
    fixed_cards = [copy.copy(fixed[k]) for k in ("yardsticks_card", "epoch_card", "triangulation_card",
                                                  "report2024_card")]
    return by_key([*view.values(), domain_cards(tables, settings), *fixed_cards])


def data_notes(a: Analysis) -> str:
    """The Performance page's data notes, computed from the analysis shown (no typed model names)."""
    fronts = set(a.open_front["model"]) | set(a.closed_front["model"])
    flagged = sorted(set(a.points.loc[a.points["flagged"].astype(bool), "model"]) & fronts) \
        if "flagged" in a.points else []
    flag_txt = (f"On {a.metric.short} at these settings, {len(flagged)} frontier model"
                f"{'' if len(flagged) == 1 else 's'} carr{'ies' if len(flagged) == 1 else 'y'} the flag "
                f"({', '.join(flagged)}), so switching off *Include unverified and preview models* changes the "
                "frontier." if flagged else
                f"On {a.metric.short} at these settings no frontier model carries the flag.")
    return (
        "- **Model matching.** The catalog joins each source's names to one model; `data/match_coverage.csv` "
        "lists what each source matched. The ECI charts use Epoch's own model names.\n"
        "- **Preview and unverified flags.** The catalog flags a model when a source lists it as a preview or "
        f"its metadata as unverified. {flag_txt}\n"
        "- **Unknown openness.** Models whose openness no source states are left out of both frontiers.\n"
        "- **Snapshots.** ECI and LMArena are re-estimated over time; each chart says which snapshot it uses."
    )


# ----------------------------------------------------------------------------------------------
# Lag today on every yardstick
# ----------------------------------------------------------------------------------------------

YARDSTICK_SOURCES = {"eci+estimates": ["eci", "eci_stitched", "artificial_analysis", "livebench"]}


def yardsticks_card(table: pd.DataFrame) -> ChartCard:
    """One dot per yardstick: lag today in months on its own newest data, labelled with the date its data end;
    the headline yardstick (freshest meeting the coverage rule) is the dark dot."""
    head = today.headline(table)
    sources = sorted({s for k in table["metric"] for s in (YARDSTICK_SOURCES[k] if k in YARDSTICK_SOURCES
                                                           else [METRICS[k].source])})
    subtitle = (f"Lag today (months) per yardstick, each on its own newest data (dates on the left); any open "
                f"weights count as open. Dark: the headline yardstick, the freshest with {today.COVERAGE_RULE}.")
    d = table[np.isfinite(table["lag_months"].astype(float))].copy()
    if d.empty or head["row"] is None:
        return ChartCard("perf_yardsticks", "No yardstick has both open and closed models to compare today.",
                         subtitle, spec_chart(message_spec("No yardstick qualifies")), d, sources or ["eci"],
                         alt="Empty chart.", method=yardsticks_method(), page=PAGE, settings="fixed: newest data")
    r = head["row"]
    # two-line axis labels (name, then the date its data end) that fit a phone; the gap is in the tooltip and table
    d["row"] = [f"{y}|to {fmt.day(e)}" for y, e in zip(d["yardstick"], d["data_ends"])]
    d["role"] = np.where(d["metric"] == r["metric"], "Headline yardstick",
                         np.where(d["meets_coverage"], "Meets the coverage rule", "Older or thinner data"))
    d["gap_text"] = [f"{fmt.num(g, int(dec))} {u}" for g, dec, u in zip(d["gap_points"], d["decimals"], d["unit"])]
    d["pair"] = [f"{o} vs {c}" for o, c in zip(d["open_model"], d["closed_model"])]
    roles = ["Headline yardstick", "Meets the coverage rule", "Older or thinner data"]
    y = field_spec("row", "N", title=None, sort=list(d["row"]),
           axis={"labelExpr": "split(datum.label, '|')", "labelLimit": 180, "labelPadding": 6})
    # greys, not the open/closed colours: a row is a yardstick, not a side
    dots = {"mark": {"type": "point", "filled": True, "size": 140},
            "encoding": {"x": field_spec("lag_months", "Q", title="Lag today (months)", scale={"zero": True}), "y": y,
                         "color": field_spec("role", "N", title=None, scale={"domain": roles,
                                     "range": [theme.INK, theme.NEUTRAL, theme.LIGHT]}, legend=legend(roles)),
                         "tooltip": [field_spec("yardstick", "N", title="Yardstick"), field_spec("data_ends", "T", title="Data end"),
                                     field_spec("lag_months", "Q", title="Lag today (months)", format=".1f"),
                                     field_spec("gap_text", "N", title="Gap today"), field_spec("pair", "N", title="Best open vs closed"),
                                     field_spec("newest_open", "N", title="Newest open model"),
                                     field_spec("newest_closed", "N", title="Newest closed model")]}}
    chart = spec_chart({"width": "container", "height": max(200, 44 * len(d)), "data": {"values": json_records(d)},
                        "layer": [dots]})
    title = (f"Open models trail by {fmt.months(r['lag_months'])} on the {r['yardstick']} (data to "
             f"{fmt.day(r['data_ends'])}); across {head['n']} yardsticks lag today runs from "
             f"{fmt.months(head['low'])} to {fmt.months(head['high'])}.")
    keep = ["yardstick", "snapshot", "data_ends", "lag_months", "gap_points", "unit", "open_model", "open_best",
            "closed_model", "closed_best", "n_open", "n_closed", "n_open_recent", "n_closed_recent", "newest_open",
            "newest_open_date", "newest_closed", "newest_closed_date", "n_estimated", "meets_coverage", "role"]
    alt_text = "Dot chart of lag today per yardstick. " + "; ".join(
        f"{row.yardstick} (data to {fmt.day(row.data_ends)}): {fmt.num(row.lag_months, 1)} months"
        for row in d.itertuples()) + "."
    return ChartCard("perf_yardsticks", title, subtitle, chart, d[keep], sources, alt=alt_text,
                     method=yardsticks_method(), page=PAGE, settings="fixed: each yardstick's newest data, any open weights")


def yardsticks_method() -> str:
    return (
        f"**{LAG_NAMES['today']}** on each yardstick: {LAG_DEFINITIONS['today']}. Each yardstick is measured "
        "within its own newest snapshot (a re-estimated index is never mixed across exports), so each row has its "
        "own date; a yardstick whose data end earlier cannot see newer models.\n\n"
        f"**Headline rule.** The Overview and this card's title use the freshest yardstick with "
        f"{today.COVERAGE_RULE}; ties go to the order of the yardstick control. The range is over every row.\n\n"
        f"**{today.STITCHED_LABEL}.** Epoch's newest ECI export plus this report's estimates on the same scale "
        "for models it does not score, fitted from their Artificial Analysis and LiveBench results with the method "
        "of Epoch AI's *A Rosetta Stone for AI Benchmarks* (`pipeline/eci_stitch.py`; checks against Epoch's own "
        "scores in `data/eci_stitch_validation.csv` and in `data/provenance.json`). Estimates are not Epoch's ECI; "
        "in the check they read about a point high for open models, so this row's gap can be slightly small."
    )


def yardsticks_table(table: pd.DataFrame) -> pd.DataFrame:
    """The yardstick rows as the page's table: data end, lag today, gap, models counted, newest open and closed."""
    return pd.DataFrame({
        "Yardstick": table["yardstick"],
        "Data end": [fmt.day(x) for x in table["data_ends"]],
        f"{LAG_NAMES['today']} (months)": [fmt.num(x, 1) for x in table["lag_months"]],
        "Gap today": [f"{fmt.num(g, int(d))} {u}" for g, d, u in zip(table["gap_points"], table["decimals"], table["unit"])],
        "Best open vs best closed": [f"{o} vs {c}" for o, c in zip(table["open_model"], table["closed_model"])],
        "Models (open / closed)": [f"{o} / {c}" for o, c in zip(table["n_open"], table["n_closed"])],
        "Newest open": [f"{m} ({fmt.day(d)})" for m, d in zip(table["newest_open"], table["newest_open_date"])],
        "Newest closed": [f"{m} ({fmt.day(d)})" for m, d in zip(table["newest_closed"], table["newest_closed_date"])],
        "Meets the headline rule": np.where(table["meets_coverage"], "yes", "no"),
    })
