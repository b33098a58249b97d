"""The report's sections: one registry that the navigation, the overview's tour, presenter mode and the deck
all read, and the chart cards of each section by key.

A section is one page file, `pages/<url_path>.py`, plus one line in `SECTIONS` below. A section with chart
cards also has a core module `openclosed.<core>` that provides:

- `Settings`: a frozen dataclass whose defaults are the page's defaults, with `clean()` (the same settings with
  bad or out-of-range values replaced, so any URL renders) and `label()` (the non-default settings as short
  text for slide footers, "" at the defaults);
- `cards(tables, settings) -> dict[str, ChartCard]`: every chart card of the page, by key, in page order,
  computed from `tables` (only the ones the section lists in `tables`) for those settings.

The page renders `cards()[key]` for each chart, so the page, presenter mode and the deck show the same cards.
`tests/unit/test_card_contract.py` checks every section against this contract.
"""
from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Mapping
from types import ModuleType

import pandas as pd

from openclosed.cards import ChartCard, by_key
from openclosed.tables import TABLES


@dataclasses.dataclass(frozen=True)
class Section:
    key: str                   # short id: prefix of the section's widget keys, and its key in ui.state
    title: str                 # navigation label and page heading
    url_path: str              # /<url_path>; the page file is named after it (see `page`)
    icon: str                  # material icon in the navigation
    question: str              # what the section answers (the overview's guided tour)
    tables: tuple[str, ...]    # the data/ tables it reads (names in openclosed.tables.TABLES)
    core: str | None = None    # openclosed.<core> provides Settings and cards(); None: a page without cards
    default: bool = False      # the page served at "/"
    prefix: str = ""           # prefix of its URL-bound widget keys ("" for a page without controls)

    @property
    def page(self) -> str:
        """The page file. Named after the url path: Streamlit's legacy pages/ mode matches deep links by file
        name on a fresh server (ui/shell.py), so any other name would show "Page not found" first."""
        return f"pages/{self.url_path}.py"

    @property
    def has_cards(self) -> bool:
        return self.core is not None


ALL_TABLES = tuple(TABLES)

SECTIONS = [
    Section("overview", "Overview", "overview", ":material/home:",
            "What is the state of play, in five numbers, and which popular claims hold up?",
            ALL_TABLES, default=True),
    Section("performance", "Performance", "performance", ":material/trending_up:",
            "How far behind are open models, in score and in months, and is the gap closing?",
            ("scores", "models", "published_estimates", "events", "report2024"), core="performance", prefix="perf_"),
    Section("cost", "Cost", "cost", ":material/payments:",
            "How much cheaper is open at equal capability, and when does self-hosting pay?",
            ("models", "scores", "prices", "price_history", "gpu_prices", "throughput", "events", "aa_index_runs",
             "gpu_specs", "model_params", "epoch_models"), core="cost", prefix="cost_"),
    Section("risk", "Risk", "risk", ":material/warning:",
            "What can go wrong with each option, weighted by what matters to you?",
            ("risk_register", "listings", "price_history", "models", "events"), core="risk", prefix="risk_"),
    Section("geo", "Geopolitics", "geopolitics", ":material/public:",
            "Who releases open and who releases closed models, and how far apart are the US and China?",
            ("epoch_models", "models", "scores", "events", "published_estimates"), core="geo", prefix="geo_"),
    Section("advisor", "Which should I use?", "advisor", ":material/alt_route:",
            "Given my situation, open, closed or hybrid, and why?",
            ("models", "scores", "prices", "gpu_prices", "throughput", "risk_register", "aa_speed", "epoch_models",
             "gpu_specs", "model_params"), core="advisor", prefix="adv_"),
    Section("data", "Data & methods", "data", ":material/dataset:",
            "Where does every number come from, and how is it computed?", ALL_TABLES),
]


def section(key: str) -> Section:
    """The section registered under `key` (ValueError naming the known keys otherwise)."""
    for s in SECTIONS:
        if s.key == key:
            return s
    raise ValueError(f"no section '{key}'; known: {', '.join(s.key for s in SECTIONS)}")


def with_cards() -> list[Section]:
    """The sections that have chart cards, in reading order: presenter mode and the deck show these."""
    return [s for s in SECTIONS if s.has_cards]


def module(section: Section) -> ModuleType:
    """The section's core module (ValueError for a section without cards)."""
    if section.core is None:
        raise ValueError(f"section '{section.key}' has no chart cards")
    return importlib.import_module(f"openclosed.{section.core}")


def default_settings(section: Section):
    return module(section).Settings()


def section_cards(section: Section, tables: Mapping[str, pd.DataFrame], settings=None) -> dict[str, ChartCard]:
    """Every chart card of a section by key, for `settings` (the defaults when None), labelled with the section
    title and the settings text the slides print."""
    if not section.has_cards:
        return {}
    mod = module(section)
    settings = settings if settings is not None else mod.Settings()
    cards = by_key(mod.cards({name: tables[name] for name in section.tables}, settings))
    text = label(settings)
    for card in cards.values():
        card.page = section.title
        card.settings = card.settings or text
    return cards


