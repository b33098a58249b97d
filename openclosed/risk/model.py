"""Risk data and analysis: options, categories, contexts, Settings, register scoring (Monte Carlo), listing
churn and survival (Kaplan-Meier), price volatility. Pure functions of the tables."""
from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Mapping

import numpy as np
import pandas as pd

from openclosed import report
from openclosed import fmt, theme
from openclosed.memo import per_inputs


# --------------------------------------------------------------------------------------------------
# Options, categories, contexts
# --------------------------------------------------------------------------------------------------
TABLES = report.section("risk").tables   # the data/ tables it reads: declared once, in the registry
SELF_HOSTED = "self_hosted"
HOSTED_OPEN = "hosted_open"
CLOSED_API = "closed_api"
OPTIONS = (SELF_HOSTED, HOSTED_OPEN, CLOSED_API)
OPTION_LABELS = {
    SELF_HOSTED: "Open weights, self-hosted",
    HOSTED_OPEN: "Open weights via a hosted provider",
    CLOSED_API: "Closed model via its vendor's API",
}
OPTION_SHORT = {SELF_HOSTED: "Self-hosted open", HOSTED_OPEN: "Hosted open", CLOSED_API: "Closed API"}
OPTION_NOUN = {SELF_HOSTED: "self-hosted open weights", HOSTED_OPEN: "hosted open weights", CLOSED_API: "a closed API"}
# Okabe-Ito: vermillion and orange are the open family (theme.OPEN is orange), blue is closed.
OPTION_COLORS = {SELF_HOSTED: theme.VERMILLION, HOSTED_OPEN: theme.OPEN, CLOSED_API: theme.CLOSED}

CATEGORIES = ("security", "data_control", "vendor", "safety_quality", "compliance", "operations", "jurisdiction")
CATEGORY_LABELS = {
    "security": "Security and misuse",
    "data_control": "Data control and privacy",
    "vendor": "Vendor change: prices, retirement, capacity",
    "safety_quality": "Output safety and quality",
    "compliance": "Compliance, contracts and SLAs",
    "operations": "Operational burden",
    "jurisdiction": "Jurisdiction and export controls",
}

CONTEXTS = ("personal_data", "regulated", "on_prem", "ml_team")
CONTEXT_LABELS = {
    "personal_data": "We handle personal data",
    "regulated": "We are in a regulated industry",
    "on_prem": "We need on-prem or data residency",
    "ml_team": "We have an in-house ML/infra team",
}
CONTEXT_UP = 1.5     # weight multiplier for each active context that amplifies a risk
CONTEXT_DOWN = 0.5   # weight multiplier for each active context that dampens a risk

WEIGHT_MIN, WEIGHT_MAX, WEIGHT_DEFAULT = 0.0, 5.0, 1.0
MEASURES = ("listing_churn", "price_volatility")
N_DRAWS = 4000
SEED = 0
HIGH_ZONE = 10.0     # L x I at or above this sits in the heat map's high zone (judgment, labelled)

REGISTER_COLUMNS = ["risk_id", "option", "risk", "category", "description", "likelihood_low", "likelihood_high",
                    "impact_low", "impact_high", "rationale", "mitigation", "amplified_by", "dampened_by",
                    "measured_by", "source", "url", "source2", "url2", "source3", "url3"]


@dataclasses.dataclass(frozen=True)
class Context:
    """The reader's situation. Each flag scales the weight of the risks the register links to it."""
    personal_data: bool = False
    regulated: bool = False
    on_prem: bool = False
    ml_team: bool = False

    def active(self) -> tuple[str, ...]:
        return tuple(c for c in CONTEXTS if getattr(self, c))


def as_context(context) -> Context:
    """Context from a Context, a {name: bool} mapping, an iterable of active names, or None."""
    if context is None:
        return Context()
    if isinstance(context, Context):
        return context
    if isinstance(context, Mapping):
        unknown = set(context) - set(CONTEXTS)
        if unknown:
            raise ValueError(f"unknown context(s) {sorted(unknown)}; expected {CONTEXTS}")
        return Context(**{k: bool(v) for k, v in context.items()})
    if isinstance(context, str):
        context = [context]
    names = list(context)
    unknown = set(names) - set(CONTEXTS)
    if unknown:
        raise ValueError(f"unknown context(s) {sorted(unknown)}; expected {CONTEXTS}")
    return Context(**{n: True for n in names})


def default_weights() -> dict[str, float]:
    return {c: WEIGHT_DEFAULT for c in CATEGORIES}


def as_weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    """Full category -> weight dict. Missing categories get the default; negative or NaN weights raise."""
    out = default_weights()
    for key, value in (weights or {}).items():
        if key not in out:
            raise ValueError(f"unknown risk category {key!r}; expected one of {CATEGORIES}")
        v = float(value)
        if not math.isfinite(v) or v < 0:
            raise ValueError(f"weight for {key!r} must be a finite number >= 0, got {value!r}")
        out[key] = v
    return out


