"""Geopolitics core: country normalization, counting rules, Wilson intervals, the US-China gap (through the
shared frontier code), open-frontier first crossers, compute leaders, headlines, and a direct recomputation
of the counts from Epoch's raw files."""
from __future__ import annotations

import itertools
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings as hsettings, strategies as st
from scipy import stats

from openclosed import frontier, gap, geo, tables

RAW = Path(__file__).resolve().parents[2].parent / "shared" / "raw" / "epoch_ai_models"
USA = "United States of America"
UK = "United Kingdom of Great Britain and Northern Ireland"


# --------------------------------------------------------------------------------------------------
# Country strings, taken from the real Epoch data
# --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, expected", [
    ("China,China", ("China",)),
    (f"{USA},{UK}", ("United States", "United Kingdom")),
    (f"{USA},{USA},{USA}", ("United States",)),
    ("Korea (Republic of),Korea (Republic of),Switzerland", ("South Korea", "Switzerland")),
    ("Belgium,Iran (Islamic Republic of),France,Iran (Islamic Republic of)", ("Belgium", "Iran", "France")),
    ("China,China,Singapore,United States of America,China,Australia",
     ("China", "Singapore", "United States", "Australia")),
    ("Hong Kong,China", ("Hong Kong", "China")),
    (" China ,  China ", ("China",)),
    ("Multinational", ("Multinational",)),
    ("", ()),
    (None, ()),
    (float("nan"), ()),
])
def test_split_countries(raw, expected):
    assert geo.split_countries(raw) == expected


@pytest.mark.parametrize("country, europe, eu, uk_fr", [
    ("United States", "United States", "United States", "United States"),
    ("China", "China", "China", "China"),
    ("Hong Kong", "China", "China", "China"),
    ("United Kingdom", "Europe", "Other", "United Kingdom"),
    ("France", "Europe", "EU", "France"),
    ("Germany", "Europe", "EU", "Rest of Europe"),
    ("Switzerland", "Europe", "Other", "Rest of Europe"),
    ("Russia", "Other", "Other", "Other"),
    ("South Korea", "Other", "Other", "Other"),
    ("Multinational", "Other", "Other", "Other"),
    ("", "Unknown", "Unknown", "Unknown"),
])
def test_region_of_each_grouping(country, europe, eu, uk_fr):
    assert geo.region_of(country, "europe") == europe
    assert geo.region_of(country, "eu") == eu
    assert geo.region_of(country, "uk_fr") == uk_fr


def test_counting_rules_on_multi_country_strings():
    us_uk = f"{USA},{UK}"
    assert geo.region_weights(us_uk, "europe", "full") == {"United States": 1.0, "Europe": 1.0}
    assert geo.region_weights(us_uk, "europe", "fractional") == {"United States": 0.5, "Europe": 0.5}
    # a country repeated once per organization is one country
    assert geo.region_weights("China,China", "europe", "full") == {"China": 1.0}
    assert geo.region_weights("China,China", "europe", "fractional") == {"China": 1.0}
    # US, France, US: two distinct countries -> halves, whatever the repetition
    assert geo.region_weights(f"{USA},France,{USA}", "europe", "fractional") == {"United States": 0.5,
                                                                                 "Europe": 0.5}
    # fractional splits by country, then sums by region: US, UK, France -> US 1/3, Europe 2/3
    w = geo.region_weights(f"{USA},{UK},France", "europe", "fractional")
    assert w["United States"] == pytest.approx(1 / 3) and w["Europe"] == pytest.approx(2 / 3)
    # full counts a region once even when two of its countries are listed
    assert geo.region_weights(f"{USA},{UK},France", "europe", "full") == {"United States": 1.0, "Europe": 1.0}
    # with the UK and France split out they are separate regions
    assert geo.region_weights(f"{UK},France", "uk_fr", "full") == {"United Kingdom": 1.0, "France": 1.0}
    # Hong Kong and China are one region
    assert geo.region_weights("Hong Kong,China", "europe", "fractional") == {"China": 1.0}
    assert geo.region_weights("", "europe", "full") == {"Unknown": 1.0}


country_names = st.sampled_from([USA, UK, "China", "France", "Germany", "Canada", "Hong Kong", "Russia",
                                 "Korea (Republic of)", "Switzerland", "Multinational"])


