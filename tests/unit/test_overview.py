"""The overview equals the sections' defaults, and each claim's verdict follows its evidence."""
import pandas as pd
import pytest

from openclosed import claims as C
from openclosed import fmt, geo, overview, performance, tables
from openclosed.performance import today


@pytest.fixture(scope="module")
def t(real_tables):
    return real_tables


@pytest.fixture(scope="module")
def d(overview_defaults):
    return overview_defaults


@pytest.fixture(scope="module")
def checked(checked_claims):
    """The claims check at defaults (tests/conftest.py: once per test process)."""
    return checked_claims


def test_five_numbers_match_the_section_defaults(d):
    nums = overview.five_numbers(d)
    assert len(nums) == 5
    h = performance.headline_numbers(performance.analyze(d.tables, performance.Settings()))
    # lag today: the freshest yardstick meeting the coverage rule, named with its date, and the range over the others
    head = today.headline(d.yardsticks)
    r = head["row"]
    assert nums[0]["value"] == f"{fmt.months(r['lag_months'])} · {fmt.num(r['gap_points'], r['decimals'])} {r['unit']}"
    assert r["yardstick"] in nums[0]["detail"] and nums[0]["as_of"] == f"{r['data_ends']:%Y-%m-%d}"
    assert fmt.months(head["low"]) in nums[0]["detail"] and fmt.months(head["high"]) in nums[0]["detail"]
    assert "%" not in nums[0]["value"]
    assert nums[1]["value"] == f"{h['mean_lag']:.1f} months" and "Epoch's level method" in nums[1]["label"]
    assert f"{h['mean_lag_low']:.1f}" in nums[1]["detail"]
    at = d.cost.market.at_threshold
    assert nums[2]["value"] == f"{at['ratio']:.1f}×"
    for n in nums:
        assert n["page"] in {"performance", "cost", "geopolitics", "risk"} and n["as_of"][:2] == "20"


def test_lag_today_is_one_number_on_every_page(d):
    """Overview, Performance and Geopolitics at default settings: same lag today and gap today for the same pair
    (the best open model is Chinese and the best closed is American in today's data)."""
    p = performance.headline_numbers(performance.analyze(d.tables, performance.Settings()))
    g = geo.analyze(d.tables, geo.Settings()).lag_now
    assert (p["open_model"], p["closed_model"]) == (g["china_model"], g["us_model"])
    assert p["lag_now"] == pytest.approx(g["lag_months"]) and p["gap_now"] == pytest.approx(g["gap_points"])
    assert p["matched_model"] == g["us_match_model"]
    nums = overview.five_numbers(d)
    eci = d.yardsticks.set_index("metric").loc["eci"]          # the ECI row of the lag-today-on-every-yardstick table
    assert eci["lag_months"] == pytest.approx(p["lag_now"]) and eci["gap_points"] == pytest.approx(p["gap_now"])
    assert fmt.months(p["lag_now"]) in nums[1]["detail"]
    assert f"{p['lag_now']:.1f} months" not in nums[0]["value"] + nums[1]["detail"]
    assert f"{g['lag_months']:.1f} months" in geo.headline_capability(d.geo)


def test_claims_judged_on_window_and_distribution(t, d, checked):
    out = checked.copy().set_index("claim_id")
    # c05 "now": the recent window, with the pooled share beside it
    assert "12 months to" in out.loc["c05_china_leads_open", "evidence"]
    assert "all years in range" in out.loc["c05_china_leads_open", "evidence"]
    # c07 "whenever": share of cases within the claimed months, not the mean
    assert " of " in out.loc["c07_catch_up_speed", "evidence"] and "took longer" in out.loc["c07_catch_up_speed",
                                                                                               "deciding"]
    # c01 on percent-correct benchmarks, not on the ECI
    assert "percent-correct" in out.loc["c01_open_share_of_closed", "evidence"]
    assert "ECI" not in out.loc["c01_open_share_of_closed", "evidence"]


def test_every_claim_gets_a_verdict_and_a_reason(t, d, checked):
    out = checked.copy()
    assert len(out) == len(t["claims"]) >= 8
    assert set(out["verdict"]) <= set(C.VERDICTS)
    assert (out["reason"].str.len() > 20).all()
    assert C.UNTESTABLE not in set(out["verdict"])   # every claim in the table has data behind it


def test_verdict_flips_with_the_evidence(t, d):
    claims = t["claims"][t["claims"]["check"] == "open_pct_on_percent_correct_benchmarks"]
    for value, expected in [(95.0, C.SUPPORTED), (86.0, C.PARTLY), (60.0, C.NOT_SUPPORTED), (None, C.UNTESTABLE)]:
        fake = {"open_pct_on_percent_correct_benchmarks": lambda _d, v=value: C.Evidence(v, f"value {v}")}
        assert overview.check_claims(claims, d, evidence=fake).iloc[0]["verdict"] == expected


def test_unknown_check_is_untestable(d):
    claims = pd.DataFrame([{"claim_id": "x", "claim": "Something nobody measured here.", "section": "usage",
                            "check": "nothing", "threshold_low": 1.0, "threshold_high": 2.0, "unit": ""}])
    assert overview.check_claims(claims, d).iloc[0]["verdict"] == C.UNTESTABLE


