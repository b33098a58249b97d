"""Browser journeys on the Risk page: read the default view, switch on a situation, open a shared link, phone."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from openclosed import fmt, risk, tables
from tests.browser.app_utils import scroll_to_card
from tests.browser.conftest import assert_no_exception, shot, wait_for_app

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("entrypoint_first")]



CARDS = ("risk_scores", "risk_drivers", "risk_heatmap_self_hosted", "risk_heatmap_hosted_open",
         "risk_heatmap_closed_api", "risk_churn_2024", "risk_survival", "risk_price_moves", "risk_price_timeline",
         "risk_r1_crunch")


def _headline(pg, key: str) -> str:
    return pg.locator(f".st-key-card_{key} h4").first.inner_text()


def _metric_value(pg, label: str):
    """The value of the metric with exactly this label (a locator: Playwright finds it again after a rerun)."""
    name = pg.locator("[data-testid='stMetricLabel']", has_text=re.compile(rf"^\s*{re.escape(label)}\s*$"))
    return pg.locator("[data-testid='stMetric']", has=name).first.locator("[data-testid='stMetricValue']")


def _metric(pg, label: str, timeout: float = 20_000) -> str:
    return _metric_value(pg, label).inner_text(timeout=timeout).strip()


def _wait_for_change(pg, label: str, before: str, timeout: float = 30_000) -> str:
    """The metric's value once it no longer reads `before` (what it reads when the wait runs out)."""
    value = _metric_value(pg, label)
    try:
        expect(value).not_to_have_text(before, timeout=timeout)
    except AssertionError:
        pass
    return value.inner_text().strip()


def test_default_view_reads_and_renders(server, page):
    page.goto(server + "/risk")
    wait_for_app(page, timeout=90_000)
    assert_no_exception(page)
    register = tables.read("risk_register")
    scores = risk.option_scores(register).set_index("short")["score"]
    for short, value in scores.items():
        assert _metric(page, f"{short} score") == fmt.num(value, 0)          # as the page rounds it
    assert "carries the least weighted risk" in _headline(page, "risk_scores")
    for key in CARDS:
        if key.startswith("risk_heatmap_"):
            option = key.removeprefix("risk_heatmap_")
            tab = page.get_by_role("tab", name=risk.OPTION_SHORT[option], exact=True)
            tab.click()
            expect(tab).to_have_attribute("aria-selected", "true")          # then scroll_to_card waits for the chart
        card = page.locator(f".st-key-card_{key}")
        assert card.count() == 1, key
        scroll_to_card(card)
        assert card.locator("canvas, svg").count() > 0, key
    assert re.search(r"\d+% of the closed and \d+% of the open models", _headline(page, "risk_churn_2024"))
    assert "capacity crunch" in _headline(page, "risk_r1_crunch") and "28 January 2025" in _headline(page, "risk_r1_crunch")
    body = page.locator("[data-testid='stMain']").inner_text()
    assert "report's judgment" in body and "not its weights disappearing" in body
    shot(page, "risk_default")


def test_situation_toggle_updates_scores_and_url(server, page):
    page.goto(server + "/risk")
    wait_for_app(page, timeout=90_000)
    before = _metric(page, "Self-hosted open score")
    page.locator(".st-key-risk_ctx_ml_team label").first.click()
    after = _wait_for_change(page, "Self-hosted open score", before)
    wait_for_app(page, timeout=60_000)
    assert_no_exception(page)
    assert int(after) < int(before)
    assert "risk_ctx_ml_team=true" in page.url
    # the mitigations follow the option picked
    page.locator(".st-key-risk_option").get_by_text(risk.OPTION_SHORT[risk.SELF_HOSTED], exact=True).click()
    wait_for_app(page, timeout=60_000)
    assert_no_exception(page)
    register = tables.read("risk_register")
    top = risk.mitigations(register, risk.SELF_HOSTED, context={"ml_team": True})
    page.locator(".st-key-risk_mitigation_1", has_text=top.iloc[0]["risk"]).wait_for(timeout=30_000)
    assert "risk_option=" in page.url
    shot(page, "risk_ml_team")


def test_shared_link_applies_settings(server, page):
    page.goto(server + "/risk?risk_w_operations=3.0&risk_w_data_control=2.5&risk_ctx_personal_data=true"
              "&risk_option=Hosted+open")
    wait_for_app(page, timeout=90_000)
    assert_no_exception(page)
    register = tables.read("risk_register")
    expected = risk.option_scores(register, {"operations": 3.0, "data_control": 2.5},
                                  {"personal_data": True}).set_index("short")["score"]
    for short, value in expected.items():
        assert _metric(page, f"{short} score") == fmt.num(value, 0)          # as the page rounds it
    top = risk.mitigations(register, risk.HOSTED_OPEN, {"operations": 3.0, "data_control": 2.5},
                           {"personal_data": True})
    assert top.iloc[0]["risk"] in page.locator(".st-key-risk_mitigation_1").inner_text()
    shot(page, "risk_shared_link")


def test_phone_width(server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    pg = context.new_page()
    try:
        pg.goto(server + "/risk")
        wait_for_app(pg, timeout=90_000)
        assert_no_exception(pg)
        shot(pg, "risk_phone")
    finally:
        context.close()
