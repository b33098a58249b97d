"""Geopolitics: who releases open and who releases closed models, and how far apart are the US and China.

Pure core (no streamlit). Everything is computed from DataFrames passed in:
``epoch_models`` (Epoch's notable and large-scale lists), ``models`` (the catalog, for country and openness
of scored models), ``scores`` (ECI, Artificial Analysis index, LMArena), ``events`` and
``published_estimates``.

Country rules (stated on the page):

- Epoch's ``Country (of organization)`` lists one country per organization, comma-joined, so a string can
  repeat a country ("China,China") or list several. A string is split on commas, each name is normalized
  (``United States of America`` -> ``United States``...) and duplicates are dropped: "China,China" is one
  Chinese model. Hong Kong counts as China. "Multinational" counts as Other. A model with no country is
  left out of the region charts.
- Region groupings: ``europe`` (US, China, Europe, Other; Europe = EU members plus the UK, Switzerland,
  Norway, Iceland and other European states, not Russia), ``eu`` (US, China, EU, Other; EU = the 27
  current members, counted as one bloc, so the UK and Switzerland fall into Other) and ``uk_fr`` (US,
  China, United Kingdom, France, Rest of Europe, Other).
- Counting rules for models from several regions: ``full`` counts the model once in *each* region it
  lists (a US-UK model is one US model and one European model; totals can exceed the number of models);
  ``fractional`` splits one model equally among its distinct countries (a US-UK model is half US and half
  UK; totals equal the number of models). Under both rules "China,China" is one Chinese model.
- Open: ``any`` counts every Epoch "Open weights" class as open; ``unrestricted`` only "Open weights
  (unrestricted)". Everything else with a known accessibility (API, hosted, unreleased, and restricted
  weights under ``unrestricted``) is "Closed". Models whose accessibility Epoch left empty are "Unknown":
  shown in the release counts, left out of share-open denominators.

The US-China capability gap uses the Performance page's lag code, ``openclosed.frontier``, with China as
the trailing side and the US as the leading side.
"""
from __future__ import annotations

import dataclasses
import math

import altair as alt
import numpy as np
import pandas as pd
from scipy import stats

from openclosed import frontier
from openclosed import gap as G
from openclosed.cards import ChartCard
from openclosed.openness import CLASSES, OPEN_CLASSES
from openclosed.theme import CLOSED, COUNTRY_COLORS, NEUTRAL, OPEN

PAGE = "geopolitics"
TABLES_NEEDED = ("epoch_models", "models", "scores", "events", "published_estimates")

# ------------------------------------------------------------------------------------------------
# Countries and regions
# ------------------------------------------------------------------------------------------------

US, CN = "United States", "China"

COUNTRY_NAMES = {
    "United States of America": US,
    "USA": US,
    "United Kingdom of Great Britain and Northern Ireland": "United Kingdom",
    "Korea (Republic of)": "South Korea",
    "Republic of Korea": "South Korea",
    "Iran (Islamic Republic of)": "Iran",
    "Russian Federation": "Russia",
    "Czech Republic": "Czechia",
    "Netherlands (Kingdom of the)": "Netherlands",
    "Viet Nam": "Vietnam",
    "Türkiye": "Turkey",
    "Taiwan, Province of China": "Taiwan",
}

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
CHINA_ALIASES = frozenset({CN, "Hong Kong"})

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
OPEN_RULES = {"any": "Any open weights", "unrestricted": "Unrestricted licence only"}
LISTS = {"notable": "Notable", "large_scale": "Large-scale"}
MEASURES = {"count": "Counts", "share": "Shares"}

OPEN_LABEL, CLOSED_LABEL, UNKNOWN_LABEL = "Open weights", "Closed", "Unknown"
STATUS_ORDER = [OPEN_LABEL, CLOSED_LABEL, UNKNOWN_LABEL]
UNKNOWN_COLOR = "#CCCCCC"


def normalize_country(name: str) -> str:
    """One country name as Epoch spells it -> the short name used here ('' for empty)."""
    if not isinstance(name, str):
        return ""
    n = " ".join(name.split())
    return COUNTRY_NAMES.get(n, n)


def split_countries(raw) -> tuple[str, ...]:
    """Epoch's comma-joined country string -> distinct normalized countries, in order of first mention.

    'China,China' -> ('China',); '' or NaN -> ()."""
    if not isinstance(raw, str) or not raw.strip():
        return ()
    out: list[str] = []
    for part in raw.split(","):
        c = normalize_country(part)
        if c and c not in out:
            out.append(c)
    return tuple(out)


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


def in_country(raw, country: str) -> bool:
    """Whether a model's country string lists a country (China includes Hong Kong)."""
    countries = split_countries(raw)
    if country == CN:
        return any(c in CHINA_ALIASES for c in countries)
    return country in countries


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
        ci = stats.binomtest(int(round(k)), int(round(n))).proportion_ci(confidence_level=confidence,
                                                                         method="wilson")
        return (float(ci.low), float(ci.high))
    return wilson_formula(k, n, confidence)


# ------------------------------------------------------------------------------------------------
# Settings
# ------------------------------------------------------------------------------------------------

YEAR_MIN, YEAR_MAX = 2012, 2026
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
    year_to: int = 2026
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

    def describe(self) -> str:
        return (f"{self.year_from}-{self.year_to}; {LISTS[self.model_list].lower()} models; counting {self.counting}; "
                f"open = {OPEN_RULES[self.open_rule].lower()}; regions: {GROUPINGS[self.grouping]}; "
                f"capability: {METRICS[self.metric]}")


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
    (including Unknown access). Regions follow the grouping's order; models without a country are left out."""
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


def share_open(epoch: pd.DataFrame, s: Settings, confidence: float = 0.95) -> pd.DataFrame:
    """Share of each region's models (known accessibility only) released with open weights, per year,
    with a Wilson interval: year, region, open, n, share, low, high (shares as fractions)."""
    rel = releases(epoch, s)
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


def capability_points(scores: pd.DataFrame, models: pd.DataFrame, metric: str = "eci",
                      snapshot: str | None = None) -> pd.DataFrame:
    """Scored models with their country and openness: date, value, model, model_id, country, openness.

    ``model`` is the source's own name for the version (source_id), so two versions merged into one
    catalog id stay separate points. Country and openness come from the catalog."""
    sc = scores[scores["metric"] == metric]
    if snapshot:
        sc = sc[sc["snapshot"].astype(str) == str(snapshot)]
    meta = models[["model_id", "country", "openness"]]
    df = sc.merge(meta, on="model_id", how="left")
    df = df.assign(model=df["source_id"].astype(str), date=pd.to_datetime(df["date"], errors="coerce"),
                   value=pd.to_numeric(df["value"], errors="coerce"))
    df = df[df["date"].notna() & np.isfinite(df["value"])]
    df = df.sort_values("value", ascending=False).drop_duplicates("model").sort_values(["date", "model"])
    return df[["date", "value", "model", "model_id", "country", "openness"]].reset_index(drop=True)


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