def card_reads(section: Section) -> dict[str, tuple[str, ...]]:
    """The Settings fields each card reads, by card key (`CARD_READS` beside the section's card builders; {} when
    the section builds its cards only together)."""
    return getattr(module(section), "CARD_READS", {}) if section.has_cards else {}


def only(settings, fields):
    """`settings` with every field outside `fields` at its default: what a card reading `fields` is built and
    cached on, so readers whose settings agree on those fields share it."""
    return dataclasses.replace(type(settings)(), **{f: getattr(settings, f) for f in fields})


def section_card(section: Section, tables: Mapping[str, pd.DataFrame], settings, key: str) -> ChartCard:
    """One card of a section that declares `CARD_READS`, built from the settings it reads alone (its slide footer
    names those); its title and spec equal the ones `section_cards` gives for the full settings."""
    mod = module(section)
    narrow = only(settings if settings is not None else mod.Settings(), card_reads(section)[key])
    card = mod.card({name: tables[name] for name in section.tables}, narrow, key)
    card.page = section.title
    card.settings = card.settings or label(narrow)
    return card


def label(settings) -> str:
    """The non-default settings as short text ("" at the defaults): `Settings.label()` when the section
    defines it, else 'name=value' for each field that differs from its default."""
    if settings is None:
        return ""
    if hasattr(settings, "label"):
        return settings.label()
    if not dataclasses.is_dataclass(settings):
        return ""
    default = type(settings)()
    return ", ".join(f"{f.name}={getattr(settings, f.name)}" for f in dataclasses.fields(settings)
                     if getattr(settings, f.name) != getattr(default, f.name))


CATALOG_TABLES = ("models", "mentions", "match_coverage", "source_dates")


def data_age(url_path: str, provenance: Mapping[str, dict]) -> list[dict]:
    """How old a page's data is: for each source behind the tables its section reads, the newest date its data
    reach (``data_ends``, computed by the build), newest first. Rows: id, name, data_ends."""
    match = [s for s in SECTIONS if s.url_path == url_path or (not url_path and s.default)]   # "/" is the default page
    if not match:
        return []
    seen: dict[str, dict] = {}
    # the catalog's tables name and classify models from every source; the dates that age a page's numbers are
    # those of the tables its numbers come from
    for table in [t for t in match[0].tables if t not in CATALOG_TABLES] or match[0].tables:
        for src in provenance.get(table, {}).get("sources", []):
            if src.get("reference"):        # fixed reference figures (datasheets) do not age: no data date
                continue
            ends = src.get("data_ends") or src.get("snapshot", "")
            if src["id"] not in seen or ends > seen[src["id"]]["data_ends"]:
                seen[src["id"]] = {"id": src["id"], "name": src.get("short") or src["id"], "data_ends": ends}
    return sorted(seen.values(), key=lambda r: (r["data_ends"], r["id"]), reverse=True)


def data_age_text(rows: list[dict]) -> str:
    """'Data to: Epoch ECI 2026-07-31 · Artificial Analysis 2026-08-22 ...': every source's data end, in words a
    reader knows."""
    return "Data to: " + " · ".join(f"{SOURCE_SHORT.get(r['id'], r['id'])} {r['data_ends']}" for r in rows)


def data_age_summary(rows: list[dict]) -> str:
    """The dateline in one short line: the newest data end, and the oldest source when the dates differ
    ('Data to 2026-08-22 · 13 sources; oldest: Epoch 2024 report, 2024-11-01'); `data_age_text` lists them all."""
    if not rows:
        return ""
    newest, oldest = rows[0], rows[-1]
    if len(rows) == 1 or oldest["data_ends"] == newest["data_ends"]:
        names = ", ".join(SOURCE_SHORT.get(r["id"], r["id"]) for r in rows)
        return f"Data to {newest['data_ends']} ({names})"
    return (f"Data to {newest['data_ends']} · {len(rows)} sources; oldest: "
            f"{SOURCE_SHORT.get(oldest['id'], oldest['id'])}, {oldest['data_ends']}")


SOURCE_SHORT = {
    "eci": "Epoch ECI", "eci_stitched": "stitched ECI estimates", "epoch_hub": "Epoch Benchmarking Hub",
    "epoch_models": "Epoch AI models", "epoch_report2024": "Epoch 2024 report", "artificial_analysis": "Artificial Analysis",
    "aa_index_runs": "AA index runs", "models_dev": "models.dev", "openrouter": "OpenRouter", "lmarena": "LMArena",
    "livebench": "LiveBench", "swebench": "SWE-bench", "mlperf": "MLPerf", "gpu_prices": "GPU rental prices",
    "curated": "curated tables (newest cited row)", "model_params": "parameter counts", "gpu_specs": "GPU datasheets",
}
