"""AppTest: the Performance page renders, reacts to its controls, and round-trips its state through the URL."""
from __future__ import annotations

import re

from openclosed import fmt
from openclosed import performance as P
from openclosed import tables
from tests.app.conftest import open_page

PAGE = "pages/performance.py"


def _headlines(at) -> list[str]:
    return [m.value[5:] for m in at.markdown if m.value.startswith("#### ")]


def test_default_render():
    at = open_page(PAGE)
    assert not at.exception
    heads = _headlines(at)
    assert len(heads) == 8
    assert re.match(r"Open models trail by about \d+ months? on ECI", heads[0])
    assert heads[4].startswith("Open models trail by") and "across" in heads[4]      # lag today on every yardstick
    assert "Epoch's published 3.5 months" in heads[5]
    assert at.selectbox(key="perf_metric").value == "eci"
    assert at.select_slider(key="perf_range").value == (P.DEFAULT_START, P.DEFAULT_END)
    assert at.radio(key="perf_open").value == "any"
    assert at.toggle(key="perf_flagged").value is True
    labels = [m.label for m in at.metric]
    assert "Lag today" in labels and any(lbl.startswith("Average lag since") for lbl in labels)
    # the number in the metric row is the one in the headline
    lag = [m.value for m in at.metric if m.label == "Lag today"][0]
    assert lag.endswith("months") and f"about {lag} on ECI" in heads[0]


def test_changing_the_metric_updates_the_headline():
    at = open_page(PAGE)
    before = _headlines(at)[0]
    at.selectbox(key="perf_metric").set_value("lmarena_text").run()
    assert not at.exception
    after = _headlines(at)[0]
    assert after != before and "LMArena" in after
    assert _headlines(at)[5].startswith("Recomputed on Epoch's index and window")     # fixed cards stay


def test_other_controls_change_the_view():
    at = open_page(PAGE)
    at.selectbox(key="perf_country").set_value("china").run()
    assert not at.exception and "among Chinese models" in _headlines(at)[0]
    at.radio(key="perf_open").set_value("unrestricted").run()
    assert not at.exception and "unrestricted licences" in _headlines(at)[0]
    at.toggle(key="perf_flagged").set_value(False).run()
    assert not at.exception
    at.select_slider(key="perf_range").set_value(("2022-01", "2022-03")).run()
    assert not at.exception
    assert _headlines(at)[0].startswith("Not enough models")
    assert any("cannot be measured" in i.value for i in at.info)


def test_url_round_trip():
    params = {"perf_metric": P.METRICS["aa_gpqa"].label, "perf_range": ["2024-01", "2025-06"],
              "perf_country": P.COUNTRIES["china"], "perf_flagged": "false"}
    at = open_page(PAGE, params)
    assert not at.exception
    assert at.selectbox(key="perf_metric").value == "aa_gpqa"
    assert at.select_slider(key="perf_range").value == ("2024-01", "2025-06")
    assert at.selectbox(key="perf_country").value == "china"
    assert at.toggle(key="perf_flagged").value is False
    head = _headlines(at)[0]
    assert "GPQA Diamond" in head and "among Chinese models" in head
    sub = [c.value for c in at.caption if "GPQA Diamond, AA runs" in c.value]
    assert any("Jan 2024" in c for c in sub)
    a = P.analyze(P.prepare({n: tables.read(n) for n in ("scores", "models")}),
                  P.Settings(metric="aa_gpqa", start="2024-01", end="2025-06", country="china",
                             include_flagged=False), boot_n=0)
    shown = [m.value for m in at.metric if m.label.startswith("Gap today")][0]
    assert shown == fmt.num(a.current["gap_points"], 1)


def test_hostile_url_values_fall_back_to_defaults():
    at = open_page(PAGE, {"perf_metric": "'; DROP TABLE scores; --", "perf_range": "zzz",
                          "perf_open": "<script>alert(1)</script>", "perf_country": "mars",
                          "perf_flagged": "maybe"})
    assert not at.exception
    assert at.selectbox(key="perf_metric").value == "eci"
    assert at.select_slider(key="perf_range").value == (P.DEFAULT_START, P.DEFAULT_END)
    assert at.radio(key="perf_open").value == "any"
    assert at.selectbox(key="perf_country").value == "all"
    assert re.match(r"Open models trail by about \d+ months? on ECI", _headlines(at)[0])


def test_a_link_with_the_old_country_label_still_opens_that_country():
    # before the one country rule the option read "China only"; such links keep working
    at = open_page(PAGE, {"perf_country": "China only"})
    assert not at.exception
    assert at.selectbox(key="perf_country").value == "china"


def test_a_link_whose_range_ends_past_the_data_keeps_its_start_and_ends_at_the_data():
    # the slider used to run to a typed "2026-12"; it now ends at the newest month the data reach
    at = open_page(PAGE, {"perf_range": ["2024-01", "2026-12"]})
    assert not at.exception
    assert P.month_options()[-1] == P.RANGE_LAST < "2026-12"
    assert at.select_slider(key="perf_range").value == ("2024-01", P.RANGE_LAST)
    assert any("past the newest month the data reach" in c.value for c in at.caption)
