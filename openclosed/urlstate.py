"""Each section's controls, declared once: the page's widget (`widget()`, drawn by `ui.controls.control`) and the
settings a link gives (`settings_from_query`) both come from the section's `Param`s.

Presenter mode and the deck show every section's cards, but only one page's widgets are on screen (or none), so
the other sections' settings come from here: the same parameter names, the same values (Streamlit writes a
choice as its label, a range as a repeated parameter, a switch as true/false), and the same cleaning as the page
(`Settings.clean()` or the section's `sanitize`). Bad values fall back to the default, as the widgets do.
"""
from __future__ import annotations

import dataclasses
import importlib
import math
from collections.abc import Callable, Mapping
from typing import Any

from openclosed import fmt, report
from openclosed import openness as op


@dataclasses.dataclass(frozen=True)
class Param:
    key: str                                   # the query parameter (the widget's key)
    field: str | tuple[str, str] | None        # the Settings field, two fields for a range, or None: a page-only
                                               # control no card reads (the page shows its result itself)
    kind: str = "choice"                       # choice | number | bool | range | multi
    labels: Callable[[Mapping], Mapping] | None = None   # option -> label shown (and written to the URL)
    scale: float = 1.0                         # field value = URL number * scale (percent sliders)
    cast: Callable = float
    bounds: tuple[float, float] = (-math.inf, math.inf)
    parse: Callable[[str], Any] = str          # text: the field value a URL value names
    old_labels: Mapping[str, Any] = dataclasses.field(default_factory=dict)   # older links' labels -> option
    # the widget the page draws (see `widget()`); a control not yet drawn through it leaves `label` empty
    label: str = ""                            # the text shown beside the widget
    help: str | Callable[[Mapping], str | None] | None = None   # or tables -> text (None: no help icon)
    style: str = ""                            # the streamlit widget; "" picks one by kind (`STYLES`)
    step: float | None = None
    format: str | None = None                  # printf format of a slider's number
    horizontal: bool = False                   # a radio's options in a row
    default: Any = None                        # the widget's default when `field` is None (else the Settings one)
    number: Callable | None = None             # the widget's number type when not `cast` (whole percents: int)
    top: Callable[[Mapping], float] | None = None   # tables -> the slider's top when data sets it
    given: tuple[str, ...] = ()                # controls whose values the options depend on: labels(tables, *values)


STYLES = {"choice": "selectbox", "bool": "toggle", "number": "slider", "multi": "multiselect", "text": "text_input"}


def _ident(options) -> Callable[[Mapping], dict]:
    return lambda tables: {o: str(o) for o in options()}


def _labelled(options, fmt) -> Callable[[Mapping], dict]:
    return lambda tables: {o: fmt(o) for o in options()}


def _performance():
    from openclosed import performance as P
    return [
        Param("perf_metric", "metric", labels=_labelled(lambda: P.METRICS, lambda k: P.METRICS[k].label),
              label="Yardstick", help="The benchmark or index used to compare models."),
        Param("perf_range", ("start", "end"), "range", labels=_ident(P.month_options),
              label="Date range (release month)", style="select_slider"),
        Param("perf_open", "open_rule", labels=_labelled(lambda: op.OPEN_RULES, op.OPEN_RULES.get),
              old_labels=op.OPEN_RULE_OLD_LABELS, label="What counts as open", style="radio", horizontal=True,
              help="Unrestricted: Apache, MIT and similar licences. Restricted-licence models (Llama, Qwen, "
                   "DeepSeek licence…) then count as neither open nor closed."),
        Param("perf_country", "country", labels=_labelled(lambda: P.COUNTRIES, P.COUNTRIES.get),
              old_labels=P.COUNTRY_OLD_LABELS, label="Developer country",
              help="Both frontiers are restricted to models from these developers."),
        Param("perf_flagged", "include_flagged", "bool", label="Include unverified and preview models",
              help="Models whose catalog metadata is unverified, or that any source lists as a preview."),
    ]


def _self_host(tables):
    from openclosed import cost
    return cost.self_host_table(tables["throughput"], tables["gpu_prices"])


