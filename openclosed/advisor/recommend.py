"""Advisor explanations: why the top option wins, what would change it, the full ``Recommendation``, and
the decision tables shown under "How the wizard decides"."""
from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd

from openclosed import cost, fmt, risk
from openclosed.advisor.model import (
    BASE_WEIGHTS, BOOLS, CHOICES, CLOSED, COST_DECADES, COST_FREE_USD, CRITERIA, CRITERION_KEYS, Data,
    Evaluation, FIELD_LABELS, GPUS, HARD_RULES, HOSTED, HYBRID, HYBRID_MIN_SHARE, HYBRID_PENALTY, LATENCY,
    LEVEL_MAX, LEVEL_MIN, LEVERS, METRIC_LABELS, OPTIONS, OPTION_LABELS, OPTION_THE, RATINGS, RATIO_STEPS,
    RISK_CATEGORIES, RISK_OPTION, Rule, SELF, SELF_HOST, SENSITIVITY, SHORTFALL_ZERO, Settings, TEAM,
    TOKEN_STEPS, TTM, WEIGHT_RULES, WHO, WHO_REASONS, WORKLOADS, WORKLOAD_METRIC, pick_metric, pick_name, evaluate,
    prepare,
)


# ====================================================================================================
# Why: the drivers of the top choice, in plain sentences computed from the contributions
# ====================================================================================================
def option_model(ev: Evaluation, o: str) -> str:
    if o == CLOSED:
        return pick_name(ev.picks["closed"])
    if o in (HOSTED, SELF):
        return pick_name(ev.picks["open"])
    return f"{pick_name(ev.picks['open'])} + {pick_name(ev.picks['closed'])}"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _criterion_sentence(ev: Evaluation, c: str, a: str, b: str) -> str:
    """One sentence on criterion c, comparing option a with option b, with the numbers the page shows."""
    s = ev.settings
    ra, rb = ev.ratings[a][c], ev.ratings[b][c]
    why = "; ".join(ev.weight_reasons[c])
    because = f" It weighs {'more' if _factor(ev, c) > 1 else 'less'} because {why}." if why else ""
    A, B = OPTION_THE[a], OPTION_THE[b]
    if c == "cost":
        return (f"At {fmt.tokens(s.tokens)} tokens a month, {A} costs about {fmt.usd(ev.costs[a])} a month "
                f"against {fmt.usd(ev.costs[b])} for {B} (cost rating {ra:.2f} vs {rb:.2f}); for "
                f"{_article(WHO[s.who])} {_lower_first(WHO[s.who])}, {WHO_REASONS[s.who]}.")
    if c == "quality":
        need = f"the frontier, AA index {ev.target:.1f}" if s.quality == "frontier" else f"AA index {ev.target:g}"
        worst = max(ev.workloads, key=lambda r: r["open_shortfall"] * r["share"])
        detail = ""
        if worst["open_shortfall"] > 0 and ev.picks["open"] is not None:
            detail = (f" {pick_name(ev.picks['open'])}, the open model, falls {fmt.share(worst['open_shortfall'])} short of "
                      f"your need on {worst['label'].lower()} ({worst['metric_label']} {worst['open_score']:.1f} "
                      f"against {worst['need']:.1f} needed).")
        elif ra == rb == 1.0:
            detail = " Both meet it on every workload, so quality does not separate them."
        return (f"Against your quality need ({need}), {A} rates {ra:.2f} and {B} {rb:.2f} on your workloads."
                f"{detail}{because}")
    if c == "data_control":
        return (f"Your data is {SENSITIVITY[s.sensitivity].split(' (')[0].lower()}: with {A}, {fmt.share(ra)} of requests "
                f"stay on infrastructure you control, against {fmt.share(rb)} with {B}.{because}")
    if c == "team_fit":
        return (f"You have {_lower_first(TEAM[s.team]).replace('no ml', 'no ML')} and would "
                f"{GPUS[s.gpus].split(' ', 1)[1] if s.gpus != 'keen' else 'happily run GPUs'}: {A} fits that at "
                f"{ra:.2f} against {rb:.2f} for {B}.{because}")
    if c == "speed":
        return (f"You want to ship in {TTM[s.ttm].split(':')[0].lower()}: {A} rates {ra:.2f} on speed to ship "
                f"against {rb:.2f} for {B}.{because}")
    if c == "control":
        return (f"Control of the model (fine-tuning, audits, a version pinned for good): {A} rates {ra:.2f} against "
                f"{rb:.2f} for {B}.{because}")
    if c == "latency":
        return (f"Your latency need is {LATENCY[s.latency].split(':')[0].lower()}: {A} gives you {ra:.2f} on control "
                f"of latency and capacity against {rb:.2f} for {B}.{because}")
    if c == "risk":
        return (f"The risk register puts {A} at {ev.risk[a]['score']:.0f} and {B} at {ev.risk[b]['score']:.0f} points "
                f"of weighted risk (vendor change, security, safety, compliance, jurisdiction; lower is better).{because}")
    return ""


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def _factor(ev: Evaluation, c: str) -> float:
    base = BASE_WEIGHTS[ev.settings.who][c]
    return ev.weights[c] / base if base else 1.0


