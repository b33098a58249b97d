"""Number and date formatting shared by every section's headlines, tooltips and pages.

One rounding rule everywhere: half away from zero on the float's exact value, which is what Vega-Lite's d3
format (JavaScript's toFixed) does, so a chart's tooltip and the headline above it print the same digits
(12.25 -> "12.3" in both; Python's own f-string would print "12.2").
"""
from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

NA = "n/a"


def _finite(x) -> bool:
    try:
        return x is not None and math.isfinite(float(x))
    except (TypeError, ValueError):
        return False


def rounded(x: float, decimals: int = 0) -> float:
    """x rounded half away from zero (the rule every formatter here uses)."""
    return float(Decimal(float(x)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def num(x, decimals: int = 1) -> str:
    """1234.25 -> '1,234.3'; 'n/a' when missing."""
    if not _finite(x):
        return NA
    q = Decimal(float(x)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return f"{q.copy_abs() if q.is_zero() else q:,.{decimals}f}"   # never '-0.0'


def pct(x, decimals: int = 0) -> str:
    """A value already in percent: 12.25 -> '12%' (decimals=0), '12.3%' (decimals=1)."""
    return NA if not _finite(x) else num(x, decimals) + "%"


def share(x, decimals: int = 0) -> str:
    """A fraction as a percentage: 0.1225 -> '12%'."""
    return NA if not _finite(x) else pct(100 * float(x), decimals)


def months(x) -> str:
    """A lag in months, in words: 'under a month', '1 month', '14 months'."""
    if not _finite(x):
        return "an unknown number of months"
    if x <= 0:
        return "0 months"
    if x < 0.5:
        return "under a month"
    r = int(rounded(x))
    return f"{r} month" + ("" if r == 1 else "s")


def month(ts) -> str:
    """'Jan 2024'; 'n/a' when missing."""
    return pd.Timestamp(ts).strftime("%b %Y") if ts is not None and pd.notna(ts) else NA


def day(ts) -> str:
    """ISO date '2024-01-15'; 'n/a' when missing."""
    return f"{pd.Timestamp(ts):%Y-%m-%d}" if ts is not None and pd.notna(ts) else NA


def usd(v, digits: int = 3) -> str:
    """Dollars with sensible precision: $0.175, $12.30, $4,154, $1.20M."""
    if not _finite(v):
        return NA
    v = float(v)
    if abs(v) >= 1e6:
        return f"${num(v / 1e6, 2)}M"
    if abs(v) >= 100:
        return f"${num(v, 0)}"
    if abs(v) >= 1:
        return f"${num(v, 2)}"
    if v == 0:
        return "$0"
    txt = f"{v:.{digits}g}"
    if "e" in txt:
        return f"${v:.2e}"
    if len(txt.split(".")[-1]) < 2:
        txt = num(v, 2)
    return f"${txt}"


def tokens(v) -> str:
    """1e9 -> '1B', 2.5e6 -> '2.5M', 0 -> '0'."""
    if not _finite(v):
        return NA
    v = float(v)
    if v == 0:
        return "0"
    for div, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(v) >= div:
            return f"{v / div:.3g}{suffix}"
    return f"{v:.3g}"


def ratio(r) -> str:
    """Input:output ratio: 3 -> '3:1', 0.25 -> '1:4', 0 -> '0:1'."""
    r = float(r)
    if r == 0:
        return "0:1"
    return f"{r:g}:1" if r >= 1 else f"1:{1 / r:g}"


def saving(saving_pct, decimals: int = 0) -> str:
    """Open's saving against closed (100 x (1 - open / closed)), in words: 80 -> 'open is 80% cheaper'. A negative
    saving is worded from the cheaper side, as closed's saving against open (100 x (1 - closed / open)), so it
    never exceeds 100%: -25 (open 1.25x closed) -> 'closed is 20% cheaper'; -378 -> 'closed is 79% cheaper'."""
    if not _finite(saving_pct):
        return "no comparable price"
    s = float(saving_pct)
    if rounded(s, decimals) == 0:
        return "open and closed cost the same"
    if s > 0:
        return f"open is {pct(s, decimals)} cheaper"
    return f"closed is {pct(100 * (1 - 1 / (1 - s / 100)), decimals)} cheaper"


def open_saving(saving_pct, decimals: int = 0) -> str:
    """Open's saving as a short figure: '80%'; 'none' when open is not cheaper (``saving`` words it); 'n/a'."""
    if saving_pct is None or not _finite(saving_pct):
        return NA
    return pct(saving_pct, decimals) if rounded(saving_pct, decimals) > 0 else "none"


def settings_label(settings, words: Mapping[str, Callable[[object], str]]) -> str:
    """The non-default fields of a settings dataclass as short text, 'A; B'; '' at the defaults.
    ``words[field](value)`` words one field; fields without an entry are shown as 'field: value'."""
    default = type(settings)()
    parts = []
    for f in dataclasses.fields(settings):
        value = getattr(settings, f.name)
        if value == getattr(default, f.name):
            continue
        word = words.get(f.name)
        parts.append(word(value) if word else f"{f.name.replace('_', ' ')}: {value}")
    return "; ".join(parts)