def nearest_snapshot(snapshots, when: str) -> str:
    """The snapshot (YYYY-MM-DD string) nearest to a date."""
    snaps = sorted(str(s) for s in snapshots)
    t = pd.Timestamp(when)
    return min(snaps, key=lambda s: (abs((pd.Timestamp(s) - t).days), s))


def arena_gap(scores: pd.DataFrame, models: pd.DataFrame, when: str) -> dict | None:
    """Top US minus top Chinese LMArena rating, as a percentage of the top US rating, on the LMArena
    snapshot nearest to ``when`` (for comparison with the AI Index's figures)."""
    lm = scores[scores["metric"] == "lmarena_text"]
    if lm.empty:
        return None
    dates = lm["snapshot"].astype(str).str.split(":").str[-1]
    snap_date = nearest_snapshot(dates.unique(), when)
    rows = lm[dates == snap_date].merge(models[["model_id", "country"]], on="model_id", how="left")
    rows = rows[rows["snapshot"] == rows["snapshot"].iloc[0]] if len(rows) else rows
    us = rows[np.array([in_country(c, US) for c in rows["country"]], dtype=bool)]
    cn = rows[np.array([in_country(c, CN) for c in rows["country"]], dtype=bool)]
    if us.empty or cn.empty:
        return None
    u, c = us.loc[us["value"].idxmax()], cn.loc[cn["value"].idxmax()]
    return {"snapshot": str(rows["snapshot"].iloc[0]), "us_model": u["source_id"], "us": float(u["value"]),
            "cn_model": c["source_id"], "cn": float(c["value"]),
            "pct": 100.0 * (float(u["value"]) - float(c["value"])) / float(u["value"])}


def comparison_table(scores: pd.DataFrame, models: pd.DataFrame, published: pd.DataFrame,
                     tolerance: float = EPOCH_US_CHINA_TOLERANCE) -> pd.DataFrame:
    """Published US-China estimates beside this report's recomputation with the same definition (Epoch's
    1-point tolerance, not the page's own)."""
    rows = []
    pub = published_us_china(published)
    eci = scores[scores["metric"] == "eci"]
    if pub is not None and len(eci):
        start = "2023-01-01"
        near = nearest_snapshot(eci["snapshot"].unique(), pub["published"])
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
        ours = arena_gap(scores, models, when)
        rows.append({
            "quantity": f"Arena gap, top US vs top Chinese model (%), {str(r.window).split(',')[-1].strip()}",
            "published": float(r.value), "published_range": "",
            "published_by": f"{r.source} ({r.published})",
            "this_report": round(ours["pct"], 1) if ours else float("nan"), "this_report_range": "",
            "how": (f"LMArena {ours['snapshot']}: {ours['us_model']} {ours['us']:.0f} vs {ours['cn_model']} "
                    f"{ours['cn']:.0f}, difference as % of the US rating" if ours else "no LMArena snapshot"),
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
    df = points[["model", "value", "date"]].merge(ep, on="model", how="inner")
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


def export_controls(events: pd.DataFrame) -> pd.DataFrame:
    """US chip export-control rounds (policy events whose id names export controls or the diffusion rule)."""
    ev = events[(events["kind"] == "policy")]
    ev = ev[ev["event_id"].str.contains("export_control|diffusion_rule$", regex=True)]
    return ev.assign(date=pd.to_datetime(ev["date"])).sort_values("date").reset_index(drop=True)


# ------------------------------------------------------------------------------------------------
# Analysis bundle
# ------------------------------------------------------------------------------------------------

@dataclasses.dataclass
class Analysis:
    settings: Settings
    releases: pd.DataFrame
    share_open: pd.DataFrame
    points: pd.DataFrame
    metric: dict
    gap: pd.DataFrame            # weekly, for the chart
    steps: pd.DataFrame          # US and China best-to-date steps
    lag_now: dict
    lag_avg: dict                # over the year range
    comparison: pd.DataFrame
    published: dict | None
    crossers: pd.DataFrame
    open_front: pd.DataFrame     # open-weight frontier steps in the year range
    compute: pd.DataFrame
    compute_cap: pd.DataFrame
    events: pd.DataFrame
    controls: pd.DataFrame
    china_open: pd.DataFrame     # per year: China's weighted open models, all open models, share
    no_country_points: pd.DataFrame  # scored models without a country (left out of the US-China gap)
    n_no_country: int
    n_unknown_access: int


def analyze(tables: dict[str, pd.DataFrame], settings: Settings) -> Analysis:
    s = settings.clean()
    epoch, models, scores = tables["epoch_models"], tables["models"], tables["scores"]
    rel = releases(epoch, s)
    so = share_open(epoch, s)
    sel = select_models(epoch, s.model_list, s.year_from, s.year_to)
    spec = metric_spec(s.metric, scores)
    pts = capability_points(scores, models, spec["metric"], spec["snapshot"])
    data_end = pd.Timestamp(spec["snapshot"]) if spec["snapshot"] else pd.Timestamp(f"{s.year_to}-12-31")
    start = pd.Timestamp(f"{s.year_from}-01-01")
    end = min(pd.Timestamp(f"{s.year_to}-12-31"), data_end)
    gap = gap_over_time(pts, start, end, s.tolerance, freq="W") if start <= end else gap_over_time(pts, 0, 0)
    gap = gap.dropna(subset=["us_best"]).reset_index(drop=True)
    steps = pd.concat([frontier_steps(pts, US, end), frontier_steps(pts, CN, end)], ignore_index=True)
    steps = steps[steps["date"] >= start - pd.Timedelta(days=366 * 2)] if not steps.empty else steps
    t = G.today(side(pts, US), side(pts, CN), end, s.tolerance)
    lag_now = {"date": end, "lag_months": t["lag_months"], "gap_points": t["gap_points"],
               "us_best": t["lead_best"], "china_best": t["trail_best"], "us_model": t["lead_model"],
               "china_model": t["trail_model"], "us_match_model": t["matched_model"],
               "us_match_date": t["matched_date"]}
    lag_avg = average_lag(pts, start, end, s.tolerance) if start <= end else average_lag(pts, 0, 0)
    return Analysis(
        settings=s, releases=rel, share_open=so, points=pts, metric=spec, gap=gap, steps=steps,
        lag_now=lag_now, lag_avg=lag_avg,
        comparison=comparison_table(scores, models, tables["published_estimates"], EPOCH_US_CHINA_TOLERANCE),
        published=published_us_china(tables["published_estimates"]),
        crossers=open_first_crossers(pts, s),
        open_front=open_frontier_steps(pts, s, start, end),
        compute=compute_leaders(epoch, s),
        compute_cap=compute_vs_capability(epoch, capability_points(
            scores, models, "eci", metric_spec("eci_nov" if s.metric == "eci_nov" else "eci", scores)["snapshot"]), s),
        events=timeline(tables["events"], s),
        controls=export_controls(tables["events"]),
        china_open=china_share_of_open(epoch, s),
        no_country_points=pts[np.array([not split_countries(c) for c in pts["country"]], dtype=bool)].sort_values(
            "value", ascending=False).reset_index(drop=True),
        n_no_country=sum(1 for c in sel["country"] if not split_countries(c)),
        n_unknown_access=int((sel["openness"] == "unknown").sum()),
    )


# ------------------------------------------------------------------------------------------------
# Text helpers
# ------------------------------------------------------------------------------------------------

def _n(x: float) -> str:
    """A count: whole numbers without decimals, fractional counts with one."""
    return f"{round(x):d}" if _is_whole(x) else f"{x:.1f}"


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def fmt_flop(x: float) -> str:
    """5.0e26 -> '5.0×10²⁶'."""
    if not (x > 0):
        return "n/a"
    e = int(math.floor(math.log10(x)))
    sup = str(e).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))
    return f"{x / 10 ** e:.1f}×10{sup}"