def drivers(ev: Evaluation, n_max: int = 5, n_min: int = 3) -> pd.DataFrame:
    """The criteria that put the top option ahead, largest first, as sentences with their points.

    First every criterion on which the top option beats the runner-up; when that gives fewer than ``n_min``,
    the largest leads over the other options follow (so the reader also learns why not those). Columns:
    criterion, label, versus (option), points (top minus that option, in score points), kind, sentence."""
    a = ev.top
    rows = []
    ruled = [o for o in ev.ranking[1:] if o in ev.excluded and a not in ev.excluded and ev.scores[o] > ev.scores[a]]
    if ruled:
        rows.append({"criterion": "rule", "label": "Rule", "versus": ruled[0], "points": float("nan"),
                     "kind": "rule", "sentence": f"{_cap(' and '.join(OPTION_THE[o] for o in ruled))} "
                                                 f"{'are' if len(ruled) > 1 else 'is'} ruled out: "
                                                 f"{ev.excluded[ruled[0]]}."})
    used = set()
    degenerate = {HYBRID} if ev.closed_share < HYBRID_MIN_SHARE else set()
    # compare with the options the answers allow; when every other one is ruled out, with those (the score still
    # says why the top option suits the reader)
    others = [o for o in ev.ranking[1:] if o not in ev.excluded] or \
        [o for o in ev.ranking[1:] if o not in degenerate] or list(ev.ranking[1:])
    for rank, b in enumerate(others):
        if rank > 0 and len(rows) >= n_min:
            break
        diffs = sorted(((ev.points[a][c] - ev.points[b][c], c) for c in CRITERION_KEYS), reverse=True)
        for d, c in diffs:
            if d > 0.05 and c not in used and len(rows) < n_max and (rank == 0 or len(rows) < n_min):
                used.add(c)
                rows.append({"criterion": c, "label": CRITERIA[c][0], "versus": b, "points": d,
                             "kind": "ahead" if rank == 0 else "ahead of others",
                             "sentence": ("" if rank == 0 else f"Against {OPTION_THE[b]}: ")
                             + _criterion_sentence(ev, c, a, b) + f" (+{d:.1f} points over {OPTION_THE[b]})"})
    if not rows:   # every other option is tied on every criterion
        c = max(CRITERION_KEYS, key=lambda c: ev.points[a][c])
        rows.append({"criterion": c, "label": CRITERIA[c][0], "versus": ev.runner_up, "points": 0.0, "kind": "tie",
                     "sentence": f"The options tie; {CRITERIA[c][0].lower()} adds the most to the score."})
    return pd.DataFrame(rows, columns=["criterion", "label", "versus", "points", "kind", "sentence"])


def against(ev: Evaluation) -> str:
    """The biggest thing against the top option, compared with the runner-up (empty when nothing is)."""
    a, b = ev.top, ev.runner_up
    if b in ev.excluded and a not in ev.excluded:
        return ""
    d, c = min((ev.points[a][c] - ev.points[b][c], c) for c in CRITERION_KEYS)
    if d >= -0.05:
        return ""
    return (f"What counts against it: {CRITERIA[c][0].lower()}, {abs(d):.1f} points behind {OPTION_THE[b]}. "
            + _criterion_sentence(ev, c, a, b))


# ====================================================================================================
# What would change it: re-run the model over single-answer changes
# ====================================================================================================
@dataclasses.dataclass(frozen=True)
class Change:
    field: str
    value: object
    size: float                   # how big the change is: steps along an ordered answer, 1 for others
    new_top: str
    new_score: float
    old_top_score: float
    text: str
    apply: tuple                  # ((Settings field, value), ...) to set on the page
    threshold: float | None = None

    @property
    def lever(self) -> str:
        """What the reader would change: volume, quality bar, data rules, team or time budget."""
        return LEVERS[self.field]


def _ordered_steps(values, current) -> list[tuple[object, int]]:
    vals = list(values)
    i = vals.index(current)
    return [(v, abs(j - i)) for j, v in enumerate(vals) if j != i]


def _nearest_index(steps, value) -> int:
    arr = np.log10(np.maximum(np.asarray(steps, dtype=float), 1e-9))
    return int(np.argmin(np.abs(arr - math.log10(max(float(value), 1e-9)))))


def alternatives(s: Settings) -> list[tuple[str, object, float, tuple]]:
    """Every single change the reader controls (``LEVERS``; volume is scanned apart): (field, new value, size,
    fields to set). Who the reader is, the workloads and the input:output mix are never proposed."""
    out = []
    for f, choices in CHOICES.items():
        if f not in LEVERS:
            continue
        for v, steps in _ordered_steps(choices, getattr(s, f)):
            out.append((f, v, 1.0 if f == "quality" else float(steps), ((f, v),)))
    for f in BOOLS:
        if f in LEVERS:
            out.append((f, not getattr(s, f), 1.0, ((f, not getattr(s, f)),)))
    if s.quality == "good_enough":
        for v in np.arange(LEVEL_MIN, LEVEL_MAX + 0.1, 5.0):
            if abs(v - s.level) >= 1:
                out.append(("level", float(v), abs(v - s.level) / 5.0, (("level", float(v)),)))
    return out


