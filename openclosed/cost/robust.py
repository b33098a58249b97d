"""How much a saving depends on the models that decide it, and the saving in a second currency: the cost of
running AA's Intelligence Index once (tokens a model actually spends x its prices), not the price per token.

Pure functions of DataFrames with columns ``name``, ``open`` (bool), ``score`` and a price column."""
from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd

from openclosed.cost.market import CLAIM_HIGH, CLAIM_LOW
from openclosed.cost.primitives import blended_price

TOP_K = 3                   # the spread uses the k cheapest models on each side
PER_TOKEN, PER_RUN = "blended", "cost_per_run"
CURRENCIES = {PER_TOKEN: "price per million tokens", PER_RUN: "cost of one Intelligence Index run"}


def saving_pct(open_price: float, closed_price: float) -> float:
    """1 - open/closed, in percent (negative when open costs more)."""
    return 100.0 * (1.0 - float(open_price) / float(closed_price))


def family_col(df: pd.DataFrame) -> str:
    """The column that groups checkpoints of one model: ``family`` when the frame has it, else ``name``."""
    return "family" if "family" in df and df["family"].notna().all() else "name"


def with_family(df: pd.DataFrame, models: pd.DataFrame | None) -> pd.DataFrame:
    """``df`` with the catalog's ``family`` per model_id (a model without one is its own family)."""
    if models is None or "family" not in models or "model_id" not in df:
        return df
    fam = models.drop_duplicates("model_id").set_index("model_id")["family"]
    out = df.copy()
    out["family"] = out["model_id"].map(fam).fillna("").astype(str)
    empty = out["family"] == ""
    out.loc[empty, "family"] = out.loc[empty, "model_id"].astype(str)
    return out


def cheapest(df: pd.DataFrame, threshold: float, want_open: bool, col: str = PER_TOKEN, k: int = 1,
             leave_out: tuple[str, ...] = (), leave_out_col: str = "name") -> pd.DataFrame:
    """The ``k`` cheapest models by ``col`` scoring >= threshold on one side, cheapest first (ties: higher score,
    then name); rows whose ``leave_out_col`` is in ``leave_out`` are skipped."""
    sel = df[(df["open"] == want_open) & (df["score"] >= float(threshold)) & np.isfinite(df[col])
             & (df[col] > 0) & ~df[leave_out_col].isin(leave_out)]
    return sel.sort_values([col, "score", "name"], ascending=[True, False, True], kind="mergesort").head(k)


@dataclasses.dataclass(frozen=True)
class Robust:
    """A saving at one capability level in one currency, and how much it depends on the deciding models."""
    threshold: float
    col: str
    open_model: str | None
    closed_model: str | None
    open_price: float
    closed_price: float
    saving: float                   # % (NaN when a side has no model)
    without_open: float             # saving with the deciding open model's whole family left out (NaN: none left)
    next_open: str | None           # ... the model that decides instead
    without_closed: float
    next_closed: str | None
    spread_low: float               # lowest and highest saving over pairs of the TOP_K cheapest on each side
    spread_high: float
    top_open: tuple[str, ...]
    top_closed: tuple[str, ...]
    open_family: str | None = None      # the family left out (every checkpoint of it), and its members here
    closed_family: str | None = None
    open_family_members: tuple[str, ...] = ()
    closed_family_members: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return math.isfinite(self.saving)


def robust_saving(df: pd.DataFrame, threshold: float, col: str = PER_TOKEN, k: int = TOP_K) -> Robust:
    """The saving at ``threshold``, with leave-one-family-out per side (every checkpoint of the deciding model's
    family goes, so a twin at the same price cannot stand in for it) and the spread over the ``k`` cheapest."""
    nan = float("nan")
    o, c = cheapest(df, threshold, True, col, k), cheapest(df, threshold, False, col, k)
    if o.empty or c.empty:
        return Robust(float(threshold), col, None if o.empty else o["name"].iloc[0],
                      None if c.empty else c["name"].iloc[0], nan, nan, nan, nan, None, nan, None, nan, nan,
                      tuple(o["name"]), tuple(c["name"]))
    op, cp = float(o[col].iloc[0]), float(c[col].iloc[0])
    pairs = [saving_pct(a, b) for a in o[col] for b in c[col]]
    fc = family_col(df)
    fam_o, fam_c = str(o[fc].iloc[0]), str(c[fc].iloc[0])
    rest_o = cheapest(df, threshold, True, col, 1, (fam_o,), fc)
    rest_c = cheapest(df, threshold, False, col, 1, (fam_c,), fc)

    def members(want_open: bool, fam: str) -> tuple[str, ...]:
        at = df[(df["open"] == want_open) & (df["score"] >= float(threshold)) & (df[fc] == fam)]
        return tuple(sorted(at["name"].astype(str).unique()))
    return Robust(
        float(threshold), col, str(o["name"].iloc[0]), str(c["name"].iloc[0]), op, cp, saving_pct(op, cp),
        nan if rest_o.empty else saving_pct(rest_o[col].iloc[0], cp),
        None if rest_o.empty else str(rest_o["name"].iloc[0]),
        nan if rest_c.empty else saving_pct(op, rest_c[col].iloc[0]),
        None if rest_c.empty else str(rest_c["name"].iloc[0]),
        float(min(pairs)), float(max(pairs)), tuple(o["name"]), tuple(c["name"]),
        fam_o, fam_c, members(True, fam_o), members(False, fam_c))