def _month(ts) -> str:
    return pd.Timestamp(ts).strftime("%b %Y")


def _list_word(s: Settings) -> str:
    return "notable" if s.model_list == "notable" else "large-scale"


def _possessive(region: str) -> str:
    return {US: "the US's", CN: "China's"}.get(region, f"{region}'s")


def _name(region: str) -> str:
    return {US: "the US", "Other": "other countries", "Rest of Europe": "the rest of Europe"}.get(region, region)


# ------------------------------------------------------------------------------------------------
# Charts
# ------------------------------------------------------------------------------------------------

def region_scale(regions: list[str]) -> alt.Scale:
    """Fixed country colours (theme.COUNTRY_COLORS); 'Rest of Europe' takes Europe's colour."""
    colours = dict(COUNTRY_COLORS, **{"Rest of Europe": COUNTRY_COLORS["Europe"]})
    return alt.Scale(domain=list(regions), range=[colours.get(r, NEUTRAL) for r in regions])


def status_scale() -> alt.Scale:
    return alt.Scale(domain=STATUS_ORDER, range=[OPEN, CLOSED, UNKNOWN_COLOR])


def _empty_chart(message: str) -> alt.Chart:
    return alt.Chart(pd.DataFrame({"text": [message]})).mark_text(size=14, color=NEUTRAL).encode(
        text="text:N").properties(width="container", height=120)


def _pow10_axis(values) -> alt.Axis:
    """Log-scale axis with a tick and grid line at each power of ten only."""
    v = [x for x in values if x > 0]
    lo, hi = (int(math.floor(math.log10(min(v)))), int(math.ceil(math.log10(max(v))))) if v else (20, 27)
    return alt.Axis(values=[10.0 ** k for k in range(lo, hi + 1)],
                    labelExpr="replace(format(datum.value, '.0e'), 'e+', 'e')")


def _control_label(row) -> str:
    kind = "AI diffusion rule" if "diffusion" in row["event_id"] else "Chip export controls"
    return f"{kind}, {_month(row['date'])}"


def _event_layer(controls: pd.DataFrame, start, end) -> alt.LayerChart | None:
    ev = controls[(controls["date"] >= pd.Timestamp(start)) & (controls["date"] <= pd.Timestamp(end))]
    if ev.empty:
        return None
    ev = ev.assign(short=[_control_label(r) for _, r in ev.iterrows()])[["date", "short", "description"]]
    rule = alt.Chart(ev).mark_rule(strokeDash=[4, 3], color=NEUTRAL).encode(
        x="date:T", tooltip=[alt.Tooltip("short:N", title="Event"), alt.Tooltip("description:N", title="What")])
    text = alt.Chart(ev).mark_text(angle=270, align="right", baseline="bottom", dx=-4, dy=-2, fontSize=10,
                                   color="#555").encode(x="date:T", y=alt.value(0), text="short:N")
    return rule + text


def releases_chart(rel: pd.DataFrame, s: Settings) -> alt.TopLevelMixin:
    regions = REGIONS[s.grouping]
    d = rel[rel["total"] > 0].copy()
    if d.empty:
        return _empty_chart("No models in this range")
    d["status_rank"] = d["status"].map({k: i for i, k in enumerate(STATUS_ORDER)})
    share = s.measure == "share"
    d["pct"] = 100 * d["share"]
    field = "pct" if share else "count"
    ytitle = "Share of the region's models (%)" if share else f"{_list_word(s).capitalize()} models released"
    x = alt.X("year:O", title="Year of publication", axis=alt.Axis(labelAngle=0))
    xo = alt.XOffset("region:N", sort=regions, scale=alt.Scale(paddingInner=0.12))
    bars = alt.Chart(d).mark_bar().encode(
        x=x, xOffset=xo,
        y=alt.Y(f"{field}:Q", stack="zero", title=ytitle,
                scale=alt.Scale(domain=[0, 100]) if share else alt.Undefined),
        color=alt.Color("status:N", scale=status_scale(), title=None, legend=alt.Legend(orient="top")),
        order=alt.Order("status_rank:Q"),
        tooltip=[alt.Tooltip("year:O", title="Year"), alt.Tooltip("region:N", title="Region"),
                 alt.Tooltip("status:N", title="Access"), alt.Tooltip("count:Q", title="Models", format=".3~f"),
                 alt.Tooltip("pct:Q", title="Share of region-year (%)", format=".0f")])
    tot = d.groupby(["year", "region"], as_index=False)["count"].sum()
    tot["top"] = 100.0 if share else tot["count"]
    tot["short"] = tot["region"].map(REGION_SHORT)
    labels = alt.Chart(tot).mark_text(baseline="bottom", dy=-2, fontSize=9, color="#333").encode(
        x=x, xOffset=xo, y=alt.Y("top:Q"), text="short:N")
    return (bars + labels).properties(width="container", height=340)


