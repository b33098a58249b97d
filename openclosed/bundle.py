"""Data bundles: a zip with the rows, `metadata.json` (columns and units, sources with licences, method, settings,
data vintage, link) and a short README, for one chart card or for all of the report's tables."""
from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Mapping

import pandas as pd

from openclosed.cards import ChartCard
from openclosed.export import file_stem, safe_csv
from openclosed.sources import SOURCES
from openclosed.vintage import Vintage

# A column's unit from how its name ends (the report's naming convention); '' when the name does not say.
UNITS = (("_usd_per_mtok", "USD per million tokens"), ("_usd_per_task", "USD per task"), ("_usd", "USD"),
         ("_months", "months"), ("_pct", "percent"), ("_share", "share (0-1)"), ("_date", "date (YYYY-MM-DD)"),
         ("date", "date (YYYY-MM-DD)"), ("as_of", "date (YYYY-MM-DD)"), ("_b", "billions"))


def unit(column: str) -> str:
    return next((u for end, u in UNITS if column.endswith(end)), "")


def _titles(node, out: dict[str, str]) -> dict[str, str]:
    """Every encoding's field -> its axis or legend title, anywhere in a Vega-Lite spec."""
    if isinstance(node, dict):
        field, title = node.get("field"), node.get("title")
        if isinstance(field, str) and isinstance(title, str) and field not in out:
            out[field] = title
        for value in node.values():
            _titles(value, out)
    elif isinstance(node, list):
        for value in node:
            _titles(value, out)
    return out


def columns(df: pd.DataFrame, spec: dict | None = None) -> list[dict]:
    titles = _titles(spec or {}, {})
    return [{"name": str(c), "type": str(df[c].dtype), "unit": unit(str(c)), "chart_title": titles.get(str(c), "")}
            for c in df.columns]


def source_entry(key: str) -> dict:
    s = SOURCES[key]
    return {"id": key, "name": s["name"], "license": s["license"], "citation": s["citation"],
            "snapshot": s["snapshot"], "data_ends": s.get("data_ends", s["snapshot"])}


def _vintage(v: Vintage) -> dict:
    return {"date": v.date, "link_parameter": f"v={v.date}", "sources": dict(v.sources)}


def _readme(title: str, files: list[str], v: Vintage, link: str, sources: list[dict]) -> str:
    lines = [f"# {title}", "", f"Data vintage {v.date} (the newest source snapshot; each source's own date is in "
             "metadata.json).", f"View it: {link}" if link else "", "", "## Files",
             *(f"- {f}" for f in files), "- metadata.json: columns and units, sources with licences, method, settings,"
             " vintage", "", "## Credit the data's producers"]
    lines += [f"- {s['citation']} ({s['license']})" for s in sources]
    lines += ["", "Cells that a spreadsheet would run as a formula start with an apostrophe.", ""]
    return "\n".join(lines)


def _zip(files: Mapping[str, bytes | str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in files.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))    # the same bundle gives the same bytes
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, content)
    return buf.getvalue()


def card_metadata(card: ChartCard, v: Vintage, link: str = "") -> dict:
    return {"title": card.title, "subtitle": card.subtitle, "card": card.key, "page": card.page,
            "settings": card.settings or "defaults", "method": card.method, "alt_text": card.alt,
            "rows": int(len(card.data)), "columns": columns(card.data, card.spec),
            "sources": [source_entry(k) for k in dict.fromkeys(card.sources)], "vintage": _vintage(v), "link": link}


def card_bundle(card: ChartCard, v: Vintage, link: str = "") -> bytes:
    """The zip for one card: its rows as CSV, metadata.json and README.md."""
    meta = card_metadata(card, v, link)
    rows = f"{file_stem(card)}.csv"
    return _zip({rows: safe_csv(card.data), "metadata.json": json.dumps(meta, indent=1, ensure_ascii=False),
                 "README.md": _readme(card.title, [f"{rows}: the rows the chart draws"], v, link, meta["sources"])})


def report_bundle(tables: Mapping[str, pd.DataFrame], provenance: Mapping[str, dict], v: Vintage,
                  link: str = "") -> bytes:
    """The zip for the whole report: every table as CSV, with each table's description, columns and sources."""
    meta_tables, used = {}, {}
    for name, df in tables.items():
        prov = provenance.get(name, {})
        srcs = [source_entry(s["id"]) if s.get("id") in SOURCES else s for s in prov.get("sources", [])]
        used.update({s.get("id", s.get("name")): s for s in srcs})
        meta_tables[name] = {"file": f"{name}.csv", "description": prov.get("description", ""),
                             "key": prov.get("key", []), "rows": int(len(df)), "columns": columns(df),
                             "sources": [s.get("id", s.get("name")) for s in srcs]}
    meta = {"title": "Open vs Closed AI: the report's tables", "tables": meta_tables,
            "sources": list(used.values()), "vintage": _vintage(v), "link": link}
    files: dict[str, bytes | str] = {f"{n}.csv": safe_csv(df) for n, df in tables.items()}
    files["metadata.json"] = json.dumps(meta, indent=1, ensure_ascii=False)
    files["README.md"] = _readme(meta["title"], [f"{n}.csv: {t['description']}" for n, t in meta_tables.items()],
                                 v, link, meta["sources"])
    return _zip(files)
