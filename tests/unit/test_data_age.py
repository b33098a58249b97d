"""Every page says how old its data is: the newest date of each source behind the tables it reads."""
import pytest

from openclosed import report, tables
from openclosed.sources import SOURCES


@pytest.mark.parametrize("section", report.SECTIONS, ids=lambda s: s.key)
def test_every_page_names_each_source_it_uses_with_the_date_its_data_end(section):
    prov = tables.provenance()
    rows = report.data_age(section.url_path, prov)
    assert rows, f"{section.url_path} states no data age"
    used = {src["id"] for t in section.tables if t not in report.CATALOG_TABLES for src in prov[t]["sources"]
            if not SOURCES[src["id"]].get("reference")}           # fixed reference figures do not age
    assert {r["id"] for r in rows} == (used or {r["id"] for r in rows})
    for r in rows:
        assert r["data_ends"] == SOURCES[r["id"]]["data_ends"]      # one date per source, the build's
    assert [r["data_ends"] for r in rows] == sorted((r["data_ends"] for r in rows), reverse=True)
    text = report.data_age_text(rows)
    assert all(r["data_ends"] in text for r in rows)


def test_a_source_date_is_computed_by_the_build_not_typed():
    dates = tables.read("source_dates").set_index("source")
    scores = tables.read("scores")
    eci = scores[(scores["metric"] == "eci") & (scores["source"] == "eci")]
    assert dates.loc["eci", "snapshot"] == max(eci["snapshot"])
    aa = scores[scores["source"] == "artificial_analysis"]
    assert dates.loc["artificial_analysis", "snapshot"] == max(aa["snapshot"])
    est = scores[scores["source"] == "eci_stitched"]
    assert dates.loc["eci_stitched", "data_ends"] == max(est["date"])


def test_the_default_page_at_the_root_states_its_data_age_too():
    default = next(s for s in report.SECTIONS if s.default)
    assert report.data_age("", tables.provenance()) == report.data_age(default.url_path, tables.provenance())


@pytest.mark.parametrize("section", report.SECTIONS, ids=lambda s: s.key)
def test_the_dateline_is_one_short_line_naming_the_newest_and_oldest_data_end(section):
    rows = report.data_age(section.url_path, tables.provenance())
    line = report.data_age_summary(rows)
    assert line.startswith(f"Data to {rows[0]['data_ends']}")
    assert rows[-1]["data_ends"] in line
    if rows[-1]["data_ends"] != rows[0]["data_ends"]:
        assert f"{len(rows)} sources" in line
    assert len(line) <= 90
