"""openclosed.performance: model points, the analysis behind each card, the checks against published
figures, and that every card renders a valid chart for every combination of the controls."""
from __future__ import annotations

import re

import itertools

import pandas as pd
import pytest

from openclosed import frontier as F
from openclosed import performance as P
from openclosed import tables as T
from tests import vega_lite


def valid(card) -> dict:
    """The card's Vega-Lite spec (what the app draws), validated against the Vega-Lite JSON schema."""
    spec = card.spec
    vega_lite.assert_valid(spec)
    return spec


TABLE_NAMES = ("scores", "models", "published_estimates", "events", "report2024")


@pytest.fixture(scope="module")
def real():
    return P.prepare({n: T.read(n) for n in TABLE_NAMES}).warm()


@pytest.fixture(scope="module")
def fixed(real):
    return P.fixed_parts(real, boot_n=300)


# ---------------------------------------------------------------------------------------------- small tables

def _models():
    rows = [
        # model_id, name, openness, country, release, unverified, preview
        ("closed-a", "Closed A", "api", "United States of America", "2023-01-01", False, False),
        ("closed-b", "Closed B", "api", "United States of America", "2024-01-01", False, False),
        ("open-x", "Open X", "open_unrestricted", "China", "2023-07-01", False, False),
        ("open-y", "Open Y", "open_restricted", "United States of America", "2024-07-01", False, False),
        ("mystery", "Mystery", "unknown", "", "2024-01-01", False, False),
        ("preview-p", "Preview P", "api", "China,China", "2024-03-01", False, True),
    ]
    return pd.DataFrame(rows, columns=["model_id", "name", "openness", "country", "release_date",
                                       "metadata_unverified", "preview"])


def _scores(metric="aa_intelligence_index", snapshot="2026-07-31"):
    rows = [
        ("closed-a", "closed-a-high", 40.0, "2023-01-01", "high"),
        ("closed-a", "closed-a-low", 35.0, "2023-01-01", "low"),
        ("closed-b", "closed-b", 60.0, "2024-01-01", ""),
        ("open-x", "open-x", 40.0, "2023-07-01", ""),
        ("open-y", "open-y", 60.0, "2024-07-01", ""),
        ("mystery", "mystery", 99.0, "2024-01-01", ""),
        ("preview-p", "preview-p", 70.0, "2024-03-01", ""),
    ]
    df = pd.DataFrame(rows, columns=["model_id", "source_id", "value", "date", "variant"])
    df["source"] = "artificial_analysis"
    df["metric"] = metric
    df["snapshot"] = snapshot
    return df


def _small():
    return P.prepare({"scores": _scores(), "models": _models()})


def test_metric_points_best_variant_and_openness():
    pts = P.metric_points(_small(), "aa_intelligence_index")
    assert "Mystery" not in set(pts["model"])                      # unknown openness excluded
    a = pts[pts["model"] == "Closed A"]
    assert len(a) == 1 and a["value"].iloc[0] == 40.0              # best variant
    assert set(pts.loc[pts["is_open"], "model"]) == {"Open X", "Open Y"}
    assert set(pts["side"]) == {P.OPEN_LABEL, P.CLOSED_LABEL}


def test_metric_points_filters():
    t = _small()
    unres = P.metric_points(t, "aa_intelligence_index", rule="unrestricted")
    assert "Open Y" not in set(unres["model"])                     # restricted: neither open nor closed
    assert set(unres.loc[unres["is_open"], "model"]) == {"Open X"}
    assert "Preview P" not in set(P.metric_points(t, "aa_intelligence_index", include_flagged=False)["model"])
    china = P.metric_points(t, "aa_intelligence_index", country="china")
    assert set(china["model"]) == {"Open X", "Preview P"}
    ranged = P.metric_points(t, "aa_intelligence_index", start="2023-06-01", end="2024-02-01")
    assert set(ranged["model"]) == {"Open X", "Closed B"}


def test_country_groups():
    assert P.country_group("United States of America") == "us"
    assert P.country_group("China,China") == "china"
    # one rule with Geopolitics (openclosed.countries): a joint model counts for every country it lists, Hong
    # Kong counts as China; the old rule put both in "other"
    assert P.country_group("United States of America,China") == "china,us"
    assert P.country_group("United States of America,United Kingdom of Great Britain and Northern Ireland") == "other,us"
    assert P.country_group("Hong Kong") == "china"
    assert P.country_group("France") == "other"
    labels = pd.Series(["us", "other,us", "china", "", None])
    assert P.in_country_group(labels, "us").tolist() == [True, True, False, False, False]
    assert P.country_group("") == "" and P.country_group(None) == ""


