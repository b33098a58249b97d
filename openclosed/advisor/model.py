"""Advisor scoring model: the questions, Settings, criteria, weights, rules and ratings, the data it reads,
and ``evaluate`` (ratings, weights and scores of every option). Pure functions of the tables and answers."""
from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from openclosed import report
from openclosed import cost, fmt, risk, theme
from openclosed.sources import SOURCES


PAGE = "advisor"
# The wizard's steps, in order: key -> title (the page's step picker; its URL value is `step_label`)
STEPS = {"who": "You", "workloads": "Workloads", "volume": "Volume", "data": "Data", "team": "Team",
         "quality": "Quality", "rest": "The rest", "result": "Recommendation"}
STEP_KEYS = list(STEPS)


def step_label(step: str) -> str:
    return f"{STEP_KEYS.index(step) + 1}. {STEPS[step]}"


TABLES = report.section("advisor").tables   # the data/ tables it reads: declared once, in the registry

# ====================================================================================================
# The options
# ====================================================================================================
CLOSED, HOSTED, SELF, HYBRID = "closed_api", "hosted_open", "self_hosted", "hybrid"
OPTIONS = (CLOSED, HOSTED, SELF, HYBRID)
OPTION_LABELS = {
    CLOSED: "Closed API",
    HOSTED: "Open weights, hosted",
    SELF: "Open weights, self-hosted",
    HYBRID: "Hybrid (open + closed)",
}
OPTION_LONG = {
    CLOSED: "a closed model through its vendor's API",
    HOSTED: "open weights through a hosted provider",
    SELF: "open weights on GPUs you run",
    HYBRID: "a hybrid: open weights for routine traffic, a closed API for the hardest share",
}
OPTION_SHORT = {CLOSED: "Closed API", HOSTED: "Open, hosted", SELF: "Open, self-hosted", HYBRID: "Hybrid"}  # charts
OPTION_THE = {CLOSED: "the closed API", HOSTED: "hosted open weights", SELF: "self-hosted open weights",
              HYBRID: "the hybrid"}     # in a sentence
OPTION_COLORS = {CLOSED: theme.CLOSED, HOSTED: theme.OPEN, SELF: risk.OPTION_COLORS[risk.SELF_HOSTED],
                 HYBRID: theme.GREEN}
RISK_OPTION = {CLOSED: risk.CLOSED_API, HOSTED: risk.HOSTED_OPEN, SELF: risk.SELF_HOSTED}

# ====================================================================================================
# The questions and their answers (ordered: later values are "more" of the thing)
# ====================================================================================================
WHO = {
    "startup": "Startup or small business",
    "enterprise": "Enterprise",
    "regulated": "Regulated enterprise (finance, health, government)",
    "research": "Research or academia",
    "individual": "Individual developer or creator",
}
WORKLOADS = {
    "coding": "Coding",
    "reasoning": "Reasoning and math",
    "multilingual": "Multilingual",
    "multimodal": "Multimodal (images, audio)",
    "agentic": "Agents and tool use",
    "chat": "Chat and support",
    "documents": "Batch document processing",
}
# The AA benchmark that stands for each workload (None: data/ has none, the AA Intelligence Index stands in).
WORKLOAD_METRIC = {
    "coding": "aa_coding_index",
    "reasoning": "aa_hle",
    "multilingual": None,
    "multimodal": None,
    "agentic": "aa_tau2",
    "chat": "aa_ifbench",
    "documents": "aa_lcr",
}
METRIC_LABELS = {
    "aa_intelligence_index": "AA Intelligence Index",
    "aa_coding_index": "AA Coding Index",
    "aa_hle": "Humanity's Last Exam (AA)",
    "aa_tau2": "τ²-Bench (AA)",
    "aa_ifbench": "IFBench (AA)",
    "aa_lcr": "AA Long Context Reasoning",
}
SENSITIVITY = {
    "public": "Public or non-sensitive",
    "internal": "Internal business data",
    "personal": "Personal data",
    "regulated": "Regulated data (health, finance, government)",
}
LOCALITY = {
    "none": "No location requirement",
    "residency": "Data must stay in a region",
    "on_prem": "Must run on our own infrastructure",
}
TEAM = {"none": "No ML or infra team", "some": "Some ML or infra people", "strong": "A strong ML and infra team"}
GPUS = {"avoid": "Rather not run GPUs", "if_needed": "Will run GPUs if it pays", "keen": "Happy to run GPUs"}
QUALITY = {"frontier": "Frontier: the best available", "good_enough": "Good enough, at a level I choose"}
LATENCY = {"relaxed": "Relaxed: batch, minutes are fine", "interactive": "Interactive: seconds",
           "strict": "Strict: fast, with a guaranteed SLA"}
FINETUNE = {False: "No fine-tuning", True: "Fine-tune on our private data"}
TTM = {"months": "Months: we can build", "weeks": "Weeks", "asap": "Days: as soon as possible"}
RISK_TOLERANCE = {"high": "High: we can live with surprises", "medium": "Medium",
                  "low": "Low: surprises are costly"}

AUTO_SETUP = "auto (sized to your volume)"
TOKEN_STEPS = tuple(v for v in cost.TOKEN_STEPS if v > 0)       # 1M ... 100B tokens a month
RATIO_STEPS = cost.RATIO_STEPS
LEVEL_MIN, LEVEL_MAX, LEVEL_STEP = 10.0, 60.0, 1.0

