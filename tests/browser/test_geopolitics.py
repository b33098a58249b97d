"""Browser journeys on the Geopolitics page: read the default view, change a control, open a shared link,
read it on a phone. Screenshots go to tests/browser/screenshots/geo_*.png."""
import re
from pathlib import Path
from urllib.parse import urlencode

import pytest

from openclosed import geo, tables
from tests.browser.app_utils import wait_until_still
from tests.browser.conftest import assert_no_exception, shot, wait_for_app

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]


def _path() -> str:
    """The page's URL path: '/' while Geopolitics is the app's first (default) page, else '/geopolitics'."""
    pages = re.findall(r'st\.Page\("([^"]+)"', (ROOT / "streamlit_app.py").read_text())
    return "/" if pages and pages[0] == "pages/geopolitics.py" else "/geopolitics"


@pytest.fixture(scope="module")
def real():
    return {name: tables.read(name) for name in geo.TABLES}


def _goto(page, url):
    """Open the app's root first: on a freshly started server, Streamlit only learns that the entry point uses
    st.navigation once the entry point has run, and until then serves pages/<name>.py directly."""
    page.goto(url.split("/geopolitics")[0].split("?")[0].rstrip("/") + "/")
    wait_for_app(page)
    page.goto(url)
    wait_for_app(page)


def _titles(page):
    return [t.strip() for t in page.locator("[data-testid='stMain'] h4").all_inner_texts()]


def _full_shot(page, name, width=1280):
    """Streamlit scrolls inside its main container, so grow the viewport to the content before the shot."""
    height = page.evaluate("() => document.querySelector(\"[data-testid='stMain']\").scrollHeight")
    page.set_viewport_size({"width": width, "height": min(int(height) + 40, 16000)})
    wait_until_still(page, "[data-testid='stVegaLiteChart']")      # the charts have re-fit the new window
    path = shot(page, name)
    page.set_viewport_size({"width": width, "height": 800})
    return path


def _wait_charts(page, n=8):
    page.wait_for_function(
        f"() => document.querySelectorAll(\"[data-testid='stVegaLiteChart'] canvas, "
        f"[data-testid='stVegaLiteChart'] svg.marks\").length >= {n}", timeout=30_000)


def test_default_view_then_change_a_control(server, page, real):
    _goto(page, server + _path())
    assert_no_exception(page)
    page.get_by_text("Presenter mode").first.wait_for(timeout=30_000)   # the app's own sidebar, not bare pages/
    page.get_by_text("Who releases open and who releases closed").first.wait_for()
    _wait_charts(page)
    expected = [c.title for c in geo.cards(real, geo.Settings()).values()]
    assert _titles(page) == expected
    metrics = page.locator("[data-testid='stMetricValue']").all_inner_texts()
    shown = [m["value"] for m in geo.metrics(geo.analyze(real, geo.Settings()))]      # the core's numbers
    assert metrics[:2] == shown[:2]
    body = page.locator("[data-testid='stMain']").inner_text()
    assert "What this page can and cannot say" in body and "Speculative" in body
    _full_shot(page, "geo_default")

    # switch to the large-scale list: headline and URL change
    page.locator("label").filter(has_text=re.compile(r"^Large-scale$")).first.click()
    wait_for_app(page)
    assert_no_exception(page)
    page.wait_for_function(
        "t => document.querySelector(\"[data-testid='stMain'] h4\").innerText.trim() === t",
        arg=geo.cards(real, geo.Settings(model_list="large_scale"))["geo_releases"].title, timeout=30_000)
    assert "geo_list=Large-scale" in page.url


def test_shared_link_reproduces_the_view(server, page, real):
    params = [("geo_years", "2022"), ("geo_years", "2025"), ("geo_list", "Large-scale"),
              ("geo_counting", "Fractional"), ("geo_regions", "UK and France split out"), ("geo_measure", "Shares")]
    _goto(page, server + _path() + "?" + urlencode(params))
    assert_no_exception(page)
    _wait_charts(page)
    s = geo.Settings(year_from=2022, year_to=2025, model_list="large_scale", counting="fractional",
                     grouping="uk_fr", measure="share")
    assert _titles(page) == [c.title for c in geo.cards(real, s).values()]
    checked = page.locator("[data-testid='stRadio'] input:checked").evaluate_all(
        "els => els.map(e => e.closest('label').innerText.trim())")
    assert {"Large-scale", "Fractional", "UK and France split out", "Shares"} <= set(checked)
    assert "2022" in page.locator("[data-testid='stSlider']").first.inner_text()
    _full_shot(page, "geo_shared_link")


def test_phone_width(server, page):
    page.set_viewport_size({"width": 390, "height": 844})
    _goto(page, server + _path())
    assert_no_exception(page)
    _wait_charts(page)
    too_wide = page.evaluate(
        "() => [...document.querySelectorAll(\"[data-testid='stVegaLiteChart']\")]"
        ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 2).length")
    assert too_wide == 0
    _full_shot(page, "geo_phone", width=390)