def lower_first(text: str) -> str:
    """'Model retirement' -> 'model retirement' (keeps acronyms such as 'SLAs' elsewhere in the text)."""
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def _tokens(text) -> tuple[str, ...]:
    text = "" if text is None or (isinstance(text, float) and math.isnan(text)) else str(text)
    return tuple(t for t in (p.strip() for p in text.split(";")) if t)


# --------------------------------------------------------------------------------------------------
# Register scoring
# --------------------------------------------------------------------------------------------------
@per_inputs
def _register(register: pd.DataFrame) -> pd.DataFrame:
    """The register checked and normalised; remembered per register object (every weight change scores the
    same table again: a tenth of a Risk miss went here). Callers never modify the result."""
    missing = [c for c in ("risk_id", "option", "risk", "category", "likelihood_low", "likelihood_high",
                           "impact_low", "impact_high") if c not in register.columns]
    if missing:
        raise ValueError(f"risk register is missing columns {missing}")
    reg = register.copy()
    for col in ("amplified_by", "dampened_by", "measured_by", "mitigation", "rationale", "description",
                "source", "url", "source2", "url2", "source3", "url3"):
        if col not in reg.columns:
            reg[col] = ""
        reg[col] = reg[col].fillna("").astype(str)
    for col in ("likelihood_low", "likelihood_high", "impact_low", "impact_high"):
        reg[col] = reg[col].astype(float)
    bad = reg[~reg["option"].isin(OPTIONS)]
    if len(bad):
        raise ValueError(f"unknown option(s) {sorted(set(bad['option']))}")
    bad = reg[~reg["category"].isin(CATEGORIES)]
    if len(bad):
        raise ValueError(f"unknown category(ies) {sorted(set(bad['category']))}")
    # A stable order independent of weights, so Monte Carlo draws line up with the same rows.
    return reg.sort_values(["risk_id", "option"], kind="mergesort").reset_index(drop=True)


def risk_numbers(register: pd.DataFrame) -> dict[str, int]:
    """A stable number per risk (1..n, alphabetical by risk_id) used as the heat map's labels."""
    return {rid: i + 1 for i, rid in enumerate(sorted(register["risk_id"].unique()))}


def risk_weights(register: pd.DataFrame, weights: Mapping[str, float] | None = None,
                 context=None) -> pd.DataFrame:
    """One row per risk: category weight, the context multiplier and why, and the resulting weight."""
    w = as_weights(weights)
    ctx = as_context(context)
    active = set(ctx.active())
    reg = _register(register).drop_duplicates("risk_id")
    rows = []
    for r in reg.itertuples():
        up = [c for c in _tokens(r.amplified_by) if c in active]
        down = [c for c in _tokens(r.dampened_by) if c in active]
        mult = CONTEXT_UP ** len(up) * CONTEXT_DOWN ** len(down)
        effect = [f"x{CONTEXT_UP:g} {CONTEXT_LABELS[c].lower()}" for c in up]
        effect += [f"x{CONTEXT_DOWN:g} {CONTEXT_LABELS[c].lower()}" for c in down]
        rows.append({"risk_id": r.risk_id, "risk": r.risk, "category": r.category,
                     "category_weight": w[r.category], "context_multiplier": mult,
                     "weight": w[r.category] * mult, "context_effect": "; ".join(effect)})
    return pd.DataFrame(rows, columns=["risk_id", "risk", "category", "category_weight", "context_multiplier",
                                       "weight", "context_effect"])


def contributions(register: pd.DataFrame, weights: Mapping[str, float] | None = None,
                  context=None) -> pd.DataFrame:
    """One row per register row: the ranges, mid-points, weight and contribution to the option's score."""
    reg = _register(register)
    rw = risk_weights(reg, weights, context).set_index("risk_id")
    out = reg.copy()
    out["likelihood_mid"] = (out["likelihood_low"] + out["likelihood_high"]) / 2
    out["impact_mid"] = (out["impact_low"] + out["impact_high"]) / 2
    out["severity_mid"] = out["likelihood_mid"] * out["impact_mid"]
    out["category_weight"] = out["risk_id"].map(rw["category_weight"])
    out["context_multiplier"] = out["risk_id"].map(rw["context_multiplier"])
    out["context_effect"] = out["risk_id"].map(rw["context_effect"])
    out["weight"] = out["risk_id"].map(rw["weight"])
    # mean per category: an option with more register rows in a category does not score higher for that alone
    out["rows_in_category"] = out.groupby(["option", "category"])["risk_id"].transform("size").astype(int)
    per_row = out["weight"] / out["rows_in_category"]
    out["contribution"] = per_row * out["severity_mid"]
    out["contribution_min"] = per_row * out["likelihood_low"] * out["impact_low"]
    out["contribution_max"] = per_row * out["likelihood_high"] * out["impact_high"]
    totals = out.groupby("option")["contribution"].transform("sum")
    out["share"] = np.where(totals > 0, out["contribution"] / totals.where(totals > 0, 1.0), 0.0)
    out["label"] = out["option"].map(OPTION_LABELS)
    nums = risk_numbers(reg)
    out["no"] = out["risk_id"].map(nums)
    return out