def test_eci_points_keep_epochs_own_models_apart(real):
    pts = P.metric_points(real, "eci", P.latest_eci_snapshot(real))
    names = set(pts["model"])
    assert {"GPT-4.5 (Feb 2025)", "GPT-5.4 (Mar 2026)"} <= names     # two checkpoints, two readable points
    assert pts["model"].is_unique
    assert not any(re.search(r"\d{4}-\d{2}-\d{2}", n) for n in names)     # no raw dated ids as labels


def test_settings_clean_falls_back_and_orders():
    s = P.Settings(metric="nope", start="2025-05", end="2023-02", open_rule="x", country="mars").clean()
    assert s.metric == P.DEFAULT_METRIC and s.open_rule == "any" and s.country == "all"
    assert (s.start, s.end) == ("2023-02", "2025-05")
    assert P.Settings(start="1999-01", end="garbage").clean() == P.Settings()
    # the default range ends with the month the data end in (not a typed month past the data)
    assert P.Settings().end_ts == pd.Period(P.RANGE_LAST, freq="M").end_time.normalize()


def test_analyze_on_small_tables_gives_the_hand_computed_lag():
    t = P.prepare({"scores": _scores(), "models": _models(), "events": pd.DataFrame()})
    a = P.analyze(t, P.Settings(metric="aa_intelligence_index", include_flagged=False, start="2023-01",
                                end="2024-12"), boot_n=50)
    # closed: A 40 (2023-01-01), B 60 (2024-01-01); open: X 40 (2023-07-01), Y 60 (2024-07-01).
    # The snapshot (2026-07-31) is later than the range, so 'now' is the end of the range.
    assert a.now == pd.Timestamp("2024-12-31")
    assert a.current["open_best"] == 60 and a.current["closed_best"] == 60
    assert a.current["lag_months"] == 0
    # levels (40, 60]: closed on 2024-01-01, open on 2024-07-01 -> 182 days
    assert a.epoch["mean_lag_months"] == pytest.approx(182 / F.DAYS_PER_MONTH)


# ---------------------------------------------------------------------------------------------- published checks

def test_epoch_2025_check_matches_the_published_figure(fixed):
    check = fixed["check"]
    ours = check[(check["snapshot"] == P.EPOCH_SNAPSHOT) & (check["tolerance"] == 0)].set_index("unit")
    pub = check[check["who"] == "Published"].set_index("unit")
    assert pub.loc["months", "value"] == 3.5 and pub.loc["ECI points", "value"] == 7
    # un-collapsed checkpoints with their own dates (was 3.62 months, 7.62 points on the collapsed catalog)
    assert ours.loc["months", "value"] == pytest.approx(3.40, abs=0.01)
    assert ours.loc["ECI points", "value"] == pytest.approx(7.35, abs=0.01)
    # published point inside our interval, ours inside theirs
    assert ours.loc["months", "low"] <= 3.5 <= ours.loc["months", "high"]
    assert pub.loc["months", "low"] <= ours.loc["months", "value"] <= pub.loc["months", "high"]
    assert pub.loc["ECI points", "low"] <= ours.loc["ECI points", "value"] <= pub.loc["ECI points", "high"]
    tol = check[check["tolerance"] > 0].set_index(["tolerance", "unit"])["value"]
    assert tol[(1.0, "months")] < ours.loc["months", "value"]    # a tolerance shortens the lag


def test_report2024_reproduction(real):
    ev = P.report2024_lags(real["report2024"])
    card = P.report2024_card(real, ev)
    assert "reproduces 4 of 4" in card.title and "13 catch-ups" in card.title
    rows = card.data.set_index(["benchmark", "estimate"])["lag_months"]
    for b, v in {"MMLU": 18.4, "GPQA": 4.6, "GSM1k": 8.4, "BBH": 14.8}.items():
        assert rows[(b, "Recomputed on the report's data")] == pytest.approx(v, abs=0.05)
        assert f"{b} {v}" in card.title
    assert "mean 13.1" in card.method and "median 14.6" in card.method


