"""The reader's own models ("Yours") on the Performance frontier and the Cost price chart: drawn with their own
colour, shape and tooltip, never part of a frontier, a lag, a saving or a headline."""
from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openclosed import byod, cost, theme
from openclosed import performance as P
from openclosed import tables as T
from tests import vega_lite

PERF_TABLES = ("scores", "models", "published_estimates", "events", "report2024")


def _user(extra: str = "") -> pd.DataFrame:
    result = byod.parse((byod.template() + extra).encode())
    assert result.ok, result.errors
    return result.rows


USER = _user("ECI model of mine,closed,2025-06-01,eci,140,,\n"
             "Unpriced AA model,open,2025-09-01,aa_intelligence_index,30,,\n"
             "Old AA model,open,2019-01-01,aa_intelligence_index,3,0,0\n")


@pytest.fixture(scope="module")
def perf():
    return P.prepare({n: T.read(n) for n in PERF_TABLES}).warm()


@pytest.fixture(scope="module")
def cost_tables():
    return {n: T.read(n) for n in cost.TABLES}


def _layers_with(spec: dict, side: str) -> list[dict]:
    return [lyr for lyr in spec["layer"] if any(r.get("side") == side for r in lyr.get("data", {}).get("values", []))]


def _layer_with(spec: dict, side: str) -> dict:
    return _layers_with(spec, side)[0]


# ---------------------------------------------------------------------------------------------- byod key

def test_key_round_trip_and_hashable():
    key = byod.to_key(USER)
    assert hash(key) and len(key) == len(USER)
    back = byod.from_key(key)
    pd.testing.assert_frame_equal(back[byod.COLUMNS + ["open_weights"]].reset_index(drop=True),
                                  USER[byod.COLUMNS + ["open_weights"]].reset_index(drop=True), check_dtype=False)
    assert byod.to_key(None) == () and byod.to_key(USER.iloc[0:0]) == ()
    changed = USER.copy()
    changed.loc[0, "score"] = 43.0
    assert byod.to_key(changed) != key                        # any edit is a new cache key


# ---------------------------------------------------------------------------------------------- performance

def test_yours_points_filter_by_metric_and_range():
    pts = P.yours_points(USER, "aa_intelligence_index", "2023-01-01", "2026-12-31")
    assert list(pts["model"]) == ["Unpriced AA model", "Vendor model X", "My fine-tuned model"]
    assert set(pts["side"]) == {"Yours"}
    assert dict(zip(pts["model"], pts["weights"])) == {"Unpriced AA model": "Open weights",
                                                       "Vendor model X": "Closed",
                                                       "My fine-tuned model": "Open weights"}
    assert list(P.yours_points(USER, "eci")["model"]) == ["ECI model of mine"]
    assert P.yours_points(None, "eci").empty and P.yours_points(USER.iloc[0:0], "eci").empty


def test_frontier_spec_has_your_points_with_colour_shape_legend_and_tooltip(perf):
    s = P.Settings(metric="aa_intelligence_index")
    a = P.analyze(perf, s, boot_n=50)
    card = P.freeze(P.frontier_card(a, perf["events"], USER))
    spec = card.chart.to_dict()
    vega_lite.assert_valid(spec)
    layer = _layer_with(spec, "Yours")
    assert {r["model"] for r in layer["data"]["values"]} == {"My fine-tuned model", "Vendor model X",
                                                             "Unpriced AA model"}
    enc = layer["encoding"]
    assert enc["color"]["scale"]["domain"] == ["Open weights", "Closed", "Yours"]
    assert enc["color"]["scale"]["range"][-1] == theme.YOURS
    assert enc["shape"]["scale"]["range"][-1] == "diamond"
    assert [t["field"] for t in enc["tooltip"]] == ["model", "value", "date", "weights"]
    assert spec["layer"][-1] is layer                                     # drawn on top
    # the x axis reaches the newest of your models even past the snapshot
    assert spec["layer"][-1]["encoding"]["x"]["scale"]["domain"][1] >= "2026-05-01"
    assert "Purple diamonds: your 3 models" in card.subtitle
    assert "42.5 (open weights, May 2026)" in card.alt and "My fine-tuned" not in card.alt   # no reader text
    yours_rows = card.data[card.data["kind"] == "yours"]
    assert len(yours_rows) == 3


