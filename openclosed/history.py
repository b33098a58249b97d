"""The report's findings over time: one entry per published data vintage, in data/history.csv (append-only).

An entry is rows of (vintage, revision, kind, key, label, value):
- kind `source`: each source's snapshot date (key = source);
- kind `headline`: the Overview's headline numbers at default settings (key = label = the number's label);
- kind `verdict`: each claim's verdict (key = claim id, label = the claim);
- kind `model_added` / `model_removed`: catalog models new or gone since the previous build (label = name).
A rebuild on the same vintage with the same findings adds nothing; with other findings it adds a new revision.
Past rows are never rewritten (`append` checks it). `since` compares the entry a link was made on with today's.
"""
from __future__ import annotations

import dataclasses

import pandas as pd

from openclosed.vintage import Vintage

COLUMNS = ["vintage", "revision", "kind", "key", "label", "value"]
KINDS = ("source", "headline", "verdict", "model_added", "model_removed")
_CONTENT = ["kind", "key", "label", "value"]


class HistoryRewritten(ValueError):
    """A build tried to change or drop a past history row."""


def empty() -> pd.DataFrame:
    return pd.DataFrame(columns=COLUMNS).astype({"revision": int})


def entry(vintage: Vintage, numbers: list[dict], claims: list[dict],
          prev_models: pd.DataFrame | None, cur_models: pd.DataFrame) -> pd.DataFrame:
    """This build's findings as history rows (revision 0 until `append` numbers it)."""
    rows = [("source", key, key, date) for key, date in vintage.sources]
    rows += [("headline", str(n["label"]), str(n["label"]), str(n["value"])) for n in numbers]
    rows += [("verdict", str(c["claim_id"]), str(c["claim"]), str(c["verdict"])) for c in claims]
    if prev_models is not None:
        before = dict(zip(prev_models["model_id"].astype(str), prev_models["name"].astype(str)))
        now = dict(zip(cur_models["model_id"].astype(str), cur_models["name"].astype(str)))
        rows += [("model_added", m, now[m], "") for m in sorted(set(now) - set(before))]
        rows += [("model_removed", m, before[m], "") for m in sorted(set(before) - set(now))]
    df = pd.DataFrame(rows, columns=_CONTENT)
    return df.assign(vintage=vintage.date, revision=0)[COLUMNS]


def _latest(history: pd.DataFrame, vintage: str) -> pd.DataFrame:
    mine = history[history["vintage"] == vintage]
    return mine[mine["revision"] == mine["revision"].max()] if len(mine) else mine


def _findings(df: pd.DataFrame) -> set[tuple]:
    """What an entry says, apart from the models that came and went (those depend on the build compared with)."""
    df = df[df["kind"].isin(["source", "headline", "verdict"])]
    return set(df[_CONTENT].astype(str).itertuples(index=False, name=None))


def append(history: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """History plus this build's entry: nothing when its vintage's latest entry says the same, else a new revision."""
    vintage = str(new["vintage"].iloc[0])
    latest = _latest(history, vintage)
    if len(latest) and _findings(latest) == _findings(new):
        return history
    revision = int(latest["revision"].max()) + 1 if len(latest) else 1
    out = pd.concat([history, new.assign(revision=revision)], ignore_index=True)
    check_append_only(history, out)
    return sort(out)


def sort(history: pd.DataFrame) -> pd.DataFrame:
    return history.sort_values(["vintage", "revision", "kind", "key"], kind="mergesort").reset_index(drop=True)


def check_append_only(old: pd.DataFrame, new: pd.DataFrame) -> None:
    """Raise HistoryRewritten when a row of `old` is missing or changed in `new`."""
    rows = lambda df: set(df[COLUMNS].astype(str).itertuples(index=False, name=None))  # noqa: E731
    lost = rows(old) - rows(new)
    if lost:
        raise HistoryRewritten(f"data/history.csv is append-only; {len(lost)} past rows would change, e.g. "
                               f"{sorted(lost)[0]}")


@dataclasses.dataclass(frozen=True)
class Since:
    then: str                       # the vintage of the entry the link was made on
    now: str                        # the current vintage
    headlines: list[dict]           # label, then, now (every headline number; `changed` marks those that moved)
    verdicts_flipped: list[dict]    # claim, then, now
    models_added: list[str]         # names, in the builds after the link's vintage up to now
    models_removed: list[str]


def entry_for(history: pd.DataFrame, vintage: str) -> pd.DataFrame:
    """The entry that was current on `vintage`: the latest revision of the newest vintage not after it."""
    known = sorted(v for v in set(history["vintage"].astype(str)) if v <= vintage)
    return _latest(history, known[-1]) if known else history.iloc[0:0]


def since(history: pd.DataFrame, link: str, current: str) -> Since | None:
    """What changed between the data a link was made on and the current data; None when the history holds no entry
    for one of them or the link is not older."""
    then, now = entry_for(history, link), _latest(history, current)
    if not len(then) or not len(now) or str(then["vintage"].iloc[0]) >= current:
        return None
    pick = lambda df, kind: {r.key: (r.label, r.value) for r in df[df["kind"] == kind].itertuples()}  # noqa: E731
    h_then, h_now = pick(then, "headline"), pick(now, "headline")
    headlines = [{"label": label, "then": h_then.get(k, ("", "not computed"))[1], "now": value,
                  "changed": h_then.get(k, ("", None))[1] != value} for k, (label, value) in h_now.items()]
    v_then, v_now = pick(then, "verdict"), pick(now, "verdict")
    flipped = [{"claim": label, "then": v_then[k][1], "now": value}
               for k, (label, value) in v_now.items() if k in v_then and v_then[k][1] != value]
    between = history[(history["vintage"] > str(then["vintage"].iloc[0])) & (history["vintage"] <= current)]
    names = lambda kind: sorted(set(between.loc[between["kind"] == kind, "label"].astype(str)))  # noqa: E731
    return Since(str(then["vintage"].iloc[0]), current, headlines, flipped, names("model_added"),
                 names("model_removed"))
