"""How old each source's data is, computed from what its loader read (never typed): the newest snapshot it
holds and the newest date its rows reach. The build writes these to data/source_dates.csv and provenance.json;
card source lines, page data-age notes and the Overview read them."""
from __future__ import annotations

import re

import pandas as pd

from pipeline.common import SourceOutput

_ISO = re.compile(r"(\d{4}-\d{2}-\d{2})$")
SNAPSHOT_COLUMNS = ("snapshot", "as_of")                        # when the source was read
DATE_COLUMNS = ("date", "release_date", "published", "last_seen", "last_date")   # dates rows describe


def _dates(values) -> list[str]:
    out = []
    for v in pd.Series(values, dtype=object).dropna().astype(str):
        m = _ISO.search(v.strip())
        if m:
            out.append(m.group(1))
    return out


def _frames(out: SourceOutput) -> list[pd.DataFrame]:
    return [df for df in (out.mentions, out.scores, out.prices, *out.extra.values()) if df is not None]


def source_dates(source: str, out: SourceOutput) -> dict:
    """{'source', 'snapshot', 'data_ends', 'snapshots'}: ``snapshot`` is the newest snapshot or price date the
    source's rows carry; ``data_ends`` the newest date its rows describe, never past the newest snapshot (a
    leaderboard's newest rows end on its snapshot date). A source without snapshots ends at its newest row."""
    snaps = sorted({d for df in _frames(out) for c in SNAPSHOT_COLUMNS if c in df for d in _dates(df[c])})
    rows = sorted({d for df in _frames(out) for c in DATE_COLUMNS if c in df for d in _dates(df[c])})
    newest = snaps[-1] if snaps else (rows[-1] if rows else "")
    ends = max([d for d in rows if d <= newest] + ([newest] if snaps else []), default=newest)
    return {"source": source, "snapshot": newest, "data_ends": ends, "snapshots": ";".join(snaps)}


def table(outputs: dict[str, SourceOutput]) -> pd.DataFrame:
    return pd.DataFrame([source_dates(s, o) for s, o in sorted(outputs.items())],
                        columns=["source", "snapshot", "data_ends", "snapshots"])
