"""Cross-source matching: the models that matter resolve to one catalog row across sources."""
import pandas as pd
import pytest

from pipeline.matching import parse

SAME = [
    ("Claude 4.5 Sonnet", "claude-sonnet-4-5-20250929", "anthropic/claude-sonnet-4.5", "Anthropic: Claude Sonnet 4.5"),
    ("GPT-5", "gpt-5-2025-08-07_high", "OpenAI: GPT-5", "openai/gpt-5"),
    ("GPT-5.1", "gpt-5.1-2025-11-13_high", "gpt-5.1 no thinking"),
    ("Claude Opus 4.5", "claude-opus-4-5-20251101-thinking-32k", "claude-opus-4-5"),
    ("DeepSeek-V3.2", "fireworks/deepseek-v3p2", "deepseek/deepseek-v3.2"),
    ("Qwen3-235B-A22B", "qwen/qwen3-235b-a22b", "Qwen3 235B A22B"),
    ("gpt-oss-120b", "openai/gpt-oss-120b_high", "OpenAI: gpt-oss-120b"),
    ("GLM-4.5", "zai-org/GLM-4.5", "glm-4.5"),
    ("Kimi K2 Thinking", "moonshotai/kimi-k2-thinking"),
]
DIFFERENT = [
    ("GPT-5", "GPT-5.1"), ("GPT-5", "GPT-5 mini"), ("Kimi K2", "Kimi K2 Thinking"), ("GLM-4.5", "GLM-4.5-Air"),
    ("DeepSeek-R1", "DeepSeek-R1 (May 2025)"), ("Claude Opus 4", "Claude Opus 4.1"), ("Gemini 2.5 Pro", "Gemini 2.5 Flash"),
    ("Llama 4 Maverick", "Llama 4 Scout"), ("gpt-oss-120b", "gpt-oss-20b"),
]


@pytest.mark.parametrize("names", SAME)
def test_spellings_of_one_model_share_a_key(names):
    # the name part; an undated spelling joins its dated checkpoint in the catalog (pipeline.catalog)
    assert len({parse(n).base for n in names}) == 1


@pytest.mark.parametrize("a,b", DIFFERENT)
def test_different_models_keep_different_keys(a, b):
    assert (parse(a).base, parse(a).yymm) != (parse(b).base, parse(b).yymm)


@pytest.fixture(scope="module")
def catalog():
    return pd.read_csv("data/models.csv", keep_default_na=False)


# model_id -> sources that must all be present in the catalog row (the models that matter)
PINNED = {
    "gpt-5": ["eci", "artificial_analysis", "models_dev", "openrouter", "lmarena", "livebench"],
    "gpt-5-1": ["eci", "artificial_analysis", "models_dev", "openrouter"],
    "claude-opus-4-5": ["eci", "artificial_analysis", "models_dev", "openrouter", "lmarena", "swebench"],
    "claude-sonnet-4-5": ["eci", "artificial_analysis", "models_dev", "openrouter"],
    "gemini-2-5-pro": ["eci", "artificial_analysis", "models_dev", "openrouter"],
    "gemini-3-pro": ["eci", "artificial_analysis", "models_dev", "openrouter", "lmarena"],
    "deepseek-v3": ["eci", "artificial_analysis", "epoch_models"],
    "deepseek-r1": ["eci", "artificial_analysis", "epoch_models", "openrouter"],
    "deepseek-r1-may-2025": ["eci", "artificial_analysis", "openrouter"],
    "deepseek-v3-2": ["eci", "artificial_analysis", "openrouter", "swebench", "lmarena"],
    "deepseek-v4-pro": ["artificial_analysis", "models_dev", "openrouter"],
    "qwen3-235b-a22b": ["eci", "artificial_analysis", "epoch_models"],
    "kimi-k2": ["eci", "artificial_analysis", "epoch_hub", "openrouter", "lmarena", "swebench"],
    "kimi-k2-5": ["eci", "artificial_analysis", "models_dev"],
    "glm-4-5": ["eci", "artificial_analysis", "models_dev", "openrouter"],
    "glm-5": ["eci", "artificial_analysis", "models_dev"],
    "llama-4-maverick": ["eci", "artificial_analysis", "epoch_models", "openrouter", "lmarena"],
    "gpt-oss-120b": ["eci", "artificial_analysis", "models_dev", "openrouter", "swebench"],
}


@pytest.mark.parametrize("model_id", sorted(PINNED))
def test_models_that_matter_are_matched_across_sources(catalog, model_id):
    row = catalog[catalog["model_id"] == model_id]
    assert len(row) == 1, f"{model_id} missing from catalog"
    missing = [s for s in PINNED[model_id] if not row.iloc[0][f"id_{s}"]]
    assert missing == [], f"{model_id} not matched in {missing}"


@pytest.mark.parametrize("model_id,open_weights", [
    ("llama-4-maverick", True), ("llama-4-scout", True), ("gpt-oss-120b", True), ("deepseek-r1", True),
    ("kimi-k2", True), ("gpt-5", False), ("claude-opus-4-5", False), ("gemini-3-pro", False),
])
def test_openness_of_models_that_matter(catalog, model_id, open_weights):
    assert catalog.set_index("model_id").loc[model_id, "open_weights"] in (open_weights, str(open_weights))
