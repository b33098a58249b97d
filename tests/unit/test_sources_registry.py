"""A data source is one SPEC in its pipeline module (pipeline/sources.py lists them): the build, fetch, catalog,
publish and data/provenance.json read it, and a source that names models without a priority stops the build."""
import dataclasses
import json
import types
from pathlib import Path

import pandas as pd
import pytest

from openclosed import sources as app_sources
from pipeline import catalog, fetch, fetching, publish, sources
from pipeline.common import SourceSpec

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT.parent / "shared" / "raw"


def test_the_catalog_ranks_sources_by_their_specs():
    assert catalog.NAME_PRIORITY == ["epoch_models", "artificial_analysis", "models_dev", "openrouter", "livebench",
                                     "lmarena", "swebench", "epoch_hub", "eci", "aa_index_runs"]
    assert catalog.OPENNESS_PRIORITY[:2] == ["eci", "epoch_models"] and catalog.OPENNESS_PRIORITY[-1] == "aa_index_runs"
    assert catalog.DATE_PRIORITY[:3] == ["epoch_models", "eci", "artificial_analysis"]
    assert "aa_index_runs" not in catalog.ID_SOURCES and "eci" in catalog.ID_SOURCES


def test_every_source_that_names_models_declares_its_priorities():
    named = set(pd.read_csv(ROOT / "data" / "mentions.csv", usecols=["source"])["source"])
    for kind in ("name", "openness", "date"):
        assert named <= set(sources.priority(kind)), kind


def test_a_source_without_a_priority_is_an_error_not_last():
    with pytest.raises(ValueError, match="'newsource' names models but its SPEC declares no name_priority"):
        sources.rank(catalog.NAME_PRIORITY, "newsource")
    grp = [{"source": "newsource", "source_id": "x", "organization": "OpenAI"}]
    with pytest.raises(ValueError, match="newsource"):
        catalog.model_organizations(grp, catalog.orgs_mod.load())


def test_a_spec_with_some_priorities_but_not_all_is_refused(monkeypatch):
    half = SourceSpec("half", "Half", "MIT", "cite", "2026-01-01", name_priority=99)
    monkeypatch.setattr(sources, "LOADERS", ("half",))
    monkeypatch.setattr(sources, "DERIVED", ())
    monkeypatch.setitem(__import__("sys").modules, "pipeline.half", types.SimpleNamespace(SPEC=half))
    with pytest.raises(ValueError, match="some priorities but not all"):
        sources._specs()


def test_two_sources_cannot_share_a_rank(monkeypatch):
    twin = dataclasses.replace(sources.SPECS["eci"], key="twin")
    monkeypatch.setattr(sources, "SPECS", {**sources.SPECS, "twin": twin})
    with pytest.raises(ValueError, match="two sources share a name_priority"):
        sources.priority("name")


def test_publish_checks_each_declared_main_metric():
    assert publish.MAIN_METRIC == {"eci": "eci", "epoch_hub": "epoch_gpqa_diamond",
                                   "artificial_analysis": "aa_intelligence_index", "lmarena": "lmarena_text",
                                   "livebench": "livebench_overall", "swebench": "swebench_bash_only"}


def test_fetch_reads_the_specs():
    fetched = {s.name: s for s in fetch.SOURCE_LIST}
    assert set(fetched) == {k for k, s in sources.SPECS.items() if s.fetch or s.carry}
    assert fetched["lmarena"].base_url == sources.SPECS["lmarena"].base_url
    # each source downloads itself: the function its SPEC names is in its own module
    from pipeline import lmarena
    assert sources.SPECS["lmarena"].fetch == "fetch" and callable(lmarena.fetch)
    assert all(callable(getattr(__import__(f"pipeline.{sources.MODULES[k]}", fromlist=["x"]), s.fetch))
               for k, s in sources.SPECS.items() if s.fetch)
    assert fetch.MAX_BYTES["epoch_hub"] == 60 * fetching.MB and "mlperf" not in fetch.MAX_BYTES
    assert {s.key for s in sources.SPECS.values() if s.carry} >= {"mlperf", "gpu_prices", "epoch_report2024"}


def test_provenance_and_the_app_carry_each_specs_words():
    built = json.loads((ROOT / "data" / "provenance.json").read_text())
    seen = {s["id"]: s for t in built.values() for s in t["sources"]}
    assert set(seen) == set(sources.SPECS) == set(app_sources.SOURCES)
    for key, spec in sources.SPECS.items():
        for field in ("name", "license", "citation"):
            assert seen[key][field] == app_sources.SOURCES[key][field] == getattr(spec, field), (key, field)
        assert (seen[key].get("reference") == "yes") == spec.reference
    assert app_sources.SOURCES["gpu_specs"]["reference"] == "yes"


def test_the_app_says_what_to_do_without_provenance(tmp_path):
    with pytest.raises(RuntimeError, match="run `python -m pipeline.build`"):
        app_sources.from_provenance(tmp_path / "provenance.json")


@pytest.mark.skipif(not RAW.is_dir(), reason="../shared/raw is absent")
@pytest.mark.parametrize("key", [k for k, s in sources.SPECS.items() if s.files])
def test_every_declared_raw_file_exists(key):
    for pattern in sources.SPECS[key].files:
        assert list(RAW.glob(pattern)), f"{key}: nothing in ../shared/raw matches {pattern}"
