"""Browser journeys on "Which should I use?": walk the wizard step by step, take a persona, try the change that
would flip it, download the summary, open the shared link, and read it on a phone."""
from __future__ import annotations

import dataclasses
import re

import pytest
from playwright.sync_api import expect

from openclosed import advisor as adv
from openclosed import tables
from tests.browser.app_utils import rerun_after, scroll_to_card, wait_until_still
from tests.browser.conftest import SHOTS, assert_no_exception, wait_for_app

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("entrypoint_first")]
TABLES = adv.TABLES


@pytest.fixture(scope="module")
def data() -> adv.Data:
    return adv.prepare({n: tables.read(n) for n in TABLES})


def _click(pg, locator, timeout: float = 60_000) -> None:
    """Click and wait for the run the click starts to finish."""
    rerun_after(pg, locator.click, timeout=timeout)


def _recommendation(pg):
    return pg.locator("[data-testid='stAlertContentSuccess'] [data-testid='stMarkdownContainer']").first


def _wait_headline(pg, expected: str, timeout: float = 30_000) -> str:
    """The recommendation's headline, once it reads `expected` (or what it reads when the wait runs out)."""
    box = _recommendation(pg)
    try:
        expect(box).to_have_text(expected, timeout=timeout)
    except AssertionError:
        pass
    return box.inner_text().strip()


def _progress(pg) -> str:
    return pg.locator("[data-testid='stProgress']").first.inner_text()


def _choose(pg, key: str, label: str) -> None:
    _click(pg, pg.locator(f".st-key-{key} label").filter(has_text=re.compile("^" + re.escape(label) + "$")).first)


def _next(pg) -> None:
    _click(pg, pg.locator(".st-key-adv_next button:visible").first)


def _full_shot(pg, name: str):
    """A screenshot of the whole page: the app scrolls inside its main block, so grow the viewport to fit it."""
    SHOTS.mkdir(exist_ok=True)
    size = pg.viewport_size
    height = pg.evaluate("() => { const m = document.querySelector(\"[data-testid='stMain']\"); "
                         "return m ? m.scrollHeight : document.body.scrollHeight; }")
    pg.set_viewport_size({"width": size["width"], "height": max(int(height) + 40, size["height"])})
    wait_until_still(pg, "[data-testid='stVegaLiteChart']")            # charts re-fit their width
    path = SHOTS / f"{name}.png"
    pg.screenshot(path=str(path), full_page=True)
    pg.set_viewport_size(size)
    return path


def test_walk_the_wizard_step_by_step(server, page, data):
    page.goto(server + "/advisor")
    wait_for_app(page, timeout=90_000)
    assert_no_exception(page)
    assert "Step 1 of 8" in _progress(page)
    assert page.get_by_text("Who are you?").is_visible()
    assert not page.get_by_text("How much will you use it?").is_visible()     # later steps are hidden
    _choose(page, "adv_who", adv.WHO["enterprise"])
    page.screenshot(path=str(SHOTS / "advisor_step1.png"))
    _next(page)
    assert "Step 2 of 8" in _progress(page)
    assert page.get_by_text("What will the model do?").is_visible()
    page.locator(".st-key-adv_workloads").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "advisor_step2.png"))
    _next(page)
    assert "Step 3 of 8" in _progress(page)
    _next(page)
    _choose(page, "adv_sensitivity", adv.SENSITIVITY["personal"])
    _next(page)
    _choose(page, "adv_team", adv.TEAM["strong"])
    _choose(page, "adv_gpus", adv.GPUS["keen"])
    _click(page, page.locator(".st-key-adv_back button:visible").first)        # back: the answer is kept
    assert "Step 4 of 8" in _progress(page)
    assert page.locator(".st-key-adv_sensitivity input[type='radio']:checked").count() == 1
    checked = page.locator(".st-key-adv_sensitivity label").filter(has=page.locator("input:checked"))
    assert adv.SENSITIVITY["personal"] in checked.first.inner_text()
    _next(page)
    _next(page)
    page.locator(".st-key-adv_quality").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "advisor_step6.png"))
    _choose(page, "adv_quality", adv.QUALITY["frontier"])
    _next(page)
    _next(page)
    assert "Step 8 of 8" in _progress(page)
    assert_no_exception(page)
    s = adv.Settings(who="enterprise", sensitivity="personal", team="strong", gpus="keen", quality="frontier")
    rec = adv.recommend(data, s)
    assert _wait_headline(page, rec.headline) == rec.headline
    scores_card = page.locator(".st-key-card_advisor_scores")
    assert scores_card.count() == 1
    assert scores_card.locator("h4").first.inner_text().startswith(adv.OPTION_LABELS[rec.top])
    assert page.get_by_text(rec.drivers.iloc[0]["sentence"]).first.is_visible()
    _full_shot(page, "advisor_walkthrough_result")