def share_open_chart(so: pd.DataFrame, s: Settings) -> alt.TopLevelMixin:
    regions = REGIONS[s.grouping]
    if so.empty:
        return _empty_chart("No models with known accessibility in this range")
    k = len(regions)
    off = {r: (i - (k - 1) / 2) * 0.1 for i, r in enumerate(regions)}
    d = so.assign(x=so["year"] + so["region"].map(off), pct=100 * so["share"], lo=100 * so["low"],
                  hi=100 * so["high"], label=[f"{_n(a)} of {_n(b)}" for a, b in zip(so["open"], so["n"])],
                  focus=so["region"].isin([US, CN]))
    years = sorted(d["year"].unique().tolist())
    base = alt.Chart(d).encode(
        x=alt.X("x:Q", title="Year of publication",
                scale=alt.Scale(domain=[years[0] - 0.5, years[-1] + 0.5], nice=False, zero=False),
                axis=alt.Axis(format="d", values=years, grid=False)),
        color=alt.Color("region:N", scale=region_scale(regions), title=None, legend=alt.Legend(orient="top")),
        opacity=alt.condition("datum.focus", alt.value(1.0), alt.value(0.45)))
    tip = [alt.Tooltip("year:O", title="Year"), alt.Tooltip("region:N", title="Region"),
           alt.Tooltip("label:N", title="Open weights"), alt.Tooltip("pct:Q", title="Share (%)", format=".0f"),
           alt.Tooltip("lo:Q", title="95% CI low (%)", format=".0f"),
           alt.Tooltip("hi:Q", title="95% CI high (%)", format=".0f")]
    y = alt.Y("pct:Q", title="Share released with open weights (%)", scale=alt.Scale(domain=[0, 100]))
    rules = base.mark_rule(strokeWidth=2).encode(y=alt.Y("lo:Q"), y2="hi:Q", tooltip=tip)
    line = base.mark_line().encode(y=y, detail="region:N",
                                   strokeWidth=alt.condition("datum.focus", alt.value(2.2), alt.value(1)))
    pts = base.mark_circle(size=60).encode(y=y, tooltip=tip)
    return (rules + line + pts).properties(width="container", height=320)


def capability_chart(an: "Analysis") -> alt.TopLevelMixin:
    st_ = an.steps
    if st_.empty:
        return _empty_chart("No scored US or Chinese models")
    start = pd.Timestamp(f"{an.settings.year_from}-01-01")
    d = st_.copy()
    d["date"] = d["date"].clip(lower=start)
    d = d.sort_values(["country", "date", "value"]).drop_duplicates(["country", "date"], keep="last")
    label, unit = an.metric["label"], an.metric["unit"]
    base = alt.Chart(d).encode(
        x=alt.X("date:T", title="Release date"),
        y=alt.Y("value:Q", title=f"Best {label} to date ({unit})", scale=alt.Scale(zero=False)),
        color=alt.Color("country:N", scale=region_scale([US, CN]), title=None, legend=alt.Legend(orient="top")))
    line = base.mark_line(interpolate="step-after", strokeWidth=2.5)
    pts = base.transform_filter("datum.record").mark_circle(size=45).encode(
        tooltip=[alt.Tooltip("country:N", title="Country"), alt.Tooltip("model:N", title="Model"),
                 alt.Tooltip("date:T", title="Released"), alt.Tooltip("value:Q", title=label, format=".1f")])
    layers = [line, pts]
    ev = _event_layer(an.controls, start, an.lag_now["date"])
    if ev is not None:
        layers.append(ev)
    return alt.layer(*layers).properties(width="container", height=340)


def lag_chart(an: "Analysis") -> alt.TopLevelMixin:
    g = an.gap.dropna(subset=["lag_months"])
    if g.empty:
        return _empty_chart("No date where both the US and China have a scored model")
    g = g[["date", "lag_months", "gap_points", "us_best", "china_best"]]
    line = alt.Chart(g).mark_area(line={"color": COUNTRY_COLORS[CN]}, color=COUNTRY_COLORS[CN], opacity=0.25,
                                  interpolate="step-after").encode(
        x=alt.X("date:T", title="Date"),
        y=alt.Y("lag_months:Q", title="US lead over China (months)"),
        tooltip=[alt.Tooltip("date:T", title="Week of"), alt.Tooltip("lag_months:Q", title="Lead (months)",
                                                                         format=".1f"),
                 alt.Tooltip("gap_points:Q", title=f"Gap ({an.metric['unit']})", format=".1f")])
    layers = [line]
    pub = an.published
    lo, hi = g["date"].min(), g["date"].max()
    if pub is not None and an.metric["metric"] == "eci":
        a, b = max(pd.Timestamp("2023-01-01"), lo), min(pd.Timestamp(pub["published"]), hi)
        if a < b:
            band = pd.DataFrame({"start": [a], "end": [b], "low": [pub["low"]], "high": [pub["high"]],
                                 "value": [pub["value"]],
                                 "label": [f"Epoch: {pub['value']:g} months average ({pub['low']:g}-{pub['high']:g})"]})
            layers.append(alt.Chart(band).mark_rect(color=NEUTRAL, opacity=0.12).encode(
                x="start:T", x2="end:T", y="low:Q", y2="high:Q", tooltip=[alt.Tooltip("label:N", title="Published")]))
            layers.append(alt.Chart(band).mark_rule(color="#333", strokeDash=[6, 3], strokeWidth=1.5).encode(
                x="start:T", x2="end:T", y="value:Q", tooltip=[alt.Tooltip("label:N", title="Published")]))
            layers.append(alt.Chart(band).mark_text(align="left", baseline="bottom", dx=4, dy=-3, fontSize=10,
                                                    color="#333").encode(x="start:T", y="high:Q", text="label:N"))
    ev = _event_layer(an.controls, lo, hi)
    if ev is not None:
        layers.append(ev)
    return alt.layer(*layers).properties(width="container", height=300)


def crossers_chart(an: "Analysis", open_front: pd.DataFrame) -> alt.TopLevelMixin:
    cr = an.crossers
    regions = REGIONS[an.settings.grouping]
    if cr.empty:
        return _empty_chart("The open frontier crossed no new level in this range")
    label = an.metric["label"]
    f = open_front.copy()
    step = alt.Chart(f).mark_line(interpolate="step-after", color=NEUTRAL, strokeWidth=1.5).encode(
        x=alt.X("date:T", title="Release date"),
        y=alt.Y("value:Q", title=f"Best open-weight {label} to date", scale=alt.Scale(zero=False)))
    pts = alt.Chart(cr).mark_circle(opacity=0.9).encode(
        x="date:T", y="value:Q",
        color=alt.Color("region:N", scale=region_scale(regions), title=None, legend=alt.Legend(orient="top")),
        size=alt.Size("levels:Q", title="Levels first crossed", scale=alt.Scale(range=[40, 400], zero=False),
                      legend=alt.Legend(orient="right")),
        tooltip=[alt.Tooltip("model:N", title="Model"), alt.Tooltip("region:N", title="Region"),
                 alt.Tooltip("date:T", title="Released"), alt.Tooltip("value:Q", title=label, format=".1f"),
                 alt.Tooltip("levels:Q", title="One-point levels first crossed", format=".3~f")])
    return (step + pts).properties(width="container", height=300)


