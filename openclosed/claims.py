"""The claims check: for each paraphrased claim, evidence from the data, a verdict and a reason.

Verdict rules (the same for every numeric claim), given the evidence value v (with an optional
interval [lo, hi]) and the range the claim asserts [a, b]:
- supported: v lies in [a, b];
- partly supported: v lies outside [a, b] but its interval overlaps it, or v misses the range by
  at most half the range's width (at least 1 unit);
- not supported: otherwise;
- "our data can't test this": no evidence value could be computed from data/ or cited.
Share evidence (``kind="share"``): the share in [0, 1] of cases where the claim held. Non-numeric claims
("most", "held by") and claims about every case ("whenever", "always": the share of cases inside the
claimed range, not their mean) use it: supported at >= 0.75, partly at >= 0.4, else not supported.
Claims about "now" are judged on a recent window (``openclosed.verdicts.RECENT_MONTHS``); the pooled value
is shown beside it. ``deciding`` names the cases or numbers that decided the verdict.
"""
from __future__ import annotations

import dataclasses
import math

SUPPORTED = "supported"
PARTLY = "partly supported"
NOT_SUPPORTED = "not supported"
UNTESTABLE = "our data can't test this"
VERDICTS = (SUPPORTED, PARTLY, NOT_SUPPORTED, UNTESTABLE)


@dataclasses.dataclass(frozen=True)
class Evidence:
    value: float | None              # the number computed (or cited); None when not available
    text: str                        # the evidence in words, with units
    low: float | None = None         # interval around value, when there is one
    high: float | None = None
    source: str = "computed"         # "computed" from data/, or the citation of a published figure
    link: str = ""                   # page path of the chart that shows it
    kind: str = "value"              # "value": compare with the claimed range; "share": share of cases that held
    deciding: str = ""               # the cases or numbers that decided the verdict


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def numeric_verdict(ev: Evidence, a: float, b: float) -> str:
    if _missing(ev.value):
        return UNTESTABLE
    v = float(ev.value)
    if a <= v <= b:
        return SUPPORTED
    lo = v if _missing(ev.low) else float(ev.low)
    hi = v if _missing(ev.high) else float(ev.high)
    if lo <= b and hi >= a:
        return PARTLY
    slack = max((b - a) / 2, 1.0)
    miss = a - v if v < a else v - b
    return PARTLY if miss <= slack else NOT_SUPPORTED


def share_verdict(ev: Evidence) -> str:
    if _missing(ev.value):
        return UNTESTABLE
    if ev.value >= 0.75:
        return SUPPORTED
    if ev.value >= 0.4:
        return PARTLY
    return NOT_SUPPORTED


def verdict(ev: Evidence, threshold_low: float | None, threshold_high: float | None) -> str:
    """Value evidence is compared with the claimed range; share evidence (and claims without a range) use
    the share of cases where the claim held."""
    if ev.kind == "share" or _missing(threshold_low) or _missing(threshold_high):
        return share_verdict(ev)
    return numeric_verdict(ev, float(threshold_low), float(threshold_high))


def reason(ev: Evidence, verdict_text: str, threshold_low, threshold_high, unit: str) -> str:
    """One line saying why, in plain words."""
    if verdict_text == UNTESTABLE:
        return "No table in data/ measures this, and no published figure is cited for it."
    deciding = f" Deciding: {ev.deciding}" if ev.deciding else ""
    if ev.kind == "share" or _missing(threshold_low) or _missing(threshold_high):
        return f"{ev.text}; the claim held in {ev.value:.0%} of the cases checked.{deciding}"
    claimed = f"{threshold_low:g}–{threshold_high:g} {unit}".strip()
    return f"{ev.text}, against a claimed {claimed}: {verdict_text}.{deciding}"
