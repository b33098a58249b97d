"""Cost settings and analysis: the page's Settings, and the results its cards draw (Market, History, Calc), each
computed from the tables by the parts in market, price_history, calculator and uncertainty."""
from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd

from openclosed import fmt
from openclosed import report
from openclosed.cost import robust
from openclosed.cost.calculator import GPU_PCTS, CalcInputs, compare_options, self_host_table
from openclosed.cost.market import (
    PRICE_SOURCES, cheapest_meeting, claim_summary, closed_catalog, pareto_frontier, price_capability, saving_curve,
)
from openclosed.cost.price_history import notable_cuts, price_over_time, relevant_events
from openclosed.cost.primitives import BreakEven, self_host_monthly_cost
from openclosed.cost.uncertainty import mc_at, monte_carlo, tornado
from openclosed.openness import OPEN_RULES

PAGE = "cost"
TABLES = report.section("cost").tables   # the data/ tables it reads: declared once, in the registry


AGAINST = {"hosted": "the hosted open model", "closed": "the closed API"}

MARKET_FIELDS = ("price_source", "ratio", "open_rule", "log_price", "threshold")
HISTORY_FIELDS = ("ratio", "open_rule", "history_level")
CALC_FIELDS = ("ratio", "tokens", "cache_hit", "model", "gpu", "scenario", "gpu_pct", "derate", "utilization",
               "min_gpus", "overhead", "closed_model", "against")


@dataclasses.dataclass(frozen=True)
class Settings:
    """The page's settings; defaults equal the page's defaults."""
    price_source: str = "aa_reference"
    ratio: float = 3.0
    open_rule: str = "any"
    log_price: bool = True
    threshold: float = 40.0
    history_level: float = 18.0
    tokens: float = 1e9
    cache_hit: float = 0.0
    model: str = "deepseek-r1"
    gpu: str = "B200"
    scenario: str = "Server"
    gpu_pct: str = "median"
    derate: float = 0.5
    utilization: float = 0.5
    min_gpus: int = 2
    overhead: float = 0.0
    closed_model: str = "auto"
    against: str = "hosted"

    def calc_inputs(self) -> CalcInputs:
        return CalcInputs(tokens_per_month=self.tokens, ratio=self.ratio, cache_hit_share=self.cache_hit,
                          model=self.model, gpu=self.gpu, scenario=self.scenario, gpu_pct=self.gpu_pct,
                          derate=self.derate, utilization=self.utilization, min_gpus=self.min_gpus,
                          overhead_usd=self.overhead, closed_model=self.closed_model)

    def only(self, fields) -> "Settings":
        """These settings with every field outside ``fields`` at its default (a narrower cache key)."""
        return dataclasses.replace(Settings(), **{f: getattr(self, f) for f in fields})

    def clean(self) -> "Settings":
        """Every field clamped to a valid value, so any combination (and any URL) computes."""
        return _clean(self)

    def label(self) -> str:
        """The settings that differ from the defaults, as short text ('' at the defaults)."""
        return fmt.settings_label(self, {
            "price_source": lambda v: f"Prices: {PRICE_SOURCES.get(v, v)}",
            "ratio": lambda v: f"input:output {fmt.ratio(v)}",
            "open_rule": lambda v: f"open = {OPEN_RULES.get(v, v).lower()}",
            "log_price": lambda v: "log price axis" if v else "linear price axis",
            "threshold": lambda v: f"AA index ≥ {v:g}",
            "history_level": lambda v: f"history level {v:g}",
            "tokens": lambda v: f"{fmt.tokens(v)} tokens/month",
            "cache_hit": lambda v: f"cache hits {fmt.share(v)}",
            "model": lambda v: f"self-hosted model {v}", "gpu": lambda v: f"GPU {v}",
            "scenario": lambda v: f"MLPerf scenario {v}", "gpu_pct": lambda v: f"{v} GPU price",
            "derate": lambda v: f"derate {fmt.share(v)}", "utilization": lambda v: f"utilization {fmt.share(v)}",
            "min_gpus": lambda v: f"min {v} GPUs", "overhead": lambda v: f"overhead {fmt.usd(v)}/month",
            "closed_model": lambda v: f"closed API {v}", "against": lambda v: f"against {AGAINST.get(v, v)}",
        })