def _cost_models(tables) -> dict:
    from openclosed import cost
    sh = _self_host(tables)
    return {k: cost.self_host_label(sh[sh["model"] == k].iloc[0]) for k in dict.fromkeys(sh["model"])}


def _cost_gpus(tables, model) -> dict:
    from openclosed import cost
    return cost.gpu_choices(_self_host(tables), tables["gpu_prices"], tables["gpu_specs"], model)


def _cost_scenarios(tables, model, gpu) -> dict:
    from openclosed import cost
    return {s: s for s in cost.scenario_choices(_self_host(tables), model, gpu)}


def _cost_closed(tables) -> dict:
    from openclosed import cost
    closed = cost.closed_catalog(tables["models"], tables["scores"], tables["prices"], cost.Settings().ratio)
    labels = {"auto": "Auto: cheapest closed model at least as capable"}
    labels.update(zip(closed["model_id"], closed["label"] + " (AA " + closed["score"].map("{:.1f}".format) + ")"))
    return labels


def _cost_top_level(tables) -> float:
    """The capability sliders' top: one above the best AA index score, in whole points."""
    from openclosed import cost
    scores = tables["scores"]
    return float(int(scores.loc[scores["metric"] == cost.METRIC, "value"].max()) + 1)


def _cost_history_help(tables) -> str:
    from openclosed import cost
    scores, models = tables["scores"], tables["models"]
    r1 = scores.loc[(scores["metric"] == cost.METRIC) & (scores["model_id"] == "deepseek-r1"), "value"]
    released = models.loc[models["model_id"] == "deepseek-r1", "release_date"]
    return (f"The default, {cost.Settings().history_level:g}, sits just below DeepSeek-R1 (released "
            f"{fmt.month(released.iloc[0] if len(released) else None)}), which scores "
            f"{fmt.num(r1.max() if len(r1) else float('nan'), 1)}, so its launch and the capacity crunch that "
            "followed are in view.")


def _gpu_window(tables) -> str:
    from openclosed import cost
    return cost.gpu_price_window(tables["gpu_prices"]) or "over the snapshot"


