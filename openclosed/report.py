"""The report's sections in reading order, and the chart cards of the whole report.

Each section module in the core exposes `Settings` (a frozen dataclass whose defaults are the page's
defaults) and `cards(tables, settings) -> list[ChartCard]`. Presenter mode, the slide deck and the
overview all go through here, so they show exactly what the pages show.
"""
from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Mapping
from types import ModuleType

import pandas as pd

from openclosed.cards import ChartCard


@dataclasses.dataclass(frozen=True)
class Section:
    key: str          # core module name: openclosed.<key>
    title: str
    page: str         # file under pages/
    url_path: str
    question: str     # what the section answers, for the guided tour


SECTIONS = [
    Section("performance", "Performance", "pages/performance.py", "performance",
            "How far behind are open models, in score and in months, and is the gap closing?"),
    Section("cost", "Cost", "pages/cost.py", "cost",
            "How much cheaper is open at equal capability, and when does self-hosting pay?"),
    Section("risk", "Risk", "pages/risk.py", "risk",
            "What can go wrong with each option, weighted by what matters to you?"),
    Section("geo", "Geopolitics", "pages/geopolitics.py", "geopolitics",
            "Who releases open and who releases closed models, and how far apart are the US and China?"),
    Section("advisor", "Which should I use?", "pages/advisor.py", "advisor",
            "Given my situation, open, closed or hybrid, and why?"),
]


def module(section: Section) -> ModuleType | None:
    """The section's core module, or None while the section is not built."""
    try:
        mod = importlib.import_module(f"openclosed.{section.key}")
    except ModuleNotFoundError:
        return None
    return mod if hasattr(mod, "cards") and hasattr(mod, "Settings") else None


def available() -> list[Section]:
    return [s for s in SECTIONS if module(s) is not None]


def section_cards(section: Section, tables: Mapping[str, pd.DataFrame], settings=None) -> list[ChartCard]:
    mod = module(section)
    if mod is None:
        return []
    cards = list(mod.cards(tables, settings if settings is not None else mod.Settings()).values())
    for card in cards:
        card.page = card.page or section.title
    return cards


def settings_text(settings) -> str:
    """Non-default settings as 'name=value' text for slide footers ('defaults' when none)."""
    if settings is None or not dataclasses.is_dataclass(settings):
        return "defaults"
    default = type(settings)()
    changed = [f"{f.name}={getattr(settings, f.name)}" for f in dataclasses.fields(settings)
               if getattr(settings, f.name) != getattr(default, f.name)]
    return ", ".join(changed) or "defaults"