# ====================================================================================================
# The scoring model as data
# ====================================================================================================
CRITERIA = {
    "cost": ("Cost", "What the option costs a month at your volume (cost model), on a log scale."),
    "quality": ("Quality", "How close the option's model comes to your quality need on "
                                              "each workload's benchmark, weighted by your mix."),
    "data_control": ("Data control", "The share of requests that never leave infrastructure you control."),
    "team_fit": ("Team fit", "Whether your team and your appetite for GPUs can run it."),
    "speed": ("Speed to ship", "How quickly you can go from nothing to production."),
    "control": ("Model control", "Fine-tuning, auditing the weights, pinning a version for good."),
    "latency": ("Latency control", "How much control you have over response time and capacity."),
    "risk": ("Other risks", "The risk register's weighted score for vendor change, security, "
                                       "safety, compliance and jurisdiction; lower risk rates higher."),
}
CRITERION_KEYS = tuple(CRITERIA)
CRITERION_COLORS = {  # Paul Tol's muted scheme: colour-blind safe
    "cost": theme.INDIGO, "quality": theme.CYAN, "data_control": theme.TEAL, "team_fit": theme.FOREST,
    "speed": theme.OLIVE, "control": theme.SAND, "latency": theme.ROSE, "risk": theme.WINE,
}

# Base weight of each criterion for who the reader is (judgment; reasons in WHO_REASONS).
BASE_WEIGHTS: dict[str, dict[str, float]] = {
    "startup":    {"cost": 4.0, "quality": 2.0, "data_control": 1.0, "team_fit": 1.5, "speed": 1.5, "control": 0.5,
                   "latency": 1.0, "risk": 1.0},
    "enterprise": {"cost": 1.5, "quality": 2.0, "data_control": 1.5, "team_fit": 1.0, "speed": 1.0, "control": 0.75,
                   "latency": 1.0, "risk": 2.0},
    "regulated":  {"cost": 1.0, "quality": 2.0, "data_control": 2.0, "team_fit": 1.0, "speed": 0.5, "control": 1.0,
                   "latency": 1.0, "risk": 3.0},
    "research":   {"cost": 2.5, "quality": 2.0, "data_control": 1.5, "team_fit": 1.0, "speed": 0.5, "control": 1.5,
                   "latency": 0.5, "risk": 1.0},
    "individual": {"cost": 2.0, "quality": 1.5, "data_control": 0.5, "team_fit": 2.0, "speed": 2.0, "control": 0.5,
                   "latency": 0.5, "risk": 0.5},
}
WHO_REASONS = {
    "startup": "cash is short, so cost weighs most",
    "enterprise": "quality and risk weigh more than the bill",
    "regulated": "risk, compliance and data control weigh most",
    "research": "budgets are tight and control of the model (reproducibility) matters",
    "individual": "the setup has to be simple and quick",
}


@dataclasses.dataclass(frozen=True)
class Rule:
    """If answer ``field`` equals ``value``, multiply criterion ``criterion``'s weight by ``factor``."""
    field: str
    value: object
    criterion: str
    factor: float
    reason: str


WEIGHT_RULES: tuple[Rule, ...] = (
    Rule("sensitivity", "public", "data_control", 0.25, "public data: where it goes hardly matters"),
    Rule("sensitivity", "internal", "data_control", 0.5, "internal data: vendor contracts usually cover it"),
    Rule("sensitivity", "personal", "data_control", 1.5, "personal data: where it goes matters"),
    Rule("sensitivity", "regulated", "data_control", 3.0, "regulated data: where it goes matters a lot"),
    Rule("locality", "residency", "data_control", 1.5, "data must stay in a region"),
    Rule("locality", "on_prem", "data_control", 2.0, "it must run on your own infrastructure"),
    Rule("audit", True, "control", 2.0, "you need to audit the model"),
    Rule("finetune", True, "control", 2.0, "you want to fine-tune on private data"),
    Rule("team", "none", "team_fit", 1.5, "you have no ML or infra team"),
    Rule("gpus", "avoid", "team_fit", 1.5, "you would rather not run GPUs"),
    Rule("quality", "frontier", "quality", 2.0, "you need frontier quality"),
    Rule("latency", "relaxed", "latency", 0.5, "latency hardly matters (batch)"),
    Rule("latency", "strict", "latency", 2.0, "you need a strict latency SLA"),
    Rule("ttm", "asap", "speed", 2.0, "you need to ship in days"),
    Rule("ttm", "months", "speed", 0.5, "you have months to build"),
    Rule("risk_tolerance", "low", "risk", 2.0, "surprises are costly for you"),
    Rule("risk_tolerance", "high", "risk", 0.5, "you can live with surprises"),
)

# Judgment ratings (0-1) for the criteria that no table in data/ measures, each with its reason.
RATINGS: dict[str, dict[str, tuple[float, str]]] = {
    "speed": {
        CLOSED: (1.0, "an API key and an SDK: the vendor runs everything"),
        HOSTED: (0.9, "the same kind of API (often OpenAI-compatible), but you pick a host and test that it serves "
                      "the model well: hosts differ (the risk register's provider-variance row)"),
        SELF: (0.2, "GPUs to rent, a serving stack to run, monitoring and on-call before the first request"),
    },
    "control": {
        CLOSED: (0.2, "no weights: the vendor decides versions, retirement and what fine-tuning is offered"),
        HOSTED: (0.7, "open weights you can inspect, fine-tune and move to another host, but a host serves them"),
        SELF: (1.0, "the weights, the version and the serving stack are all yours"),
    },
    "latency": {
        CLOSED: (0.7, "shared capacity with rate limits; enterprise tiers add SLAs"),
        HOSTED: (0.7, "shared capacity; hosts compete on speed, but vary in reliability (risk register)"),
        SELF: (0.8, "dedicated GPUs: you set batch size, capacity and where it runs (if you can run them)"),
    },
    "team_fit": {
        CLOSED: (1.0, "nothing to operate"),
        HOSTED: (0.9, "nothing to operate beyond choosing and watching a host"),
    },
}
TEAM_FIT = {"none": 0.0, "some": 0.5, "strong": 1.0}
GPU_FIT = {"avoid": 0.0, "if_needed": 0.5, "keen": 1.0}
HYBRID_PENALTY = {"speed": 0.2, "team_fit": 0.2, "latency": 0.1}   # a router and two providers to run
HYBRID_MIN_SHARE = 0.005    # below 0.5% of traffic to the closed model, there is no hybrid to speak of

# Options an answer makes impossible. They keep a score but rank after every option that is allowed.
HARD_RULES: tuple[tuple[str, object, tuple[str, ...], str], ...] = (
    ("locality", "on_prem", (CLOSED, HOSTED, HYBRID),
     "it must run on your own infrastructure, so no request can go to an outside API"),
)

