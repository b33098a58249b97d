"""Risk: what can go wrong with each way of using a model, weighted by what matters to the reader.

Pure core (no streamlit). Two halves:

1. **Scoring the curated risk register** (`data/risk_register.csv`, one row per risk and option it
   affects, each with a likelihood and an impact as low-high ranges on a 1-5 scale, a rationale, a
   mitigation and at least one public source). The ranges are the report's judgment, not data.
2. **Measuring what the data can measure**: listing churn and survival (Kaplan-Meier) from
   OpenRouter's listing history (`data/listings.csv`) and price volatility from its price history
   (`data/price_history.csv`).

Public API (the "Which should I use?" advisor reuses it; everything takes DataFrames, returns DataFrames)
----------------------------------------------------------------------------------------------------
Constants
    OPTIONS = ("self_hosted", "hosted_open", "closed_api") and SELF_HOSTED, HOSTED_OPEN, CLOSED_API;
    OPTION_LABELS / OPTION_SHORT / OPTION_COLORS (display names and fixed colours per option);
    CATEGORIES and CATEGORY_LABELS (one importance weight per category);
    CONTEXTS and CONTEXT_LABELS ("personal_data", "regulated", "on_prem", "ml_team");
    CONTEXT_UP = 1.5, CONTEXT_DOWN = 0.5 (how a context toggle scales a risk's weight);
    WEIGHT_MIN, WEIGHT_MAX, WEIGHT_DEFAULT (the slider range; any weight >= 0 is accepted).
Inputs
    weights: a mapping category -> importance (>= 0); missing categories get WEIGHT_DEFAULT.
    context: a `Context`, a mapping of context -> bool, an iterable of active context names, or None.
Functions
    risk_weights(register, weights, context)  -> one row per risk: category weight, context multiplier, weight.
    contributions(register, weights, context) -> one row per register row: ranges, mid-points, weight,
                                                 contribution = weight x L_mid x I_mid, and its share.
    option_scores(register, weights, context, n_draws=4000, seed=0)
                                              -> DataFrame[option, label, score, low, high, min, max, n_risks].
    top_risks(register, option, weights, context, n=3) -> the n largest contributions of one option.
    mitigations(register, option, weights, context, n=3) -> the mitigation of each of those risks, with its source.
    Settings / cards(tables, settings)        -> the page's chart cards (report/presenter/deck contract);
    scoring(register, settings)               -> (cards, option scores, contributions), each computed once;
    scoring_cards(register, settings)         -> only the cards that depend on the settings (cheap to redo);
    measured_cards(tables)                    -> only the measured cards (no settings; cache once).
    OPTION_NOUN gives each option as a phrase for sentences ("a closed API").

Example (what the advisor needs):

    reg = tables.read("risk_register")
    w = {"data_control": 2.0, "operations": 0.5}
    ctx = risk.Context(personal_data=True, ml_team=True)
    risk.option_scores(reg, w, ctx)              # option, score, low, high (90% band), min, max
    risk.top_risks(reg, risk.CLOSED_API, w, ctx)  # the 3 rows driving that score
    risk.mitigations(reg, risk.CLOSED_API, w, ctx)  # rank, risk, contribution, share, mitigation, source, url

Scoring formula (every number traces to register rows and the reader's weights)
------------------------------------------------------------------------------
For option o and risk r with a register row (r, o):

    weight(r)        = category_weight[category(r)] x CONTEXT_UP^(active contexts that amplify r)
                                                    x CONTEXT_DOWN^(active contexts that dampen r)
    contribution(r,o) = weight(r) x L_mid(r,o) x I_mid(r,o)        (L_mid, I_mid: mid-points of the ranges)
    score(o)          = sum over the register rows of o of contribution(r,o)

A risk that does not affect an option has no row for it and adds nothing. Scores are not divided by the
sum of weights, so raising a weight never lowers any option's score (it raises the score of every option
the risk affects by weight change x L_mid x I_mid). Which contexts amplify or dampen a risk is stated in
the register's `amplified_by` / `dampened_by` columns; CONTEXT_UP > 1 and CONTEXT_DOWN < 1, so switching
a context on never lowers an amplified risk's weight and never raises a dampened one's.

Uncertainty: `low`/`high` are the 5th and 95th percentiles of the same sum when each L and I is drawn
uniformly and independently from its range (Monte Carlo, fixed seed, the same draws for every weight
setting, so the band is monotone in the weights too); `min`/`max` are the interval-arithmetic bounds
(every L and I at its low, or at its high end). Because score = E[sum] under those draws, `score` is the
mean of the Monte Carlo distribution.

Measured risks
--------------
classify_listings(listings, models)   open / closed / unknown per OpenRouter id, with the rule that decided.
kaplan_meier(durations, events)        survival curve via scipy.stats.ecdf on right-censored data.
survival_by_class(classified)          KM curve per class for listings first seen after collection began.
churn_summary(classified)              share of ids listed in 2024 gone by the last snapshot; KM medians.
churn_sensitivity(classified)          the churn figures under other open/closed classifications.
price_moves(price_history, classified) one row per price change (billing-unit changes in UNIT_CHANGES dropped);
                                       volatility_summary / monthly_moves / temporary_spikes summarise them.
measured(tables)                       all of the above at once, as a dict of DataFrames.

Section contract (what every section package provides): ``TABLES`` (the data/ tables it reads), ``Settings`` (a
frozen dataclass whose defaults are the page's; ``clean()`` turns bad values into defaults, ``label()`` words the
non-default ones) and ``cards(tables, settings) -> dict[str, ChartCard]`` keyed by ``card.key``, in page order.
Modules: model (scoring and measures, Settings), section (cards).
Their public names are re-exported here, so ``risk.X`` works for all of them.
"""
from __future__ import annotations

from openclosed.risk.model import *  # noqa: F401,F403
from openclosed.risk.section import *  # noqa: F401,F403
