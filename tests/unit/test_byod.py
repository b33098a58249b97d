"""Bring-your-own-data validation: every hostile file gets a clear message naming row and column."""
from datetime import date

from hypothesis import given, settings, strategies as st

from openclosed import byod
from openclosed.export import neutralize_cell, safe_csv

TODAY = date(2026, 11, 24)
HEAD = ",".join(byod.COLUMNS) + "\n"


def parse(text: str | bytes):
    return byod.parse(text if isinstance(text, bytes) else text.encode("utf-8"), today=TODAY)


def test_template_parses():
    res = parse(byod.template())
    assert res.ok and len(res.rows) == 2
    assert list(res.rows["open_weights"]) == [True, False]
    assert res.rows.loc[0, "score"] == 42.5


def test_missing_and_unknown_columns():
    res = parse("name,score\nA,1\n")
    assert not res.ok and "Missing column(s): openness" in res.errors[0]
    res = parse(HEAD.strip() + ",colour\nA,open,2025-01-01,eci,140,1,2,red\n")
    assert "Unknown column(s): colour" in res.errors[0]


def test_text_where_numbers_belong_and_negative_prices():
    res = parse(HEAD + "A,open,2025-01-01,eci,high,1,2\nB,closed,2025-01-01,eci,140,-1,2\n")
    assert "Row 2, column score: 'high' is not a number." in res.errors
    assert "Row 3, column input_usd_per_mtok: -1 is negative; prices must be 0 or more." in res.errors


def test_future_and_unparseable_dates():
    res = parse(HEAD + "A,open,2027-01-01,eci,140,1,2\nB,open,last spring,eci,140,1,2\n")
    assert "Row 2, column release_date: 2027-01-01 is in the future." in res.errors
    assert any(e.startswith("Row 3, column release_date: 'last spring' is not a date") for e in res.errors)


def test_duplicate_names():
    res = parse(HEAD + "A,open,2025-01-01,eci,140,1,2\na,open,2025-01-01,eci,141,1,2\n")
    assert "Row 3, column name: 'a' repeats row 2." in res.errors


def test_empty_non_utf8_binary_and_oversize():
    assert "empty" in parse(b"").errors[0]
    assert "not UTF-8" in parse(HEAD.encode() + "Modèle,open,2025-01-01,eci,140,1,2\n".encode("latin-1")).errors[0]
    assert "binary" in parse(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR").errors[0]
    big = HEAD + "A,open,2025-01-01,eci,140,1,2\n" * 40_000
    assert "the limit is 1 MB" in parse(big).errors[0]


def test_100k_rows_rejected_quickly_with_a_clear_message():
    rows = "".join(f"M{i},open,2025-01-01,eci,140,1,2\n" for i in range(100_000))
    res = byod.parse((HEAD + rows).encode(), today=TODAY)
    assert not res.ok and ("limit" in res.errors[0])


def test_row_count_limit():
    rows = "".join(f"M{i},open,2025-01-01,eci,140,1,2\n" for i in range(byod.MAX_ROWS + 1))
    assert f"limit is {byod.MAX_ROWS}" in parse(HEAD + rows).errors[0]


def test_formula_cells_are_accepted_as_names_but_neutralized_on_download():
    res = parse(HEAD + "=HYPERLINK(\"x\"),open,2025-01-01,eci,140,1,2\n+cmd,closed,2025-01-01,eci,141,1,2\n"
                       "@SUM(A1),open,2025-01-01,eci,139,1,2\n-2+3,open,2025-01-01,eci,138,1,2\n")
    assert res.ok
    out = safe_csv(res.rows).decode()
    for cell in ('=HYPERLINK', '+cmd', '@SUM(A1)', '-2+3'):
        assert "'" + cell in out
    assert neutralize_cell(-3.0) == -3.0


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_give_a_result_never_an_exception(blob):
    res = byod.parse(blob, today=TODAY)
    assert res.ok or res.errors


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.text(max_size=12), min_size=7, max_size=7), min_size=1, max_size=5))
def test_any_text_rows_give_rows_or_errors(rows):
    import csv
    import io
    buf = io.StringIO()
    csv.writer(buf).writerows([byod.COLUMNS] + rows)
    res = byod.parse(buf.getvalue().encode(), today=TODAY)
    assert res.ok or all(e.startswith(("Row ", "...")) or "file" in e for e in res.errors)


def test_semicolon_and_tab_separated_files_are_read_with_decimal_commas():
    for sep in (";", "\t"):
        text = sep.join(byod.COLUMNS) + "\n" + sep.join(["A", "open", "2025-01-01", "aa_intelligence_index", "42,5",
                                                         "0,20", "1.5"]) + "\n"
        res = parse(text)
        assert res.ok, res.errors
        assert (res.rows.loc[0, "score"], res.rows.loc[0, "input_usd_per_mtok"],
                res.rows.loc[0, "output_usd_per_mtok"]) == (42.5, 0.2, 1.5)
    assert parse(byod.template().replace(",", ";")).ok


def test_wrong_file_type_is_named():
    res = byod.parse(b"hello", file_name="notes.txt")
    assert res.errors == ["'notes.txt' is a .txt file; upload a .csv file. In a spreadsheet, use Save As (or "
                          "Download) and choose 'CSV UTF-8 (comma-separated)'."]
    assert "without an extension" in byod.parse(b"x", file_name="models").errors[0]
    assert byod.parse(byod.template().encode(), file_name="Models.CSV").ok


def test_the_stated_upload_limit_is_the_one_applied():
    # the browser counts MB in 1,000,000 bytes (1,048,576 only on Windows), the server in 1,048,576: the validator
    # applies the smallest, so nothing it accepts is refused on the way and the limit reads the same everywhere
    import tomllib
    from pathlib import Path
    limit = byod.MAX_BYTES
    assert limit == byod.MAX_MB * 1_000_000
    server = tomllib.loads((Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml").read_text())
    assert server["server"]["maxUploadSize"] == byod.MAX_MB            # MiB: a little above the limit, never below
    head = HEAD.encode()
    exact = head + b"\n" * (limit - len(head))
    assert len(exact) == limit and "limit" not in " ".join(parse(exact).errors)
    over = exact + b"\n"
    assert parse(over).errors == [f"The file is {limit + 1:,} bytes; the limit is 1 MB (1,000,000 bytes)."]


def test_utf16_files_are_read_as_text():
    # Excel's "Unicode text" is UTF-16 (little-endian, with a byte-order mark) separated by tabs: before, "binary"
    text = byod.template().replace(",", "\t")
    for raw in (text.encode("utf-16"), text.encode("utf-16-le"), text.encode("utf-16-be"),
                byod.template().encode("utf-16")):
        res = parse(raw)
        assert res.ok, res.errors
        assert list(res.rows["name"]) == ["My fine-tuned model", "Vendor model X"]
    assert "binary" in parse(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR").errors[0]


def test_a_megabyte_of_blank_lines_is_answered_fast_and_blank_lines_are_skipped():
    # before: the CSV reader walked every blank line (0.7-1.8 s for a header and 999,000 newlines)
    import time
    raw = HEAD.encode() + b"\n" * (byod.MAX_BYTES - len(HEAD) - 10)
    start = time.perf_counter()
    assert parse(raw).errors == ["The file has a header but no models."]
    assert time.perf_counter() - start < 0.6
    res = parse(HEAD + "\r\n\r\n  \nA,open,2025-01-01,eci,140,1,2\r\n\n")
    assert res.ok and list(res.rows["name"]) == ["A"]
