"""The registry of data sources: every source module's ``SPEC`` (pipeline.common.SourceSpec), in build order.

Adding a source: its module pipeline/<source>.py with ``SOURCE``, ``SPEC`` and ``load(raw)``, and its name in
LOADERS below (DERIVED for a source the build computes from others). The build runs the loaders, the catalog ranks
mentions by the specs' priorities, publish checks each main metric, pipeline.fetch downloads each source, and
data/provenance.json carries each spec's name, licence and citation to the app (openclosed.sources)."""
from __future__ import annotations

import importlib

from pipeline.common import SourceSpec

LOADERS = ("eci", "epoch_models", "epoch_hub", "epoch_report2024", "artificial_analysis", "aa_index_runs", "models_dev",
           "openrouter", "lmarena", "livebench", "swebench", "mlperf", "gpu_prices", "gpu_specs", "model_params",
           "curated")
DERIVED = ("eci_stitch",)          # computed by the build from other sources' rows


MODULES: dict[str, str] = {}       # source key -> its module under pipeline/


def _specs() -> dict[str, SourceSpec]:
    specs = {}
    for module in LOADERS + DERIVED:
        spec = importlib.import_module(f"pipeline.{module}").SPEC
        if spec.key in specs:
            raise ValueError(f"pipeline/{module}.py: source '{spec.key}' is declared twice")
        MODULES[spec.key] = module
        ranks = (spec.name_priority, spec.openness_priority, spec.date_priority)
        if any(r is not None for r in ranks) and any(r is None for r in ranks):
            raise ValueError(f"pipeline/{module}.py: source '{spec.key}' ranks models by some priorities but not all "
                             "(name_priority, openness_priority, date_priority)")
        specs[spec.key] = spec
    return specs


SPECS: dict[str, SourceSpec] = _specs()


def priority(kind: str) -> list[str]:
    """The sources that name models, best first by ``<kind>_priority`` (kind: name, openness or date)."""
    ranked = [(getattr(s, f"{kind}_priority"), s.key) for s in SPECS.values() if getattr(s, f"{kind}_priority")]
    ranks = [r for r, _ in ranked]
    if len(set(ranks)) != len(ranks):
        raise ValueError(f"two sources share a {kind}_priority: {sorted(ranked)}")
    return [key for _, key in sorted(ranked)]


def rank(order: list[str], source: str) -> int:
    """A source's place in a priority list; a source without one is an error, never silently last."""
    if source not in order:
        raise ValueError(f"source '{source}' names models but its SPEC declares no name_priority, openness_priority "
                         "and date_priority (pipeline/<source>.py)")
    return order.index(source)


def main_metrics() -> dict[str, str]:
    """Each scored source's headline metric, in build order."""
    return {s.key: s.main_metric for s in SPECS.values() if s.main_metric}


def provenance(key: str) -> dict[str, str]:
    """A source's name, licence, fallback snapshot and citation as data/provenance.json states them."""
    if key not in SPECS:
        raise ValueError(f"no source '{key}'; known: {', '.join(SPECS)}")
    return SPECS[key].provenance()
