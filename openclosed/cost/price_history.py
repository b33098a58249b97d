"""Price over time: OpenRouter's listed prices as a step function, the cheapest price to reach a capability level
day by day, its notable cuts and the price events near them."""
from __future__ import annotations

import numpy as np
import pandas as pd

from openclosed.cost.market import METRIC, classify
from openclosed.cost.primitives import blended_price


def _openrouter_map(models: pd.DataFrame, open_rule: str) -> pd.DataFrame:
    cls = classify(models, open_rule)
    m = models[["model_id", "id_openrouter"]].dropna(subset=["id_openrouter"])
    m = m[m["id_openrouter"].astype(str) != ""]
    m = m.assign(source_id=m["id_openrouter"].astype(str).str.split(";")).explode("source_id")
    return m.merge(cls[["model_id", "name", "open", "group"]], on="model_id")[
        ["source_id", "model_id", "name", "open", "group"]]


def price_intervals(models: pd.DataFrame, price_history: pd.DataFrame, ratio: float = 3.0,
                    open_rule: str = "any") -> pd.DataFrame:
    """OpenRouter prices as intervals [start, end) per listing, blended, with the catalog model and group.

    A price holds from its change point to the next one, or to the day after the listing was last seen.
    Zero prices (free promotions) are dropped: they are not a market price."""
    idmap = _openrouter_map(models, open_rule)
    h = price_history.merge(idmap, on="source_id", how="inner").copy()
    if h.empty:
        return pd.DataFrame(columns=["source_id", "model_id", "name", "open", "group", "start", "end", "blended"])
    h["start"] = pd.to_datetime(h["date"])
    h = h.sort_values(["source_id", "start"], kind="mergesort")
    nxt = h.groupby("source_id")["start"].shift(-1)
    h["end"] = nxt.fillna(pd.to_datetime(h["last_seen"]) + pd.Timedelta(days=1))
    h["blended"] = blended_price(h["input_usd_per_mtok"].to_numpy(), h["output_usd_per_mtok"].to_numpy(), ratio)
    h = h[(h["blended"] > 0) & (h["end"] > h["start"])]
    return h[["source_id", "model_id", "name", "open", "group", "start", "end", "blended",
              "input_usd_per_mtok", "output_usd_per_mtok"]].reset_index(drop=True)


def price_over_time(models: pd.DataFrame, scores: pd.DataFrame, price_history: pd.DataFrame, level: float,
                    ratio: float = 3.0, open_rule: str = "any") -> pd.DataFrame:
    """Cheapest blended OpenRouter price, day by day, to reach AA Intelligence Index >= ``level``.

    A listing counts from the release date of the first AA entry of its model that reaches the level, so a
    listing never borrows a score from a later version. Returns the change points of each group's step
    line: date, group, price, model (the cheapest listing's model)."""
    iv = price_intervals(models, price_history, ratio, open_rule)
    cols = ["date", "group", "price", "model"]
    if iv.empty:
        return pd.DataFrame(columns=cols)
    s = scores[(scores["metric"] == METRIC) & (scores["value"] >= float(level))]
    reach = pd.to_datetime(s.groupby("model_id")["date"].min())
    iv = iv[iv["model_id"].isin(reach.index)].copy()
    if iv.empty:
        return pd.DataFrame(columns=cols)
    iv["start"] = np.maximum(iv["start"].to_numpy(), iv["model_id"].map(reach).to_numpy())
    iv = iv[iv["start"] < iv["end"]]
    if iv.empty:
        return pd.DataFrame(columns=cols)
    day0 = pd.to_datetime(price_history["date"]).min()
    day1 = pd.to_datetime(price_history["last_seen"]).max()
    days = pd.date_range(day0, day1, freq="D").to_numpy()
    out = []
    for grp, g in iv.groupby("group", sort=True):
        st = g["start"].to_numpy()[:, None]
        en = g["end"].to_numpy()[:, None]
        active = (st <= days[None, :]) & (days[None, :] < en)
        prices = np.where(active, g["blended"].to_numpy()[:, None], np.inf)
        idx = prices.argmin(axis=0)
        best = prices[idx, np.arange(len(days))]
        names = g["name"].to_numpy()[idx]
        ok = np.isfinite(best)
        if not ok.any():
            continue
        d = pd.DataFrame({"date": days[ok], "price": best[ok], "model": names[ok]})
        # keep change points only (a step line needs nothing else), plus the last day
        chg = (d["price"].ne(d["price"].shift())) | (d["model"].ne(d["model"].shift()))
        chg.iloc[-1] = True
        d = d[chg]
        d["group"] = grp
        out.append(d)
    if not out:
        return pd.DataFrame(columns=cols)
    return pd.concat(out)[cols].reset_index(drop=True)


def notable_cuts(series: pd.DataFrame, min_drop: float = 0.5, top: int = 3) -> pd.DataFrame:
    """The largest cuts in each group's cheapest price: a step to a new low that is at most
    (1 - min_drop) x the price before it. Recoveries after a spike (such as a capacity crunch) are not
    cuts, because they do not set a new low. Top ``top`` per group by size."""
    rows = []
    for grp, g in series.groupby("group", sort=True):
        g = g.sort_values("date")
        prev = g["price"].shift()
        low_before = g["price"].cummin().shift()
        drop = 1.0 - g["price"] / prev
        cand = g.assign(drop=drop, prev=prev)
        cand = cand[(cand["drop"] >= min_drop) & (g["price"] < low_before)]
        cand = cand.sort_values("drop", ascending=False).head(top)
        rows.append(cand)
    if not rows:
        return pd.DataFrame(columns=["date", "group", "price", "model", "drop", "prev"])
    return pd.concat(rows).sort_values("date").reset_index(drop=True)


def relevant_events(events: pd.DataFrame, history: pd.DataFrame, days: int = 3) -> pd.DataFrame:
    """Price events (events.csv kind 'price') where a drawn line changes within ``days`` of the event."""
    ev = events[events["kind"] == "price"].copy()
    if ev.empty or history.empty:
        return ev.iloc[0:0].reset_index(drop=True)
    changes = pd.to_datetime(history["date"]).to_numpy()
    first = history.groupby("group")["date"].transform("min").to_numpy()
    changes = changes[changes != first]   # the start of a line is not a change
    evd = pd.to_datetime(ev["date"]).to_numpy()
    near = np.array([np.any(np.abs(changes - d) <= np.timedelta64(days, "D")) for d in evd], dtype=bool)
    return ev[near].reset_index(drop=True)
