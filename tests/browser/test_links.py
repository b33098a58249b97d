"""Links that remember their data, in a real browser: a link made on an older vintage, opened after the data moved
on, shows what changed (numbers equal to data/history.csv); a bad vintage opens as before; the share box's link
carries the vintage; a card's data bundle downloads, unzips and names every source and licence of its rows; its
Cite menu and its embedded view carry the data vintage.

The "older build" is a copy of the app whose data/history.csv also holds an entry for an earlier vintage (the
fixture: today's entry with another vintage, lag and verdict), so the server really opens data newer than the link.
The card menus and embeds do not depend on the history: they use the shared server (its views prebuilt at setup)."""
from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from playwright.sync_api import Page, expect

from openclosed import history, tables
from openclosed.sources import SOURCES
from ui import links
from tests.browser.app_utils import assert_no_exception, open_app, scroll_to_card, shot
from tests.browser.conftest import start_server

ROOT = Path(__file__).resolve().parents[2]
THEN = "2026-07-31"
HEADLINE = "Best open behind best closed, today"
CLAIM = "c02_lag_now_three_months"


def _older_entry(now: pd.DataFrame) -> pd.DataFrame:
    """The entry an earlier build made: same findings except the lag today and one verdict, and its own vintage."""
    latest = now[now["vintage"] == now["vintage"].max()]
    latest = latest[latest["revision"] == latest["revision"].max()]       # a vintage's newest revision
    old = latest[latest["kind"].isin(["source", "headline", "verdict"])].assign(vintage=THEN, revision=1)
    old.loc[old["key"] == HEADLINE, "value"] = "9 months · 11.0 index points"
    old.loc[old["key"] == CLAIM, "value"] = "supported"
    return old


@pytest.fixture(scope="module")
def moved_on(tmp_path_factory):
    """A server on a copy of the app whose history has an earlier vintage; yields (url, history)."""
    app = tmp_path_factory.mktemp("app") / "app"
    shutil.copytree(ROOT, app, symlinks=True, ignore=shutil.ignore_patterns(
        ".git", ".venv", "__pycache__", "screenshots", ".prebuilt", "*.log"))
    now = tables.read("history")
    hist = history.sort(pd.concat([_older_entry(now), now], ignore_index=True))
    tables.validate("history", hist).to_csv(app / "data" / "history.csv", index=False, lineterminator="\n")
    with start_server("moved_on_server.log", app) as url:
        yield url, hist


def _open_card_menu(page: Page, url: str, button: str) -> None:
    """Open the Performance page, bring its gap card into view and click the card's `button` (Download, Cite)."""
    open_app(page, f"{url}/performance", timeout=90_000)
    card = page.locator(".st-key-card_perf_gap")
    scroll_to_card(card)
    card.get_by_role("button", name=button, exact=True).click()


def test_a_link_made_on_older_data_shows_what_changed_then_can_be_dismissed(moved_on, page):
    url, hist = moved_on
    now = hist["vintage"].max()
    open_app(page, f"{url}/data?v={THEN}", timeout=90_000)
    panel = page.locator(".st-key-since_link")
    expect(panel).to_contain_text("Since this link was made")
    expect(panel).to_contain_text(f"data of {THEN}")
    expect(panel).to_contain_text(f"the data is now of {now}")
    # a vintage's newest revision is what the panel reads
    value = lambda v, k: (hist[(hist["vintage"] == v) & (hist["key"] == k)]              # noqa: E731
                          .sort_values("revision", kind="mergesort")["value"].iloc[-1])
    table = panel.locator("[data-testid='stTable']")
    row = table.locator("tr", has_text=HEADLINE)
    expect(row).to_contain_text(value(THEN, HEADLINE))       # then and now, equal to data/history.csv
    expect(row).to_contain_text(value(now, HEADLINE))
    expect(panel).to_contain_text(f"then supported, now {value(now, CLAIM)}")
    panel.scroll_into_view_if_needed()
    shot(page, "since_link_panel")
    share = page.locator(".oc-share-link")
    expect(share).to_contain_text(f"v={now}")
    page.get_by_role("button", name="Dismiss").click()
    expect(panel).to_have_count(0)
    assert_no_exception(page)


@pytest.mark.parametrize("value", ["garbage", "2026-13-45", "%3Cb%3Ex%3C%2Fb%3E"])
def test_a_bad_vintage_opens_as_before(moved_on, page, value):
    url, _ = moved_on
    open_app(page, f"{url}/data?v={value}", timeout=90_000)
    expect(page.get_by_role("heading", name="Data & methods")).to_be_visible()
    assert page.locator(".st-key-since_link").count() == 0
    assert_no_exception(page)


