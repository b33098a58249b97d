"""Bring your own data: validate a reader's CSV of models, with messages that say what and where.

Format (one row per model; `template()` gives an example file):
    name, openness (open|closed), release_date (YYYY-MM-DD), metric, score, input_usd_per_mtok, output_usd_per_mtok
`metric` is one of METRICS (the metric the score is on). Prices may be empty when unknown.
Every problem found is reported with its row (as numbered in a spreadsheet: the header is row 1)
and column. A file with any problem is rejected whole, so nothing half-valid reaches the charts.
"""
from __future__ import annotations

import csv
import dataclasses
import io
import math
from datetime import date

import pandas as pd

COLUMNS = ["name", "openness", "release_date", "metric", "score", "input_usd_per_mtok", "output_usd_per_mtok"]
NUMBER_COLUMNS = ("score", "input_usd_per_mtok", "output_usd_per_mtok")
METRICS = {"eci": (0, 300), "aa_intelligence_index": (0, 100)}
MAX_MB = 1                     # a few thousand rows is plenty for "your models"; the uploader states the same limit
# One limit, in bytes, for the browser, the server and this validator. Streamlit's uploader counts a megabyte as
# 1,000,000 bytes in the browser (1,048,576 on Windows) and the server as 1,048,576 (server.maxUploadSize is in
# MiB): the smallest of these is the limit, so a file the validator accepts passes every browser and the server,
# and a file between the two is refused here with the same words the uploader shows.
MAX_BYTES = MAX_MB * 1_000_000
DELIMITERS = {",": "commas", ";": "semicolons", "\t": "tabs"}
MAX_ROWS = 500
MAX_NAME = 80
MAX_PRICE = 10_000.0


@dataclasses.dataclass
class Result:
    rows: pd.DataFrame            # the valid models (empty when there are errors)
    errors: list[str]             # what is wrong and where; empty when the file is good

    @property
    def ok(self) -> bool:
        return not self.errors


def template() -> str:
    """An example file: two made-up model NAMES with scores and prices you replace with your own."""
    return (",".join(COLUMNS) + "\n"
            "My fine-tuned model,open,2026-05-01,aa_intelligence_index,42.5,0.20,0.80\n"
            "Vendor model X,closed,2026-03-15,aa_intelligence_index,55,1.25,10\n")


def _fail(errors: list[str]) -> Result:
    return Result(pd.DataFrame(columns=COLUMNS), errors)


def check_file_name(file_name: str) -> str | None:
    """A message when the file is not a .csv by its name (None when it is)."""
    suffix = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    if suffix == "csv":
        return None
    kind = f"a .{suffix[:10]} file" if suffix else "a file without an extension"
    return (f"'{file_name[:60]}' is {kind}; upload a .csv file. In a spreadsheet, use Save As (or Download) "
            "and choose 'CSV UTF-8 (comma-separated)'.")


def _delimiter(header_line: str) -> str:
    """The separator that splits the header into the expected columns (commas when none does)."""
    for sep in DELIMITERS:
        if {h.strip().strip('"').lower() for h in header_line.split(sep)} >= set(COLUMNS):
            return sep
    return ","


