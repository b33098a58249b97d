"""Geopolitics data and analysis: countries and regions, Settings, release counts and shares, the US-China
capability gap, open-frontier crossers, compute leaders, the event timeline. Pure functions of the tables."""
from __future__ import annotations

import dataclasses
import functools
import math

import numpy as np
import pandas as pd

from openclosed import report
from openclosed import fmt, frontier, theme
from openclosed import openness as op
from openclosed import gap as G
from openclosed.countries import (  # the one country rule (openclosed.countries.RULE); re-exported here
    CHINA_ALIASES, CN, COUNTRY_NAMES, RULE as COUNTRY_RULE, US, in_country, normalize_country, only_in,
    split_countries,
)
from openclosed.labels import model_labels
from openclosed.memo import per_inputs
from openclosed.openness import CLASSES, OPEN_CLASSES


PAGE = "geopolitics"
TABLES = report.section("geo").tables   # the data/ tables it reads: declared once, in the registry

# ------------------------------------------------------------------------------------------------
# Countries and regions
# ------------------------------------------------------------------------------------------------

EU27 = frozenset({
    "Austria", "Belgium", "Bulgaria", "Croatia", "Cyprus", "Czechia", "Denmark", "Estonia", "Finland",
    "France", "Germany", "Greece", "Hungary", "Ireland", "Italy", "Latvia", "Lithuania", "Luxembourg",
    "Malta", "Netherlands", "Poland", "Portugal", "Romania", "Slovakia", "Slovenia", "Spain", "Sweden",
})
OTHER_EUROPE = frozenset({
    "United Kingdom", "Switzerland", "Norway", "Iceland", "Liechtenstein", "Ukraine", "Serbia",
    "Albania", "Bosnia and Herzegovina", "Montenegro", "North Macedonia", "Moldova", "Andorra", "Monaco",
    "San Marino",
})
GROUPINGS = {
    "europe": "Europe together",
    "eu": "EU members together",
    "uk_fr": "UK and France split out",
}
REGIONS = {
    "europe": [US, CN, "Europe", "Other"],
    "eu": [US, CN, "EU", "Other"],
    "uk_fr": [US, CN, "United Kingdom", "France", "Rest of Europe", "Other"],
}
REGION_SHORT = {US: "US", CN: "CN", "Europe": "EUR", "EU": "EU", "United Kingdom": "UK", "France": "FR",
                "Rest of Europe": "rEU", "Other": "Oth"}
UNKNOWN_REGION = "Unknown"

COUNTING = {"full": "Full", "fractional": "Fractional"}
OPEN_RULES = op.OPEN_RULES
LISTS = {"notable": "Notable", "large_scale": "Large-scale"}
MEASURES = {"count": "Counts", "share": "Shares"}

OPEN_LABEL, CLOSED_LABEL, UNKNOWN_LABEL = "Open weights", "Closed", "Unknown"
STATUS_ORDER = [OPEN_LABEL, CLOSED_LABEL, UNKNOWN_LABEL]
UNKNOWN_COLOR = theme.UNKNOWN


def region_of(country: str, grouping: str = "europe") -> str:
    """A normalized country -> its region under a grouping."""
    if grouping not in REGIONS:
        grouping = "europe"
    if country == US:
        return US
    if country in CHINA_ALIASES:
        return CN
    if not country:
        return UNKNOWN_REGION
    in_eu, in_other_europe = country in EU27, country in OTHER_EUROPE
    if grouping == "europe":
        return "Europe" if (in_eu or in_other_europe) else "Other"
    if grouping == "eu":
        return "EU" if in_eu else "Other"
    if country in ("United Kingdom", "France"):
        return country
    return "Rest of Europe" if (in_eu or in_other_europe) else "Other"


def region_weights(raw, grouping: str = "europe", counting: str = "full") -> dict[str, float]:
    """Weight of one model in each region under a counting rule.

    full: 1 for every distinct region listed. fractional: 1/k for each of the k distinct countries,
    summed by region (so weights add up to 1). No country: {'Unknown': 1}."""
    countries = split_countries(raw)
    if not countries:
        return {UNKNOWN_REGION: 1.0}
    if counting == "fractional":
        w: dict[str, float] = {}
        for c in countries:
            r = region_of(c, grouping)
            w[r] = w.get(r, 0.0) + 1.0 / len(countries)
        return w
    return {r: 1.0 for r in dict.fromkeys(region_of(c, grouping) for c in countries)}


def open_status(openness: str, rule: str = "any") -> str:
    """Epoch openness class -> 'Open weights', 'Closed' or 'Unknown' under a rule."""
    if not isinstance(openness, str) or openness not in CLASSES or openness == "unknown":
        return UNKNOWN_LABEL
    if rule == "unrestricted":
        return OPEN_LABEL if openness == "open_unrestricted" else CLOSED_LABEL
    return OPEN_LABEL if openness in OPEN_CLASSES else CLOSED_LABEL


# ------------------------------------------------------------------------------------------------
# Intervals
# ------------------------------------------------------------------------------------------------

def _is_whole(x: float) -> bool:
    return math.isclose(x, round(x), abs_tol=1e-9)