def compute_chart(an: "Analysis") -> alt.TopLevelMixin:
    c = an.compute
    regions = REGIONS[an.settings.grouping]
    if c.empty:
        return _empty_chart("No compute estimates in this range")
    d = c.assign(flop_text=c["flop"].map(fmt_flop))
    base = alt.Chart(d).encode(
        x=alt.X("date:T", title="Publication date of the year's largest run"),
        y=alt.Y("flop:Q", title="Training compute (FLOP, log scale)", scale=alt.Scale(type="log"),
                axis=_pow10_axis(d["flop"])),
        color=alt.Color("region:N", scale=region_scale(regions), title=None, legend=alt.Legend(orient="top")))
    line = base.mark_line(strokeWidth=1.5, opacity=0.6).encode(detail="region:N")
    pts = base.mark_point(size=70, filled=True, opacity=0.95).encode(
        shape=alt.Shape("confidence:N", scale=alt.Scale(domain=CONFIDENCE_ORDER,
                                                        range=["circle", "square", "triangle-up", "cross"]),
                        title="Epoch's confidence", legend=alt.Legend(orient="right")),
        tooltip=[alt.Tooltip("year:O", title="Year"), alt.Tooltip("region:N", title="Region"),
                 alt.Tooltip("model:N", title="Largest run"), alt.Tooltip("flop_text:N", title="FLOP"),
                 alt.Tooltip("confidence:N", title="Confidence"), alt.Tooltip("status:N", title="Access")])
    layers = [line, pts]
    ev = _event_layer(an.controls, d["date"].min(), d["date"].max())
    if ev is not None:
        layers.append(ev)
    return alt.layer(*layers).properties(width="container", height=340)


def compute_cap_chart(an: "Analysis") -> alt.TopLevelMixin:
    c = an.compute_cap
    regions = REGIONS[an.settings.grouping]
    if c.empty:
        return _empty_chart("No model has both a score and a compute estimate in this range")
    d = c.assign(flop_text=c["flop"].map(fmt_flop))
    return alt.Chart(d).mark_point(size=70, filled=True, opacity=0.85).encode(
        x=alt.X("flop:Q", title="Training compute (FLOP, log scale)", scale=alt.Scale(type="log"),
                axis=_pow10_axis(d["flop"])),
        y=alt.Y("value:Q", title="ECI (points)", scale=alt.Scale(zero=False)),
        color=alt.Color("region:N", scale=region_scale(regions), title=None, legend=alt.Legend(orient="top")),
        shape=alt.Shape("status:N", scale=alt.Scale(domain=STATUS_ORDER, range=["circle", "triangle-up", "cross"]),
                        title="Access", legend=alt.Legend(orient="right")),
        tooltip=[alt.Tooltip("model:N", title="Model"), alt.Tooltip("region:N", title="Region"),
                 alt.Tooltip("value:Q", title="ECI", format=".1f"), alt.Tooltip("flop_text:N", title="FLOP"),
                 alt.Tooltip("confidence:N", title="Compute confidence"), alt.Tooltip("status:N", title="Access")],
    ).properties(width="container", height=340)


LANE_SHAPES = {"Policy": "diamond", "Open release": "circle", "Closed release": "square", "Market": "triangle-up"}
TIMELINE_ROW_PX = 20
X_YEAR, X_DOT, X_LABEL = 0.0, 0.07, 0.12


