"""Risk core: register schema and sources, scoring invariants, context directions, Kaplan-Meier, volatility."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openclosed import risk, tables
from openclosed.risk import model as risk_model
from openclosed.tables import TableError
from pipeline import curated


# --------------------------------------------------------------------------------------------------
# Fixtures
# --------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def register() -> pd.DataFrame:
    return tables.read("risk_register")


@pytest.fixture(scope="module")
def data() -> dict[str, pd.DataFrame]:
    return {n: tables.read(n) for n in ("risk_register", "listings", "price_history", "models", "events")}


def _row(rid, option, cat, L=(2, 3), I=(2, 4), amp="", damp=""):
    return {"risk_id": rid, "option": option, "risk": rid.replace("_", " ").title(), "category": cat,
            "likelihood_low": L[0], "likelihood_high": L[1], "impact_low": I[0], "impact_high": I[1],
            "amplified_by": amp, "dampened_by": damp, "mitigation": f"do something about {rid}",
            "rationale": "because", "source": "S", "url": "https://example.org"}


@pytest.fixture()
def toy() -> pd.DataFrame:
    """A hand-made register with known answers."""
    return pd.DataFrame([
        _row("a", "self_hosted", "security", (2, 4), (1, 3), amp="personal_data"),   # mid 3 x 2 = 6
        _row("a", "closed_api", "security", (1, 1), (2, 2), amp="personal_data"),    # 1 x 2 = 2
        _row("b", "self_hosted", "operations", (4, 4), (3, 3), damp="ml_team"),      # 4 x 3 = 12
        _row("b", "hosted_open", "operations", (1, 3), (1, 1), damp="ml_team"),      # 2 x 1 = 2
        _row("c", "closed_api", "vendor", (5, 5), (3, 5)),                           # 5 x 4 = 20
    ])


# --------------------------------------------------------------------------------------------------
# The register: schema, sources, coverage
# --------------------------------------------------------------------------------------------------
def test_register_validates_and_is_loaded_by_the_pipeline(register):
    assert len(register) >= 30
    out = curated.load(None).extra["risk_register"]
    assert list(out.columns) == curated.RISK_COLUMNS == risk.REGISTER_COLUMNS
    tables.validate("risk_register", out)
    assert (register[["risk_id", "option"]].duplicated() == False).all()  # noqa: E712


def test_every_row_cites_a_public_source(register):
    assert (register["source"].str.strip().str.len() > 3).all()
    assert register["url"].str.match(r"^https://\S+$").all()
    for n in ("2", "3"):   # an optional second/third source comes with its link, and vice versa
        has_name = register[f"source{n}"].str.strip() != ""
        has_url = register[f"url{n}"].str.strip() != ""
        assert (has_name == has_url).all()
        assert register.loc[has_url, f"url{n}"].str.match(r"^https://\S+$").all()


def test_register_rows_are_consistent_per_risk(register):
    for rid, grp in register.groupby("risk_id"):
        for col in ("risk", "category", "description", "amplified_by", "dampened_by"):
            assert grp[col].nunique() == 1, (rid, col)
    assert (register["likelihood_low"] <= register["likelihood_high"]).all()
    assert (register["impact_low"] <= register["impact_high"]).all()
    assert register[["likelihood_low", "likelihood_high", "impact_low", "impact_high"]].isin(range(1, 6)).all().all()
    assert set(register["option"]) == set(risk.OPTIONS)
    assert set(register["category"]) == set(risk.CATEGORIES)


def test_register_covers_the_issue_list(register):
    required = {"misuse_of_weights", "data_leaves_control", "lock_in_price_policy", "model_retirement",
                "supply_chain_tampering", "weaker_safety_tuning", "compliance_sla_gaps", "hallucination_bias",
                "operational_burden", "jurisdiction_export"}
    assert required <= set(register["risk_id"])
    cited = " ".join(register["url"]) + " ".join(register["url2"]) + " ".join(register["url3"])
    for needle in ("owasp.org", "NIST.AI.600-1", "NIST.AI.100-1", "caisi-evaluation-deepseek", "deprecations",
                   "eur-lex.europa.eu/eli/reg/2024/1689", "federalregister.gov"):
        assert needle in cited, needle


def test_measured_risks_link_to_measures(register):
    assert set(register["measured_by"]) - {""} == set(risk.MEASURES)
    assert (register.loc[register["risk_id"] == "model_retirement", "measured_by"] != "").any()


@pytest.mark.parametrize("column,value", [("likelihood_low", 6), ("impact_high", 0), ("option", "on_device"),
                                          ("category", "vibes"), ("url", ""), ("amplified_by", "rich")])
def test_schema_rejects_bad_rows(register, column, value):
    bad = register.copy()
    bad.loc[0, column] = value
    with pytest.raises(TableError):
        tables.validate("risk_register", bad)


def test_schema_rejects_low_above_high(register):
    bad = register.copy()
    bad.loc[0, ["likelihood_low", "likelihood_high"]] = [4, 2]
    with pytest.raises(TableError, match="likelihood"):
        tables.validate("risk_register", bad)
    bad = register.copy()
    bad.loc[3, ["impact_low", "impact_high"]] = [5, 3]
    with pytest.raises(TableError, match="impact"):
        tables.validate("risk_register", bad)


# --------------------------------------------------------------------------------------------------
# Scoring: hand-computed values
# --------------------------------------------------------------------------------------------------
def test_scores_by_hand(toy):
    s = risk.option_scores(toy).set_index("option")
    assert s.loc["self_hosted", "score"] == pytest.approx(6 + 12)
    assert s.loc["hosted_open", "score"] == pytest.approx(2)
    assert s.loc["closed_api", "score"] == pytest.approx(2 + 20)
    # interval bounds: every range at its low / high end
    assert s.loc["self_hosted", "min"] == pytest.approx(2 * 1 + 4 * 3)
    assert s.loc["self_hosted", "max"] == pytest.approx(4 * 3 + 4 * 3)
    assert s.loc["closed_api", "min"] == pytest.approx(1 * 2 + 5 * 3)
    assert s.loc["closed_api", "max"] == pytest.approx(1 * 2 + 5 * 5)
    for r in s.itertuples():
        assert r.min <= r.low <= r.score <= r.high <= r.max


def test_weights_and_context_by_hand(toy):
    w = {"security": 2.0, "operations": 0.5}
    s = risk.option_scores(toy, w, {"personal_data": True, "ml_team": True}).set_index("option")
    # a: 2 x 1.5 (personal data) ; b: 0.5 x 0.5 (ml team) ; c: 1
    assert s.loc["self_hosted", "score"] == pytest.approx(6 * 3.0 + 12 * 0.25)
    assert s.loc["closed_api", "score"] == pytest.approx(2 * 3.0 + 20)
    con = risk.contributions(toy, w, ["personal_data", "ml_team"])
    row = con[(con["risk_id"] == "b") & (con["option"] == "self_hosted")].iloc[0]
    assert row["category_weight"] == 0.5 and row["context_multiplier"] == 0.5 and row["weight"] == 0.25
    assert "ml/infra team" in row["context_effect"]
    # contributions add up to the score, and shares to 1
    for opt, grp in con.groupby("option"):
        assert grp["contribution"].sum() == pytest.approx(s.loc[opt, "score"])
        assert grp["share"].sum() == pytest.approx(1.0)


def test_monte_carlo_mean_matches_point_score(toy):
    s = risk.option_scores(toy, n_draws=40_000).set_index("option")
    con = risk.contributions(toy)
    sims = risk_model._draws(con, 40_000, risk.SEED) * con["weight"].to_numpy()
    for opt in risk.OPTIONS:
        mask = (con["option"] == opt).to_numpy()
        assert sims[:, mask].sum(axis=1).mean() == pytest.approx(s.loc[opt, "score"], rel=0.01)


def test_top_risks_and_mitigations(toy, register):
    top = risk.top_risks(toy, "self_hosted")
    assert list(top["risk_id"]) == ["b", "a"]
    assert risk.top_risks(toy, "self_hosted", {"operations": 0.0})["risk_id"].tolist() == ["a"]
    mit = risk.mitigations(register, risk.CLOSED_API)
    assert list(mit["rank"]) == [1, 2, 3]
    assert (mit["mitigation"].str.len() > 20).all() and mit["url"].str.startswith("https://").all()
    assert mit["contribution"].is_monotonic_decreasing
    with pytest.raises(ValueError):
        risk.top_risks(register, "on_device")


def test_zero_and_huge_weights_stay_finite(register):
    zero = risk.option_scores(register, {c: 0 for c in risk.CATEGORIES})
    assert (zero[["score", "low", "high", "min", "max"]] == 0).all().all()
    assert risk.mitigations(register, risk.SELF_HOSTED, {c: 0 for c in risk.CATEGORIES}).empty
    huge = risk.option_scores(register, {c: 1e6 for c in risk.CATEGORIES})
    assert np.isfinite(huge[["score", "low", "high"]].to_numpy()).all()
    with pytest.raises(ValueError):
        risk.option_scores(register, {"security": -1})
    with pytest.raises(ValueError):
        risk.option_scores(register, {"security": float("nan")})
    with pytest.raises(ValueError):
        risk.option_scores(register, {"made_up": 1})
    with pytest.raises(ValueError):
        risk.option_scores(register, context=["made_up"])


def test_default_scores_on_the_real_register(register):
    s = risk.option_scores(register).set_index("option")
    assert list(s.index) == list(risk.OPTIONS)
    assert s.loc[risk.CLOSED_API, "n_risks"] == register[register["option"] == risk.CLOSED_API].shape[0]
    for opt in risk.OPTIONS:
        sub = register[register["option"] == opt]
        sev = (((sub["likelihood_low"] + sub["likelihood_high"]) / 2)
               * ((sub["impact_low"] + sub["impact_high"]) / 2))
        by_hand = sev.groupby(sub["category"]).mean().sum()      # a mean per category, summed
        assert s.loc[opt, "score"] == pytest.approx(by_hand)


# --------------------------------------------------------------------------------------------------
# Invariants (hypothesis)
# --------------------------------------------------------------------------------------------------
weights_st = st.fixed_dictionaries({c: st.floats(0, 5, allow_nan=False) for c in risk.CATEGORIES})
context_st = st.fixed_dictionaries({c: st.booleans() for c in risk.CONTEXTS})


@settings(max_examples=60, deadline=None)
@given(weights=weights_st, context=context_st, cat=st.sampled_from(risk.CATEGORIES),
       bump=st.floats(0.01, 5, allow_nan=False))
def test_raising_a_weight_never_lowers_an_affected_score(register, weights, context, cat, bump):
    before = risk.option_scores(register, weights, context, n_draws=300).set_index("option")
    after = risk.option_scores(register, {**weights, cat: weights[cat] + bump}, context, n_draws=300).set_index("option")
    affected = set(register.loc[register["category"] == cat, "option"])
    for opt in risk.OPTIONS:
        for col in ("score", "low", "high", "min", "max"):
            assert after.loc[opt, col] >= before.loc[opt, col] - 1e-9
        if opt in affected and weights[cat] >= 0:
            assert after.loc[opt, "score"] > before.loc[opt, "score"]
        if opt not in affected:
            assert after.loc[opt, "score"] == pytest.approx(before.loc[opt, "score"])


@settings(max_examples=60, deadline=None)
@given(weights=weights_st, context=context_st, ctx=st.sampled_from(risk.CONTEXTS))
def test_context_toggles_move_weights_in_the_documented_direction(register, weights, context, ctx):
    off = risk.risk_weights(register, weights, {**context, ctx: False}).set_index("risk_id")
    on = risk.risk_weights(register, weights, {**context, ctx: True}).set_index("risk_id")
    per_risk = register.drop_duplicates("risk_id").set_index("risk_id")
    for rid, r in per_risk.iterrows():
        up = ctx in r["amplified_by"].split(";")
        down = ctx in r["dampened_by"].split(";")
        expected = off.loc[rid, "weight"] * (risk.CONTEXT_UP if up else 1) * (risk.CONTEXT_DOWN if down else 1)
        assert on.loc[rid, "weight"] == pytest.approx(expected)
        if up and not down:
            assert on.loc[rid, "weight"] >= off.loc[rid, "weight"]
        if down and not up:
            assert on.loc[rid, "weight"] <= off.loc[rid, "weight"]


def test_documented_context_links(register):
    per_risk = register.drop_duplicates("risk_id").set_index("risk_id")
    assert "personal_data" in per_risk.loc["data_leaves_control", "amplified_by"]
    assert "on_prem" in per_risk.loc["data_leaves_control", "amplified_by"]
    assert "regulated" in per_risk.loc["compliance_sla_gaps", "amplified_by"]
    assert "ml_team" in per_risk.loc["operational_burden", "dampened_by"]
    assert risk.CONTEXT_UP > 1 > risk.CONTEXT_DOWN > 0
    # an ML team lowers self-hosting's score by more than any other option's
    base = risk.option_scores(register).set_index("option")["score"]
    team = risk.option_scores(register, context={"ml_team": True}).set_index("option")["score"]
    drop = base - team
    assert drop.idxmax() == risk.SELF_HOSTED and (drop >= 0).all()
    # needing on-prem raises a hosted option more than self-hosting
    onprem = risk.option_scores(register, context={"on_prem": True}).set_index("option")["score"] - base
    assert onprem[risk.HOSTED_OPEN] > onprem[risk.SELF_HOSTED] and onprem[risk.CLOSED_API] > onprem[risk.SELF_HOSTED]


@settings(max_examples=30, deadline=None)
@given(weights=weights_st, context=context_st, option=st.sampled_from(risk.OPTIONS), n=st.integers(0, 6))
def test_top_risks_are_the_largest_contributions(register, weights, context, option, n):
    top = risk.top_risks(register, option, weights, context, n)
    con = risk.contributions(register, weights, context)
    sub = con[(con["option"] == option) & (con["contribution"] > 0)]
    assert len(top) == min(n, len(sub))
    if len(top):
        rest = sub[~sub["risk_id"].isin(top["risk_id"])]
        assert rest.empty or top["contribution"].min() >= rest["contribution"].max()


def test_context_accepts_every_form():
    assert risk.as_context(None) == risk.Context()
    assert risk.as_context("ml_team") == risk.Context(ml_team=True)
    assert risk.as_context(["regulated", "on_prem"]) == risk.Context(regulated=True, on_prem=True)
    assert risk.as_context({"personal_data": 1}) == risk.Context(personal_data=True)
    assert risk.Settings().weights() == risk.default_weights()
    assert risk.Settings(w_vendor=2, ml_team=True).context().active() == ("ml_team",)


# --------------------------------------------------------------------------------------------------
# Kaplan-Meier against a hand-computed example
# --------------------------------------------------------------------------------------------------
def test_kaplan_meier_hand_computed():
    # durations 1,2,2+,3,4+,5 (+ = censored). At risk / events:
    # t=1: 6 at risk, 1 event -> S = 5/6
    # t=2: 5 at risk (the id censored at 2 still counts), 1 event -> S = 5/6 * 4/5 = 2/3
    # t=3: 3 at risk, 1 event -> S = 2/3 * 2/3 = 4/9
    # t=5: 1 at risk, 1 event -> S = 0
    km = risk.kaplan_meier([1, 2, 2, 3, 4, 5], [True, True, False, True, False, True])
    assert km.time.tolist() == [1, 2, 3, 5]
    assert km.survival == pytest.approx([5 / 6, 2 / 3, 4 / 9, 0.0])
    assert km.at_risk.tolist() == [6, 5, 3, 1]
    assert km.at(0.5) == 1.0 and km.at(2.5) == pytest.approx(2 / 3) and km.at(4.9) == pytest.approx(4 / 9)
    assert km.median() == 3.0
    assert (km.ci_low <= km.survival + 1e-12).all() and (km.ci_high >= km.survival - 1e-12).all()
    assert km.n == 6 and km.events == 4


def test_kaplan_meier_edge_cases():
    none = risk.kaplan_meier([3, 4], [False, False])
    assert none.events == 0 and none.median() is None and none.at(10) == 1.0
    empty = risk.kaplan_meier([], [])
    assert empty.n == 0 and empty.median() is None
    never_half = risk.kaplan_meier([1, 5, 5, 5], [True, False, False, False])
    assert never_half.median() is None and never_half.at(2) == pytest.approx(0.75)
    with pytest.raises(ValueError):
        risk.kaplan_meier([1, 2], [True])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 50), st.booleans()), min_size=1, max_size=40))
def test_kaplan_meier_matches_a_direct_product_limit(obs):
    d = np.array([o[0] for o in obs], float)
    e = np.array([o[1] for o in obs], bool)
    km = risk.kaplan_meier(d, e)
    s = 1.0
    for t in sorted(set(d[e])):
        n_at_risk = (d >= t).sum()
        s *= 1 - ((d == t) & e).sum() / n_at_risk
        assert km.at(t) == pytest.approx(s)
    assert ((np.diff(km.survival) <= 1e-12).all()) if len(km.survival) > 1 else True


# --------------------------------------------------------------------------------------------------
# Measured: classification, churn and volatility
# --------------------------------------------------------------------------------------------------
def _listings(rows):
    return pd.DataFrame(rows, columns=["source_id", "name", "author", "first_seen", "last_seen", "present_now",
                                       "openness_hint"])


def test_classification_rules_in_order():
    lst = _listings([
        ("acme/alpha", "A", "acme", "2025-01-01", "2026-08-22", True, "closed"),   # catalog says open: catalog wins
        ("acme/beta", "B", "acme", "2025-01-01", "2025-06-01", False, ""),         # author rule: acme is all open
        ("misc/llama-3-70b-tune", "C", "misc", "2025-01-01", "2025-03-01", False, ""),  # name: open
        ("misc/gpt-4-0314", "D", "misc", "2024-09-21", "2025-03-01", False, ""),   # name: closed
        ("misc/mystery", "E", "misc", "2025-01-01", "2025-03-01", False, ""),       # unknown
        ("shop/thing", "F", "shop", "2025-01-01", "2026-08-22", True, "closed"),   # listing hint
        ("~acme/alpha-latest", "G", "~acme", "2025-01-01", "2026-08-22", True, "closed"),  # alias: dropped
    ])
    models = pd.DataFrame({"id_openrouter": ["acme/alpha;acme/alpha-old", ""], "openness": ["open_restricted", "api"]})
    c = risk.classify_listings(lst, models).set_index("source_id")
    assert "~acme/alpha-latest" not in c.index
    assert c.loc["acme/alpha", ["cls", "rule"]].tolist() == ["open", "catalog"]
    assert c.loc["acme/beta", ["cls", "rule"]].tolist() == ["open", "author"]
    assert c.loc["misc/llama-3-70b-tune", ["cls", "rule"]].tolist() == ["open", "name"]
    assert c.loc["misc/gpt-4-0314", ["cls", "rule"]].tolist() == ["closed", "name"]
    assert c.loc["misc/mystery", ["cls", "rule"]].tolist() == ["unknown", "none"]
    assert c.loc["shop/thing", ["cls", "rule"]].tolist() == ["closed", "listing"]
    assert c.loc["acme/beta", "days_listed"] == 151 and bool(c.loc["acme/beta", "gone"])
    assert not c.loc["misc/gpt-4-0314", "new_listing"] and c.loc["misc/mystery", "new_listing"]
    by_rule = risk.ids_by_rule(c)
    assert by_rule.loc[risk.RULE_LABELS["name"]].to_dict() == {"Closed": 1, "Open weights": 1, "Unknown": 0}
    assert by_rule.loc[risk.RULE_LABELS["catalog"], "Open weights"] == 1 and by_rule.to_numpy().sum() == len(c)


def test_churn_summary_by_hand():
    lst = _listings([
        ("o/a", "", "o", "2024-09-21", "2025-01-01", False, "open"),
        ("o/b", "", "o", "2024-10-01", "2026-08-22", True, "open"),
        ("o/c", "", "o", "2025-02-01", "2025-03-03", False, "open"),
        ("c/a", "", "c", "2024-11-01", "2026-08-22", True, "closed"),
    ])
    s = risk.churn_summary(risk.classify_listings(lst)).set_index("cls")
    assert s.loc["open", "listed_2024"] == 2 and s.loc["open", "gone_2024"] == 1
    assert s.loc["open", "share_gone_2024"] == 0.5
    assert s.loc["closed", "share_gone_2024"] == 0.0
    # new listings (after 2024-09-21): o/b censored at 690 days, o/c gone after 30 days -> S = 1/2 from day 30
    assert s.loc["open", "new_ids"] == 2 and s.loc["open", "median_days"] == 30.0
    assert s.loc["closed", "median_days"] is None or pd.isna(s.loc["closed", "median_days"])


def test_price_moves_and_spikes_by_hand():
    lst = _listings([
        ("o/m", "", "o", "2025-01-01", "2026-08-22", True, "open"),
        ("c/m", "", "c", "2025-01-01", "2026-08-22", True, "closed"),
        ("google/g", "", "google", "2024-09-21", "2026-08-22", True, "closed"),
    ])
    ph = pd.DataFrame([
        ("o/m", "2025-01-01", 1.0, 1.0), ("o/m", "2025-01-10", 4.0, 4.0), ("o/m", "2025-01-15", 1.0, 1.0),
        ("o/m", "2025-03-01", 0.5, 0.5),
        ("c/m", "2025-01-01", 2.0, 8.0), ("c/m", "2025-06-01", 1.0, 4.0),
        ("google/g", "2024-09-21", 0.25, 0.5), ("google/g", "2024-10-02", 1.0, 2.0),   # billing-unit change
    ], columns=["source_id", "date", "input_usd_per_mtok", "output_usd_per_mtok"])
    c = risk.classify_listings(lst)
    mv = risk.price_moves(ph, c)
    assert len(mv) == 4 and "google/g" not in set(mv["source_id"])
    assert len(risk.price_moves(ph, c, keep_unit_changes=True)) == 5
    om = mv[mv["source_id"] == "o/m"]
    assert om["pct"].tolist() == pytest.approx([3.0, -0.75, -0.5])
    assert mv.loc[mv["source_id"] == "c/m", "pct"].iloc[0] == pytest.approx(-0.5)   # blended 3.5 -> 1.75
    sp = risk.temporary_spikes(mv)
    assert len(sp) == 1 and sp.iloc[0]["source_id"] == "o/m"
    assert sp.iloc[0]["multiple"] == pytest.approx(4.0) and sp.iloc[0]["days_to_revert"] == 5
    vol = risk.volatility_summary(mv, c, ph).set_index("cls")
    assert vol.loc["open", "moves"] == 3 and vol.loc["closed", "moves"] == 1
    years = (pd.Timestamp("2026-08-22") - pd.Timestamp("2025-01-01")).days / 365.25
    assert vol.loc["open", "moves_per_model_year"] == pytest.approx(3 / years)
    assert vol.loc["open", "spikes"] == 1 and vol.loc["open", "jumps"] == 1
    assert vol.loc["open", "share_up"] == pytest.approx(1 / 3)


def test_real_data_measures(data):
    m = risk.measured(data)
    c = m["classified"]
    assert len(c) == len(data["listings"]) - data["listings"]["source_id"].str.startswith("~").sum()
    assert (c["cls"] == "unknown").mean() < 0.05
    churn = m["churn"].set_index("cls")
    for cls in ("closed", "open"):
        assert 0 < churn.loc[cls, "share_gone_2024"] < 1
        assert churn.loc[cls, "listed_2024"] > 50
    vol = m["volatility"].set_index("cls")
    assert vol.loc["open", "moves_per_model_year"] > vol.loc["closed", "moves_per_model_year"]
    # the DeepSeek-R1 capacity crunch of late January 2025 is found as a temporary spike
    r1 = m["spikes"][m["spikes"]["source_id"] == "deepseek/deepseek-r1"]
    assert len(r1) >= 1 and r1.iloc[0]["date"] == "2025-01-28" and r1.iloc[0]["multiple"] > 5
    sens = risk.churn_sensitivity(c)
    assert len(sens) == 4 and sens.iloc[0]["variant"].startswith("All rules")


def test_recompute_share_gone_from_raw_csv(data):
    """The page's 2024 churn figure can be recomputed directly from data/ with the method described."""
    m = risk.measured(data)
    c = m["classified"]
    y2024 = c[(c["first_seen"] <= "2024-12-31") & (c["cls"] == "closed")]
    assert m["churn"].set_index("cls").loc["closed", "share_gone_2024"] == pytest.approx(
        (~y2024["present_now"]).mean())