def test_persona_change_download_and_shared_link(server, page, browser, data, tmp_path):
    page.goto(server + "/advisor")
    wait_for_app(page, timeout=90_000)
    _click(page, page.locator(".st-key-adv_persona_startup button:visible").first)
    assert_no_exception(page)
    p = adv.PERSONAS["startup"]
    rec = adv.recommend(data, p.settings)
    assert rec.top in p.expect
    assert _wait_headline(page, rec.headline) == rec.headline
    assert "Step 8 of 8" in _progress(page)
    z = rec.ev.self_host.sizing
    assert page.get_by_text(f"Self-hosting assumes {adv.setup_text(z)}").first.is_visible()
    assert page.get_by_text(rec.sentence).first.is_visible()
    if adv.idle_text(z, p.settings.tokens):
        assert page.get_by_text(adv.idle_text(z, p.settings.tokens)).first.is_visible()
    page.mouse.move(0, 0)
    _full_shot(page, "advisor_persona_startup")
    for key in ("advisor_scores", "advisor_costs", "advisor_routing"):
        card = page.locator(f".st-key-card_{key}")
        scroll_to_card(card)
        card.screenshot(path=str(SHOTS / f"{key}.png"))

    # the shared link reproduces the recommendation in a fresh browser
    url = page.url
    assert "adv_step=" in url and "adv_tokens=" in url
    other = browser.new_context(viewport={"width": 1280, "height": 800})
    shared = other.new_page()
    shared.goto(url)
    wait_for_app(shared, timeout=90_000)
    assert_no_exception(shared)
    assert _wait_headline(shared, rec.headline) == rec.headline
    other.close()

    # download the one-page summary
    with page.expect_download() as dl:
        page.locator(".st-key-adv_dl_md button:visible").first.click()
    path = tmp_path / "rec.md"
    dl.value.save_as(path)
    md = path.read_text()
    assert rec.headline in md and "## My answers" in md and rec.as_of["AA scores and prices"] in md
    assert "adv_tokens=" in md                  # the link in the summary reproduces it too

    # the smallest change really changes it
    first = rec.changes[0]
    _click(page, page.locator(".st-key-adv_try_0 button:visible").first)
    changed = adv.recommend(data, dataclasses.replace(p.settings, **dict(first.apply)))
    assert changed.top == first.new_top != rec.top
    assert _wait_headline(page, changed.headline) == changed.headline


def test_phone_width_shared_link(server, browser, data):
    p = adv.PERSONAS["lab"]
    context = browser.new_context(viewport={"width": 390, "height": 844})
    pg = context.new_page()
    pg.goto(server + "/advisor")
    wait_for_app(pg, timeout=90_000)
    _click(pg, pg.locator(".st-key-adv_persona_lab button:visible").first)
    assert_no_exception(pg)
    rec = adv.recommend(data, p.settings)
    assert _wait_headline(pg, rec.headline) == rec.headline
    width = pg.evaluate("() => document.querySelector(\"[data-testid='stMain']\").scrollWidth")
    assert width <= 390 + 2, width                # nothing overflows sideways
    _full_shot(pg, "advisor_phone_lab")
    context.close()
