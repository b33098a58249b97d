"""Organizations as entities (pipeline/organizations.py) and dates with provenance (pipeline/catalog.py)."""
from pathlib import Path

import pandas as pd
import pytest

from pipeline import catalog
from pipeline import organizations as orgs_mod
from pipeline.matching import parse

TOY = """org_id,name,aliases,country,type,parent,source
openai,OpenAI,OpenAI;openai;~openai,United States of America,company,,x
moonshot-ai,Moonshot AI,Moonshot;moonshotai,China,company,,x
kimi,Kimi,Kimi,,brand,moonshot-ai,x
google,Google,Google;Google Brain,United States of America,company,,x
google-deepmind,Google DeepMind,Google DeepMind,United States of America;United Kingdom of Great Britain and Northern Ireland,company,google,x
apus,"Qilin Hesheng Network Technology Co., Ltd. (APUS)","Qilin Hesheng Network Technology Co., Ltd. (APUS)",China,company,,x
"""


@pytest.fixture()
def orgs(tmp_path: Path) -> orgs_mod.Organizations:
    path = tmp_path / "organizations.csv"
    path.write_text(TOY)
    return orgs_mod.load(path)


def test_spellings_resolve_to_one_entity(orgs):
    # free text gave three organizations for one lab; the entity table gives one id
    assert {tuple(orgs.resolve(s)[0]) for s in ["OpenAI", "openai", "~openai"]} == {("openai",)}
    assert orgs.resolve("Google DeepMind,Google") == (["google-deepmind", "google"], [])
    assert orgs.resolve("Qilin Hesheng Network Technology Co., Ltd. (APUS)") == (["apus"], [])   # a comma inside
    assert orgs.resolve("Nobody Labs") == ([], ["Nobody Labs"])


def test_multi_country_rule_dedupes_and_inherits(orgs):
    # Epoch's "United States of America,United States of America" (one country per organization) -> one country
    assert orgs.countries(["google-deepmind", "google"]) == \
        "United States of America,United Kingdom of Great Britain and Northern Ireland"
    assert orgs.countries(["openai", "openai"]) == "United States of America"
    assert orgs.countries(["kimi"]) == "China"                     # a brand takes its owner's country
    assert orgs.root("kimi") == "moonshot-ai"
    assert orgs.display(["kimi"]) == "Moonshot AI"


def test_bad_table_is_refused(tmp_path):
    path = tmp_path / "organizations.csv"
    path.write_text(TOY + "openai2,OpenAI Two,openai,,company,,x\n")
    with pytest.raises(ValueError, match="belongs to both"):
        orgs_mod.read_organizations(path)
    path.write_text(TOY + "x,X,,,company,nobody,x\n")
    with pytest.raises(ValueError, match="parent not in the table"):
        orgs_mod.read_organizations(path)


def test_curated_table_is_valid_and_merges_known_spellings():
    orgs = orgs_mod.load()
    for spellings in (["OpenAI", "~openai"], ["Mistral AI", "mistralai", "Mistral"], ["xAI", "x-ai", "~x-ai"],
                      ["Zhipu AI", "Z.ai", "z-ai", "Z AI", "thudm", "Z.ai (Zhipu AI)"]):
        assert len({tuple(orgs.resolve(s)[0]) for s in spellings}) == 1, spellings


def test_listing_start_is_never_a_release_date():
    m = pd.DataFrame({"source": ["lmarena", "lmarena", "openrouter", "eci"],
                      "release_date": ["2023-05-08", "2024-02-01", "2023-05-28", "2023-05-08"]})
    # the old rule kept LMArena's first snapshot day as a release date
    assert catalog.without_listing_starts(m).tolist() == ["", "2024-02-01", "", "2023-05-08"]
    assert [catalog.date_kind(s) for s in ["eci", "openrouter", "curated", ""]] == \
        ["release", "first_listed", "curated", ""]


def test_listing_date_does_not_push_a_checkpoint_a_year_later():
    # LMArena first showed GPT-4-0314 in December 2023: the checkpoint is March 2023 (the old rule said 2024)
    assert parse("GPT-4-0314", "2023-12-06", listed=True).yymm == "2303"
    # an id listed in December that names the January after (OpenRouter's Flash Thinking 01-21)
    assert parse("gemini-2.0-flash-thinking-exp-01-21", "2024-12-20", listed=True).yymm == "2501"


def _mention(source, openness="", license="", weights="", source_id="x"):
    return {"source": source, "source_id": source_id, "openness": openness, "license": license, "weights": weights}


LICENCES = pd.DataFrame({"pattern": ["^glm-5"], "license": ["MIT"], "openness": ["open_unrestricted"],
                         "reason": ["GLM-5 open checkpoints"]})