def _change_text(s: Settings, field: str, value, new_top: str, ev2: Evaluation, old_top: str | None = None) -> str:
    old = old_top or ev2.ranking[1]   # compared with today's recommendation, scored under the change
    tail = (f"{OPTION_THE[new_top]} would come first ({ev2.scores[new_top]:.1f} points against "
            f"{ev2.scores[old]:.1f} for {OPTION_THE[old]}).")
    if field in CHOICES:
        return f"If your answer on {FIELD_LABELS[field]} were “{CHOICES[field][value]}” " \
               f"(not “{CHOICES[field][getattr(s, field)]}”), {tail}"
    if field == "audit":
        return f"If you {'did not need' if s.audit else 'needed'} to audit the model, {tail}"
    if field == "level":
        return f"With a quality level of AA index {value:g} (not {s.level:g}), {tail}"
    return _cap(tail)


def _volume_changes(d: Data, s: Settings, ev: Evaluation) -> list[Change]:
    """Scan the volume ladder up and down from the reader's volume; where the top option first changes,
    bisect (on a log scale) between the last ladder step that keeps it and the first that changes it."""
    out = []
    i = _nearest_index(TOKEN_STEPS, s.tokens)
    for direction in (1, -1):
        prev = s.tokens
        j = i + direction
        while 0 <= j < len(TOKEN_STEPS):
            v = TOKEN_STEPS[j]
            if (direction > 0 and v <= s.tokens) or (direction < 0 and v >= s.tokens):
                j += direction
                continue
            ev2 = evaluate(d, dataclasses.replace(s, tokens=v))
            if ev2.top != ev.top and ev.top not in ev2.excluded and ev2.top not in ev2.excluded:
                lo, hi = math.log10(prev), math.log10(v)
                for _ in range(40):
                    mid = (lo + hi) / 2
                    if evaluate(d, dataclasses.replace(s, tokens=10 ** mid)).top != ev.top:
                        hi = mid
                    else:
                        lo = mid
                    if abs(hi - lo) < 1e-3:
                        break
                thr = 10 ** hi
                word = "Above" if direction > 0 else "Below"
                text = (f"{word} about {fmt.tokens(float(f'{thr:.2g}'))} tokens a month (for example "
                        f"{fmt.tokens(v)}), {OPTION_THE[ev2.top]} overtakes "
                        f"{OPTION_THE[ev.top]} ({ev2.scores[ev2.top]:.1f} points against "
                        f"{ev2.scores[ev.top]:.1f} at {fmt.tokens(v)}).")
                out.append(Change("tokens", v, float(abs(j - i)), ev2.top, ev2.scores[ev2.top], ev2.scores[ev.top],
                                  text, (("tokens", v),), thr))
                break
            prev = v
            j += direction
    return out


def what_would_change(d: Data, s: Settings, ev: Evaluation | None = None) -> list[Change]:
    """Every single-answer change that changes the top option, smallest first (one per answer and direction)."""
    s = s.clean()
    ev = ev or evaluate(d, s)
    found = _volume_changes(d, s, ev)
    for field, value, size, apply in alternatives(s):
        s2 = dataclasses.replace(s, **dict(apply))
        ev2 = evaluate(d, s2)
        # a change counts when another option overtakes the recommended one, not when it merely rules it out
        # (an option ranked first only because the others are excluded is not a better fit)
        if ev2.top != ev.top and ev.top not in ev2.excluded and ev2.top not in ev2.excluded:
            found.append(Change(field, value, size, ev2.top, ev2.scores[ev2.top], ev2.scores[ev.top],
                                _change_text(s, field, value, ev2.top, ev2, ev.top), apply))
    order = {f: i for i, f in enumerate(LEVERS)}
    found.sort(key=lambda c: (c.size, order.get(c.field, 99), -(c.new_score - c.old_top_score)))
    best: dict[tuple, Change] = {}
    for c in found:   # keep the smallest change per answer (and per direction for volume)
        k = (c.field, c.value > s.tokens) if c.field == "tokens" else (c.field, None)
        best.setdefault(k, c)
    return list(best.values())


# ====================================================================================================
# The full recommendation
# ====================================================================================================
@dataclasses.dataclass
class Recommendation:
    settings: Settings
    ev: Evaluation
    ranking: pd.DataFrame          # option, label, score, rank, ruled_out, monthly_usd, model
    ruled_out: pd.DataFrame        # the options an answer rules out, apart: option, label, rule, why, score, ...
    contributions: pd.DataFrame    # option, label, criterion, criterion_label, weight, rating, points
    weights: pd.DataFrame          # criterion, label, base, weight, share, reasons
    ratings: pd.DataFrame          # criterion x option ratings (0-1)
    drivers: pd.DataFrame
    against: str
    changes: list[Change] | None   # None: not computed (`recommend(..., with_changes=False)`)
    costs: pd.DataFrame            # option, model, monthly_usd, low, high, usd_per_mtok, detail
    routing: pd.DataFrame          # per workload, hybrid routing
    candidates: pd.DataFrame
    risks: pd.DataFrame            # top risks with mitigations for the recommended option
    notes: list[str]
    as_of: dict[str, str]
    matches: pd.DataFrame          # open models tied with the closed pick (cost.match.open_matches), priced per task
    headline: str
    sentence: str                  # the result in one sentence a manager could repeat

    @property
    def top(self) -> str:
        return self.ev.top


def _option_row(ev: Evaluation, o: str) -> dict:
    """The fields every per-option table shares."""
    return {"rank": ev.ranking.index(o) + 1, "option": o, "label": OPTION_LABELS[o], "score": ev.scores[o],
            "model": option_model(ev, o), "monthly_usd": ev.costs[o], "ruled_out": ev.excluded.get(o, "")}