def _cost():
    from openclosed import cost
    pct = dict(kind="number", scale=0.01, number=int, style="slider")
    level = dict(kind="number", bounds=(0, 100), top=_cost_top_level, step=0.5)
    whole = dict(kind="number", number=float, style="number_input", format="%.0f")
    return [
        Param("cost_source", "price_source", labels=_labelled(lambda: cost.PRICE_SOURCES, cost.PRICE_SOURCES.get),
              label="Price source", style="radio",
              help="Lab list: the lab's own API price. Cheapest host: the cheapest provider in models.dev. "
                   "AA reference: Artificial Analysis's price for the same entry as the score."),
        Param("cost_ratio", "ratio", labels=_labelled(lambda: cost.RATIO_STEPS, fmt.ratio), label="Input:output tokens",
              style="select_slider", help="Blended price = (ratio × input price + output price) ÷ (ratio + 1). "
                                          "Chat and RAG workloads are input-heavy; 3:1 is Artificial Analysis's blend."),
        Param("cost_open", "open_rule", labels=_labelled(lambda: op.OPEN_RULES, op.OPEN_RULES.get),
              old_labels=op.OPEN_RULE_OLD_LABELS, label="Counts as open", style="radio"),
        Param("cost_log", "log_price", "bool", label="Log price axis"),
        Param("cost_threshold", "threshold", **level, label="Capability threshold: AA Intelligence Index at least",
              help="The cheapest open and closed model scoring at least this much are compared below."),
        Param("cost_level", "history_level", **level, help=_cost_history_help,
              label="Capability level for the history: AA Intelligence Index at least"),
        Param("cost_tokens", "tokens", labels=_labelled(lambda: cost.TOKEN_STEPS, fmt.tokens),
              label="Tokens per month (input + output)", style="select_slider",
              help="A log scale from 1M to 100B tokens a month (0 = nothing yet)."),
        Param("cost_cache", "cache_hit", bounds=(0, 90), **pct, step=5,
              label="Input tokens served from the API's prompt cache (%)",
              help="Billed at the cache-read price where the data has one. Self-hosting ignores caching."),
        Param("cost_model", "model", labels=_cost_models, label="Open model to self-host (MLPerf-measured)"),
        Param("cost_gpu", "gpu", "text", parse=cost.gpu_from_label, labels=_cost_gpus, given=("cost_model",),
              label="GPU type", style="selectbox",
              help="Rented GPUs. Without an MLPerf result for this model, throughput is derived from the measured "
                   "GPU nearest in memory bandwidth (scaled by the bandwidth ratio, never up)."),
        Param("cost_scenario", "scenario", "text", labels=_cost_scenarios, given=("cost_model", "cost_gpu"),
              label="MLPerf scenario", style="radio", horizontal=True,
              help="Server: requests arrive over time under a latency bound. Offline: one big batch. "
                   "Interactive: a tighter latency bound."),
        Param("cost_gpu_pct", "gpu_pct", labels=_ident(lambda: cost.GPU_PCTS), label="GPU price", style="radio",
              horizontal=True, help=lambda tables: "Percentile of the marketplace listings for this GPU (USD per "
                                                   f"GPU-hour), {_gpu_window(tables)}."),
        Param("cost_derate", "derate", bounds=(5, 100), **pct, step=5,
              label="Realism derate on MLPerf throughput (%)",
              help="MLPerf results are vendor-tuned best cases: an upper bound. 100% keeps MLPerf's number."),
        Param("cost_util", "utilization", bounds=(1, 100), **pct, step=1, label="Target GPU utilization (%)",
              help="Average load as a share of capacity; traffic peaks need headroom."),
        # Float-typed widgets shown as whole numbers: Streamlit's integer number_input crashes (OverflowError) on a
        # URL value such as "inf" or "1e309", the float one falls back to its default (tests/app/test_hostile_urls)
        Param("cost_min_gpus", "min_gpus", cast=lambda v: int(round(v)), bounds=(1, 1024), **whole, step=1.0,
              label="Minimum GPUs", help="For redundancy. The weights' size can raise it."),
        Param("cost_overhead", "overhead", bounds=(0, 1_000_000), **whole, step=500.0, label="Overhead ($/month)",
              help="Engineering and operations time for self-hosting."),
        Param("cost_closed", "closed_model", labels=_cost_closed, label="Closed API to compare with"),
        Param("cost_against", "against", style="radio", label="Break-even, tornado and simulation against",
              labels=_labelled(lambda: cost.AGAINST, lambda k: cost.AGAINST[k][0].upper() + cost.AGAINST[k][1:])),
        # open matches for a closed model: a table on the page, in no card
        Param("cost_match_yardstick", None, labels=_labelled(lambda: cost.match.YARDSTICKS,
                                                             lambda k: cost.match.YARDSTICKS[k][0]),
              label="Yardstick", default=next(iter(cost.match.YARDSTICKS))),
        Param("cost_task_in", None, bounds=(1, 1_000_000), **whole, step=500.0, default=3000.0,
              label="Input tokens per task"),
        Param("cost_task_out", None, bounds=(1, 1_000_000), **whole, step=100.0, default=1000.0,
              label="Output tokens per task"),
    ]


def _risk():
    from openclosed import risk
    weights = [Param(f"risk_w_{c}", f"w_{c}", "number", bounds=(risk.WEIGHT_MIN, risk.WEIGHT_MAX),
                     label=risk.CATEGORY_LABELS[c], step=0.5, format="%.1f",
                     help="Importance weight: multiplies every risk in this category.") for c in risk.CATEGORIES]
    situation = [Param(f"risk_ctx_{c}", c, "bool", label=risk.CONTEXT_LABELS[c],
                       help=lambda tables, c=c: risk.context_effect(tables["risk_register"], c) or None)
                 for c in risk.CONTEXTS]
    option = Param("risk_option", "option", labels=_labelled(lambda: risk.OPTIONS, lambda o: risk.OPTION_SHORT[o]),
                   label="Mitigations for", style="radio", horizontal=True)
    return weights + situation + [option]


def _geo_years_help(tables) -> str:
    end = str(tables["epoch_models"]["publication_date"].max())
    return f"Epoch's model lists end on {end}; capability scores may run later."