@given(st.lists(country_names, min_size=1, max_size=8), st.sampled_from(list(geo.GROUPINGS)))
def test_fractional_weights_sum_to_one_and_full_weights_are_one(countries, grouping):
    raw = ",".join(countries)
    frac = geo.region_weights(raw, grouping, "fractional")
    full = geo.region_weights(raw, grouping, "full")
    assert sum(frac.values()) == pytest.approx(1.0)
    assert set(full.values()) == {1.0}
    assert set(full) == set(frac)
    assert set(full) <= set(geo.REGIONS[grouping])


def test_in_country_includes_hong_kong_for_china():
    assert geo.in_country("Hong Kong", "China")
    assert geo.in_country(f"{USA},{UK}", "United States")
    assert not geo.in_country(UK, "United States")
    assert not geo.in_country(None, "China")


def test_open_status_rules():
    assert geo.open_status("open_restricted", "any") == "Open weights"
    assert geo.open_status("open_restricted", "unrestricted") == "Closed"
    assert geo.open_status("open_unrestricted", "unrestricted") == "Open weights"
    assert geo.open_status("open_noncommercial", "any") == "Open weights"
    for closed in ("api", "hosted", "unreleased"):
        assert geo.open_status(closed, "any") == "Closed"
    assert geo.open_status("unknown", "any") == "Unknown"
    assert geo.open_status(None, "any") == "Unknown"


# --------------------------------------------------------------------------------------------------
# Wilson intervals
# --------------------------------------------------------------------------------------------------

def test_wilson_uses_scipy_for_whole_counts():
    ci = stats.binomtest(21, 29).proportion_ci(confidence_level=0.95, method="wilson")
    assert geo.wilson(21, 29) == pytest.approx((ci.low, ci.high))
    low, high = geo.wilson(0, 10)
    assert low == 0.0 and high == pytest.approx(0.2775, abs=1e-4)   # textbook Wilson 0/10
    assert all(math.isnan(x) for x in geo.wilson(0, 0))


