"""Price against capability: one priced, scored row per model, the Pareto frontier, the cheapest model at each
capability level and the saving curve; price rows by kind; the reader's own models for the price chart."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from openclosed import openness as op
from openclosed import theme
from openclosed.memo import per_inputs
from openclosed.cost.primitives import blended_price, valid_price

METRIC = "aa_intelligence_index"
PRICE_SOURCES = {
    "aa_reference": "AA reference price",
    "lab_list": "Lab list price",
    "cheapest_host": "Cheapest host",
}
PRICE_LABEL = {**PRICE_SOURCES, "host": "OpenRouter price"}   # every price kind in data/prices.csv
PRICE_SOURCE_NOTES = {   # the snapshot dates are added from the data (Market.price_as_of, score_snapshot)
    "aa_reference": "Artificial Analysis's reference provider price for the same AA entry as the score "
                    "(usually the lab's own API)",
    "lab_list": "the lab's own list price from models.dev",
    "cheapest_host": "the cheapest price in models.dev among providers that count as a host for the model "
                     "(pipeline/curated/hosts.csv: the lab itself and inference hosts that run the weights; closed "
                     "models only at their own lab or a cloud licensed to serve them). Routers, resellers and "
                     "subscription plans never set it. A price below the lab's own list price is flagged "
                     "(`below_lab_list`): a host's discount, or the lab's own regional list",
}
CLAIM_LOW, CLAIM_HIGH = 70.0, 90.0   # the popular claim: open inference is 70-90% cheaper
HOSTED_PRICE_ORDER = ("cheapest_host", "host", "aa_reference", "lab_list")
CLOSED_PRICE_ORDER = ("lab_list", "aa_reference", "cheapest_host")


def _group(open_weights: bool) -> str:
    return theme.openness_label(bool(open_weights))


def classify(models: pd.DataFrame, open_rule: str = "any") -> pd.DataFrame:
    """model_id, name, openness, open (bool) and group label, for models that are clearly open or closed.

    Open follows ``openness.is_open`` under the rule; closed is API or hosted access. Models whose
    openness is unknown (and open models excluded by the 'unrestricted' rule) are left out."""
    m = models[["model_id", "name", "organization", "openness"]].copy()
    m["open"] = m["openness"].map(lambda o: op.is_open(o, open_rule))
    keep = m["open"] | m["openness"].isin(op.CLOSED_CLASSES)
    m = m[keep].copy()
    m["group"] = m["open"].map(_group)
    return m.reset_index(drop=True)


def best_scores(scores: pd.DataFrame, metric: str = METRIC) -> pd.DataFrame:
    """Best variant per model: model_id, score, aa_id (the AA entry), variant, score_date."""
    s = scores[scores["metric"] == metric]
    s = s.sort_values(["model_id", "value", "source_id"], ascending=[True, False, True], kind="mergesort")
    b = s.groupby("model_id", sort=False).head(1)
    return b.rename(columns={"value": "score", "source_id": "aa_id", "date": "score_date"})[
        ["model_id", "score", "aa_id", "variant", "score_date"]].reset_index(drop=True)


def nearest_snapshots(price_dates, score_snapshots) -> tuple[str, str] | None:
    """The (price as_of, score snapshot) pair closest in time; ties go to the earlier score snapshot, then the
    later price. None when either side has no date."""
    pd_ = sorted({str(x) for x in price_dates if str(x)})
    sd = sorted({str(x) for x in score_snapshots if str(x)})
    if not pd_ or not sd:
        return None
    return min(((p, q) for p in pd_ for q in sd),
               key=lambda pq: (abs((pd.Timestamp(pq[0]) - pd.Timestamp(pq[1])).days), pq[1], -pd.Timestamp(pq[0]).value))


def price_capability(models: pd.DataFrame, scores: pd.DataFrame, prices: pd.DataFrame,
                     price_source: str = "aa_reference", ratio: float = 3.0, open_rule: str = "any") -> pd.DataFrame:
    """One row per model with an AA Intelligence Index and a price from ``price_source``.

    - aa_reference: the AA entry (variant) is scored and priced together; of a model's priced entries the
      best-scoring one is kept, so score and price always belong to the same entry.
    - lab_list / cheapest_host: the model's best AA score, and of its price rows the one with the lowest
      blended price (models.dev lists some models under several ids).

    For the models.dev kinds, prices and scores come from the snapshot pair nearest in time (nearest_snapshots).

    Columns: model_id, name, organization, openness, open, group, score, aa_id, variant, price_in,
    price_out, cache_read, blended, provider, price_id, as_of, price_source, score_snapshot, host_role,
    below_lab_list (bool: the blended price is below the same model's lab list price)."""
    if price_source not in PRICE_SOURCES:
        price_source = "aa_reference"
    cls = classify(models, open_rule)
    s = scores[(scores["metric"] == METRIC) & scores["model_id"].isin(cls["model_id"])]
    p = prices[prices["price_kind"] == price_source].copy()
    if price_source != "aa_reference" and "snapshot" in s:
        pair = nearest_snapshots(p["as_of"], s["snapshot"])
        if pair is not None:
            p, s = p[p["as_of"].astype(str) == pair[0]], s[s["snapshot"].astype(str) == pair[1]]
    for col in ("host_role", "below_lab_list"):
        if col not in p:
            p[col] = ""
    p["blended"] = blended_price(p["input_usd_per_mtok"].to_numpy(), p["output_usd_per_mtok"].to_numpy(), ratio)
    cols = {"input_usd_per_mtok": "price_in", "output_usd_per_mtok": "price_out",
            "cache_read_usd_per_mtok": "cache_read", "source_id": "price_id"}
    if price_source == "aa_reference":
        j = s.merge(p.rename(columns=cols)[["price_id", "price_in", "price_out", "cache_read", "blended", "provider",
                                             "as_of", "host_role", "below_lab_list"]], left_on="source_id",
                    right_on="price_id", how="inner")
        j = j.sort_values(["model_id", "value", "blended", "source_id"], ascending=[True, False, True, True],
                          kind="mergesort").groupby("model_id", sort=False).head(1)
        j = j.rename(columns={"value": "score", "source_id": "aa_id"})
    else:
        b = best_scores(s)
        if "snapshot" in s:
            b = b.merge(s.drop_duplicates("model_id")[["model_id", "snapshot"]], on="model_id", how="left")
        pp = p.rename(columns=cols).sort_values(["model_id", "blended", "provider", "price_id"], kind="mergesort")
        pp = pp.groupby("model_id", sort=False).head(1)
        j = b.merge(pp[["model_id", "price_id", "price_in", "price_out", "cache_read", "blended", "provider",
                        "as_of", "host_role", "below_lab_list"]], on="model_id", how="inner")
    j = j.merge(cls, on="model_id", how="inner")
    j = j[np.isfinite(j["blended"]) & (j["blended"] > 0)]
    j["price_source"] = price_source
    j["score_snapshot"] = j["snapshot"].fillna("").astype(str) if "snapshot" in j else ""
    j["below_lab_list"] = j["below_lab_list"].astype(str).str.lower().isin(["yes", "true"])
    j["host_role"] = j["host_role"].fillna("").astype(str)
    out = j[["model_id", "name", "organization", "openness", "open", "group", "score", "aa_id", "variant",
             "price_in", "price_out", "cache_read", "blended", "provider", "price_id", "as_of", "price_source",
             "score_snapshot", "host_role", "below_lab_list"]]
    out = out.sort_values(["score", "blended", "model_id"], ascending=[False, True, True], kind="mergesort")
    return out.reset_index(drop=True)


def cheapest_meeting(models_prices_scores: pd.DataFrame, threshold: float, openness: str) -> dict | None:
    """The cheapest model scoring >= threshold among 'open' or 'closed' rows; None when none qualifies.

    Needs columns ``open`` (bool), ``score`` and ``blended``. Ties on price go to the higher score, then
    the model id."""
    df = models_prices_scores
    if df is None or len(df) == 0:
        return None
    want_open = str(openness).lower() in ("open", "true", "open weights")
    sel = df[(df["open"] == want_open) & (df["score"] >= float(threshold)) & np.isfinite(df["blended"])]
    if sel.empty:
        return None
    sort_cols = ["blended", "score"] + (["model_id"] if "model_id" in sel else [])
    asc = [True, False] + ([True] if "model_id" in sel else [])
    return sel.sort_values(sort_cols, ascending=asc, kind="mergesort").iloc[0].to_dict()


def pareto_frontier(df: pd.DataFrame) -> pd.DataFrame:
    """Per group, the models no other model beats on both price and score: the cheapest at each capability.

    Sorted by price; each frontier model scores higher than every cheaper model in its group."""
    parts = []
    for grp, g in df.groupby("group", sort=True):
        g = g.sort_values(["blended", "score"], ascending=[True, False], kind="mergesort")
        best = g["score"].cummax().shift(1, fill_value=-np.inf)
        parts.append(g[g["score"] > best])
    if not parts:
        return df.iloc[0:0]
    return pd.concat(parts).reset_index(drop=True)


def _cheapest_by_threshold(df: pd.DataFrame, thresholds: np.ndarray) -> np.ndarray:
    """Row position (in ``df``) of the cheapest model with score >= each threshold; -1 when none.

    Same choice as ``cheapest_meeting`` (lowest blended, then higher score, then model id), vectorized:
    walk models from the highest score down keeping the running cheapest."""
    if df.empty:
        return np.full(len(thresholds), -1)
    d = df.reset_index(drop=True)
    order = np.lexsort((d["model_id"].to_numpy(), d["blended"].to_numpy(), -d["score"].to_numpy()))
    score = d["score"].to_numpy()[order]
    price = d["blended"].to_numpy()[order]
    prev_min = np.concatenate([[np.inf], np.minimum.accumulate(price)[:-1]])
    pos = np.arange(len(price))
    best_pos = np.maximum.accumulate(np.where(price < prev_min, pos, 0))
    k = np.searchsorted(-score, -np.asarray(thresholds, dtype=float), side="right")  # models with score >= t
    out = np.where(k > 0, order[best_pos[np.maximum(k - 1, 0)]], -1)
    return out


def saving_curve(pc: pd.DataFrame, thresholds=None) -> pd.DataFrame:
    """Cheapest open and closed model at each threshold, their prices, ratio and saving (%).

    Rows only where both an open and a closed model meet the threshold. Saving = 1 - open/closed."""
    cols = ["threshold", "open_model", "open_price", "open_score", "closed_model", "closed_price", "closed_score",
            "ratio", "saving_pct"]
    if pc is None or pc.empty:
        return pd.DataFrame(columns=cols)
    if thresholds is None:
        thresholds = np.arange(0.0, math.floor(float(pc["score"].max())) + 1.0, 0.5)
    th = np.asarray(thresholds, dtype=float)
    o = pc[pc["open"]].reset_index(drop=True)
    c = pc[~pc["open"]].reset_index(drop=True)
    io, ic = _cheapest_by_threshold(o, th), _cheapest_by_threshold(c, th)
    ok = (io >= 0) & (ic >= 0)
    if not ok.any():
        return pd.DataFrame(columns=cols)
    ro, rc = o.iloc[io[ok]], c.iloc[ic[ok]]
    op, cp = ro["blended"].to_numpy(), rc["blended"].to_numpy()
    return pd.DataFrame({"threshold": th[ok], "open_model": ro["name"].to_numpy(), "open_price": op,
                         "open_score": ro["score"].to_numpy(), "closed_model": rc["name"].to_numpy(),
                         "closed_price": cp, "closed_score": rc["score"].to_numpy(), "ratio": cp / op,
                         "saving_pct": 100.0 * (1.0 - op / cp)}, columns=cols)


def claim_summary(curve: pd.DataFrame) -> dict:
    """Where the 70-90% claim holds along a saving curve: counts and threshold ranges."""
    n = len(curve)
    if n == 0:
        return {"n": 0, "in_band": 0, "at_least_low": 0, "open_cheaper": 0, "band_ranges": []}
    s = curve["saving_pct"].to_numpy()
    in_band = (s >= CLAIM_LOW) & (s <= CLAIM_HIGH)
    ranges = []
    start = None
    th = curve["threshold"].to_numpy()
    for i, ok in enumerate(in_band):
        if ok and start is None:
            start = th[i]
        if (not ok or i == n - 1) and start is not None:
            end = th[i] if ok else th[i - 1]
            ranges.append((float(start), float(end)))
            start = None
    return {"n": n, "in_band": int(in_band.sum()), "at_least_low": int((s >= CLAIM_LOW).sum()),
            "open_cheaper": int((s > 0).sum()), "band_ranges": ranges}


def best_price_rows(prices: pd.DataFrame, model_ids, order, ratio: float) -> pd.DataFrame:
    """Per model, the lowest-blended price row of the first price kind in ``order`` that has one."""
    p = prices[prices["model_id"].isin(set(model_ids)) & prices["price_kind"].isin(order)].copy()
    p["rank"] = p["price_kind"].map({k: i for i, k in enumerate(order)})
    p["blended"] = blended_price(p["input_usd_per_mtok"].to_numpy(), p["output_usd_per_mtok"].to_numpy(), ratio)
    p = p.sort_values(["model_id", "rank", "blended", "provider", "source_id"], kind="mergesort")
    p = p.groupby("model_id", sort=False).head(1)
    cache = p["cache_read_usd_per_mtok"].astype(float)
    return pd.DataFrame({"model_id": p["model_id"].to_numpy(), "price_in": p["input_usd_per_mtok"].astype(float).to_numpy(),
                         "price_out": p["output_usd_per_mtok"].astype(float).to_numpy(),
                         "cache_read": cache.where(np.isfinite(cache) & (cache >= 0)).to_numpy(),
                         "kind": p["price_kind"].to_numpy(), "provider": p["provider"].astype(str).to_numpy(),
                         "price_id": p["source_id"].astype(str).to_numpy(), "as_of": p["as_of"].astype(str).to_numpy(),
                         "blended": p["blended"].to_numpy()})


def price_row(prices: pd.DataFrame, model_id: str, order, ratio: float) -> dict | None:
    """The lowest-blended price row of a model from the first price kind in ``order`` that has one."""
    r = _price_rows_by_model(prices, tuple(order), float(ratio)).get(model_id)
    return None if r is None else dict(r)


@per_inputs
def _price_rows_by_model(prices: pd.DataFrame, order: tuple, ratio: float) -> dict[str, dict]:
    """`price_row` for every model at once, built once per table, price order and ratio (a model's best row does
    not depend on the other models')."""
    out = {}
    for r in best_price_rows(prices, prices["model_id"].unique(), order, ratio).to_dict("records"):
        r["cache_read"] = float(r["cache_read"]) if valid_price(r["cache_read"]) else None
        out[r["model_id"]] = r
    return out


@per_inputs
def closed_catalog(models: pd.DataFrame, scores: pd.DataFrame, prices: pd.DataFrame,
                   ratio: float = 3.0) -> pd.DataFrame:
    """Closed models with an AA score and an API price (lab list, else AA reference, else cheapest host), once
    per set of tables and ratio (read-only).

    Columns: model_id, name, score, price_in, price_out, cache_read, blended, kind, provider, price_id, as_of,
    label (unique display name)."""
    cls = classify(models, "any")
    closed = cls[~cls["open"]]
    b = best_scores(scores[scores["model_id"].isin(closed["model_id"])])
    pr = best_price_rows(prices, b["model_id"], CLOSED_PRICE_ORDER, ratio)
    df = b[["model_id", "score"]].merge(pr, on="model_id").merge(closed[["model_id", "name"]], on="model_id")
    df["label"] = df["name"]
    dup = df["label"].duplicated(keep=False)
    df.loc[dup, "label"] = df.loc[dup, "name"] + " (" + df.loc[dup, "model_id"] + ")"
    cols = ["model_id", "name", "score", "price_in", "price_out", "cache_read", "blended", "kind", "provider",
            "price_id", "as_of", "label"]
    return df.sort_values("label", key=lambda s: s.str.lower()).reset_index(drop=True)[cols]


YOURS_LABEL = "Yours"          # the reader's own models (Data & methods upload): drawn, never analysed
YOURS_COLUMNS = ["name", "group", "weights", "score", "price_in", "price_out", "blended"]


def yours_prices(user: pd.DataFrame | None, ratio: float = 3.0, log_price: bool = False) -> pd.DataFrame:
    """The reader's models (openclosed.byod format) that can sit on the price-against-capability chart: scored
    on the AA Intelligence Index with both prices, blended at ``ratio`` like every other model. On a log axis
    a blended price of 0 cannot be drawn and is left out. Columns: YOURS_COLUMNS. Never part of the Pareto
    frontier, the saving curve or any headline."""
    need = {"name", "metric", "score", "input_usd_per_mtok", "output_usd_per_mtok"}
    if user is None or len(user) == 0 or not need <= set(user.columns):
        return pd.DataFrame(columns=YOURS_COLUMNS)
    u = user[user["metric"].astype(str) == METRIC]
    score = pd.to_numeric(u["score"], errors="coerce").astype(float)
    p_in = pd.to_numeric(u["input_usd_per_mtok"], errors="coerce").astype(float)
    p_out = pd.to_numeric(u["output_usd_per_mtok"], errors="coerce").astype(float)
    if "open_weights" in u:
        ow = u["open_weights"].astype(bool)
    else:
        ow = u["openness"].astype(str).str.lower() == "open" if "openness" in u else pd.Series(False, index=u.index)
    d = pd.DataFrame({"name": u["name"].astype(str), "group": YOURS_LABEL,
                      "weights": np.where(ow, theme.OPENNESS_DOMAIN[0], theme.OPENNESS_DOMAIN[1]),
                      "score": score, "price_in": p_in, "price_out": p_out,
                      "blended": blended_price(p_in.to_numpy(), p_out.to_numpy(), ratio)}, columns=YOURS_COLUMNS)
    ok = np.isfinite(d["score"]) & np.isfinite(d["price_in"]) & np.isfinite(d["price_out"]) & (d["price_in"] >= 0) \
        & (d["price_out"] >= 0)
    ok &= (d["blended"] > 0) if log_price else (d["blended"] >= 0)
    return d[ok].sort_values(["score", "name"], ascending=[False, True], kind="mergesort").reset_index(drop=True)
