"""Browser journey: a reader uploads their own models on Data & methods, then finds them marked "Yours" on the
Performance frontier (AA index yardstick) and on the Cost price chart, in the same session."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.app_utils import scroll_to_card
from tests.browser.conftest import SHOTS, assert_no_exception, shot, wait_for_app

pytestmark = pytest.mark.browser


def _nav(pg, title: str) -> None:
    """Go to a page through the sidebar, as a reader does: a client-side switch keeps the session (and so the
    uploaded models); typing a new URL would start a new session."""
    pg.locator("[data-testid='stSidebarNav'] a", has_text=title).first.click()
    wait_for_app(pg, timeout=90_000)


def _legend_text(pg, card_key: str) -> str:
    """The labels of the legend Vega drew in a card's chart (Streamlit renders these charts as SVG)."""
    card = pg.locator(f".st-key-card_{card_key}")
    scroll_to_card(card)
    legend = card.locator("svg .role-legend text")
    legend.first.wait_for(state="attached")
    card.screenshot(path=str(SHOTS / f"yours_{card_key}.png"))
    return " ".join(legend.evaluate_all("els => els.map(e => e.textContent || '')"))


def test_uploaded_models_appear_as_yours(server, page, tmp_path):
    from openclosed import byod
    page.goto(server + "/")
    wait_for_app(page)
    page.goto(server + "/data")
    wait_for_app(page)
    mine = tmp_path / "my_models.csv"
    mine.write_text(byod.template())
    page.locator("input[type='file']").set_input_files(str(mine))
    page.get_by_text("Loaded 2 model(s)").wait_for()
    assert_no_exception(page)

    # Performance, with the AA index as the yardstick (bound to ?perf_metric=<label>)
    _nav(page, "Performance")
    assert_no_exception(page)
    page.get_by_role("combobox", name="Yardstick").click()
    page.get_by_role("option", name="AA Intelligence Index").click()
    page.wait_for_function("() => location.search.includes('perf_metric=AA')")
    # the URL changes before the rerun starts: wait for the card the choice redraws
    expect(page.locator(".st-key-card_perf_frontier h4").first).to_contain_text("AA Intelligence Index",
                                                                                 timeout=90_000)
    wait_for_app(page, timeout=90_000)
    assert_no_exception(page)
    legend = _legend_text(page, "perf_frontier")
    assert "Yours" in legend and "Open weights" in legend and "Closed" in legend
    body = page.locator("[data-testid='stMain']").inner_text()
    assert "Your models: 2 of 2 are drawn" in body and "do not change" in body
    shot(page, "yours_performance")

    # Cost: the price-against-capability chart
    _nav(page, "Cost")
    assert_no_exception(page)
    legend = _legend_text(page, "cost_price_capability")
    assert "Yours" in legend
    body = page.locator("[data-testid='stMain']").inner_text()
    assert "Your models: 2 of 2 are drawn on the price-against-capability chart" in body
    shot(page, "yours_cost")


def test_your_model_names_are_text_not_html(server, page, tmp_path):
    """A model name written as HTML/markdown shows in the chart tooltip as the literal text, never as markup."""
    from openclosed import byod
    name = "<img src=x onerror=\"document.title='pwned'\">**b**"
    page.goto(server + "/")
    wait_for_app(page)
    page.goto(server + "/data")
    wait_for_app(page)
    f = tmp_path / "hostile.csv"
    f.write_text(",".join(byod.COLUMNS) + '\n"' + name.replace('"', '""')
                 + '",open,2026-05-01,aa_intelligence_index,42.5,0.2,0.8\n')
    page.locator("input[type='file']").set_input_files(str(f))
    page.get_by_text("Loaded 1 model(s)").wait_for()
    _nav(page, "Cost")
    assert_no_exception(page)
    card = page.locator(".st-key-card_cost_price_capability")
    scroll_to_card(card)
    box = card.locator("svg .role-legend").first.bounding_box()
    def in_legend(b):
        return box and box["y"] <= b["y"] <= box["y"] + box["height"] and box["x"] <= b["x"] <= box["x"] + box["width"]
    diamonds = [b for b in (p.bounding_box() for p in card.locator("svg path[fill='#AA3377']").all())
                if b and not in_legend(b)]                                  # the points, not the legend symbol
    assert diamonds
    b = diamonds[0]
    page.mouse.move(b["x"] + b["width"] / 2, b["y"] + b["height"] / 2)
    tip = page.locator("#vg-tooltip-element")
    tip.wait_for(state="visible")
    assert name in tip.inner_text()                      # shown as text
    assert tip.locator("img").count() == 0 and page.locator("img[src='x']").count() == 0
    assert page.title() != "pwned"
