"""Readable model labels for charts and prose: the catalog's display name, with the checkpoint's month when
the source names a dated checkpoint (``gpt-5.4-pro-2026-03-05`` -> "GPT-5.4 Pro (Mar 2026)")."""
from __future__ import annotations

import functools
import os
import re

import pandas as pd

_DATE = re.compile(r"(20\d{2})-?(0[1-9]|1[0-2])-?([0-2]\d|3[01])(?!\d)")
_MONTH_YEAR = re.compile(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* (19|20)\d{2}\b")

_WORDS = {"it": "instruct", "fp8": "FP8"}


@functools.lru_cache(maxsize=8192)
def checkpoint_date(source_id: str) -> pd.Timestamp | None:
    """The date written into a source's id (2026-03-05 or 20240229), or None."""
    m = _DATE.search(str(source_id))
    if not m:
        return None
    ts = pd.to_datetime("-".join(m.groups()), errors="coerce")
    return None if pd.isna(ts) else ts


def model_labels(names: pd.Series, source_ids: pd.Series) -> pd.Series:
    """One readable label per row: the catalog name (falling back to the source id), plus "(Mon YYYY)" when the
    source id carries a checkpoint date the name does not already show. Distinct source ids that would still
    share a label get what tells their ids apart ("instruct", "web app") or "entry 2", so two checkpoints never
    merge into one point."""
    names = names.where(names.notna() & (names.astype(str).str.strip() != ""), source_ids).astype(str)
    sids = source_ids.astype(str)
    return pd.Series(_labels(tuple(names), tuple(sids)), index=names.index)


@functools.lru_cache(maxsize=64)
def _labels(names: tuple[str, ...], sids: tuple[str, ...]) -> list[str]:
    """model_labels on plain tuples, remembered: every section labels the same catalog rows many times."""
    names, sids = pd.Series(names, dtype=object), pd.Series(sids, dtype=object)
    out = []
    for name, sid in zip(names, sids):
        ts = checkpoint_date(sid)
        out.append(f"{name} ({ts.strftime('%b %Y')})" if ts is not None and not _MONTH_YEAR.search(name)
                   else name)
    lab = pd.Series(out, index=names.index)
    pairs = pd.DataFrame({"lab": lab, "sid": sids}).drop_duplicates()
    pairs = pairs.assign(n=pairs["sid"].str.len()).sort_values(["lab", "n", "sid"])
    rename = {}
    for label, grp in pairs.groupby("lab"):
        ids, used = list(grp["sid"]), {label}
        for k, sid in enumerate(ids[1:], start=2):            # the shortest id keeps the plain label
            rest = sid.lower()[len(os.path.commonprefix([ids[0].lower(), sid.lower()])):]
            words = [_WORDS.get(w, w) for w in re.split(r"[-_ ]+", rest) if w and w not in ("hf",)]
            word = " ".join(words)
            for w in (word, f"entry {k}"):                   # "entry k": the same name listed twice
                new = f"{label[:-1]}, {w})" if label.endswith(")") else f"{label} ({w})"
                if re.search(r"[a-z]{2}", w, re.I) and new not in used:
                    break
            used.add(new)
            rename[(label, sid)] = new
    return [rename.get((l, i), l) for l, i in zip(lab, sids)]