def _draws(reg: pd.DataFrame, n_draws: int, seed: int) -> np.ndarray:
    """Severity draws L x I, shape (n_draws, rows), uniform within each range; depends only on the register."""
    rng = np.random.default_rng(seed)
    u = rng.random((n_draws, len(reg), 2))
    lo_l, hi_l = reg["likelihood_low"].to_numpy(), reg["likelihood_high"].to_numpy()
    lo_i, hi_i = reg["impact_low"].to_numpy(), reg["impact_high"].to_numpy()
    lik = lo_l + u[:, :, 0] * (hi_l - lo_l)
    imp = lo_i + u[:, :, 1] * (hi_i - lo_i)
    return lik * imp


def option_scores(register: pd.DataFrame, weights: Mapping[str, float] | None = None, context=None,
                  n_draws: int = N_DRAWS, seed: int = SEED, con: pd.DataFrame | None = None) -> pd.DataFrame:
    """Weighted score per option with its Monte Carlo band (5th-95th percentile) and hard bounds. The score is
    the sum over categories of the mean weighted severity of the option's rows in that category (SCORE_RULE), so
    a row count alone (the closed API has no 'misuse of weights' row) does not move it. `con`: the
    `contributions` for the same weights and context, when the caller has them already."""
    con = contributions(register, weights, context) if con is None else con
    sev = _draws(con, n_draws, seed) * (con["weight"] / con["rows_in_category"]).to_numpy()
    rows = []
    for opt in OPTIONS:
        mask = (con["option"] == opt).to_numpy()
        sub = con[mask]
        sims = sev[:, mask].sum(axis=1)
        rows.append({
            "option": opt, "label": OPTION_LABELS[opt], "short": OPTION_SHORT[opt],
            "score": float(sub["contribution"].sum()),
            "low": float(np.percentile(sims, 5)) if mask.any() else 0.0,
            "high": float(np.percentile(sims, 95)) if mask.any() else 0.0,
            "min": float(sub["contribution_min"].sum()), "max": float(sub["contribution_max"].sum()),
            "n_risks": int(mask.sum()),
        })
    return pd.DataFrame(rows, columns=["option", "label", "short", "score", "low", "high", "min", "max", "n_risks"])


SCORE_RULE = ("score(option) = sum over risk categories of the mean, over the option's register rows in that "
              "category, of weight x L_mid x I_mid; a mean, not a sum, so an option is not scored lower or higher "
              "for having fewer or more rows (the closed API has no 'misuse of weights' row)")


def _check_option(option: str) -> None:
    if option not in OPTIONS:
        raise ValueError(f"unknown option {option!r}; expected one of {OPTIONS}")


def top_risks(register: pd.DataFrame, option: str, weights: Mapping[str, float] | None = None, context=None,
              n: int = 3) -> pd.DataFrame:
    """The n register rows contributing most to `option`'s score (ties broken by risk_id), largest first."""
    _check_option(option)
    con = contributions(register, weights, context)
    sub = con[(con["option"] == option) & (con["contribution"] > 0)]
    sub = sub.sort_values(["contribution", "risk_id"], ascending=[False, True], kind="mergesort")
    return sub.head(max(int(n), 0)).reset_index(drop=True)


def mitigations(register: pd.DataFrame, option: str, weights: Mapping[str, float] | None = None, context=None,
                n: int = 3) -> pd.DataFrame:
    """Plain-language mitigations for the top n risks of `option`, with the contribution and the source."""
    top = top_risks(register, option, weights, context, n)
    out = top[["risk_id", "risk", "category", "contribution", "share", "mitigation", "rationale", "source", "url"]].copy()
    out.insert(0, "rank", range(1, len(out) + 1))
    return out


def context_effect(register: pd.DataFrame, context: str) -> str:
    """Which risks a situation switch raises and lowers, in words ("" when it touches none): its toggle's help."""
    def named(column: str) -> list[str]:
        return sorted({r for r, tokens in zip(register["risk"], register[column]) if context in _tokens(tokens)})
    up, down = named("amplified_by"), named("dampened_by")
    return ((f"Raises the weight of: {', '.join(up)}." if up else "")
            + (f" Lowers the weight of: {', '.join(down)}." if down else "")).strip()


# --------------------------------------------------------------------------------------------------
# Measured: listing churn and survival
# --------------------------------------------------------------------------------------------------
COLLECTION_START = "2024-09-21"   # first snapshot of the OpenRouter ledger: earlier listings are left-censored


