"""Performance: how far behind are open models, in score and in months, and is the gap closing?

Pure analysis and chart builders (no streamlit). The page (pages/performance.py) reads the tables, builds
``Settings`` from its URL-bound widgets and renders ``cards(tables, settings)``; presenter mode and the deck
call the same function.

Data flow: ``metric_points`` turns data/scores.csv + data/models.csv into one point per model (best variant),
labelled open or closed; ``analyze`` computes the two frontiers (openclosed.frontier), the gap in points and
months over time, Epoch AI's average horizontal/vertical gap with a bootstrap interval, and a robust trend of
the lag; the ``*_card`` functions turn those into chart cards with headlines computed from the numbers.
"""
from __future__ import annotations

import dataclasses

import altair as alt
import numpy as np
import pandas as pd
from scipy import stats

from openclosed import epoch2024 as E24
from openclosed import frontier as F
from openclosed import gap as G
from openclosed import theme
from openclosed.cards import ChartCard
from openclosed.openness import is_open

PAGE = "Performance"
OPEN_LABEL, CLOSED_LABEL = theme.OPENNESS_DOMAIN
YOURS_LABEL = "Yours"          # the reader's own models (Data & methods upload), drawn but never analysed
CLOSED_CLASSES = ("api", "hosted", "unreleased")
US, CHINA = "United States of America", "China"

# ----------------------------------------------------------------------------------------------
# Metrics
# ----------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Metric:
    key: str              # metric key in data/scores.csv
    label: str            # control label
    short: str            # short name for headlines
    unit: str             # axis unit
    points_word: str      # "ECI points", "points", "percentage points", "rating points"
    source: str           # key in openclosed.sources
    what: str             # one line: what it measures and who produced it
    date_from: str        # "score": the score's date is the model's release; "release": use the catalog date
    single_snapshot: bool = True   # compare within one snapshot (the latest) only
    decimals: int = 1

    @property
    def true_zero(self) -> bool:
        """Percent correct / resolved: 0 means nothing solved, so a ratio of two scores means something."""
        return self.key in TRUE_ZERO_METRICS


TRUE_ZERO_METRICS = {"epoch_gpqa_diamond", "aa_gpqa", "swebench_verified", "swebench_bash_only", "livebench_overall"}

METRICS: dict[str, Metric] = {m.key: m for m in [
    Metric("eci", "Epoch Capabilities Index", "ECI", "ECI score", "ECI points", "eci",
           "Epoch AI's composite capability score: an item-response model stitches 40+ benchmarks onto one "
           "scale (GPT-5 is about 150). Produced by Epoch AI; re-estimated with each release.", "score"),
    Metric("aa_intelligence_index", "AA Intelligence Index", "the AA Intelligence Index",
           "index (0-100)", "index points", "artificial_analysis",
           "Artificial Analysis's average of ten evaluations they run themselves (v4.1: agentic, coding, "
           "knowledge, reasoning, long context). Produced by Artificial Analysis.", "score"),
    Metric("epoch_gpqa_diamond", "GPQA Diamond, Epoch runs", "GPQA Diamond", "% correct",
           "percentage points", "epoch_hub",
           "198 graduate-level science questions written to be hard to look up; accuracy from Epoch AI's "
           "own Benchmarking Hub runs.", "score"),
    Metric("aa_gpqa", "GPQA Diamond, AA runs", "GPQA Diamond", "% correct",
           "percentage points", "artificial_analysis",
           "The same 198 GPQA Diamond questions, as run by Artificial Analysis (more models, its own "
           "prompting).", "score"),
    Metric("swebench_verified", "SWE-bench Verified", "SWE-bench Verified", "% resolved",
           "percentage points", "swebench",
           "500 real GitHub issues a model must fix so the repository's tests pass; leaderboard entries "
           "mix agent scaffolds. Produced by the SWE-bench team (Princeton/Stanford).", "release"),
    Metric("swebench_bash_only", "SWE-bench bash-only", "SWE-bench bash-only", "% resolved",
           "percentage points", "swebench",
           "SWE-bench Verified with one minimal bash-only agent for every model, so scores compare the "
           "models rather than the scaffolds. Produced by the SWE-bench team.", "release"),
    Metric("lmarena_text", "LMArena rating", "the LMArena rating", "rating (Elo-like)", "rating points",
           "lmarena",
           "Crowd-sourced pairwise chat preferences turned into Bradley-Terry ratings; measures what people "
           "prefer in chat, not correctness. Ratings drift between snapshots, so one snapshot is used.",
           "release", decimals=0),
    Metric("livebench_overall", "LiveBench", "LiveBench", "score (0-100)", "points", "livebench",
           "Monthly-refreshed, contamination-limited questions in math, coding, reasoning, language, data "
           "analysis and instruction following. Produced by Abacus.AI, NYU and others; one release table "
           "is used.", "score"),
]}
DEFAULT_METRIC = "eci"

# Per-domain view: benchmark families and the components that stand for them.
DOMAINS = [
    ("Coding", "aa_livecodebench", "LiveCodeBench", "artificial_analysis"),
    ("Coding", "aa_scicode", "SciCode", "artificial_analysis"),
    ("Coding", "livebench_coding", "LiveBench coding", "livebench"),
    ("Math", "aa_aime_25", "AIME 2025", "artificial_analysis"),
    ("Math", "livebench_mathematics", "LiveBench math", "livebench"),
    ("Reasoning & knowledge", "aa_gpqa", "GPQA Diamond", "artificial_analysis"),
    ("Reasoning & knowledge", "aa_mmlu_pro", "MMLU-Pro", "artificial_analysis"),
    ("Reasoning & knowledge", "aa_hle", "Humanity's Last Exam", "artificial_analysis"),
    ("Reasoning & knowledge", "livebench_reasoning", "LiveBench reasoning", "livebench"),
    ("Agentic", "aa_terminalbench_hard", "Terminal-Bench Hard", "artificial_analysis"),
    ("Agentic", "aa_tau2", "tau2-bench", "artificial_analysis"),
    ("Agentic", "livebench_agentic_coding", "LiveBench agentic coding", "livebench"),
    ("Instruction following", "aa_ifbench", "IFBench", "artificial_analysis"),
    ("Instruction following", "livebench_instruction_following", "LiveBench instr. following", "livebench"),
]
FAMILIES = ["Coding", "Math", "Reasoning & knowledge", "Agentic", "Instruction following"]

# Events labelled on the frontier chart (the others are drawn as faint rules with a tooltip).
KEY_EVENTS = ("gpt4", "llama31_405b", "o1", "deepseek_r1", "gpt5", "kimi_k25")

# Epoch AI's Oct 2025 data insight: snapshot nearest publication, and its window.
EPOCH_SNAPSHOT, EPOCH_START, EPOCH_END = "2025-11-04", "2023-01-01", "2025-10-31"
LATEST_ECI_SNAPSHOT = "2026-03-09"
BOOT_N = 1000
ALPHA = 0.90
# AI Index 2025 arena gap months ("early January 2024", "February 2025"): the LMArena snapshot nearest the
# middle of the month, and the range over every snapshot within a month of it (ratings drift fast).
ARENA_DATES = {"Jan 2024": "2024-01-15", "Feb 2025": "2025-02-15"}
ARENA_WINDOW_DAYS = 31

# Date-range control: month strings.
RANGE_FIRST, RANGE_LAST = "2022-01", "2026-12"
DEFAULT_START, DEFAULT_END = "2023-01", "2026-12"
COUNTRIES = {"all": "All countries", "us": "US only", "china": "China only", "other": "Other countries"}
RULES = {"any": "Any open weights", "unrestricted": "Unrestricted licences only"}


def month_options() -> list[str]:
    return [p.strftime("%Y-%m") for p in pd.period_range(RANGE_FIRST, RANGE_LAST, freq="M")]


# ----------------------------------------------------------------------------------------------
# Settings
# ----------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Settings:
    metric: str = DEFAULT_METRIC
    start: str = DEFAULT_START          # first month, "YYYY-MM"
    end: str = DEFAULT_END              # last month, "YYYY-MM" (inclusive)
    rule: str = "any"                   # what counts as open: "any" open weights or "unrestricted" only
    include_flagged: bool = True        # include models flagged unverified or preview in the catalog
    country: str = "all"                # all / us / china / other

    def clean(self) -> "Settings":
        """Any bad value falls back to its default; start and end are put in order."""
        d = Settings()
        months = month_options()
        start = self.start if self.start in months else d.start
        end = self.end if self.end in months else d.end
        if start > end:
            start, end = end, start
        return Settings(
            metric=self.metric if self.metric in METRICS else d.metric,
            start=start, end=end,
            rule=self.rule if self.rule in RULES else d.rule,
            include_flagged=bool(self.include_flagged),
            country=self.country if self.country in COUNTRIES else d.country,
        )

    @property
    def start_ts(self) -> pd.Timestamp:
        return pd.Timestamp(self.start + "-01")

    @property
    def end_ts(self) -> pd.Timestamp:
        return pd.Period(self.end, freq="M").end_time.normalize()

    def text(self) -> str:
        m = METRICS[self.metric]
        parts = [m.label, f"{self.start} to {self.end}", RULES[self.rule].lower(), COUNTRIES[self.country].lower()]
        if not self.include_flagged:
            parts.append("unverified/preview models excluded")
        return "; ".join(parts)


# ----------------------------------------------------------------------------------------------
# Data: one point per model for a metric
# ----------------------------------------------------------------------------------------------


def snapshot_key(snapshot: str) -> str:
    """Sortable date of a snapshot id ('arena_catalog:2025-12-11' -> '2025-12-11')."""
    return str(snapshot).rsplit(":", 1)[-1]


def _snapshots(scores, metric: str) -> list[str]:
    if isinstance(scores, Prepared):
        return scores.snapshots(metric)
    return list(scores.loc[scores["metric"] == metric, "snapshot"].dropna().unique())


def latest_snapshot(scores, metric: str) -> str | None:
    """Latest snapshot of a metric (scores is the scores table or a Prepared)."""
    snaps = _snapshots(scores, metric)
    if len(snaps) == 0:
        return None
    return max(snaps, key=snapshot_key)


def nearest_snapshot(scores, metric: str, when) -> str | None:
    snaps = _snapshots(scores, metric)
    if len(snaps) == 0:
        return None
    when = pd.Timestamp(when)
    return min(snaps, key=lambda s: (abs((pd.Timestamp(snapshot_key(s)) - when).days), snapshot_key(s)))


def country_group(country) -> str:
    """Epoch country string (possibly comma-joined for multi-country orgs) -> us / china / other / ''."""
    if not isinstance(country, str) or not country.strip():
        return ""
    parts = {p.strip() for p in country.split(",") if p.strip()}
    if parts == {US}:
        return "us"
    if parts == {CHINA}:
        return "china"
    return "other"


