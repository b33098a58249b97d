"""Issue 26's hard cases as rules: vendor prefixes, separately released -reasoning builds, undated names
placed by a listing date (each assertion is a case the old rule got wrong)."""
import pandas as pd

from pipeline import catalog
from pipeline.matching import parse


def test_vendor_prefix_is_not_a_different_model():
    assert parse("NVIDIA-Nemotron-Nano-9B-v2").base == parse("Nemotron Nano 9B v2").base
    assert parse("Nvidia-Llama-3.3-Nemotron-Super-49B-v1.5").base == \
        parse("nvidia/llama-3.3-nemotron-super-49b-v1.5").base


def test_phi_reasoning_is_its_own_checkpoint():
    assert parse("microsoft/phi-4-reasoning:free").base != parse("Phi-4").base          # was merged into Phi-4
    assert parse("Phi-4 Reasoning Plus").base == parse("microsoft/phi-4-reasoning-plus").base


def _mentions(rows):
    cols = ["source", "source_id", "name", "organization", "release_date", "openness", "license", "country", "weights"]
    return pd.DataFrame([dict(zip(cols, r + ("",) * (len(cols) - len(r)))) for r in rows])


def test_listing_date_does_not_place_an_undated_name_on_a_later_checkpoint():
    # Epoch dates Qwen3-235B-A22B in April; LMArena first showed it in June, two weeks before the 2507 update
    m = _mentions([("epoch_models", "Qwen3-235B-A22B", "Qwen3-235B-A22B", "Alibaba", "2025-04-29"),
                   ("lmarena", "qwen3-235b-a22b", "Qwen3 235B A22B", "Alibaba", "2025-06-20"),
                   ("lmarena", "old-model", "Old Model", "x", "2023-05-08"),     # LMArena's first day
                   ("openrouter", "qwen/qwen3-235b-a22b-07-25", "Qwen3 235B A22B 2507", "qwen", "2025-07-25")])
    ids = catalog.assign_model_ids(m).set_index("source_id")["model_id"]
    assert ids["Qwen3-235B-A22B"] == ids["qwen3-235b-a22b"]
    assert ids["Qwen3-235B-A22B"] != ids["qwen/qwen3-235b-a22b-07-25"]


def test_a_tier_word_is_not_an_effort_setting():
    # the old rule read "Medium" as an effort: Devstral Medium became "Devstral", Mistral Medium "Mistral"
    assert catalog.display_name("Devstral Medium") == "Devstral Medium"
    assert catalog.display_name("Mistral Medium") == "Mistral Medium"
    assert catalog.display_name("GPT-5 medium") == "GPT-5"
    assert catalog.display_name("gpt-5-mini high") == "gpt-5-mini"