# Constants of the ratings.
COST_FREE_USD = 100.0       # monthly bills under this count as this much: differences below it are negligible
COST_DECADES = 2.0          # each tenfold step above the cheapest option costs half the rating: 100x rates 0
SHORTFALL_ZERO = 0.25       # a model 25% short of your need on a workload rates 0 on it
RISK_CATEGORIES = ("security", "vendor", "safety_quality", "compliance", "jurisdiction")  # the others are criteria

# The self-hosting configuration: the Cost page's calculator defaults (a large open MoE model, MLPerf-measured).
SELF_HOST = cost.CalcInputs()


# ====================================================================================================
# The answers
# ====================================================================================================
@dataclasses.dataclass(frozen=True)
class Settings:
    """The reader's answers. Defaults equal the page's defaults."""
    who: str = "startup"
    workloads: tuple[str, ...] = ("chat", "coding", "documents")
    mix_coding: int = 30
    mix_reasoning: int = 20
    mix_multilingual: int = 20
    mix_multimodal: int = 20
    mix_agentic: int = 20
    mix_chat: int = 40
    mix_documents: int = 30
    tokens: float = 1e9
    ratio: float = 3.0
    sensitivity: str = "internal"
    locality: str = "none"
    audit: bool = False
    team: str = "some"
    gpus: str = "if_needed"
    quality: str = "good_enough"
    level: float = 40.0
    latency: str = "interactive"
    finetune: bool = False
    ttm: str = "weeks"
    risk_tolerance: str = "medium"
    sh_model: str = "auto"      # self-hosting: MLPerf model key, or 'auto' (size class from the quality bar)
    sh_gpu: str = "auto"        # ... GPU type, or 'auto' (the cheapest that fits the volume)

    def __post_init__(self):
        # one order for the workloads (the questions' order), so equal answers are equal settings
        wl = (self.workloads,) if isinstance(self.workloads, str) else tuple(self.workloads or ())
        known = [w for w in WORKLOADS if w in wl]
        object.__setattr__(self, "workloads", tuple(known + [w for w in dict.fromkeys(wl) if w not in WORKLOADS]))
        for w in WORKLOADS:   # the share of a workload not chosen is unused: keep it at its default
            if w not in known and (known or w != "chat"):
                object.__setattr__(self, f"mix_{w}", _MIX_DEFAULTS[w])

    def mix(self) -> dict[str, float]:
        """Workload -> share of traffic (sums to 1) over the chosen workloads."""
        chosen = [w for w in WORKLOADS if w in self.workloads] or ["chat"]
        raw = {w: max(float(getattr(self, f"mix_{w}")), 0.0) for w in chosen}
        total = sum(raw.values())
        if total <= 0:
            return {w: 1.0 / len(chosen) for w in chosen}
        return {w: v / total for w, v in raw.items() if v > 0}

    def clean(self) -> "Settings":
        """Every field valid: unknown choices fall back to the default, numbers are clamped."""
        return _clean(self)

    def label(self) -> str:
        """The answers that differ from the defaults, as short text ('' at the defaults)."""
        d = Settings()
        words = {f"mix_{w}": (lambda v: "") for w in WORKLOADS}
        words.update({
            "who": lambda v: WHO.get(v, v), "workloads": lambda v: "",
            "tokens": lambda v: f"{fmt.tokens(v)} tokens/month", "ratio": lambda v: f"{fmt.ratio(v)} in:out",
            "sensitivity": lambda v: SENSITIVITY.get(v, v).lower(), "locality": lambda v: LOCALITY.get(v, v).lower(),
            "audit": lambda v: "audit the model" if v else "no audit", "team": lambda v: f"team: {v}",
            "gpus": lambda v: f"GPUs: {v}", "quality": lambda v: f"quality: {v.replace('_', ' ')}",
            "level": lambda v: f"AA index ≥ {v:g}", "latency": lambda v: f"latency: {v}",
            "finetune": lambda v: "fine-tune" if v else "no fine-tuning", "ttm": lambda v: f"time to market: {v}",
            "risk_tolerance": lambda v: f"risk tolerance: {v}",
            "sh_model": lambda v: f"self-hosted model: {v}", "sh_gpu": lambda v: f"self-hosting GPU: {v}",
        })
        parts = [p for p in fmt.settings_label(self, words).split("; ") if p]
        if self.mix() != d.mix():   # the workloads and their shares, said once
            mix = ", ".join(f"{WORKLOADS[w].lower()} {fmt.share(v)}" for w, v in self.mix().items())
            parts.insert(int(self.who != d.who), f"workloads: {mix}")
        return "; ".join(parts)


_MIX_DEFAULTS = {w: Settings.__dataclass_fields__[f"mix_{w}"].default for w in WORKLOADS}

CHOICES: dict[str, dict] = {
    "who": WHO, "sensitivity": SENSITIVITY, "locality": LOCALITY, "team": TEAM, "gpus": GPUS,
    "quality": QUALITY, "latency": LATENCY, "ttm": TTM, "risk_tolerance": RISK_TOLERANCE,
}
BOOLS = ("audit", "finetune")
# The answers a reader can change to change the outcome, and the lever each belongs to. Who the reader is, what
# the product does (workloads, input:output mix) and attitudes are facts about them, never proposed as a change.
LEVERS: dict[str, str] = {
    "tokens": "volume", "quality": "quality bar", "level": "quality bar",
    "sensitivity": "data rules", "locality": "data rules", "audit": "data rules",
    "team": "team", "gpus": "team", "ttm": "time budget",
}
FIELD_LABELS = {
    "who": "who you are", "workloads": "workloads", "tokens": "monthly volume", "ratio": "input:output mix",
    "sensitivity": "data sensitivity", "locality": "location requirement", "audit": "auditing the model",
    "team": "ML and infra team", "gpus": "appetite for running GPUs", "quality": "quality need",
    "level": "quality level", "latency": "latency need", "finetune": "fine-tuning", "ttm": "time to market",
    "risk_tolerance": "risk tolerance",
}


