"""The identity policy on the built data: gold-set precision/recall, reviewed duplicates, checkpoint rules."""
import pandas as pd
import pytest

from openclosed import tables
from pipeline import catalog
from pipeline.eci import checkpoint_id
from pipeline.gold import evaluate, read_gold
from pipeline.matching import parse


@pytest.fixture(scope="module")
def mentions():
    return tables.read("mentions")


def test_gold_set_size_and_sources():
    gold = read_gold()
    assert (gold["label"] == "same").sum() >= 300
    assert (gold["label"] == "apart").sum() >= 150
    sources = set(gold["source_a"]) | set(gold["source_b"])
    assert {"eci", "epoch_models", "epoch_hub", "artificial_analysis", "models_dev", "openrouter", "lmarena",
            "livebench", "swebench"} <= sources
    assert (gold["reason"].str.strip() != "").all()


def test_gold_precision_recall(mentions):
    result = evaluate(mentions)
    assert result["unknown"] == 0
    assert result["precision"] >= 0.99, result["errors"].to_string()
    assert result["recall"] >= 0.97, result["errors"].to_string()


def test_every_duplicate_candidate_is_reviewed():
    models = tables.read("models")
    assert catalog.unreviewed(catalog.duplicate_candidates(models)).empty


@pytest.mark.parametrize("a, b", [
    ("llama-4-maverick-03-26-experimental", "Llama-4-Maverick-17B-128E-Instruct"),
    ("deepseek-r1-0528", "DeepSeek-R1"),
    ("gpt-5.1-codex-max", "gpt-5.1-codex"),
    ("QwQ-32B-Preview", "QwQ-32B"),
    ("hy3-preview", "hy3"),
    ("Qwen3-235B-A22B-Thinking-2507", "Qwen3-235B-A22B-Instruct-2507"),
    ("gpt-5-chat", "gpt-5"),
    ("gpt-4o-2024-08-06", "gpt-4o-2024-05-13"),
    ("Mistral Medium 3", "Mistral Medium"),
    ("Command R+", "Command R"),
    ("DeepSeek-V3.2-Exp", "DeepSeek-V3.2"),
])
def test_distinct_checkpoints_parse_apart(a, b):
    assert parse(a, "2025-06-01") != parse(b, "2025-06-01")


@pytest.mark.parametrize("a, b", [
    ("GPT-4o (Aug '24)", "gpt-4o-2024-08-06"),
    ("Gemini 2.5 Pro Preview (Mar '25)", "gemini-2.5-pro-exp-03-25"),
    ("GPT-5 (high)", "gpt-5-minimal"),
    ("Claude 4.5 Sonnet (Non-reasoning)", "claude-sonnet-4-5-thinking-32k"),
    ("step3", "Step-3"),
    ("Qwen3 235B A22B 2507 (Reasoning)", "Qwen3-235B-A22B-Thinking-2507"),
    ("DeepSeek R1 0528 (May '25)", "deepseek-r1-0528"),
    ("OpenAI: GPT-5", "openai/gpt-5"),
])
def test_one_checkpoint_parses_together(a, b):
    pa, pb = parse(a, "2025-06-01"), parse(b, "2025-06-01")
    assert (pa.base, pa.yymm) == (pb.base, pb.yymm)


def test_eci_checkpoint_ids():
    assert checkpoint_id("chutes/DeepSeek-R1-0528") == ("DeepSeek-R1-0528", "")
    assert checkpoint_id("gpt-5-2025-08-07_high") == ("gpt-5-2025-08-07", "high")
    assert checkpoint_id("claude-3-7-sonnet-20250219-16k") == ("claude-3-7-sonnet-20250219", "16k")


def test_eci_scores_keep_each_checkpoint_date():
    s = tables.read("scores")
    eci = s[(s["metric"] == "eci") & (s["snapshot"] == "2025-11-04")]
    oct24 = eci[eci["source_id"] == "claude-3-5-sonnet-20241022"]
    jun24 = eci[eci["source_id"] == "claude-3-5-sonnet-20240620"]
    assert oct24["date"].tolist() == ["2024-10-22"] and jun24["date"].tolist() == ["2024-06-20"]
    assert oct24["value"].iloc[0] != jun24["value"].iloc[0]


def test_crosswalk_covers_every_score_and_price():
    m = tables.read("mentions")
    keys = set(zip(m["source"], m["source_id"]))
    for name in ("scores", "prices"):
        t = tables.read(name)
        # this report's stitched ECI estimates are keyed by the catalog's own model id: no source mention to match
        derived = t[t["source"] == "eci_stitched"]
        assert (derived["source_id"] == derived["model_id"]).all()
        assert set(derived["model_id"]) <= set(tables.read("models")["model_id"])
        t = t[t["source"] != "eci_stitched"]
        assert set(zip(t["source"], t["source_id"])) <= keys
        merged = t.merge(m[["source", "source_id", "model_id"]], on=["source", "source_id"], suffixes=("", "_m"))
        assert (merged["model_id"] == merged["model_id_m"]).all()


def test_no_open_class_rests_silently_on_a_flag():
    models = tables.read("models")
    flagged = models[models["openness_basis"] == "flag"]
    assert (flagged["license"] == "").all()
    licensed = models[models["openness_basis"].isin(["curated_license", "license"]) & models["open_weights"]]
    assert (licensed["license"] != "").all()


@pytest.mark.parametrize("model_id, openness, licence", [
    ("deepseek-v3-mar-2025", "open_unrestricted", "MIT"),
    ("mistral-large-3", "open_unrestricted", "Apache 2.0"),
    ("mistral-large-2-1", "open_noncommercial", "Mistral Research License"),
    ("qwen3-max", "api", "Proprietary"),
    ("kimi-k2", "open_restricted", "Modified MIT"),
    ("kimi-k2-thinking", "open_restricted", "Modified MIT"),
])
def test_named_licence_classes(model_id, openness, licence):
    row = tables.read("models").set_index("model_id").loc[model_id]
    assert (row["openness"], row["license"]) == (openness, licence)
