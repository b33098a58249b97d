"""Performance data and analysis: metrics, Settings, points, frontiers, lags, the Epoch check,
the 2024 reproduction, triangulation and per-domain frames. Pure functions of the tables."""
from __future__ import annotations

import dataclasses
import functools

import numpy as np
import pandas as pd

from openclosed import report
from openclosed import fmt
from openclosed import epoch2024 as E24
from openclosed import countries
from openclosed import frontier as F
from openclosed import gap as G
from openclosed import theme
from openclosed.labels import model_labels
from openclosed import openness as op
from openclosed.openness import is_open


PAGE = "Performance"
TABLES = report.section("performance").tables   # the data/ tables it reads: declared once, in the registry
OPEN_LABEL, CLOSED_LABEL = theme.OPENNESS_DOMAIN
YOURS_LABEL = "Yours"          # the reader's own models (Data & methods upload), drawn but never analysed
STITCHED_SOURCE = "eci_stitched"   # this report's estimates on the ECI scale (pipeline/eci_stitch.py), not Epoch's
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
    true_zero: bool = False        # percent correct / resolved: 0 means nothing solved, so a ratio of scores means
                                   # something (indices and ratings have no true zero: gaps in points only)

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
           "own Benchmarking Hub runs.", "score", true_zero=True),
    Metric("aa_gpqa", "GPQA Diamond, AA runs", "GPQA Diamond", "% correct",
           "percentage points", "artificial_analysis",
           "The same 198 GPQA Diamond questions, as run by Artificial Analysis (more models, its own "
           "prompting).", "score", true_zero=True),
    Metric("swebench_verified", "SWE-bench Verified", "SWE-bench Verified", "% resolved",
           "percentage points", "swebench",
           "500 real GitHub issues a model must fix so the repository's tests pass; leaderboard entries "
           "mix agent scaffolds. Produced by the SWE-bench team (Princeton/Stanford).", "release", true_zero=True),
    Metric("swebench_bash_only", "SWE-bench bash-only", "SWE-bench bash-only", "% resolved",
           "percentage points", "swebench",
           "SWE-bench Verified with one minimal bash-only agent for every model, so scores compare the "
           "models rather than the scaffolds. Produced by the SWE-bench team.", "release", true_zero=True),
    Metric("lmarena_text", "LMArena rating", "the LMArena rating", "rating (Elo-like)", "rating points",
           "lmarena",
           "Crowd-sourced pairwise chat preferences turned into Bradley-Terry ratings; measures what people "
           "prefer in chat, not correctness. Ratings drift between snapshots, so one snapshot is used.",
           "release", decimals=0),
    Metric("livebench_overall", "LiveBench", "LiveBench", "score (0-100)", "points", "livebench",
           "Monthly-refreshed, contamination-limited questions in math, coding, reasoning, language, data "
           "analysis and instruction following. Produced by Abacus.AI, NYU and others; one release table "
           "is used.", "score", true_zero=True),
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

# Three lag quantities, one name each wherever they appear (page metrics, Overview, triangulation, help).
LAG_NAMES = {
    "today": "Lag today",
    "level_average": "Average lag (Epoch's level method)",
    "daily_average": "Mean of daily lags",
}
LAG_DEFINITIONS = {
    "today": "months since closed models first scored at least the best open model's score, on the date the "
             "yardstick's data end",
    "level_average": "Epoch AI's method: for every score level both frontiers reach in the range, the months between "
                     "the closed and the open frontier first reaching it, averaged over levels",
    "daily_average": "the single-date lag computed for every day of a period and averaged over the days; it weights "
                     "long plateaus more than Epoch's level average, so the two differ",
}

# Epoch AI's Oct 2025 data insight: snapshot nearest publication, and its window.
EPOCH_SNAPSHOT, EPOCH_START, EPOCH_END = "2025-11-04", "2023-01-01", "2025-10-31"
SINCE_2026_ESTIMATE = "epoch2026_lag"   # Epoch's May 2026 "since January 2026" figure (published_estimates)
BOOT_N = 1000
ALPHA = 0.90
# AI Index 2025 arena gap months ("early January 2024", "February 2025"): the LMArena snapshot nearest the
# middle of the month, and the range over every snapshot within a month of it (ratings drift fast).
ARENA_DATES = {"Jan 2024": "2024-01-15", "Feb 2025": "2025-02-15"}
ARENA_WINDOW_DAYS = 31