def wilson_formula(k: float, n: float, confidence: float = 0.95) -> tuple[float, float]:
    """The closed-form Wilson score interval; works for real-valued (fractional) k and n."""
    from scipy import stats  # imported here: scipy is slow to import and most runs never need it
    z = float(stats.norm.ppf(1 - (1 - confidence) / 2))
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(max(p * (1 - p) / n + z * z / (4 * n * n), 0.0)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


def wilson(k: float, n: float, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for k successes in n trials.

    Whole counts use scipy (``binomtest(k, n).proportion_ci(method="wilson")``). Fractional counts (the
    fractional counting rule) use the same closed-form Wilson formula with real-valued k and n."""
    if not (n > 0) or not np.isfinite(n) or not np.isfinite(k):
        return (float("nan"), float("nan"))
    k = min(max(float(k), 0.0), float(n))
    if _is_whole(k) and _is_whole(n):
        from scipy import stats
        ci = stats.binomtest(int(round(k)), int(round(n))).proportion_ci(confidence_level=confidence,
                                                                         method="wilson")
        return (float(ci.low), float(ci.high))
    return wilson_formula(k, n, confidence)


# ------------------------------------------------------------------------------------------------
# Settings
# ------------------------------------------------------------------------------------------------

def list_data_end(epoch: pd.DataFrame | None = None) -> pd.Timestamp:
    """The newest publication date in Epoch's model lists: from ``epoch`` (data/epoch_models.csv) when given, else
    the date the build computed from that table's rows (data/source_dates.csv via openclosed.sources)."""
    if epoch is not None:
        return pd.to_datetime(epoch["publication_date"], errors="coerce").max()
    from openclosed.sources import SOURCES
    return pd.to_datetime(SOURCES["epoch_models"].get("data_ends") or None, errors="coerce")


def newest_year(epoch: pd.DataFrame | None = None) -> int:
    """The year slider's last year: the newest year of publication in Epoch's lists (never a typed year)."""
    end = list_data_end(epoch)
    if pd.isna(end):    # never the wall clock: "today" is the data's own date
        raise ValueError("Epoch's model lists have no publication date: rebuild data/ with python -m pipeline.build")
    return int(end.year)


def year_label(year: int, end=None) -> str:
    """A year as shown, with the data's end when the data stop inside it ("2026 (to 15 Jul)")."""
    end = list_data_end() if end is None else pd.Timestamp(end)
    if pd.notna(end) and int(year) == end.year and (end.month, end.day) != (12, 31):
        return f"{int(year)} (to {end.day} {end:%b})"
    return str(int(year))


def year_end(year: int, end=None) -> pd.Timestamp:
    """The last day a year's numbers cover: 31 December, or the data's end inside a partial final year."""
    end = list_data_end() if end is None else pd.Timestamp(end)
    last = pd.Timestamp(f"{int(year)}-12-31")
    return min(last, end) if pd.notna(end) else last


YEAR_MIN, YEAR_MAX = 2012, newest_year()
DEFAULT_TOLERANCE = G.DEFAULT_TOLERANCE
EPOCH_US_CHINA_TOLERANCE = 1.0   # Epoch: "within 1 point", for reproducing its published figure

METRICS = {
    "eci": "ECI, latest snapshot",
    "eci_nov": "ECI, earlier snapshot",
    "aa": "Artificial Analysis index",
}


@dataclasses.dataclass(frozen=True)
class Settings:
    year_from: int = 2020
    year_to: int = YEAR_MAX             # the newest year in Epoch's lists
    model_list: str = "notable"        # notable | large_scale
    counting: str = "full"             # full | fractional
    open_rule: str = "any"             # any | unrestricted
    grouping: str = "europe"           # europe | eu | uk_fr
    measure: str = "count"             # count | share (releases chart)
    metric: str = "eci"                # eci | eci_nov | aa (capability gap)
    tolerance: float = DEFAULT_TOLERANCE   # points within which China counts as level (lag today's definition)

    def clean(self) -> "Settings":
        """Out-of-range values fall back to defaults (never raise)."""
        d = Settings()
        try:
            a, b = int(self.year_from), int(self.year_to)
        except (TypeError, ValueError):
            a, b = d.year_from, d.year_to
        a, b = min(max(a, YEAR_MIN), YEAR_MAX), min(max(b, YEAR_MIN), YEAR_MAX)
        if a > b:
            a, b = b, a
        tol = self.tolerance if isinstance(self.tolerance, (int, float)) and np.isfinite(self.tolerance) else \
            d.tolerance
        return Settings(
            year_from=a, year_to=b,
            model_list=self.model_list if self.model_list in LISTS else d.model_list,
            counting=self.counting if self.counting in COUNTING else d.counting,
            open_rule=self.open_rule if self.open_rule in OPEN_RULES else d.open_rule,
            grouping=self.grouping if self.grouping in GROUPINGS else d.grouping,
            measure=self.measure if self.measure in MEASURES else d.measure,
            metric=self.metric if self.metric in METRICS else d.metric,
            tolerance=float(min(max(tol, 0.0), 20.0)),
        )

    def label(self) -> str:
        """The settings that differ from the defaults, as short text ('' at the defaults)."""
        return fmt.settings_label(self, {
            "year_from": lambda v: f"from {v}", "year_to": lambda v: f"to {v}",
            "model_list": lambda v: f"{LISTS.get(v, v).lower()} models", "counting": lambda v: f"counting {v}",
            "open_rule": lambda v: f"open = {OPEN_RULES.get(v, v).lower()}",
            "grouping": lambda v: f"regions: {GROUPINGS.get(v, v)}", "measure": lambda v: MEASURES.get(v, v).lower(),
            "metric": lambda v: f"capability: {METRICS.get(v, v)}", "tolerance": lambda v: f"level within {v:g} points",
        })


# ------------------------------------------------------------------------------------------------
# Releases by region and openness
# ------------------------------------------------------------------------------------------------

def select_models(epoch: pd.DataFrame, model_list: str, year_from: int, year_to: int) -> pd.DataFrame:
    """Models of one Epoch list published in [year_from, year_to], with a ``year`` column."""
    col = "large_scale" if model_list == "large_scale" else "notable"
    df = epoch[epoch[col].astype(bool)].copy()
    df["year"] = pd.to_numeric(df["publication_date"].astype(str).str[:4], errors="coerce")
    df = df[df["year"].between(year_from, year_to)]
    df["year"] = df["year"].astype(int)
    return df


def long_membership(models: pd.DataFrame, grouping: str, counting: str) -> pd.DataFrame:
    """One row per (model, region) with its weight; input needs ``country`` (Epoch string)."""
    rows = []
    countries = models["country"].tolist()
    for idx, raw in zip(models.index, countries):
        for region, w in region_weights(raw, grouping, counting).items():
            rows.append((idx, region, w))
    mem = pd.DataFrame(rows, columns=["_idx", "region", "weight"])
    return models.join(mem.set_index("_idx"), how="inner")


def releases(epoch: pd.DataFrame, s: Settings) -> pd.DataFrame:
    """Yearly counts by region and open status: year, region, status, count, total, share.

    ``count`` is weighted by the counting rule; ``share`` is count / all models of that region and year
    (including Unknown access). Regions follow the grouping's order; models without a country are left out.
    Computed once per table and the settings it reads, so the cards that show it share it (read-only)."""
    return _releases(epoch, s.model_list, s.year_from, s.year_to, s.open_rule, s.grouping, s.counting)


@per_inputs
def _releases(epoch: pd.DataFrame, model_list: str, year_from: int, year_to: int, open_rule: str, grouping: str,
              counting: str) -> pd.DataFrame:
    s = Settings(model_list=model_list, year_from=year_from, year_to=year_to, open_rule=open_rule,
                 grouping=grouping, counting=counting)
    df = select_models(epoch, s.model_list, s.year_from, s.year_to)
    cols = ["year", "region", "status", "count", "total", "share"]
    if df.empty:
        return pd.DataFrame(columns=cols)
    df["status"] = [open_status(o, s.open_rule) for o in df["openness"]]
    mem = long_membership(df, s.grouping, s.counting)
    mem = mem[mem["region"] != UNKNOWN_REGION]
    g = mem.groupby(["year", "region", "status"], sort=True)["weight"].sum().rename("count").reset_index()
    regions = REGIONS[s.grouping]
    full = pd.MultiIndex.from_product([sorted(g["year"].unique()), regions, STATUS_ORDER],
                                      names=["year", "region", "status"])
    g = g.set_index(["year", "region", "status"]).reindex(full, fill_value=0.0).reset_index()
    g["total"] = g.groupby(["year", "region"])["count"].transform("sum")
    g["share"] = np.where(g["total"] > 0, g["count"] / g["total"].where(g["total"] > 0, 1), np.nan)
    g["region"] = pd.Categorical(g["region"], regions, ordered=True)
    g["status"] = pd.Categorical(g["status"], STATUS_ORDER, ordered=True)
    g = g.sort_values(["year", "region", "status"]).reset_index(drop=True)
    g["region"], g["status"] = g["region"].astype(str), g["status"].astype(str)
    return g[cols]


def share_open_only_in(epoch: pd.DataFrame, s: Settings, year: int, group: str) -> dict:
    """The narrower reading of a region's share open in one year: only models whose developers are all in
    ``group`` ('us', 'china'; openclosed.countries.only_in), each counted once. Keys open, n, share."""
    df = select_models(epoch, s.model_list, year, year)
    df = df[[only_in(c, group) for c in df["country"]]]
    st_ = [open_status(o, s.open_rule) for o in df["openness"]]
    k, n = sum(x == OPEN_LABEL for x in st_), sum(x in (OPEN_LABEL, CLOSED_LABEL) for x in st_)
    return {"open": k, "n": n, "share": k / n if n else float("nan")}


def share_open(epoch: pd.DataFrame, s: Settings, confidence: float = 0.95) -> pd.DataFrame:
    """Share of each region's models (known accessibility only) released with open weights, per year,
    with a Wilson interval: year, region, open, n, share, low, high (shares as fractions). Computed once per
    table and the settings it reads (read-only)."""
    return _share_open(epoch, s.model_list, s.year_from, s.year_to, s.open_rule, s.grouping, s.counting,
                       confidence)


@per_inputs
def _share_open(epoch: pd.DataFrame, model_list: str, year_from: int, year_to: int, open_rule: str, grouping: str,
                counting: str, confidence: float) -> pd.DataFrame:
    s = Settings(model_list=model_list, year_from=year_from, year_to=year_to, open_rule=open_rule,
                 grouping=grouping, counting=counting)
    rel = _releases(epoch, model_list, year_from, year_to, open_rule, grouping, counting)
    cols = ["year", "region", "open", "n", "share", "low", "high"]
    if rel.empty:
        return pd.DataFrame(columns=cols)
    known = rel[rel["status"] != UNKNOWN_LABEL]
    piv = known.pivot_table(index=["year", "region"], columns="status", values="count", aggfunc="sum",
                            fill_value=0.0, observed=True)
    for c in (OPEN_LABEL, CLOSED_LABEL):
        if c not in piv:
            piv[c] = 0.0
    out = pd.DataFrame({"open": piv[OPEN_LABEL], "n": piv[OPEN_LABEL] + piv[CLOSED_LABEL]}).reset_index()
    out = out[out["n"] > 0].copy()
    out["share"] = out["open"] / out["n"]
    ci = [wilson(k, n, confidence) for k, n in zip(out["open"], out["n"])]
    out["low"] = [c[0] for c in ci]
    out["high"] = [c[1] for c in ci]
    order = {r: i for i, r in enumerate(REGIONS[s.grouping])}
    out = out.sort_values(["year", "region"], key=lambda c: c.map(order) if c.name == "region" else c)
    return out[cols].reset_index(drop=True)


def china_share_of_open(epoch: pd.DataFrame, s: Settings) -> pd.DataFrame:
    """Per year: China's open-weight models (weighted by the counting rule), all open-weight models
    (each once), and China's share of them."""
    df = select_models(epoch, s.model_list, s.year_from, s.year_to)
    cols = ["year", "china", "open_total", "share"]
    df = df[np.array([open_status(o, s.open_rule) == OPEN_LABEL for o in df["openness"]], dtype=bool)]
    df = df[np.array([bool(split_countries(c)) for c in df["country"]], dtype=bool)]
    if df.empty:
        return pd.DataFrame(columns=cols)
    w = [region_weights(c, "europe", s.counting).get(CN, 0.0) for c in df["country"]]
    out = df.assign(china=w).groupby("year").agg(china=("china", "sum"), open_total=("model", "size")).reset_index()
    out["share"] = out["china"] / out["open_total"]
    return out[cols]


# ------------------------------------------------------------------------------------------------
# Capability: US vs China
# ------------------------------------------------------------------------------------------------

def metric_spec(metric: str, scores: pd.DataFrame) -> dict:
    """Which score rows a capability option uses: metric key, snapshot, label, source key."""
    if metric == "aa":
        aa = scores[scores["metric"] == "aa_intelligence_index"]
        snap = str(aa["snapshot"].max()) if len(aa) else ""
        return {"metric": "aa_intelligence_index", "snapshot": snap, "label": "AA Intelligence Index",
                "unit": "index points", "source": "artificial_analysis"}
    eci = scores[scores["metric"] == "eci"]
    snaps = sorted(eci["snapshot"].astype(str).unique())
    snap = (snaps[0] if metric == "eci_nov" else snaps[-1]) if snaps else ""
    return {"metric": "eci", "snapshot": snap, "label": "ECI", "unit": "ECI points", "source": "eci"}


@per_inputs(kept=16)     # shared by four cards and the page's numbers, each cached on its own settings
def capability_points(scores: pd.DataFrame, models: pd.DataFrame, metric: str = "eci",
                      snapshot: str | None = None) -> pd.DataFrame:
    """Scored models with their country and openness: date, value, model, model_id, country, openness.

    ``model`` is a readable label per source version (``labels.model_labels``), so two versions merged into
    one catalog id stay separate points; ``source_id`` is the source's own name. Country and openness come from the catalog."""
    sc = scores[scores["metric"] == metric]
    if snapshot:
        sc = sc[sc["snapshot"].astype(str) == str(snapshot)]
    meta = models[["model_id", "name", "country", "openness"]]
    df = sc.merge(meta, on="model_id", how="left")
    df = df.assign(model=model_labels(df["name"], df["source_id"]), source_id=df["source_id"].astype(str), date=pd.to_datetime(df["date"], errors="coerce"),
                   value=pd.to_numeric(df["value"], errors="coerce"))
    df = df[df["date"].notna() & np.isfinite(df["value"])]
    df = df.sort_values("value", ascending=False).drop_duplicates("source_id").sort_values(["date", "model"])
    return df[["date", "value", "model", "model_id", "source_id", "country", "openness"]].reset_index(drop=True)


def side(points: pd.DataFrame, country: str) -> pd.DataFrame:
    """Points whose country lists ``country`` (date, value, model)."""
    if points.empty:
        return points[["date", "value", "model"]]
    mask = np.array([in_country(c, country) for c in points["country"]], dtype=bool)
    return points.loc[mask, ["date", "value", "model"]].reset_index(drop=True)


def gap_over_time(points: pd.DataFrame, start, end, tolerance: float = 1.0, freq: str = "D") -> pd.DataFrame:
    """US lead over China at each date in [start, end] (frontier.lag_series, China as the trailing side):
    date, open_best (= China best), closed_best (= US best), gap_points, lag_months."""
    dates = pd.date_range(pd.Timestamp(start), pd.Timestamp(end), freq=freq)
    if len(dates) == 0:
        return pd.DataFrame(columns=["date", "china_best", "us_best", "gap_points", "lag_months"])
    ls = frontier.lag_series(side(points, CN), side(points, US), dates, tolerance=tolerance)
    ls = ls.rename(columns={"open_best": "china_best", "closed_best": "us_best"})
    return ls[["date", "china_best", "us_best", "gap_points", "lag_months"]]


def average_lag(points: pd.DataFrame, start, end, tolerance: float = 1.0) -> dict:
    """Epoch's US-China statistic: the daily lag averaged over days in [start, end] where both sides have
    a model, with the daily minimum and maximum, and the average gap in points."""
    d = gap_over_time(points, start, end, tolerance, freq="D").dropna(subset=["lag_months"])
    if d.empty:
        return {"mean": float("nan"), "min": float("nan"), "max": float("nan"), "gap_points": float("nan"),
                "days": 0}
    return {"mean": float(d["lag_months"].mean()), "min": float(d["lag_months"].min()),
            "max": float(d["lag_months"].max()), "gap_points": float(d["gap_points"].mean()),
            "days": int(len(d))}


def frontier_steps(points: pd.DataFrame, country: str, end) -> pd.DataFrame:
    """Best-to-date steps of one country (frontier.running_best), plus a closing row at ``end``."""
    rb = frontier.running_best(side(points, country))
    rb = rb[rb["date"] <= pd.Timestamp(end)]
    if rb.empty:
        return rb.assign(country=country, record=True)
    last = rb.iloc[[-1]].assign(date=pd.Timestamp(end))
    out = pd.concat([rb.assign(record=True), last.assign(record=False)], ignore_index=True)
    return out.assign(country=country)


def published_us_china(published: pd.DataFrame) -> dict | None:
    """Epoch's published US-China lag estimate row, if present."""
    row = published[published["quantity"] == "lag_months_us_china"]
    if row.empty:
        return None
    r = row.sort_values("published").iloc[-1]
    return {"value": float(r["value"]), "low": float(r["low"]), "high": float(r["high"]),
            "published": str(r["published"]), "source": str(r["source"]), "url": str(r["url"]),
            "interval": str(r["interval"]), "window": str(r["window"])}


def arena_gap_us_china(scores: pd.DataFrame, models: pd.DataFrame, when: str) -> dict | None:
    """Top US minus top Chinese LMArena rating in rating points (``points``) and the head-to-head win probability
    it implies for the US model (``win_prob``), on the LMArena snapshot nearest to ``when``. No percent of the
    US rating: ratings have no true zero (the AI Index's percent is shown as their figure)."""
    lm = scores[scores["metric"] == "lmarena_text"]
    if lm.empty:
        return None
    dates = lm["snapshot"].astype(str).str.split(":").str[-1]
    snap_date = G.nearest_snapshot(sorted(dates.unique()), when)
    rows = lm[dates == snap_date].merge(models[["model_id", "name", "country"]], on="model_id", how="left")
    rows = rows[rows["snapshot"] == rows["snapshot"].iloc[0]] if len(rows) else rows
    us = rows[np.array([in_country(c, US) for c in rows["country"]], dtype=bool)]
    cn = rows[np.array([in_country(c, CN) for c in rows["country"]], dtype=bool)]
    g = G.arena_gap(us, cn)
    if g is None:
        return None
    u, c = g["lead"], g["trail"]
    label = model_labels(rows["name"], rows["source_id"])
    return {"snapshot": str(rows["snapshot"].iloc[0]), "us_model": label[u.name], "us": float(u["value"]),
            "cn_model": label[c.name], "cn": float(c["value"]), "points": g["points"], "win_prob": g["win_prob"]}


@per_inputs
def comparison_table(scores: pd.DataFrame, models: pd.DataFrame, published: pd.DataFrame,
                     tolerance: float = EPOCH_US_CHINA_TOLERANCE) -> pd.DataFrame:
    """Published US-China estimates beside this report's recomputation with the same definition (Epoch's
    1-point tolerance, not the page's own)."""
    rows = []
    pub = published_us_china(published)
    eci = scores[scores["metric"] == "eci"]
    if pub is not None and len(eci):
        start = "2023-01-01"
        near = G.nearest_snapshot(sorted(str(s) for s in eci["snapshot"].unique()), pub["published"])
        latest = str(sorted(eci["snapshot"].astype(str).unique())[-1])
        for snap, why in ((near, "snapshot nearest the publication date"), (latest, "latest snapshot")):
            pts = capability_points(scores, models, "eci", snap)
            a = average_lag(pts, start, pub["published"], tolerance)
            rows.append({
                "quantity": "US lead over China on ECI, daily average (months)",
                "published": pub["value"], "published_range": f"{pub['low']:g}-{pub['high']:g}",
                "published_by": f"{pub['source']} ({pub['published']})",
                "this_report": round(a["mean"], 1), "this_report_range": f"{a['min']:.1f}-{a['max']:.1f}",
                "how": (f"ECI snapshot {snap} ({why}), {start} to {pub['published']}, "
                        f"tolerance {tolerance:g} point; range = min-max of the daily lag"),
            })
            if snap == latest:
                break
    arena = published[published["quantity"] == "arena_gap_pct_us_china"]
    arena = arena.assign(_order=arena["estimate_id"].str.extract(r"(\d{4})$", expand=False).fillna("")).sort_values(
        ["_order", "estimate_id"])
    for r in arena.itertuples():
        month = {"January 2024": "2024-01-15", "February 2025": "2025-02-15"}
        when = next((d for k, d in month.items() if k in str(r.window)), str(r.published))
        ours = arena_gap_us_china(scores, models, when)
        rows.append({
            "quantity": (f"Arena gap, top US vs top Chinese model, {str(r.window).split(',')[-1].strip()}: "
                         "published = the AI Index's figure (% of the US rating, their measure); this report = "
                         "rating points"),
            "published": float(r.value), "published_range": "",
            "published_by": f"{r.source} ({r.published})",
            "this_report": round(ours["points"]) if ours else float("nan"), "this_report_range": "",
            "how": (f"LMArena {ours['snapshot']}: {ours['us_model']} {ours['us']:.0f} vs {ours['cn_model']} "
                    f"{ours['cn']:.0f}, a gap of {ours['points']:.0f} rating points: the US model would win "
                    f"{100 * ours['win_prob']:.0f}% of head-to-head votes. Ratings have no true zero, so no "
                    "percent is computed here" if ours else "no LMArena snapshot"),
        })
    return pd.DataFrame(rows, columns=["quantity", "published", "published_range", "published_by",
                                       "this_report", "this_report_range", "how"])


# ------------------------------------------------------------------------------------------------
# Open frontier: who first crossed each level
# ------------------------------------------------------------------------------------------------

def open_first_crossers(points: pd.DataFrame, s: Settings, step: float = 1.0) -> pd.DataFrame:
    """Among open models (``s.open_rule``), which model first reached each capability level.

    Levels are multiples of ``step`` (1 point). The open frontier is frontier.running_best over open
    models of every country; the first date it reaches a level is frontier.first_reached. Only levels
    first reached inside the year range count, and the very first open model of all claims none (it sets
    the starting level). Returns one row per crossing record: date, value, model, region, weight (the
    counting rule's share of the model for that region), levels (levels the record crossed, times weight)."""
    cols = ["date", "value", "model", "region", "weight", "levels"]
    if points.empty:
        return pd.DataFrame(columns=cols)
    is_open = np.array([open_status(o, s.open_rule) == OPEN_LABEL for o in points["openness"]], dtype=bool)
    op = points[is_open]
    front = frontier.running_best(op[["date", "value", "model"]])
    if len(front) < 2:
        return pd.DataFrame(columns=cols)
    start, end = pd.Timestamp(f"{s.year_from}-01-01"), pd.Timestamp(f"{s.year_to}-12-31")
    lo = math.floor(front["value"].iloc[0] / step) * step + step
    hi = math.floor(front["value"].iloc[-1] / step) * step
    country = dict(zip(op["model"], op["country"]))
    counts: dict[int, int] = {}
    for level in np.arange(lo, hi + step / 2, step):
        when = frontier.first_reached(front, float(level))
        if pd.isna(when) or not (start <= when <= end):
            continue
        i = int(np.argmax(front["value"].to_numpy() >= level))
        counts[i] = counts.get(i, 0) + 1
    rows = []
    for i, n in sorted(counts.items()):
        rec = front.iloc[i]
        for region, w in region_weights(country.get(rec["model"]), s.grouping, s.counting).items():
            rows.append({"date": rec["date"], "value": float(rec["value"]), "model": rec["model"],
                         "region": region, "weight": w, "levels": n * w})
    return pd.DataFrame(rows, columns=cols)


def open_frontier_steps(points: pd.DataFrame, s: Settings, start, end) -> pd.DataFrame:
    """Best open-weight score to date (frontier.running_best over open models of every country), clipped
    to [start, end] with a row at each end so the step line spans the range."""
    if points.empty:
        return pd.DataFrame(columns=["date", "value", "model"])
    is_open = np.array([open_status(o, s.open_rule) == OPEN_LABEL for o in points["openness"]], dtype=bool)
    front = frontier.running_best(points.loc[is_open, ["date", "value", "model"]])
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    before = front[front["date"] < start]
    inside = front[(front["date"] >= start) & (front["date"] <= end)]
    parts = []
    if len(before):
        parts.append(before.iloc[[-1]].assign(date=start))
    parts.append(inside)
    out = pd.concat(parts, ignore_index=True) if parts else inside
    if len(out):
        out = pd.concat([out, out.iloc[[-1]].assign(date=end)], ignore_index=True)
    return out.reset_index(drop=True)


# ------------------------------------------------------------------------------------------------
# Compute
# ------------------------------------------------------------------------------------------------

CONFIDENCE_ORDER = ["Confident", "Likely", "Speculative", "Unknown"]


def _confidence(c) -> str:
    return c if isinstance(c, str) and c in CONFIDENCE_ORDER else "Unknown"


def compute_leaders(epoch: pd.DataFrame, s: Settings) -> pd.DataFrame:
    """The largest training run of each region in each year: year, region, model, date, flop, confidence,
    status. Region membership follows the grouping; a multi-region model can lead in each of its regions."""
    df = select_models(epoch, s.model_list, s.year_from, s.year_to)
    cols = ["year", "region", "model", "date", "flop", "confidence", "status"]
    df = df[pd.to_numeric(df["training_compute_flop"], errors="coerce") > 0]
    if df.empty:
        return pd.DataFrame(columns=cols)
    df = df.assign(flop=df["training_compute_flop"].astype(float),
                   confidence=df["compute_confidence"].map(_confidence),
                   status=[open_status(o, s.open_rule) for o in df["openness"]],
                   date=pd.to_datetime(df["publication_date"]))
    mem = long_membership(df, s.grouping, "full")
    mem = mem[mem["region"] != UNKNOWN_REGION]
    top = (mem.sort_values(["flop", "model"], ascending=[False, True])
           .drop_duplicates(["year", "region"]).sort_values(["region", "year"]))
    top = top.rename(columns={"model": "model"})
    return top[cols].reset_index(drop=True)


def compute_vs_capability(epoch: pd.DataFrame, points: pd.DataFrame, s: Settings) -> pd.DataFrame:
    """Scored models that also have an Epoch training-compute figure, joined on Epoch's model name (exact):
    model, value, flop, confidence, region, status, date. Models without a compute figure are left out."""
    cols = ["model", "value", "flop", "confidence", "region", "status", "date"]
    if points.empty:
        return pd.DataFrame(columns=cols)
    ep = epoch[pd.to_numeric(epoch["training_compute_flop"], errors="coerce") > 0]
    ep = ep[["model", "training_compute_flop", "compute_confidence", "country", "openness"]]
    df = points[["model", "source_id", "value", "date"]].merge(ep.rename(columns={"model": "source_id"}),
                                                            on="source_id", how="inner")
    df = df[(df["date"].dt.year >= s.year_from) & (df["date"].dt.year <= s.year_to)]
    if df.empty:
        return pd.DataFrame(columns=cols)
    df = df.assign(flop=df["training_compute_flop"].astype(float),
                   confidence=df["compute_confidence"].map(_confidence),
                   status=[open_status(o, s.open_rule) for o in df["openness"]])
    mem = long_membership(df, s.grouping, "full")
    mem = mem[mem["region"] != UNKNOWN_REGION]
    return mem[cols].sort_values(["value", "model", "region"]).reset_index(drop=True)


# ------------------------------------------------------------------------------------------------
# Events
# ------------------------------------------------------------------------------------------------

EVENT_LANES = {"policy": "Policy", "open_release": "Open release", "closed_release": "Closed release",
               "market": "Market", "price": "Market"}


def timeline(events: pd.DataFrame, s: Settings) -> pd.DataFrame:
    """Events in the year range: date, label, kind, lane, country, description, source, url."""
    ev = events.copy()
    ev["date"] = pd.to_datetime(ev["date"])
    ev = ev[(ev["date"].dt.year >= s.year_from) & (ev["date"].dt.year <= s.year_to)]
    ev = ev.assign(lane=ev["kind"].map(EVENT_LANES).fillna("Market"),
                   country=ev["country"].fillna("").replace({"US": US, "": "Other", "other": "Other"}))
    return ev[["date", "label", "kind", "lane", "country", "description", "source", "url"]].sort_values(
        "date").reset_index(drop=True)


@per_inputs
def export_controls(events: pd.DataFrame) -> pd.DataFrame:
    """US chip export-control rounds (policy events whose id names export controls or the diffusion rule)."""
    ev = events[(events["kind"] == "policy")]
    ev = ev[ev["event_id"].str.contains("export_control|diffusion_rule$", regex=True)]
    return ev.assign(date=pd.to_datetime(ev["date"])).sort_values("date").reset_index(drop=True)


# ------------------------------------------------------------------------------------------------
# Analysis bundle
# ------------------------------------------------------------------------------------------------

class Analysis:
    """Everything the page shows for one setting, each part computed when first read: a card built alone
    computes only the parts it draws (ui.state caches each card on the settings it reads, `CARD_READS`)."""

    def __init__(self, tables: dict[str, pd.DataFrame], settings: Settings):
        self.tables, self.settings = tables, settings.clean()

    @functools.cached_property
    def _epoch(self) -> pd.DataFrame:
        return self.tables["epoch_models"]

    @functools.cached_property
    def _range(self) -> tuple[pd.Timestamp, pd.Timestamp]:
        """The year range's first day and its last day with data (the score snapshot's date at most)."""
        s, spec = self.settings, self.metric
        data_end = pd.Timestamp(spec["snapshot"]) if spec["snapshot"] else pd.Timestamp(f"{s.year_to}-12-31")
        return pd.Timestamp(f"{s.year_from}-01-01"), min(pd.Timestamp(f"{s.year_to}-12-31"), data_end)

    @functools.cached_property
    def _selected(self) -> pd.DataFrame:
        s = self.settings
        return select_models(self._epoch, s.model_list, s.year_from, s.year_to)

    @functools.cached_property
    def releases(self) -> pd.DataFrame:
        return releases(self._epoch, self.settings)

    @functools.cached_property
    def share_open(self) -> pd.DataFrame:
        return share_open(self._epoch, self.settings)

    @functools.cached_property
    def metric(self) -> dict:
        return metric_spec(self.settings.metric, self.tables["scores"])

    @functools.cached_property
    def points(self) -> pd.DataFrame:
        spec = self.metric
        return capability_points(self.tables["scores"], self.tables["models"], spec["metric"], spec["snapshot"])

    @functools.cached_property
    def gap(self) -> pd.DataFrame:
        """Weekly, for the chart."""
        (start, end), pts = self._range, self.points
        gap = gap_over_time(pts, start, end, self.settings.tolerance, freq="W") if start <= end else \
            gap_over_time(pts, 0, 0)
        return gap.dropna(subset=["us_best"]).reset_index(drop=True)

    @functools.cached_property
    def steps(self) -> pd.DataFrame:
        """US and China best-to-date steps."""
        (start, end), pts = self._range, self.points
        steps = pd.concat([frontier_steps(pts, US, end), frontier_steps(pts, CN, end)], ignore_index=True)
        return steps[steps["date"] >= start - pd.Timedelta(days=366 * 2)] if not steps.empty else steps

    @functools.cached_property
    def lag_now(self) -> dict:
        (_, end), pts = self._range, self.points
        t = G.today(side(pts, US), side(pts, CN), end, self.settings.tolerance)
        return {"date": end, "lag_months": t["lag_months"], "gap_points": t["gap_points"],
                "us_best": t["lead_best"], "china_best": t["trail_best"], "us_model": t["lead_model"],
                "china_model": t["trail_model"], "us_match_model": t["matched_model"],
                "us_match_date": t["matched_date"]}

    @functools.cached_property
    def lag_avg(self) -> dict:
        """Over the year range."""
        (start, end), pts = self._range, self.points
        return average_lag(pts, start, end, self.settings.tolerance) if start <= end else average_lag(pts, 0, 0)

    @functools.cached_property
    def comparison(self) -> pd.DataFrame:
        t = self.tables
        return comparison_table(t["scores"], t["models"], t["published_estimates"], EPOCH_US_CHINA_TOLERANCE)

    @functools.cached_property
    def published(self) -> dict | None:
        return published_us_china(self.tables["published_estimates"])

    @functools.cached_property
    def crossers(self) -> pd.DataFrame:
        return open_first_crossers(self.points, self.settings)

    @functools.cached_property
    def open_front(self) -> pd.DataFrame:
        """Open-weight frontier steps in the year range."""
        return open_frontier_steps(self.points, self.settings, *self._range)

    @functools.cached_property
    def compute(self) -> pd.DataFrame:
        return compute_leaders(self._epoch, self.settings)

    @functools.cached_property
    def compute_cap(self) -> pd.DataFrame:
        s, scores = self.settings, self.tables["scores"]
        snapshot = metric_spec("eci_nov" if s.metric == "eci_nov" else "eci", scores)["snapshot"]
        return compute_vs_capability(self._epoch, capability_points(scores, self.tables["models"], "eci", snapshot), s)

    @functools.cached_property
    def events(self) -> pd.DataFrame:
        return timeline(self.tables["events"], self.settings)

    @functools.cached_property
    def controls(self) -> pd.DataFrame:
        return export_controls(self.tables["events"])

    @functools.cached_property
    def china_open(self) -> pd.DataFrame:
        """Per year: China's weighted open models, all open models, share."""
        return china_share_of_open(self._epoch, self.settings)

    @functools.cached_property
    def no_country_points(self) -> pd.DataFrame:
        """Scored models without a country (left out of the US-China gap)."""
        pts = self.points
        return pts[np.array([not split_countries(c) for c in pts["country"]], dtype=bool)].sort_values(
            "value", ascending=False).reset_index(drop=True)

    @functools.cached_property
    def n_no_country(self) -> int:
        return sum(1 for c in self._selected["country"] if not split_countries(c))

    @functools.cached_property
    def n_unknown_access(self) -> int:
        return int((self._selected["openness"] == "unknown").sum())


def analyze(tables: dict[str, pd.DataFrame], settings: Settings) -> Analysis:
    return Analysis(tables, settings)


# ------------------------------------------------------------------------------------------------
# Text helpers
# ------------------------------------------------------------------------------------------------

def count_text(x: float) -> str:
    """A count: whole numbers without decimals, fractional counts with one."""
    return f"{round(x):d}" if _is_whole(x) else f"{x:.1f}"


def fmt_flop(x: float) -> str:
    """5.0e26 -> '5.0×10²⁶'."""
    if not (x > 0):
        return "n/a"
    e = int(math.floor(math.log10(x)))
    sup = str(e).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))
    return f"{x / 10 ** e:.1f}×10{sup}"