def _ranking_frame(ev: Evaluation) -> pd.DataFrame:
    return pd.DataFrame([_option_row(ev, o) for o in ev.ranking])


def _ruled_out_frame(ev: Evaluation) -> pd.DataFrame:
    """The options an answer rules out, each with the rule (the answer) and why it rules the option out."""
    rows = [{**_option_row(ev, o), "rule": ev.excluded_by.get(o, ""), "why": ev.excluded[o]}
            for o in ev.ranking if o in ev.excluded]
    return pd.DataFrame(rows, columns=["rank", "option", "label", "score", "model", "monthly_usd", "ruled_out",
                                       "rule", "why"])


def _contrib_frame(ev: Evaluation) -> pd.DataFrame:
    rows = []
    for o in ev.ranking:
        base = _option_row(ev, o)
        for c in CRITERION_KEYS:
            rows.append({**base, "criterion": c, "criterion_label": CRITERIA[c][0], "weight": ev.weights[c],
                         "rating": ev.ratings[o][c], "points": ev.points[o][c]})
    return pd.DataFrame(rows)


def _weights_frame(ev: Evaluation) -> pd.DataFrame:
    total = sum(ev.weights.values())
    base = BASE_WEIGHTS[ev.settings.who]
    return pd.DataFrame([{"criterion": c, "label": CRITERIA[c][0], "base": base[c], "weight": ev.weights[c],
                          "share": ev.weights[c] / total, "reasons": "; ".join(ev.weight_reasons[c])}
                         for c in CRITERION_KEYS])


def _costs_frame(d: Data, ev: Evaluation) -> pd.DataFrame:
    s = ev.settings
    rows = []
    for o in OPTIONS:
        m = ev.costs[o]
        per_m = m / s.tokens * 1e6 if s.tokens > 0 else float("nan")
        if o in (CLOSED, HOSTED):
            p = ev.picks["closed" if o == CLOSED else "open"]
            detail = "no price in data/" if p is None else (
                f"{p['name']} at {fmt.usd(p['price_in'])} in / {fmt.usd(p['price_out'])} out per M tokens "
                f"(AA reference price, {p['as_of']})")
        elif o == SELF:
            sh = ev.self_host
            z = sh.sizing
            detail = (f"{z.label} on {z.gpus} whole {z.gpu} GPUs (replicas of {sh.min_gpus}, the fewest that hold "
                      f"the weights and KV cache) at {fmt.usd(z.gpu_usd)}/GPU-hour, busy "
                      f"{fmt.share(z.busy_share, 1)} of their capacity"
                      + ("; throughput estimated outside MLPerf's measured setup" if z.estimate else "")
                      + "; range at the month's p10–p90 GPU price."
                      + "".join(f" Against {OPTION_THE[o]} it {_be_words(self_host_break_even(d, ev, o))}."
                                for o in (HOSTED, CLOSED) if ev.picks["open" if o == HOSTED else "closed"]))
        else:
            leg = "self-hosted" if ev.leg == SELF else "hosted"
            detail = (f"{fmt.share(1 - ev.closed_share)} of tokens to {pick_name(ev.picks['open'])} ({leg}), "
                      f"{fmt.share(ev.closed_share)} to {pick_name(ev.picks['closed'])}")
        rows.append({**_option_row(ev, o), "low": ev.cost_low[o], "high": ev.cost_high[o], "usd_per_mtok": per_m,
                     "detail": detail})
    return pd.DataFrame(rows)


def self_host_break_even(d: Data, ev: Evaluation, against: str) -> cost.BreakEven:
    """The monthly volume from which the reader's self-hosting setup (its GPU type, replica size and throughput)
    costs no more than ``against`` (HOSTED: the open pick through its API price; CLOSED: the closed pick)."""
    z = ev.self_host.sizing
    pick = ev.picks["open" if against == HOSTED else "closed"]
    share = cost.input_share_from_ratio(ev.settings.ratio)
    rate = cost.api_usd_per_mtok(share, pick["price_in"], pick["price_out"])
    return cost.break_even_tokens(rate, z.throughput, z.gpu_usd, d.utilization, z.weight_gpus, d.overhead, share,
                                  z.weight_gpus)


def _be_words(b: cost.BreakEven) -> str:
    return "never breaks even" if b.tokens is None else f"breaks even at {fmt.tokens(b.tokens)} tokens a month"


def _routing_frame(ev: Evaluation) -> pd.DataFrame:
    rows = []
    for r in ev.workloads:
        rows.append({"workload": r["label"], "share_of_traffic": r["share"], "benchmark": r["metric_label"],
                     "open_model": pick_name(ev.picks["open"]), "open_score": r["open_score"],
                     "closed_model": pick_name(ev.picks["closed"]), "closed_score": r["closed_score"],
                     "need": r["need"], "to_closed": r["routed_closed"], "to_open": 1.0 - r["routed_closed"],
                     "fallback_to_index": r["fallback"]})
    rows.append({"workload": "All traffic", "share_of_traffic": 1.0, "benchmark": "", "open_model":
                 pick_name(ev.picks["open"]), "open_score": float("nan"), "closed_model": pick_name(ev.picks["closed"]),
                 "closed_score": float("nan"), "need": float("nan"), "to_closed": ev.closed_share,
                 "to_open": 1.0 - ev.closed_share, "fallback_to_index": False})
    return pd.DataFrame(rows)