def _clean(s: Settings) -> Settings:
    """Clamp every field to a valid value, so any combination (and any URL) computes."""
    def num(v, lo, hi, default):
        try:
            v = float(v)
        except (TypeError, ValueError):
            return default
        return default if not np.isfinite(v) else min(max(v, lo), hi)
    d = Settings()
    return dataclasses.replace(
        s,
        price_source=s.price_source if s.price_source in PRICE_SOURCES else d.price_source,
        ratio=num(s.ratio, 0.0, 100.0, d.ratio),
        open_rule=s.open_rule if s.open_rule in OPEN_RULES else d.open_rule,
        log_price=bool(s.log_price),
        threshold=num(s.threshold, 0.0, 100.0, d.threshold),
        history_level=num(s.history_level, 0.0, 100.0, d.history_level),
        tokens=num(s.tokens, 0.0, 1e13, d.tokens),
        cache_hit=num(s.cache_hit, 0.0, 1.0, d.cache_hit),
        model=str(s.model), gpu=str(s.gpu), scenario=str(s.scenario),
        gpu_pct=s.gpu_pct if s.gpu_pct in GPU_PCTS else d.gpu_pct,
        derate=num(s.derate, 0.01, 1.0, d.derate),
        utilization=num(s.utilization, 0.01, 1.0, d.utilization),
        min_gpus=int(num(s.min_gpus, 1, 10_000, d.min_gpus)),
        overhead=num(s.overhead, 0.0, 1e9, d.overhead),
        closed_model=str(s.closed_model),
        against=s.against if s.against in AGAINST else d.against,
    )


@dataclasses.dataclass
class Market:
    """Price against capability and cost at equal capability."""
    settings: Settings
    pc: pd.DataFrame                # one row per model: score, prices, openness
    frontier: pd.DataFrame          # each group's Pareto frontier
    curve: pd.DataFrame             # saving at each threshold
    claim: dict                     # where the 70-90% claim holds
    at_threshold: dict              # cheapest open / closed at the reader's threshold, ratio, saving
    robust: object = None           # robust.Robust: the saving at the threshold with each deciding model left out
    ranges: pd.DataFrame | None = None   # runs of levels one (open, closed) pair decides
    two: object = None              # robust.TwoCurrencies: per token and per index run (None: no aa_index_runs)


@dataclasses.dataclass
class History:
    settings: Settings
    history: pd.DataFrame           # change points: date, group, price, model
    cuts: pd.DataFrame              # largest drops
    events: pd.DataFrame            # price events in range


@dataclasses.dataclass
class Calc:
    settings: Settings
    calc: dict                      # compare_options output
    volume_curve: pd.DataFrame      # cost against volume for the three options (+ simulation band)
    tornado: pd.DataFrame
    mc: dict                        # simulation at the reader's volume
    mc_curve: pd.DataFrame          # probability self-hosting is cheaper, against volume, per API option
    self_host: pd.DataFrame         # MLPerf rows usable for self-hosting
    closed: pd.DataFrame            # closed models the calculator can compare with

    @property
    def against_rate(self) -> float | None:
        return self.calc["rate_hosted"] if self.settings.against == "hosted" else self.calc["rate_closed"]

    @property
    def against_be(self) -> BreakEven | None:
        return self.calc["break_even_hosted"] if self.settings.against == "hosted" else \
            self.calc["break_even_closed"]

    @property
    def against_option(self) -> str:
        return "Open model, hosted" if self.settings.against == "hosted" else "Closed API"


@dataclasses.dataclass
class Results:
    market: Market
    history: History
    calc: Calc

    @property
    def settings(self) -> Settings:
        return self.market.settings


def _threshold_summary(pc: pd.DataFrame, threshold: float) -> dict:
    o = cheapest_meeting(pc, threshold, "open")
    c = cheapest_meeting(pc, threshold, "closed")
    out = {"threshold": float(threshold), "open": o, "closed": c, "ratio": None, "saving_pct": None}
    if o is not None and c is not None:
        out["ratio"] = c["blended"] / o["blended"]
        out["saving_pct"] = 100.0 * (1.0 - o["blended"] / c["blended"])
    return out


def analyze_market(tables: dict[str, pd.DataFrame], settings: Settings) -> Market:
    s = settings.clean()
    pc = price_capability(tables["models"], tables["scores"], tables["prices"], s.price_source, s.ratio, s.open_rule)
    curve = saving_curve(pc)
    runs = tables.get("aa_index_runs") if hasattr(tables, "get") else None
    two = None if runs is None else robust.two_currencies(runs, s.threshold, s.ratio, tables["models"])
    return Market(s, pc, pareto_frontier(pc), curve, claim_summary(curve), _threshold_summary(pc, s.threshold),
                  robust.robust_saving(robust.with_family(pc, tables["models"]), s.threshold),
                  robust.decided_ranges(curve), two)


def analyze_history(tables: dict[str, pd.DataFrame], settings: Settings) -> History:
    s = settings.clean()
    hist = price_over_time(tables["models"], tables["scores"], tables["price_history"], s.history_level, s.ratio,
                           s.open_rule)
    return History(s, hist, notable_cuts(hist), relevant_events(tables["events"], hist))


