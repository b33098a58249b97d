"""AppTest: the Data & methods page lists every table with provenance and schema."""
from openclosed import tables
from tests.app.conftest import open_page


def _app():
    return open_page("pages/data.py")


def test_lists_every_table_with_rows_and_sources():
    at = _app()
    assert not at.exception
    summary = at.dataframe[0].value
    prov = tables.provenance()
    assert sorted(summary["table"]) == sorted(prov)
    for name, p in prov.items():
        row = summary[summary["table"] == name].iloc[0]
        assert row["rows"] == p["rows"]
    labels = [e.label for e in at.expander]
    assert any(label.startswith("**models**") for label in labels)
    text = " ".join(m.value for m in at.markdown)
    assert "CC BY 4.0" in text and "Cite as" in text


def test_coverage_table_shown():
    at = _app()
    cov = next(d.value for d in at.dataframe if "matched_elsewhere" in d.value.columns)
    assert {"source", "mentions", "matched_elsewhere"} <= set(cov.columns)
    assert (cov["matched_elsewhere"] <= cov["mentions"]).all()


def test_upload_ui_present_with_template():
    at = _app()
    labels = [b.label for b in at.get("download_button")]
    assert "Download the template (CSV)" in labels


def test_find_a_model_shows_organization_date_source_and_weights_evidence():
    at = _app()
    text = " ".join(m.value for m in at.markdown)
    assert "**Organization:** DeepSeek (company, China)" in text
    assert "**Date:** Released" in text and "states" in text
    assert "Evidence the weights were released:" in text