def test_licence_pattern_without_weights_evidence_grants_no_open_class():
    # GLM-5-Turbo: the ^glm-5 pattern made it MIT although models.dev says closed and no source has weights
    grp = [_mention("models_dev", "api"), _mention("livebench", "open_unrestricted")]
    evidence = catalog.weights_evidence("glm-5-turbo", grp, {})
    assert evidence == ""                               # a bare LiveBench flag is not evidence
    assert catalog._openness("glm-5-turbo", grp, {}, LICENCES, evidence)[0] == "api"
    # the same model with a Hugging Face id on OpenRouter: the pattern names the licence
    grp.append(_mention("openrouter", "open_unrestricted", weights="https://huggingface.co/zai-org/GLM-5"))
    evidence = catalog.weights_evidence("glm-5", grp, {})
    assert evidence.startswith("weights link (openrouter): https://huggingface.co/")
    assert catalog._openness("glm-5", grp, {}, LICENCES, evidence)[:3] == ("open_unrestricted", "MIT", "curated")


def test_weights_evidence_sources_in_order():
    assert catalog.weights_evidence("m", [_mention("epoch_models", "open_restricted")], {}).startswith("Epoch")
    assert catalog.weights_evidence("m", [_mention("lmarena", "open_unrestricted", "Apache 2.0")], {}) == \
        "licence text (lmarena): Apache 2.0"
    cited = {"m": ("https://huggingface.co/org/m", "model card")}
    assert catalog.weights_evidence("m", [_mention("swebench", "open_unrestricted")], cited).startswith("curated: ")
    # nothing at all: no open class, and no source says closed either
    assert catalog._openness("m", [_mention("swebench", "open_unrestricted")], {}, LICENCES, "")[0] == "unknown"


def test_unreleased_override_beats_the_family_licence():
    licences = pd.DataFrame({"pattern": ["^llama-4"], "license": ["Llama"], "openness": ["open_restricted"],
                             "reason": ["x"]})
    grp = [_mention("epoch_models", "open_restricted")]
    assert catalog._openness("llama-4-behemoth-preview", grp, {"llama-4-behemoth-preview": "unreleased"},
                             licences, "Epoch")[0] == "unreleased"


def test_endpoint_alias_resolves_at_the_date():
    table = pd.DataFrame({
        "sources": ["eci;models_dev", "eci;models_dev", "openrouter"],
        "endpoint": ["deepseek-chat", "deepseek-chat", "~x-ai/grok-latest"],
        "valid_from": ["2024-12-26", "2025-12-01", "2026-07-08"], "valid_to": ["2025-03-24", "", ""],
        "model_id": ["deepseek-v3", "deepseek-v3-2", "grok-4-5"], "reason": ["r"] * 3, "url": ["u"] * 3})
    table = table.assign(key=table["endpoint"].map(catalog.alias_key))
    # the old rule joined deepseek-chat to DeepSeek-V3 (Dec 2024) whatever the date
    assert catalog.endpoint_entry("models_dev", "deepseek/deepseek-chat", "2026-07-02", table)[0] == "deepseek-v3-2"
    assert catalog.endpoint_entry("eci", "deepseek-chat", "2025-01-10", table)[0] == "deepseek-v3"
    assert catalog.endpoint_entry("eci", "deepseek-chat", "2025-06-01", table) is None        # no range: rules decide
    assert catalog.endpoint_entry("openrouter", "deepseek/deepseek-chat", "2026-08-22", table) is None  # not listed
    assert catalog.endpoint_entry("openrouter", "~x-ai/grok-latest", "2026-08-22", table)[0] == "grok-4-5"


def test_curated_endpoints_point_at_catalog_models():
    from openclosed import tables
    ids = set(tables.read("models")["model_id"])
    assert sorted(set(catalog.read_endpoints()["model_id"]) - ids) == []


def test_model_prefix_names_the_lab_only_as_a_fallback():
    orgs = orgs_mod.load()
    assert orgs.by_model_prefix("palm-2-l") == "google"
    assert orgs.by_model_prefix("qwen2-5-coder-14b") == "qwen"         # prefix ends at a digit
    assert orgs.by_model_prefix("codeqwen1-5-7b") == "qwen"
    assert orgs.by_model_prefix("stepping-stone") == ""               # 'step' must end at '-' or a digit
    assert orgs.countries([orgs.by_model_prefix("qwen2-5-coder-14b")]) == "China"


def test_build_counts_name_unlisted_organizations():
    t = pd.DataFrame({"organization": ["Foo Labs", "OpenAI", ""], "org_ids": ["", "openai", ""],
                      "country": ["", "United States of America", ""], "open_weights": [True, False, False],
                      "weights_evidence": ["", "", ""], "release_date": ["", "2025-01-01", ""],
                      "release_date_kind": ["", "first_listed", ""]})
    lines = catalog.catalog_counts(t)
    assert lines[0] == "organizations: 2 organization strings, 2 rows without an organization id, 2 rows without a country"
    assert lines[1].endswith("Foo Labs")
    assert "1 from a first listing, 2 undated" in lines[2]
    assert lines[3] == "open rows without weights evidence: 1"
