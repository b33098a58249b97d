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


def _cost_models(tables) -> dict:
    from openclosed import cost
    sh = cost.self_host_table(tables["throughput"], tables["gpu_prices"])
    return {k: cost.self_host_label(sh[sh["model"] == k].iloc[0]) for k in dict.fromkeys(sh["model"])}


def _cost_closed(tables) -> dict:
    from openclosed import cost
    closed = cost.closed_catalog(tables["models"], tables["scores"], tables["prices"], cost.Settings().ratio)
    labels = {"auto": "Auto: cheapest closed model at least as capable"}
    labels.update(zip(closed["model_id"], closed["label"] + " (AA " + closed["score"].map("{:.1f}".format) + ")"))
    return labels


def _cost():
    from openclosed import cost
    pct = dict(kind="number", scale=0.01)
    return [
        Param("cost_source", "price_source", labels=_labelled(lambda: cost.PRICE_SOURCES, cost.PRICE_SOURCES.get)),
        Param("cost_ratio", "ratio", labels=_labelled(lambda: cost.RATIO_STEPS, fmt.ratio)),
        Param("cost_open", "open_rule", labels=_labelled(lambda: op.OPEN_RULES, op.OPEN_RULES.get),
              old_labels=op.OPEN_RULE_OLD_LABELS),
        Param("cost_log", "log_price", "bool"),
        Param("cost_threshold", "threshold", "number", bounds=(0, 100)),
        Param("cost_level", "history_level", "number", bounds=(0, 100)),
        Param("cost_tokens", "tokens", labels=_labelled(lambda: cost.TOKEN_STEPS, fmt.tokens)),
        Param("cost_cache", "cache_hit", bounds=(0, 90), **pct),
        Param("cost_model", "model", labels=_cost_models),
        Param("cost_gpu", "gpu", "text", parse=cost.gpu_from_label),
        Param("cost_scenario", "scenario", "text"),
        Param("cost_gpu_pct", "gpu_pct", labels=_ident(lambda: cost.GPU_PCTS)),
        Param("cost_derate", "derate", bounds=(5, 100), **pct),
        Param("cost_util", "utilization", bounds=(1, 100), **pct),
        Param("cost_min_gpus", "min_gpus", "number", cast=lambda v: int(round(v)), bounds=(1, 1024)),
        Param("cost_overhead", "overhead", "number", bounds=(0, 1_000_000)),
        Param("cost_closed", "closed_model", labels=_cost_closed),
        Param("cost_against", "against",
              labels=_labelled(lambda: cost.AGAINST, lambda k: cost.AGAINST[k][0].upper() + cost.AGAINST[k][1:])),
        # open matches for a closed model: a table on the page, in no card
        Param("cost_match_yardstick", None, labels=_labelled(lambda: cost.match.YARDSTICKS,
                                                             lambda k: cost.match.YARDSTICKS[k][0])),
        Param("cost_task_in", None, "number", bounds=(1, 1_000_000)),
        Param("cost_task_out", None, "number", bounds=(1, 1_000_000)),
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


def _advisor():
    from openclosed import advisor as adv
    from openclosed import cost
    choice = [Param(f"adv_{f}", f, labels=_labelled((lambda f=f: adv.CHOICES[f]), (lambda k, f=f: adv.CHOICES[f][k])))
              for f in adv.CHOICES]
    return choice + [
        Param("adv_workloads", "workloads", "multi", labels=_labelled(lambda: adv.WORKLOADS, adv.WORKLOADS.get)),
        *[Param(f"adv_mix_{w}", f"mix_{w}", "number", cast=int, bounds=(0, 100)) for w in adv.WORKLOADS],
        Param("adv_tokens", "tokens", labels=_labelled(lambda: adv.TOKEN_STEPS, fmt.tokens)),
        Param("adv_ratio", "ratio", labels=_labelled(lambda: adv.RATIO_STEPS, fmt.ratio)),
        Param("adv_audit", "audit", "bool"),
        Param("adv_level", "level", "number", bounds=(adv.LEVEL_MIN, adv.LEVEL_MAX)),
        Param("adv_finetune", "finetune", "bool"),
        # the wizard's step: a view, not a setting
        Param("adv_step", None, labels=_labelled(lambda: adv.STEP_KEYS, adv.step_label)),
        Param("adv_sh_model", "sh_model", labels=lambda tables: _advisor_setups(tables)[0]),
        Param("adv_sh_gpu", "sh_gpu", labels=lambda tables: _advisor_setups(tables)[1]),
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
        return p.cast(round(value / p.scale, 9))
    return list(value) if p.kind == "multi" else value


@dataclasses.dataclass(frozen=True)
class Widget:
    style: str            # the streamlit function: selectbox, radio, select_slider, slider, toggle, ...
    kwargs: dict          # its arguments, URL binding included


def widget(key: str, tables: Mapping) -> Widget:
    """The streamlit widget a declared control is drawn as: label, options and their labels, default, bounds,
    step, format and help from its Param and its section's Settings, bound to the URL under its key (so the URL
    it writes is the one `settings_from_query` reads). `tables` feeds option labels and help built from data."""
    section, p = param(key)
    if not p.label:
        raise ValueError(f"The control {key!r} declares no label, so it cannot be drawn: give its Param a label.")
    style = p.style or (("select_slider" if p.labels is not None else "slider") if p.kind == "range"
                        else STYLES[p.kind])
    help_text = p.help(tables) if callable(p.help) else p.help
    kw: dict[str, Any] = dict(label=p.label, key=p.key, bind="query-params", help=help_text)
    value = default(section, p)
    if p.labels is not None:
        labels = p.labels(tables)
        kw.update(options=list(labels), format_func=labels.get)
    if style in ("selectbox", "radio"):
        if value not in kw["options"]:
            raise ValueError(f"The control {key!r} defaults to {value!r}, which is not one of its options.")
        kw["index"] = kw["options"].index(value)
    elif style in ("multiselect", "segmented_control", "pills"):
        kw["default"] = value
    else:
        kw["value"] = value
    if style in ("slider", "number_input"):
        lo, hi = (p.cast(b) if math.isfinite(b) else None for b in p.bounds)
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