def _base_points(scores: pd.DataFrame, models: pd.DataFrame, metric: str, snapshot: str,
                 date_from: str) -> pd.DataFrame:
    """The settings-independent part of metric_points: one row per unit, best variant, with catalog fields."""
    cols = ["model", "model_id", "date", "value", "openness", "country_group", "flagged"]
    s = scores[(scores["metric"] == metric) & (scores["snapshot"] == snapshot)]
    if s.empty:
        return pd.DataFrame(columns=cols)
    cat = models[["model_id", "name", "openness", "country", "release_date", "metadata_unverified", "preview"]]
    d = s[["model_id", "source", "source_id", "value", "date"]].merge(cat, on="model_id", how="inner")
    d["unit"] = np.where(d["source"] == "eci", d["source_id"], d["model_id"])
    d["model"] = np.where(d["source"] == "eci", d["source_id"], d["name"])
    score_date = pd.to_datetime(d["date"].replace("", np.nan), errors="coerce")
    rel_date = pd.to_datetime(d["release_date"].replace("", np.nan), errors="coerce")
    if date_from == "score":
        d["date"] = score_date.fillna(rel_date)
    else:
        d["date"] = rel_date.fillna(score_date)
        if metric.startswith("lmarena"):
            d["date"] = _arena_dates(scores, metric, d, rel_date)
        snap_date = pd.to_datetime(snapshot_key(snapshot), errors="coerce")
        if pd.notna(snap_date):                     # on the leaderboard at the snapshot: released by then
            d["date"] = d["date"].where(d["date"] <= snap_date, snap_date)
        # a model's date is its first release among its leaderboard keys (preview, GA, dated versions)
        d["date"] = d.groupby("unit")["date"].transform("min")
    d["value"] = d["value"].astype(float)
    d = d[d["date"].notna() & np.isfinite(d["value"])]
    d = d[d["openness"] != "unknown"]
    d = d.sort_values(["unit", "value", "date"], ascending=[True, False, True], kind="mergesort")
    d = d.drop_duplicates("unit", keep="first")
    d["country_group"] = d["country"].map(country_group)
    d["flagged"] = d["metadata_unverified"].astype(bool) | d["preview"].astype(bool)
    return d[cols].sort_values(["date", "model"], kind="mergesort").reset_index(drop=True)


ARENA_FIRST_SEEN_SLACK_DAYS = 365


def _arena_dates(scores: pd.DataFrame, metric: str, d: pd.DataFrame, rel_date: pd.Series) -> pd.Series:
    """LMArena rows carry the snapshot date, not a release date. Use the catalog's release date unless it is
    more than a year before the rating key first appeared on the leaderboard (the catalog matched the key to
    an older model, e.g. Mistral Large 3 to Mistral Large 2411); then use the first appearance. Keys already
    on the tracker's first snapshot keep the catalog date."""
    s = scores[scores["metric"] == metric]
    seen = pd.to_datetime(s["snapshot"].map(snapshot_key), errors="coerce").groupby(s["source_id"]).min()
    first = d["source_id"].map(seen)
    tracker_start = seen.min()
    too_early = (rel_date < first - pd.Timedelta(days=ARENA_FIRST_SEEN_SLACK_DAYS)) & (
        first > tracker_start + pd.Timedelta(days=31))
    out = rel_date.where(~too_early & rel_date.notna(), first)
    return out.fillna(d["date"])


def filter_points(base: pd.DataFrame, rule: str = "any", include_flagged: bool = True, country: str = "all",
                  start=None, end=None) -> pd.DataFrame:
    """Apply the page's settings to base points: openness rule, flags, country, date range. Adds is_open
    and side. Under "unrestricted only", restricted open-weight models are neither open nor closed."""
    d = base
    if not include_flagged:
        d = d[~d["flagged"]]
    if country != "all":
        d = d[d["country_group"] == country]
    if start is not None:
        d = d[d["date"] >= pd.Timestamp(start)]
    if end is not None:
        d = d[d["date"] <= pd.Timestamp(end)]
    d = d.copy()
    opens = {o: is_open(o, rule) for o in d["openness"].unique()}
    d["is_open"] = d["openness"].map(opens).astype(bool)
    d = d[d["is_open"] | d["openness"].isin(CLOSED_CLASSES)]
    d["side"] = np.where(d["is_open"], OPEN_LABEL, CLOSED_LABEL)
    d["_row"] = d.index
    return d[["model", "model_id", "date", "value", "openness", "is_open", "side", "country_group",
              "flagged", "_row"]].reset_index(drop=True)


def _date_from(metric: str) -> str:
    m = METRICS.get(metric)
    if m is not None:
        return m.date_from
    return "release" if metric.startswith(("lmarena", "swebench")) else "score"


class Prepared(dict):
    """The tables (a dict name -> DataFrame) plus a cache of per-(metric, snapshot) base points, so a
    control change only filters small frames. The page keeps one for the server's lifetime."""

    def __init__(self, tables):
        super().__init__(tables)
        self._bases: dict[tuple[str, str], pd.DataFrame] = {}
        sc = self["scores"]
        self._snaps = {m: list(g.dropna().unique()) for m, g in sc.groupby("metric")["snapshot"]}

    def snapshots(self, metric: str) -> list[str]:
        return self._snaps.get(metric, [])

    def base(self, metric: str, snapshot: str) -> pd.DataFrame:
        key = (metric, snapshot)
        if key not in self._bases:
            self._bases[key] = _base_points(self["scores"], self["models"], metric, snapshot, _date_from(metric))
        return self._bases[key]

    def domain_base(self) -> pd.DataFrame:
        """Base points of every per-domain benchmark (latest snapshot each), stacked, with metric/snapshot."""
        if "_domains" not in self._bases:
            parts = []
            for _, metric, _, _ in DOMAINS:
                snap = latest_snapshot(self, metric)
                if snap:
                    parts.append(self.base(metric, snap).assign(metric=metric, snapshot=snap))
            self._bases["_domains"] = (pd.concat(parts, ignore_index=True) if parts
                                       else pd.DataFrame(columns=["model", "model_id", "date", "value", "openness",
                                                                  "country_group", "flagged", "metric", "snapshot"]))
        return self._bases["_domains"]

    def warm(self) -> "Prepared":
        """Compute the base points every view can ask for (all metrics, both ECI snapshots, arena dates)."""
        for metric in list(METRICS) + [d[1] for d in DOMAINS]:
            snap = latest_snapshot(self, metric)
            if snap:
                self.base(metric, snap)
        self.base("eci", EPOCH_SNAPSHOT)
        self.domain_base()
        for when in ARENA_DATES.values():
            snap = nearest_snapshot(self, "lmarena_text", when)
            if snap:
                self.base("lmarena_text", snap)
        return self


def prepare(tables) -> Prepared:
    return tables if isinstance(tables, Prepared) else Prepared(tables)


def metric_points(tables, metric: str, snapshot: str | None = None, rule: str = "any",
                  include_flagged: bool = True, country: str = "all", start=None, end=None) -> pd.DataFrame:
    """One point per model for ``metric`` within one snapshot (the latest unless given).

    Scores join the catalog on model_id; of a model's variants (reasoning effort, settings) the best score
    counts, dated by the model's release (the score's own date for ECI, AA and Epoch's hub; the catalog's
    release date for leaderboards whose date is the snapshot, and for SWE-bench, dated by submission). For
    ECI the unit is Epoch's own model name, so two ECI models the catalog merged stay apart. Models of
    unknown openness are dropped. Columns: model, model_id, date, value, openness, is_open, side,
    country_group, flagged."""
    tables = prepare(tables)
    snapshot = snapshot or latest_snapshot(tables, metric)
    if snapshot is None:
        base = _base_points(tables["scores"].iloc[:0], tables["models"], metric, "", "score")
    else:
        base = tables.base(metric, snapshot)
    return filter_points(base, rule, include_flagged, country, start, end)


def as_of(scores: pd.DataFrame, metric: str, snapshot: str | None, pts: pd.DataFrame, end) -> pd.Timestamp:
    """'Now' for a view: the end of the range, but never after the snapshot (or the last model)."""
    end = pd.Timestamp(end)
    snap = snapshot or latest_snapshot(scores, metric)
    try:
        snap_date = pd.Timestamp(snapshot_key(snap)) if snap else pd.NaT
    except ValueError:
        snap_date = pd.NaT
    if pd.notna(snap_date):
        return min(end, snap_date)
    last = pts["date"].max() if len(pts) else pd.NaT
    return min(end, last) if pd.notna(last) else end


# ----------------------------------------------------------------------------------------------
# Analysis
# ----------------------------------------------------------------------------------------------