def _num(v, lo, hi, default) -> float:
    try:
        v = float(v)
    except (TypeError, ValueError):
        return default
    return default if not math.isfinite(v) else min(max(v, lo), hi)


def _clean(s: Settings) -> Settings:
    """Every field valid: unknown choices fall back to the default, numbers are clamped."""
    d = Settings()
    fixes = {}
    for f, choices in CHOICES.items():
        if getattr(s, f) not in choices:
            fixes[f] = getattr(d, f)
    for f in BOOLS:
        fixes[f] = bool(getattr(s, f))
    wl = s.workloads
    if isinstance(wl, str):
        wl = (wl,)
    fixes["workloads"] = tuple(w for w in WORKLOADS if w in set(wl or ()))
    for w in WORKLOADS:
        fixes[f"mix_{w}"] = int(_num(getattr(s, f"mix_{w}"), 0, 100, getattr(d, f"mix_{w}")))
    fixes["tokens"] = _num(s.tokens, TOKEN_STEPS[0], TOKEN_STEPS[-1], d.tokens)
    fixes["ratio"] = _num(s.ratio, 0.0, 100.0, d.ratio)
    fixes["level"] = _num(s.level, 0.0, 100.0, d.level)
    fixes["sh_model"] = str(s.sh_model or "auto")
    fixes["sh_gpu"] = str(s.sh_gpu or "auto")
    return dataclasses.replace(s, **fixes)


# ====================================================================================================
# Personas: one-click presets, with what the wizard should answer and why
# ====================================================================================================
@dataclasses.dataclass(frozen=True)
class Persona:
    label: str
    short: str                    # button text
    icon: str
    blurb: str
    settings: Settings
    expect: tuple[str, ...]       # acceptable top options
    reasoning: str


PERSONAS: dict[str, Persona] = {
    "startup": Persona(
        "Cost-sensitive startup", "Startup", ":material/rocket_launch:",
        "5B tokens a month, good-enough quality, cost first.",
        Settings(who="startup", workloads=("chat", "coding", "documents"), mix_chat=50, mix_coding=30,
                 mix_documents=20, tokens=5e9, sensitivity="internal", team="some", gpus="if_needed",
                 quality="good_enough", level=40.0, latency="interactive", ttm="weeks", risk_tolerance="high"),
        (HOSTED, SELF),
        "The bill is thousands of dollars a month and open models meet the quality need for a fraction of the "
        "closed price, so open weights win: through a host, or on its own GPUs if volume is high enough."),
    "enterprise": Persona(
        "Enterprise, high-stakes reasoning", "Enterprise", ":material/apartment:",
        "Frontier reasoning and agents, low risk tolerance.",
        Settings(who="enterprise", workloads=("reasoning", "agentic", "coding"), mix_reasoning=50, mix_agentic=30,
                 mix_coding=20, tokens=5e8, sensitivity="internal", team="some", gpus="if_needed",
                 quality="frontier", latency="interactive", ttm="weeks", risk_tolerance="low"),
        (HYBRID, CLOSED),
        "Frontier quality is non-negotiable and the best models are closed, so a closed API, or a hybrid that "
        "sends only the hardest share to it, comes first."),
    "lab": Persona(
        "Privacy-bound research lab", "Research lab", ":material/science:",
        "Health data kept on site, audits, fine-tuning.",
        Settings(who="research", workloads=("reasoning", "documents", "multilingual"), mix_reasoning=40,
                 mix_documents=40, mix_multilingual=20, tokens=2e9, sensitivity="regulated", locality="on_prem",
                 audit=True, team="strong", gpus="keen", quality="good_enough", level=35.0, latency="relaxed",
                 finetune=True, ttm="months", risk_tolerance="medium"),
        (SELF, HOSTED),
        "The data cannot leave the lab and the lab wants to audit and fine-tune the model: only open weights "
        "allow either."),
    "prototype": Persona(
        "Weekend prototype", "Prototype", ":material/construction:",
        "10M tokens, no team, must work by Monday.",
        Settings(who="individual", workloads=("chat", "coding"), mix_chat=50, mix_coding=50, tokens=1e7,
                 sensitivity="public", team="none", gpus="avoid", quality="good_enough", level=40.0,
                 latency="interactive", ttm="asap", risk_tolerance="high"),
        (CLOSED,),
        "The bill is negligible either way, there is no team and no time: the quickest, simplest path is a "
        "closed API."),
    "bank": Persona(
        "Regulated bank", "Bank", ":material/account_balance:",
        "Regulated data kept in region, strict SLA.",
        Settings(who="regulated", workloads=("chat", "documents", "reasoning"), mix_chat=40, mix_documents=40,
                 mix_reasoning=20, tokens=2e9, sensitivity="regulated", locality="residency", audit=True,
                 team="some", gpus="if_needed", quality="good_enough", level=45.0, latency="strict",
                 ttm="months", risk_tolerance="low"),
        (SELF, HYBRID),
        "Regulated data and an audit duty weigh most, and a bank has the people to run GPUs: open weights it "
        "runs itself keep the data in, with a closed API at most for a small share."),
}