def candidates(d: Data, ev: Evaluation, n: int = 4) -> pd.DataFrame:
    """The best open and closed models for the chosen workloads that meet the need (the pick first), with
    price, AA index, workload fit (% of the best priced model's score on each workload, mix-weighted),
    monthly cost at the reader's volume and AA's measured speed."""
    s = ev.settings
    pc = d.pc(s.ratio)
    best = d.best_metric(s.ratio)
    mix = s.mix()
    fits = []
    for aa_id, idx in zip(pc["aa_id"], pc["score"]):
        em = d.entry_metrics.get(aa_id, {})
        f = 0.0
        for w, share in mix.items():
            m = WORKLOAD_METRIC[w]
            if m and m in em and np.isfinite(best.get(m, np.nan)) and best[m] > 0:
                f += share * em[m] / best[m]
            else:
                f += share * float(idx) / best[cost.METRIC]
        fits.append(100.0 * f)
    df = pc.assign(fit=fits)
    share = cost.input_share_from_ratio(s.ratio)
    df = df.assign(monthly_usd=[cost.monthly_cost_api(s.tokens, share, pi, po)
                                for pi, po in zip(df["price_in"], df["price_out"])])
    rows = []
    for side in ("open", "closed"):
        pick = ev.picks[side]
        sel = df[df["open"] == (side == "open")]
        meets = sel[sel["score"] >= ev.target].sort_values(["fit", "blended"], ascending=[False, True])
        near = sel[sel["score"] < ev.target].sort_values(["score", "blended"], ascending=[False, True])
        chosen = []
        if pick is not None:
            chosen.append(pick["model_id"])
        for mid in list(meets["model_id"]) + list(near["model_id"]):   # then the nearest misses, marked
            if len(chosen) >= n:
                break
            if mid not in chosen:
                chosen.append(mid)
        for mid in chosen:
            r = df[df["model_id"] == mid].iloc[0]
            tps, ttfa = d.speed_of(r["aa_id"], mid)
            rows.append({"side": "Open weights" if side == "open" else "Closed", "model": r["name"],
                         "organization": r["organization"], "openness": r["openness"], "aa_index": r["score"],
                         "meets_need": bool(r["score"] >= ev.target), "workload_fit_pct": r["fit"],
                         "input_usd_per_mtok": r["price_in"], "output_usd_per_mtok": r["price_out"],
                         "blended_usd_per_mtok": r["blended"], "monthly_usd": r["monthly_usd"],
                         "output_tokens_per_s": tps, "seconds_to_first_answer_token": ttfa,
                         "used_for_costs": pick is not None and mid == pick["model_id"],
                         "variant": r["variant"], "price_as_of": r["as_of"], "model_id": mid})
    return pd.DataFrame(rows)


def risk_context(s: Settings) -> risk.Context:
    """The reader's situation in the risk register's terms (for the risks to watch)."""
    return risk.Context(personal_data=s.sensitivity in ("personal", "regulated"),
                        regulated=s.sensitivity == "regulated" or s.who == "regulated",
                        on_prem=s.locality != "none", ml_team=s.team != "none")


def top_risks(d: Data, ev: Evaluation, n: int = 3) -> pd.DataFrame:
    """The recommended option's largest risks in the register, with mitigations (both legs for a hybrid)."""
    ctx = risk_context(ev.settings)
    if ev.top == HYBRID:
        parts = [risk.mitigations(d.register, RISK_OPTION[ev.leg], None, ctx, n=2).assign(
                     option=OPTION_LABELS[ev.leg]),
                 risk.mitigations(d.register, risk.CLOSED_API, None, ctx, n=2).assign(option=OPTION_LABELS[CLOSED])]
        out = pd.concat(parts, ignore_index=True).drop_duplicates("risk_id")
    else:
        out = risk.mitigations(d.register, RISK_OPTION[ev.top], None, ctx, n=n).assign(option=OPTION_LABELS[ev.top])
    return out.reset_index(drop=True)


# ====================================================================================================
# Ties: a lead smaller than the scoring's own sensitivity to its weights
# ====================================================================================================
WEIGHT_RANGE = 0.5      # the stated range of every criterion weight: from half to one and a half times its value
TIE_DRAWS = 400         # weight vectors drawn uniformly within that range (fixed seed)
TIE_SEED = 20261204
TIE_QUANTILE = 0.10     # tied when the other option scores at least as high in this share of draws or more


@dataclasses.dataclass(frozen=True)
class Tie:
    option: str             # the option tied with the top one
    lead: float             # the top option's lead at your weights (points)
    sensitivity: float      # how far that lead falls at the 10th percentile of the weight draws (points)
    share_first: float      # share of weight draws in which this option scores at least as high as the top one
    deciding: str           # the criterion that decides between them: the top option's largest edge in points