def ledger_end(sources=None) -> str:
    """The OpenRouter ledger's newest snapshot ("now" for churn and survival): computed by the build into
    data/source_dates.csv, never typed."""
    if sources is None:
        from openclosed.sources import SOURCES as sources
    return str(sources["openrouter"]["snapshot"])


LAST_SNAPSHOT = ledger_end()
CLASS_LABELS = {"open": "Open weights", "closed": "Closed", "unknown": "Unknown"}
# Name rules for ids that neither the catalog nor the current listing classifies (mostly retired ids).
CLOSED_NAME = re.compile(r"(gpt-3\.5|gpt-4|\bo[134]\b|chatgpt|codex|text-embedding|gemini|palm-2|claude|grok|"
                         r"sonar|inflection)")
OPEN_NAME = re.compile(r"(llama|mistral-7b|mixtral|mistral-nemo|\bmn-|qwen|qwq|gemma|phi-|distill|hermes|olmo|"
                       r"molmo|glm|deepseek|dolphin|wizardlm|internvl|\d+(\.\d+)?b\b|\d+x\d+b\b|\ba\d+b\b)")
RULES = ("catalog", "listing", "author", "name", "none")
RULE_LABELS = {
    "catalog": "report's model catalog (Epoch, AA, models.dev, ...)",
    "listing": "current OpenRouter entry links Hugging Face weights",
    "author": "every classified id of the same author has one class",
    "name": "name rule (closed family or open family / parameter count)",
    "none": "unclassified",
}


def _catalog_class(models: pd.DataFrame | None) -> dict[str, str]:
    if models is None or "id_openrouter" not in models.columns:
        return {}
    out = {}
    for ids, openness in zip(models["id_openrouter"].fillna("").astype(str), models["openness"].astype(str)):
        cls = "open" if openness.startswith("open_") else "closed" if openness in ("api", "hosted") else ""
        if not cls:
            continue
        for sid in (s.strip() for s in ids.split(";")):
            if sid:
                out[sid] = cls
    return out


def classify_listings(listings: pd.DataFrame, models: pd.DataFrame | None = None) -> pd.DataFrame:
    """Listings with `cls` (open/closed/unknown) and `rule`, plus days listed and whether it is gone.

    Rules, first match wins: (1) the report's catalog openness for the id (models.id_openrouter);
    (2) the current OpenRouter entry's Hugging Face link (`openness_hint`); (3) the class shared by every
    id of the same author classified by (1)-(2); (4) a name rule: closed families (gpt-4, gemini, claude,
    grok, sonar ...) then open families or a parameter count in the id (llama, qwen, 70b ...); else unknown.
    Router aliases ('~author/...-latest') are dropped: they point at whichever model is newest.
    """
    df = listings[~listings["source_id"].astype(str).str.startswith("~")].copy()
    cat = _catalog_class(models)
    hint = df["openness_hint"].fillna("").astype(str) if "openness_hint" in df.columns else pd.Series("", df.index)
    cls = df["source_id"].map(cat).fillna("")
    rule = np.where(cls != "", "catalog", "")
    use_hint = (cls == "") & hint.isin(["open", "closed"])
    cls = cls.where(~use_hint, hint)
    rule = np.where(use_hint, "listing", rule)
    author = df["source_id"].str.split("/").str[0]
    known = pd.DataFrame({"author": author, "cls": cls})[cls != ""]
    unanimous = known.groupby("author")["cls"].agg(lambda s: s.iloc[0] if s.nunique() == 1 else "")
    by_author = author.map(unanimous).fillna("")
    use_author = (cls == "") & (by_author != "")
    cls = cls.where(~use_author, by_author)
    rule = np.where(use_author, "author", rule)
    slug = df["source_id"].str.split("/").str[-1].str.lower()
    name_cls = slug.map(lambda s: "closed" if CLOSED_NAME.search(s) else "open" if OPEN_NAME.search(s) else "")
    use_name = (cls == "") & (name_cls != "")
    cls = cls.where(~use_name, name_cls)
    rule = np.where(use_name, "name", rule)
    df["cls"] = cls.where(cls != "", "unknown")
    df["rule"] = np.where(rule == "", "none", rule)
    first = pd.to_datetime(df["first_seen"])
    last = pd.to_datetime(df["last_seen"])
    df["days_listed"] = (last - first).dt.days.astype(int)
    df["gone"] = ~df["present_now"].astype(bool)
    df["new_listing"] = df["first_seen"] > COLLECTION_START
    return df.reset_index(drop=True)


@dataclasses.dataclass(frozen=True)
class KMResult:
    """A Kaplan-Meier curve as arrays: times with an event, survival and its 95% CI just after each."""
    time: np.ndarray
    survival: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    n: int
    events: int
    at_risk: np.ndarray = dataclasses.field(default_factory=lambda: np.array([]))  # ids at risk at each time

    def at(self, t: float) -> float:
        """S(t): the share still surviving after t (1 before the first event)."""
        idx = np.searchsorted(self.time, t, side="right") - 1
        return 1.0 if idx < 0 else float(self.survival[idx])

    def median(self) -> float | None:
        """The smallest time at which S drops to 0.5 or below; None when the curve never gets there."""
        hit = np.nonzero(self.survival <= 0.5)[0]
        return float(self.time[hit[0]]) if len(hit) else None