# ====================================================================================================
# Data: everything the model needs from data/, prepared once
# ====================================================================================================
class Data:
    """Tables from data/ and what the model derives from them; per-ratio results are memoized."""

    def __init__(self, tables: Mapping[str, pd.DataFrame]):
        self.tables = {k: tables[k] for k in TABLES if k in tables}   # for cost.match.open_matches
        self.models = tables["models"]
        self.scores = tables["scores"]
        self.prices = tables["prices"]
        self.register = tables["risk_register"]
        speed = tables.get("aa_speed") if hasattr(tables, "get") else None
        self.speed = speed if speed is not None else pd.DataFrame(
            columns=["model_id", "source_id", "median_output_tokens_per_second",
                     "median_time_to_first_answer_token_seconds"])
        aa = self.scores[self.scores["source"] == "artificial_analysis"]
        metrics = sorted({m for m in WORKLOAD_METRIC.values() if m} | {cost.METRIC})
        aa = aa[aa["metric"].isin(metrics)]
        self.entry_metrics: dict[str, dict[str, float]] = {}
        for sid, metric, value in zip(aa["source_id"], aa["metric"], aa["value"]):
            d = self.entry_metrics.setdefault(sid, {})
            d[metric] = max(float(value), d.get(metric, -math.inf))
        # self-hosting: MLPerf throughput and GPU rental prices; the setup is sized per reader (sizing())
        self.gpu_prices = tables["gpu_prices"]
        self.sh_table = cost.self_host_table(tables["throughput"], self.gpu_prices)
        if self.sh_table.empty:
            raise ValueError("no MLPerf throughput with a GPU price in data/: self-hosting cannot be costed")
        epoch = tables.get("epoch_models") if hasattr(tables, "get") else None
        params = tables.get("model_params") if hasattr(tables, "get") else None
        self.gpu_specs = tables.get("gpu_specs") if hasattr(tables, "get") else None
        # parameter counts: data/model_params.csv (cited), else Epoch's, else the model's name
        self.sizes = cost.model_sizes(self.models, epoch, params)
        self._size_class: dict[tuple, cost.SizeClass] = {}
        gp = self.gpu_prices
        self.gpu_dates = (str(gp["first_date"].min()), str(gp["last_date"].max()))
        self.utilization = SELF_HOST.utilization
        self.overhead = SELF_HOST.overhead_usd
        self._sizing: dict[tuple, cost.Sizing] = {}
        self._tput: dict[tuple, float] = {}
        self._gpu_range: dict[str, tuple[float, float]] = {}
        # risk register: reference (worst case) for the linear risk rating
        self._risk: dict[tuple, dict] = {}
        w = self.risk_weights()
        worst = risk.option_scores(self.register, w, risk.Context(regulated=True, ml_team=False), n_draws=200)
        self.risk_ref = float(worst["max"].max()) or 1.0
        self._pc: dict[float, pd.DataFrame] = {}
        self._picks: dict[tuple, dict] = {}
        self._best_metric: dict[float, dict[str, float]] = {}
        self.as_of = {
            "AA scores and prices": SOURCES["artificial_analysis"]["snapshot"],
            "GPU rental prices": f"{self.gpu_dates[0]} to {self.gpu_dates[1]}",
            "MLPerf throughput": SOURCES["mlperf"]["snapshot"],
            "Risk register": SOURCES["curated"]["snapshot"],
        }

    def size_class(self, ratio: float, target: float) -> cost.SizeClass:
        """The size of open model a quality bar asks for (cost.size_class), memoized."""
        key = (round(float(ratio), 6), round(float(target), 6))
        if key not in self._size_class:
            self._size_class[key] = cost.size_class(self.pc(ratio), self.sizes, target)
        return self._size_class[key]

    def sizing(self, tokens: float, ratio: float, target: float, model: str = "auto",
               gpu: str = "auto") -> cost.Sizing:
        """The serving setup for a volume and quality bar (cost.size_self_host: whole GPUs that hold the model),
        memoized. The model sized is the open model the advice picks at the bar when data/ has its parameter count;
        otherwise a measured model stands in for the bar's size class (and the sizing says so)."""
        key = (round(float(tokens)), round(float(ratio), 6), round(float(target), 6), model, gpu)
        if key not in self._sizing:
            self._sizing[key] = cost.size_self_host(self.sh_table, self.gpu_prices, tokens, ratio,
                                                    self.size_class(ratio, target), SELF_HOST.derate,
                                                    self.utilization, SELF_HOST.gpu_pct, model, gpu,
                                                    gpu_specs=self.gpu_specs, picked=self.picked_size(ratio, target),
                                                    picked_name=self._pick_name(ratio, target))
        return self._sizing[key]

    def _pick_name(self, ratio: float, target: float) -> str:
        pick = self.picks(ratio, target)["open"]
        return "" if pick is None else str(pick["name"])

    def picked_size(self, ratio: float, target: float) -> dict | None:
        """The open pick at a quality bar with its parameter counts (cost.model_sizes), None when data/ has none."""
        pick = self.picks(ratio, target)["open"]
        if pick is None:
            return None
        z = self.sizes[self.sizes["model_id"] == pick["model_id"]]
        if z.empty:
            return None
        r = z.iloc[0]
        return {"model_id": pick["model_id"], "name": pick["name"], "params_b": float(r["params_b"]),
                "active_params_b": float(r["active_params_b"]), "size_source": str(r["size_source"])}

    def setups(self) -> tuple[dict[str, str], dict[str, str]]:
        """The reader's hardware choices: MLPerf model key -> label, GPU -> GPU (each with 'auto' first)."""
        return self_host_setups(self.sh_table)

    def gpu_range(self, gpu: str) -> tuple[float, float]:
        """The month's 10th and 90th percentile $/GPU-hour."""
        if gpu not in self._gpu_range:
            g = self.gpu_prices.set_index("gpu").loc[gpu]
            self._gpu_range[gpu] = (float(g["usd_per_gpu_hour_p10"]), float(g["usd_per_gpu_hour_p90"]))
        return self._gpu_range[gpu]

    @staticmethod
    def risk_weights() -> dict[str, float]:
        return {c: (1.0 if c in RISK_CATEGORIES else 0.0) for c in risk.CATEGORIES}

    def pc(self, ratio: float) -> pd.DataFrame:
        """Models with an AA index and an AA reference price (score and price from the same AA entry)."""
        key = round(float(ratio), 6)
        if key not in self._pc:
            pc = cost.price_capability(self.models, self.scores, self.prices, "aa_reference", key)
            self._pc[key] = pc
            best = {}
            for metric in {m for m in WORKLOAD_METRIC.values() if m} | {cost.METRIC}:
                vals = [self.entry_metrics.get(a, {}).get(metric) for a in pc["aa_id"]]
                vals = [v for v in vals if v is not None]
                best[metric] = max(vals) if vals else float("nan")
            self._best_metric[key] = best
        return self._pc[key]

    def picks(self, ratio: float, target: float) -> dict[str, dict | None]:
        """The model used for each side at a quality target: the cheapest meeting it, else the best (memoized)."""
        key = (round(float(ratio), 6), round(float(target), 6))
        if key not in self._picks:
            pc = self.pc(ratio)
            self._picks[key] = {"open": _pick(pc, target, "open"), "closed": _pick(pc, target, "closed")}
        return {k: (None if v is None else dict(v)) for k, v in self._picks[key].items()}

    def best_metric(self, ratio: float) -> dict[str, float]:
        self.pc(ratio)
        return self._best_metric[round(float(ratio), 6)]

    def risk_scores(self, regulated: bool, ml_team: bool) -> dict[str, dict]:
        key = (bool(regulated), bool(ml_team))
        if key not in self._risk:
            sc = risk.option_scores(self.register, self.risk_weights(),
                                    risk.Context(regulated=key[0], ml_team=key[1]))
            self._risk[key] = {r["option"]: r for r in sc.to_dict("records")}
        return self._risk[key]

    def speed_of(self, aa_id: str, model_id: str) -> tuple[float, float]:
        """(output tokens/s, seconds to first answer token) measured by AA for the entry, else the model."""
        sp = self.speed
        row = sp[sp["source_id"] == aa_id]
        if row.empty:
            row = sp[sp["model_id"] == model_id]
        if row.empty:
            return float("nan"), float("nan")
        r = row.iloc[0]
        return float(r["median_output_tokens_per_second"]), float(r["median_time_to_first_answer_token_seconds"])