@given(st.integers(1, 400).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_formula_matches_scipy(kn):
    k, n = kn
    ci = stats.binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    assert geo.wilson_formula(k, n) == pytest.approx((ci.low, ci.high), abs=1e-9)


@given(st.floats(0.5, 300), st.floats(0, 1))
def test_wilson_fractional_brackets_the_share(n, frac):
    k = n * frac
    low, high = geo.wilson(k, n)
    assert 0.0 <= low <= k / n + 1e-12 <= high + 2e-12 <= 1.0 + 2e-12


# --------------------------------------------------------------------------------------------------
# Releases and share open on hand-made data
# --------------------------------------------------------------------------------------------------

def _epoch(rows):
    df = pd.DataFrame(rows, columns=["model", "country", "publication_date", "openness", "training_compute_flop",
                                     "compute_confidence"])
    df["notable"] = True
    df["large_scale"] = df["training_compute_flop"].fillna(0) > 1e23
    df["organization"] = ""
    return df


SMALL = _epoch([
    ("A", USA, "2024-03-01", "open_restricted", 1e24, "Confident"),
    ("B", USA, "2024-05-01", "api", 5e25, "Speculative"),
    ("C", "China,China", "2024-06-01", "open_unrestricted", 3e24, "Confident"),
    ("D", f"{USA},{UK}", "2024-07-01", "api", 2e25, "Likely"),
    ("E", "China", "2024-08-01", "unknown", None, None),
    ("F", "China", "2025-01-20", "open_unrestricted", 4e24, "Confident"),
])


def test_releases_full_counting():
    s = geo.Settings(year_from=2024, year_to=2025)
    rel = geo.releases(SMALL, s).set_index(["year", "region", "status"])["count"]
    assert rel[(2024, "United States", "Open weights")] == 1
    assert rel[(2024, "United States", "Closed")] == 2          # B and the US-UK model D
    assert rel[(2024, "Europe", "Closed")] == 1                 # D counts for Europe too
    assert rel[(2024, "China", "Open weights")] == 1            # "China,China" is one model
    assert rel[(2024, "China", "Unknown")] == 1
    assert rel[(2025, "China", "Open weights")] == 1


def test_releases_fractional_counting_and_shares():
    s = geo.Settings(year_from=2024, year_to=2024, counting="fractional", measure="share")
    rel = geo.releases(SMALL, s).set_index(["year", "region", "status"])
    assert rel.loc[(2024, "United States", "Closed"), "count"] == 1.5
    assert rel.loc[(2024, "Europe", "Closed"), "count"] == 0.5
    assert rel["count"].sum() == 5                               # five models in 2024, each counted once
    us = rel.xs((2024, "United States"), level=("year", "region"))
    assert us["share"].sum() == pytest.approx(1.0)
    assert us.loc["Open weights", "share"] == pytest.approx(1 / 2.5)


def test_share_open_excludes_unknown_and_has_wilson_interval():
    so = geo.share_open(SMALL, geo.Settings(year_from=2024, year_to=2024)).set_index("region")
    cn = so.loc["China"]
    assert (cn["open"], cn["n"], cn["share"]) == (1, 1, 1.0)     # the unknown-access model is left out
    us = so.loc["United States"]
    assert (us["open"], us["n"]) == (1, 3)
    ci = stats.binomtest(1, 3).proportion_ci(method="wilson")
    assert (us["low"], us["high"]) == pytest.approx((ci.low, ci.high))


def test_unrestricted_rule_counts_restricted_weights_as_closed():
    so = geo.share_open(SMALL, geo.Settings(year_from=2024, year_to=2024, open_rule="unrestricted"))
    us = so.set_index("region").loc["United States"]
    assert (us["open"], us["n"]) == (0, 3)


@given(st.lists(st.tuples(st.lists(country_names, min_size=1, max_size=4),
                          st.sampled_from(["open_unrestricted", "open_restricted", "api", "unreleased", "unknown"]),
                          st.integers(2020, 2025)), min_size=1, max_size=30),
       st.sampled_from(list(geo.GROUPINGS)))
@hsettings(max_examples=40, deadline=None)
def test_fractional_totals_equal_model_counts(models, grouping):
    rows = [(f"m{i}", ",".join(c), f"{y}-06-01", o, None, None) for i, (c, o, y) in enumerate(models)]
    df = _epoch(rows)
    s = geo.Settings(year_from=2020, year_to=2025, counting="fractional", grouping=grouping)
    rel = geo.releases(df, s)
    per_year = rel.groupby("year")["count"].sum()
    expected = pd.Series([y for _, _, y in models]).value_counts()
    for year, n in expected.items():
        assert per_year[year] == pytest.approx(n)
    so = geo.share_open(df, s)
    assert ((so["low"] <= so["share"] + 1e-12) & (so["share"] <= so["high"] + 1e-12)).all()


# --------------------------------------------------------------------------------------------------
# US-China gap: the shared frontier code, on hand-made points
# --------------------------------------------------------------------------------------------------

def _points(rows):
    return pd.DataFrame(rows, columns=["date", "value", "model", "country", "openness"]).assign(
        date=lambda d: pd.to_datetime(d["date"]), model_id="")


PTS = _points([
    ("2023-01-01", 100.0, "us1", USA, "api"),
    ("2023-07-01", 110.0, "us2", f"{USA},{UK}", "api"),
    ("2023-04-01", 100.0, "cn1", "China", "open_unrestricted"),
    ("2023-09-01", 105.0, "cn2", "China,China", "open_restricted"),
    ("2023-10-01", 104.0, "eu1", "France", "open_unrestricted"),
])


def test_gap_uses_frontier_lag_with_china_trailing():
    g = geo.gap_over_time(PTS, "2023-06-01", "2023-06-01", tolerance=0.0)
    # on 2023-06-01 China's best (100) equals the US best (100): level, lag 0
    assert g["lag_months"].iloc[0] == 0.0 and g["gap_points"].iloc[0] == 0.0
    g = geo.gap_over_time(PTS, "2023-09-15", "2023-09-15", tolerance=0.0)
    # China 105 (cn2); the US first reached >= 105 on 2023-07-01 (us2, a US-UK model counts as US)
    assert g["lag_months"].iloc[0] == pytest.approx(76 / frontier.DAYS_PER_MONTH)
    assert g["gap_points"].iloc[0] == 5.0
    # same number as frontier.lag_at, the Performance page's function
    lag = frontier.lag_at(geo.side(PTS, "China"), geo.side(PTS, "United States"), "2023-09-15")
    assert lag == pytest.approx(g["lag_months"].iloc[0])


def test_gap_is_computed_by_the_shared_frontier_module(monkeypatch):
    calls = []
    real = frontier.lag_series

    def spy(open_pts, closed_pts, dates, tolerance=0.0):
        calls.append((set(open_pts["model"]), set(closed_pts["model"]), tolerance))
        return real(open_pts, closed_pts, dates, tolerance)

    monkeypatch.setattr(frontier, "lag_series", spy)
    geo.gap_over_time(PTS, "2023-01-01", "2023-12-31", tolerance=1.0)
    assert calls == [({"cn1", "cn2"}, {"us1", "us2"}, 1.0)]


def test_tolerance_counts_a_small_gap_as_level():
    # on 2023-06-01 both bests are 100: level, so no lag (with or without tolerance, lag_at's rule)
    assert geo.gap_over_time(PTS, "2023-06-01", "2023-06-01", tolerance=1.0)["lag_months"].iloc[0] == 0.0
    pts = _points([("2023-01-01", 100.5, "us", USA, "api"), ("2023-03-01", 100.0, "cn", "China", "api")])
    assert geo.gap_over_time(pts, "2023-04-01", "2023-04-01", 1.0)["lag_months"].iloc[0] == 0.0
    assert geo.gap_over_time(pts, "2023-04-01", "2023-04-01", 0.0)["lag_months"].iloc[0] > 0


def test_average_lag_over_days():
    pts = _points([("2023-01-01", 100.0, "us1", USA, "api"), ("2023-02-01", 110.0, "us2", USA, "api"),
                   ("2023-04-01", 105.0, "cn1", "China", "api")])
    a = geo.average_lag(pts, "2023-03-01", "2023-04-10", tolerance=0.0)
    # days before China's first model do not count; from 2023-04-01 China has 105, which the US first
    # reached on 2023-02-01: 59..68 days over the 10 days, mean 63.5 days
    assert a["days"] == 10
    assert a["mean"] == pytest.approx(63.5 / frontier.DAYS_PER_MONTH)
    assert a["min"] == pytest.approx(59 / frontier.DAYS_PER_MONTH)
    assert a["max"] == pytest.approx(68 / frontier.DAYS_PER_MONTH)


def test_nearest_snapshot():
    assert gap.nearest_snapshot(["2025-11-04", "2026-03-09"], "2026-01-02") == "2025-11-04"
    assert gap.nearest_snapshot(["2025-11-04", "2026-03-09"], "2026-02-01") == "2026-03-09"


# --------------------------------------------------------------------------------------------------
# Open frontier first crossers
# --------------------------------------------------------------------------------------------------

def test_open_first_crossers_credits_each_level_once():
    pts = _points([
        ("2023-01-01", 100.5, "us_open", USA, "open_restricted"),
        ("2023-02-01", 120.0, "us_closed", USA, "api"),              # closed: ignored
        ("2023-06-01", 103.2, "cn_open", "China", "open_unrestricted"),
        ("2023-09-01", 104.1, "fr_open", "France", "open_unrestricted"),
        ("2023-10-01", 104.5, "cn_small", "China", "open_unrestricted"),   # no new whole level
    ])
    cr = geo.open_first_crossers(pts, geo.Settings(year_from=2023, year_to=2023))
    got = dict(zip(cr["model"], cr["levels"]))
    assert got == {"cn_open": 3.0, "fr_open": 1.0}                 # levels 101-103, then 104
    # unrestricted only: us_open (restricted) is not open, so cn_open starts the frontier and claims nothing
    cr = geo.open_first_crossers(pts, geo.Settings(year_from=2023, year_to=2023, open_rule="unrestricted"))
    assert dict(zip(cr["model"], cr["levels"])) == {"fr_open": 1.0}
    # levels first reached before the year range are not counted
    assert geo.open_first_crossers(pts, geo.Settings(year_from=2024, year_to=2025)).empty


@given(st.lists(st.tuples(st.integers(0, 700), st.floats(50, 150), st.sampled_from(["China", USA, "France"])),
                min_size=2, max_size=25))
@hsettings(max_examples=40, deadline=None)
def test_first_crossers_cover_every_level_once(rows):
    pts = _points([(pd.Timestamp("2023-01-01") + pd.Timedelta(days=d), v, f"m{i}", c, "open_unrestricted")
                   for i, (d, v, c) in enumerate(rows)])
    cr = geo.open_first_crossers(pts, geo.Settings(year_from=2020, year_to=2026))
    front = frontier.running_best(pts[["date", "value", "model"]])
    expected = math.floor(front["value"].iloc[-1]) - math.floor(front["value"].iloc[0])
    assert cr["levels"].sum() == pytest.approx(expected)


# --------------------------------------------------------------------------------------------------
# Compute
# --------------------------------------------------------------------------------------------------

def test_compute_leaders_per_region_and_year():
    c = geo.compute_leaders(SMALL, geo.Settings(year_from=2024, year_to=2025))
    got = {(r.year, r.region): (r.model, r.confidence) for r in c.itertuples()}
    assert got[(2024, "United States")] == ("B", "Speculative")
    assert got[(2024, "Europe")] == ("D", "Likely")               # the US-UK model leads Europe
    assert got[(2024, "China")] == ("C", "Confident")
    assert got[(2025, "China")] == ("F", "Confident")
    assert geo.fmt_flop(5e25) == "5.0×10²⁵"


# --------------------------------------------------------------------------------------------------
# Settings
# --------------------------------------------------------------------------------------------------

def test_settings_clean_falls_back_on_bad_values():
    s = geo.Settings(year_from=2030, year_to=1900, model_list="x", counting="<script>", open_rule=None,
                     grouping="", measure="?", metric="bogus", tolerance=float("nan")).clean()
    assert (s.year_from, s.year_to) == (geo.YEAR_MIN, geo.YEAR_MAX)
    d = geo.Settings()
    assert (s.model_list, s.counting, s.open_rule, s.grouping, s.measure, s.metric, s.tolerance) == (
        d.model_list, d.counting, d.open_rule, d.grouping, d.measure, d.metric, d.tolerance)


# --------------------------------------------------------------------------------------------------
# Real data: headlines true for the default view, every setting renders
# --------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def real():
    return {name: tables.read(name) for name in geo.TABLES}


def test_default_headlines_agree_with_the_numbers(real):
    an = geo.analyze(real, geo.Settings())
    rel = an.releases.set_index(["year", "region", "status"])["count"]
    y = int(an.releases.loc[an.releases["count"] > 0, "year"].max())
    cn_open, us_open = rel[(y, "China", "Open weights")], rel[(y, "United States", "Open weights")]
    cn_closed, us_closed = rel[(y, "China", "Closed")], rel[(y, "United States", "Closed")]
    title = geo.headline_releases(an)
    if cn_open > us_open and us_closed > cn_closed:
        assert f"({cn_open:.0f} vs {us_open:.0f})" in title and f"({us_closed:.0f} vs {cn_closed:.0f})" in title
    so = an.share_open.set_index(["year", "region"])
    t = geo.headline_share(an)
    for region in ("China", "United States"):
        assert f"{100 * so.loc[(y, region), 'share']:.0f}%" in t
    # the "now" lag matches frontier.lag_at computed independently
    end = an.lag_now["date"]
    lag = frontier.lag_at(geo.side(an.points, "China"), geo.side(an.points, "United States"), end, an.settings.tolerance)
    assert an.lag_now["lag_months"] == pytest.approx(lag)
    assert f"{lag:.1f} months" in geo.headline_capability(an)
    # the average lag is the mean of the daily lags
    d = geo.gap_over_time(an.points, "2020-01-01", end, an.settings.tolerance).dropna(subset=["lag_months"])
    assert an.lag_avg["mean"] == pytest.approx(d["lag_months"].mean())
    # first crossers: the headline's share is of all levels
    g = geo.crossers_by_region(an)
    assert g["levels"].sum() == pytest.approx(geo.n_levels(an))
    titles = [c.title for c in geo.cards(real, geo.Settings()).values()]
    assert len(titles) == 8 and not any("nan" in t.lower() for t in titles)


def test_comparison_with_epoch_us_china_estimate(real):
    cmp = geo.comparison_table(real["scores"], real["models"], real["published_estimates"], 1.0)
    eci = cmp[cmp["quantity"].str.startswith("US lead")]
    assert len(eci) >= 1 and eci["published"].iloc[0] == 7
    assert "2025-11-04" in eci["how"].iloc[0]                    # nearest snapshot to 2026-01-02
    assert 3 < eci["this_report"].iloc[0] < 12


@given(st.builds(geo.Settings,
                 year_from=st.integers(2010, 2027), year_to=st.integers(2010, 2027),
                 model_list=st.sampled_from(list(geo.LISTS)), counting=st.sampled_from(list(geo.COUNTING)),
                 open_rule=st.sampled_from(list(geo.OPEN_RULES)), grouping=st.sampled_from(list(geo.GROUPINGS)),
                 measure=st.sampled_from(list(geo.MEASURES)), metric=st.sampled_from(list(geo.METRICS))))
@hsettings(max_examples=15, deadline=None)
def test_every_setting_renders(real, s):
    cards = geo.cards(real, s)
    assert list(cards) == [c.key for c in cards.values()] == ["geo_releases", "geo_share_open", "geo_capability", "geo_lag",
                                      "geo_open_frontier", "geo_compute", "geo_compute_capability", "geo_timeline"]
    for c in cards.values():
        assert c.title and "nan" not in c.title.lower()
        c.chart.to_dict()


# --------------------------------------------------------------------------------------------------
# Direct recomputation from Epoch's raw files (skipped when ../shared/raw is absent)
# --------------------------------------------------------------------------------------------------

needs_raw = pytest.mark.skipif(not RAW.exists(), reason="raw Epoch files not available")


def _raw(name, newest: bool = True):
    """A list as the build reads it: its newest download, where a model also on the notable list (the newer
    download) takes that list's fields (pipeline.epoch_models keeps one row per model, the notable one first).
    ``newest=False``: the undated download SOURCES.md section 1 describes."""
    from pipeline.epoch_models import newest_file
    if not newest:
        return pd.read_csv(RAW / f"{name}_ai_models.csv", dtype=str, keep_default_na=False)
    df = pd.read_csv(newest_file(RAW.parent, f"{name}_ai_models"), dtype=str, keep_default_na=False)
    df["Model"] = df["Model"].str.strip()
    if name != "notable":
        notable = _raw("notable").drop_duplicates("Model").set_index("Model")
        cols = ["Publication date", "Country (of organization)", "Model accessibility"]
        hit = df["Model"].isin(notable.index)
        df.loc[hit, cols] = notable.loc[df.loc[hit, "Model"], cols].to_numpy()
    return df


def _direct(raw: pd.DataFrame, year: int, names: set[str], rule: str, only: bool = False):
    """Plain pandas on Epoch's own columns: (open, known, all) for models of a year listing a country."""
    d = raw[raw["Publication date"].str[:4] == str(year)]
    sets = d["Country (of organization)"].map(lambda s: {p.strip() for p in s.split(",") if p.strip()})
    mask = (sets.map(lambda c: bool(c) and c <= names) if only else sets.map(lambda c: bool(c & names))).astype(bool)
    acc = d.loc[mask, "Model accessibility"].str.strip()
    is_open = acc == "Open weights (unrestricted)" if rule == "unrestricted" else acc.str.startswith("Open weights")
    return int(is_open.sum()), int((acc != "").sum()), int(mask.sum())


@needs_raw
@pytest.mark.parametrize("file, year, china, us_only", [
    ("notable", 2024, (12, 27), (11, 43)),
    ("notable", 2025, (21, 29), (5, 31)),
    ("large_scale", 2025, (50, 76), (26, 50)),
])
def test_sources_md_quick_check(file, year, china, us_only):
    """SOURCES.md §1's quick-check table (open / all models listing only that country), on the file it describes."""
    raw = _raw(file, newest=False)
    o, _, n = _direct(raw, year, {"China"}, "any", only=True)
    assert (o, n) == china
    o, _, n = _direct(raw, year, {USA}, "any", only=True)
    assert (o, n) == us_only


@needs_raw
@pytest.mark.parametrize("model_list, rule", list(itertools.product(["notable", "large_scale"], ["any", "unrestricted"])))
def test_counts_match_raw_files(model_list, rule):
    """The page's counts (full rule: a model counts for every country it lists; Hong Kong is China) equal a
    direct recomputation on the raw file, for every year 2015-2025."""
    raw = _raw(model_list)
    epoch = tables.read("epoch_models")
    s = geo.Settings(year_from=2015, year_to=2025, model_list=model_list, open_rule=rule)
    so = geo.share_open(epoch, s).set_index(["year", "region"])
    rel = geo.releases(epoch, s).groupby(["year", "region"])["count"].sum()
    for year in range(2015, 2026):
        for region, names in (("China", {"China", "Hong Kong"}), ("United States", {USA})):
            o, known, total = _direct(raw, year, names, rule)
            assert rel.get((year, region), 0) == total, (year, region)
            if known:
                row = so.loc[(year, region)]
                assert (row["open"], row["n"]) == (o, known), (year, region)


@needs_raw
def test_fractional_counts_match_raw_files():
    raw = _raw("notable")
    epoch = tables.read("epoch_models")
    s = geo.Settings(year_from=2023, year_to=2025, counting="fractional")
    rel = geo.releases(epoch, s).groupby(["year", "region"])["count"].sum()
    for year in (2023, 2024, 2025):
        d = raw[raw["Publication date"].str[:4] == str(year)]
        w = 0.0
        for s_ in d["Country (of organization)"]:
            cs = {p.strip() for p in s_.split(",") if p.strip()}
            if cs:
                w += sum(1 for c in cs if c in ("China", "Hong Kong")) / len(cs)
        assert rel[(year, "China")] == pytest.approx(w)


def test_arena_gap_is_rating_points_with_a_win_probability_not_a_percent():
    from openclosed import gap as G
    scores = pd.DataFrame({"model_id": ["u", "c"], "metric": ["lmarena_text"] * 2, "value": [1400.0, 1300.0],
                           "snapshot": ["x:2025-02-20"] * 2, "source_id": ["u", "c"]})
    models = pd.DataFrame({"model_id": ["u", "c"], "name": ["U", "C"],
                           "country": ["United States of America", "China"]})
    g = geo.arena_gap_us_china(scores, models, "2025-02-15")
    # the old rule: 100 * 100 / 1400 = 7.1 (% of the US rating); now 100 points, 1 / (1 + 10^-0.25) = 64%
    assert "pct" not in g and g["points"] == pytest.approx(100.0)
    assert g["win_prob"] == pytest.approx(0.640, abs=0.001) == G.elo_win_probability(100.0)
    assert G.elo_win_probability(0.0) == pytest.approx(0.5)


def test_share_comparison_uses_an_exact_test_not_interval_overlap():
    # 12 of 20 vs 5 of 20: the 95% Wilson intervals overlap (the old headline said only that), yet Fisher's
    # exact test finds p < 0.05
    a = {"open": 12.0, "n": 20.0, "low": geo.wilson(12, 20)[0], "high": geo.wilson(12, 20)[1]}
    b = {"open": 4.0, "n": 20.0, "low": geo.wilson(4, 20)[0], "high": geo.wilson(4, 20)[1]}
    assert not (a["low"] > b["high"] or b["low"] > a["high"])          # intervals overlap
    txt = geo.share_test_text(a, b)
    assert txt.startswith("Fisher's exact p = ") and "a clear difference" in txt
    assert "no clear difference" in geo.share_test_text({**a, "open": 6.0}, b)
    frac = {**a, "open": 11.5}
    assert geo.share_test_text(frac, b).startswith("fractional counts")


def test_the_year_slider_ends_at_the_newest_year_in_epochs_lists(monkeypatch):
    epoch = tables.read("epoch_models")
    newest = pd.to_datetime(epoch["publication_date"]).max()
    assert geo.YEAR_MAX == newest.year == geo.newest_year(epoch) == geo.Settings().year_to
    # toy lists ending in 2025: the last year is 2025, whatever year was once typed
    toy = pd.DataFrame({"publication_date": ["2024-05-01", "2025-03-09"]})
    assert geo.newest_year(toy) == 2025
    from openclosed.sources import SOURCES
    monkeypatch.setitem(SOURCES["epoch_models"], "data_ends", "2025-03-09")
    assert geo.newest_year() == 2025 and geo.year_end(2025) == pd.Timestamp("2025-03-09")


def test_a_partial_final_year_is_labelled_with_the_data_end():
    assert geo.year_label(2026, "2026-07-15") == "2026 (to 15 Jul)"
    assert geo.year_label(2025, "2026-07-15") == "2025"
    assert geo.year_label(2025, "2025-12-31") == "2025"               # a whole year needs no note
    assert geo.year_end(2026, "2026-07-15") == pd.Timestamp("2026-07-15")
    assert geo.year_end(2025, "2026-07-15") == pd.Timestamp("2025-12-31")


def test_lists_without_dates_are_a_clear_error_not_the_wall_clock():
    with pytest.raises(ValueError, match="rebuild data/"):
        geo.newest_year(pd.DataFrame({"publication_date": ["", "n/a"]}))