def test_a_cards_bundle_unzips_with_metadata_naming_every_source_and_licence(server, page):
    _open_card_menu(page, server, "Download")
    button = page.get_by_role("button", name="Data bundle (zip)")
    button.wait_for(timeout=60_000)
    with page.expect_download(timeout=90_000) as dl:
        button.click()
    assert dl.value.suggested_filename.startswith("perf_gap") and dl.value.suggested_filename.endswith(".zip")
    z = zipfile.ZipFile(io.BytesIO(Path(dl.value.path()).read_bytes()))
    meta = json.loads(z.read("metadata.json"))
    csv_name = next(n for n in z.namelist() if n.endswith(".csv"))
    rows = pd.read_csv(z.open(csv_name))
    assert len(rows) == meta["rows"] > 0 and [c["name"] for c in meta["columns"]] == list(rows.columns)
    assert meta["sources"] and all(s["license"] == SOURCES[s["id"]]["license"] for s in meta["sources"])
    if "source" in rows.columns:           # every source a row names is credited with its licence
        named = {s for s in rows["source"].dropna().astype(str) if s in SOURCES}
        assert named <= {s["id"] for s in meta["sources"]}
    assert meta["vintage"]["date"] == tables.read("history")["vintage"].max()
    assert "README.md" in z.namelist()
    page.locator("[data-testid='stPopoverBody']").screenshot(
        path=str(Path(__file__).parent / "screenshots" / "card_bundle_menu.png"))


def test_a_cards_cite_menu_gives_apa_bibtex_and_the_sources_citations(server, page):
    _open_card_menu(page, server, "Cite")
    menu = page.locator("[data-testid='stPopoverBody']")
    expect(menu).to_contain_text("Open vs Closed AI report team", timeout=60_000)
    expect(menu).to_contain_text(f"data vintage {tables.read('history')['vintage'].max()}")
    expect(menu).to_contain_text("@misc{")
    expect(menu).to_contain_text("Data sources (credit their producers too)")
    menu.screenshot(path=str(Path(__file__).parent / "screenshots" / "card_cite_menu.png"))


@pytest.mark.parametrize("width", [400, 320, 1200])
def test_an_embedded_card_shows_headline_chart_and_source_uncut(server, page, width):
    page.set_viewport_size({"width": max(1280, width + 80), "height": 900})
    page.set_content(f'<html><body style="margin:20px"><p>A test page</p><iframe src="{server}/performance?embed=perf_gap"'
                     f' width="{width}" height="{links.EMBED_FRAME_HEIGHT}" style="border:1px solid #ccc"></iframe></body></html>')
    frame = page.frame_locator("iframe")
    expect(frame.locator("[data-testid='stApp']")).to_have_attribute("data-test-script-state", "notRunning",
                                                                     timeout=90_000)
    card = frame.locator(".st-key-embed_perf_gap")
    expect(card.locator("h4")).to_be_visible(timeout=90_000)
    expect(card.locator("[data-testid='stVegaLiteChart'] svg, [data-testid='stVegaLiteChart'] canvas").first
           ).to_be_visible(timeout=90_000)
    expect(card).to_contain_text("Source:")
    expect(card).to_contain_text(f"Data vintage {tables.read('history')['vintage'].max()}")
    expect(card.get_by_role("link", name="Open the full view")).to_be_visible()
    assert frame.locator("[data-testid='stSidebarNav']").locator("visible=true").count() == 0
    inner = next(f for f in page.frames if f != page.main_frame)
    widths = inner.evaluate("""() => { const c = document.querySelector('.st-key-embed_perf_gap');
        const chart = c.querySelector('[data-testid="stVegaLiteChart"]').getBoundingClientRect();
        const source = [...c.querySelectorAll('[data-testid="stCaptionContainer"]')].pop().getBoundingClientRect();
        return {doc: document.documentElement.scrollWidth, view: document.documentElement.clientWidth,
                chart: chart.right, height: window.innerHeight, source: source.bottom}; }""")
    assert widths["doc"] <= widths["view"] and widths["chart"] <= widths["view"] + 1, widths
    assert widths["source"] <= widths["height"], widths          # the source line is inside the frame, not cut
    page.screenshot(path=str(Path(__file__).parent / "screenshots" / f"embed_{width}.png"))
