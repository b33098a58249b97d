"""Browser journeys against the real server: every page renders, downloads work, screenshots saved."""
import pytest

from tests.browser.app_utils import assert_no_exception, open_app, shot

pytestmark = pytest.mark.browser


def test_data_methods_lists_every_table_and_downloads(server, page):
    open_app(page, server + "/data")
    assert_no_exception(page)
    page.get_by_text("Data & methods").first.wait_for()
    body = page.locator("[data-testid='stMain']").inner_text()
    for table in ("models", "scores", "epoch_models"):
        assert table in body
    page.locator("summary", has_text="Model catalog").click()
    with page.expect_download() as dl:
        page.get_by_role("button", name="Download models.csv").click()
    path = dl.value.path()
    head = open(path, encoding="utf-8").readline()
    assert head.startswith("model_id,name,")
    shot(page, "data_methods")


def test_upload_bad_then_good_csv(server, page, tmp_path):
    from openclosed import byod
    open_app(page, server + "/data")
    bad = tmp_path / "bad.csv"
    bad.write_text(",".join(byod.COLUMNS) + "\nMine,open,2025-01-01,eci,lots,1,-2\n")
    page.locator("input[type='file']").set_input_files(str(bad))
    page.get_by_text("This file was not loaded").wait_for()
    # reader text is shown as text: an invisible word joiner keeps ':' from turning into a link (openclosed.text)
    body = page.locator("[data-testid='stMain']").inner_text().replace("\u2060", "")
    assert "Row 2, column score: 'lots' is not a number." in body
    assert "Row 2, column output_usd_per_mtok: -2 is negative" in body
    assert_no_exception(page)
    good = tmp_path / "good.csv"
    good.write_text(byod.template())
    page.locator("input[type='file']").set_input_files(str(good))
    page.get_by_text("Loaded 2 model(s)").wait_for()
    assert_no_exception(page)
    shot(page, "data_upload")