def sides(pts: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    return pts[pts["is_open"]], pts[~pts["is_open"].astype(bool)]


def step_dates(open_front: pd.DataFrame, closed_front: pd.DataFrame, start, end) -> pd.DatetimeIndex:
    """Dates at which to evaluate the gap so its step/sawtooth shape is exact: every frontier step, the day
    before it, month starts, and the two ends."""
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    steps = pd.DatetimeIndex(pd.concat([open_front["date"], closed_front["date"]]))
    before = steps - pd.Timedelta(days=1)
    months = pd.date_range(start, end, freq="MS")
    allx = steps.append(before).append(months).append(pd.DatetimeIndex([start, end]))
    allx = allx[(allx >= start) & (allx <= end)]
    return pd.DatetimeIndex(sorted(set(allx)))


def mark_censored(ls: pd.DataFrame, closed_front: pd.DataFrame) -> pd.DataFrame:
    """Flag lags that are only lower bounds: the open level was first matched by the *first* closed model in
    the data, so earlier closed models (not in the data) may have matched it sooner."""
    ls = ls.copy()
    ls["censored"] = False
    if closed_front.empty:
        return ls
    cv = closed_front["value"].to_numpy(dtype=float)
    ob = ls["open_best"].to_numpy(dtype=float)
    idx = np.searchsorted(cv, np.where(np.isfinite(ob), ob, np.inf), side="left")
    ls["censored"] = (idx == 0) & (ls["gap_points"].to_numpy() > 0)   # behind, and matched by the first model
    return ls


def robust_trend(series: pd.DataFrame, x: str = "date", y: str = "lag_months", alpha: float = ALPHA) -> dict:
    """Theil-Sen slope (scipy.stats.theilslopes, robust to outliers) of y per year, with its ``alpha`` CI,
    on month-start samples. NaN fields when fewer than 6 samples."""
    d = series[[x, y]].dropna()
    out = {"slope_per_year": np.nan, "low": np.nan, "high": np.nan, "intercept": np.nan, "x0": np.nan,
           "n": int(len(d)), "alpha": alpha}
    if len(d) < 6 or d[y].nunique() < 2:
        if len(d) >= 6:
            out.update(slope_per_year=0.0, low=0.0, high=0.0, intercept=float(d[y].iloc[0]), x0=0.0,
                       y0=float(d[y].iloc[0]))
        return out
    t = (d[x] - pd.Timestamp("2000-01-01")).dt.days.to_numpy() / 365.25
    res = stats.theilslopes(d[y].to_numpy(dtype=float), t, alpha=alpha)
    out.update(slope_per_year=float(res.slope), low=float(res.low_slope), high=float(res.high_slope),
               intercept=float(res.intercept), x0=float(np.median(t)),
               y0=float(np.median(d[y].to_numpy(dtype=float))))
    return out


@dataclasses.dataclass
class Analysis:
    settings: Settings
    metric: Metric
    snapshot: str | None
    points: pd.DataFrame
    open_front: pd.DataFrame
    closed_front: pd.DataFrame
    now: pd.Timestamp
    series: pd.DataFrame          # lag_series on step dates
    monthly: pd.DataFrame         # lag_series at month starts (trend input)
    current: dict                 # open/closed best now, their models, gap, pct, lag
    epoch: dict                   # Epoch-method mean lag / gap over the range, with bootstrap interval
    trend: dict

    @property
    def empty(self) -> bool:
        return self.open_front.empty or self.closed_front.empty


def analyze(tables, settings: Settings, boot_n: int = BOOT_N) -> Analysis:
    s = settings.clean()
    m = METRICS[s.metric]
    tables = prepare(tables)
    snap = latest_snapshot(tables, s.metric)
    # Frontiers use every model up to the end of the range (the best-to-date carries into the range);
    # the dots and Epoch's average use only the models released inside it.
    hist = metric_points(tables, s.metric, snap, s.rule, s.include_flagged, s.country, end=s.end_ts)
    pts = hist[hist["date"] >= s.start_ts].reset_index(drop=True)
    now = as_of(tables, s.metric, snap, pts, s.end_ts)
    hop, hcl = (x[["date", "value", "model"]] for x in sides(hist))
    of, cf = F.running_best(hop), F.running_best(hcl)
    series = mark_censored(F.lag_series(hop, hcl, step_dates(of, cf, s.start_ts, now)), cf)
    monthly = mark_censored(F.lag_series(hop, hcl, pd.date_range(s.start_ts, now, freq="MS")), cf)
    t = G.today(hcl, hop, now)
    current = {"open_model": t["trail_model"], "open_best": t["trail_best"], "open_date": t["trail_date"],
               "closed_model": t["lead_model"], "closed_best": t["lead_best"], "closed_date": t["lead_date"],
               "gap_points": t["gap_points"], "lag_months": t["lag_months"],
               "open_pct": G.share_of_leader_pct(t["trail_best"], t["lead_best"], m.true_zero),
               "matched_date": t["matched_date"], "matched_model": t["matched_model"]}
    epoch = F.bootstrap_gap(hop, hcl, s.start_ts, now, tolerance=0.0, n=boot_n, seed=0, level=ALPHA)
    trend = robust_trend(monthly[~monthly["censored"]])
    return Analysis(s, m, snap, pts, of, cf, now, series, monthly, current, epoch, trend)


# ----------------------------------------------------------------------------------------------
# Number formatting for headlines
# ----------------------------------------------------------------------------------------------


def months_text(x: float) -> str:
    if not np.isfinite(x):
        return "an unknown number of months"
    r = round(x)
    if x <= 0:
        return "0 months"
    if x < 0.5:
        return "under a month"
    return f"{r:.0f} month" + ("" if r == 1 else "s")


def num(x: float, decimals: int = 1) -> str:
    if x is None or not np.isfinite(x):
        return "n/a"
    return f"{x:,.{decimals}f}"


def _month_label(ts) -> str:
    return pd.Timestamp(ts).strftime("%b %Y") if ts is not None and pd.notna(ts) else "n/a"


def scope_text(s: Settings) -> str:
    bits = []
    if s.country != "all":
        bits.append({"us": "among US models", "china": "among Chinese models",
                     "other": "among models from other countries"}[s.country])
    if s.rule == "unrestricted":
        bits.append("counting only unrestricted licences as open")
    return (", " + ", ".join(bits)) if bits else ""


# ----------------------------------------------------------------------------------------------
# Chart cards
# ----------------------------------------------------------------------------------------------


class _Frozen:
    """A chart whose Vega-Lite spec is fixed: ``to_dict`` returns that spec (plus a description set later),
    so rendering a cached card again costs nothing. Built by ``freeze`` (from an Altair chart) or
    ``spec_chart`` (from a spec written as a dict); the classes below keep it picklable."""

    def copy(self, *args, **kwargs):
        new = super().copy(*args, **kwargs)
        object.__setattr__(new, "__class__", type(self))
        new.__dict__["_frozen_spec"] = self.__dict__["_frozen_spec"]
        return new

    def to_dict(self, *args, **kwargs):
        spec = dict(self.__dict__["_frozen_spec"])
        if "datasets" in spec:
            spec["datasets"] = dict(spec["datasets"])
        # properties set on the frozen chart afterwards (the card's description, presenter mode's height)
        single = "layer" in spec or "mark" in spec
        for key in ("description", "height", "width"):
            val = self._kwds.get(key, alt.Undefined)
            if val is alt.Undefined or (key != "description" and not single):
                continue
            spec[key] = val.to_dict() if hasattr(val, "to_dict") else val
        return spec


class FrozenChart(_Frozen, alt.Chart):
    pass


class FrozenLayerChart(_Frozen, alt.LayerChart):
    pass


class FrozenVConcatChart(_Frozen, alt.VConcatChart):
    pass


_FROZEN = {alt.Chart: FrozenChart, alt.LayerChart: FrozenLayerChart, alt.VConcatChart: FrozenVConcatChart}
VL_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"


def spec_chart(spec: dict) -> FrozenChart:
    """Wrap a Vega-Lite spec written as a dict (the charts that change with the controls are built this way:
    no Altair object tree to build, copy and serialise, so a control change stays fast)."""
    chart = alt.Chart()
    object.__setattr__(chart, "__class__", FrozenChart)
    chart.__dict__["_frozen_spec"] = {"$schema": VL_SCHEMA, **spec}
    return chart


def _records(df: pd.DataFrame) -> list[dict]:
    """JSON-ready rows: dates as ISO strings, NaN as null."""
    out = df.copy()
    for c in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[c]):
            out[c] = out[c].dt.strftime("%Y-%m-%d")
    out = out.astype(object).where(pd.notna(out), None)
    return out.to_dict("records")


def _f(field: str, typ: str, **kw) -> dict:
    return {"field": field, "type": {"Q": "quantitative", "T": "temporal", "N": "nominal",
                                     "O": "ordinal"}[typ], **kw}


def _openness_color(title: str = "Weights", yours: bool = False) -> dict:
    """Colour by side (open / closed), plus the reader's own models ("Yours") when ``yours``."""
    domain, rng = list(theme.OPENNESS_DOMAIN), list(theme.OPENNESS_RANGE)
    if yours:
        domain.append(YOURS_LABEL)
        rng.append(theme.YOURS)
    return _f("side", "N", title=title, legend={"orient": "top"}, scale={"domain": domain, "range": rng})


def _yours_shape(title: str = "Weights") -> dict:
    """Shape by side when the reader's models are drawn: circles for open and closed, a diamond for "Yours".
    Same field and title as the colour, so Vega-Lite merges the two into one legend with a purple diamond."""
    return _f("side", "N", title=title, legend={"orient": "top"},
              scale={"domain": list(theme.OPENNESS_DOMAIN) + [YOURS_LABEL], "range": ["circle", "circle", "diamond"]})


def _message_spec(message: str) -> dict:
    return {"width": "container", "height": 120, "data": {"values": [{"msg": message}]},
            "mark": {"type": "text", "size": 14, "color": theme.NEUTRAL}, "encoding": {"text": _f("msg", "N")}}


def freeze(card: ChartCard) -> ChartCard:
    """Precompute the card's chart spec (one ``to_dict``) and pin it to the chart. Schema validation is
    skipped here for speed; the unit tests validate every card's chart for several settings."""
    chart = card.chart
    cls = _FROZEN.get(type(chart))
    if cls is None:
        return card
    spec = chart.to_dict(validate=False)
    frozen = chart.copy(deep=False)
    object.__setattr__(frozen, "__class__", cls)   # SchemaBase.__setattr__ would store it as a property
    frozen.__dict__["_frozen_spec"] = spec
    card.chart = frozen
    return card


def _sources(metric: Metric) -> list[str]:
    return [metric.source]


def _fmt_row(value, low, high, decimals: int = 1) -> str:
    txt = num(value, decimals)
    if np.isfinite(low) and np.isfinite(high):
        txt += f" ({num(low, decimals)} to {num(high, decimals)})"
    return txt


def _dot_panel(d: pd.DataFrame, x_title: str, color: alt.Color, shape: alt.Shape | None = None,
               title: str | None = None, row_px: int = 36) -> alt.LayerChart:
    """Dot-and-interval rows with each row's label written above it (no y-axis labels), so the panel fills
    the container's width even inside a vconcat, on a phone as on a laptop. ``d`` needs label, text,
    value, low, high and the colour/shape fields."""
    order = list(dict.fromkeys(d["label"]))
    y = alt.Y("label:N", sort=order, axis=None, title=None)
    base = alt.Chart(d)
    tip = [alt.Tooltip("label:N", title="Estimate"), alt.Tooltip("value:Q", format=".1f"),
           alt.Tooltip("low:Q", format=".1f", title="Low"), alt.Tooltip("high:Q", format=".1f", title="High")]
    if "note" in d:
        tip.append(alt.Tooltip("note:N", title="Interval"))
    if "source" in d:
        tip.append(alt.Tooltip("source:N", title="Source"))
    lo = float(np.nanmin(np.r_[d["value"].to_numpy(float), d["low"].to_numpy(float), 0.0]))
    hi = float(np.nanmax(np.r_[d["value"].to_numpy(float), d["high"].to_numpy(float)]))
    xscale = alt.Scale(domain=[min(0.0, lo), hi * 1.05 if hi > 0 else 1.0])
    x = alt.X("value:Q", title=x_title, scale=xscale)
    rules = base.mark_rule(strokeWidth=2.5).encode(x=alt.X("low:Q", scale=xscale), x2="high:Q", y=y,
                                                   color=color)
    enc = {"x": x, "y": y, "color": color, "tooltip": tip}
    if shape is not None:
        enc["shape"] = shape
    dots = base.mark_point(filled=True, size=110, opacity=1).encode(**enc)
    text = base.mark_text(align="left", baseline="bottom", dy=-8, fontSize=11, color="#333").encode(
        x=alt.value(2), y=y, text="text:N")
    chart = alt.layer(rules, dots, text).properties(width="container", height=row_px * len(order))
    return chart.properties(title=title) if title else chart


YOURS_COLUMNS = ["model", "date", "value", "side", "weights"]


def yours_points(user: pd.DataFrame | None, metric: str, start=None, end=None) -> pd.DataFrame:
    """The reader's own models (openclosed.byod format) scored on ``metric`` and released within
    [start, end]: model, date (Timestamp), value, side ("Yours"), weights ("Open weights" / "Closed").
    Rows with no usable date or score are left out. Never passed to the analysis."""
    if user is None or len(user) == 0 or not {"name", "metric", "score", "release_date"} <= set(user.columns):
        return pd.DataFrame(columns=YOURS_COLUMNS)
    u = user[user["metric"].astype(str) == metric]
    if "open_weights" in u:
        ow = u["open_weights"].astype(bool)
    else:
        ow = u["openness"].astype(str).str.lower() == "open" if "openness" in u else pd.Series(False, index=u.index)
    d = pd.DataFrame({"model": u["name"].astype(str),
                      "date": pd.to_datetime(u["release_date"], errors="coerce"),
                      "value": pd.to_numeric(u["score"], errors="coerce"),
                      "side": YOURS_LABEL,
                      "weights": np.where(ow, OPEN_LABEL, CLOSED_LABEL)}, columns=YOURS_COLUMNS)
    d = d[d["date"].notna() & np.isfinite(d["value"].astype(float))]
    if start is not None:
        d = d[d["date"] >= pd.Timestamp(start)]
    if end is not None:
        d = d[d["date"] <= pd.Timestamp(end)]
    return d.sort_values(["date", "model"], kind="mergesort").reset_index(drop=True)


def _yours_layer(mine: pd.DataFrame, x: dict, y: dict, color: dict, m: Metric) -> dict:
    """The reader's models: filled diamonds in the "Yours" colour, drawn last so they sit on top."""
    return {"data": {"values": _records(mine)},
            "mark": {"type": "point", "filled": True, "size": 160, "opacity": 1, "stroke": "white",
                     "strokeWidth": 1},
            "encoding": {"x": x, "y": y, "color": color, "shape": _yours_shape(),
                         "tooltip": [_f("model", "N", title="Your model"), _f("value", "Q", title=m.unit,
                                                                               format=f".{m.decimals}f"),
                                     _f("date", "T", title="Released"),
                                     _f("weights", "N", title="Open or closed")]}}