@pytest.mark.parametrize("metric", ["eci", "aa_intelligence_index"])
def test_frontier_numbers_unchanged_by_your_models(perf, metric):
    s = P.Settings(metric=metric)
    a0, v0 = P.view_cards(perf, s, boot_n=50)
    a1, v1 = P.view_cards(perf, s, boot_n=50, user=USER)
    f0, g0, l0 = (v0[k] for k in ("perf_frontier", "perf_gap", "perf_lag"))
    f1, g1, l1 = (v1[k] for k in ("perf_frontier", "perf_gap", "perf_lag"))
    assert P.headline_numbers(a0) == P.headline_numbers(a1)
    assert f0.title == f1.title
    assert g0.chart.to_dict() == g1.chart.to_dict() and l0.chart.to_dict() == l1.chart.to_dict()
    assert g0.title == g1.title and l0.title == l1.title
    # the public layers of the frontier chart are the same; yours is one more layer
    s0, s1 = f0.chart.to_dict(), f1.chart.to_dict()
    assert len(s1["layer"]) == len(s0["layer"]) + 1
    for a_layer, b_layer in zip(s0["layer"], s1["layer"]):
        assert a_layer["data"] == b_layer["data"]
    assert "Yours" not in str(s0)


def test_no_models_on_this_metric_leave_the_chart_as_it_was(perf):
    s = P.Settings(metric="lmarena_text")
    a = P.analyze(perf, s, boot_n=0)
    assert P.frontier_card(a, perf["events"], USER).chart.to_dict() == \
        P.frontier_card(a, perf["events"]).chart.to_dict()


def test_empty_selection_with_your_models_still_says_so(perf):
    a, cards = P.view_cards(perf, P.Settings(metric="aa_intelligence_index", start="2022-01", end="2022-02"),
                            boot_n=0, user=USER)
    assert cards["perf_frontier"].title.startswith("Not enough models")


def test_cards_pass_your_models_to_the_frontier_only(perf):
    with_user = P.cards(perf, P.Settings(metric="aa_intelligence_index"), user=USER)
    plain = P.cards(perf, P.Settings(metric="aa_intelligence_index"))
    assert "Yours" in str(with_user["perf_frontier"].chart.to_dict())
    assert [c.title for c in with_user.values()] == [c.title for c in plain.values()]
    assert all("Yours" not in str(c.chart.to_dict()) for k, c in with_user.items() if k != "perf_frontier")


def test_performance_note():
    note = P.yours_note(USER, P.Settings(metric="aa_intelligence_index"))
    assert note.startswith("Your models: 3 of 5 are drawn") and "do not change" in note
    assert "1 on the AA Intelligence Index fall outside the date range" in note
    assert "Epoch Capabilities Index (1)" in note
    assert P.yours_note(None, P.Settings()) == "" and P.yours_note(USER.iloc[0:0], P.Settings()) == ""


# ---------------------------------------------------------------------------------------------- cost

def test_yours_prices_blend_with_the_same_ratio():
    d = cost.yours_prices(USER, ratio=3.0, log_price=False)
    assert list(d["name"]) == ["Vendor model X", "My fine-tuned model", "Old AA model"]
    assert d.set_index("name").loc["Vendor model X", "blended"] == pytest.approx((3 * 1.25 + 10) / 4)
    assert d.set_index("name").loc["My fine-tuned model", "blended"] == pytest.approx(cost.blended_price(0.2, 0.8, 3))
    assert list(cost.yours_prices(USER, 1.0, False).set_index("name")["blended"][:1]) == [pytest.approx(5.625)]
    # a zero price cannot sit on a log axis
    assert "Old AA model" not in set(cost.yours_prices(USER, 3.0, log_price=True)["name"])
    assert cost.yours_prices(None).empty


