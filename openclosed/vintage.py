"""The data vintage: which data a link, an export or a slide was made on.

A build's vintage is the newest snapshot date among its sources (data/source_dates.csv; the report's own curated
tables do not count), together with each source's snapshot date. A link carries it as `v=YYYY-MM-DD`.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pandas as pd

PARAM = "v"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
NOT_COUNTED = {"curated"}       # the report's own curated rows: edited by hand, not a snapshot of the world


@dataclasses.dataclass(frozen=True)
class Vintage:
    date: str                                 # the newest source snapshot, YYYY-MM-DD
    sources: tuple[tuple[str, str], ...]      # (source key, its snapshot date), sorted by key

    def line(self) -> str:
        """One line for a footer or a file header."""
        return f"data vintage {self.date} ({PARAM}={self.date})"



def of(source_dates: pd.DataFrame) -> Vintage:
    """The vintage of a build from its source_dates table (source, snapshot)."""
    rows = [(str(s), str(d)) for s, d in zip(source_dates["source"], source_dates["snapshot"])
            if parse(str(d)) is not None]
    counted = [d for s, d in rows if s not in NOT_COUNTED]
    if not counted:
        raise ValueError("no source has a snapshot date: the data has no vintage")
    return Vintage(max(counted), tuple(sorted(rows)))


def parse(value: object) -> str | None:
    """A link's vintage as an ISO date, or None when it is missing or malformed (never raises)."""
    if isinstance(value, (list, tuple)):
        value = value[0] if value else None
    if not isinstance(value, str) or not _DATE.match(value.strip()):
        return None
    try:
        return dt.date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        return None


