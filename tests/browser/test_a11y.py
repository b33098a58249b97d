"""axe-core (WCAG 2.x A/AA) on every page and the key states: no serious or critical violation.

axe-playwright-python bundles axe-core, so nothing is downloaded. A failure prints each violation with the
nodes it hit, so a new one is easy to find.
"""
from __future__ import annotations

import pytest

from openclosed import report
from tests.browser.conftest import assert_no_exception, wait_for_app

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("entrypoint_first")]

PAGES = [s.url_path for s in report.SECTIONS]
AXE_OPTIONS = {"resultTypes": ["violations"]}       # every rule axe has (WCAG 2.x A/AA and best practices)
BLOCKING = {"serious", "critical"}


def axe_violations(pg) -> list[dict]:
    """The serious and critical axe violations on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe
    results = Axe().run(pg, options=AXE_OPTIONS)
    return [v for v in results.response["violations"] if v.get("impact") in BLOCKING]


def report(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({len(v['nodes'])} nodes)")
        for node in v["nodes"][:5]:
            lines.append(f"    {' '.join(map(str, node['target']))}\n      {node.get('html', '')[:160]}"
                         f"\n      {node.get('failureSummary', '')[:240]!r}")
    return "\n".join(lines)


def settled(pg) -> None:
    """Wait until the script run ended and no element is still faded as stale from the previous run."""
    wait_for_app(pg, timeout=90_000)
    pg.wait_for_function("() => !document.querySelector(\"[data-stale='true']\")")


def _check(pg, what: str) -> None:
    settled(pg)
    assert_no_exception(pg)
    found = axe_violations(pg)
    assert not found, f"axe on {what}:\n{report(found)}"


@pytest.mark.parametrize("path", PAGES)
def test_page_has_no_serious_axe_violations(server, page, path):
    page.goto(f"{server}/{path}")
    wait_for_app(page, timeout=90_000)
    _check(page, path)


def test_presenter_mode(server, page):
    page.goto(f"{server}/performance?presenter=true")
    wait_for_app(page, timeout=90_000)
    page.get_by_text("Slide 1 of").first.wait_for()
    _check(page, "presenter mode")


def test_wizard_result(server, page):
    page.goto(f"{server}/advisor")
    wait_for_app(page, timeout=90_000)
    page.locator("[class*='st-key-adv_persona_'] button").first.click()       # a persona jumps to the result
    page.locator("[data-testid='stAlertContentSuccess']").first.wait_for()
    _check(page, "the advisor's recommendation")


def test_upload_and_table_view(server, page, tmp_path):
    from openclosed import byod
    page.goto(f"{server}/data")
    wait_for_app(page, timeout=90_000)
    mine = tmp_path / "my_models.csv"
    mine.write_text(byod.template())
    page.locator("input[type='file']").set_input_files(str(mine))
    page.get_by_text("Loaded 2 model(s)").wait_for()
    _check(page, "Data & methods after an upload")


def test_bad_uploads_and_links_get_clear_messages(server, page, tmp_path):
    """A .txt file and a semicolon CSV on Data & methods; a link value no control knows on Performance."""
    from openclosed import byod
    page.goto(f"{server}/data")
    wait_for_app(page, timeout=90_000)
    assert f"{byod.MAX_MB}MB per file" in page.locator("[data-testid='stFileUploader']").inner_text()
    notes = tmp_path / "notes.txt"
    notes.write_text("hello")
    page.locator("input[type='file']").set_input_files(str(notes))
    page.get_by_text("'notes.txt' is a .txt file; upload a .csv file.").wait_for()
    semi = tmp_path / "semicolons.csv"
    semi.write_text(byod.template().replace(",", ";"))
    page.locator("input[type='file']").set_input_files(str(semi))
    page.get_by_text("Loaded 2 model(s)").wait_for()

    page.goto(f"{server}/performance?perf_metric=Nonsense")
    page.get_by_text("Link value 'Nonsense' for 'Yardstick' was not recognised; showing the default.").wait_for()
    _check(page, "Performance with an unrecognised link value")
