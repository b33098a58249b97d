"""Reader text is text, in a real browser: markdown and HTML payloads put in every free-text link control (presenter
mode's `cost_gpu`, `cost_scenario`), in link values the controls refuse, and in an uploaded file's column names and
cells never become an element (no `img`, `a`, heading, emphasis ...) and never make the browser fetch anything."""
from __future__ import annotations

import re
from urllib.parse import urlencode, urlparse

import pytest
from playwright.sync_api import expect

from openclosed import report, urlstate
from tests.browser.conftest import assert_no_exception, shot, wait_for_app

pytestmark = pytest.mark.browser
SLOW = 240_000
HOST = "beacon.invalid"
PAYLOADS = [f"![b](http://{HOST}/img.png) [EXT](http://{HOST}/phish) <img src='http://{HOST}/tag.png'>",
            f"**bold** www.{HOST} <a href='http://{HOST}/a'>x</a> mail@{HOST} # h",
            f":red[red] $x$ `code` <b>b</b> [ref]: http://{HOST}/r"]
# Free-text link controls: read as given (urlstate kind "text"), so they reach the text on screen.
TEXT_CONTROLS = [p.key for section in urlstate.PARAMS for p in urlstate.params(section) if p.kind == "text"]


def _watch(pg) -> list[str]:
    """Every request the page makes to the payloads' host (none may happen)."""
    seen: list[str] = []
    pg.on("request", lambda r: seen.append(r.url) if urlparse(r.url).hostname == HOST else None)
    return seen


def _elements_from_payloads(pg) -> list[str]:
    """Elements on the page that a payload made: any img, a, or element naming the payloads' host, and any
    heading, emphasis or code whose text is the payloads'."""
    return pg.evaluate("""(host) => {
      const found = [];
      for (const el of document.querySelectorAll('img, a, [src], [href], [style]')) {
        const ref = (el.getAttribute('src') || '') + (el.getAttribute('href') || '') + (el.getAttribute('style') || '');
        const planted = el.tagName === 'A' && (el.textContent || '').includes('EXT');
        if (ref.includes(host) || planted) found.push(el.outerHTML);
      }
      for (const el of document.querySelectorAll('[data-testid="stMain"] :is(strong, em, code, h1, b, del)')) {
        const t = el.textContent || '';
        if (['bold', 'code', 'h', 'b', 'red'].includes(t.trim())) found.push(el.outerHTML);
      }
      return found;
    }""", HOST)


def _slide_page(pg) -> tuple[int, int, str]:
    counter = pg.locator("[data-testid='stMain'] [data-testid='stMarkdownContainer']",
                         has_text=re.compile(r"^Slide \d+ of \d+")).first
    expect(counter).to_be_visible(timeout=SLOW)
    text = counter.inner_text()               # 'Slide i of n · Page ...'
    words = text.split()
    return int(words[1]), int(words[3]), text.split("·")[1].strip() if "·" in text else ""


def test_presenter_link_text_controls_stay_text(server, page):
    assert set(TEXT_CONTROLS) >= {"cost_gpu", "cost_scenario"}
    requests = _watch(page)
    query = {key: PAYLOADS[i % len(PAYLOADS)] for i, key in enumerate(TEXT_CONTROLS)}
    titles = [s.title for s in report.with_cards()]
    cost = report.section("cost").title
    lo, hi = 1, None
    page.goto(f"{server}/cost?" + urlencode({"presenter": "true", "slide": "1", **query}))
    wait_for_app(page, SLOW)
    _, hi, _ = _slide_page(page)
    while True:                                # binary search for a Cost slide (sections are in registry order)
        mid = (lo + hi) // 2
        page.goto(f"{server}/cost?" + urlencode({"presenter": "true", "slide": str(mid), **query}))
        wait_for_app(page, SLOW)
        _, _, shown = _slide_page(page)
        if shown.startswith(cost):
            break
        assert lo < hi, "no Cost slide found"
        assert any(shown.startswith(t) for t in titles), (shown, titles)
        if titles.index(next(t for t in titles if shown.startswith(t))) < titles.index(cost):
            lo = mid + 1
        else:
            hi = mid - 1
    page.get_by_role("button", name="Link").click()
    caption = page.get_by_text("Opens this slide with every setting", exact=False)
    expect(caption).to_be_visible()
    shown = caption.inner_text().replace("\u2060", "")        # the word joiners that stop GFM's autolinks
    assert f"![b](http://{HOST}/img.png)" in shown             # the payload is shown, character for character
    shot(page, "reader_text_presenter_link")
    assert _elements_from_payloads(page) == []
    assert requests == []
    assert_no_exception(page)