def self_host_setups(sh_table: pd.DataFrame) -> tuple[dict[str, str], dict[str, str]]:
    """The self-hosting pickers' options (page, URL state and deck read these): MLPerf model key -> label, GPU ->
    GPU, each with 'auto' first. `sh_table` is `cost.self_host_table(throughput, gpu_prices)`."""
    m = sh_table.drop_duplicates("model").sort_values("params_b")
    models = {"auto": AUTO_SETUP} | {k: cost.self_host_label(r) for k, r in zip(m["model"], m.to_dict("records"))}
    gpus = {"auto": AUTO_SETUP} | {g: g for g in sorted(sh_table["gpu"].unique())}
    return models, gpus


def prepare(tables: Mapping[str, pd.DataFrame]) -> Data:
    return tables if isinstance(tables, Data) else Data(tables)


# ====================================================================================================
# The cost model, applied
# ====================================================================================================
def cost_rating(monthly_usd: float, cheapest_usd: float) -> float:
    """1 for the cheapest option, minus 1/COST_DECADES for each tenfold step above it, floored at 0.

    Both bills count as at least COST_FREE_USD, so differences between negligible bills do not count:
    rating = 1 - log10(max(cost, F) / max(cheapest, F)) / COST_DECADES."""
    if not np.isfinite(monthly_usd):
        return 0.0
    base = max(float(cheapest_usd), COST_FREE_USD) if np.isfinite(cheapest_usd) else COST_FREE_USD
    x = math.log10(max(float(monthly_usd), COST_FREE_USD) / base) / COST_DECADES
    return float(min(max(1.0 - x, 0.0), 1.0))


@dataclasses.dataclass(frozen=True)
class SelfHostCost:
    monthly: float          # whole GPUs (whole replicas) for the month, plus overhead
    low: float              # same at the month's 10th-percentile GPU price
    high: float             # ... and at the 90th
    whole_gpus: int         # whole GPUs rented for the month (the Cost page's way)
    whole_monthly: float    # those GPUs for the whole month (= monthly)
    gpus_avg: float         # = whole_gpus (GPUs are rented whole)
    min_gpus: int           # GPUs of one replica: the fewest that hold weights and KV cache
    sizing: cost.Sizing     # the model and hardware assumed, busy share and idle cost


def self_host_cost(d: Data, tokens: float, ratio: float, target: float, model: str = "auto",
                   gpu: str = "auto") -> SelfHostCost:
    """Self-hosting sized to the reader: cost.size_self_host sizes the open model picked at the quality bar
    ``target`` (a measured stand-in when its size is unknown) and the GPU type and whole-replica count for the
    volume; the same whole-GPU rule as the Cost page."""
    z = d.sizing(tokens, ratio, target, model, gpu)
    p10, p90 = d.gpu_range(z.gpu)

    def at(price):
        return z.gpus_avg * float(price) * cost.HOURS_PER_MONTH + d.overhead

    whole = z.gpus * z.gpu_usd * cost.HOURS_PER_MONTH + d.overhead
    return SelfHostCost(z.monthly_usd + d.overhead, at(p10), at(p90), z.gpus, whole, z.gpus_avg, z.weight_gpus, z)


def api_cost(tokens: float, ratio: float, pick: Mapping | None) -> float:
    if pick is None:
        return float("nan")
    return cost.monthly_cost_api(tokens, cost.input_share_from_ratio(ratio), pick["price_in"], pick["price_out"])


# ====================================================================================================
# Evaluation: ratings, weights, scores (fast: re-run for every "what would change it" alternative)
# ====================================================================================================
@dataclasses.dataclass
class Evaluation:
    settings: Settings
    target: float                           # AA index the need asks for
    picks: dict[str, dict | None]           # "open" / "closed": the model used for each side
    workloads: list[dict]                   # per workload: share, metric, scores, shortfall, routed share
    closed_share: float                     # hybrid: share of traffic to the closed model (0-1)
    leg: str                                # hybrid's open leg: HOSTED or SELF
    costs: dict[str, float]                 # option -> USD a month
    cost_low: dict[str, float]
    cost_high: dict[str, float]
    self_host: SelfHostCost
    hybrid_self_host: SelfHostCost | None
    ratings: dict[str, dict[str, float]]    # option -> criterion -> 0..1
    weights: dict[str, float]               # criterion -> weight
    weight_reasons: dict[str, list[str]]    # criterion -> the answers that changed it
    risk: dict[str, dict]                   # risk option_scores rows per option (hybrid blended)
    quality: dict[str, float]               # option -> quality rating (before weighting)
    excluded: dict[str, str]                # option -> why it is ruled out
    scores: dict[str, float]                # option -> 0-100
    points: dict[str, dict[str, float]]     # option -> criterion -> contribution (points)
    ranking: list[str]                      # options, best first
    excluded_by: dict[str, str] = dataclasses.field(default_factory=dict)   # option -> the rule that ruled it out

    @property
    def top(self) -> str:
        return self.ranking[0]

    @property
    def runner_up(self) -> str:
        return self.ranking[1]