def test_arena_gap_in_rating_points_and_win_probability(real):
    jan = P.arena_gap_open_closed(real, P.ARENA_DATES["Jan 2024"])
    feb = P.arena_gap_open_closed(real, P.ARENA_DATES["Feb 2025"])
    assert jan["snapshot"].endswith("2024-01-25")
    # points, not a percent of the top rating (no true zero): the old rule gave 8.49 (% of top closed)
    assert "gap_pct" not in jan
    assert jan["gap_points"] == pytest.approx(jan["closed"] - jan["open"])
    assert jan["win_prob"] == pytest.approx(1 / (1 + 10 ** (-jan["gap_points"] / 400)))
    assert jan["low"] <= jan["gap_points"] <= jan["high"]
    assert feb["low"] < feb["gap_points"] <= feb["high"]


def test_triangulation_shows_our_arena_gap_in_points_and_the_ai_index_percent_as_theirs(fixed):
    d = fixed["triangulation"]
    pct = d[d["panel"] == P.ARENA_PUBLISHED_PANEL]
    pts = d[d["panel"] == P.ARENA_POINTS_PANEL]
    assert len(pct) == 2 and set(pct["who"]) == {"Published"} and "published figure" in P.ARENA_PUBLISHED_PANEL
    assert len(pts) == 2 and set(pts["who"]) == {"This report"} and (pts["value"] > 20).all()
    assert pts["note"].str.contains("head-to-head").all()
    assert "no true zero" in fixed["triangulation_card"].method


# ---------------------------------------------------------------------------------------------- cards

def test_cards_in_page_order_with_sources_and_true_default_headline(real):
    cards = P.cards(real)
    assert list(cards) == [c.key for c in cards.values()] == ["perf_frontier", "perf_gap", "perf_lag", "perf_domains", "perf_yardsticks",
                                      "perf_epoch_check", "perf_triangulation", "perf_report2024"]
    a = P.analyze(real, P.Settings())
    lag = a.current["lag_months"]
    hist = P.metric_points(real, "eci", P.latest_eci_snapshot(real), end=P.Settings().end_ts)
    op, cl = P.sides(hist)
    assert lag == pytest.approx(F.lag_at(op, cl, a.now))
    assert f"trail by about {round(lag)} months on ECI" in cards["perf_frontier"].title
    assert a.current["open_model"] in cards["perf_frontier"].title
    assert f"{a.current['gap_points']:.1f} ECI points" in cards["perf_gap"].title
    for c in cards.values():
        assert c.title.endswith(".") and c.subtitle and c.alt and c.method and c.sources
        assert len(c.data) > 0
        spec = valid(c)
        assert spec.get("description") == c.alt


def _unfrozen(real, s):
    a = P.analyze(real, s, boot_n=30)
    return [P.frontier_card(a, real["events"]), P.gap_card(a), P.lag_card(a),
            P.domain_card(P.domain_frame(real, s), s)]


@pytest.mark.parametrize("metric", list(P.METRICS))
def test_every_metric_builds_valid_charts(real, metric):
    for card in _unfrozen(real, P.Settings(metric=metric)):
        valid(card)
        assert "nan" not in card.title.lower()


def test_fixed_cards_validate(real, fixed):
    tri = P.triangulation_frame(real, P.analyze(real, P.Settings(), boot_n=30), fixed["check"],
                                fixed["report2024"])
    P.triangulation_card(tri, P.analyze(real, P.Settings(), boot_n=30)).chart.to_dict()   # Altair validates
    P.epoch_card(real, fixed["check"], fixed["since_2026"]).chart.to_dict()
    P.report2024_card(real, fixed["report2024"]).chart.to_dict()
    for key in ("epoch_card", "triangulation_card", "report2024_card"):
        valid(fixed[key])
    groups = set(tri["group"])
    assert {"Horizontal gap on the ECI", "Catch-up on single benchmarks", "Threshold crossings, many benchmarks",
            "Chat preference (LMArena)"} <= groups