def yours_note(user: pd.DataFrame | None, s: Settings) -> str:
    """A caption for the page when the reader has models: how many are drawn on this yardstick and date range,
    where the others are, and that they change none of the computed numbers. '' when there are none."""
    if user is None or len(user) == 0:
        return ""
    s = s.clean()
    m = METRICS[s.metric]
    here = yours_points(user, s.metric)
    shown = yours_points(user, s.metric, s.start_ts, s.end_ts)
    n = len(user)
    txt = (f"Your models: {len(shown)} of {n} {'is' if len(shown) == 1 else 'are'} drawn on the frontier chart as "
           f"purple diamonds marked 'Yours'. They are for comparison only: the frontiers, lags and headline numbers "
           f"use public data and do not change.")
    if len(here) > len(shown):
        txt += f" {len(here) - len(shown)} on {m.short} fall outside the date range."
    other = user[user["metric"].astype(str) != s.metric]
    if len(other):
        where = ", ".join(f"{METRICS[k].label} ({v})" if k in METRICS else f"{k} ({v})"
                          for k, v in other["metric"].astype(str).value_counts().sort_index().items())
        txt += f" Scored on another yardstick, so not drawn here: {where}."
    return txt


def frontier_card(a: Analysis, events: pd.DataFrame, user: pd.DataFrame | None = None) -> ChartCard:
    """The frontier chart. ``user``: the reader's own models (openclosed.byod format); those on this card's
    metric and date range are drawn as "Yours" diamonds on top. They are not part of ``a``: no frontier, lag
    or headline uses them."""
    s, m, cur = a.settings, a.metric, a.current
    snap_txt = f"Snapshot of {snapshot_key(a.snapshot)}" if a.snapshot else "No snapshot"
    subtitle = (f"Best score to date of open-weight and closed models on {m.label} ({m.unit}); each dot is a "
                f"model (best variant), dated by release. {snap_txt}; {_month_label(s.start_ts)} to "
                f"{_month_label(a.now)}.")
    if a.empty or not np.isfinite(cur["gap_points"]):
        title = (f"Not enough models to compare open and closed on {m.short} for these settings"
                 f"{scope_text(s)}.")
        data = a.points.copy()
        chart = spec_chart(_message_spec("No open or no closed model in this selection"))
        return ChartCard("perf_frontier", title, subtitle, chart, data, _sources(m),
                         alt="Empty chart: no open or no closed model for this selection.",
                         method=frontier_method(m), page=PAGE, settings=s.text())
    lag, gap = cur["lag_months"], cur["gap_points"]
    if gap < 0:
        title = (f"The best open model, {cur['open_model']}, leads the best closed one, {cur['closed_model']}, "
                 f"by {num(-gap, m.decimals)} {m.points_word} on {m.short} as of {_month_label(a.now)}"
                 f"{scope_text(s)}.")
    elif lag <= 0 or gap == 0:
        title = (f"The best open model, {cur['open_model']}, is level with closed models on {m.short} as of "
                 f"{_month_label(a.now)}{scope_text(s)}.")
    else:
        title = (f"Open models trail by about {months_text(lag)} on {m.short}{scope_text(s)}: the best open "
                 f"model, {cur['open_model']}, scores {num(cur['open_best'], m.decimals)}, a level closed models "
                 f"reached in {_month_label(cur['matched_date'])}.")
    pts = a.points.assign(date=lambda d: d["date"].dt.strftime("%Y-%m-%d"))[
        ["model", "date", "value", "side", "openness"]]
    steps = []
    for label, front in ((OPEN_LABEL, a.open_front), (CLOSED_LABEL, a.closed_front)):
        inside = front[(front["date"] >= s.start_ts) & (front["date"] <= a.now)]
        before = front[front["date"] < s.start_ts]
        parts = [before.iloc[[-1]].assign(date=s.start_ts)] if len(before) else []
        parts.append(inside)
        f = pd.concat(parts) if parts else inside
        if f.empty:
            continue
        steps.append(pd.concat([f, f.iloc[[-1]].assign(date=a.now)]).assign(side=label))
    steps = (pd.concat(steps, ignore_index=True) if steps else pd.DataFrame(columns=["date", "value", "model", "side"]))
    steps = steps.assign(date=pd.to_datetime(steps["date"]).dt.strftime("%Y-%m-%d"))
    mine = yours_points(user, m.key, s.start_ts, s.end_ts)
    x_end = max(a.now, mine["date"].max()) if len(mine) else a.now
    x = _f("date", "T", title="Release date",
           scale={"domain": [s.start_ts.strftime("%Y-%m-%d"), x_end.strftime("%Y-%m-%d")]})
    y_title = m.unit[0].upper() + m.unit[1:] if m.key != "eci" else "ECI score"
    y = _f("value", "Q", title=y_title, scale={"zero": False})
    fmt = f".{m.decimals}f"
    color = _openness_color(yours=len(mine) > 0)
    dots = {"data": {"values": _records(pts)}, "mark": {"type": "circle", "size": 45, "opacity": 0.55},
            "encoding": {"x": x, "y": y, "color": color,
                         "tooltip": [_f("model", "N", title="Model"), _f("date", "T", title="Released"),
                                     _f("value", "Q", title=m.unit, format=fmt),
                                     _f("openness", "N", title="Openness")]}}
    lines = {"data": {"values": _records(steps[["date", "value", "model", "side"]])},
             "mark": {"type": "line", "interpolate": "step-after", "strokeWidth": 2.5},
             "encoding": {"x": x, "y": y, "color": color,
                          "tooltip": [_f("model", "N", title="Frontier model"),
                                      _f("value", "Q", title=m.unit, format=fmt)]}}
    ev = events_in_range(events, s.start_ts, a.now)
    layers = [dots, lines]
    if len(ev):
        rules = {"data": {"values": _records(ev)},
                 "mark": {"type": "rule", "strokeDash": [3, 3], "opacity": 0.35, "color": theme.NEUTRAL},
                 "encoding": {"x": _f("date", "T"), "tooltip": [_f("label", "N", title="Event"),
                                                               _f("date", "T", title="Date"),
                                                               _f("source", "N", title="Source")]}}
        text = {"data": {"values": _records(ev[ev["key"]])},
                "mark": {"type": "text", "align": "left", "dx": 3, "fontSize": 10, "color": "#444"},
                "encoding": {"x": _f("date", "T"), "y": _f("ypos", "Q", scale=None), "text": _f("short", "N")}}
        layers = [rules, text] + layers
    if len(mine):
        dots["mark"] = {"type": "point", "filled": True, "size": 45, "opacity": 0.55}
        dots["encoding"]["shape"] = _yours_shape()
        layers.append(_yours_layer(mine, x, y, color, m))
        subtitle += (f" Purple diamonds: your {len(mine)} model{'s' if len(mine) != 1 else ''} ('Yours'), for "
                     "comparison only; they do not move the frontiers, the lag or any number on this page.")
    chart = spec_chart({"width": "container", "height": 460, "layer": layers})
    data = pts.assign(kind="model")
    data = pd.concat([data, steps.assign(kind="frontier step")[["model", "date", "value", "side", "kind"]]],
                     ignore_index=True)
    alt_text = (f"Step chart of the best {m.short} score to date for open-weight (orange) and closed (blue) "
                f"models from {s.start} to {_month_label(a.now)}. Best closed now: {cur['closed_model']} "
                f"at {num(cur['closed_best'], m.decimals)}; best open: {cur['open_model']} at "
                f"{num(cur['open_best'], m.decimals)}.")
    if len(mine):
        yours_rows = mine.assign(date=mine["date"].dt.strftime("%Y-%m-%d"), openness=mine["weights"], kind="yours")
        data = pd.concat([data, yours_rows[["model", "date", "value", "side", "openness", "kind"]]],
                         ignore_index=True)
        # the reader's names stay out of the alt text, which the card renders as markdown
        alt_text += (f" Your {len(mine)} model{'s' if len(mine) != 1 else ''}, as purple diamonds: "
                     + "; ".join(f"{num(r.value, m.decimals)} ({r.weights.lower()}, {_month_label(r.date)})"
                                 for r in mine.itertuples()) + ".")
    return ChartCard("perf_frontier", title, subtitle, chart, data, _sources(m) + (["curated"] if len(ev) else []),
                     alt=alt_text, method=frontier_method(m), page=PAGE, settings=s.text())


def events_in_range(events: pd.DataFrame, start, end) -> pd.DataFrame:
    if events is None or events.empty:
        return pd.DataFrame(columns=["date", "label", "source", "key", "short", "ypos"])
    e = events[events["kind"].isin(["open_release", "closed_release"])].copy()
    e["ts"] = pd.to_datetime(e["date"])
    e = e[(e["ts"] >= pd.Timestamp(start)) & (e["ts"] <= pd.Timestamp(end))].sort_values("ts")
    e["key"] = e["event_id"].isin(KEY_EVENTS)
    e["short"] = e["label"].str.replace(" released", "", regex=False)
    # stagger the labels vertically (pixels from the top) so neighbours do not overlap
    order = np.cumsum(e["key"].to_numpy()) - 1
    e["ypos"] = 12 + (order % 3) * 14
    return e[["date", "label", "source", "key", "short", "ypos"]].reset_index(drop=True)


def frontier_method(m: Metric) -> str:
    return (
        f"**What is plotted.** {m.what}\n\n"
        "**Frontier.** For each side the running best score to date (`openclosed.frontier.running_best`): a "
        "step up each time a model beats every earlier model of its side. Ties on one date go to the higher "
        "score, then the alphabetically first name, so the result does not depend on row order.\n\n"
        "**Which models count.** Scores join the model catalog (`data/models.csv`) on `model_id`; of a "
        "model's variants (reasoning effort, settings) the best one counts. *Open* means open weights "
        "(Epoch's accessibility classes; under *unrestricted only*, restricted-licence open models such as "
        "Llama or Qwen are left out of both sides). *Closed* means API, hosted-only or unreleased. Models "
        "whose openness is **unknown** are excluded from both frontiers. The country filter uses Epoch's "
        "country of the developer; models without a country count only under *all countries*.\n\n"
        "**Dates.** ECI, Artificial Analysis, Epoch hub and LiveBench scores carry the model's release or "
        "version date. For LMArena (dated by snapshot) and SWE-bench (dated by submission) the catalog's "
        "release date is used, never later than the snapshot; an LMArena rating key that first appeared on "
        "the leaderboard more than a year after that date (a name the catalog matched to an older model) is "
        "dated by its first appearance instead. Models retired from the leaderboard before the snapshot are "
        "missing from it, so the early closed frontier on LMArena is understated; and an alias such as "
        "ChatGPT-4o-latest is rated as its newest version but dated by its first release.\n\n"
        "**Events.** Dashed rules mark releases from the curated events table (`data/events.csv`, each row "
        "cites a source); hover a rule for its source."
    )