def ids_by_rule(classified: pd.DataFrame) -> pd.DataFrame:
    """How many ids each classification rule (rows) put in each class (columns), both by their labels."""
    counts = classified.groupby(["rule", "cls"]).size().unstack(fill_value=0)
    counts.index = [RULE_LABELS[i] for i in counts.index]
    counts.columns = [CLASS_LABELS[c] for c in counts.columns]
    return counts


def kaplan_meier(durations, events) -> KMResult:
    """Kaplan-Meier estimate for right-censored data with scipy.stats.ecdf (events: True = observed end).

    Censored observations at the same time as an event count as still at risk at that time (the usual
    convention). The 95% interval uses the log-log transform (scipy's 'log-log' method).
    """
    d = np.asarray(durations, dtype=float)
    e = np.asarray(events, dtype=bool)
    if d.shape != e.shape:
        raise ValueError("durations and events must have the same length")
    if len(d) == 0 or not e.any():
        return KMResult(np.array([]), np.array([]), np.array([]), np.array([]), int(len(d)), 0, np.array([]))
    import scipy.stats as stats  # imported here: scipy is slow to import and most runs never need it
    data = stats.CensoredData(uncensored=d[e], right=d[~e])
    res = stats.ecdf(data)
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        ci = res.sf.confidence_interval(0.95, method="log-log")
    q, p = res.sf.quantiles, res.sf.probabilities
    lo, hi = ci.low.probabilities, ci.high.probabilities
    keep = np.isin(q, np.unique(d[e]))          # report only the event times
    lo = np.where(np.isnan(lo), p, lo)[keep]     # undefined at S=0: collapse to the estimate
    hi = np.where(np.isnan(hi), p, hi)[keep]
    times = q[keep]
    at_risk = np.array([int((d >= t).sum()) for t in times])
    return KMResult(times, p[keep], lo, hi, int(len(d)), int(e.sum()), at_risk)


def survival_by_class(classified: pd.DataFrame, classes=("closed", "open")) -> dict[str, KMResult]:
    """KM curves of listing lifetime for ids first seen after collection began (no left-censoring)."""
    new = classified[classified["new_listing"]]
    return {c: kaplan_meier(new.loc[new["cls"] == c, "days_listed"], new.loc[new["cls"] == c, "gone"])
            for c in classes}


MIN_AT_RISK = 10   # curves stop where fewer ids than this are still under observation


def follow_up_end(km: KMResult, durations, horizon: float, min_at_risk: int = MIN_AT_RISK) -> float:
    """The last day with at least `min_at_risk` ids still observed (listed, or not yet censored)."""
    d = np.sort(np.asarray(durations, dtype=float))
    if len(d) < min_at_risk:
        return 0.0
    return float(min(horizon, d[len(d) - min_at_risk]))


def survival_curve_rows(curves: Mapping[str, KMResult], horizon: int,
                        ends: Mapping[str, float] | None = None) -> pd.DataFrame:
    """Step-function rows for charting: time, survival and CI, from day 0 to each class's end, per class."""
    rows = []
    for cls, km in curves.items():
        end = float(horizon if ends is None else ends.get(cls, horizon))
        rows.append({"cls": cls, "day": 0.0, "survival": 1.0, "ci_low": 1.0, "ci_high": 1.0})
        for t, s, lo, hi in zip(km.time, km.survival, km.ci_low, km.ci_high):
            if t > end:
                break
            rows.append({"cls": cls, "day": float(t), "survival": float(s), "ci_low": float(lo), "ci_high": float(hi)})
        last = rows[-1]
        rows.append({**last, "day": end})
    df = pd.DataFrame(rows, columns=["cls", "day", "survival", "ci_low", "ci_high"])
    df["label"] = df["cls"].map(CLASS_LABELS)
    return df


def churn_summary(classified: pd.DataFrame) -> pd.DataFrame:
    """Per class: ids listed in 2024 and how many are gone by the last snapshot; KM medians for new ids."""
    curves = survival_by_class(classified, ("closed", "open", "unknown"))
    horizon = (pd.Timestamp(LAST_SNAPSHOT) - pd.Timestamp(COLLECTION_START)).days
    rows = []
    for cls in ("closed", "open", "unknown"):
        sub = classified[classified["cls"] == cls]
        y2024 = sub[sub["first_seen"] <= "2024-12-31"]
        new = sub[sub["new_listing"]]
        km = curves[cls]
        rows.append({
            "cls": cls, "label": CLASS_LABELS[cls], "ids": int(len(sub)),
            "listed_2024": int(len(y2024)), "gone_2024": int(y2024["gone"].sum()),
            "share_gone_2024": float(y2024["gone"].mean()) if len(y2024) else float("nan"),
            "new_ids": int(len(new)), "new_gone": int(new["gone"].sum()),
            "median_days": km.median(),
            "share_gone_1y": 1 - km.at(365) if km.n else float("nan"),
            "horizon_days": horizon,
        })
    return pd.DataFrame(rows)