# Date-range control: month strings. It ends at the newest month any yardstick's data reach (computed by the build
# into data/source_dates.csv), never past it.
def data_last_month(sources=None) -> str:
    """The newest month ("YYYY-MM") the yardsticks' data reach: the latest ``data_ends`` of their sources."""
    if sources is None:
        from openclosed.sources import SOURCES as sources
    ends = [str(sources.get(m.source, {}).get("data_ends") or "") for m in METRICS.values()]
    ends = [e for e in ends if len(e) >= 7]
    if not ends:        # never the wall clock: "today" is the data's own date
        raise ValueError("no yardstick source has a data end: rebuild data/ with python -m pipeline.build")
    return max(ends)[:7]


RANGE_FIRST, RANGE_LAST = "2022-01", data_last_month()
DEFAULT_START, DEFAULT_END = "2023-01", RANGE_LAST
COUNTRIES = {"all": "All countries", "us": "US (incl. joint US-UK)", "china": "China (incl. Hong Kong)",
             "other": "Other countries"}
# labels links made before the one country rule carry in the URL -> the option they meant
COUNTRY_OLD_LABELS = {"US only": "us", "China only": "china"}
OPEN_RULES = op.OPEN_RULES


@functools.lru_cache(maxsize=1)
def month_options() -> tuple[str, ...]:
    """The date-range slider's months (built once: the page asks on every rerun)."""
    return tuple(p.strftime("%Y-%m") for p in pd.period_range(RANGE_FIRST, RANGE_LAST, freq="M"))


def range_within_data(values, last: str | None = None) -> tuple[tuple[str, str], str] | None:
    """A link's date range (two "YYYY-MM" values) whose end is past the data, pulled back to the data's last month,
    with a note saying so; None when the range needs no change or is not a range of months (the widget's own
    fallback handles those). Links made when the slider ran to a typed month keep their start."""
    last = last or RANGE_LAST
    try:
        a, b = sorted(str(pd.Period(str(v), freq="M")) for v in (values or []))
    except (ValueError, TypeError, OverflowError, AttributeError):
        return None
    if len(values) != 2 or any(len(str(v)) != 7 for v in values) or b <= last:
        return None
    a = min(max(a, RANGE_FIRST), last)
    return (a, last), (f"The link's date range ends {b}, past the newest month the data reach ({last}); "
                       f"showing {a} to {last}.")


# ----------------------------------------------------------------------------------------------
# Settings
# ----------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Settings:
    metric: str = DEFAULT_METRIC
    start: str = DEFAULT_START          # first month, "YYYY-MM"
    end: str = DEFAULT_END              # last month, "YYYY-MM" (inclusive)
    open_rule: str = "any"              # what counts as open: "any" open weights or "unrestricted" only
    include_flagged: bool = True        # include models flagged unverified or preview in the catalog
    country: str = "all"                # all / us / china / other

    def clean(self) -> "Settings":
        """Any bad value falls back to its default; start and end are put in order."""
        d = Settings()
        months = month_options()
        start = self.start if self.start in months else d.start
        # a month past the data (an old link's typed end) is pulled back to the data's last month
        late = isinstance(self.end, str) and len(self.end) == 7 and self.end[4:5] == "-" and self.end > RANGE_LAST
        end = self.end if self.end in months else (RANGE_LAST if late else d.end)
        if start > end:
            start, end = end, start
        return Settings(
            metric=self.metric if self.metric in METRICS else d.metric,
            start=start, end=end,
            open_rule=self.open_rule if self.open_rule in OPEN_RULES else d.open_rule,
            include_flagged=bool(self.include_flagged),
            country=self.country if self.country in COUNTRIES else d.country,
        )

    @property
    def start_ts(self) -> pd.Timestamp:
        return pd.Timestamp(self.start + "-01")

    @property
    def end_ts(self) -> pd.Timestamp:
        return pd.Period(self.end, freq="M").end_time.normalize()

    def label(self) -> str:
        """The settings that differ from the defaults, as short text ('' at the defaults)."""
        return fmt.settings_label(self, {
            "metric": lambda v: f"Yardstick: {METRICS[v].label}" if v in METRICS else f"Yardstick: {v}",
            "start": lambda v: f"from {v}", "end": lambda v: f"to {v}",
            "open_rule": lambda v: f"open = {OPEN_RULES.get(v, v).lower()}",
            "include_flagged": lambda v: "unverified/preview models included" if v else
                                         "unverified/preview models excluded",
            "country": lambda v: COUNTRIES.get(v, v).lower(),
        })


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