def test_every_combination_of_controls_renders(real):
    # Every yardstick with every rule and country; the flagged toggle alternates and shifts by one each yardstick,
    # so every yardstick and every (rule, country) pair meets both values.
    per_metric = len(P.OPEN_RULES) * len(P.COUNTRIES)
    combos = itertools.product(list(P.METRICS), list(P.OPEN_RULES), list(P.COUNTRIES))
    for i, (metric, rule, country) in enumerate(combos):
        s = P.Settings(metric=metric, open_rule=rule, country=country, include_flagged=(i + i // per_metric) % 2 == 0)
        a, cards = P.view_cards(real, s, boot_n=0)
        dom = P.domain_cards(real, s)
        for c in [*cards.values(), dom]:
            assert c.title and "nan" not in c.title.lower(), (s, c.title)
            spec = c.spec
            assert spec.get("description") == c.alt
            if i % 4 == 0:                                       # full schema validation on a sample
                vega_lite.assert_valid(spec)


@pytest.mark.parametrize("start,end", [("2022-01", "2022-02"), ("2026-12", "2026-12"), ("2022-01", "2026-12")])
def test_extreme_ranges_give_messages_not_errors(real, start, end):
    for metric in ("eci", "lmarena_text", "swebench_bash_only"):
        s = P.Settings(metric=metric, start=start, end=end)
        a, cards = P.view_cards(real, s, boot_n=20)
        for c in cards.values():
            valid(c)
        h = P.headline_numbers(a)
        assert h["n_open"] >= 0


def test_empty_selection_says_so(real):
    a, cards = P.view_cards(real, P.Settings(metric="lmarena_text", start="2022-01", end="2022-06"), boot_n=20)
    assert cards["perf_frontier"].title.startswith("Not enough models")
    assert "No open or no closed model" in str(cards["perf_frontier"].chart.to_dict())


def test_headline_updates_with_controls(real):
    a, cards = P.view_cards(real, P.Settings(metric="aa_intelligence_index", country="china"), boot_n=20)
    assert "AA Intelligence Index" in cards["perf_frontier"].title and "among Chinese models" in cards["perf_frontier"].title


def test_frozen_chart_survives_pickle_and_export(real):
    import pickle

    from openclosed import export
    card = P.cards(real)["perf_frontier"]
    again = pickle.loads(pickle.dumps(card))
    assert again.chart.to_dict() == card.chart.to_dict()
    assert export.chart_svg(again.chart).startswith("<svg")


def test_robust_trend_recovers_a_known_slope():
    dates = pd.date_range("2023-01-01", periods=36, freq="MS")
    lag = 2 + (dates - dates[0]).days / 365.25 * 3.0            # 3 months per year
    lag = pd.Series(lag)
    lag[[5, 17]] = [40, -20]                                     # outliers Theil-Sen ignores
    tr = P.robust_trend(pd.DataFrame({"date": dates, "lag_months": lag}))
    assert tr["slope_per_year"] == pytest.approx(3.0, abs=0.05)
    assert tr["low"] - 1e-9 <= 3.0 <= tr["high"] + 1e-9


def test_the_date_range_ends_at_the_newest_month_the_data_reach():
    from openclosed.sources import SOURCES
    newest = max(SOURCES[m.source]["data_ends"] for m in P.METRICS.values())[:7]
    assert P.RANGE_LAST == P.DEFAULT_END == P.month_options()[-1] == newest        # not a typed "2026-12"
    assert P.Settings().end_ts <= pd.Timestamp(max(SOURCES[m.source]["data_ends"] for m in P.METRICS.values())) \
        + pd.offsets.MonthEnd(0)
    # toy sources: the newest data end of the yardsticks' sources decides, other sources do not count
    toy = {"eci": {"data_ends": "2026-03-09"}, "lmarena": {"data_ends": "2026-05-20"},
           "openrouter": {"data_ends": "2027-01-01"}}
    assert P.data_last_month(toy) == "2026-05"


def test_an_end_past_the_data_is_pulled_back_and_said_so():
    assert P.Settings(start="2024-01", end="2026-12").clean().end == P.RANGE_LAST
    assert P.Settings(start="2024-01", end="2099-12").clean() == P.Settings(start="2024-01", end=P.RANGE_LAST)
    assert P.Settings(end="garbage").clean().end == P.DEFAULT_END
    (rng, note) = P.range_within_data(["2024-01", "2026-12"], last="2026-08")
    assert rng == ("2024-01", "2026-08") and "2026-12" in note and "2026-08" in note
    assert P.range_within_data(["2027-03", "2026-12"], last="2026-08")[0] == ("2026-08", "2026-08")
    assert P.range_within_data(["2024-01", "2026-05"], last="2026-08") is None       # within the data: untouched
    assert P.range_within_data(["zzz"]) is None and P.range_within_data(None) is None


def test_no_data_end_is_a_clear_error_not_the_wall_clock():
    with pytest.raises(ValueError, match="rebuild data/"):
        P.data_last_month({})
