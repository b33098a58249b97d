"""Provenance of each raw source: origin, license and the citation to show, as the build wrote them.

Each source is declared once, in its pipeline module's ``SPEC`` (pipeline/sources.py lists them); the build writes
name, licence, citation and dates into data/provenance.json, and the app reads them from there (it never imports
the pipeline). ``snapshot`` is the newest snapshot a source holds and ``data_ends`` the newest date its rows reach
(computed by the build, data/source_dates.csv); a source whose rows carry no date keeps its declared snapshot."""
from __future__ import annotations

import json
from pathlib import Path

PROVENANCE = Path(__file__).resolve().parent.parent / "data" / "provenance.json"


def from_provenance(path: Path = PROVENANCE) -> dict[str, dict[str, str]]:
    """Every source the built tables draw on: {id: {name, license, citation, snapshot, data_ends[, reference]}}."""
    try:
        tables = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise RuntimeError(f"{path} is missing or unreadable ({err}); run `python -m pipeline.build`") from None
    out: dict[str, dict[str, str]] = {}
    for table in tables.values():
        for src in table.get("sources", []):
            entry = {k: v for k, v in src.items() if k != "id"}
            entry.setdefault("data_ends", entry.get("snapshot", ""))
            out.setdefault(src["id"], entry)
    return out


SOURCES: dict[str, dict[str, str]] = from_provenance()