def nearest_snapshot_of(scores, metric: str, when) -> str | None:
    """A metric's snapshot nearest ``when`` (gap.nearest_snapshot over the metric's snapshots)."""
    return G.nearest_snapshot(_snapshots(scores, metric), when, date_of=snapshot_key)


def country_group(country) -> str:
    """Epoch country string -> the groups the model counts for under the one country rule
    (openclosed.countries.RULE), joined: 'us', 'china', 'other', 'other,us' ...; '' without a country."""
    return countries.group_label(country)


def in_country_group(labels: pd.Series, group: str) -> pd.Series:
    """Which rows' ``country_group`` label includes ``group``."""
    return labels.fillna("").astype(str).str.split(",").map(lambda g: group in g).astype(bool)


def _base_points(scores: pd.DataFrame, models: pd.DataFrame, metric: str, snapshot: str,
                 date_from: str) -> pd.DataFrame:
    """The settings-independent part of metric_points: one row per unit, best variant, with catalog fields."""
    cols = ["model", "model_id", "date", "value", "openness", "country_group", "flagged", "estimated"]
    s = scores[(scores["metric"] == metric) & (scores["snapshot"] == snapshot)]
    if s.empty:
        return pd.DataFrame(columns=cols)
    cat = models[["model_id", "name", "openness", "country", "release_date", "metadata_unverified", "preview"]]
    d = s[["model_id", "source", "source_id", "value", "date"]].merge(cat, on="model_id", how="inner")
    d["unit"] = np.where(d["source"] == "eci", d["source_id"], d["model_id"])
    d["model"] = model_labels(d["name"], pd.Series(np.where(d["source"] == "eci", d["source_id"], d["model_id"]),
                                                  index=d.index))
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
    d["estimated"] = d["source"] == STITCHED_SOURCE
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
                  start=None, end=None, estimates: bool = False) -> pd.DataFrame:
    """Apply the page's settings to base points: openness rule, flags, country, date range, and whether this
    report's stitched ECI estimates count (never unless asked: Epoch's ECI is Epoch's scores). Adds is_open
    and side. Under "unrestricted only", restricted open-weight models are neither open nor closed."""
    d = base
    if not estimates and "estimated" in d:
        d = d[~d["estimated"].astype(bool)]
    if not include_flagged:
        d = d[~d["flagged"]]
    if country != "all":
        d = d[in_country_group(d["country_group"], country)]
    if start is not None:
        d = d[d["date"] >= pd.Timestamp(start)]
    if end is not None:
        d = d[d["date"] <= pd.Timestamp(end)]
    d = d.copy()
    opens = {o: is_open(o, rule) for o in d["openness"].unique()}
    d["is_open"] = d["openness"].map(opens).astype(bool)
    d = d[d["is_open"] | d["openness"].isin(op.CLOSED_CLASSES)]
    d["side"] = np.where(d["is_open"], OPEN_LABEL, CLOSED_LABEL)
    d["_row"] = d.index
    if "estimated" not in d:
        d["estimated"] = False
    return d[["model", "model_id", "date", "value", "openness", "is_open", "side", "country_group",
              "flagged", "estimated", "_row"]].reset_index(drop=True)


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
            snap = nearest_snapshot_of(self, "lmarena_text", when)
            if snap:
                self.base("lmarena_text", snap)
        return self


def prepare(tables) -> Prepared:
    return tables if isinstance(tables, Prepared) else Prepared(tables)


