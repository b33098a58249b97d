"""The advisor core: hand-computed values on toy data, invariants over every answer, monotonicity, personas,
'what would change it', and the downloads."""
from __future__ import annotations

import dataclasses
import importlib
import itertools
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openclosed import fmt
from openclosed import advisor as adv
from openclosed.advisor import model as adv_model
from openclosed import cost, risk, tables
from openclosed.cards import ChartCard

adv_recommend = importlib.import_module("openclosed.advisor.recommend")

TABLES = adv.TABLES


# --------------------------------------------------------------------------------------------------
# Fixtures
# --------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def real_tables() -> dict[str, pd.DataFrame]:
    return {n: tables.read(n) for n in TABLES}


@pytest.fixture(scope="module")
def data(real_tables) -> adv.Data:
    return adv.prepare(real_tables)


def _toy_tables(register: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Two open and two closed models with known scores and prices; one MLPerf row; one GPU price.

    open_a: AA index 50, coding 60, HLE 30, $0.10 in / $0.30 out  -> blended at 3:1 = $0.15/M
    open_b: AA index 40,                    $0.05 in / $0.10 out  -> $0.0875/M
    closed_c: AA index 60, coding 75, HLE 40, $2 in / $10 out     -> $4/M
    closed_d: AA index 45,                  $0.50 in / $1.50 out  -> $0.75/M
    """
    models = pd.DataFrame({"model_id": ["open_a", "open_b", "closed_c", "closed_d"],
                           "name": ["Open A", "Open B", "Closed C", "Closed D"],
                           "organization": ["O", "O", "C", "C"],
                           "openness": ["open_unrestricted", "open_restricted", "api", "api"]})
    rows = [("open_a", "aa_intelligence_index", 50), ("open_a", "aa_coding_index", 60), ("open_a", "aa_hle", 30),
            ("open_b", "aa_intelligence_index", 40),
            ("closed_c", "aa_intelligence_index", 60), ("closed_c", "aa_coding_index", 75), ("closed_c", "aa_hle", 40),
            ("closed_d", "aa_intelligence_index", 45)]
    scores = pd.DataFrame([{"model_id": m, "source": "artificial_analysis", "source_id": m, "metric": k, "value": v,
                            "date": "2026-01-01", "snapshot": "2026-07-31", "variant": ""} for m, k, v in rows])
    price = {"open_a": (0.10, 0.30), "open_b": (0.05, 0.10), "closed_c": (2.0, 10.0), "closed_d": (0.5, 1.5)}
    prices = pd.DataFrame([{"model_id": m, "source": "artificial_analysis", "source_id": m,
                            "price_kind": "aa_reference", "provider": "artificial_analysis", "input_usd_per_mtok": i,
                            "output_usd_per_mtok": o, "cache_read_usd_per_mtok": np.nan, "as_of": "2026-07-31"}
                           for m, (i, o) in price.items()])
    gpu_prices = pd.DataFrame([{"gpu": "B200", "gpu_type": "B200_180GB", "usd_per_gpu_hour_p10": 4.0,
                                "usd_per_gpu_hour_p25": 4.5, "usd_per_gpu_hour_median": 5.0,
                                "usd_per_gpu_hour_p75": 5.5, "usd_per_gpu_hour_p90": 6.0,
                                "first_date": "2025-10-19", "last_date": "2025-11-16"}])
    throughput = pd.DataFrame([{"model": "deepseek-r1", "model_name": "DeepSeek-R1", "params_b": 671.0,
                                "active_params_b": 37.0, "gpu": "B200", "scenario": "Server", "category": "closed",
                                "tokens_per_s_per_gpu": 2000.0, "n_gpus": 8, "submitter": "X", "id": "5.1-0001",
                                "precision": "fp4"}])
    speed = pd.DataFrame(columns=["model_id", "source_id", "median_output_tokens_per_second",
                                  "median_time_to_first_answer_token_seconds"])
    return {"models": models, "scores": scores, "prices": prices, "gpu_prices": gpu_prices,
            "throughput": throughput, "risk_register": register, "aa_speed": speed}


@pytest.fixture(scope="module")
def toy(real_tables) -> adv.Data:
    return adv.prepare(_toy_tables(real_tables["risk_register"]))


TWO = dict(workloads=("coding", "reasoning"), mix_coding=50, mix_reasoning=50)


# --------------------------------------------------------------------------------------------------
# Hand-computed values on the toy data
# --------------------------------------------------------------------------------------------------
def test_cost_rating_is_a_log_scale_above_a_negligible_floor():
    assert adv.cost_rating(500, 500) == 1.0
    assert adv.cost_rating(5_000, 500) == pytest.approx(0.5)       # ten times the cheapest: half the rating
    assert adv.cost_rating(50_000, 500) == pytest.approx(0.0)      # a hundred times: nothing
    assert adv.cost_rating(40, 2) == 1.0                           # both under $100: no difference
    assert adv.cost_rating(1_000, 2) == pytest.approx(0.5)         # $2 counts as $100
    assert adv.cost_rating(float("nan"), 2) == 0.0


def test_settings_mix_is_normalised_over_chosen_workloads():
    s = adv.Settings(workloads=("coding", "chat"), mix_coding=30, mix_chat=10, mix_reasoning=90)
    assert s.mix() == pytest.approx({"coding": 0.75, "chat": 0.25})
    assert adv.Settings(workloads=(), mix_chat=0).mix() == {"chat": 1.0}             # nothing chosen: chat
    assert adv.Settings(workloads=("coding", "chat"), mix_coding=0, mix_chat=0).mix() == {"coding": 0.5, "chat": 0.5}


def test_sanitize_falls_back_and_clamps():
    s = adv.Settings(who="martian", tokens=-5, ratio=float("nan"), level=900,
                     workloads=("coding", "bogus"), mix_coding=500, team="huge", audit=1).clean()
    d = adv.Settings()
    assert s.who == d.who and s.team == d.team and s.ratio == d.ratio
    assert s.tokens == adv.TOKEN_STEPS[0] and s.level == 100 and s.mix_coding == 100
    assert s.workloads == ("coding",) and s.audit is True


def test_picks_are_the_cheapest_meeting_the_need(toy):
    ev = adv.evaluate(toy, adv.Settings(quality="good_enough", level=45, **TWO))
    assert ev.picks["open"]["model_id"] == "open_a"            # open_b (40) falls short; open_a is the only one
    assert ev.picks["closed"]["model_id"] == "closed_d"        # $0.75 beats closed_c's $4
    assert ev.picks["open"]["meets"] and ev.picks["closed"]["meets"]
    frontier = adv.evaluate(toy, adv.Settings(quality="frontier", **TWO))
    assert frontier.target == 60
    assert frontier.picks["closed"]["model_id"] == "closed_c"
    assert frontier.picks["open"]["model_id"] == "open_a" and not frontier.picks["open"]["meets"]


def test_hybrid_split_and_quality_by_hand(toy):
    ev = adv.evaluate(toy, adv.Settings(quality="frontier", **TWO))
    wl = {r["workload"]: r for r in ev.workloads}
    # coding: need = 75 x 60/60 = 75; open shortfall 1 - 60/75 = 0.20; rating 1 - 0.20/0.25 = 0.2
    assert wl["coding"]["need"] == pytest.approx(75)
    assert wl["coding"]["open_shortfall"] == pytest.approx(0.20)
    assert wl["coding"]["q_open"] == pytest.approx(0.2)
    # reasoning (HLE): need 40; shortfall 1 - 30/40 = 0.25 -> rating 0
    assert wl["reasoning"]["open_shortfall"] == pytest.approx(0.25)
    assert wl["reasoning"]["q_open"] == pytest.approx(0.0)
    # the hybrid routes each workload's shortfall to the closed model: 0.5 x 0.20 + 0.5 x 0.25
    assert ev.closed_share == pytest.approx(0.225)
    assert ev.ratings[adv.HOSTED]["quality"] == pytest.approx(0.1)
    assert ev.ratings[adv.CLOSED]["quality"] == pytest.approx(1.0)
    assert ev.ratings[adv.HYBRID]["quality"] == pytest.approx(1.0)


def test_costs_come_from_the_cost_model(toy):
    s = adv.Settings(quality="frontier", tokens=1e9, ratio=3.0, **TWO)
    ev = adv.evaluate(toy, s)
    assert ev.costs[adv.CLOSED] == pytest.approx(4_000)                # 1,000 M tokens x $4
    assert ev.costs[adv.HOSTED] == pytest.approx(150)                  # 1,000 M tokens x $0.15
    # self-hosting: DeepSeek-R1 at fp4 (335.5 GB) + 9.2 GB KV cache needs 4 B200 (2 x 162 GB usable is too small);
    # MLPerf measured 8, so decode = 2000 x 50% derate x (78.125 / 120.0625 free GB per GPU); no GPU datasheet in the
    # toy tables, so no prefill rate. 1B tokens fit one replica: 4 GPUs at $5/h x 730 h = $14,600
    factor = ((4 * 162 - 335.5) / 4) / ((8 * 162 - 335.5) / 8)
    assert ev.self_host.min_gpus == 4 and ev.self_host.whole_gpus == 4
    assert ev.costs[adv.SELF] == pytest.approx(14_600)
    assert ev.self_host.sizing.throughput == pytest.approx(2000 * 0.5 * factor)
    assert ev.self_host.whole_monthly == pytest.approx(
        cost.self_host_monthly_cost(1e9, 1000.0 * factor, 5.0, 0.5, 4, 0.0, 0.75, step=4))
    assert (ev.cost_low[adv.SELF], ev.cost_high[adv.SELF]) == pytest.approx((4 * 4.0 * 730, 4 * 6.0 * 730))
    # hybrid on the hosted leg: 77.5% at $0.15/M plus 22.5% at $4/M
    hosted_leg = 0.775 * 150 + 0.225 * 4_000
    assert ev.leg in (adv.HOSTED, adv.SELF)
    if ev.leg == adv.HOSTED:
        assert ev.costs[adv.HYBRID] == pytest.approx(hosted_leg)


def test_self_host_adapter_matches_the_cost_model_at_whole_gpus(toy):
    share = cost.input_share_from_ratio(3.0)
    cap = cost.tokens_per_gpu_month(toy.sizing(1e9, 3.0, 0.0).throughput, toy.utilization, share)
    for k in (1, 2, 3):   # at k replicas' capacity (4 GPUs each): at most 4k whole GPUs (an 8-GPU replica, with
        sh = adv.self_host_cost(toy, 4 * k * cap, 3.0, 0.0)      # more KV memory per GPU, can do it with fewer)
        assert sh.monthly == pytest.approx(sh.whole_monthly) and sh.whole_gpus <= 4 * k
        assert sh.whole_gpus % sh.min_gpus == 0
    assert adv.self_host_cost(toy, 4 * cap, 3.0, 0.0).whole_gpus == 4
    mid = adv.self_host_cost(toy, 4.5 * cap, 3.0, 0.0)     # just over one replica of 4: 8 whole GPUs
    assert mid.whole_gpus == 8 and mid.monthly == pytest.approx(8 * 5.0 * cost.HOURS_PER_MONTH)


def test_weights_follow_the_rule_table():
    w, why = adv_model._weights(adv.Settings(who="enterprise", sensitivity="regulated", locality="residency",
                                       audit=True, finetune=True, ttm="asap", risk_tolerance="low"))
    base = adv.BASE_WEIGHTS["enterprise"]
    assert w["data_control"] == pytest.approx(base["data_control"] * 3 * 1.5)
    assert w["control"] == pytest.approx(base["control"] * 4)
    assert w["speed"] == pytest.approx(base["speed"] * 2)
    assert w["risk"] == pytest.approx(base["risk"] * 2)
    assert len(why["control"]) == 2 and "audit" in why["control"][0]


def test_on_prem_rules_out_every_outside_api(data):
    ev = adv.evaluate(data, adv.Settings(locality="on_prem"))
    assert set(ev.excluded) >= {adv.CLOSED, adv.HOSTED, adv.HYBRID}
    assert ev.top == adv.SELF
    assert ev.ranking[-3:] == [o for o in ev.ranking if o in ev.excluded]


def test_score_is_the_sum_of_contributions(data):
    rec = adv.recommend(data, adv.Settings())
    by = rec.contributions.groupby("option")["points"].sum()
    for o in adv.OPTIONS:
        assert by[o] == pytest.approx(rec.ev.scores[o])
        w = rec.ev.weights
        expected = 100 * sum(w[c] * rec.ev.ratings[o][c] for c in adv.CRITERION_KEYS) / sum(w.values())
        assert rec.ev.scores[o] == pytest.approx(expected)


def test_risk_criterion_reuses_the_risk_model(data):
    ev = adv.evaluate(data, adv.Settings(who="regulated", team="none"))
    sc = risk.option_scores(data.register, data.risk_weights(), risk.Context(regulated=True, ml_team=False))
    sc = sc.set_index("option")["score"]
    for o, ro in adv.RISK_OPTION.items():
        assert ev.risk[o]["score"] == pytest.approx(sc[ro])
        assert ev.ratings[o]["risk"] == pytest.approx(1 - sc[ro] / data.risk_ref)


# --------------------------------------------------------------------------------------------------
# Every combination of answers
# --------------------------------------------------------------------------------------------------
answers = st.builds(
    adv.Settings,
    who=st.sampled_from(list(adv.WHO)),
    workloads=st.lists(st.sampled_from(list(adv.WORKLOADS)), max_size=7, unique=True).map(tuple),
    mix_coding=st.integers(0, 100), mix_reasoning=st.integers(0, 100), mix_multilingual=st.integers(0, 100),
    mix_multimodal=st.integers(0, 100), mix_agentic=st.integers(0, 100), mix_chat=st.integers(0, 100),
    mix_documents=st.integers(0, 100),
    tokens=st.sampled_from(adv.TOKEN_STEPS), ratio=st.sampled_from(adv.RATIO_STEPS),
    sensitivity=st.sampled_from(list(adv.SENSITIVITY)), locality=st.sampled_from(list(adv.LOCALITY)),
    audit=st.booleans(), team=st.sampled_from(list(adv.TEAM)), gpus=st.sampled_from(list(adv.GPUS)),
    quality=st.sampled_from(list(adv.QUALITY)), level=st.integers(10, 60).map(float),
    latency=st.sampled_from(list(adv.LATENCY)), finetune=st.booleans(), ttm=st.sampled_from(list(adv.TTM)),
    risk_tolerance=st.sampled_from(list(adv.RISK_TOLERANCE)),
)


def _check_complete(ev: adv.Evaluation) -> None:
    assert sorted(ev.ranking) == sorted(adv.OPTIONS)
    for o in adv.OPTIONS:
        assert math.isfinite(ev.scores[o]) and 0 <= ev.scores[o] <= 100
        assert math.isfinite(ev.costs[o]) and ev.costs[o] >= 0
        for c in adv.CRITERION_KEYS:
            assert 0.0 <= ev.ratings[o][c] <= 1.0
    assert 0.0 <= ev.closed_share <= 1.0
    routed = sum(r["share"] * r["routed_closed"] for r in ev.workloads)
    assert routed == pytest.approx(ev.closed_share)
    assert sum(r["share"] for r in ev.workloads) == pytest.approx(1.0)
    for r in ev.workloads:
        assert 0.0 <= r["routed_closed"] <= 1.0
    assert ev.top not in ev.excluded


def test_a_sample_of_every_combination_of_the_choice_answers(data):
    """A fixed random sample (1,500) of the 58,320 combinations of choice answers at the default workloads and
    volume (the whole grid took a minute; hypothesis covers the rest of the answer space)."""
    fields = ["who", "sensitivity", "locality", "team", "gpus", "quality", "latency", "ttm", "risk_tolerance"]
    grid = list(itertools.product(*[list(adv.CHOICES[f]) for f in fields], (False, True), (False, True)))
    assert len(grid) == 5 * 4 * 3 * 3 * 3 * 2 * 3 * 3 * 3 * 4
    rng = np.random.default_rng(14)
    for i in rng.choice(len(grid), 1500, replace=False):
        *values, audit, finetune = grid[i]
        s = dataclasses.replace(adv.Settings(), **dict(zip(fields, values)), audit=audit, finetune=finetune)
        _check_complete(adv.evaluate(data, s))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(s=answers)
def test_any_answers_give_a_complete_explained_recommendation(data, s):
    ev = adv.evaluate(data, s)
    _check_complete(ev)
    dr = adv.drivers(ev)
    assert 3 <= len(dr) <= 5 or (dr["kind"] == "tie").any()          # three to five reasons
    assert all(isinstance(x, str) and len(x) > 20 for x in dr["sentence"])
    assert adv.headline(ev)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(s=answers)
def test_full_recommendation_for_any_answers(data, s):
    rec = adv.recommend(data, s)
    assert 3 <= len(rec.drivers) <= 5 and rec.headline
    assert abs(rec.routing["to_open"] + rec.routing["to_closed"] - 1).max() < 1e-9      # split sums to 100%
    assert rec.routing.iloc[-1]["to_closed"] == pytest.approx(rec.ev.closed_share)
    assert np.isfinite(rec.ranking["score"]).all() and len(rec.ranking) == 4
    assert len(rec.candidates) >= 2 and set(rec.candidates["side"]) == {"Open weights", "Closed"}
    assert len(rec.risks) >= 1 and rec.risks["mitigation"].str.len().gt(0).all()
    for c in rec.changes:        # every listed change really changes the top option
        ev2 = adv.evaluate(data, dataclasses.replace(rec.settings, **dict(c.apply)))
        assert ev2.top == c.new_top != rec.top


# --------------------------------------------------------------------------------------------------
# Monotonicity
# --------------------------------------------------------------------------------------------------
def _rank(ev, o) -> int:
    return ev.ranking.index(o)


def _raw(ev, o) -> float:
    """Option o's weighted sum before the score is divided by the total weight (which every option shares)."""
    return sum(ev.weights[c] * ev.ratings[o][c] for c in adv.CRITERION_KEYS)


def _gap(ev, o) -> float:
    """Option o's weighted sum minus the best other option's."""
    return _raw(ev, o) - max(_raw(ev, x) for x in adv.OPTIONS if x != o)


SENSITIVITY_UPS = [("sensitivity", a, b) for a, b in itertools.pairwise(adv.SENSITIVITY)] + \
                  [("locality", a, b) for a, b in itertools.pairwise(adv.LOCALITY)] + [("audit", False, True)]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(s=answers, step=st.sampled_from(SENSITIVITY_UPS))
def test_raising_data_sensitivity_never_raises_the_closed_api(data, s, step):
    """More sensitive data (or a residency / on-prem requirement, or a duty to audit) only adds weight to criteria
    on which the closed API rates lowest, or rules it out, so it can never climb."""
    field, low, high = step
    before = adv.evaluate(data, dataclasses.replace(s, **{field: low}))
    after = adv.evaluate(data, dataclasses.replace(s, **{field: high}))
    assert _rank(after, adv.CLOSED) >= _rank(before, adv.CLOSED)
    for o in adv.OPTIONS:
        if o != adv.CLOSED:
            assert _raw(after, adv.CLOSED) - _raw(after, o) <= _raw(before, adv.CLOSED) - _raw(before, o) + 1e-9


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(s=answers, i=st.integers(0, len(adv.TOKEN_STEPS) - 2), j=st.integers(1, 6))
def test_raising_volume_never_makes_self_hosting_relatively_more_expensive(data, s, i, j):
    lo = dataclasses.replace(s, tokens=adv.TOKEN_STEPS[i])
    hi = dataclasses.replace(s, tokens=adv.TOKEN_STEPS[min(i + j, len(adv.TOKEN_STEPS) - 1)])
    a, b = adv.evaluate(data, lo), adv.evaluate(data, hi)
    # GPUs are rented in whole replicas, so self-hosting's bill steps up: it never falls as volume rises, and
    # relative to each API it rises by at most one replica's rent. With n1 replicas carrying V1, V2 needs at most
    # ceil(V2 / V1 x n1) <= V2 / V1 x n1 + 1 replicas of the same setup, so S(V2) <= V2 / V1 x S(V1) + R, while
    # the API bill scales by V2 / V1.
    assert b.costs[adv.SELF] >= a.costs[adv.SELF] - 1e-6
    z = a.self_host.sizing
    rent = z.weight_gpus * z.gpu_usd * cost.HOURS_PER_MONTH
    for api in (adv.CLOSED, adv.HOSTED):
        if b.costs[api] > 0 and a.costs[api] > 0:
            assert b.costs[adv.SELF] / b.costs[api] <= (a.costs[adv.SELF] / a.costs[api] + rent / b.costs[api]) \
                * (1 + 1e-9)


def test_self_hosting_cost_per_token_never_rises_with_volume(data):
    per = [adv.self_host_cost(data, v, 3.0, 40.0).monthly / v for v in adv.TOKEN_STEPS]
    assert all(b <= a * (1 + 1e-12) for a, b in itertools.pairwise(per))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(s=answers, team=st.sampled_from(["some", "strong"]))
def test_no_infra_team_never_raises_self_hosting(data, s, team):
    with_team = adv.evaluate(data, dataclasses.replace(s, team=team))
    without = adv.evaluate(data, dataclasses.replace(s, team="none"))
    assert _rank(without, adv.SELF) >= _rank(with_team, adv.SELF)
    assert _gap(without, adv.SELF) <= _gap(with_team, adv.SELF) + 1e-9
    assert without.ratings[adv.SELF]["team_fit"] == 0.0


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(s=answers)
def test_avoiding_gpus_never_raises_self_hosting(data, s):
    keen = adv.evaluate(data, dataclasses.replace(s, gpus="keen"))
    avoid = adv.evaluate(data, dataclasses.replace(s, gpus="avoid"))
    assert _rank(avoid, adv.SELF) >= _rank(keen, adv.SELF)
    assert _gap(avoid, adv.SELF) <= _gap(keen, adv.SELF) + 1e-9


# --------------------------------------------------------------------------------------------------
# Personas: what each should be told, and why
# --------------------------------------------------------------------------------------------------
def test_startup_gets_open_weights(data):
    """A cost-sensitive startup at 5B tokens a month with a good-enough need: the cheapest open model that meets
    the need costs a fraction of the cheapest closed one, and cost weighs most, so open weights come first."""
    rec = adv.recommend(data, adv.PERSONAS["startup"].settings)
    assert rec.top in (adv.HOSTED, adv.SELF)
    assert rec.ev.costs[adv.HOSTED] < rec.ev.costs[adv.CLOSED] / 2
    assert rec.drivers.iloc[0]["criterion"] == "cost"


def test_high_stakes_enterprise_gets_hybrid_or_closed(data):
    """Frontier quality is required and the best priced model is closed: open weights alone fall short, so the
    closed API or a hybrid that routes the hardest share to it wins."""
    rec = adv.recommend(data, adv.PERSONAS["enterprise"].settings)
    assert rec.top in (adv.HYBRID, adv.CLOSED)
    assert not rec.ev.picks["open"]["meets"] and rec.ev.picks["closed"]["meets"]
    assert rec.ev.ratings[rec.top]["quality"] > rec.ev.ratings[adv.HOSTED]["quality"]
    assert rec.ev.closed_share > 0          # a hybrid would route a real share to the closed model


def test_privacy_lab_gets_open_weights(data):
    """Health data that must stay on site, audits and fine-tuning: only open weights on the lab's own GPUs allow it;
    even without the on-prem rule, data control keeps it on open weights."""
    p = adv.PERSONAS["lab"]
    rec = adv.recommend(data, p.settings)
    assert rec.top == adv.SELF
    assert adv.CLOSED in rec.ev.excluded
    assert rec.drivers.iloc[0]["criterion"] in ("rule", "data_control")
    relaxed = adv.evaluate(data, dataclasses.replace(p.settings, locality="residency"))
    assert relaxed.top in (adv.SELF, adv.HOSTED)


def test_weekend_prototype_gets_a_closed_api(data):
    """Ten million tokens cost a few dollars either way (negligible), there is no team and it must ship in days:
    the simplest, quickest path is a closed API."""
    rec = adv.recommend(data, adv.PERSONAS["prototype"].settings)
    assert rec.top == adv.CLOSED
    assert rec.ev.ratings[adv.CLOSED]["cost"] == rec.ev.ratings[adv.HOSTED]["cost"] == 1.0
    assert set(rec.drivers["criterion"][:2]) <= {"speed", "team_fit"}


def test_regulated_bank_keeps_data_in(data):
    """Regulated data kept in region, an audit duty and low risk tolerance: self-hosted open weights (or a hybrid
    that keeps most traffic in) come first, because data control dominates the weights."""
    rec = adv.recommend(data, adv.PERSONAS["bank"].settings)
    assert rec.top in adv.PERSONAS["bank"].expect
    assert rec.drivers.iloc[0]["criterion"] == "data_control"


@pytest.mark.parametrize("key", list(adv.PERSONAS))
def test_every_persona_meets_its_expectation(data, key):
    p = adv.PERSONAS[key]
    assert adv.evaluate(data, p.settings).top in p.expect, p.reasoning


# --------------------------------------------------------------------------------------------------
# Why and what would change it
# --------------------------------------------------------------------------------------------------
def test_why_sentences_quote_the_numbers_shown(data):
    rec = adv.recommend(data, adv.PERSONAS["startup"].settings)
    cost_row = rec.drivers[rec.drivers["criterion"] == "cost"].iloc[0]
    assert fmt.usd(rec.ev.costs[adv.HOSTED]) in cost_row["sentence"]
    assert fmt.usd(rec.ev.costs[cost_row["versus"]]) in cost_row["sentence"]
    for r in rec.drivers.itertuples():
        if r.kind.startswith("ahead"):
            pts = rec.ev.points[rec.top][r.criterion] - rec.ev.points[r.versus][r.criterion]
            assert f"+{pts:.1f} points" in r.sentence


def test_smallest_change_changes_the_answer_and_volume_threshold_is_bracketed(data):
    s = adv.PERSONAS["startup"].settings
    rec = adv.recommend(data, s)
    assert rec.changes, "the startup's recommendation should be changeable by one answer"
    sizes = [c.size for c in rec.changes]
    assert sizes == sorted(sizes)
    vol = [c for c in rec.changes if c.field == "tokens"]
    assert vol, "some volume should flip the startup's recommendation"
    c = vol[0]
    assert c.threshold is not None
    below = c.threshold * (0.97 if c.value > s.tokens else 1.03)
    beyond = c.threshold * (1.03 if c.value > s.tokens else 0.97)
    assert adv.evaluate(data, dataclasses.replace(s, tokens=beyond)).top == c.new_top
    assert adv.evaluate(data, dataclasses.replace(s, tokens=below)).top == rec.top
    assert fmt.tokens(float(f"{c.threshold:.2g}")) in c.text


def test_no_change_is_reported_when_nothing_flips(data):
    rec = adv.recommend(data, adv.PERSONAS["lab"].settings)
    for c in rec.changes:
        assert adv.evaluate(data, dataclasses.replace(rec.settings, **dict(c.apply))).top != rec.top


# --------------------------------------------------------------------------------------------------
# Candidates, risks, cards, downloads
# --------------------------------------------------------------------------------------------------
def test_candidates_meet_the_need_and_the_pick_is_first(data):
    rec = adv.recommend(data, adv.Settings(level=45))
    for side, pick in (("Open weights", rec.ev.picks["open"]), ("Closed", rec.ev.picks["closed"])):
        rows = rec.candidates[rec.candidates["side"] == side]
        assert rows.iloc[0]["model"] == pick["name"] and rows.iloc[0]["used_for_costs"]
        assert (rows["meets_need"] == (rows["aa_index"] >= 45)).all()
        assert rows["meets_need"].is_monotonic_decreasing          # those that meet it first, near misses after
        assert rows["meets_need"].sum() == min(len(rows), int(((data.pc(3.0)["score"] >= 45)
                                                                & (data.pc(3.0)["open"] == (side != "Closed"))).sum()))
        assert (rows["workload_fit_pct"].between(0, 100.0001)).all()
    share = cost.input_share_from_ratio(rec.settings.ratio)
    r = rec.candidates.iloc[0]
    assert r["monthly_usd"] == pytest.approx(cost.monthly_cost_api(rec.settings.tokens, share,
                                                                   r["input_usd_per_mtok"], r["output_usd_per_mtok"]))


def test_top_risks_come_from_the_register_with_mitigations(data):
    rec = adv.recommend(data, adv.PERSONAS["prototype"].settings)
    ctx = adv.risk_context(rec.settings)
    expected = risk.mitigations(data.register, risk.CLOSED_API, None, ctx, n=3)
    assert list(rec.risks["risk_id"]) == list(expected["risk_id"])
    hyb = adv.recommend(data, adv.Settings(quality="frontier", who="enterprise", team="strong", gpus="keen",
                                           tokens=5e9))
    if hyb.top == adv.HYBRID:
        assert set(hyb.risks["option"]) == {adv.OPTION_LABELS[hyb.ev.leg], adv.OPTION_LABELS[adv.CLOSED]}


def test_cards_follow_the_section_contract(real_tables):
    cs = adv.cards(real_tables, adv.Settings())
    assert list(cs) == [c.key for c in cs.values()] == ["advisor_scores", "advisor_costs", "advisor_routing"]
    for c in cs.values():
        assert isinstance(c, ChartCard) and c.title and c.alt and len(c.data) > 0
        c.chart.to_dict()
    rec = adv.recommend(real_tables, adv.Settings())
    assert cs["advisor_scores"].title.startswith(adv.OPTION_LABELS[rec.top])
    assert f"{rec.ev.scores[rec.top]:.0f} of 100" in cs["advisor_scores"].title
    # the rows each chart draws
    assert len(cs["advisor_scores"].data) == 4 * len(adv.CRITERION_KEYS)


def test_downloads_hold_answers_recommendation_numbers_and_dates(data):
    rec = adv.recommend(data, adv.PERSONAS["enterprise"].settings)
    md = adv.to_markdown(rec, "http://x/advisor?adv_who=Enterprise")
    for text in (rec.headline, adv.WHO["enterprise"], "Frontier", fmt.usd(rec.ev.costs[rec.top]),
                 rec.as_of["AA scores and prices"], "http://x/advisor?adv_who=Enterprise", "## Why",
                 "## What would change it", rec.drivers.iloc[0]["sentence"]):
        assert text in md, text
    html = adv.to_html(rec)
    assert html.startswith("<!doctype html>") and html.endswith("</html>")
    assert html.count("<table>") == html.count("</table>") >= 4
    assert adv.WHO["enterprise"] in html and "<script" not in html


def test_decision_tables_document_every_weight_and_rule():
    assert len(adv.criteria_table()) == len(adv.CRITERIA)
    assert len(adv.weights_table()) == len(adv.WHO)
    assert len(adv.rules_table()) == len(adv.WEIGHT_RULES) + len(adv.HARD_RULES)
    assert adv.ratings_table()["why"].str.len().gt(10).all()


def test_level_summary_counts_models(data):
    text = adv.level_summary(data, 3.0, 40)
    pc = data.pc(3.0)
    n_open = int(((pc["score"] >= 40) & pc["open"]).sum())
    assert f"{n_open} open-weight" in text


# --------------------------------------------------------------------------------------------------
# Self-hosting sized to the reader: size class from the quality bar, GPUs from the volume
# --------------------------------------------------------------------------------------------------
def test_parameter_counts_from_names_and_epoch():
    for name, want in (("Qwen3.6 27B", 27.0), ("Qwen3.5 35B A3B", 35.0), ("gpt-oss-120b", 120.0),
                       ("Ring-2.6-1T", 1000.0), ("Qwen3-235B-A22B", 235.0), ("Llama 3.1-405B", 405.0),
                       ("Kimi K2", None), ("Mixtral 8x7B", None), ("Qwen3.5 4B", 4.0), ("GPT-4 Turbo", None)):
        assert cost.params_from_name(name) == want, name
    models = pd.DataFrame({"model_id": ["oss", "kimi", "q"], "name": ["gpt-oss-120b", "Kimi K2", "Qwen3.6 27B"],
                           "id_epoch_models": ["gpt-oss-120b", "Kimi K2", ""]})
    epoch = pd.DataFrame({"model": ["gpt-oss-120b", "Kimi K2"], "parameters": [116.83e9, 1e12]})
    z = cost.model_sizes(models, epoch).set_index("model_id")
    assert z.loc["oss", "params_b"] == pytest.approx(116.83) and z.loc["oss", "size_source"] == "Epoch"
    assert z.loc["kimi", "params_b"] == 1000.0 and z.loc["q", "size_source"] == "its name"


def test_size_class_is_the_smallest_open_model_reaching_the_bar():
    pc = pd.DataFrame({"model_id": ["a", "b", "c", "d", "e"], "name": ["A", "B 27B", "C", "D 4B", "E 8B"],
                       "open": [True, True, True, True, False], "score": [50.0, 40.0, 40.0, 20.0, 60.0]})
    sizes = pd.DataFrame({"model_id": ["b", "c", "d", "e"], "params_b": [27.0, 235.0, 4.0, 8.0],
                          "size_source": ["its name", "Epoch", "its name", "its name"]})
    assert cost.size_class(pc, sizes, 40).params_b == 27.0 and cost.size_class(pc, sizes, 40).model == "B 27B"
    assert cost.size_class(pc, sizes, 10).params_b == 4.0
    assert cost.size_class(pc, sizes, 45).params_b is None        # only A (size unknown); closed E never counts


SH = pd.DataFrame([
    {"model": "small", "model_name": "Small", "params_b": 8.0, "active_params_b": 8.0, "gpu": "G1",
     "scenario": "Server", "tokens_per_s_per_gpu": 4000.0, "precision": "fp8", "memory_gb": 200.0},
    {"model": "small", "model_name": "Small", "params_b": 8.0, "active_params_b": 8.0, "gpu": "G2",
     "scenario": "Server", "tokens_per_s_per_gpu": 1000.0, "precision": "fp8", "memory_gb": 80.0},
    {"model": "mid", "model_name": "Mid", "params_b": 70.0, "active_params_b": 70.0, "gpu": "G2",
     "scenario": "Server", "tokens_per_s_per_gpu": 500.0, "precision": "fp8", "memory_gb": 80.0},
    {"model": "big", "model_name": "Big", "params_b": 600.0, "active_params_b": 40.0, "gpu": "G1",
     "scenario": "Server", "tokens_per_s_per_gpu": 1000.0, "precision": "fp8", "memory_gb": 200.0}])
GP = pd.DataFrame({"gpu": ["G1", "G2"], "usd_per_gpu_hour_median": [4.0, 1.0]})


def _size(tokens, need_b, **kw):
    need = cost.SizeClass(40.0, need_b, "Open X", 41.0, "its name")
    return cost.size_self_host(SH, GP, tokens, 0.0, need, derate=1.0, utilization=1.0, **kw)


def test_sizing_rule_by_hand():
    """Output-only traffic (ratio 0), derate 1, utilization 1: a GPU at r tokens/s carries r x 2,628,000 tokens a
    month. G1 (200 GB, 180 usable) rents at $4/h ($2,920 a month), G2 (80 GB, 72 usable) at $1/h ($730). The toy
    models have no stated architecture, so their KV cache (32 x 4,096 tokens) is a dense Llama's as large: 8B ->
    17.18 GB, 70B -> 42.95 GB, 600B -> 67.6 GB (serving.kv_bytes_per_token)."""
    # a 27B bar: candidates 'mid' (70B) and 'big' (600B). mid: 70 + 42.95 GB needs 2 G2s (1 x 72 is too small);
    # big: 600 + 67.6 GB needs 4 G1s (4 x 180 = 720). 1B tokens: mid on 2 G2 = $1,460; big 4 G1 = $11,680
    z = _size(1e9, 27.0)
    assert (z.model, z.gpu, z.gpus, z.weight_gpus, z.basis, z.covers) == ("mid", "G2", 2, 2, "size", True)
    assert z.monthly_usd == pytest.approx(1460.0)
    cap = 500 * 2_628_000                                  # tokens per G2-month for mid
    assert z.busy_share == pytest.approx(1e9 / (2 * cap)) and z.idle_usd == pytest.approx(1460 * (1 - 1e9 / (2 * cap)))
    # 20B tokens: mid needs ceil(20 / 1.314) = 16 G2s (8 replicas of 2) = $11,680; big ceil(20 / 2.628) = 8 G1s
    # (2 replicas of 4) = $23,360
    z = _size(2e10, 27.0)
    assert (z.model, z.gpu, z.gpus) == ("mid", "G2", 16) and z.monthly_usd == pytest.approx(11_680.0)
    # a 4B bar lets 'small' in: 8 + 17.18 GB fit one G2: $730, cheaper than mid's two
    assert (_size(1e9, 4.0).model, _size(1e9, 4.0).gpu, _size(1e9, 4.0).gpus) == ("small", "G2", 1)
    # ... at 20B: 2 G1s (10.512B each) = $5,840 = 8 G2s; the tie goes to the first GPU name
    z = _size(2e10, 4.0)
    assert (z.model, z.gpu, z.gpus) == ("small", "G1", 2) and z.monthly_usd == pytest.approx(5_840.0)


def test_sizing_rents_whole_gpus():
    # 20B tokens on mid/G2: 15.22 GPUs of work is 16 whole GPUs (8 replicas of 2), paid for the month
    z = _size(2e10, 27.0)
    assert z.gpus_avg == z.gpus == 16 and z.monthly_usd == pytest.approx(16 * 730.0)
    assert z.busy_share == pytest.approx(2e10 / (16 * 500 * 2_628_000))
    # 50M tokens: one replica of 2 stays on, busy 50M / 2.628B of the time; the rest is idle and paid for
    z = _size(5e7, 27.0)
    assert z.gpus == 2 and z.monthly_usd == pytest.approx(1460.0)
    assert z.idle_share == pytest.approx(1 - 5e7 / (2 * 500 * 2_628_000))


def test_sizing_the_picked_model_by_its_own_parameters():
    """The reader's open model (284B MoE, 13B active) is sized by its own counts; the measured MoE nearest in active
    parameters ('big', 40B active) lends its throughput, never scaled up (40 / 13 > 1 -> x1)."""
    picked = {"model_id": "v4", "name": "Open V4", "params_b": 284.0, "active_params_b": 13.0, "size_source": "Epoch"}
    need = cost.SizeClass(40.0, 27.0, "Open X", 41.0, "its name")
    z = cost.size_self_host(SH, GP, 1e9, 0.0, need, derate=1.0, utilization=1.0, picked=picked)
    # 284 GB at fp8 + 67.6 GB KV (dense estimate for a model of that size) = 351.6 GB: 2 G1s (360 usable)
    assert (z.basis, z.gpu, z.weight_gpus, z.gpus) == ("picked", "G1", 2, 2)
    assert z.label == "Open V4 (284B MoE, 13B active)" and z.params_b == 284.0
    assert z.stand_in.startswith("Big") and z.estimate
    assert z.throughput == pytest.approx(1000.0)
    # a smaller active count on the stand-in scales the throughput down: 8B dense 'small' for a 16B dense model
    dense = {"model_id": "d", "name": "Dense 16B", "params_b": 16.0, "active_params_b": 16.0, "size_source": "x"}
    z = cost.size_self_host(SH, GP, 1e9, 0.0, need, derate=1.0, utilization=1.0, picked=dense)
    assert z.stand_in.startswith("Small") and z.label == "Dense 16B (16B dense)"
    assert z.throughput == pytest.approx({"G1": 4000.0, "G2": 1000.0}[z.gpu] * 8 / 16)


def test_sizing_stand_ins_and_overrides_say_so():
    z = _size(5e7, 1000.0)                                   # the bar needs more than any measured model
    assert (z.model, z.basis, z.covers) == ("big", "bigger", False) and "stands in" in z.why
    z = _size(5e7, None)                                     # no model reaching the bar has a known size
    assert (z.model, z.basis) == ("big", "unknown") and "stands in" in z.why
    z = _size(5e7, 27.0, model="small")                      # the reader's choice, smaller than the bar asks
    assert (z.model, z.basis) == ("small", "chosen") and "understate" in z.why
    z = _size(5e7, 27.0, model="big", gpu="G2")              # a GPU MLPerf never measured with that model
    assert z.gpu == "G1" and "no result" in z.why
    assert _size(5e7, 4.0, gpu="G1").gpu == "G1"


READERS = {**{k: p.settings for k, p in adv.PERSONAS.items()},
           "individual_50M": dataclasses.replace(adv.PERSONAS["prototype"].settings, tokens=5e7),
           "bank_20B": dataclasses.replace(adv.PERSONAS["bank"].settings, tokens=2e10)}


@pytest.fixture(scope="module")
def reader_recs(data):
    return {k: adv.recommend(data, s) for k, s in READERS.items()}


@pytest.mark.parametrize("key", list(READERS))
def test_each_reader_gets_hardware_that_fits_its_volume(data, reader_recs, key):
    rec = reader_recs[key]
    z = rec.ev.self_host.sizing
    share = cost.input_share_from_ratio(rec.settings.ratio)
    cap = cost.tokens_per_gpu_month(z.throughput, data.utilization, share)
    # as many whole replicas as the volume needs, never fewer GPUs than hold the weights and KV cache
    need = max(z.weight_gpus, math.ceil(rec.settings.tokens / cap * (1 - 1e-12)))
    assert z.gpus == math.ceil(need / z.weight_gpus) * z.weight_gpus and z.gpus % z.weight_gpus == 0
    assert z.gpus_avg == z.gpus
    assert rec.ev.costs[adv.SELF] == pytest.approx(z.gpus * z.gpu_usd * cost.HOURS_PER_MONTH)
    # the model costed is the model picked, when data/ has its parameter count
    if z.basis == "picked":
        assert z.label.startswith(rec.ev.picks["open"]["name"])
    note = adv_recommend.self_host_note(rec.ev)
    assert adv_recommend.setup_text(z) in note and z.why in note
    assert (z.basis in ("bigger", "unknown")) == ("floor" in note)
    for c in rec.changes:                                      # only changes the reader controls
        assert c.field in adv.LEVERS and c.field not in ("who", "workloads", "ratio")
    assert rec.sentence.count(". ") == 0 and rec.sentence.endswith(".")   # one sentence
    assert adv.OPTION_LABELS[rec.top] in rec.sentence
    assert set(rec.ruled_out["option"]) == set(rec.ev.excluded)
    assert rec.ruled_out["rule"].str.len().gt(0).all() and rec.ruled_out["why"].str.len().gt(0).all()
    assert not set(rec.ruled_out["option"]) & set(rec.ranking.loc[rec.ranking["ruled_out"] == "", "option"])


def test_the_individuals_setup_is_smaller_than_the_banks(reader_recs):
    zi = reader_recs["individual_50M"].ev.self_host.sizing
    zb = reader_recs["bank_20B"].ev.self_host.sizing
    assert zi.gpus == zi.weight_gpus                           # a trickle needs only one replica
    assert zi.busy_share < zb.busy_share
    if zi.basis == zb.basis:                                   # sized the same way (both picked, or both by size)
        assert zi.gpus <= zb.gpus and zi.monthly_usd <= zb.monthly_usd
    assert zi.busy_share < 0.01 and zi.idle_usd > 0.99 * zi.monthly_usd
    assert fmt.share(zi.idle_share, 1) in adv_recommend.idle_text(zi, 5e7)
    assert adv_recommend.idle_text(zi, 5e7) in adv_recommend.self_host_note(reader_recs["individual_50M"].ev)
    # a lower quality bar: a smaller size class and cheaper hardware than the 45-point bank
    lab = reader_recs["lab"].ev.self_host.sizing
    assert lab.basis in ("size", "picked") and lab.params_b <= zb.params_b and lab.monthly_usd <= zb.monthly_usd


def test_frontier_startup_sentence_says_why_self_hosting_wins(data):
    """At frontier quality the best open model is dear through hosts, so the fixed GPU bill wins on cost; the
    sentence gives all three bills and says the GPUs are a floor when a stand-in sizes them."""
    ev = adv.evaluate(data, dataclasses.replace(adv.PERSONAS["startup"].settings, quality="frontier"))
    text = adv.one_sentence(ev)
    if ev.top == adv.SELF:
        for o in (adv.SELF, adv.HOSTED, adv.CLOSED):
            assert fmt.usd(ev.costs[o]) in text
        assert ("floor" in text) == (ev.self_host.sizing.basis in ("bigger", "unknown"))


# --------------------------------------------------------------------------------------------------
# Ties and "what would change it"
# --------------------------------------------------------------------------------------------------
def _hand_eval(toy, ratings: dict) -> "adv.Evaluation":
    """The toy evaluation with hand ratings (every weight 1, nothing ruled out)."""
    ev = adv.evaluate(toy, adv.Settings(**TWO))
    keys = adv.CRITERION_KEYS
    full = {o: {c: ratings.get(o, {}).get(c, 0.0) for c in keys} for o in adv.OPTIONS}
    weights = {c: 1.0 for c in keys}
    points = {o: {c: 100.0 * full[o][c] / len(keys) for c in keys} for o in adv.OPTIONS}
    scores = {o: sum(points[o].values()) for o in adv.OPTIONS}
    ranking = sorted(adv.OPTIONS, key=lambda o: (-round(scores[o], 9), adv.OPTIONS.index(o)))
    return dataclasses.replace(ev, ratings=full, weights=weights, points=points, scores=scores, ranking=ranking,
                               excluded={})


def test_tie_rule_by_hand(toy):
    # A (closed) rates 1 on cost, B (hosted) 0.9 on quality, everything else 0: 12.5 vs 11.25 points. With weights
    # drawn within +-50%, B leads whenever w_quality x 0.9 > w_cost, which happens in a large share of draws: tied,
    # and cost (A's only edge, 12.5 points) decides it. C (self-hosted) rates 0 everywhere: never tied.
    ev = _hand_eval(toy, {adv.CLOSED: {"cost": 1.0}, adv.HOSTED: {"quality": 0.9}})
    assert ev.top == adv.CLOSED and ev.scores[adv.CLOSED] - ev.scores[adv.HOSTED] == pytest.approx(1.25)
    t = {x.option: x for x in adv.ties(ev)}
    assert set(t) == {adv.HOSTED}
    assert t[adv.HOSTED].deciding == "cost" and t[adv.HOSTED].lead == pytest.approx(1.25)
    assert 0.2 < t[adv.HOSTED].share_first < 0.6 and t[adv.HOSTED].sensitivity > 1.25
    assert "tied" in adv.headline(ev) and "cost decides it" in adv.headline(ev)
    assert "What decides it is cost" in adv.tie_text(ev, t[adv.HOSTED])
    # a smaller lead that no weight within range can reverse is not a tie: B rates 0.95 on cost, A 1.0
    ev = _hand_eval(toy, {adv.CLOSED: {"cost": 1.0}, adv.HOSTED: {"cost": 0.95}})
    assert ev.scores[adv.CLOSED] - ev.scores[adv.HOSTED] == pytest.approx(0.625)
    assert adv.ties(ev) == [] and "tied" not in adv.headline(ev)


def test_changes_never_win_by_ruling_the_recommendation_out(data):
    """A change that only rules the recommended option out (on-premises for a closed-API reader) is not listed:
    the option left first is not a better fit."""
    for key in ("prototype", "startup", "enterprise"):
        s = adv.PERSONAS[key].settings
        rec = adv.recommend(data, s)
        for c in rec.changes:
            ev2 = adv.evaluate(data, dataclasses.replace(s, **dict(c.apply)))
            assert rec.top not in ev2.excluded and ev2.top not in ev2.excluded, (key, c.text)
            assert ev2.scores[ev2.top] >= ev2.scores[rec.top]
            assert f"for {adv.OPTION_THE[rec.top]})" in c.text or c.field == "tokens"


def test_advisor_open_matches_use_the_cost_function(data):
    """The advisor lists the open models tied with its closed pick with the Cost page's function and numbers."""
    s = adv.PERSONAS["startup"].settings
    rec = adv.recommend(data, s)
    closed = rec.ev.picks["closed"]
    want = cost.match.open_matches(data.tables, closed["model_id"], adv.match_yardstick(s),
                                   cost.match.Task(s.ratio * 1000, 1000, s.tokens), limit=3,
                                   derate=adv.SELF_HOST.derate, utilization=adv.SELF_HOST.utilization)
    pd.testing.assert_frame_equal(rec.matches, want)
    if len(want):
        text = adv.matches_text(rec.ev, rec.matches)
        assert text in rec.notes and closed["name"] in text
        assert all(n in text for n in want["name"])


def test_self_host_break_even_by_hand(data):
    """The bank at 20B: its break-even with the hosted pick is where whole replicas of its setup cost no more than
    the API (cost.break_even_tokens on the same throughput, price and replica size)."""
    s = dataclasses.replace(adv.PERSONAS["bank"].settings, tokens=2e10)
    ev = adv.evaluate(data, s)
    z = ev.self_host.sizing
    p = ev.picks["open"]
    share = s.ratio / (s.ratio + 1)
    rate = share * p["price_in"] + (1 - share) * p["price_out"]            # $/M tokens of traffic
    b = adv.self_host_break_even(data, ev, adv.HOSTED)
    cap = z.throughput * data.utilization * cost.SECONDS_PER_MONTH / (1 - share) * z.weight_gpus   # per replica
    rent = z.weight_gpus * z.gpu_usd * cost.HOURS_PER_MONTH
    if cap * rate / 1e6 <= rent:
        assert b.tokens is None
    else:   # crosses within the first replica when one replica's capacity is worth more than its rent
        assert b.tokens == pytest.approx((rent + data.overhead) / (rate / 1e6)) and b.gpus == z.weight_gpus
    detail = adv.recommend(data, s).costs.set_index("option").loc[adv.SELF, "detail"]
    assert "Against hosted open weights it " in detail and ("never" in detail or "breaks even at" in detail)


def test_a_recommendation_without_its_changes_is_the_same_and_the_changes_come_apart(data):
    """The page computes what would change it only on the result step: the rest is the same recommendation."""
    s = adv.PERSONAS["startup"].settings
    whole, light = adv.recommend(data, s), adv.recommend(data, s, with_changes=False)
    assert light.changes is None and whole.changes
    assert (light.headline, light.sentence, light.ranking.to_csv()) == (whole.headline, whole.sentence,
                                                                        whole.ranking.to_csv())
    assert adv.what_would_change(data, s, light.ev) == whole.changes