def gap_card(a: Analysis) -> ChartCard:
    s, m, cur = a.settings, a.metric, a.current
    pct_part = (" and the open best as a % of the closed best's percent-correct score (orange line, right axis)"
                if m.true_zero else "")
    subtitle = (f"Closed best-to-date minus open best-to-date on {m.label}, in {m.points_word} (blue area, left "
                f"axis){pct_part}; {_month_label(s.start_ts)} to {_month_label(a.now)}.")
    ser = a.series.dropna(subset=["gap_points"])
    if a.empty or ser.empty:
        return ChartCard("perf_gap", f"No vertical gap can be computed on {m.short} for these settings.",
                         subtitle, spec_chart(_message_spec("No open or no closed model in this selection")),
                         ser, _sources(m), alt="Empty chart.", method=gap_method(m), page=PAGE, settings=s.text())
    first = ser.iloc[0]
    then = (f"against {num(first['gap_points'], m.decimals)} in {_month_label(first['date'])}"
            if first["gap_points"] >= 0 else
            f"when in {_month_label(first['date'])} the best open model led by {num(-first['gap_points'], m.decimals)}")
    if num(cur["gap_points"], m.decimals) == num(0.0, m.decimals):
        title = (f"The best open and best closed models are tied on {m.short} as of {_month_label(a.now)} "
                 f"({num(cur['open_best'], m.decimals)} vs {num(cur['closed_best'], m.decimals)}), {then}.")
    elif cur["gap_points"] > 0:
        share = f"open at {num(cur['open_pct'], 1)}% of the closed score; " if m.true_zero else ""
        title = (f"The best closed model leads the best open one by {num(cur['gap_points'], m.decimals)} "
                 f"{m.points_word} ({share}closed first reached today's open level "
                 f"{num(cur['lag_months'], 1)} months earlier) as of {_month_label(a.now)}, {then}.")
    else:
        title = (f"The best open model leads the best closed one by {num(-cur['gap_points'], m.decimals)} "
                 f"{m.points_word} as of {_month_label(a.now)}, {then}.")
    d = ser[["date", "open_best", "closed_best", "gap_points"]
            + (["open_pct_of_closed"] if m.true_zero else [])].copy()
    fmt = f".{m.decimals}f"
    tip = [_f("date", "T", title="Date"), _f("gap_points", "Q", title=f"Gap ({m.points_word})", format=fmt),
           _f("closed_best", "Q", title="Closed best", format=fmt), _f("open_best", "Q", title="Open best", format=fmt)]
    if m.true_zero:
        tip.insert(2, _f("open_pct_of_closed", "Q", title="Open as % of the closed score", format=".1f"))
    x = _f("date", "T", title="Date")
    top = {"mark": {"type": "area", "interpolate": "step-after", "opacity": 0.3, "color": theme.CLOSED,
                    "line": {"color": theme.CLOSED}},
           "encoding": {"x": x, "y": _f("gap_points", "Q", title=f"Gap ({m.points_word}, blue area)",
                                        axis={"titleColor": theme.CLOSED}), "tooltip": tip}}
    layers = [top]
    if m.true_zero:
        layers.append({"mark": {"type": "line", "interpolate": "step-after", "color": theme.OPEN, "strokeWidth": 2.5},
                       "encoding": {"x": x, "y": _f("open_pct_of_closed", "Q",
                                                    title="Open as % of the closed score (orange line)",
                                                    scale={"zero": False},
                                                    axis={"titleColor": "#B07A00", "orient": "right"}),
                                    "tooltip": tip}})
    chart = spec_chart({"width": "container", "height": 360, "data": {"values": _records(d)},
                        "layer": layers, "resolve": {"scale": {"y": "independent"}}})
    d["date"] = d["date"].dt.strftime("%Y-%m-%d")
    alt_text = (f"Area chart of the closed-minus-open gap in {m.points_word} over time"
                + (" and a line of the open best as a percentage of the closed best" if m.true_zero else "")
                + f". Now: {num(cur['gap_points'], m.decimals)} {m.points_word}"
                + (f", {num(cur['open_pct'], 1)}%." if m.true_zero else "."))
    return ChartCard("perf_gap", title, subtitle, chart, d, _sources(m), alt=alt_text, method=gap_method(m),
                     page=PAGE, settings=s.text())


def gap_method(m: Metric) -> str:
    pct_note = ("On this percent-correct yardstick 0 means nothing solved, so the orange line also shows "
                "`100 × open / closed`, the open best as a % of the closed score." if m.true_zero else
                f"{m.label} has no true zero (its zero is set by convention), so a ratio of two scores means "
                "nothing: read the points behind, and the months behind in the lag chart.")
    return ("**Vertical gap** at each date: the closed frontier's value minus the open frontier's value "
            "(`frontier.lag_series`, column `gap_points`). It is negative when the best open model is ahead. "
            f"{pct_note}")


def lag_card(a: Analysis) -> ChartCard:
    s, m, cur, tr, ep = a.settings, a.metric, a.current, a.trend, a.epoch
    subtitle = (f"Months since closed models first reached the open frontier's level, at each date "
                f"({m.label}); dashed: Theil-Sen trend on monthly samples (lower bounds left out) with its 90% "
                f"slope interval.")
    ser = a.series.dropna(subset=["lag_months"])
    if a.empty or ser.empty:
        return ChartCard("perf_lag", f"No lag in months can be computed on {m.short} for these settings.",
                         subtitle, spec_chart(_message_spec("No open or no closed model in this selection")), ser,
                         _sources(m), alt="Empty chart.", method=lag_method(), page=PAGE, settings=s.text())
    slope, lo, hi = tr["slope_per_year"], tr["low"], tr["high"]
    unc = a.monthly[~a.monthly["censored"]].dropna(subset=["lag_months"])
    start_txt = _month_label(unc["date"].iloc[0]) if len(unc) else _month_label(ser["date"].iloc[0])
    if not np.isfinite(slope):
        trend_txt = "too few months to fit a trend"
    elif lo > 0:
        trend_txt = f"since {start_txt} the lag has grown by about {num(slope, 1)} months a year"
    elif hi < 0:
        trend_txt = f"since {start_txt} the lag has shrunk by about {num(-slope, 1)} months a year"
    else:
        trend_txt = f"since {start_txt} it shows no clear trend ({num(slope, 1)} months a year)"
    title = (f"Open models trail by {months_text(cur['lag_months'])} on {m.short} today; {trend_txt}"
             + (f" (90% CI {num(lo, 1)} to {num(hi, 1)})." if np.isfinite(slope) else "."))
    d = ser[["date", "lag_months", "open_best", "closed_best", "censored"]].copy()
    d["part"] = np.where(d["censored"], "Lower bound (before the data's first closed model could be beaten)",
                         "Lag")
    band = pd.DataFrame()
    if np.isfinite(slope) and len(unc):
        t = pd.date_range(unc["date"].iloc[0], ser["date"].iloc[-1], periods=40)
        yrs = (t - pd.Timestamp("2000-01-01")).days.to_numpy() / 365.25
        fit = tr["intercept"] + slope * yrs
        y0 = tr.get("y0", np.nan)
        a1 = y0 + lo * (yrs - tr["x0"])
        a2 = y0 + hi * (yrs - tr["x0"])
        band = pd.DataFrame({"date": t.strftime("%Y-%m-%d"), "fit": fit, "band_low": np.minimum(a1, a2),
                             "band_high": np.maximum(a1, a2)})
    d["date"] = d["date"].dt.strftime("%Y-%m-%d")
    x = _f("date", "T", title="Date")
    parts = ["Lag", "Lower bound (before the data's first closed model could be beaten)"]
    # draw the lower-bound stretch up to the first uncensored point so the line does not break
    d_lines = d.copy()
    if d["censored"].any() and (~d["censored"]).any():
        first_unc = d.index[~d["censored"]][0]
        d_lines = pd.concat([d, d.loc[[first_unc]].assign(part=parts[1])], ignore_index=True)
    line = {"data": {"values": _records(d_lines.drop(columns=["censored"]))},
            "mark": {"type": "line", "strokeWidth": 2},
            "encoding": {"x": x, "y": _f("lag_months", "Q", title="Lag (months)"),
                         "color": _f("part", "N", title=None, scale={"domain": parts, "range": [theme.OPEN, "#BBBBBB"]},
                                     legend={"orient": "top", "labelLimit": 420}),
                         "tooltip": [_f("date", "T", title="Date"),
                                     _f("lag_months", "Q", title="Lag (months)", format=".1f"),
                                     _f("part", "N", title="Kind")]}}
    layers = [line]
    if len(band):
        area = {"data": {"values": _records(band)}, "mark": {"type": "area", "opacity": 0.18, "color": theme.NEUTRAL},
                "encoding": {"x": _f("date", "T"), "y": _f("band_low", "Q"), "y2": {"field": "band_high"}}}
        fitl = {"data": {"values": _records(band)}, "mark": {"type": "line", "color": "#555", "strokeDash": [6, 3]},
                "encoding": {"x": _f("date", "T"), "y": _f("fit", "Q"),
                             "tooltip": [_f("fit", "Q", title="Trend (months)", format=".1f")]}}
        layers = [area, fitl, line]
    chart = spec_chart({"width": "container", "height": 340, "layer": layers})
    data = d.drop(columns=["censored"]).merge(band, on="date", how="outer") if len(band) else d
    alt_text = (f"Line chart of the lag in months over time with a dashed trend line. Lag now: "
                f"{num(cur['lag_months'], 1)} months; trend {num(slope, 1)} months per year.")
    return ChartCard("perf_lag", title, subtitle, chart, data, _sources(m), alt=alt_text, method=lag_method(),
                     page=PAGE, settings=s.text())


def lag_method() -> str:
    return (
        "**Horizontal lag at a date** (`frontier.lag_at`): take the open frontier's level at that date and "
        "find the first date the closed frontier reached it; the lag is the months between (days / 30.44). "
        "It is 0 when the best open model is level with or ahead of the best closed one, and it grows by a "
        "month every month until a better open model arrives, hence the saw-tooth.\n\n"
        "**Trend.** A Theil-Sen line (`scipy.stats.theilslopes`: the median of all pairwise slopes, robust "
        "to the saw-tooth's jumps) fitted to the lag sampled at the start of each month; the grey band spans "
        "the lines through the median point whose slopes lie in the 90% confidence interval. Monthly samples "
        "are autocorrelated, so treat the interval as optimistic.\n\n"
        "**Lower bounds.** The data start with the first closed model each source scored (GPT-4 in March "
        "2023 on the ECI). While the open frontier sits below that model, the lag can only be measured back "
        "to it, so it is a lower bound: drawn in grey and left out of the trend."
    )


# ----------------------------------------------------------------------------------------------
# Epoch check (fixed: ECI, Epoch's window) and the 2026 comparison
# ----------------------------------------------------------------------------------------------


def eci_points(tables, snapshot: str, start=None, end=None) -> pd.DataFrame:
    return metric_points(tables, "eci", snapshot, "any", True, "all", start, end)


def epoch_check(tables, boot_n: int = BOOT_N) -> pd.DataFrame:
    """Epoch AI's Oct 2025 average gap recomputed on both ECI snapshots, Jan 2023 to Oct 2025, with
    bootstrap 90% intervals, beside the published figures; plus a tolerance sensitivity row."""
    pub = tables["published_estimates"].set_index("estimate_id")
    rows = []
    for est, unit in (("epoch2025_lag", "months"), ("epoch2025_gap_eci", "ECI points")):
        r = pub.loc[est]
        rows.append({"row": "Epoch AI, published Oct 2025", "unit": unit, "value": r["value"], "low": r["low"],
                     "high": r["high"], "who": "Published", "snapshot": "", "tolerance": np.nan})
    for snap, label in ((EPOCH_SNAPSHOT, "This report, ECI snapshot Nov 2025"),
                        (LATEST_ECI_SNAPSHOT, "This report, ECI snapshot Mar 2026")):
        pts = eci_points(tables, snap)
        op, cl = sides(pts)
        b = F.bootstrap_gap(op, cl, EPOCH_START, EPOCH_END, tolerance=0.0, n=boot_n, seed=0, level=ALPHA)
        rows.append({"row": label, "unit": "months", "value": b["mean_lag_months"], "low": b["lag_low"],
                     "high": b["lag_high"], "who": "This report", "snapshot": snap, "tolerance": 0.0})
        rows.append({"row": label, "unit": "ECI points", "value": b["mean_gap_points"], "low": b["gap_low"],
                     "high": b["gap_high"], "who": "This report", "snapshot": snap, "tolerance": 0.0})
    pts = eci_points(tables, EPOCH_SNAPSHOT)
    op, cl = sides(pts)
    for tol in (1.0, 2.0):
        g = F.epoch_horizontal_gap(op, cl, EPOCH_START, EPOCH_END, tolerance=tol)
        label = f"This report, Nov 2025, {tol:.0f}-point catch-up tolerance"
        rows.append({"row": label, "unit": "months", "value": g["mean_lag_months"], "low": np.nan,
                     "high": np.nan, "who": "This report", "snapshot": EPOCH_SNAPSHOT, "tolerance": tol})
        rows.append({"row": label, "unit": "ECI points", "value": g["mean_gap_points"], "low": np.nan,
                     "high": np.nan, "who": "This report", "snapshot": EPOCH_SNAPSHOT, "tolerance": tol})
    return pd.DataFrame(rows)