def ties(ev: Evaluation) -> list[Tie]:
    """Allowed options whose score differs from the top one's by less than the scoring's sensitivity: with every
    weight drawn within ±WEIGHT_RANGE of its value (ratings fixed), the other option scores at least as high in
    TIE_QUANTILE of the draws or more (equivalently, the lead is smaller than lead - P10 of the draws' leads)."""
    if ev.top in ev.excluded:
        return []
    keys = list(CRITERION_KEYS)
    w = np.array([ev.weights[c] for c in keys], dtype=float)
    rng = np.random.default_rng(TIE_SEED)
    draws = w * rng.uniform(1.0 - WEIGHT_RANGE, 1.0 + WEIGHT_RANGE, size=(TIE_DRAWS, len(keys)))
    total = draws.sum(axis=1)
    rating = {o: np.array([ev.ratings[o][c] for c in keys], dtype=float) for o in OPTIONS}
    top = 100.0 * draws @ rating[ev.top] / total
    out = []
    for o in ev.ranking:
        if o == ev.top or o in ev.excluded:
            continue
        lead_draws = top - 100.0 * draws @ rating[o] / total
        lead = ev.scores[ev.top] - ev.scores[o]
        p10 = float(np.quantile(lead_draws, TIE_QUANTILE))
        if p10 > 0:
            continue
        edge = {c: ev.points[ev.top][c] - ev.points[o][c] for c in keys}
        out.append(Tie(o, float(lead), float(lead - p10), float((lead_draws <= 0).mean()),
                       max(keys, key=lambda c: (edge[c], -keys.index(c)))))
    return out


def tie_text(ev: Evaluation, t: Tie) -> str:
    """One tie in words, naming what decides it."""
    a = ev.top
    return (f"{OPTION_LABELS[a]} and {OPTION_THE[t.option]} are tied: {ev.scores[a]:.1f} against "
            f"{ev.scores[t.option]:.1f} points, a lead smaller than the scoring's own sensitivity "
            f"({t.sensitivity:.1f} points when every weight moves within ±{WEIGHT_RANGE:.0%}; "
            f"{OPTION_THE[t.option]} comes first in {fmt.share(t.share_first)} of those draws). What decides it is "
            f"{CRITERIA[t.deciding][0].lower()}, where {OPTION_THE[a]} leads by "
            f"{ev.points[a][t.deciding] - ev.points[t.option][t.deciding]:.1f} points.")


def headline(ev: Evaluation) -> str:
    a, b = ev.top, ev.runner_up
    if b in ev.excluded and a not in ev.excluded:
        return (f"{OPTION_LABELS[a]} is the option your answers allow: it scores {ev.scores[a]:.0f} of 100, and "
                f"the others are ruled out because {ev.excluded[b]}.")
    lead = ev.scores[a] - ev.scores[b]
    tied = ties(ev)
    if tied:
        names = " and ".join(OPTION_THE[t.option] for t in tied)
        return (f"{OPTION_LABELS[a]} fits your answers best by a hair: {ev.scores[a]:.0f} of 100, tied with "
                f"{names} within the scoring's sensitivity; {CRITERIA[tied[0].deciding][0].lower()} decides it.")
    return (f"{OPTION_LABELS[a]} fits your answers best: {ev.scores[a]:.0f} of 100, {lead:.1f} points ahead of "
            f"{OPTION_THE[b]}.")


def _notes(d: Data, ev: Evaluation) -> list[str]:
    s = ev.settings
    notes = [tie_text(ev, t) for t in ties(ev)]
    none = [r["label"].lower() for r in ev.workloads if r["fallback"] and WORKLOAD_METRIC[r["workload"]] is None]
    if none:
        notes.append(f"data/ has no benchmark for {' or '.join(none)}, so the AA Intelligence Index stands in for "
                     f"{'it' if len(none) == 1 else 'them'}.")
    for r in ev.workloads:
        m = WORKLOAD_METRIC[r["workload"]]
        if r["fallback"] and m is not None:
            missing = [p["name"] for p in (ev.picks["open"], ev.picks["closed"])
                       if p is not None and pick_metric(d, p, m) is None]
            notes.append(f"On {r['label'].lower()}, AA has no {METRIC_LABELS[m]} score for {' or '.join(missing)}, "
                         "so the AA Intelligence Index stands in for it.")
    for side in ("open", "closed"):
        p = ev.picks[side]
        if p is not None and not p["meets"]:
            notes.append(f"No {side} model with a price reaches AA index {ev.target:g}; the best one, {p['name']} "
                         f"({p['score']:.1f}), is used.")
    if not s.workloads:
        notes.append("No workload chosen: the wizard assumes chat and support.")
    notes.append(self_host_note(ev))
    return notes


def setup_text(z) -> str:
    """'DeepSeek-R1 (671B MoE, 37B active) on 2 B200 GPUs'."""
    return f"{z.label} on {z.gpus} {z.gpu} GPU{'s' if z.gpus != 1 else ''}"


def idle_text(z, tokens: float) -> str:
    """What idle GPUs cost at this volume ('' when the GPUs are busy at least half the time)."""
    if z.busy_share >= 0.5:
        return ""
    gpus = "a GPU sits" if z.weight_gpus == 1 else "the GPUs sit"
    return (f"At {fmt.tokens(tokens)} tokens a month {gpus} idle {fmt.share(z.idle_share, 1)} of the time: "
            f"{fmt.usd(z.idle_usd)} of the {fmt.usd(z.monthly_usd)} a month pays for idle GPUs.")