def decided_ranges(curve: pd.DataFrame) -> pd.DataFrame:
    """Runs of consecutive capability levels of a saving curve that one (open, closed) pair decides.

    Columns: low, high (AA index), open_model, closed_model, saving_pct (the same all along a run), in_claim
    (inside the claimed 70-90%)."""
    cols = ["low", "high", "open_model", "closed_model", "saving_pct", "in_claim"]
    if curve is None or curve.empty:
        return pd.DataFrame(columns=cols)
    pair = curve["open_model"] + "\x00" + curve["closed_model"]
    run = (pair != pair.shift()).cumsum()
    g = curve.groupby(run, sort=False)
    out = pd.DataFrame({"low": g["threshold"].min(), "high": g["threshold"].max(),
                        "open_model": g["open_model"].first(), "closed_model": g["closed_model"].first(),
                        "saving_pct": g["saving_pct"].first()}).reset_index(drop=True)
    out["in_claim"] = (out["saving_pct"] >= CLAIM_LOW) & (out["saving_pct"] <= CLAIM_HIGH)
    return out[cols]


def merged_ranges(ranges: pd.DataFrame, mask) -> list[tuple[float, float]]:
    """AA index ranges of the runs where ``mask`` holds, adjacent runs merged."""
    out: list[tuple[float, float]] = []
    joined = False
    for r, ok in zip(ranges.itertuples(), mask):
        if not ok:
            joined = False
            continue
        if joined:
            out[-1] = (out[-1][0], float(r.high))
        else:
            out.append((float(r.low), float(r.high)))
        joined = True
    return out


def claim_ranges(ranges: pd.DataFrame) -> list[tuple[float, float]]:
    """The AA index ranges where the saving is inside the claimed band."""
    return merged_ranges(ranges, ranges["in_claim"].to_numpy())


def fmt_range(a: float, b: float) -> str:
    return f"{a:g}" if a == b else f"{a:g}–{b:g}"


# ----- the second currency: cost of a task -----------------------------------------------------------------

def index_runs(runs: pd.DataFrame, ratio: float = 3.0) -> pd.DataFrame:
    """Models with an AA index-run record: name, model_id, open, score (the index the file records with the run),
    price_in, price_out, blended (``ratio``:1), tokens_m, cost_per_run. Rows need a score; a currency's saving
    uses only the rows that have it. ``runs``: data/aa_index_runs.csv."""
    r = runs[(runs["dataset"] == "index_run") & runs["open_weights"].isin(["yes", "no"])]
    r = r[np.isfinite(r["intelligence_index"].astype(float))]
    out = pd.DataFrame({
        "name": r["name"].astype(str), "aa_slug": r["aa_slug"].astype(str), "model_id": r["model_id"].astype(str),
        "open": r["open_weights"] == "yes", "score": r["intelligence_index"].astype(float),
        "price_in": r["input_usd_per_mtok"].astype(float), "price_out": r["output_usd_per_mtok"].astype(float),
        "tokens_m": r["tokens_m"].astype(float), "cost_per_run": r["cost_usd_per_run"].astype(float),
        "as_of": r["as_of"].astype(str)})
    out["blended"] = blended_price(out["price_in"].to_numpy(), out["price_out"].to_numpy(), ratio)
    return out.sort_values(["score", "name"], ascending=[False, True], kind="mergesort").reset_index(drop=True)


@dataclasses.dataclass(frozen=True)
class TwoCurrencies:
    threshold: float
    per_token: Robust
    per_run: Robust
    models: pd.DataFrame            # the index-run models at or above the threshold with both currencies
    one_currency_only: tuple[str, ...] = ()   # models at the threshold left out: the file gives one currency only

    @property
    def disagree(self) -> bool:
        """The cheaper side per token is not the cheaper side per run, or the deciding models differ."""
        a, b = self.per_token, self.per_run
        if not (a.ok and b.ok):
            return False
        return (a.saving > 0) != (b.saving > 0) or a.open_model != b.open_model or a.closed_model != b.closed_model


def two_currencies(runs: pd.DataFrame, threshold: float, ratio: float = 3.0,
                   models: pd.DataFrame | None = None) -> TwoCurrencies:
    """The open saving at AA index >= threshold per million tokens and per index run, on one set of models: those
    with both a price and a run cost (the others are named in ``one_currency_only``). ``models`` (the catalog)
    gives each row its family for the leave-one-family-out."""
    ir = with_family(index_runs(runs, ratio), models)
    both = np.isfinite(ir[PER_TOKEN]) & (ir[PER_TOKEN] > 0) & np.isfinite(ir[PER_RUN]) & (ir[PER_RUN] > 0)
    at = ir["score"] >= float(threshold)
    one_only = tuple(ir.loc[at & ~both, "name"].astype(str))
    ir = ir[both].reset_index(drop=True)
    sel = ir[ir["score"] >= float(threshold)]
    return TwoCurrencies(float(threshold), robust_saving(ir, threshold, PER_TOKEN),
                         robust_saving(ir, threshold, PER_RUN), sel.reset_index(drop=True), one_only)


def missing_from_runs(pc: pd.DataFrame, market: Robust, tc: TwoCurrencies) -> dict:
    """How the equal-capability card's model set (``pc``: one row per model with model_id, name, open, score)
    differs from the two-currency set at the same threshold: ``n_market`` models there, ``n_shared`` of them
    here, ``deciding_missing`` the names of the pair deciding there that this file lacks (by model_id)."""
    at = pc[pc["score"] >= tc.threshold]
    have = set(tc.models["model_id"].astype(str)) if "model_id" in tc.models else set()
    shared = at[at["model_id"].astype(str).isin(have)]
    by_name = dict(zip(at["name"].astype(str), at["model_id"].astype(str)))
    deciding = [n for n in (market.open_model, market.closed_model) if n and by_name.get(n) not in have]
    return {"n_market": int(len(at)), "n_shared": int(len(shared)), "deciding_missing": deciding}
