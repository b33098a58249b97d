import math
from pathlib import Path

import pandas as pd
import pytest

from pipeline import models_dev
from pipeline.common import MENTION_COLUMNS, PRICE_COLUMNS

RAW = Path(__file__).resolve().parents[1] / "fixtures" / "raw"


@pytest.fixture(scope="module")
def out():
    return models_dev.load(RAW)


def price(out, source_id, kind):
    p = out.prices
    rows = p[(p.source_id == source_id) & (p.price_kind == kind)]
    assert len(rows) <= 1
    return rows.iloc[0] if len(rows) else None


def test_columns_and_sorted(out):
    assert list(out.mentions.columns) == MENTION_COLUMNS
    assert list(out.prices.columns) == PRICE_COLUMNS
    assert out.mentions.source_id.is_unique
    assert list(out.mentions.source_id) == sorted(out.mentions.source_id)


def test_mentions_skip_embedding_and_image_models(out):
    ids = set(out.mentions.source_id)
    assert ids == {"alibaba/qwen3-32b", "deepreinforce/ornith-1.0-9b", "openai/gpt-5", "openai/gpt-oss-120b",
                   "zhipuai/glm-4.5"}


def test_mention_fields(out):
    m = out.mentions.set_index("source_id")
    assert m.loc["openai/gpt-5", "name"] == "GPT-5"
    assert m.loc["openai/gpt-5", "organization"] == "OpenAI"
    assert m.loc["openai/gpt-5", "release_date"] == "2025-08-07"
    assert m.loc["openai/gpt-5", "openness"] == "api"
    assert m.loc["openai/gpt-oss-120b", "openness"] == "open_unrestricted"
    # month-only date -> first of month
    assert m.loc["alibaba/qwen3-32b", "release_date"] == "2025-04-01"
    # licence in the lab file wins over the bare flag
    assert m.loc["deepreinforce/ornith-1.0-9b", "license"] == "MIT"
    assert m.loc["deepreinforce/ornith-1.0-9b", "openness"] == "open_unrestricted"
    assert m.loc["zhipuai/glm-4.5", "organization"] == "Zhipu AI"


def test_lab_list_is_first_party(out):
    p = price(out, "openai/gpt-5", "lab_list")
    assert p.provider == "openai"
    assert (p.input_usd_per_mtok, p.output_usd_per_mtok, p.cache_read_usd_per_mtok) == (1.25, 10.0, 0.125)
    assert p.as_of == "2026-07-02"
    # zhipuai lab -> z.ai international provider preferred over zhipuai
    assert price(out, "zhipuai/glm-4.5", "lab_list").provider == "zai"
    # no first-party row for gpt-oss
    assert price(out, "openai/gpt-oss-120b", "lab_list") is None


def test_cheapest_host_excludes_resellers_and_routers(out):
    # closed model: resellers qihang-ai (0.18/1.43) and opencode (1.07/8.5) and the router openrouter
    # do not count; the lab's own price is the cheapest host
    p = price(out, "openai/gpt-5", "cheapest_host")
    assert p.provider == "openai"
    assert (p.input_usd_per_mtok, p.output_usd_per_mtok) == (1.25, 10.0)


def test_cheapest_host_excludes_free_deprecated_and_plans(out):
    # :free (0), deprecated oldhost (0.01/0.02) and nebius -fast (deprecated) are skipped
    # openrouter (0.03/0.15) is a router: Deep Infra, an inference host, is cheapest
    p = price(out, "openai/gpt-oss-120b", "cheapest_host")
    assert p.provider == "deepinfra"
    assert (p.input_usd_per_mtok, p.output_usd_per_mtok) == (0.039, 0.19)
    assert math.isnan(p.cache_read_usd_per_mtok)
    # zai-coding-plan 0.01/0.01 is a subscription plan and 302ai a reseller: the lab (zai, by id) is cheapest
    g = price(out, "zhipuai/glm-4.5", "cheapest_host")
    assert (g.provider, g.input_usd_per_mtok, g.output_usd_per_mtok) == ("zai", 0.6, 2.2)


def test_model_id_mapping():
    providers = pd.DataFrame({
        "lab_model_id": ["", "", "", "", "openai/gpt-5"],
        "model_id": ["openai-gpt-oss-120b", "databricks-gpt-oss-120b", "accounts/x/models/GLM-4.5",
                     "openai/gpt-oss-120b:free", "whatever"],
    })
    got = list(models_dev.map_to_lab(providers, ["openai/gpt-5", "openai/gpt-oss-120b", "zhipuai/glm-4.5"]))
    assert got == ["openai/gpt-oss-120b", "", "zhipuai/glm-4.5", "openai/gpt-oss-120b", "openai/gpt-5"]


def test_deterministic(out):
    again = models_dev.load(RAW)
    pd.testing.assert_frame_equal(out.prices, again.prices)
    pd.testing.assert_frame_equal(out.mentions, again.mentions)
