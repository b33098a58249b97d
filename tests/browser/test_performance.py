"""Browser journeys on the Performance page: read the default view, change the yardstick, open a shared link."""
from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.app_utils import scroll_to_card
from tests.browser.conftest import ROOT, assert_no_exception, shot, wait_for_app


def _path() -> str:
    """The page's URL path: '' while Performance is the app's first (default) page, else 'performance'."""
    text = (Path(ROOT) / "streamlit_app.py").read_text()
    pages = re.findall(r'st\.Page\("([^"]+)"', text)
    return "" if pages and pages[0] == "pages/performance.py" else "performance"


def _open(pg, server, query: str = "") -> None:
    pg.goto(f"{server}/{_path()}{query}")
    wait_for_app(pg, timeout=90_000)


def _headline(pg, key: str) -> str:
    return pg.locator(f".st-key-card_{key} h4").first.inner_text()


def test_default_view_reads_and_renders(server, page):
    _open(page, server)
    assert_no_exception(page)
    title = _headline(page, "perf_frontier")
    assert re.search(r"Open models (trail by about \d+ months?|are level)", title) or "level with" in title
    assert "ECI" in title
    # every card draws a chart
    for key in ("perf_frontier", "perf_gap", "perf_lag", "perf_epoch_check", "perf_triangulation",
                "perf_domains", "perf_report2024"):
        card = page.locator(f".st-key-card_{key}")
        assert card.count() == 1, key
        scroll_to_card(card)
        assert card.locator("canvas, svg").count() > 0, key
    assert "3.5 months" in _headline(page, "perf_epoch_check")
    shot(page, "performance_default")


def test_change_metric_updates_headline(server, page):
    _open(page, server)
    before = _headline(page, "perf_frontier")
    page.get_by_role("combobox", name="Yardstick").click()
    page.get_by_role("option", name="LMArena rating").click()
    page.wait_for_function("() => location.search.includes('perf_metric=')")
    # the URL changes as the option is picked, before the rerun starts: wait for what is measured, the new headline
    expect(page.locator(".st-key-card_perf_frontier h4").first).to_contain_text("LMArena", timeout=60_000)
    wait_for_app(page, timeout=60_000)
    assert_no_exception(page)
    after = _headline(page, "perf_frontier")
    assert after != before and "LMArena" in after
    assert re.search(r"perf_metric=LMArena(\+|%20)rating", page.url)
    # The controls rerun only their fragment; the sidebar's share box still shows the new link, and the fixed
    # cards below were not redrawn away.
    page.wait_for_function("""() => { const el = document.querySelector("[data-testid='stSidebar'] .oc-share-link");
                                      return el && el.textContent.includes("perf_metric=LMArena"); }""", timeout=5_000)
    link = page.locator("[data-testid='stSidebar'] .oc-share-link").inner_text()
    assert re.search(r"perf_metric=LMArena(\+|%20)rating", link) and "/performance?" in link
    assert _headline(page, "perf_epoch_check").startswith("Recomputed on Epoch's index and window")
    shot(page, "performance_lmarena")


def test_shared_link_applies_settings(server, page):
    _open(page, server, "?perf_metric=AA+Intelligence+Index&perf_range=2024-01&perf_range=2025-12"
                        "&perf_country=China+only")
    assert_no_exception(page)
    assert page.get_by_role("combobox", name="Yardstick").input_value() == "AA Intelligence Index"
    assert page.get_by_role("combobox", name="Developer country").input_value() == "China (incl. Hong Kong)"
    title = _headline(page, "perf_frontier")
    assert "AA Intelligence Index" in title and "among Chinese models" in title
    sub = page.locator(".st-key-card_perf_frontier [data-testid='stCaptionContainer']").first.inner_text()
    assert "Jan 2024" in sub
    shot(page, "performance_shared_link")


def test_phone_width(server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    pg = context.new_page()
    try:
        _open(pg, server)
        assert_no_exception(pg)
        # nothing wider than the screen: the frontier chart fits the phone's width
        box = pg.locator(".st-key-card_perf_frontier canvas, .st-key-card_perf_frontier svg").first.bounding_box()
        assert box is not None and box["width"] <= 390
        shot(pg, "performance_phone")
    finally:
        context.close()


def test_card_downloads_menu_gives_the_chart_rows_as_csv(server, page):
    """The download buttons are built when the card's Download menu opens (ui/card.py); the CSV holds the rows."""
    _open(page, server)
    card = page.locator(".st-key-card_perf_gap")
    scroll_to_card(card)
    assert card.get_by_role("button", name="CSV", exact=True).count() == 0          # nothing registered until asked for
    card.get_by_role("button", name="Download", exact=True).click()
    csv_button = page.get_by_role("button", name="CSV", exact=True)
    csv_button.wait_for(timeout=30_000)
    expect(csv_button).to_be_in_viewport()                                    # the menu opened on screen
    assert page.get_by_role("button", name="PNG", exact=True).count() == 1
    with page.expect_download() as dl:
        csv_button.click()
    text = Path(dl.value.path()).read_text()
    assert dl.value.suggested_filename.startswith("perf_gap") and dl.value.suggested_filename.endswith(".csv")
    lines = text.splitlines()
    assert any(line.startswith("# ") for line in lines[:5])                # the provenance header
    assert len([line for line in lines if line and not line.startswith("#")]) > 2   # a header row and data rows
    shot(page, "performance_card_downloads")
