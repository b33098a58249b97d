from pathlib import Path

import pytest

from pipeline import artificial_analysis as aa
from pipeline.common import MENTION_COLUMNS, PRICE_COLUMNS, SCORE_COLUMNS

RAW = Path(__file__).resolve().parents[1] / "fixtures" / "raw"


@pytest.fixture(scope="module")
def out():
    return aa.load(RAW)


def test_variant_split():
    assert aa.split_variant("gpt-oss-120b (high)") == ("gpt-oss-120b", "high")
    assert aa.split_variant("Gemini 2.5 Flash Preview (Sep '25) (Non-reasoning)") == (
        "Gemini 2.5 Flash Preview (Sep '25)", "Non-reasoning")
    assert aa.split_variant("Claude Opus 5 (Adaptive Reasoning, Max Effort)") == (
        "Claude Opus 5", "Adaptive Reasoning, Max Effort")
    assert aa.split_variant("GPT-4o (Aug '24)") == ("GPT-4o (Aug '24)", "")
    assert aa.split_variant("Llama 3.2 Instruct 90B (Vision)") == ("Llama 3.2 Instruct 90B (Vision)", "")


def test_mentions(out):
    m = out.mentions
    assert list(m.columns) == MENTION_COLUMNS
    assert list(m.source_id) == ["gemini-2-5-flash-preview-09-2025", "gpt-4o-2024-08-06", "gpt-oss-120b",
                                 "gpt-oss-120b-low"]
    m = m.set_index("source_id")
    # the mention keeps AA's full name; the matcher reads the setting (pipeline.matching.parse)
    assert m.loc["gpt-oss-120b", "name"] == "gpt-oss-120b (high)"
    assert m.loc["gpt-oss-120b-low", "name"] == "gpt-oss-120b (low)"
    assert m.loc["gpt-oss-120b", "organization"] == "OpenAI"
    assert m.loc["gpt-oss-120b", "release_date"] == "2025-08-05"
    assert (m.openness == "").all()


def test_scores(out):
    s = out.scores
    assert list(s.columns) == SCORE_COLUMNS
    hi = s[s.source_id == "gpt-oss-120b"].set_index("metric")
    assert hi.loc["aa_intelligence_index", "value"] == 23.8  # native scale
    assert hi.loc["aa_gpqa", "value"] == pytest.approx(78.2)  # fraction -> %
    assert "aa_math_500" not in hi.index  # null skipped
    assert set(hi.variant) == {"high"}
    assert set(hi.snapshot) == {"2026-07-31"}
    assert set(hi.date) == {"2025-08-05"}
    lo = s[(s.source_id == "gpt-oss-120b-low") & (s.metric == "aa_intelligence_index")].iloc[0]
    assert (lo.value, lo.variant) == (14.9, "low")
    g = s[s.source_id == "gemini-2-5-flash-preview-09-2025"]
    assert set(g.variant) == {"Non-reasoning"}
    assert not s.duplicated(["source_id", "metric"]).any()


def test_prices_skip_zero(out):
    p = out.prices
    assert list(p.columns) == PRICE_COLUMNS
    assert list(p.source_id) == ["gpt-4o-2024-08-06", "gpt-oss-120b", "gpt-oss-120b-low"]
    r = p.set_index("source_id").loc["gpt-oss-120b"]
    assert (r.price_kind, r.provider, r.as_of) == ("aa_reference", "artificial_analysis", "2026-07-31")
    assert (r.input_usd_per_mtok, r.output_usd_per_mtok) == (0.15, 0.6)


def test_speed(out):
    sp = out.extra["aa_speed"].set_index("source_id")
    assert list(out.extra["aa_speed"].columns) == aa.SPEED_COLUMNS
    # 0 = not measured: GPT-4o (Aug '24) and the Gemini preview are left out
    assert sorted(sp.index) == ["gpt-oss-120b", "gpt-oss-120b-low"]
    assert sp.loc["gpt-oss-120b", "median_output_tokens_per_second"] == 193.41
    assert sp.loc["gpt-oss-120b", "median_time_to_first_token_seconds"] == 0.551
