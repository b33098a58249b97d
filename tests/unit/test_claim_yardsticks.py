"""Claims resting on a yardstick: judged on the freshest one meeting the coverage rule, read on every other, and
"mixed" where they disagree (openclosed.claim_yardsticks)."""
import pandas as pd
import pytest

from openclosed import claim_yardsticks as Y
from openclosed import claims as C

USA, CHINA = "United States of America", "China"
END = pd.Timestamp("2026-08-01")


def pts(rows):
    """rows: (days before END, value, model, open?, country)."""
    return pd.DataFrame({"date": [END - pd.Timedelta(days=d) for d, *_ in rows],
                         "value": [float(v) for _, v, *_ in rows], "model": [m for _, _, m, *_ in rows],
                         "is_open": [o for *_, o, _ in rows], "country": [c for *_, c in rows],
                         "openness": ["open_unrestricted" if o else "api" for *_, o, _ in rows]})


# Yardstick A: open matches each closed level within a month. Yardstick B: open needs about a year.
FAST = pts([(600, 10, "c1", False, USA), (570, 10.5, "o1", True, CHINA), (400, 20, "c2", False, USA),
            (370, 20.5, "o2", True, CHINA), (300, 30, "c3", False, USA), (270, 30.5, "o3", True, CHINA)])
SLOW = pts([(700, 10, "c1", False, USA), (330, 10.5, "o1", True, CHINA), (500, 20, "c2", False, USA),
            (130, 20.5, "o2", True, CHINA), (450, 30, "c3", False, CHINA), (60, 30.5, "o3", True, USA)])


def yardsticks(*rows):
    """A today.yardsticks-shaped table: (metric, data end, meets coverage), freshest first."""
    return pd.DataFrame([{"metric": m, "yardstick": f"Yardstick {m}", "data_ends": pd.Timestamp(e),
                          "meets_coverage": ok} for m, e, ok in rows])


def test_two_yardsticks_disagree_and_the_claim_says_so():
    table = yardsticks(("a", END, True), ("b", END - pd.Timedelta(days=10), True))
    out = Y.readings(table, {"a": FAST, "b": SLOW}.get, "share_of_catch_ups_within_range", 0, 6)
    v = out.set_index("metric")["verdict"]
    assert v["a"] == C.SUPPORTED and v["b"] == C.NOT_SUPPORTED
    assert list(out["primary"]) == [True, False]             # the freshest yardstick meeting the rule decides
    assert not Y.agree(out)
    text = Y.agreement(out)
    assert text.startswith("Supported on 1 of 2 yardsticks meeting the coverage rule. Mixed:")
    assert "supported on Yardstick a" in text and "not supported on Yardstick b" in text


def test_a_stale_yardstick_is_read_but_not_counted_and_the_fresher_one_decides():
    # the old rule read the ECI (here the slower, older yardstick 'b') alone; now 'a' (fresher, adequate) decides
    table = yardsticks(("a", END, True), ("b", END - pd.Timedelta(days=200), False))
    out = Y.readings(table, {"a": FAST, "b": SLOW}.get, "share_of_catch_ups_within_range", 0, 6)
    assert out.loc[out["primary"], "metric"].tolist() == ["a"]
    assert Y.agree(out)
    text = Y.agreement(out)
    assert text.startswith("Supported on 1 of 1 yardsticks meeting the coverage rule: supported on every one")
    assert "not counted): not supported on Yardstick b (data end 2026-01-13)" in text
    row = out[out["primary"]].iloc[0]
    assert Y.judged_on(row) == ("Judged on the Yardstick a, whose data end 2026-08-01 (the freshest yardstick "
                                "meeting the coverage rule).")


def test_stitched_estimates_never_decide_and_no_adequate_yardstick_decides_nothing():
    table = yardsticks(("eci+estimates", END, True), ("a", END, False))
    assert Y.primary_metric(table) is None
    out = Y.readings(table, {"a": FAST}.get, "share_of_catch_ups_within_range", 0, 6)
    assert list(out["metric"]) == ["a"] and not out["primary"].any()
    assert Y.agreement(out).startswith("No yardstick meeting the coverage rule can test this.")


def test_country_claims_read_per_yardstick():
    # on 'a' the US holds the closed frontier throughout and China crosses every open level; on 'b' a Chinese
    # closed model takes the frontier for most of the window and a US open model crosses the last levels
    assert Y.us_leads(FAST, END, "A").value == pytest.approx(1.0)
    b = Y.us_leads(SLOW, END, "B")
    assert b.value < 0.75 and C.verdict(b, None, None) != C.SUPPORTED
    a = Y.china_first(FAST, END, "A")
    assert a.value == pytest.approx(1.0) and "new open-weight A levels" in a.text
    assert Y.china_first(SLOW, END, "B").value < 0.75


def test_lag_now_reads_the_yardsticks_own_window():
    a = Y.lag_now(FAST, END, "Yardstick a")
    assert "12 months to Aug 2026" in a.text and "on Yardstick a" in a.text
    assert a.low is not None and a.low <= a.value <= a.high        # the bootstrap interval the verdict uses


def test_display_names_keep_lists_readable():
    assert Y.display("GPQA Diamond, AA runs") == "GPQA Diamond (AA runs)"
    assert Y.readings_frame([]).columns.tolist()[:2] == ["Yardstick", "Data end"]