def list_word(s: Settings) -> str:
    return "notable" if s.model_list == "notable" else "large-scale"


def crossers_by_region(an: Analysis) -> pd.DataFrame:
    cr = an.crossers
    if cr.empty:
        return pd.DataFrame(columns=["region", "levels", "share"])
    total = cr.drop_duplicates("model")["levels"].sum() if an.settings.counting == "fractional" else \
        cr.groupby("model")["levels"].max().sum()
    g = cr.groupby("region", as_index=False)["levels"].sum()
    g["share"] = g["levels"] / total
    return g.sort_values("levels", ascending=False).reset_index(drop=True)


def n_levels(an: Analysis) -> float:
    cr = an.crossers
    if cr.empty:
        return 0.0
    # each record's total levels = levels / weight for any of its rows
    per = cr.assign(total=cr["levels"] / cr["weight"]).groupby("model")["total"].first()
    return float(per.sum())


def compute_cap_finding(an: Analysis) -> dict | None:
    """The best-scoring Chinese open model with a compute figure, and the least compute any US model
    at or above its score (within the tolerance) reports."""
    c = an.compute_cap
    if c.empty:
        return None
    cn = c[(c["region"] == CN) & (c["status"] == OPEN_LABEL)]
    if cn.empty:
        return None
    best = cn.sort_values(["value", "flop"], ascending=[False, True]).iloc[0]
    us = c[(c["region"] == US) & (c["value"] >= best["value"] - an.settings.tolerance)]
    if us.empty:
        return {"cn": best, "us": None}
    return {"cn": best, "us": us.sort_values("flop").iloc[0]}