def test_price_chart_has_your_points_and_numbers_do_not_move(cost_tables):
    m = cost.analyze_market(cost_tables, cost.Settings())
    plain = cost.market_cards(m)
    mine = cost.market_cards(m, USER)
    spec = mine[0].chart.to_dict()
    vega_lite.assert_valid(spec)
    rows = [r for name, values in spec["datasets"].items() for r in values if r.get("group") == "Yours"]
    assert {r["name"] for r in rows} == {"Vendor model X", "My fine-tuned model"}
    yours_layer = spec["layer"][-1]
    assert yours_layer["encoding"]["color"]["scale"]["domain"] == ["Open weights", "Closed", "Yours"]
    assert yours_layer["encoding"]["color"]["scale"]["range"][-1] == theme.YOURS
    assert yours_layer["encoding"]["shape"]["scale"]["range"][-1] == "diamond"
    assert {t["field"] for t in yours_layer["encoding"]["tooltip"]} >= {"name", "score", "blended", "weights"}
    # headline, frontier, rings and the saving curve come from public data only
    assert [c.title for c in mine] == [c.title for c in plain]
    assert mine[1].chart.to_dict() == plain[1].chart.to_dict()
    pd.testing.assert_frame_equal(mine[1].data, plain[1].data)
    assert "Yours" not in str(plain[0].chart.to_dict())
    assert (mine[0].data["group"] == "Yours").sum() == 2 and len(mine[0].data) == len(plain[0].data) + 2
    assert "Purple diamonds: your 2 models" in mine[0].subtitle
    assert "AA 55.0 at $3.44/M (closed)" in mine[0].alt and "Vendor" not in mine[0].alt   # no reader text
    assert cost.headline_threshold(m) == cost.headline_threshold(cost.analyze_market(cost_tables, cost.Settings()))


def test_cost_cards_and_note(cost_tables):
    s = cost.Settings(log_price=True)
    cards = cost.cards(cost_tables, s, user=USER)
    assert "Yours" in str(cards["cost_price_capability"].chart.to_dict())
    assert all("Yours" not in str(c.chart.to_dict()) for k, c in cards.items() if k != "cost_price_capability")
    note = cost.yours_note(USER, s)
    assert note.startswith("Your models: 2 of 5 are drawn") and "above 0 on the log axis" in note
    assert cost.yours_note(None, s) == ""


# ---------------------------------------------------------------------------------------------- property

names = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=30)
user_rows = st.lists(st.tuples(names, st.booleans(), st.dates(pd.Timestamp("2015-01-01").date(),
                                                              pd.Timestamp("2026-11-01").date()),
                               st.sampled_from(list(byod.METRICS)), st.floats(0, 100),
                               st.one_of(st.none(), st.floats(0, 10_000)), st.one_of(st.none(), st.floats(0, 10_000))),
                     min_size=1, max_size=12, unique_by=lambda r: r[0].lower())


def _frame(rows) -> pd.DataFrame:
    df = pd.DataFrame([{"name": n, "openness": "open" if o else "closed", "release_date": d.isoformat(),
                        "metric": m, "score": sc, "input_usd_per_mtok": math.nan if i is None else i,
                        "output_usd_per_mtok": math.nan if out is None else out}
                       for n, o, d, m, sc, i, out in rows], columns=byod.COLUMNS)
    df["open_weights"] = df["openness"] == "open"
    return df


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(user_rows, st.sampled_from(["eci", "aa_intelligence_index"]))
def test_any_user_rows_draw_but_never_change_the_numbers(perf, cost_tables, rows, metric):
    user = _frame(rows)
    s = P.Settings(metric=metric)
    a = P.analyze(perf, s, boot_n=0)
    card = P.frontier_card(a, perf["events"], user)
    spec = card.chart.to_dict()
    n = len(P.yours_points(user, metric, s.start_ts, s.end_ts))
    drawn = _layers_with(spec, "Yours")
    assert (len(drawn[0]["data"]["values"]) if drawn else 0) == n
    assert card.title == P.frontier_card(a, perf["events"]).title
    m = cost.analyze_market(cost_tables, cost.Settings())
    c = cost.price_capability_card(m, user)
    assert c.title == cost.headline_scatter(m)
    assert int((c.data["group"] == "Yours").sum()) == len(cost.yours_prices(user, 3.0, True))