def metric_points(tables, metric: str, snapshot: str | None = None, rule: str = "any",
                  include_flagged: bool = True, country: str = "all", start=None, end=None,
                  estimates: bool = False) -> pd.DataFrame:
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
    return filter_points(base, rule, include_flagged, country, start, end, estimates)


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
    from scipy import stats  # imported here: scipy is slow to import and most runs never need it
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
    hist = metric_points(tables, s.metric, snap, s.open_rule, s.include_flagged, s.country, end=s.end_ts)
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


def scope_text(s: Settings) -> str:
    bits = []
    if s.country != "all":
        bits.append({"us": "among US models", "china": "among Chinese models",
                     "other": "among models from other countries"}[s.country])
    if s.open_rule == "unrestricted":
        bits.append("counting only unrestricted licences as open")
    return (", " + ", ".join(bits)) if bits else ""


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


# ----------------------------------------------------------------------------------------------
# Epoch check (fixed: ECI, Epoch's window) and the 2026 comparison
# ----------------------------------------------------------------------------------------------


def latest_eci_snapshot(tables) -> str:
    """The newest ECI export in the data (the report's ECI "today")."""
    return latest_snapshot(tables["scores"] if not isinstance(tables, Prepared) else tables, "eci")


def snapshot_month(snapshot: str) -> str:
    """'2026-07-31' -> 'Jul 2026' (how a card names an export)."""
    return fmt.month(pd.Timestamp(snapshot_key(snapshot)))


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
    for snap in dict.fromkeys((EPOCH_SNAPSHOT, latest_eci_snapshot(tables))):
        label = f"This report, ECI snapshot {snapshot_month(snap)}"
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
    """The daily average of the single-date lag and gap since 1 Jan 2026 (lag at each day, all earlier models
    counted), to set beside Epoch's May 2026 '4 months, 8 points': on the ECI export nearest that publication,
    from 1 Jan 2026 to the export's date."""
    published = tables["published_estimates"].set_index("estimate_id").loc[SINCE_2026_ESTIMATE, "published"]
    snap = nearest_snapshot_of(prepare(tables), "eci", pd.Timestamp(published))
    pts = eci_points(tables, snap)
    op, cl = sides(pts)
    end = pd.Timestamp(snapshot_key(snap))
    days = pd.date_range("2026-01-01", end, freq="D")
    ls = F.lag_series(op, cl, days)
    return {"mean_lag_months": float(ls["lag_months"].mean()), "mean_gap_points": float(ls["gap_points"].mean()),
            "days": int(len(days)), "end": end, "snapshot": snap}


# ----------------------------------------------------------------------------------------------
# Epoch 2024 report reproduction (catch-up lags on the report's own data)
# ----------------------------------------------------------------------------------------------

REPORT_BENCHMARKS = E24.BENCHMARKS
report2024_lags = E24.lags


# ----------------------------------------------------------------------------------------------
# Triangulation
# ----------------------------------------------------------------------------------------------

ARENA_POINTS_PANEL = "Arena gap (rating points)"
ARENA_PUBLISHED_PANEL = "AI Index published figure: arena gap (%)"
GROUP_LABELS = {
    "horizontal_lag_eci": "Horizontal gap on the ECI",
    "catch_up_benchmarks": "Catch-up on single benchmarks",
    "threshold_crossing": "Threshold crossings, many benchmarks",
    "arena_rating": "Chat preference (LMArena)",
}