def self_host_note(ev: Evaluation) -> str:
    """Which model and hardware the self-hosting estimate assumes, why, and what idle GPUs cost at this volume."""
    z = ev.self_host.sizing
    txt = (f"Self-hosting assumes {setup_text(z)} ({z.why}; MLPerf throughput × {fmt.share(SELF_HOST.derate)} for "
           f"real-world conditions, {fmt.share(SELF_HOST.utilization)} target utilization). Memory: {z.memory_why}.")
    if z.basis in ("bigger", "unknown"):
        txt += " The model you would actually run may need more GPUs, so read the self-hosting cost as a floor."
    idle = idle_text(z, ev.settings.tokens)
    return txt + (" " + idle if idle else "") + " Engineering time is not costed (it is in the team-fit criterion)."


_CRITERION_PHRASE = {   # why the top option wins on a criterion, as a manager would say it
    "data_control": lambda ev, a, b: f"it keeps {fmt.share(ev.ratings[a]['data_control'])} of requests on "
                                      "infrastructure you control",
    "team_fit": lambda ev, a, b: "your team can run it as it is",
    "speed": lambda ev, a, b: "it ships fastest",
    "control": lambda ev, a, b: "you control the model (fine-tune, audit, pin a version)",
    "latency": lambda ev, a, b: "it gives the most control over response time",
    "risk": lambda ev, a, b: "the risk register rates it the least risky",
}


def _cost_phrase(ev: Evaluation, a: str, b: str) -> str:
    tok = fmt.tokens(ev.settings.tokens)
    if a == SELF or (a == HYBRID and ev.leg == SELF):
        # self-hosting wins on cost: the GPUs are a fixed bill, the APIs grow with the volume and the model's price
        apis = " and ".join(f"{fmt.usd(ev.costs[o])} for {OPTION_THE[o]}" for o in (HOSTED, CLOSED))
        floor = " (a floor: the GPUs are sized with a stand-in model)" if ev.self_host.sizing.basis in (
            "bigger", "unknown") else ""
        return f"at {tok} tokens a month its GPUs cost about {fmt.usd(ev.costs[a])}{floor} against {apis}"
    return f"it costs about {fmt.usd(ev.costs[a])} a month at {tok} tokens against {fmt.usd(ev.costs[b])} for " \
           f"{OPTION_THE[b]}"


def one_sentence(ev: Evaluation) -> str:
    """The result in one sentence a manager could repeat: the option, its model, and the one reason that decides
    it (the rule that leaves it alone, else the criterion that puts it furthest ahead of the runner-up)."""
    a = ev.top
    head = f"{OPTION_LABELS[a]} ({option_model(ev, a)})"
    allowed = [o for o in ev.ranking[1:] if o not in ev.excluded]
    if not allowed:
        rules = sorted(set(ev.excluded_by.values()))
        return f"{head}, because every other option is ruled out ({'; '.join(rules)})."
    b = allowed[0]
    c = max(CRITERION_KEYS, key=lambda k: ev.points[a][k] - ev.points[b][k])
    if c == "cost":
        why = _cost_phrase(ev, a, b)
    elif c == "quality":
        need = f"AA index {fmt.num(ev.target, 1)}"
        why = (f"it comes closest to your quality need ({need}) on your workloads, rating "
               f"{fmt.num(ev.ratings[a]['quality'], 2)} against {fmt.num(ev.ratings[b]['quality'], 2)} for "
               f"{OPTION_THE[b]}")
    else:
        why = _CRITERION_PHRASE[c](ev, a, b)
    return f"{head}, because {why}; for {_article(WHO[ev.settings.who])} {_lower_first(WHO[ev.settings.who])}, " \
           f"{CRITERIA[c][0].lower()} decides it."


MATCH_TASK_OUTPUT = 1000.0    # output tokens of one task for the per-task prices; input = ratio x this


def match_yardstick(s: Settings) -> str:
    """The yardstick for open matches: the reader's workloads when they map to one (coding, reasoning), else all."""
    ws = set(s.workloads)
    for key in ("coding", "reasoning"):
        if ws == {key}:
            return key
    return "all"


def open_matches(d: Data, ev: Evaluation, limit: int = 3) -> pd.DataFrame:
    """The open models statistically tied with (or better than) the closed pick, priced per task at the reader's
    volume: the Cost page's function (cost.match.open_matches)."""
    closed = ev.picks["closed"]
    if closed is None or not hasattr(d, "tables") or "throughput" not in d.tables:
        return pd.DataFrame(columns=cost.match.COLUMNS)
    s = ev.settings
    key = (closed["model_id"], match_yardstick(s), round(float(s.ratio), 6), round(float(s.tokens)), limit)
    memo = d.__dict__.setdefault("_matches", {})
    if key not in memo:
        task = cost.match.Task(s.ratio * MATCH_TASK_OUTPUT, MATCH_TASK_OUTPUT, s.tokens)
        memo[key] = cost.match.open_matches(d.tables, closed["model_id"], match_yardstick(s), task, limit=limit,
                                            derate=SELF_HOST.derate, utilization=SELF_HOST.utilization)
    return memo[key].copy()


