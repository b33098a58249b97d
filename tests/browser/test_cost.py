"""Browser journeys on the Cost page: read it, move sliders and see numbers and charts update, open a shared link."""
import re

import pytest
from playwright.sync_api import expect

from openclosed import cost, fmt, tables
from tests.browser.app_utils import scroll_to_card, wait_until_still
from tests.browser.conftest import assert_no_exception, shot, wait_for_app

pytestmark = pytest.mark.browser


def _open(page, server, query: str = ""):
    # Load the app root first: a fresh server only knows the page list once the entry script has run.
    page.goto(server + "/")
    wait_for_app(page)
    page.goto(server + "/cost" + query)
    wait_for_app(page)
    page.get_by_role("heading", name="Self-host or API: a break-even calculator").wait_for()
    assert_no_exception(page)


def _metric_value(page, label: str):
    box = page.locator("[data-testid='stMetric']", has=page.get_by_text(label, exact=True)).first
    return box.locator("[data-testid='stMetricValue']")


def _metric(page, label: str) -> str:
    return _metric_value(page, label).inner_text().strip()


def _slider(page, label: str):
    box = page.locator("[data-testid='stSlider']", has=page.get_by_text(label, exact=True)).first
    return box.locator("input[type='range']").first


def _card_heading(page, key: str):
    return page.locator(f".st-key-card_{key}").locator("h4").first


def _card_title(page, key: str) -> str:
    return _card_heading(page, key).inner_text().strip()


def _wait_for_change(page, locator, old: str, timeout=30_000) -> str:
    """The text of `locator` once it no longer reads `old` and the run is over (what it reads when the wait runs
    out)."""
    try:
        expect(locator).not_to_have_text(old, timeout=timeout)
    except AssertionError:
        pass
    wait_for_app(page)
    return locator.inner_text().strip()


def _charts_still(page):
    """Wait until the charts have re-fit the window (they re-lay out over a few frames after a resize)."""
    wait_until_still(page, "[data-testid='stVegaLiteChart']")


def _tall(page):
    # Streamlit scrolls inside its own container, so a full-page shot needs a tall viewport
    page.set_viewport_size({"width": 1280, "height": 7200})
    _charts_still(page)


def test_cost_page_reads_and_reacts(server, page):
    _open(page, server)
    data = {name: tables.read(name) for name in cost.TABLES}
    r = cost.analyze(data, cost.Settings())
    t = r.market.at_threshold
    assert _metric(page, "Saving with open") == fmt.open_saving(t["saving_pct"])
    # every chart card drew a chart
    for key in ("cost_price_capability", "cost_saving_curve", "cost_price_history", "cost_volume", "cost_tornado",
                "cost_monte_carlo"):
        card = page.locator(f".st-key-card_{key}")
        scroll_to_card(card)
        card.locator("canvas, svg").first.wait_for(timeout=20_000)
    before_cost = _metric(page, "Self-host ($/month)")
    before_title = _card_title(page, "cost_volume")

    # move the volume slider three steps up (1B -> 2B -> 5B -> 10B)
    thumb = _slider(page, "Tokens per month (input + output)")
    thumb.scroll_into_view_if_needed()
    thumb.focus()
    for _ in range(3):
        thumb.press("ArrowRight")
        wait_for_app(page)
    after_title = _wait_for_change(page, _card_heading(page, "cost_volume"), before_title)
    assert after_title != before_title and "At 10B tokens a month" in after_title
    c = cost.analyze_calc(data, cost.Settings(tokens=1e10))
    expected = fmt.usd(c.calc["options"].set_index("option").loc["Self-host", "monthly_usd"])
    assert _metric(page, "Self-host ($/month)") == expected
    assert re.search(r"\$[\d,]+", before_cost)
    assert "cost_tokens=10B" in page.url
    assert_no_exception(page)

    # move the threshold: the saving metric and the scatter's headline follow
    before_saving = _metric(page, "Saving with open")
    th = _slider(page, "Capability threshold: AA Intelligence Index at least")
    th.scroll_into_view_if_needed()
    th.focus()
    for _ in range(20):     # 40 -> 50 in steps of 0.5
        th.press("ArrowRight")
    wait_for_app(page)
    t50 = cost.analyze_market(data, cost.Settings(threshold=50.0)).at_threshold
    want = fmt.open_saving(t50["saving_pct"])
    got = _wait_for_change(page, _metric_value(page, "Saving with open"), before_saving)
    assert got == want
    assert_no_exception(page)
    _tall(page)
    shot(page, "cost_after_sliders")


def test_cost_shared_link_reproduces_a_scenario(server, page):
    query = ("?cost_source=Cheapest+host&cost_threshold=30&cost_tokens=50B&cost_util=80&cost_derate=70"
             "&cost_against=The+closed+API&cost_level=30")
    _open(page, server, query)
    data = {name: tables.read(name) for name in cost.TABLES}
    s = cost.Settings(price_source="cheapest_host", threshold=30.0, tokens=5e10, utilization=0.8, derate=0.7,
                      against="closed", history_level=30.0)
    r = cost.analyze(data, s)
    t = r.market.at_threshold
    assert _metric(page, "Saving with open") == fmt.open_saving(t["saving_pct"])
    opts = r.calc.calc["options"].set_index("option")
    assert _metric(page, "Self-host ($/month)") == fmt.usd(opts.loc["Self-host", "monthly_usd"])
    assert _card_title(page, "cost_volume").startswith("At 50B tokens a month")
    assert page.get_by_text("Cheapest host", exact=True).first.is_visible()
    _tall(page)
    shot(page, "cost_shared_link")


def test_cost_default_and_phone_screenshots(server, page):
    _open(page, server)
    _tall(page)
    shot(page, "cost")
    page.set_viewport_size({"width": 390, "height": 9000})
    _charts_still(page)
    assert_no_exception(page)
    shot(page, "cost_phone")