def arena_gap_open_closed(tables, when, rule: str = "any") -> dict:
    """Top closed minus top open LMArena rating, in rating points, within one snapshot: the one nearest ``when``;
    low/high over all snapshots within ARENA_WINDOW_DAYS of it. ``win_prob``: how often the top closed model
    would win a head-to-head vote at that gap (gap.elo_win_probability). Ratings have no true zero, so no
    percent of the top rating is computed (the AI Index's percent is shown as their published figure)."""
    tables = prepare(tables)
    when = pd.Timestamp(when)
    snap = nearest_snapshot_of(tables, "lmarena_text", when)
    out = {"snapshot": snap, "gap_points": np.nan, "win_prob": np.nan, "low": np.nan, "high": np.nan,
           "snapshots": []}

    def one(sn):
        pts = metric_points(tables, "lmarena_text", sn, rule)
        op, cl = sides(pts)
        g = G.arena_gap(cl, op)
        if g is None:
            return None
        c, o = g["lead"], g["trail"]
        return {"gap_points": g["points"], "win_prob": g["win_prob"], "open_model": o["model"],
                "closed_model": c["model"], "open": o["value"], "closed": c["value"]}

    if snap is None:
        return out
    near = [sn for sn in tables.snapshots("lmarena_text")
            if abs((pd.Timestamp(snapshot_key(sn)) - when).days) <= ARENA_WINDOW_DAYS]
    gaps = {sn: one(sn) for sn in sorted(set(near) | {snap}, key=snapshot_key)}
    gaps = {k: v for k, v in gaps.items() if v is not None}
    if snap in gaps:
        out.update(gaps[snap])
    vals = [g["gap_points"] for g in gaps.values()]
    if vals:
        out.update(low=float(min(vals)), high=float(max(vals)),
                   snapshots=[(snapshot_key(k), round(v["gap_points"])) for k, v in gaps.items()])
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
    units = {"months": "Lag (months)", "ECI points": "Gap (ECI points)", "percent": ARENA_PUBLISHED_PANEL,
             "rating points": ARENA_POINTS_PANEL}
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
        snapname = snapshot_month(r["snapshot"])
        rows.append({"label": f"This report: ECI {snapname} snapshot, 2023 to Oct 2025",
                     "group": GROUP_LABELS["horizontal_lag_eci"],
                     "panel": units["months"] if r["unit"] == "months" else units["ECI points"],
                     "value": r["value"], "low": r["low"], "high": r["high"], "who": "This report",
                     "note": "90% bootstrap interval", "source": "data/scores.csv"})
    if a.metric.key == "eci" and np.isfinite(a.epoch["mean_lag_months"]):
        rows.append({"label": f"This report: ECI {snapshot_month(a.snapshot)} snapshot, {a.settings.start_ts:%b %Y} to {a.now:%b %Y}",
                     "group": GROUP_LABELS["horizontal_lag_eci"], "panel": units["months"],
                     "value": a.epoch["mean_lag_months"], "low": a.epoch["lag_low"], "high": a.epoch["lag_high"],
                     "who": "This report", "note": f"{LAG_NAMES['level_average']}, 90% bootstrap interval", "source": "data/scores.csv"})
    if np.isfinite(a.current.get("lag_months", np.nan)):
        rows.append({"label": f"This report: {a.metric.short.replace('the ', '')} lag on {a.now:%d %b %Y} (one date)",
                     "group": GROUP_LABELS["horizontal_lag_eci"] if a.metric.key == "eci"
                     else GROUP_LABELS["catch_up_benchmarks"], "panel": units["months"],
                     "value": a.current["lag_months"], "low": np.nan, "high": np.nan, "who": "This report",
                     "note": "single date", "source": "data/scores.csv"})
    s26 = since_2026(tables)
    rows.append({"label": f"This report: ECI {snapshot_month(s26['snapshot'])} snapshot, daily lag since Jan 2026",
                 "group": GROUP_LABELS["horizontal_lag_eci"], "panel": units["months"],
                 "value": s26["mean_lag_months"], "low": np.nan, "high": np.nan, "who": "This report",
                 "note": f"{LAG_NAMES['daily_average']}: {s26['days']} days", "source": "data/scores.csv"})
    rows.append({"label": f"This report: ECI {snapshot_month(s26['snapshot'])} snapshot, daily gap since Jan 2026",
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
        g = arena_gap_open_closed(tables, when)
        if np.isfinite(g["gap_points"]):
            rows.append({"label": f"This report: LMArena {tag} (snapshot {snapshot_key(g['snapshot'])})",
                         "group": GROUP_LABELS["arena_rating"], "panel": units["rating points"],
                         "value": g["gap_points"], "low": g["low"], "high": g["high"], "who": "This report",
                         "note": f"{g['closed_model']} vs {g['open_model']}: the top closed model would win "
                                 f"{100 * g['win_prob']:.0f}% of head-to-head votes; range over snapshots within a "
                                 "month: " + ", ".join(f"{d} {v:g} points" for d, v in g["snapshots"]),
                         "source": "data/scores.csv"})
    d = pd.DataFrame(rows)
    return d


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
    pts = filter_points(base, s.open_rule, s.include_flagged, s.country, end=s.end_ts)
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
