"""The sentence that dates a data changelog (shown on Data & methods and written to data/changelog.md).

Two builds of the same source snapshot (a rebuild after a code or curation change) carry the same snapshot date;
saying "previous snapshot X, current snapshot X" then reads like a mistake, so the sentence says what happened."""
from __future__ import annotations


def snapshot_sentence(log: dict, bold: bool = True) -> str:
    """'Previous snapshot: **A** · current snapshot: **B**.' or, when both are the same date, that the refresh
    rebuilt the tables from the same source snapshot."""
    before = (log.get("previous") or {}).get("snapshot_date") or ""
    after = (log.get("current") or {}).get("snapshot_date") or ""
    b = "**" if bold else ""
    if before and before == after:
        return (f"Both builds are of the source snapshot of {b}{after}{b}: the last refresh rebuilt the tables from "
                "the same source data (a code or curation change), so what changed below comes from the rebuild, "
                "not from newer sources.")
    return f"Previous snapshot: {b}{before or 'none'}{b} · current snapshot: {b}{after or 'unknown'}{b}."
