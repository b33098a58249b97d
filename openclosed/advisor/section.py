"""Advisor chart cards (titles computed from the recommendation) and ``cards()`` in page order."""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from openclosed import cost, fmt
from openclosed.cards import ChartCard, by_key
from openclosed.advisor.model import (
    CRITERIA, CRITERION_KEYS, HYBRID_MIN_SHARE, OPTIONS, OPTION_LABELS, OPTION_THE, PAGE, Settings, pick_name,
)
from openclosed.advisor.recommend import Recommendation, recommend, self_host_note
from openclosed.advisor.charts import chart_costs, chart_routing, chart_scores


def scores_title(rec: Recommendation) -> str:
    ev = rec.ev
    top_c = max(CRITERION_KEYS, key=lambda c: ev.points[ev.top][c] - ev.points[ev.runner_up][c])
    if ev.runner_up in ev.excluded and ev.top not in ev.excluded:
        return (f"{OPTION_LABELS[ev.top]} scores {ev.scores[ev.top]:.0f} of 100 and is the only option your answers "
                f"allow; the others are ruled out")
    return (f"{OPTION_LABELS[ev.top]} scores {ev.scores[ev.top]:.0f} of 100 for your answers, ahead of "
            f"{OPTION_THE[ev.runner_up]} ({ev.scores[ev.runner_up]:.0f}); "
            f"{CRITERIA[top_c][0].lower()} makes the biggest difference")


def costs_title(rec: Recommendation) -> str:
    ev = rec.ev
    cheapest = min((o for o in OPTIONS if np.isfinite(ev.costs[o])), key=lambda o: ev.costs[o])
    dearest = max((o for o in OPTIONS if np.isfinite(ev.costs[o])), key=lambda o: ev.costs[o])
    ratio = ev.costs[dearest] / ev.costs[cheapest] if ev.costs[cheapest] > 0 else float("inf")
    return (f"At {fmt.tokens(ev.settings.tokens)} tokens a month, {OPTION_THE[cheapest]} is cheapest "
            f"at about {fmt.usd(ev.costs[cheapest])} a month; {OPTION_THE[dearest]} costs "
            f"{ratio:,.1f}× as much")


def routing_title(rec: Recommendation) -> str:
    ev = rec.ev
    if ev.closed_share <= 0.0005:
        return (f"A hybrid would send everything to {pick_name(ev.picks['open'])}: it meets your need on every "
                "workload, so no share needs the closed model")
    hardest = max(ev.workloads, key=lambda r: r["routed_closed"])
    return (f"Hybrid: send {fmt.share(1 - ev.closed_share)} of requests to {pick_name(ev.picks['open'])} and the hardest "
            f"{fmt.share(ev.closed_share)} to {pick_name(ev.picks['closed'])}, most of it {hardest['label'].lower()}")


def cards_from(rec: Recommendation) -> list[ChartCard]:
    s = rec.settings
    ev = rec.ev
    srcs = ["artificial_analysis", "mlperf", "gpu_prices", "curated"]
    weights_txt = ", ".join(f"{r.label.lower()} {r.share:.0%}" for r in rec.weights.itertuples())
    return [
        ChartCard(
            key="advisor_scores", title=scores_title(rec),
            subtitle=(f"Score out of 100 per option: each bar segment is one criterion's weight × the option's rating "
                      f"(0–1). Weights for your answers: {weights_txt}."),
            chart=chart_scores(rec),
            data=rec.contributions[["rank", "label", "criterion_label", "weight", "rating", "points", "score"]],
            sources=srcs,
            alt=(f"Horizontal stacked bars, one per option ranked by score: "
                 + "; ".join(f"{OPTION_LABELS[o]} {ev.scores[o]:.0f}" for o in ev.ranking)
                 + ". Segments show each criterion's contribution."),
            method=("score = 100 × Σ weight × rating ÷ Σ weight. Ratings: cost from the cost model, quality from AA "
                    "benchmarks, data control from where requests go, risk from the risk register; speed to ship, "
                    "control and latency are the report's judgment (see *How the wizard decides*). Options an answer "
                    "makes impossible are ranked last and marked."),
            page=PAGE, settings=s.label()),
        ChartCard(
            key="advisor_costs", title=costs_title(rec),
            subtitle=(f"Estimated USD per month at {fmt.tokens(s.tokens)} tokens ({fmt.ratio(s.ratio)} "
                      "input:output), log scale. Line: self-hosting at the month's 10th–90th percentile GPU price."
                      + (" No hybrid is shown: nothing would be routed to the closed model."
                         if ev.closed_share < HYBRID_MIN_SHARE else "")),
            chart=chart_costs(rec), data=rec.costs, sources=["artificial_analysis", "mlperf", "gpu_prices"],
            alt="Dot plot of the monthly cost of each option on a log axis, with a range line for self-hosting.",
            method=("API options: tokens × the AA reference price of the model used (cost.monthly_cost_api). "
                    "Self-hosting: sized to you (cost.size_self_host): the MLPerf-measured model at least as large as "
                    "the smallest open model of known size that reaches your bar, on the GPU type and count that "
                    "serve your volume most cheaply (MLPerf throughput × derate, utilization, median marketplace "
                    "GPU price); the GPUs holding the weights are always on, more are paid by the hour as traffic "
                    "needs them. " + self_host_note(ev) + " The hybrid blends both at its routing split. Engineering time is "
                    "not included."),
            page=PAGE, settings=s.label()),
        ChartCard(
            key="advisor_routing", title=routing_title(rec),
            subtitle=("Per workload, the share of requests a hybrid sends to each model: the hardest share, which "
                      "the open model would miss at your quality need, goes to the closed model."),
            chart=chart_routing(rec), data=rec.routing, sources=["artificial_analysis"],
            alt="Stacked 100% bars per workload: orange for the open model's share, blue for the closed model's.",
            method=("For each workload, the needed score on its benchmark is the closed model's score × your target ÷ "
                    "its AA index. The share routed to the closed model is the open model's shortfall, 1 − open "
                    "score ÷ needed score (assuming the open model solves a subset of what the closed one solves). "
                    "Real routers misjudge some requests."),
            page=PAGE, settings=s.label()),
    ]


def cards(tables: Mapping[str, pd.DataFrame], settings: Settings | None = None) -> dict[str, ChartCard]:
    """Every chart card of the page by key, in page order, for these answers."""
    return by_key(cards_from(recommend(tables, settings or Settings())))