# --------------------------------------------------------------------------------------------------
# Cards
# --------------------------------------------------------------------------------------------------
def test_cards_contract(data):
    cards = risk.cards(data, risk.Settings())
    keys = list(cards)
    assert keys == [c.key for c in cards.values()]
    assert keys[:5] == ["risk_scores", "risk_drivers", "risk_heatmap_self_hosted", "risk_heatmap_hosted_open",
                        "risk_heatmap_closed_api"]
    assert {"risk_churn_2024", "risk_survival", "risk_price_moves", "risk_price_timeline", "risk_r1_crunch"} <= set(keys)
    for card in cards.values():
        assert card.title and (card.title[0].isupper() or card.title[0].isdigit()) and len(card.title) < 260
        assert not card.data.empty and card.alt and card.page == "Risk"
        spec = card.chart.to_dict()
        assert "nan" not in card.title.lower()
        assert spec  # serialisable


def test_cards_follow_settings(data):
    base = risk.scoring_cards(data["risk_register"], risk.Settings())
    tilted = risk.scoring_cards(data["risk_register"], risk.Settings(w_operations=5.0))
    assert base[0].title != tilted[0].title
    zero = risk.scoring_cards(data["risk_register"], risk.Settings(**{f"w_{c}": 0.0 for c in risk.CATEGORIES}))
    assert "zero" in zero[0].title and "raise a weight" in zero[1].title.lower()