def _volume_grid(res: dict, max_tokens: float) -> np.ndarray:
    """Log-spaced volumes plus each whole-GPU boundary (at it and just past it), so steps draw sharp."""
    grid = np.logspace(6, math.log10(max_tokens), 121)
    cap = res["cap"]
    if np.isfinite(cap):
        k = np.arange(max(res["min_gpus"], 1), int(max_tokens / cap) + 2)
        k = k[(k * cap >= 1e6) & (k * cap <= max_tokens)]
        if len(k) <= 400:
            grid = np.concatenate([grid, k * cap, k * cap * (1 + 1e-9)])
    return np.unique(grid)


def _volume_frame(calc: dict, grid: np.ndarray, mc: dict) -> pd.DataFrame:
    parts = []
    opts = calc["options"].set_index("option")
    for name, rate in (("Closed API", calc["rate_closed"]), ("Open model, hosted", calc["rate_hosted"])):
        if rate is None:
            continue
        parts.append(pd.DataFrame({"tokens": grid, "option": name, "model": opts.loc[name, "model"],
                                   "monthly_usd": grid * rate / 1e6, "low": np.nan, "high": np.nan}))
    shc = np.min([self_host_monthly_cost(grid, p.effective_tps, calc["gpu_usd"], calc["utilization"], m,
                                         calc["overhead"], calc["input_share"], p.replica)
                  for p, m in calc.get("setups", [])] or [self_host_monthly_cost(
                      grid, calc["throughput"], calc["gpu_usd"], calc["utilization"], calc["min_gpus"],
                      calc["overhead"], calc["input_share"])], axis=0)
    parts.append(pd.DataFrame({"tokens": grid, "option": "Self-host", "model": opts.loc["Self-host", "model"],
                               "monthly_usd": shc, "low": mc["p10"], "high": mc["p90"]}))
    return pd.concat(parts, ignore_index=True)


def analyze_calc(tables: dict[str, pd.DataFrame], settings: Settings, sh: pd.DataFrame | None = None,
                 closed: pd.DataFrame | None = None) -> Calc:
    """The calculator. ``sh`` and ``closed`` (self_host_table, closed_catalog at the same ratio) may be passed
    in when the caller has them cached."""
    s = settings.clean()
    if sh is None:
        sh = self_host_table(tables["throughput"], tables["gpu_prices"])
    if closed is None:
        closed = closed_catalog(tables["models"], tables["scores"], tables["prices"], s.ratio)
    ci = s.calc_inputs()
    calc = compare_options(tables, ci, sh, closed)
    grid = _volume_grid(calc, ci.max_tokens)
    mc_grid = monte_carlo(calc, grid)
    vc = _volume_frame(calc, grid, mc_grid)
    curve = []
    for key, name in (("closed", "Closed API"), ("hosted", "Open model, hosted")):
        pr = mc_grid[f"p_cheaper_{key}"]
        if np.isfinite(pr).all():
            curve.append(pd.DataFrame({"tokens": grid, "option": name, "probability": pr}))
    mc_curve = pd.concat(curve, ignore_index=True) if curve else pd.DataFrame(
        columns=["tokens", "option", "probability"])
    if calc["rate_hosted"] is None and s.against == "hosted":
        s = dataclasses.replace(s, against="closed")
    if calc["rate_closed"] is None and s.against == "closed" and calc["rate_hosted"] is not None:
        s = dataclasses.replace(s, against="hosted")
    tor = tornado(calc, ci, s.against)
    return Calc(s, calc, vc, tor, mc_at(calc, calc["tokens"]), mc_curve, sh, closed)


def analyze(tables: dict[str, pd.DataFrame], settings: Settings) -> Results:
    """Every number and table the page shows, for one set of settings."""
    return Results(analyze_market(tables, settings), analyze_history(tables, settings),
                   analyze_calc(tables, settings))


def trace_rows(m: Market) -> pd.DataFrame:
    """The data/ rows behind the cheapest open and closed model at the threshold: where each number comes from."""
    rows = []
    for side in ("open", "closed"):
        r = m.at_threshold[side]
        if r is None:
            continue
        rows.append({"side": side, "model": r["name"], "model_id": r["model_id"], "openness": r["openness"],
                     "scores.csv source_id": r["aa_id"], "variant": "" if pd.isna(r["variant"]) else r["variant"],
                     "AA index": r["score"], "prices.csv price_kind": r["price_source"],
                     "provider": r["provider"], "prices.csv source_id": r["price_id"],
                     "input $/M": r["price_in"], "output $/M": r["price_out"], "blended $/M": r["blended"],
                     "as of": r["as_of"]})
    return pd.DataFrame(rows)