def since_2026(tables) -> dict:
    """The average lag and gap over the days since 1 Jan 2026 in the Mar 2026 snapshot (lag at each day,
    all earlier models counted), to set beside Epoch's May 2026 '4 months, 8 points'."""
    pts = eci_points(tables, LATEST_ECI_SNAPSHOT)
    op, cl = sides(pts)
    end = pd.Timestamp(LATEST_ECI_SNAPSHOT)
    days = pd.date_range("2026-01-01", end, freq="D")
    ls = F.lag_series(op, cl, days)
    return {"mean_lag_months": float(ls["lag_months"].mean()), "mean_gap_points": float(ls["gap_points"].mean()),
            "days": int(len(days)), "end": end}


def epoch_card(tables, check: pd.DataFrame, s26: dict) -> ChartCard:
    pub = check[check["who"] == "Published"].set_index("unit")
    ours = check[(check["snapshot"] == EPOCH_SNAPSHOT) & (check["tolerance"] == 0)].set_index("unit")
    late = check[(check["snapshot"] == LATEST_ECI_SNAPSHOT)].set_index("unit")
    inside = ours.loc["months", "low"] <= pub.loc["months", "value"] <= ours.loc["months", "high"]
    title = (f"Recomputed on Epoch's own data and window, the open-model lag is "
             f"{num(ours.loc['months', 'value'], 1)} months and {num(ours.loc['ECI points', 'value'], 1)} ECI "
             f"points, against Epoch's published {num(pub.loc['months', 'value'], 1)} months and "
             f"~{num(pub.loc['ECI points', 'value'], 0)} points"
             + (" (inside our 90% interval)." if inside else "."))
    subtitle = ("Average horizontal gap (months) and vertical gap (ECI points) between the open and closed ECI "
                "frontiers, Jan 2023 to Oct 2025; dots are estimates, bars 90% intervals (bootstrap over "
                "models for ours; Epoch's as published).")
    d = check.copy()
    d["label"] = d["row"]
    d["text"] = [f"{r.row}: {_fmt_row(r.value, r.low, r.high)}" for r in d.itertuples()]
    who = alt.Scale(domain=["Published", "This report"], range=["#222222", theme.OPEN])
    color = alt.Color("who:N", scale=who, title=None, legend=alt.Legend(orient="top"))
    shape = alt.Shape("who:N", scale=alt.Scale(domain=["Published", "This report"], range=["diamond", "circle"]),
                      title=None, legend=alt.Legend(orient="top"))
    panels = [_dot_panel(d[d["unit"] == "months"], "Average lag (months)", color, shape),
              _dot_panel(d[d["unit"] == "ECI points"], "Average gap (ECI points)", color.legend(None),
                         shape.legend(None))]
    chart = alt.vconcat(*panels)
    method = (
        "**Epoch's method** (data insight *Open-weight models lag state-of-the-art by around 3 months on "
        "average*, Luke Emberson, 30 Oct 2025): draw the open and closed ECI frontiers as step lines; the "
        "average *horizontal* gap is the mean, over every ECI level both lines reach inside the window, of "
        "the months between the closed line first reaching the level and the open line reaching it; the "
        "average *vertical* gap is the mean over days where both lines exist of closed minus open. Epoch "
        "counts an open model as having caught up when the difference is not statistically significant "
        "(DeepSeek-V2 at 125 vs GPT-4 at 126). Implemented in `openclosed.frontier.epoch_horizontal_gap`; "
        "exact for step lines (integrals over the segments between model scores and dates). Only models "
        "released inside the window count, so each frontier starts with its first model of 2023.\n\n"
        "**Our inputs.** `data/scores.csv`, metric `eci`, snapshot 2025-11-04 (the one nearest Epoch's "
        "publication) and 2026-03-09; every scored model of known openness, open = any open weights, closed "
        "= API, hosted or unreleased; one point per Epoch model.\n\n"
        "**Why the numbers differ a little.**\n"
        "- *Tolerance.* We do not have ECI standard errors, so the headline uses no tolerance (a strict "
        "catch-up). Counting differences of 1 or 2 ECI points as caught up (rows below) shortens the lag, "
        "bracketing Epoch's 3.5 months.\n"
        "- *Snapshot.* ECI is re-estimated with each release: the same models move by a point or two between "
        "the November 2025 and March 2026 snapshots, and Epoch's page may have used a slightly different "
        "version of the November data.\n"
        "- *Interval.* Our 90% interval resamples models only; Epoch's (1.1 to 5.3 months; 0 to 14 points) "
        "is wider, consistent with it also carrying the noise in each model's ECI estimate.\n\n"
        f"**Since January 2026** (Epoch's May 2026 update reports about 4 months and 8 points): in the March "
        f"2026 snapshot the lag averaged over the {s26['days']} days from 1 Jan to "
        f"{s26['end'].strftime('%d %b %Y')} is {num(s26['mean_lag_months'], 1)} months and the gap "
        f"{num(s26['mean_gap_points'], 1)} ECI points. That is a daily average of `lag_at` using all earlier "
        f"models, over only ten weeks of data, so it is indicative only."
    )
    data = check[["row", "unit", "value", "low", "high", "who", "snapshot", "tolerance"]]
    alt_text = (f"Dot-and-interval chart. Published: {num(pub.loc['months', 'value'], 1)} months (90% CI "
                f"{num(pub.loc['months', 'low'], 1)} to {num(pub.loc['months', 'high'], 1)}) and "
                f"{num(pub.loc['ECI points', 'value'], 0)} ECI points. Ours on the Nov 2025 snapshot: "
                f"{num(ours.loc['months', 'value'], 1)} months, {num(ours.loc['ECI points', 'value'], 1)} points; "
                f"on Mar 2026: {num(late.loc['months', 'value'], 1)} months, "
                f"{num(late.loc['ECI points', 'value'], 1)} points.")
    return ChartCard("perf_epoch_check", title, subtitle, chart, data, ["eci", "curated"], alt=alt_text,
                     method=method, page=PAGE, settings="fixed: ECI, Jan 2023 to Oct 2025, any open weights")


# ----------------------------------------------------------------------------------------------
# Epoch 2024 report reproduction (catch-up lags on the report's own data)
# ----------------------------------------------------------------------------------------------

REPORT_BENCHMARKS = E24.BENCHMARKS
report2024_lags = E24.lags


def report2024_card(tables, events2024: pd.DataFrame) -> ChartCard:
    pub = E24.published(tables)
    ours = E24.per_benchmark(events2024)
    pool = E24.pooled(events2024)
    published_label, ours_label = "Published (Epoch 2024)", "Recomputed on the report's data"
    d = pd.DataFrame([{"benchmark": b, "estimate": est, "lag_months": v, "events": n}
                      for b in REPORT_BENCHMARKS
                      for est, v, n in ((published_label, pub[b], np.nan),
                                        (ours_label, ours.loc[b, "lag_months"], ours.loc[b, "events"]))])
    same = [b for b in REPORT_BENCHMARKS if num(ours.loc[b, "lag_months"], 1) == num(pub[b], 1)]
    differ = [b for b in REPORT_BENCHMARKS if b not in same]
    title = (f"Re-running Epoch's 2024 catch-up method on its own data reproduces {len(same)} of "
             f"{len(REPORT_BENCHMARKS)} published benchmark lags to the decimal"
             + (f" ({', '.join(f'{b} {pub[b]:.1f}' for b in same)} months)" if same else "")
             + ("" if not differ else "; " + ", ".join(
                 f"{b} comes out at {num(ours.loc[b, 'lag_months'], 1)} instead of {pub[b]:.1f}" for b in differ))
             + f". Pooled: {pool['events']} catch-ups, mean {num(pool['mean'], 1)} months (Epoch: "
               f"{pub['mean']:g}).")
    first, last = (pd.to_datetime(tables["report2024"]["date"]).agg(["min", "max"]))
    subtitle = ("Mean months for an open model to match each new closed state of the art, per benchmark, "
                f"Epoch's 2024 report data (models {first:%b %Y} to {last:%b %Y}).")
    order = [published_label, ours_label]
    texts = {b: (f"{b}: published {pub[b]:.1f}; re-run {num(ours.loc[b, 'lag_months'], 1)} "
                 f"({ours.loc[b, 'events']} catch-ups)") for b in REPORT_BENCHMARKS}
    d["text"] = d["benchmark"].map(texts)
    y = alt.Y("benchmark:N", sort=REPORT_BENCHMARKS, axis=None, title=None)
    base = alt.Chart(d)
    dots = base.mark_point(filled=True, size=130, opacity=0.9).encode(
        x=alt.X("lag_months:Q", title="Mean catch-up lag (months)", scale=alt.Scale(domainMin=0)), y=y,
        color=alt.Color("estimate:N", sort=order, scale=alt.Scale(domain=order, range=["#222222", theme.OPEN]),
                        title=None, legend=alt.Legend(orient="top", columns=1, labelLimit=400)),
        shape=alt.Shape("estimate:N", sort=order, scale=alt.Scale(domain=order, range=["diamond", "circle"]),
                        legend=None),
        tooltip=["benchmark:N", "estimate:N", alt.Tooltip("lag_months:Q", format=".1f"),
                 alt.Tooltip("events:Q", title="Catch-up events")])
    label = base.mark_text(align="left", baseline="bottom", dy=-10, fontSize=11, color="#333").encode(
        x=alt.value(2), y=y, text="text:N")
    chart = alt.layer(dots, label).properties(width="container", height=len(REPORT_BENCHMARKS) * 50 + 110)
    pooled_txt = (f"{pool['events']} catch-up events: mean {num(pool['mean'], 1)} months, median "
                  f"{num(pool['median'], 1)}, 5th-95th percentile {num(pool['p5'], 1)} to {num(pool['p95'], 1)}. "
                  f"Epoch's notebook prints mean {pub['mean']:g}, median {pub['median']:g}, 5th-95th "
                  f"{pub['p5']:g} to {pub['p95']:g}.") if pool["events"] else "no catch-up events."
    n_seal = int(((tables["report2024"]["benchmark"] == "GSM1k")
                  & (tables["report2024"].get("column", pd.Series(dtype=str)) == "SEAL Math")).sum())
    method = (
        "**The report's method** (Cottier et al., *How far behind are open models?*, Epoch AI; notebook "
        "`benchmark_analysis.ipynb`): scores become −log(1 − accuracy); each side's best-to-date frontier is "
        f"built; for each closed frontier step more than {E24.TOLERANCE:g} above the last matched open score, "
        f"the lag is the time until the first open frontier step within {E24.TOLERANCE:g} of it "
        "(days / 365 × 12). MMLU scores with a 'suspect' trust flag are dropped, as are distrusted GPQA scores "
        "from Nov 2023 on. Implemented in `openclosed.epoch2024` with `openclosed.frontier.catch_up_events`.\n\n"
        f"**Pooled over all benchmarks**: {pooled_txt}\n\n"
        "**GSM1k.** The notebook writes Scale's SEAL Math leaderboard scores (a GSM1k-based leaderboard) into "
        "GSM1k for the benchmarks file's models and pools them with the GSM1k file; we do the same "
        f"({n_seal} SEAL Math rows in `data/report2024.csv`, column `column`). Without them GSM1k has one "
        "catch-up instead of three.\n\n"
        "**Flan rows.** The data file holds Flan-T5 (open, carrying T5's 2019 date) and Flan-PaLM (closed) "
        "rows; the notebook removes Flan models before building frontiers (its printed frontiers hold none), "
        "and so do we. Kept, Flan-T5 would appear to beat models released years after its date."
    )
    alt_text = ("Dot chart of mean catch-up lag per benchmark: published " +
                ", ".join(f"{b} {pub[b]:.1f}" for b in REPORT_BENCHMARKS) + "; recomputed " +
                ", ".join(f"{b} {num(ours.loc[b, 'lag_months'], 1)}" for b in REPORT_BENCHMARKS) + ".")
    return ChartCard("perf_report2024", title, subtitle, chart, d, ["epoch_report2024", "curated"],
                     alt=alt_text, method=method, page=PAGE, settings="fixed: the 2024 report's data")