def target_level(d: Data, s: Settings) -> float:
    pc = d.pc(s.ratio)
    if s.quality == "frontier":
        return float(pc["score"].max()) if len(pc) else float(s.level)
    return float(s.level)


def _pick(pc: pd.DataFrame, target: float, side: str) -> dict | None:
    row = cost.cheapest_meeting(pc, target, side)
    if row is not None:
        row["meets"] = True
        return row
    sel = pc[pc["open"] == (side == "open")]
    if sel.empty:
        return None
    row = sel.sort_values(["score", "blended", "model_id"], ascending=[False, True, True]).iloc[0].to_dict()
    row["meets"] = False
    return row


def pick_metric(d: Data, pick: Mapping | None, metric: str) -> float | None:
    if pick is None:
        return None
    v = d.entry_metrics.get(pick["aa_id"], {}).get(metric)
    return None if v is None or not np.isfinite(v) else float(v)


def workload_table(d: Data, s: Settings, target: float, picks: Mapping) -> list[dict]:
    """Per workload: the benchmark used, each side's score, the score the need asks for, each side's shortfall
    and quality rating, and the share of that workload's traffic the hybrid routes to the closed model.

    The need on a workload is the closed model's score scaled by target ÷ its AA index (the score a model as
    good as your need would get). Shortfall = 1 - score ÷ need; the hybrid routes exactly the open model's
    shortfall (the hardest requests, those it would miss) to the closed model."""
    rows = []
    o, c = picks.get("open"), picks.get("closed")
    for w, share in s.mix().items():
        metric = WORKLOAD_METRIC[w]
        ov, cv = (pick_metric(d, o, metric), pick_metric(d, c, metric)) if metric else (None, None)
        used = metric
        if ov is None or cv is None or cv <= 0:
            used = cost.METRIC
            ov = None if o is None else float(o["score"])
            cv = None if c is None else float(c["score"])
        c_idx = None if c is None else float(c["score"])
        if cv is not None and c_idx:
            need = cv * target / c_idx
        else:
            need = target if used == cost.METRIC else float("nan")
        short_o = 1.0 if ov is None or not np.isfinite(need) or need <= 0 else max(0.0, 1.0 - ov / need)
        short_c = 1.0 if cv is None or not np.isfinite(need) or need <= 0 else max(0.0, 1.0 - cv / need)
        q_o = min(max(1.0 - short_o / SHORTFALL_ZERO, 0.0), 1.0)
        q_c = min(max(1.0 - short_c / SHORTFALL_ZERO, 0.0), 1.0)
        routed = short_o if (c is not None and q_c > q_o) else 0.0
        if o is None:
            routed = 1.0
        rows.append({"workload": w, "label": WORKLOADS[w], "share": share, "metric": used,
                     "metric_label": METRIC_LABELS.get(used, used), "fallback": used != metric,
                     "open_score": ov, "closed_score": cv, "need": need, "open_shortfall": short_o,
                     "closed_shortfall": short_c, "q_open": q_o, "q_closed": q_c, "routed_closed": routed,
                     "closed_traffic": share * routed})
    return rows


def _weights(s: Settings) -> tuple[dict[str, float], dict[str, list[str]]]:
    w = dict(BASE_WEIGHTS[s.who])
    reasons = {c: [] for c in CRITERION_KEYS}
    for r in WEIGHT_RULES:
        if getattr(s, r.field) == r.value:
            w[r.criterion] *= r.factor
            reasons[r.criterion].append(f"{r.reason} (×{r.factor:g})")
    return w, reasons


def _blend(a: float, b: float, share_b: float) -> float:
    return (1.0 - share_b) * a + share_b * b


def _hybrid(d: Data, s: Settings, leg: str, share_closed: float, costs: dict, ratings: dict, wl: list) -> dict:
    """The hybrid built on one open leg: its cost (cost model at each leg's volume) and its ratings."""
    sh = None
    if leg == SELF:
        sh = self_host_cost(d, s.tokens * (1.0 - share_closed), s.ratio, target_level(d, s), s.sh_model, s.sh_gpu)
        leg_cost, leg_lo, leg_hi = sh.monthly, sh.low, sh.high
    else:
        leg_cost = leg_lo = leg_hi = (1.0 - share_closed) * costs[HOSTED]
    closed_part = share_closed * costs[CLOSED] if share_closed > 0 else 0.0
    total = leg_cost + closed_part
    r = {}
    for c in CRITERION_KEYS:
        if c == "cost":
            r[c] = 0.0   # set with the others once every option's cost is known
        elif c == "quality":
            r[c] = sum(x["share"] * max(x["q_open"], x["q_closed"]) for x in wl)
        else:
            r[c] = max(0.0, _blend(ratings[leg][c], ratings[CLOSED][c], share_closed) - HYBRID_PENALTY.get(c, 0.0))
    return {"cost": total, "low": leg_lo + closed_part, "high": leg_hi + closed_part, "ratings": r, "self_host": sh}