def _geo():
    from openclosed import geo
    return [
        Param("geo_years", ("year_from", "year_to"), "range", cast=int, bounds=(geo.YEAR_MIN, geo.YEAR_MAX),
              label="Years of publication", help=_geo_years_help),
        Param("geo_list", "model_list", labels=_labelled(lambda: geo.LISTS, geo.LISTS.get), label="Epoch list",
              style="radio", help="Notable: Epoch's notability criteria. Large-scale: over 10²³ FLOP. The lists "
                                  "overlap and are never added together."),
        Param("geo_open", "open_rule", labels=_labelled(lambda: op.OPEN_RULES, op.OPEN_RULES.get),
              old_labels=op.OPEN_RULE_OLD_LABELS, label="What counts as open", style="radio",
              help="Any open weights, or only weights under an unrestricted licence."),
        Param("geo_regions", "grouping", labels=_labelled(lambda: geo.GROUPINGS, geo.GROUPINGS.get),
              label="Region grouping", style="radio", horizontal=True),
        Param("geo_counting", "counting", labels=_labelled(lambda: geo.COUNTING, geo.COUNTING.get),
              label="Multi-country models", style="radio",
              help="Full: a US-UK model counts once for the US and once for Europe. Fractional: half each."),
        Param("geo_metric", "metric", labels=_labelled(lambda: geo.METRICS, geo.METRICS.get),
              label="Capability score"),
        Param("geo_measure", "measure", labels=_labelled(lambda: geo.MEASURES, geo.MEASURES.get), label="Show",
              style="radio", horizontal=True),
    ]


ADVISOR_QUESTIONS = {"who": "Which describes you best?", "sensitivity": "The most sensitive data the model will see",
                     "locality": "Where must it run?", "team": "In-house ML or infrastructure team",
                     "gpus": "Running GPUs yourselves", "quality": "Quality need", "latency": "Latency and SLA",
                     "ttm": "Time to market", "risk_tolerance": "Risk tolerance"}


def _advisor():
    from openclosed import advisor as adv
    helps = {"who": "Sets the base weights: " + "; ".join(f"{adv.WHO[k]}: {v}" for k, v in adv.WHO_REASONS.items())
                    + ".",
             "locality": "'Our own infrastructure' rules out every outside API."}
    choice = [Param(f"adv_{f}", f, labels=_labelled((lambda f=f: adv.CHOICES[f]), (lambda k, f=f: adv.CHOICES[f][k])),
                    label=ADVISOR_QUESTIONS[f], style="radio", help=helps.get(f)) for f in adv.CHOICES]
    return choice + [
        Param("adv_workloads", "workloads", "multi", labels=_labelled(lambda: adv.WORKLOADS, adv.WORKLOADS.get),
              label="Workloads (pick all that apply)", style="pills"),
        *[Param(f"adv_mix_{w}", f"mix_{w}", "number", cast=int, bounds=(0, 100), label=adv.WORKLOADS[w], step=5)
          for w in adv.WORKLOADS],
        Param("adv_tokens", "tokens", labels=_labelled(lambda: adv.TOKEN_STEPS, fmt.tokens),
              label="Tokens per month (input + output)", style="select_slider",
              help="A log scale from 1M to 100B tokens a month."),
        Param("adv_ratio", "ratio", labels=_labelled(lambda: adv.RATIO_STEPS, fmt.ratio), label="Input:output tokens",
              style="select_slider", help="Chat with long prompts and retrieval is input-heavy (3:1 or more); "
                                          "generating long documents or code is output-heavy. Output tokens cost more."),
        Param("adv_audit", "audit", "bool", label="We need to audit or inspect the model itself"),
        Param("adv_level", "level", "number", bounds=(adv.LEVEL_MIN, adv.LEVEL_MAX), number=int,
              step=int(adv.LEVEL_STEP), label="Good enough means an Artificial Analysis Intelligence Index of at least",
              help="AA Intelligence Index v4.1: a composite of ten evaluations (0-100)."),
        Param("adv_finetune", "finetune", "bool", label="We want to fine-tune on our private data"),
        # the wizard's step: a view, not a setting
        Param("adv_step", None, labels=_labelled(lambda: adv.STEP_KEYS, adv.step_label), label="Step",
              style="segmented_control", default=adv.STEP_KEYS[0]),
        Param("adv_sh_model", "sh_model", labels=lambda tables: _advisor_setups(tables)[0],
              label="If you self-host: model size class (MLPerf-measured)",
              help="Auto: the smallest measured model at least as large as the smallest open model that reaches your "
                   "quality bar, on the GPUs that serve your volume most cheaply."),
        Param("adv_sh_gpu", "sh_gpu", labels=lambda tables: _advisor_setups(tables)[1],
              label="If you self-host: GPU", help="Auto: the GPU type that serves your volume most cheaply."),
    ]