def test_core_has_no_streamlit():
    import ast
    import inspect
    tree = ast.parse(inspect.getsource(risk))
    names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    names += [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module]
    assert not any(str(n).startswith(("streamlit", "ui")) for n in names)
    assert math.isfinite(risk.CONTEXT_UP)


def test_scores_are_category_means_so_a_row_count_alone_does_not_lower_a_total():
    # self-hosted has two security rows (3 and 1), the closed API one (3): a sum gives 4 vs 3, a mean 2 vs 3
    reg = pd.DataFrame([
        _row("a", "self_hosted", "security", (3, 3), (1, 1)),
        _row("m", "self_hosted", "security", (1, 1), (1, 1)),
        _row("a", "closed_api", "security", (3, 3), (1, 1)),
    ])
    s = risk.option_scores(reg).set_index("option")
    assert s.loc["self_hosted", "score"] == pytest.approx(2.0)
    assert s.loc["closed_api", "score"] == pytest.approx(3.0)
    assert s.loc["self_hosted", "min"] == pytest.approx(2.0) and s.loc["self_hosted", "max"] == pytest.approx(2.0)
    con = risk.contributions(reg)
    assert con.groupby("option")["contribution"].sum()["self_hosted"] == pytest.approx(2.0)
    assert "mean" in risk.SCORE_RULE


def test_the_ledgers_now_is_its_newest_snapshot_in_the_data():
    from openclosed.risk import model as RM
    listings = tables.read("listings")
    assert RM.LAST_SNAPSHOT == str(listings["last_seen"].max())        # not a typed date
    assert RM.ledger_end({"openrouter": {"snapshot": "2027-02-01"}}) == "2027-02-01"