def evaluate(d: Data, s: Settings) -> Evaluation:
    """Run the scoring model once for a set of answers."""
    s = s.clean()
    pc = d.pc(s.ratio)
    target = target_level(d, s)
    picks = d.picks(s.ratio, target)
    wl = workload_table(d, s, target, picks)
    share_closed = float(min(max(sum(r["closed_traffic"] for r in wl), 0.0), 1.0))

    # costs from the cost model
    costs, lo, hi = {}, {}, {}
    costs[CLOSED] = api_cost(s.tokens, s.ratio, picks["closed"])
    costs[HOSTED] = api_cost(s.tokens, s.ratio, picks["open"])
    sh = self_host_cost(d, s.tokens, s.ratio, target, s.sh_model, s.sh_gpu)
    costs[SELF], lo[SELF], hi[SELF] = sh.monthly, sh.low, sh.high
    for o in (CLOSED, HOSTED):
        lo[o] = hi[o] = costs[o]

    # ratings of the three pure options
    q = {CLOSED: sum(r["share"] * r["q_closed"] for r in wl), HOSTED: sum(r["share"] * r["q_open"] for r in wl)}
    q[SELF] = q[HOSTED]
    rs = d.risk_scores(regulated=s.who == "regulated", ml_team=s.team != "none")
    ratings: dict[str, dict[str, float]] = {}
    for o in (CLOSED, HOSTED, SELF):
        r = {"cost": 0.0, "quality": q[o],
             "data_control": 1.0 if o == SELF else 0.0,
             "speed": RATINGS["speed"][o][0], "control": RATINGS["control"][o][0],
             "latency": RATINGS["latency"][o][0],
             "risk": 1.0 - rs[RISK_OPTION[o]]["score"] / d.risk_ref}
        r["team_fit"] = min(TEAM_FIT[s.team], GPU_FIT[s.gpus]) if o == SELF else RATINGS["team_fit"][o][0]
        ratings[o] = r
    weights, reasons = _weights(s)
    total_w = sum(weights.values())

    def score_of(r):
        return sum(weights[c] * r[c] for c in CRITERION_KEYS)

    # hybrid: an open option carries routine traffic, the closed model the hardest share; of the two possible
    # open legs (hosted or self-hosted), the one that makes the better-scoring hybrid
    hyb = {leg: _hybrid(d, s, leg, share_closed, costs, ratings, wl) for leg in (HOSTED, SELF)}
    cheapest = min([v for v in (costs[CLOSED], costs[HOSTED], costs[SELF], hyb[HOSTED]["cost"], hyb[SELF]["cost"])
                    if np.isfinite(v)] or [float("nan")])
    for o in (CLOSED, HOSTED, SELF):
        ratings[o]["cost"] = cost_rating(costs[o], cheapest)
    for h in hyb.values():
        h["ratings"]["cost"] = cost_rating(h["cost"], cheapest)
    leg = SELF if score_of(hyb[SELF]["ratings"]) > score_of(hyb[HOSTED]["ratings"]) else HOSTED
    h = hyb[leg]
    costs[HYBRID], lo[HYBRID], hi[HYBRID] = h["cost"], h["low"], h["high"]
    ratings[HYBRID] = h["ratings"]
    hyb_sh = h["self_host"]
    q[HYBRID] = h["ratings"]["quality"]
    for o in OPTIONS:      # sums of shares can overshoot 1 by a rounding error
        ratings[o] = {c: float(min(max(v, 0.0), 1.0)) for c, v in ratings[o].items()}
    risk_rows = {o: rs[RISK_OPTION[o]] for o in (CLOSED, HOSTED, SELF)}
    risk_rows[HYBRID] = {"score": _blend(rs[RISK_OPTION[leg]]["score"], rs[risk.CLOSED_API]["score"], share_closed),
                         "low": _blend(rs[RISK_OPTION[leg]]["low"], rs[risk.CLOSED_API]["low"], share_closed),
                         "high": _blend(rs[RISK_OPTION[leg]]["high"], rs[risk.CLOSED_API]["high"], share_closed)}

    excluded, excluded_by = {}, {}

    def rule_out(o: str, rule: str, why: str) -> None:
        if o not in excluded:
            excluded[o], excluded_by[o] = why, rule

    for field, value, options, why in HARD_RULES:
        if getattr(s, field) == value:
            for o in options:
                rule_out(o, f"{FIELD_LABELS[field]}: {CHOICES[field][value]}", why)
    if share_closed < HYBRID_MIN_SHARE:
        rule_out(HYBRID, "a hybrid needs traffic the open model cannot serve",
                 f"{pick_name(picks['open'])} meets your need on every workload, so there is nothing to route to a "
                 "closed model")
    if picks["closed"] is None:
        for o in (CLOSED, HYBRID):
            rule_out(o, "no priced closed model", "no closed model with a price in data/")
    if picks["open"] is None:
        for o in (HOSTED, SELF, HYBRID):
            rule_out(o, "no priced open model", "no open model with a price in data/")

    points = {o: {c: 100.0 * weights[c] * ratings[o][c] / total_w for c in CRITERION_KEYS} for o in OPTIONS}
    scores = {o: float(sum(points[o].values())) for o in OPTIONS}
    ranking = sorted(OPTIONS, key=lambda o: (o in excluded, -round(scores[o], 9), OPTIONS.index(o)))
    return Evaluation(s, target, picks, wl, share_closed, leg, costs, lo, hi, sh, hyb_sh, ratings, weights,
                      reasons, risk_rows, q, excluded, scores, points, ranking, excluded_by)


def level_summary(tables_or_data, ratio: float, level: float) -> str:
    """How many priced open and closed models reach an AA index level, and the best of each (for the quality step)."""
    d = prepare(tables_or_data)
    pc = d.pc(ratio)
    o, c = pc[pc["open"]], pc[~pc["open"]]
    bo, bc = o.iloc[0] if len(o) else None, c.iloc[0] if len(c) else None   # pc is sorted by score, best first
    n_o, n_c = int((o["score"] >= level).sum()), int((c["score"] >= level).sum())
    best = "; ".join(f"best {lbl}: {r['name']} ({r['score']:.1f})" for lbl, r in (("open", bo), ("closed", bc))
                     if r is not None)
    return (f"At AA Intelligence Index ≥ {level:g}, {n_o} open-weight and {n_c} closed models with a price qualify "
            f"({best}).")


def pick_name(pick: Mapping | None) -> str:
    return "no model" if pick is None else str(pick["name"])