def _advisor_setups(tables) -> tuple[dict, dict]:
    """The advisor's self-hosting pickers: (model key -> label, GPU -> GPU), as its page offers them."""
    from openclosed import advisor as adv
    from openclosed import cost
    return adv.self_host_setups(cost.self_host_table(tables["throughput"], tables["gpu_prices"]))


PARAMS: dict[str, Callable[[], list[Param]]] = {
    "performance": _performance, "cost": _cost, "risk": _risk, "geo": _geo, "advisor": _advisor}
PREFIX = {s.key: s.prefix for s in report.SECTIONS if s.prefix}      # declared in the registry


def params(section: str) -> list[Param]:
    return PARAMS[section]() if section in PARAMS else []


def param(key: str) -> tuple[str, Param]:
    """(section, Param) of the control with this URL key; a clear KeyError when none is declared."""
    for section, prefix in PREFIX.items():
        if key.startswith(prefix):
            for p in params(section):
                if p.key == key:
                    return section, p
    raise KeyError(f"No control is declared with the key {key!r}: declare it as a Param of its section in "
                   "openclosed/urlstate.py, then draw it with ui.controls.control(key).")


def default(section: str, p: Param) -> Any:
    """The widget's default, in the widget's units: the section's Settings default (a range: both fields; a
    percent slider: divided by `scale`), or the Param's own `default` for a page-only control."""
    if p.field is None:
        return p.default
    mod = importlib.import_module(f"openclosed.{section}")
    defaults = mod.Settings()
    if isinstance(p.field, tuple):
        return tuple(getattr(defaults, f) for f in p.field)
    value = getattr(defaults, p.field)
    if p.kind == "number":
        return (p.number or p.cast)(round(value / p.scale, 9))
    return list(value) if p.kind == "multi" else value


@dataclasses.dataclass(frozen=True)
class Widget:
    style: str            # the streamlit function: selectbox, radio, select_slider, slider, toggle, ...
    kwargs: dict          # its arguments, URL binding included


def widget(key: str, tables: Mapping, given: tuple = ()) -> Widget:
    """The streamlit widget a declared control is drawn as: label, options and their labels, default, bounds,
    step, format and help from its Param and its section's Settings, bound to the URL under its key (so the URL
    it writes is the one `settings_from_query` reads). `tables` feeds option labels and help built from data;
    `given` holds the values of the controls the options depend on (`Param.given`), in that order."""
    section, p = param(key)
    if not p.label:
        raise ValueError(f"The control {key!r} declares no label, so it cannot be drawn: give its Param a label.")
    style = p.style or (("select_slider" if p.labels is not None else "slider") if p.kind == "range"
                        else STYLES[p.kind])
    help_text = p.help(tables) if callable(p.help) else p.help
    kw: dict[str, Any] = dict(label=p.label, key=p.key, bind="query-params", help=help_text)
    value = default(section, p)
    if len(given) != len(p.given):
        raise ValueError(f"The control {key!r} depends on {p.given}: pass their values as `given`.")
    if p.labels is not None:
        labels = p.labels(tables, *given)
        kw.update(options=list(labels), format_func=labels.get)
    if p.given and value not in kw["options"]:
        value = next(iter(kw["options"]), None)     # options that depend on another control: the first one
    if style in ("selectbox", "radio"):
        if value not in kw["options"]:
            raise ValueError(f"The control {key!r} defaults to {value!r}, which is not one of its options.")
        kw["index"] = kw["options"].index(value)
    elif style in ("multiselect", "segmented_control", "pills"):
        kw["default"] = value
        if style != "multiselect" and p.kind == "multi":
            kw["selection_mode"] = "multi"
    else:
        kw["value"] = value
    if style in ("slider", "number_input"):
        number = p.number or p.cast
        lo, hi = (number(b) if math.isfinite(b) else None for b in p.bounds)
        if p.top is not None:
            hi = number(p.top(tables))
        kw.update(min_value=lo, max_value=hi, step=p.step, format=p.format)
    if p.horizontal:
        kw["horizontal"] = True
    return Widget(style, kw)