def test_us_share_of_closed_frontier_on_hand_made_data():
    scores = pd.DataFrame({"model_id": ["a", "b", "c"], "metric": "eci", "snapshot": "s", "value": [100, 110, 120],
                           "date": ["2023-01-01", "2023-01-11", "2023-01-21"]})
    models = pd.DataFrame({"model_id": ["a", "b", "c"], "openness": "api",
                           "country": ["United States of America", "China", "United States of America"]})
    # a holds Jan 1-10 (10 days), b Jan 11-20 (10 days), c Jan 21 (1 day): 11 of 21 days are US.
    assert overview.us_share_of_closed_frontier(scores, models) == pytest.approx(11 / 21)


def test_saved_state_of_play_is_a_live_computation_of_these_tables(t, d, tmp_path, checked):
    saved = overview.saved_state(tables.DATA_DIR)
    assert saved is not None, "data/overview.json is missing or stale: rebuild with python -m pipeline.build"
    numbers, claims = saved
    assert numbers == overview.five_numbers(d)
    live = checked.copy()
    assert list(claims["claim_id"]) == list(live["claim_id"])
    assert list(claims["verdict"]) == list(live["verdict"]) and list(claims["evidence"]) == list(live["evidence"])
    # a copy of the tables with one byte changed no longer matches the saved state: the page computes it live
    for path in tables.DATA_DIR.glob("*"):
        (tmp_path / path.name).write_bytes(path.read_bytes())
    (tmp_path / "claims.csv").write_bytes((tmp_path / "claims.csv").read_bytes() + b"\n")
    assert overview.saved_state(tmp_path) is None


def test_comparisons_on_the_overview_carry_a_test_or_interval(t, d, checked):
    out = checked.copy().set_index("claim_id")
    assert "95% Wilson interval" in out.loc["c05_china_leads_open", "evidence"]
    assert "Fisher's exact test p = " in out.loc["c10_open_churn_risk", "deciding"]
    nums = {n["label"].split(":")[0]: n for n in overview.five_numbers(d)}
    assert "Fisher's exact p = " in next(n["detail"] for k, n in nums.items() if k.startswith("Released open"))
    assert "log-rank" in next(n["detail"] for k, n in nums.items() if k.startswith("Gone within a year"))
    # whole counts only: a fractional count gets no exact test
    assert overview._fisher_text(pd.Series({"open": 1.5, "n": 3.0}), pd.Series({"open": 1.0, "n": 2.0})) == \
        "fractional counts, no exact test"


def test_hardest_gap_names_both_readings_of_percent():
    from types import SimpleNamespace
    dom = pd.DataFrame({"benchmark": ["A", "B"], "open_best": [10.0, 40.0], "closed_best": [20.0, 50.0]})
    dom["open_pct"] = 100 * dom["open_best"] / dom["closed_best"]
    ev = overview._hardest_gap(SimpleNamespace(domains=dom), 3, 10)
    # relative shortfalls 50% and 20% (median 35%); percentage points 10 and 10 (median 10, inside 3-10)
    assert ev.value == pytest.approx(35.0) and C.verdict(ev, 3, 10) == C.NOT_SUPPORTED
    assert "percentage points the median lead is 10.0" in ev.text and "would be supported" in ev.deciding


def test_cost_saving_evidence_names_the_left_out_family_and_the_spread(t, d, checked):
    out = checked.copy().set_index("claim_id")
    ev = out.loc["c04_open_cheaper", "evidence"]
    r = d.cost.market.robust
    assert f"{r.spread_low:.0f}–{r.spread_high:.0f}%" in ev and "family" in ev


def test_yardstick_claims_name_the_freshest_adequate_yardstick_and_read_on_every_other(t, d, checked):
    out = checked.copy().set_index("claim_id")
    head = today.headline(d.yardsticks)["row"]
    for cid in ("c02_lag_now_three_months", "c05_china_leads_open", "c07_catch_up_speed", "c08_us_leads_closed"):
        r = out.loc[cid]
        assert r["yardstick"] == head["yardstick"] and r["data_ends"] == f"{head['data_ends']:%Y-%m-%d}"
        assert r["reason"].startswith(f"Judged on the {head['yardstick']}, whose data end {r['data_ends']}")
        assert r["on_yardsticks"].startswith("Supported on ") and len(r["readings"]) >= 4
        assert sum(x["primary"] for x in r["readings"]) == 1
        # the reading on the ECI is the one the Overview used to give (the ECI reading is unchanged)
        assert any(x["yardstick"] == performance.METRICS["eci"].label for x in r["readings"])
        assert r["yardsticks_agree"] == ("Mixed:" not in r["on_yardsticks"])
    assert out.loc["c01_open_share_of_closed", "on_yardsticks"] == ""      # not a single-yardstick claim


def test_a_partial_year_on_the_overview_is_labelled_and_dated_by_its_data_end(d):
    n = next(n for n in overview.five_numbers(d) if n["label"].startswith("Released open"))
    end = geo.list_data_end()
    assert n["as_of"] <= f"{end:%Y-%m-%d}"                     # was the typed year end, past the data
    if f"in {end.year}" in n["label"]:
        assert f"{end.year} (to {end.day} {end:%b})" in n["label"]
