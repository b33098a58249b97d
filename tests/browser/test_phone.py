"""Every page on a phone (390x844): nothing is wider than the screen, so nothing needs sideways scrolling or is
cut off. Saves a full-page screenshot per page at phone and desktop (1280x800) width to look at."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from openclosed import report
from tests.browser.conftest import assert_no_exception, shot, wait_for_app

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("entrypoint_first")]

PAGES = [s.url_path for s in report.SECTIONS]
PHONE = {"width": 390, "height": 844}

# Elements that stick out of the screen, ignoring what is hidden or sits inside a container made to scroll sideways
# (tables, code blocks), and the sidebar, which is off-screen until opened.
OVERFLOW_JS = """(inCharts) => {
  const vw = document.documentElement.clientWidth;
  const main = document.querySelector("[data-testid='stMain']");
  // The part of an element left visible by its clipping ancestors, or null when it sits in a sideways scroller.
  const visible = el => { let left = -Infinity, right = Infinity;
    for (let p = el.parentElement; p && p !== main; p = p.parentElement) {
      const ox = getComputedStyle(p).overflowX;
      if (ox === 'auto' || ox === 'scroll') return null;
      if (ox === 'hidden' || ox === 'clip') { const r = p.getBoundingClientRect();
        left = Math.max(left, r.left); right = Math.min(right, r.right); } }
    return [left, right]; };
  const out = [];
  for (const el of main.querySelectorAll('*')) {
    if (!!el.closest('[data-testid="stVegaLiteChart"]') !== inCharts) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    const cs = getComputedStyle(el);
    if (cs.visibility === 'hidden' || cs.display === 'none') continue;
    const clip = visible(el);
    if (clip === null) continue;
    const left = Math.max(r.left, clip[0]), right = Math.min(r.right, clip[1]);
    if (right <= vw + 1 && left >= -1) continue;
    out.push(`${el.tagName.toLowerCase()}${el.dataset.testid ? '[' + el.dataset.testid + ']' : ''}`
             + `.${String(el.className.baseVal ?? el.className).split(' ')[0]} ${Math.round(left)}..${Math.round(right)}`
             + ` "${(el.innerText || el.textContent || '').trim().slice(0, 40)}"`);
  }
  return {vw, page: Math.max(document.documentElement.scrollWidth, main.scrollWidth), out: out.slice(0, 15),
          n: out.length};
}"""


# Chart text (legend labels, axis labels, annotations) that runs past the screen's edge, and legend text that Vega
# shortened with an ellipsis (its labelLimit): cut off.
CHART_TEXT_JS = """() => {
  const vw = document.documentElement.clientWidth, out = [];
  let n = 0;
  for (const chart of document.querySelectorAll("[data-testid='stVegaLiteChart']")) {
    const c = chart.getBoundingClientRect();
    const card = [...(chart.closest("[class*='st-key-card_']")?.classList || [])].find(k => k.startsWith('st-key-card_'));
    for (const t of chart.querySelectorAll('svg text')) {
      const r = t.getBoundingClientRect();
      if (!r.width || !(t.textContent || '').trim() || getComputedStyle(t).opacity === '0') continue;
      const legend = !!t.closest('.role-legend');
      const where = `${(card || '?').slice(12)}: "${t.textContent.trim().slice(0, 40)}"`;
      // past the screen, or past the chart's own box (which clips it)
      if (r.right > Math.min(vw, c.right) + 4 || r.left < Math.max(0, c.left) - 4)
        out.push(`${where} ${Math.round(r.left)}..${Math.round(r.right)} (chart ${Math.round(c.left)}..${Math.round(c.right)})`);
      else if (legend && t.textContent.trim().endsWith('…'))
        out.push(`${where} shortened with an ellipsis`);
      n += legend ? 1 : 0;
    }
  }
  return {out, n};
}"""


def _open(pg, url: str) -> None:
    """Open a page and wait until it is drawn: the script has run and no placeholder (skeleton) is left, so a
    screenshot shows the real page (a new session reports "not running" before its first run starts)."""
    pg.goto(url)
    wait_for_app(pg, timeout=90_000)
    expect(pg.locator("[data-testid='stSkeleton']")).to_have_count(0, timeout=90_000)
    wait_for_app(pg, timeout=90_000)


@pytest.fixture()
def phone(browser):
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, is_mobile=True, has_touch=True)
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    yield pg
    context.close()


@pytest.mark.parametrize("path", PAGES)
def test_nothing_is_wider_than_a_phone(server, phone, path):
    _open(phone, f"{server}/{path}")
    assert_no_exception(phone)
    found = phone.evaluate(OVERFLOW_JS, False)
    shot(phone, f"phone_{path}")
    assert not found["out"], (
        f"{path}: {found['n']} element(s) wider than the {found['vw']} px screen (page {found['page']} px):\n"
        + "\n".join(found["out"]))


@pytest.mark.parametrize("path", ["performance", "cost", "risk", "geopolitics"])
def test_chart_text_fits_on_a_phone(server, phone, path):
    _open(phone, f"{server}/{path}")
    phone.wait_for_function("""() => { const charts = [...document.querySelectorAll("[data-testid='stVegaLiteChart']")];
                                       return charts.length && charts.every(c => !c.offsetParent || c.querySelector('svg text')); }""")
    shot(phone, f"phone_charts_{path}")      # grows the window to the page's height first, so every chart is drawn
    found = phone.evaluate(CHART_TEXT_JS)
    assert found["n"] > 0, f"{path}: no legend text found (the check would pass vacuously)"
    cut = found["out"]
    assert not cut, f"{path}: {len(cut)} chart label(s) cut at 390 px:\n" + "\n".join(cut[:20])


@pytest.mark.parametrize("path", PAGES)
def test_desktop_screenshot(server, page, path):
    _open(page, f"{server}/{path}")
    assert_no_exception(page)
    shot(page, f"desktop_{path}")