def churn_sensitivity(classified: pd.DataFrame) -> pd.DataFrame:
    """How the churn figures move with the open/closed classification of ids the catalog does not cover.

    Variants: the rules as published; catalog and current listing only (the others unknown, dropped);
    every unknown id counted as open; every unknown id counted as closed.
    """
    variants = {"All rules (as shown)": classified}
    strict = classified.copy()
    strict.loc[strict["rule"].isin(["author", "name"]), "cls"] = "unknown"
    variants["Catalog and listing only"] = strict
    for cls in ("open", "closed"):
        v = classified.copy()
        v.loc[v["cls"] == "unknown", "cls"] = cls
        variants[f"Unknown ids counted as {cls}"] = v
    rows = []
    for name, df in variants.items():
        summ = churn_summary(df).set_index("cls")
        row = {"variant": name}
        for cls in ("closed", "open"):
            r = summ.loc[cls]
            row[f"{cls}_gone_2024_pct"] = 100 * r["share_gone_2024"]
            row[f"{cls}_median_days"] = r["median_days"]
            row[f"{cls}_gone_1y_pct"] = 100 * r["share_gone_1y"]
            row[f"{cls}_ids"] = int(r["ids"])
        rows.append(row)
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------------------
# Measured: price volatility
# --------------------------------------------------------------------------------------------------
BLEND_INPUT_SHARE = 0.75   # blended price = 3 parts input : 1 part output (Artificial Analysis' convention)
JUMP = 0.5                 # a move of +50 % or more is a jump
SPIKE_REVERT_DAYS = 31     # ... and a spike when the price comes back within this many days
SPIKE_REVERT_TOL = 1.25    # ... to at most 1.25 x the pre-jump price
# Same-day jumps that are a change of billing unit, not of price: on 2024-10-02 OpenRouter's Google models
# went from per-character to per-token prices (every google/* id rose 1.4x-4x that day, to Google's
# per-token list prices). They are flagged `unit_change` and left out of every volatility figure.
UNIT_CHANGES = (("google/", "2024-10-02"),)
SIZE_BINS = [-np.inf, -0.5, -0.2, -0.05, 0.0, 0.05, 0.2, 0.5, 1.0, np.inf]
SIZE_LABELS = ["-100 to -50%", "-50 to -20%", "-20 to -5%", "-5 to 0%", "0 to +5%", "+5 to +20%",
               "+20 to +50%", "+50 to +100%", "+100% or more"]


def blended(inp, out):
    return BLEND_INPUT_SHARE * np.asarray(inp, dtype=float) + (1 - BLEND_INPUT_SHARE) * np.asarray(out, dtype=float)


def price_moves(price_history: pd.DataFrame, classified: pd.DataFrame, keep_unit_changes: bool = False) -> pd.DataFrame:
    """One row per price change after an id's first listed price, with the class and the % change.

    `pct` is the change of the blended price (NaN when the old or new blended price is 0: free tiers).
    Billing-unit changes (UNIT_CHANGES) are dropped unless `keep_unit_changes`.
    """
    cls = classified.set_index("source_id")["cls"]
    h = price_history[price_history["source_id"].isin(cls.index)].copy()
    h = h.sort_values(["source_id", "date"], kind="mergesort")
    h["blended"] = blended(h["input_usd_per_mtok"], h["output_usd_per_mtok"])
    g = h.groupby("source_id", sort=False)
    h["prev_in"] = g["input_usd_per_mtok"].shift()
    h["prev_out"] = g["output_usd_per_mtok"].shift()
    h["prev_blended"] = g["blended"].shift()
    h["prev_date"] = g["date"].shift()
    moved = h["prev_in"].notna() & ((h["input_usd_per_mtok"] != h["prev_in"]) | (h["output_usd_per_mtok"] != h["prev_out"]))
    m = h[moved].copy()
    valid = (m["prev_blended"] > 0) & (m["blended"] > 0)
    m["pct"] = np.where(valid, m["blended"] / m["prev_blended"].where(valid, 1.0) - 1, np.nan)
    m["cls"] = m["source_id"].map(cls)
    m["direction"] = np.where(m["blended"] > m["prev_blended"], "up",
                              np.where(m["blended"] < m["prev_blended"], "down", "mix"))
    unit = pd.Series(False, index=m.index)
    for prefix, day in UNIT_CHANGES:
        unit |= m["source_id"].str.startswith(prefix) & (m["date"] == day)
    m["unit_change"] = unit
    m = m[~m["unit_change"]] if not keep_unit_changes else m
    return m[["source_id", "date", "prev_date", "cls", "prev_in", "prev_out", "input_usd_per_mtok",
              "output_usd_per_mtok", "prev_blended", "blended", "pct", "direction", "unit_change"]].reset_index(drop=True)