def upgraded_link(section: str, query: Mapping[str, str]) -> dict[str, tuple[str, Any]]:
    """{key: (label, option)} for each link value an older link spelled another way (`Param.old_labels`): the page
    writes the current label back and sets its widget to the option, so an old link keeps working."""
    out = {}
    for p in params(section):
        old = query.get(p.key)
        if p.old_labels and old in p.old_labels:
            option = p.old_labels[old]
            out[p.key] = (p.labels({})[option], option)
    return out


def _choice(raw: str, labels: Mapping) -> Any:
    """The option whose label is `raw` (Streamlit matches URL values against the labels); KeyError if none."""
    for option, label in labels.items():
        if raw == label:
            return option
    raise KeyError(raw)


def _number(raw: str, p: Param):
    """A number within the widget's bounds (outside them the widget keeps its default, so do we)."""
    v = float(raw)
    if not (math.isfinite(v) and p.bounds[0] <= v <= p.bounds[1]):
        raise ValueError(raw)
    return p.cast(v * p.scale)


def _read(p: Param, values: list[str], tables: Mapping) -> dict:
    last = values[-1]
    if p.kind == "bool":
        if last.lower() not in ("true", "false"):
            raise ValueError(last)
        return {p.field: last.lower() == "true"}
    if p.kind == "number":
        return {p.field: _number(last, p)}
    if p.kind == "text":
        return {p.field: p.parse(last)}
    if p.kind == "range":
        if len(values) != 2:
            raise ValueError(values)
        if p.labels is not None:
            labels = p.labels(tables)
            a, b = (_choice(v, labels) for v in values)
        else:
            a, b = (_number(v, p) for v in values)
        return dict(zip(p.field, sorted((a, b))))
    labels = p.labels(tables)
    if p.kind == "multi":
        by_label = {label: option for option, label in labels.items()}
        return {p.field: tuple(by_label[v] for v in values if v in by_label)}     # unknown entries are dropped
    return {p.field: p.old_labels[last] if last in p.old_labels else _choice(last, labels)}


def clean(section: str, settings):
    """The page's own cleaning: `Settings.clean()` where the section has one, else its `sanitize`."""
    if hasattr(settings, "clean"):
        return settings.clean()
    mod = importlib.import_module(f"openclosed.{section}")
    return mod.sanitize(settings) if hasattr(mod, "sanitize") else settings


def settings_from_values(section: str, values: Mapping[str, Any]):
    """The section's Settings for its widgets' values ({key: value}, as `ui.controls.control` returns them), each
    put in the field its Param names (a range in two, a percent back to a fraction), cleaned as the page cleans."""
    mod = importlib.import_module(f"openclosed.{section}")
    fields = {}
    for key, value in values.items():
        p = param(key)[1]
        if isinstance(p.field, tuple):
            fields.update(zip(p.field, value))
        elif p.field is not None:
            fields[p.field] = p.cast(value * p.scale) if p.kind == "number" else value
    return clean(section, mod.Settings(**fields))


def settings_from_query(section: str, query: Mapping[str, list[str]], tables: Mapping):
    """The section's Settings for these query parameters ({key: [values]}), cleaned as the page cleans them."""
    mod = importlib.import_module(f"openclosed.{section}")
    values = {}
    for p in params(section):
        raw = query.get(p.key)
        if not raw or p.field is None:
            continue
        try:
            values.update(_read(p, list(raw), tables))
        except (KeyError, ValueError, TypeError, OverflowError):
            continue            # a bad value falls back to the default, as the widget does
    fields = {f.name for f in dataclasses.fields(mod.Settings)}
    return clean(section, mod.Settings(**{k: v for k, v in values.items() if k in fields}))
