"""Shared browser helpers: waits with Playwright's `expect` (no fixed sleeps), the app shell, screenshots.

Modelled on Streamlit's own e2e_playwright/shared/app_utils.py. Tests import these from here (conftest.py
re-exports the old names)."""
from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from openclosed.report import Section

expect.set_options(timeout=60_000)   # a shared 2-core machine: first renders can take tens of seconds

SHOTS = Path(__file__).parent / "screenshots"
APP = "[data-testid='stApp']"
# A chart on screen still drawing: Vega-Embed has not put its svg or canvas in yet. (Streamlit mounts charts
# only when they scroll into view, and a chart in a closed expander is never drawn.)
UNDRAWN_CHART = "[data-testid='stVegaLiteChart']:visible:not(:has(canvas)):not(:has(svg))"
SKELETON = "[data-testid='stSkeleton']"       # an element whose code is still loading


def wait_for_app(pg: Page, timeout: float = 30_000) -> None:
    """Wait until the app is connected, its script has finished running, every element's code has loaded, the charts
    on screen are drawn and the fonts have loaded."""
    app = pg.locator(APP)
    expect(app).to_have_attribute("data-test-connection-state", "CONNECTED", timeout=timeout)
    # The script state reads "notRunning" before the first run has started too: wait for the page to have drawn
    # something, then for the run to be over.
    expect(pg.locator("[data-testid='stMain'] [data-testid='stElementContainer']").first).to_be_attached(
        timeout=timeout)
    expect(app).to_have_attribute("data-test-script-state", "notRunning", timeout=timeout)
    expect(pg.locator(UNDRAWN_CHART)).to_have_count(0, timeout=timeout)
    # Streamlit loads each element type's code on first use and shows a skeleton meanwhile: a fresh browser context
    # drew a slide's title before the st.html holding its style sheet (Streamlit's own h1 style, measured 141.6 px)
    expect(pg.locator(SKELETON)).to_have_count(0, timeout=timeout)
    # text measured before the web fonts load is laid out in the fallback font (wider, or narrower)
    pg.wait_for_function("() => document.fonts.status === 'loaded'", timeout=timeout)


def open_app(pg: Page, url: str, timeout: float = 30_000) -> None:
    """Go to `url` and wait for the app to finish."""
    pg.goto(url)
    wait_for_app(pg, timeout)


def expect_shell(pg: Page, section: Section, timeout: float = 30_000) -> None:
    """The app's shell is around the page: our navigation with `section` current, and the shared sidebar."""
    nav = pg.locator("[data-testid='stSidebarNav']")
    for title in ("Overview", "Data & methods"):
        expect(nav.get_by_role("link", name=title)).to_be_visible(timeout=timeout)
    expect(nav.locator("a[aria-current='page']")).to_contain_text(section.title, timeout=timeout)
    expect(pg.locator("[data-testid='stSidebar']").get_by_text("Presenter mode")).to_be_visible(timeout=timeout)


def scroll_to_card(card: Locator) -> None:
    """Scroll `card` into view and wait until its charts are drawn. A chart mounts only once on screen and grows the
    card when it draws, so a click aimed before that can land on a button that has just moved (off screen, with any
    menu it opened: CI saw a card's Download menu open below the window under load)."""
    card.scroll_into_view_if_needed()
    expect(card.locator(f"[data-testid='stSkeleton'], {UNDRAWN_CHART}")).to_have_count(0)
    card.scroll_into_view_if_needed()


def assert_no_exception(pg: Page) -> None:
    errors = pg.locator("[data-testid='stException']")
    assert errors.count() == 0, errors.first.inner_text()


def shot(pg: Page, name: str) -> Path:
    """A full-page screenshot: Streamlit scrolls inside its main container, so grow the viewport to fit."""
    SHOTS.mkdir(exist_ok=True)
    path = SHOTS / f"{name}.png"
    size = pg.viewport_size or {"width": 1280, "height": 800}
    height = pg.evaluate("""() => { const m = document.querySelector("[data-testid='stMain']");
                                    return m ? m.scrollHeight : document.body.scrollHeight; }""")
    pg.set_viewport_size({"width": size["width"], "height": int(min(max(height, size["height"]), 16000))})
    pg.wait_for_load_state("networkidle")                  # charts now in view load their code and draw
    expect(pg.locator(UNDRAWN_CHART)).to_have_count(0)
    pg.screenshot(path=str(path), full_page=True, animations="disabled")
    pg.set_viewport_size(size)
    return path