# ----------------------------------------------------------------------------------------------
# Triangulation
# ----------------------------------------------------------------------------------------------

GROUP_LABELS = {
    "horizontal_lag_eci": "Horizontal gap on the ECI",
    "catch_up_benchmarks": "Catch-up on single benchmarks",
    "threshold_crossing": "Threshold crossings, many benchmarks",
    "arena_rating": "Chat preference (LMArena)",
}


def arena_gap(tables, when, rule: str = "any") -> dict:
    """AI Index style arena gap: (top closed - top open) / top closed, in percent, within one LMArena
    snapshot: the one nearest ``when``; low/high over all snapshots within ARENA_WINDOW_DAYS of it."""
    tables = prepare(tables)
    when = pd.Timestamp(when)
    snap = nearest_snapshot(tables, "lmarena_text", when)
    out = {"snapshot": snap, "gap_pct": np.nan, "low": np.nan, "high": np.nan, "snapshots": []}

    def one(sn):
        pts = metric_points(tables, "lmarena_text", sn, rule)
        op, cl = sides(pts)
        if op.empty or cl.empty:
            return None
        o, c = op.loc[op["value"].idxmax()], cl.loc[cl["value"].idxmax()]
        return {"gap_pct": 100 * (c["value"] - o["value"]) / c["value"], "open_model": o["model"],
                "closed_model": c["model"], "open": o["value"], "closed": c["value"]}

    if snap is None:
        return out
    near = [sn for sn in tables.snapshots("lmarena_text")
            if abs((pd.Timestamp(snapshot_key(sn)) - when).days) <= ARENA_WINDOW_DAYS]
    gaps = {sn: one(sn) for sn in sorted(set(near) | {snap}, key=snapshot_key)}
    gaps = {k: v for k, v in gaps.items() if v is not None}
    if snap in gaps:
        out.update(gaps[snap])
    vals = [g["gap_pct"] for g in gaps.values()]
    if vals:
        out.update(low=float(min(vals)), high=float(max(vals)),
                   snapshots=[(snapshot_key(k), round(v["gap_pct"], 2)) for k, v in gaps.items()])
    return out


def triangulation_frame(tables, a: Analysis, check: pd.DataFrame, events2024: pd.DataFrame) -> pd.DataFrame:
    pub = tables["published_estimates"]
    rows = []
    short = {
        "epoch2024_lag_mean": "Epoch 2024: mean of catch-ups (5th-95th pct)",
        "epoch2024_lag_median": "Epoch 2024: median of catch-ups",
        "epoch2024_lag_weighted": "Epoch 2024: weighted with compute",
        "epoch2024_compute_lag": "Epoch 2024: training-compute lag",
        "epoch2025_lag": "Epoch Oct 2025: ECI, 2023 to Oct 2025",
        "epoch2026_lag": "Epoch May 2026: ECI, since Jan 2026",
        "lw2026_lag_private": "LessWrong 2026: private benchmarks",
        "lw2026_lag_public": "LessWrong 2026: public benchmarks",
        "epoch2025_gap_eci": "Epoch Oct 2025: ECI, 2023 to Oct 2025",
        "epoch2026_gap_eci": "Epoch May 2026: ECI, since Jan 2026",
        "aiindex2025_arena_gap_jan2024": "AI Index 2025: Jan 2024",
        "aiindex2025_arena_gap_feb2025": "AI Index 2025: Feb 2025",
    }
    units = {"months": "Lag (months)", "ECI points": "Gap (ECI points)", "percent": "Arena gap (% of top closed)"}
    for _, r in pub.iterrows():
        if r["estimate_id"] not in short:
            continue
        val = r["value"] if pd.notna(r["value"]) else (r["low"] + r["high"]) / 2
        rows.append({"label": short[r["estimate_id"]], "group": GROUP_LABELS[r["method_group"]],
                     "panel": units[r["unit"]], "value": val, "low": r["low"], "high": r["high"],
                     "who": "Published", "note": r["interval"] if isinstance(r["interval"], str) else "",
                     "source": r["source"]})
    ours = check[(check["who"] == "This report") & (check["tolerance"] == 0)]
    for _, r in ours.iterrows():
        snapname = "Nov 2025" if r["snapshot"] == EPOCH_SNAPSHOT else "Mar 2026"
        rows.append({"label": f"This report: ECI {snapname} snapshot, 2023 to Oct 2025",
                     "group": GROUP_LABELS["horizontal_lag_eci"],
                     "panel": units["months"] if r["unit"] == "months" else units["ECI points"],
                     "value": r["value"], "low": r["low"], "high": r["high"], "who": "This report",
                     "note": "90% bootstrap interval", "source": "data/scores.csv"})
    if a.metric.key == "eci" and np.isfinite(a.epoch["mean_lag_months"]):
        rows.append({"label": f"This report: ECI Mar 2026 snapshot, {a.settings.start_ts:%b %Y} to {a.now:%b %Y}",
                     "group": GROUP_LABELS["horizontal_lag_eci"], "panel": units["months"],
                     "value": a.epoch["mean_lag_months"], "low": a.epoch["lag_low"], "high": a.epoch["lag_high"],
                     "who": "This report", "note": "90% bootstrap interval", "source": "data/scores.csv"})
    if np.isfinite(a.current.get("lag_months", np.nan)):
        rows.append({"label": f"This report: {a.metric.short.replace('the ', '')} lag on {a.now:%d %b %Y} (one date)",
                     "group": GROUP_LABELS["horizontal_lag_eci"] if a.metric.key == "eci"
                     else GROUP_LABELS["catch_up_benchmarks"], "panel": units["months"],
                     "value": a.current["lag_months"], "low": np.nan, "high": np.nan, "who": "This report",
                     "note": "single date", "source": "data/scores.csv"})
    s26 = since_2026(tables)
    rows.append({"label": "This report: ECI Mar 2026 snapshot, daily lag since Jan 2026",
                 "group": GROUP_LABELS["horizontal_lag_eci"], "panel": units["months"],
                 "value": s26["mean_lag_months"], "low": np.nan, "high": np.nan, "who": "This report",
                 "note": f"mean of {s26['days']} daily lags", "source": "data/scores.csv"})
    rows.append({"label": "This report: ECI Mar 2026 snapshot, daily gap since Jan 2026",
                 "group": GROUP_LABELS["horizontal_lag_eci"], "panel": units["ECI points"],
                 "value": s26["mean_gap_points"], "low": np.nan, "high": np.nan, "who": "This report",
                 "note": f"mean of {s26['days']} daily gaps", "source": "data/scores.csv"})
    clean = events2024["lag_months"]
    if len(clean):
        rows.append({"label": "This report: Epoch 2024 method re-run (5th-95th pct)",
                     "group": GROUP_LABELS["catch_up_benchmarks"], "panel": units["months"],
                     "value": float(clean.mean()), "low": float(np.percentile(clean, 5)),
                     "high": float(np.percentile(clean, 95)), "who": "This report",
                     "note": "5th-95th percentile of catch-ups", "source": "data/report2024.csv"})
    for tag, when in ARENA_DATES.items():
        g = arena_gap(tables, when)
        if np.isfinite(g["gap_pct"]):
            rows.append({"label": f"This report: LMArena {tag} (snapshot {snapshot_key(g['snapshot'])})",
                         "group": GROUP_LABELS["arena_rating"], "panel": units["percent"],
                         "value": g["gap_pct"], "low": g["low"], "high": g["high"], "who": "This report",
                         "note": f"{g['closed_model']} vs {g['open_model']}; range over snapshots within a month: "
                                 + ", ".join(f"{d} {v}%" for d, v in g["snapshots"]),
                         "source": "data/scores.csv"})
    d = pd.DataFrame(rows)
    return d


def triangulation_card(d: pd.DataFrame, a: Analysis) -> ChartCard:
    months = d[(d["panel"] == "Lag (months)") & (d["who"] == "Published")]
    lo_all = np.nanmin(np.r_[months["value"], months["low"]])
    hi_all = np.nanmax(np.r_[months["value"], months["high"]])
    pub = d[(d["who"] == "Published") & (d["panel"] == "Lag (months)")].set_index("label")
    e26 = pub["value"].get("Epoch May 2026: ECI, since Jan 2026", np.nan)
    lw = pub.loc["LessWrong 2026: private benchmarks"] if "LessWrong 2026: private benchmarks" in pub.index else None
    cat = pub["value"].get("Epoch 2024: mean of catch-ups (5th-95th pct)", np.nan)
    title = (f"Published estimates of the open-model lag run from {num(lo_all, 0)} to {num(hi_all, 0)} months, "
             f"and the method matters as much as the date: in 2026 the ECI average gives {num(e26, 0)} months "
             f"while private benchmarks give {num(lw['low'], 0) if lw is not None else 'n/a'} to "
             f"{num(lw['high'], 0) if lw is not None else 'n/a'}; single-benchmark catch-ups gave "
             f"{num(cat, 0)} in 2024.")
    subtitle = ("Our computed lags and gaps (circles, 'This report') beside published estimates (diamonds), "
                "coloured by method; bars are published or bootstrap intervals, or published ranges.")
    order = list(GROUP_LABELS.values())
    group_scale = alt.Scale(domain=order, range=["#0072B2", "#009E73", "#CC79A7", "#D55E00"])
    who_scale = alt.Scale(domain=["Published", "This report"], range=["diamond", "circle"])
    panels = []
    for panel in ["Lag (months)", "Gap (ECI points)", "Arena gap (% of top closed)"]:
        p = d[d["panel"] == panel].copy()
        if p.empty:
            continue
        p["g"] = p["group"].map({g: i for i, g in enumerate(order)})
        p = p.sort_values(["g", "who", "label"], kind="mergesort")
        p["text"] = [f"{r.label}: {_fmt_row(r.value, r.low, r.high)}" for r in p.itertuples()]
        first = not panels
        color = alt.Color("group:N", scale=group_scale, title="Method",
                          legend=alt.Legend(orient="top", columns=1, labelLimit=300) if first else None)
        shape = alt.Shape("who:N", scale=who_scale, title=None, legend=alt.Legend(orient="top") if first else None)
        panels.append(_dot_panel(p, panel, color, shape))
    chart = alt.vconcat(*panels)
    method = (
        "**Why the estimates differ.**\n"
        "- *What is averaged.* Epoch 2024 took each time a closed model set a new record on one benchmark "
        "and measured how long until an open model matched it; records set by big jumps (GPT-4 on MMLU) "
        "take long to match, so those lags are long. Epoch's ECI method averages the horizontal distance "
        "between the two frontiers over every capability level and so weights quiet periods as much as "
        "jumps.\n"
        "- *The yardstick.* The ECI pools 40+ benchmarks, which smooths out benchmarks where open models "
        "are strong or weak. The LessWrong study finds that the lag is about 1.7-1.9× longer on private "
        "(held-out) benchmarks than on public ones, a sign that public scores flatter open models. Arena "
        "ratings measure chat preference; their gap is in rating points, not months, and was nearly closed "
        "in early 2025.\n"
        "- *The period.* Open models closed much of the gap in 2024 (Llama 3.1 405B, then DeepSeek-V3 and "
        "R1); the 2024 report's data ends in September 2024.\n\n"
        "**Our rows.** ECI rows use Epoch's method on our data (see the check above); the 'lag today' row is "
        "the single-date lag of the default view; the 2024 re-run pools the catch-up events from the "
        "reproduction below; the arena rows compute the AI Index's measure (top closed minus top open rating "
        "as a % of top closed) within the LMArena snapshot nearest the middle of the month, with a bar over "
        "every snapshot within a month of it. Arena ratings move fast: in January 2024 the gap was 13.5% on "
        "20 Dec 2023 and 8.5% on 25 Jan 2024 (AI Index: 8.0%); in February 2025 it was 1.7% in the late-"
        "January snapshots (AI Index: 1.7%) and 2.9% once an anonymous early Grok-3 ('chocolate') topped "
        "the board. Ranges published without a point (LessWrong) are drawn at their midpoint."
    )
    alt_text = ("Dot-and-interval chart of published and recomputed estimates of the open-model lag in months, "
                "the ECI gap in points and the arena gap in percent, grouped by method. "
                + "; ".join(f"{r.label}: {r.value:.1f}" for r in d.itertuples()))
    return ChartCard("perf_triangulation", title, subtitle, chart,
                     d[["label", "group", "panel", "value", "low", "high", "who", "note", "source"]],
                     ["eci", "lmarena", "epoch_report2024", "curated"], alt=alt_text, method=method, page=PAGE,
                     settings="fixed: published definitions; our ECI rows use the default view")