def matches_text(ev: Evaluation, m: pd.DataFrame) -> str:
    """The open matches of the closed pick in one sentence ('' when none)."""
    closed = ev.picks["closed"]
    if closed is None or m.empty:
        return ""
    parts = [f"{r.name} ({r.verdict}; {fmt.usd(r.hosted_usd_per_task, 4)} a task hosted"
             + (f", break-even self-hosted at {fmt.tokens(r.break_even_tokens)} tokens a month"
                if np.isfinite(r.break_even_tokens) else "") + ")" for r in m.itertuples()]
    return (f"Open models that score level with {closed['name']} ({fmt.usd(m['closed_usd_per_task'].iloc[0], 4)} a "
            f"task) on {_lower_first(cost.match.YARDSTICKS[match_yardstick(ev.settings)][0])}: " + "; ".join(parts)
            + ".")


def recommend(tables_or_data, settings: Settings | None = None, with_changes: bool = True) -> Recommendation:
    """Everything the page shows for a set of answers. ``with_changes=False`` leaves out what would change it
    (`what_would_change`: most of the time a recommendation takes), for a page that shows it on one step only."""
    d = prepare(tables_or_data)
    s = (settings or Settings()).clean()
    ev = evaluate(d, s)
    matches = open_matches(d, ev)
    notes = _notes(d, ev) + [t for t in (matches_text(ev, matches),) if t]
    ratings = pd.DataFrame([{"criterion": c, "label": CRITERIA[c][0],
                             **{OPTION_LABELS[o]: ev.ratings[o][c] for o in OPTIONS}} for c in CRITERION_KEYS])
    return Recommendation(
        settings=s, ev=ev, ranking=_ranking_frame(ev), ruled_out=_ruled_out_frame(ev),
        contributions=_contrib_frame(ev),
        weights=_weights_frame(ev), ratings=ratings, drivers=drivers(ev), against=against(ev),
        changes=what_would_change(d, s, ev) if with_changes else None, costs=_costs_frame(d, ev), routing=_routing_frame(ev),
        candidates=candidates(d, ev), risks=top_risks(d, ev), notes=notes, as_of=dict(d.as_of),
        headline=headline(ev), sentence=one_sentence(ev), matches=matches)


# ====================================================================================================
# The decision tables, for "How the wizard decides"
# ====================================================================================================
def criteria_table() -> pd.DataFrame:
    how = {
        "cost": f"Cost model at your volume; 1 at ≤ ${COST_FREE_USD:,.0f}/month, minus {1 / COST_DECADES:.2f} per "
                f"tenfold step above (0 at ${COST_FREE_USD * 10 ** COST_DECADES:,.0f})",
        "quality": f"Per workload: shortfall = 1 − score ÷ needed score on its benchmark; rating = 1 − shortfall ÷ "
                   f"{SHORTFALL_ZERO:.2f}; mix-weighted",
        "data_control": "Self-hosted 1; hosted open and closed API 0 (prompts go to a third party); hybrid: the "
                        "share kept in-house",
        "team_fit": "Self-hosted: the lower of team (none 0, some 0.5, strong 1) and GPU appetite (avoid 0, if it "
                    "pays 0.5, happy 1); others from the ratings table",
        "speed": "Ratings table (judgment)",
        "control": "Ratings table (judgment)",
        "latency": "Ratings table (judgment)",
        "risk": "1 − register score ÷ the worst possible score, over " + ", ".join(RISK_CATEGORIES)
                + "; situation: regulated industry and ML team from your answers. Your data sensitivity is counted "
                  "once, in data control, not again here",
    }
    source = {"cost": "prices, gpu_prices, throughput (cost model)", "quality": "scores (Artificial Analysis)",
              "data_control": "fact of the option", "team_fit": "your answers", "speed": "judgment",
              "control": "judgment", "latency": "judgment", "risk": "risk_register (risk model)"}
    return pd.DataFrame([{"criterion": CRITERIA[c][0], "what it measures": CRITERIA[c][1], "how it is rated": how[c],
                          "from": source[c]} for c in CRITERION_KEYS])


def weights_table() -> pd.DataFrame:
    df = pd.DataFrame(BASE_WEIGHTS).T[list(CRITERION_KEYS)]
    df.columns = [CRITERIA[c][0] for c in CRITERION_KEYS]
    df.index = [WHO[w] for w in df.index]
    df.insert(0, "why", [WHO_REASONS[w] for w in BASE_WEIGHTS])
    return df.reset_index(names="who you are")


def rules_table() -> pd.DataFrame:
    rows = []
    for r in WEIGHT_RULES:
        val = CHOICES[r.field][r.value] if r.field in CHOICES else ("yes" if r.value else "no")
        rows.append({"answer": FIELD_LABELS[r.field], "is": val, "criterion": CRITERIA[r.criterion][0],
                     "weight ×": r.factor, "why": r.reason})
    for field, value, options, why in HARD_RULES:
        rows.append({"answer": FIELD_LABELS[field], "is": CHOICES[field][value],
                     "criterion": "rules out " + ", ".join(OPTION_LABELS[o] for o in options),
                     "weight ×": float("nan"), "why": why})
    return pd.DataFrame(rows)


def ratings_table() -> pd.DataFrame:
    rows = []
    for c, per in RATINGS.items():
        for o, (v, why) in per.items():
            rows.append({"criterion": CRITERIA[c][0], "option": OPTION_LABELS[o], "rating": v, "why": why})
    for c, pen in HYBRID_PENALTY.items():
        rows.append({"criterion": CRITERIA[c][0], "option": OPTION_LABELS[HYBRID], "rating": -pen,
                     "why": "blend of its two options by traffic share, minus this for running a router and "
                            "two providers"})
    return pd.DataFrame(rows)