def exposure_years(classified: pd.DataFrame) -> pd.Series:
    """Model-years listed per class (each id from first to last seen)."""
    return classified.groupby("cls")["days_listed"].sum() / 365.25


def volatility_summary(moves: pd.DataFrame, classified: pd.DataFrame,
                       price_history: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per class: ids with a price history, moves, moves per model-year, share moved, typical size, jumps."""
    exp = exposure_years(classified)
    priced = set(price_history["source_id"]) if price_history is not None else set(classified["source_id"])
    spikes = temporary_spikes(moves)
    rows = []
    for c in ("closed", "open", "unknown"):
        mv = moves[moves["cls"] == c]
        ids = classified[(classified["cls"] == c) & classified["source_id"].isin(priced)]
        sized = mv["pct"].dropna()
        years = float(exp.get(c, 0.0))
        rows.append({
            "cls": c, "label": CLASS_LABELS[c], "ids": int(len(ids)), "model_years": years,
            "moves": int(len(mv)),
            "moves_per_model_year": len(mv) / years if years > 0 else float("nan"),
            "share_ids_moved": float(ids["source_id"].isin(set(mv["source_id"])).mean()) if len(ids) else float("nan"),
            "median_abs_pct": float(sized.abs().median()) if len(sized) else float("nan"),
            "share_up": float((mv["direction"] == "up").mean()) if len(mv) else float("nan"),
            "jumps": int((sized >= JUMP).sum()),
            "spikes": int((spikes["cls"] == c).sum()) if len(spikes) else 0,
            "to_or_from_zero": int(mv["pct"].isna().sum()),
        })
    return pd.DataFrame(rows)


def temporary_spikes(moves: pd.DataFrame) -> pd.DataFrame:
    """Jumps of +50 % or more that came back to at most 1.25x the pre-jump price within 31 days.

    These are the capacity crunches in the data: demand outruns the providers serving a model, the
    routed price jumps, then falls back as capacity arrives.
    """
    rows = []
    jumped = moves.loc[moves["pct"] >= JUMP, "source_id"].unique()     # only ids with a jump can spike
    sub = moves[moves["source_id"].isin(jumped)]
    sub = sub.assign(_when=pd.to_datetime(sub["date"])).sort_values(["source_id", "_when"], kind="mergesort")
    for sid, grp in sub.groupby("source_id", sort=True):
        when, blend, pct = grp["_when"].to_list(), grp["blended"].to_numpy(), grp["pct"].to_numpy()
        cls, date, prev = grp["cls"].to_numpy(), grp["date"].to_numpy(), grp["prev_blended"].to_numpy()
        for i in np.flatnonzero(pct >= JUMP):
            base, peak = prev[i], blend[i]
            for j in range(i + 1, len(grp)):
                days = (when[j] - when[i]).days
                if days > SPIKE_REVERT_DAYS:
                    break
                peak = max(peak, blend[j - 1])
                if blend[j] <= SPIKE_REVERT_TOL * base:
                    rows.append({"source_id": sid, "cls": cls[i], "date": date[i], "before": base, "peak": peak,
                                 "after": blend[j], "multiple": peak / base, "days_to_revert": days})
                    break
    return pd.DataFrame(rows, columns=["source_id", "cls", "date", "before", "peak", "after", "multiple",
                                       "days_to_revert"])


def monthly_moves(moves: pd.DataFrame, classified: pd.DataFrame, price_history: pd.DataFrame | None = None,
                  start: str = "2024-10-01") -> pd.DataFrame:
    """Per month and class: ids listed during the month, price moves, and moves per 100 listed ids."""
    priced = set(price_history["source_id"]) if price_history is not None else set(classified["source_id"])
    ids = classified[classified["source_id"].isin(priced) & classified["cls"].isin(["open", "closed"])]
    months = pd.period_range(start, LAST_SNAPSHOT, freq="M")
    first = pd.to_datetime(ids["first_seen"])
    last = pd.to_datetime(ids["last_seen"])
    mv = moves[moves["cls"].isin(["open", "closed"])].copy()
    mv["month"] = pd.to_datetime(mv["date"]).dt.to_period("M")
    counts = mv.groupby(["month", "cls"]).size()
    rows = []
    for m in months:
        m_start, m_end = m.start_time, m.end_time
        listed = ids[(first <= m_end) & (last >= m_start)]
        for c in ("closed", "open"):
            n = int((listed["cls"] == c).sum())
            k = int(counts.get((m, c), 0))
            rows.append({"month": m.start_time.strftime("%Y-%m-%d"), "cls": c, "label": CLASS_LABELS[c],
                         "listed": n, "moves": k, "per_100": 100 * k / n if n else 0.0})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------------------
# Settings and chart cards
# --------------------------------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class Settings:
    """The page's controls. Defaults equal the page's defaults."""
    w_security: float = WEIGHT_DEFAULT
    w_data_control: float = WEIGHT_DEFAULT
    w_vendor: float = WEIGHT_DEFAULT
    w_safety_quality: float = WEIGHT_DEFAULT
    w_compliance: float = WEIGHT_DEFAULT
    w_operations: float = WEIGHT_DEFAULT
    w_jurisdiction: float = WEIGHT_DEFAULT
    personal_data: bool = False
    regulated: bool = False
    on_prem: bool = False
    ml_team: bool = False
    option: str = CLOSED_API

    def weights(self) -> dict[str, float]:
        return {c: float(getattr(self, f"w_{c}")) for c in CATEGORIES}

    def context(self) -> Context:
        return Context(self.personal_data, self.regulated, self.on_prem, self.ml_team)

    def clean(self) -> "Settings":
        """Weights clamped to the sliders' range (a bad one back to its default), flags as bools, a known option."""
        def weight(v):
            try:
                v = float(v)
            except (TypeError, ValueError):
                return WEIGHT_DEFAULT
            return min(max(v, WEIGHT_MIN), WEIGHT_MAX) if math.isfinite(v) else WEIGHT_DEFAULT
        return Settings(**{f"w_{c}": weight(getattr(self, f"w_{c}")) for c in CATEGORIES},
                        **{c: bool(getattr(self, c)) for c in CONTEXTS},
                        option=self.option if self.option in OPTIONS else CLOSED_API)

    def label(self) -> str:
        """The settings that differ from the defaults, as short text ('' at the defaults)."""
        words = {f"w_{c}": (lambda v, c=c: f"{CATEGORY_LABELS[c].split(':')[0].lower()} weight {v:g}")
                 for c in CATEGORIES}
        words.update({c: (lambda v, c=c: CONTEXT_LABELS[c].lower() + ("" if v else ": no")) for c in CONTEXTS})
        words["option"] = lambda v: f"heat map: {OPTION_SHORT.get(v, v).lower()}"
        return fmt.settings_label(self, words)


def heatmap_rows(con: pd.DataFrame, option: str) -> pd.DataFrame:
    """The register rows of one option, placed on the 5 x 5 grid at their mid-points (spread if they coincide)."""
    sub = con[con["option"] == option].copy()
    sub = sub.sort_values(["contribution", "risk_id"], ascending=[False, True], kind="mergesort")
    sub["top3"] = [i < 3 and c > 0 for i, c in enumerate(sub["contribution"])]
    sub["x"], sub["y"] = sub["likelihood_mid"], sub["impact_mid"]
    for _, grp in sub.groupby(["likelihood_mid", "impact_mid"]):
        k = len(grp)
        if k > 1:
            angles = np.linspace(0, 2 * np.pi, k, endpoint=False) + np.pi / 4
            sub.loc[grp.index, "x"] = grp["likelihood_mid"] + 0.22 * np.cos(angles)
            sub.loc[grp.index, "y"] = grp["impact_mid"] + 0.22 * np.sin(angles)
    sub["zone"] = np.where(sub["severity_mid"] >= HIGH_ZONE, "high", "lower")
    return sub[["no", "risk_id", "risk", "category", "likelihood_low", "likelihood_high", "impact_low", "impact_high",
                "likelihood_mid", "impact_mid", "severity_mid", "weight", "contribution", "top3", "zone", "x", "y"]]


def likelihood_impact_grid() -> pd.DataFrame:
    rows = []
    for lik in range(1, 6):
        for imp in range(1, 6):
            sev = lik * imp
            band = "1-4 low" if sev <= 4 else "5-9 medium" if sev <= 9 else "10-14 high" if sev <= 14 else "15-25 very high"
            rows.append({"l0": lik - 0.5, "l1": lik + 0.5, "i0": imp - 0.5, "i1": imp + 0.5, "band": band})
    return pd.DataFrame(rows)


def measured(tables: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Every measured table of the page, computed once: classified listings, churn, moves, volatility, spikes."""
    classified = classify_listings(tables["listings"], tables["models"])
    ph = tables["price_history"]
    moves = price_moves(ph, classified)
    out = {
        "classified": classified,
        "churn": churn_summary(classified),
        "moves": moves,
        "volatility": volatility_summary(moves, classified, ph),
        "spikes": temporary_spikes(moves),
        "monthly": monthly_moves(moves, classified, ph),
    }
    from openclosed.risk.compare import churn_tests   # the test behind each open-vs-closed comparison
    out["tests"] = churn_tests(classified, moves, out["churn"], out["volatility"])
    return out