# ----------------------------------------------------------------------------------------------
# Per-domain view
# ----------------------------------------------------------------------------------------------


def domain_frame(tables, s: Settings) -> pd.DataFrame:
    """For each domain benchmark: best open and best closed score among models released up to the range end
    (latest snapshot of that metric), and open as % of closed."""
    tables = prepare(tables)
    base = tables.domain_base()
    cols = ["family", "benchmark", "metric", "source", "snapshot", "open_model", "open_best", "closed_model",
            "closed_best", "open_pct"]
    pts = filter_points(base, s.rule, s.include_flagged, s.country, end=s.end_ts)
    if pts.empty:
        return pd.DataFrame(columns=cols)
    pts = pts.assign(metric=base.loc[pts["_row"], "metric"].to_numpy(),
                     snapshot=base.loc[pts["_row"], "snapshot"].to_numpy())
    best = pts.sort_values(["metric", "is_open", "value"], ascending=[True, True, False], kind="mergesort")
    best = best.drop_duplicates(["metric", "is_open"])
    o = best[best["is_open"]].set_index("metric")
    c = best[~best["is_open"]].set_index("metric")
    rows = []
    for fam, metric, label, source in DOMAINS:
        if metric not in o.index or metric not in c.index or not c.loc[metric, "value"]:
            continue
        ov, cv = float(o.loc[metric, "value"]), float(c.loc[metric, "value"])
        rows.append({"family": fam, "benchmark": label, "metric": metric,
                     "source": "Artificial Analysis" if source == "artificial_analysis" else "LiveBench",
                     "snapshot": snapshot_key(c.loc[metric, "snapshot"]), "open_model": o.loc[metric, "model"],
                     "open_best": ov, "closed_model": c.loc[metric, "model"], "closed_best": cv,
                     "open_pct": 100 * ov / cv})
    return pd.DataFrame(rows, columns=cols)


def domain_card(d: pd.DataFrame, s: Settings) -> ChartCard:
    subtitle = ("Best open model's score as a % of the best closed model's, per benchmark, models released up to "
                f"{s.end}; Artificial Analysis components (snapshot 2026-07-31) and LiveBench categories "
                "(latest release).")
    if d.empty:
        return ChartCard("perf_domains", "No benchmark has both an open and a closed model for these settings.",
                         subtitle, spec_chart(_message_spec("No data for this selection")), d,
                         ["artificial_analysis", "livebench"], alt="Empty chart.", method=domain_method(),
                         page=PAGE, settings=s.text())
    fam = d.groupby("family")["open_pct"].mean().reindex(FAMILIES).dropna()
    best, worst = fam.idxmax(), fam.idxmin()
    ahead = d[d["open_pct"] >= 100]
    title = (f"Open models come closest in {best.lower()} ({fam[best]:.0f}% of the best closed score on "
             f"average) and trail most in {worst.lower()} ({fam[worst]:.0f}%)"
             + (f"; they lead on {len(ahead)} of {len(d)} benchmarks." if len(ahead) else "."))
    p = d.copy()
    p["row"] = p["benchmark"]
    p["fi"] = p["family"].map({f: i for i, f in enumerate(FAMILIES)})
    p = p.sort_values(["fi", "source", "benchmark"])
    order = list(p["row"])
    fam_scale = {"domain": FAMILIES, "range": ["#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#999933"]}
    xmin = min(40.0, float(np.floor(p["open_pct"].min() / 10) * 10))
    xmax = max(105.0, float(np.ceil(p["open_pct"].max() / 5) * 5))
    y = _f("row", "N", sort=order, title=None, axis={"labelLimit": 200, "labelOverlap": False})
    bars = {"mark": {"type": "bar", "height": 12},
            "encoding": {"x": _f("open_pct", "Q", title="Best open as % of best closed",
                                 scale={"domain": [xmin, xmax]}),
                         "x2": {"datum": xmin}, "y": y,
                         "color": _f("family", "N", scale=fam_scale, title="Family",
                                     legend={"orient": "top", "columns": 2, "labelLimit": 170}),
                         "tooltip": [_f("family", "N"), _f("benchmark", "N"), _f("source", "N"),
                                     _f("open_pct", "Q", title="Open as % of closed", format=".1f"),
                                     _f("open_model", "N", title="Best open"), _f("open_best", "Q", format=".1f"),
                                     _f("closed_model", "N", title="Best closed"),
                                     _f("closed_best", "Q", format=".1f")]}}
    text = {"mark": {"type": "text", "align": "left", "dx": 3, "fontSize": 10},
            "encoding": {"x": _f("open_pct", "Q"), "y": _f("row", "N", sort=order),
                         "text": _f("open_pct", "Q", format=".0f")}}
    rule = {"data": {"values": [{"x": 100}]}, "mark": {"type": "rule", "color": "#333", "strokeDash": [4, 3]},
            "encoding": {"x": _f("x", "Q")}}
    chart = spec_chart({"width": "container", "height": 26 * len(p) + 120,
                        "data": {"values": _records(p[["row", "family", "benchmark", "source", "open_pct",
                                                       "open_model", "open_best", "closed_model", "closed_best"]])},
                        "layer": [bars, text, rule]})
    alt_text = ("Bar chart of the best open score as a percentage of the best closed score per benchmark: "
                + "; ".join(f"{r.benchmark} {r.open_pct:.0f}%" for r in p.itertuples()) + ".")
    return ChartCard("perf_domains", title, subtitle, chart, p.drop(columns=["row", "fi"]),
                     ["artificial_analysis", "livebench"], alt=alt_text, method=domain_method(), page=PAGE,
                     settings=s.text())


def domain_method() -> str:
    return (
        "For each benchmark the best open and the best closed score among models released up to the end of "
        "your date range (best variant per model, the same openness rule, country and flag filters as the "
        "rest of the page), and 100 × open / closed. Families: coding (LiveCodeBench, SciCode, LiveBench "
        "coding), math (AIME 2025, LiveBench math), reasoning and knowledge (GPQA Diamond, MMLU-Pro, "
        "Humanity's Last Exam, LiveBench reasoning), agentic (Terminal-Bench Hard, tau2-bench, LiveBench "
        "agentic coding), instruction following (IFBench, LiveBench). The headline averages the benchmarks "
        "of each family.\n\n"
        "**Caveats.** A ratio of scores is not a ratio of capability: on hard, unsaturated benchmarks "
        "(Humanity's Last Exam, Terminal-Bench) a few points are a large share; on saturated ones (AIME) "
        "everyone is near 100%. Some AA components (LiveCodeBench, MMLU-Pro, AIME 2025) were retired from "
        "the index and have no scores for the newest models, so their best-to-date can be older. Artificial "
        "Analysis and LiveBench run their own evaluations; attribution: Artificial Analysis "
        "(artificialanalysis.ai), LiveBench (livebench.ai)."
    )


# ----------------------------------------------------------------------------------------------
# All cards
# ----------------------------------------------------------------------------------------------


def fixed_parts(tables, boot_n: int = BOOT_N) -> dict:
    """The cards that do not depend on the controls (Epoch check, triangulation, 2024 reproduction), and
    their inputs. The triangulation uses the default view (ECI, 2023 to the latest snapshot)."""
    tables = prepare(tables)
    check = epoch_check(tables, boot_n)
    s26 = since_2026(tables)
    ev24 = report2024_lags(tables["report2024"])
    default = analyze(tables, Settings(), boot_n)
    tri = triangulation_frame(tables, default, check, ev24)
    return {"check": check, "since_2026": s26, "report2024": ev24, "triangulation": tri,
            "epoch_card": freeze(epoch_card(tables, check, s26)),
            "triangulation_card": freeze(triangulation_card(tri, default)),
            "report2024_card": freeze(report2024_card(tables, ev24))}


def view_cards(tables, settings: Settings, boot_n: int = BOOT_N,
               user: pd.DataFrame | None = None) -> tuple[Analysis, list[ChartCard]]:
    """The analysis for the controls, and its three cards: frontier, gap, lag. ``user`` (the reader's models)
    only adds "Yours" points to the frontier chart; the analysis never sees them."""
    tables = prepare(tables)
    a = analyze(tables, settings, boot_n)
    return a, [freeze(frontier_card(a, tables["events"], user)), freeze(gap_card(a)), freeze(lag_card(a))]


def domain_cards(tables, settings: Settings) -> ChartCard:
    s = settings.clean()
    return freeze(domain_card(domain_frame(prepare(tables), s), s))


def cards(tables, settings: Settings | None = None, user: pd.DataFrame | None = None) -> list[ChartCard]:
    """Every chart card of the Performance page, in page order, for ``settings``: frontier, gap, lag, Epoch
    check, triangulation, per-domain view, 2024 reproduction. ``user``: the reader's models, drawn as "Yours"
    on the frontier chart only."""
    settings = (settings or Settings()).clean()
    tables = prepare(tables)
    fixed = fixed_parts(tables)
    _, (frontier_c, gap_c, lag_c) = view_cards(tables, settings, user=user)
    return [frontier_c, gap_c, lag_c, fixed["epoch_card"], fixed["triangulation_card"],
            domain_cards(tables, settings), fixed["report2024_card"]]


def headline_numbers(a: Analysis) -> dict:
    """The st.metric numbers at the top of the page."""
    c, e = a.current, a.epoch
    return {
        "lag_now": c["lag_months"], "gap_now": c["gap_points"], "open_pct": c["open_pct"],
        "mean_lag": e["mean_lag_months"], "mean_lag_low": e["lag_low"], "mean_lag_high": e["lag_high"],
        "mean_gap": e["mean_gap_points"], "mean_gap_low": e["gap_low"], "mean_gap_high": e["gap_high"],
        "open_model": c["open_model"], "closed_model": c["closed_model"], "now": a.now,
        "matched_model": c["matched_model"], "matched_date": c["matched_date"],
        "n_open": int(a.points["is_open"].sum()) if len(a.points) else 0,
        "n_closed": int((~a.points["is_open"].astype(bool)).sum()) if len(a.points) else 0,
    }