def test_refused_link_values_stay_text(server, page):
    requests = _watch(page)
    page.goto(f"{server}/performance?" + urlencode({"perf_metric": PAYLOADS[0], "perf_open": PAYLOADS[1],
                                                    "perf_country": PAYLOADS[2]}))
    wait_for_app(page, SLOW)
    expect(page.get_by_text("was not recognised", exact=False).first).to_be_visible()
    assert _elements_from_payloads(page) == []
    assert requests == []
    assert_no_exception(page)


def test_uploaded_names_and_cells_stay_text(server, page, tmp_path):
    from openclosed import byod
    requests = _watch(page)
    page.goto(server + "/data")
    wait_for_app(page, SLOW)
    header = ",".join(byod.COLUMNS)
    files = {
        "columns.csv": header + f",![c](http://{HOST}/col.png)\nx,open,2025-01-01,eci,100,1,2,3\n",
        "cells.csv": header + "\n" + "\n".join(
            f'"{p}","{p}","{p}",{p.replace(",", " ")},"{p}",1,2' for p in PAYLOADS) + "\n",
    }
    for name, text in files.items():
        path = tmp_path / name
        path.write_text(text)
        page.locator("input[type='file']").set_input_files(str(path))
        expect(page.get_by_text("This file was not loaded", exact=False)).to_be_visible(timeout=SLOW)
        wait_for_app(page, SLOW)
        error = page.locator("[data-testid='stAlertContentError']").first
        assert HOST in error.inner_text()                       # the offending text is quoted, as text
        assert _elements_from_payloads(page) == [], name
    # a file named like markup is reported by name, as text
    path = tmp_path / f"![n](http:{HOST}) x.txt"
    path.write_text("x")
    page.locator("input[type='file']").set_input_files(str(path))
    expect(page.get_by_text("upload a .csv file", exact=False)).to_be_visible(timeout=SLOW)
    shot(page, "reader_text_upload")
    assert _elements_from_payloads(page) == []
    assert requests == []
    assert_no_exception(page)


def test_tables_offer_no_raw_csv_download(server, page):
    """st.dataframe's own "Download as CSV" exports formulas raw: it is switched off (client.disableDataExport);
    the page's own download (neutralised) is there instead."""
    page.goto(server + "/data")
    wait_for_app(page, SLOW)
    table = page.locator("[data-testid='stDataFrame']").first
    table.hover()
    toolbar = page.locator("[data-testid='stElementToolbar']").first
    expect(toolbar).to_be_attached()
    expect(toolbar.get_by_role("button")).not_to_have_count(0)          # the toolbar is there (search, fullscreen)
    expect(page.get_by_role("button", name="Download as CSV")).to_have_count(0)
    # a table's own expander (its title ends with the row count), not the all-tables bundle above them
    page.locator("[data-testid='stExpander'] summary", has_text=re.compile(r"rows\)$")).first.click()
    expect(page.get_by_role("button", name=re.compile(r"^Download \w+\.csv$")).first).to_be_visible()


def test_a_link_too_long_to_share_says_so(server, page):
    note = page.locator("[data-testid='stSidebar'] .oc-share-long")
    page.goto(f"{server}/risk")
    wait_for_app(page, SLOW)
    expect(note).to_be_hidden()
    page.goto(f"{server}/risk?note=" + "x" * 9000)          # opens (under the server's 16 KB), but is fragile to share
    wait_for_app(page, SLOW)
    expect(note).to_be_visible()
    expect(note).to_contain_text("too long")