def timeline_layout(ev: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A vertical timeline: a time strip on the left (``tpos``: the date on a linear scale running from 0 for
    the first event to n-1 for the last) joined by leader lines to evenly spaced labels (``row`` = 0..n-1),
    so labels never overlap however close the dates. Also returns the year marks (year, tpos)."""
    d = ev.sort_values(["date", "label"]).reset_index(drop=True).copy()
    n = len(d)
    d["row"] = np.arange(n, dtype=float)
    if n == 0:
        return d.assign(tpos=pd.Series(dtype=float)), pd.DataFrame(columns=["year", "tpos"])
    t0, t1 = d["date"].min(), d["date"].max()
    span = (t1 - t0) / pd.Timedelta(days=1)
    d["tpos"] = ((d["date"] - t0) / pd.Timedelta(days=1) / span * (n - 1)) if span > 0 else d["row"]
    years = [y for y in range(t0.year + 1, t1.year + 1)]
    marks = pd.DataFrame({"year": [str(y) for y in years],
                          "tpos": [(pd.Timestamp(f"{y}-01-01") - t0) / pd.Timedelta(days=1) / span * (n - 1)
                                   if span > 0 else 0.0 for y in years]})
    return d, marks


def timeline_chart(ev: pd.DataFrame) -> alt.TopLevelMixin:
    if ev.empty:
        return _empty_chart("No events in this range")
    d, marks = timeline_layout(ev)
    n = len(d)
    lanes = [l for l in LANE_SHAPES if l in set(d["lane"])]
    countries = [c for c in [US, CN, "Europe", "Other"] if c in set(d["country"])]
    d = d.assign(text=[f"{x:%b %Y}  {lab}" for x, lab in zip(d["date"], d["label"])],
                 x_dot=X_DOT, x_label=X_LABEL)
    d = d[["date", "row", "tpos", "label", "text", "lane", "country", "description", "source", "x_dot", "x_label"]]
    y_scale = alt.Scale(domain=[-0.8, n - 0.2], reverse=True, nice=False, zero=False)
    x_scale = alt.Scale(domain=[0, 1], nice=False)
    tip = [alt.Tooltip("date:T", title="Date"), alt.Tooltip("label:N", title="Event"),
           alt.Tooltip("description:N", title="What"), alt.Tooltip("source:N", title="Source")]
    x_none = dict(scale=x_scale, axis=None)
    y_none = dict(scale=y_scale, axis=None)
    base = alt.Chart(d)
    strip = alt.Chart(pd.DataFrame({"x": [X_DOT], "y0": [0.0], "y1": [float(n - 1)]})).mark_rule(
        color="#bbb", strokeWidth=2).encode(x=alt.X("x:Q", **x_none), y=alt.Y("y0:Q", **y_none), y2="y1:Q")
    leader = base.mark_rule(color="#aaa", strokeWidth=0.8).encode(
        x=alt.X("x_dot:Q", **x_none), x2="x_label:Q", y=alt.Y("tpos:Q", **y_none), y2="row:Q")
    dots = base.mark_point(size=80, filled=True, opacity=1).encode(
        x=alt.X("x_dot:Q", **x_none), y=alt.Y("tpos:Q", **y_none),
        color=alt.Color("country:N", scale=region_scale(countries), title="Country",
                        legend=alt.Legend(orient="top")),
        shape=alt.Shape("lane:N", scale=alt.Scale(domain=lanes, range=[LANE_SHAPES[l] for l in lanes]),
                        title="Kind", legend=alt.Legend(orient="bottom")),
        tooltip=tip)
    text = base.mark_text(align="left", baseline="middle", dx=4, fontSize=11, color="#222").encode(
        x=alt.X("x_label:Q", **x_none), y=alt.Y("row:Q", **y_none), text="text:N", tooltip=tip)
    layers = [strip, leader, dots, text]
    if len(marks):
        mk = marks.assign(x=X_YEAR, x2=X_DOT)
        layers.append(alt.Chart(mk).mark_rule(color="#ddd").encode(
            x=alt.X("x:Q", **x_none), x2="x2:Q", y=alt.Y("tpos:Q", **y_none)))
        layers.append(alt.Chart(mk).mark_text(align="left", baseline="bottom", dy=-2, fontSize=10,
                                              color="#777").encode(
            x=alt.X("x:Q", **x_none), y=alt.Y("tpos:Q", **y_none), text="year:N"))
    return alt.layer(*layers).properties(width="container", height=int(TIMELINE_ROW_PX * (n + 1)))


# ------------------------------------------------------------------------------------------------
# Headlines (computed, true for the settings) and cards
# ------------------------------------------------------------------------------------------------

def _year_counts(rel: pd.DataFrame, year: int, region: str) -> dict[str, float]:
    r = rel[(rel["year"] == year) & (rel["region"] == region)]
    return {st: float(r.loc[r["status"] == st, "count"].sum()) for st in STATUS_ORDER}


def headline_releases(an: Analysis) -> str:
    rel, s = an.releases, an.settings
    if rel.empty or rel["count"].sum() == 0:
        return f"Epoch's {_list_word(s)} list has no models published in {s.year_from}-{s.year_to}."
    y = int(rel.loc[rel["count"] > 0, "year"].max())
    us, cn = _year_counts(rel, y, US), _year_counts(rel, y, CN)
    uo, uc, co, cc = us[OPEN_LABEL], us[CLOSED_LABEL], cn[OPEN_LABEL], cn[CLOSED_LABEL]
    w = _list_word(s)
    if co > uo and uc > cc:
        return (f"In {y}, China released more open-weight {w} models than the US ({_n(co)} vs {_n(uo)}), "
                f"and the US more closed ones ({_n(uc)} vs {_n(cc)})")
    return (f"In {y}, the US released {_n(uo)} open-weight and {_n(uc)} closed {w} models; "
            f"China {_n(co)} and {_n(cc)}")


def headline_share(an: Analysis) -> str:
    so, s = an.share_open, an.settings
    both = so[so["region"].isin([US, CN])]
    years = [y for y, g in both.groupby("year") if set(g["region"]) == {US, CN}]
    if not years:
        return "Too few US and Chinese models with known accessibility in this range to compare shares."
    y = max(years)
    u = so[(so["year"] == y) & (so["region"] == US)].iloc[0]
    c = so[(so["year"] == y) & (so["region"] == CN)].iloc[0]
    overlap = not (c["low"] > u["high"] or u["low"] > c["high"])
    lead, trail = (c, u) if c["share"] >= u["share"] else (u, c)
    lead_name = "China" if lead is c else "the US"
    trail_name = "the US" if lead is c else "China"
    tail = "the 95% intervals overlap" if overlap else "the 95% intervals do not overlap"
    return (f"In {y}, {_pct(lead['share'])} of {lead_name}'s {_list_word(s)} models had open weights against "
            f"{_pct(trail['share'])} of {trail_name}'s; {tail}")


def headline_capability(an: Analysis) -> str:
    ln = an.lag_now
    label = an.metric["label"]
    if not np.isfinite(ln["lag_months"]):
        return f"No date in this range has both a scored US model and a scored Chinese model on {label}."
    when = _month(ln["date"])
    if ln["lag_months"] == 0:
        return (f"As of {when}, China's best model ({ln.get('china_model', '')}) is level with the US's best on "
                f"{label}" + (f" (within {an.settings.tolerance:g} point)" if an.settings.tolerance else ""))
    match = f" ({ln['us_match_model']})" if ln.get("us_match_model") else ""
    txt = (f"As of {when}, China's best model ({ln.get('china_model', '')}, {ln['china_best']:.1f}) is "
           f"{ln['gap_points']:.1f} {label} points below the US's ({ln.get('us_model', '')}, {ln['us_best']:.1f}); "
           f"the US first passed that score {ln['lag_months']:.1f} months earlier{match}")
    return txt + _unassigned_caveat(an)


def _unassigned_caveat(an: Analysis) -> str:
    """A warning when scored models without a country outscore China's best: the comparison may be off."""
    nc = an.no_country_points
    if nc.empty or not np.isfinite(an.lag_now.get("china_best", float("nan"))):
        return ""
    nc = nc[nc["date"] <= an.lag_now["date"]]
    above = nc[nc["value"] > an.lag_now["china_best"]]
    if above.empty:
        return ""
    top = above.iloc[0]
    return (f" (but {len(above)} higher-scoring models have no country in the catalog, led by {top['model']} at "
            f"{top['value']:.1f}, so the comparison is incomplete)")


def headline_lag(an: Analysis) -> str:
    a, s = an.lag_avg, an.settings
    if not np.isfinite(a["mean"]):
        return f"No date in {s.year_from}-{s.year_to} has both a scored US and a scored Chinese model."
    pub = an.published
    first = an.gap.dropna(subset=["lag_months"])["date"].min()
    span = f"{_month(first)}-{_month(an.lag_now['date'])}"
    txt = (f"China trailed the US by {a['mean']:.1f} months on average over {span} "
           f"(daily range {a['min']:.1f}-{a['max']:.1f})")
    if pub is not None and an.metric["metric"] == "eci":
        txt += f"; Epoch published {pub['value']:g} ({pub['low']:g}-{pub['high']:g}) for 2023 to early 2026"
    return txt


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


def headline_crossers(an: Analysis) -> str:
    g = crossers_by_region(an)
    s = an.settings
    if g.empty:
        return f"No open-weight model crossed a new one-point {an.metric['label']} level in {s.year_from}-{s.year_to}."
    total = n_levels(an)
    top = g.iloc[0]
    who = "Chinese" if top["region"] == CN else ("US" if top["region"] == US else f"{top['region']}")
    first, last = an.crossers["date"].min(), an.crossers["date"].max()
    span = _month(first) if first == last else f"{_month(first)}-{_month(last)}"
    return (f"{who} models were first to {_n(top['levels'])} of the {_n(total)} one-point "
            f"{an.metric['label']} levels the open-weight frontier reached over {span} "
            f"({100 * top['levels'] / total:.0f}%)")


def headline_compute(an: Analysis) -> str:
    c = an.compute
    if c.empty:
        return "No training-compute estimates in this range."
    years = [y for y, g in c.groupby("year") if {US, CN} <= set(g["region"])]
    if not years:
        return "The compute data have no year with both a US and a Chinese estimate in this range."
    y = max(years)
    u = c[(c["year"] == y) & (c["region"] == US)].iloc[0]
    h = c[(c["year"] == y) & (c["region"] == CN)].iloc[0]
    big, small = (u, h) if u["flop"] >= h["flop"] else (h, u)
    bn, sn = ("US", "Chinese") if big is u else ("Chinese", "US")
    ratio = big["flop"] / small["flop"]
    return (f"The largest {bn} training run of {y} ({big['model']}, {fmt_flop(big['flop'])} FLOP, "
            f"{big['confidence'].lower()}) was {ratio:.0f}× the largest {sn} one "
            f"({small['model']}, {fmt_flop(small['flop'])}, {small['confidence'].lower()})")


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


def headline_compute_cap(an: Analysis) -> str:
    f = compute_cap_finding(an)
    if f is None:
        return "In this range no Chinese open-weight model has both an ECI score and a compute estimate."
    c = f["cn"]
    head = (f"{c['model']} reached ECI {c['value']:.1f} with about {fmt_flop(c['flop'])} FLOP "
            f"({c['confidence'].lower()})")
    u = f["us"]
    if u is None:
        return head + "; no US model at that level has a compute estimate"
    if u["flop"] > c["flop"]:
        return (head + f"; the US models at that level report at least {fmt_flop(u['flop'])} "
                f"({u['model']}, {u['confidence'].lower()}), {u['flop'] / c['flop']:.0f}× more")
    return head + f"; {u['model']} reached that level with as little or less ({fmt_flop(u['flop'])})"


def headline_timeline(an: Analysis) -> str:
    s = an.settings
    ctl = an.controls[(an.controls["date"].dt.year >= s.year_from) & (an.controls["date"].dt.year <= s.year_to)]
    co = an.china_open
    if ctl.empty:
        return f"No US export-control round falls in {s.year_from}-{s.year_to}; the timeline shows releases in range."
    first, last = ctl["date"].min(), ctl["date"].max()
    txt = f"The US tightened AI-chip export rules {len(ctl)} times from {_month(first)} to {_month(last)}"
    y0 = first.year
    later = co[co["year"] >= y0]
    if len(later) >= 2 and y0 in set(later["year"]):
        a, b = later.iloc[0], later.iloc[-1]
        verb = "rose" if b["share"] > a["share"] else ("fell" if b["share"] < a["share"] else "stayed")
        txt += (f"; China's share of open-weight {_list_word(s)} models {verb} from {_pct(a['share'])} in "
                f"{int(a['year'])} to {_pct(b['share'])} in {int(b['year'])}")
    return txt


def metrics(an: Analysis) -> list[dict]:
    """Headline numbers for st.metric: label, value, help."""
    out = []
    so = an.share_open
    both = [y for y, g in so.groupby("year") if {US, CN} <= set(g["region"])]
    if both:
        y = max(both)
        for region, name in ((CN, "China"), (US, "US")):
            r = so[(so["year"] == y) & (so["region"] == region)].iloc[0]
            out.append({"label": f"{name}: share open, {y}", "value": _pct(r["share"]),
                        "help": f"{_n(r['open'])} of {_n(r['n'])} {_list_word(an.settings)} models with known "
                                f"accessibility; 95% Wilson interval {_pct(r['low'])}-{_pct(r['high'])}."})
    ln = an.lag_now
    if np.isfinite(ln["lag_months"]):
        out.append({"label": f"US lead, {_month(ln['date'])}",
                    "value": f"{ln['lag_months']:.1f} months",
                    "help": f"On {an.metric['label']}: how long ago the US first passed China's best score. "
                            f"Gap {ln['gap_points']:.1f} points: {ln.get('us_model', '')} vs "
                            f"{ln.get('china_model', '')}."})
    a = an.lag_avg
    if np.isfinite(a["mean"]):
        pub = an.published
        out.append({"label": "US lead, average", "value": f"{a['mean']:.1f} months",
                    "help": ("Daily lag averaged over the range. " +
                             (f"Epoch published {pub['value']:g} months ({pub['low']:g}-{pub['high']:g}) "
                              f"for 2023 to early 2026." if pub else ""))})
    return out


SNAPSHOT_NOTE = {"eci": "ECI snapshot {snap}", "aa_intelligence_index": "Artificial Analysis index, snapshot {snap}"}


def _limits(s: Settings) -> str:
    return ("Epoch's lists are curated: *notable* models meet one of its criteria (state of the art, highly "
            "cited, historically significant or costly to train); *large-scale* models are those estimated "
            "above 10²³ FLOP. Models that meet neither are absent, and coverage of recent and non-US models "
            "depends on what Epoch has catalogued (its copy here ends on 2025-12-31).")


def _rules_md(s: Settings) -> str:
    rule = ("**full**: a model counts once in each region it lists, so a US-UK model is one US and one European "
            "model and region totals can exceed the number of models" if s.counting == "full" else
            "**fractional**: a model's one count is split equally among its distinct countries, so a US-UK model "
            "is half US and half UK and totals equal the number of models")
    openr = ("any Epoch *Open weights* class (unrestricted, restricted use, non-commercial)" if s.open_rule == "any"
             else "only *Open weights (unrestricted)*; restricted-use and non-commercial weights count as closed")
    return (f"- Countries: Epoch's country string names one country per organization, so it can repeat a country "
            f"(\"China,China\") or list several. It is split on commas and duplicates are dropped: \"China,China\" "
            f"is one Chinese model. Hong Kong counts as China; \"Multinational\" counts as Other.\n"
            f"- Counting rule: {rule}.\n"
            f"- Open = {openr}. Closed = API access, hosted access or unreleased. Models whose accessibility "
            f"Epoch left empty are *Unknown*: shown in the counts, left out of share-open denominators.\n"
            f"- Regions ({GROUPINGS[s.grouping]}): " + {
                "europe": "Europe = the EU members plus the UK, Switzerland, Norway and other European states "
                          "(not Russia).",
                "eu": "EU = the 27 current member states as one bloc; the UK and Switzerland fall into Other.",
                "uk_fr": "the UK and France on their own; Rest of Europe = other EU members and European states.",
            }[s.grouping])


def cards(tables: dict[str, pd.DataFrame], settings: Settings) -> list[ChartCard]:
    """Every chart card of the page, in page order."""
    an = analyze(tables, settings)
    return cards_from(an)


def cards_from(an: Analysis) -> list[ChartCard]:
    s = an.settings
    w = _list_word(s)
    spec = an.metric
    snap = SNAPSHOT_NOTE.get(spec["metric"], "{snap}").format(snap=spec["snapshot"])
    cap_src = [spec["source"], "epoch_models"]
    out = []

    rel_rows = an.releases[an.releases["total"] > 0].reset_index(drop=True)
    out.append(ChartCard(
        key="geo_releases", title=headline_releases(an),
        subtitle=(f"{'Share of each region' + chr(39) + 's' if s.measure == 'share' else 'Number of'} {w} models "
                  f"per year, by region and access; counting: {s.counting}; open = "
                  f"{OPEN_RULES[s.open_rule].lower()}. Bar labels: "
                  + ", ".join(f"{REGION_SHORT[r]} = {r}" for r in REGIONS[s.grouping]) + "."),
        chart=releases_chart(an.releases, s), data=rel_rows, sources=["epoch_models"],
        alt=(f"Grouped stacked bars: for each year from {s.year_from} to {s.year_to}, one bar per region "
             f"({', '.join(REGIONS[s.grouping])}) split into open-weight, closed and unknown-access {w} models. "
             + headline_releases(an) + "."),
        method=(_rules_md(s) + "\n\n" + _limits(s) +
                f"\n\nIn this range {an.n_unknown_access} models have no accessibility and "
                f"{an.n_no_country} no country (left out)."),
        page=PAGE, settings=s.describe()))

    out.append(ChartCard(
        key="geo_share_open", title=headline_share(an),
        subtitle=(f"Share of each region's {w} models released with open weights, per year, with 95% Wilson "
                  f"intervals; models with unknown access left out."),
        chart=share_open_chart(an.share_open, s), data=an.share_open, sources=["epoch_models"],
        alt=(f"Dot and interval chart of the share of {w} models with open weights by region and year. "
             + headline_share(an) + "."),
        method=("The interval is the 95% Wilson score interval (scipy `binomtest(k, n).proportion_ci("
                "method='wilson')`); with fractional counts the same Wilson formula is applied to the "
                "fractional totals. Small yearly counts give wide intervals: read the dots with them.\n\n"
                + _rules_md(s) + "\n\n" + _limits(s)),
        page=PAGE, settings=s.describe()))

    steps_rows = an.steps.copy()
    out.append(ChartCard(
        key="geo_capability", title=headline_capability(an),
        subtitle=(f"Best {spec['label']} score to date of US and Chinese models ({snap}); dots mark new bests; "
                  f"dashed lines mark US chip export-control rounds."),
        chart=capability_chart(an), data=steps_rows, sources=cap_src + ["curated"],
        alt=(f"Two step lines, the best US and the best Chinese {spec['label']} score to date. "
             + headline_capability(an) + "."),
        method=("A model is American (Chinese) when its organization's country in Epoch's data lists the US "
                "(China or Hong Kong); Google DeepMind models list the US and the UK and count as US. The gap in "
                "months uses the Performance page's code (`openclosed.frontier.lag_series`) with China as the "
                "trailing side: the time since the US frontier first scored at least China's best score "
                "(`openclosed.gap.today`, the lag-today definition every page uses; Performance applies it to "
                "closed vs open). Composite indices "
                "are re-estimated between snapshots, so a model's score can differ by snapshot."),
        page=PAGE, settings=s.describe()))

    out.append(ChartCard(
        key="geo_lag", title=headline_lag(an),
        subtitle=(f"US lead over China in months, weekly ({snap}); grey band and dashed line: Epoch's published "
                  f"average and range (Jan 2026)."),
        chart=lag_chart(an), data=an.gap, sources=cap_src + ["curated"],
        alt=("Area chart of how many months China's best model trails the US's, week by week. "
             + headline_lag(an) + "."),
        method=("For each day, the months since the best US model first scored at least China's best score "
                "(`frontier.lag_series`); the headline averages the daily values over the range, as Epoch does "
                "(\"for each day, time since the best US model last had an ECI no higher than the best Chinese "
                "model's, within 1 point, averaged over days\"). The table under the chart recomputes Epoch's "
                f"figure on its window with Epoch's {EPOCH_US_CHINA_TOLERANCE:g}-point tolerance, and the AI "
                "Index's Arena figures on LMArena snapshots."),
        page=PAGE, settings=s.describe()))

    crossers_rows = an.crossers
    out.append(ChartCard(
        key="geo_open_frontier", title=headline_crossers(an),
        subtitle=(f"Best open-weight {spec['label']} score to date (grey); dots: the models that set it, sized by "
                  f"how many one-point levels they were first to reach ({snap}; open = "
                  f"{OPEN_RULES[s.open_rule].lower()})."),
        chart=crossers_chart(an, an.open_front), data=crossers_rows, sources=cap_src,
        alt=("Step line of the best open-weight score to date with dots for each new record, colored by the "
             "region of the model. " + headline_crossers(an) + "."),
        method=("Each whole score level (1 point apart) is credited to the open model that first reached it "
                "(`frontier.running_best`, `frontier.first_reached`); only levels first reached inside the year "
                "range count. A model from several regions is credited to each (full) or split (fractional). "
                "Håvard Ihle (LessWrong, May 2026) found about 80% of open-frontier first-crossers were Chinese "
                "across 17 benchmarks; this chart uses one composite index instead."),
        page=PAGE, settings=s.describe()))

    out.append(ChartCard(
        key="geo_compute", title=headline_compute(an),
        subtitle=(f"Largest training run per region and year among {w} models with a compute estimate (FLOP, log "
                  f"scale); marker shape is "
                  f"Epoch's confidence in the estimate; dashed lines: US export-control rounds."),
        chart=compute_chart(an), data=an.compute, sources=["epoch_models", "curated"],
        alt=("Lines with markers, one per region, of the largest training compute each year on a log scale. "
             + headline_compute(an) + "."),
        method=("Training compute is Epoch's estimate, with its confidence label: *Confident* (within about 3×), "
                "*Likely* (within about 10×), *Speculative* (within about 30×). Closed labs rarely disclose "
                "compute, so their figures are mostly estimates from hardware, duration or benchmark results. "
                "A model from several regions can be the largest in each.\n\n" + _limits(s)),
        page=PAGE, settings=s.describe()))

    out.append(ChartCard(
        key="geo_compute_capability", title=headline_compute_cap(an),
        subtitle=("ECI score against Epoch's training-compute estimate for models that have both (log scale); "
                  "shape = access."),
        chart=compute_cap_chart(an), data=an.compute_cap, sources=["eci", "epoch_models"],
        alt=("Scatter of ECI against training compute, colored by region. " + headline_compute_cap(an) + "."),
        method=("Scores come from the ECI snapshot named above; compute and its confidence from Epoch's model "
                "lists, joined on Epoch's exact model name (models without a compute estimate, including most "
                "2026 releases, are absent). The US figures at the top are mostly *Speculative*: they are "
                "estimates, not disclosures, and can be off by a factor of 30. Compute counts pre-training and, "
                "where known, post-training; distillation from other models is not counted."),
        page=PAGE, settings=s.describe()))

    ev = an.events
    out.append(ChartCard(
        key="geo_timeline", title=headline_timeline(an),
        subtitle="Curated policy moves and major releases; hover a dot for details and source.",
        chart=timeline_chart(ev), data=ev, sources=["curated", "epoch_models"],
        alt=("Timeline with lanes for policy, open releases, closed releases and market events. "
             + headline_timeline(an) + "."),
        method=("Events are a curated table; each row cites a public source (table below). Coinciding dates "
                "do not show cause: the chart puts policy and releases side by side, nothing more."),
        page=PAGE, settings=s.describe()))
    return out