def parse(raw: bytes, today: date | None = None, file_name: str | None = None) -> Result:
    """Validate uploaded bytes; return the models or every problem found (row and column named).
    Commas, semicolons or tabs may separate the columns (spreadsheets in many locales save with ';',
    and then write decimals with a comma: 0,20 is read as 0.20)."""
    today = today or date.today()
    if file_name is not None and (msg := check_file_name(file_name)):
        return _fail([msg])
    if len(raw) == 0:
        return _fail(["The file is empty. Download the template to see the expected columns."])
    if len(raw) > MAX_BYTES:
        return _fail([f"The file is {len(raw):,} bytes; the limit is {MAX_MB} MB ({MAX_BYTES:,} bytes)."])
    text = _utf16(raw)          # Excel's "Unicode text" and some exports: UTF-16, read as it is
    if text is None:
        if b"\x00" in raw[:4096]:
            return _fail(["This is not a text CSV file (it contains binary data). Save it as CSV (UTF-8)."])
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            return _fail([f"The file is not UTF-8 text (bad byte at position {err.start}). "
                          "Save it as 'CSV UTF-8' and upload again."])
    # Blank lines are dropped before the CSV reader sees them (C-speed split and filter): a file of a header and a
    # megabyte of newlines took the reader 0.7-1.7 s, inside the one-run-at-a-time turn.
    text = "\n".join(filter(str.strip, text.replace("\r\n", "\n").replace("\r", "\n").split("\n")))
    sep = _delimiter(text.split("\n", 1)[0])
    try:
        reader = list(csv.reader(io.StringIO(text), delimiter=sep))
    except csv.Error as err:
        return _fail([f"The file is not valid CSV: {err}."])
    reader = [r for r in reader if any(cell.strip() for cell in r)]
    if not reader:
        return _fail(["The file has no rows. Download the template to see the expected columns."])
    header = [h.strip().lower() for h in reader[0]]
    missing = [c for c in COLUMNS if c not in header]
    unknown = [h for h in header if h not in COLUMNS]
    if missing or unknown:
        msg = []
        if missing:
            msg.append(f"Missing column(s): {', '.join(missing)}.")
        if unknown:
            msg.append(f"Unknown column(s): {', '.join(h[:40] for h in unknown[:10])}.")
        return _fail([" ".join(msg) + f" Expected exactly: {', '.join(COLUMNS)}, separated by commas "
                      "(semicolons or tabs also work)."])
    body = reader[1:]
    if not body:
        return _fail(["The file has a header but no models."])
    if len(body) > MAX_ROWS:
        return _fail([f"The file has {len(body):,} rows; the limit is {MAX_ROWS}."])

    errors: list[str] = []
    rows = []
    seen: dict[str, int] = {}
    for i, cells in enumerate(body, start=2):
        if len(cells) != len(header):
            errors.append(f"Row {i}: has {len(cells)} cells, the header has {len(header)}.")
            continue
        rec = {h: c.strip() for h, c in zip(header, cells)}
        if sep != ",":                     # decimal commas go with ';' and tab separators: 0,20 -> 0.20
            rec = {h: _decimal_point(c) if h in NUMBER_COLUMNS else c for h, c in rec.items()}
        row = {}
        name = rec["name"]
        if not name:
            errors.append(f"Row {i}, column name: empty.")
        elif len(name) > MAX_NAME:
            errors.append(f"Row {i}, column name: longer than {MAX_NAME} characters.")
        elif name.lower() in seen:
            errors.append(f"Row {i}, column name: '{name[:40]}' repeats row {seen[name.lower()]}.")
        else:
            seen[name.lower()] = i
        row["name"] = name
        openness = rec["openness"].lower()
        if openness not in {"open", "closed"}:
            errors.append(f"Row {i}, column openness: '{rec['openness'][:20]}' is not 'open' or 'closed'.")
        row["openness"] = openness
        try:
            d = date.fromisoformat(rec["release_date"])
            if d > today:
                errors.append(f"Row {i}, column release_date: {d} is in the future.")
            elif d.year < 2015:
                errors.append(f"Row {i}, column release_date: {d} is before 2015.")
            row["release_date"] = d.isoformat()
        except ValueError:
            errors.append(f"Row {i}, column release_date: '{rec['release_date'][:20]}' is not a date "
                          "(use YYYY-MM-DD).")
        metric = rec["metric"]
        if metric not in METRICS:
            errors.append(f"Row {i}, column metric: '{metric[:30]}' is not one of {', '.join(METRICS)}.")
        row["metric"] = metric
        score = _number(rec["score"])
        if score is None:
            errors.append(f"Row {i}, column score: '{rec['score'][:20]}' is not a number.")
        elif metric in METRICS and not METRICS[metric][0] <= score <= METRICS[metric][1]:
            lo, hi = METRICS[metric]
            errors.append(f"Row {i}, column score: {score:g} is outside {lo}-{hi} for {metric}.")
        row["score"] = score
        for col in ("input_usd_per_mtok", "output_usd_per_mtok"):
            if rec[col] == "":
                row[col] = float("nan")
                continue
            price = _number(rec[col])
            if price is None:
                errors.append(f"Row {i}, column {col}: '{rec[col][:20]}' is not a number.")
            elif price < 0:
                errors.append(f"Row {i}, column {col}: {price:g} is negative; prices must be 0 or more.")
            elif price > MAX_PRICE:
                errors.append(f"Row {i}, column {col}: {price:g} is above {MAX_PRICE:g} USD per million tokens.")
            row[col] = price
        rows.append(row)
    if errors:
        shown = errors[:20]
        if len(errors) > 20:
            shown.append(f"... and {len(errors) - 20} more problems.")
        return _fail(shown)
    df = pd.DataFrame(rows, columns=COLUMNS)
    df["open_weights"] = df["openness"] == "open"
    return Result(df, [])


def _utf16(raw: bytes) -> str | None:
    """The text of a UTF-16 file (with a byte-order mark, or ASCII-range text with every other byte zero, as Excel's
    "Unicode text" writes it); None when the file is not UTF-16."""
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        encoding = "utf-16"
    else:
        head = raw[:4096]
        even, odd = head[0::2], head[1::2]
        if len(head) < 4 or not (odd.count(0) > 0.9 * len(odd) or even.count(0) > 0.9 * len(even)):
            return None
        encoding = "utf-16-le" if odd.count(0) > even.count(0) else "utf-16-be"
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError:
        return None


def _decimal_point(text: str) -> str:
    return text.replace(",", ".") if text.count(",") == 1 and "." not in text else text


def _number(text: str) -> float | None:
    try:
        value = float(text.replace(",", "")) if text.count(",") and "." in text else float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def to_key(df: pd.DataFrame | None) -> tuple:
    """The reader's models as a hashable tuple of rows (COLUMNS order, NaN as None): a cache key that
    changes whenever a row does. Empty tuple when there are none."""
    if df is None or len(df) == 0:
        return ()
    d = df.reindex(columns=COLUMNS)
    d = d.astype(object).where(pd.notna(d), None)
    return tuple(tuple(r) for r in d.itertuples(index=False, name=None))


def from_key(key: tuple) -> pd.DataFrame:
    """Inverse of ``to_key``: the models as a DataFrame with COLUMNS plus open_weights."""
    df = pd.DataFrame(list(key), columns=COLUMNS)
    for col in ("score", "input_usd_per_mtok", "output_usd_per_mtok"):
        df[col] = pd.to_numeric(df[col], errors="coerce")
    df["open_weights"] = df["openness"].astype(str).str.lower() == "open"
    return df