def wait_for_fonts(pg: Page) -> None:
    """Wait until the page's web fonts have loaded (`document.fonts.ready`): text measured before is laid out in the
    browser's fallback font, whose widths differ (a fresh browser context has no font in its cache)."""
    pg.evaluate("() => document.fonts.ready.then(() => document.fonts.status)")
    pg.wait_for_function("() => document.fonts.status === 'loaded'")


# The element of `selector` keeps its box for this many animation frames in a row (after a resize a chart re-lays
# out over a few frames).
STILL_FRAMES = 5
_STILL = """([selector, frames]) => {
  const els = [...document.querySelectorAll(selector)];
  if (!els.length || document.fonts.status !== 'loaded') { window.__ocStill = null; return false; }
  const box = els.map((e) => { const r = e.getBoundingClientRect(); return [r.x, r.y, r.width, r.height]; })
  const key = JSON.stringify([selector, innerWidth, innerHeight, box]);
  const last = window.__ocStill;
  window.__ocStill = {key, n: last && last.key === key ? last.n + 1 : 0};
  return window.__ocStill.n >= frames;
}"""


def wait_until_still(pg: Page, selector: str, frames: int = STILL_FRAMES, timeout: float = 30_000) -> None:
    """Wait until the fonts have loaded and every element of `selector` exists and keeps its place and size for
    `frames` animation frames in a row: measure a layout once it has settled, not after a guessed delay."""
    wait_for_fonts(pg)
    pg.evaluate("() => { window.__ocStill = null; }")
    pg.wait_for_function(_STILL, arg=[selector, frames], polling="raf", timeout=timeout)


# A presenter slide is ready to measure when the presenter's style sheet applies to it (a fresh browser fetches
# the code of st.html after the title is on screen, so the title shows in Streamlit's own h1 style first) and its
# chart has drawn a non-empty SVG.
_SLIDE_STYLED = """() => {
  const head = document.querySelector('.st-key-slide_head');
  const svg = document.querySelector('.st-key-slide_chart [data-testid="stVegaLiteChart"] svg');
  return !!head && getComputedStyle(head).getPropertyValue('--oc-slide-styled').trim() === '1'
         && !!svg && svg.getBoundingClientRect().height > 0;
}"""


def wait_for_slide(pg: Page, timeout: float = 30_000) -> None:
    """Wait until the presenter slide is styled, its chart drawn, the fonts loaded and title and chart still."""
    pg.wait_for_function(_SLIDE_STYLED, timeout=timeout)
    wait_until_still(pg, ".st-key-slide_head h1, .st-key-slide_chart [data-testid='stVegaLiteChart'] svg",
                     timeout=timeout)


# Counts the script runs the page has started (Streamlit marks the app `running` for a full run and a fragment's).
_RUNS_STARTED = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  if (window.__ocRuns === undefined && app) {
    window.__ocRuns = 0;
    new MutationObserver(() => {
      if (app.getAttribute('data-test-script-state') !== 'notRunning') window.__ocRuns += 1;
    }).observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
  }
  return window.__ocRuns || 0;
}"""


def rerun_after(pg: Page, action, timeout: float = 60_000, start_within: float = 15_000) -> None:
    """Do `action` (a click, a key press) and wait for the script run it starts to begin and then to finish, instead
    of guessing how long the event takes to reach the server. The server reports a run as started before it waits
    for its turn, so one not seen within `start_within` ms was too short to be drawn as running: then only its end
    is awaited."""
    before = pg.evaluate(_RUNS_STARTED)
    action()
    try:
        pg.wait_for_function("n => (window.__ocRuns || 0) > n", arg=before, timeout=start_within)
    except PlaywrightTimeout:
        pass
    wait_for_app(pg, timeout)
