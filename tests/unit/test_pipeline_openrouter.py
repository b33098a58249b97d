from pathlib import Path

import pytest

from pipeline import openrouter
from pipeline.common import MENTION_COLUMNS, PRICE_COLUMNS

RAW = Path(__file__).resolve().parents[1] / "fixtures" / "raw"


@pytest.fixture(scope="module")
def out():
    return openrouter.load(RAW)


def test_mentions(out):
    m = out.mentions
    assert list(m.columns) == MENTION_COLUMNS
    assert m.source_id.is_unique
    assert list(m.source_id) == [
        "dots-studio/dots-3-note-preview:free",  # free-only id, no paid twin: kept
        "google/gemma-4-31b-it",
        "openai/gpt-5",
        "qwen/qwen-2-vl-72b-instruct",  # retired, only in the history
        "stealth/ox-alpha",
    ]
    m = m.set_index("source_id")
    assert m.loc["google/gemma-4-31b-it", "openness"] == "open_unrestricted"
    assert m.loc["openai/gpt-5", "openness"] == "api"
    assert m.loc["openai/gpt-5", "organization"] == "openai"
    assert m.loc["openai/gpt-5", "release_date"] == "2025-08-07"
    retired = m.loc["qwen/qwen-2-vl-72b-instruct"]
    # first seen on the ledger's first day: listed before the ledger began, so no release date (was 2024-09-21)
    assert (retired["name"], retired["release_date"], retired["openness"], retired["organization"]) == (
        "Qwen2-VL 72B Instruct", "", "", "qwen")


def test_prices(out):
    p = out.prices
    assert list(p.columns) == PRICE_COLUMNS
    # no :free, no :batch, no router, no 0-priced stealth model
    assert list(p.source_id) == ["google/gemma-4-31b-it", "openai/gpt-5"]
    g = p.set_index("source_id").loc["openai/gpt-5"]
    assert (g.price_kind, g.provider, g.as_of) == ("host", "openrouter", "2026-08-22")
    assert (g.input_usd_per_mtok, g.output_usd_per_mtok, g.cache_read_usd_per_mtok) == (1.25, 10.0, 0.125)


def test_price_history(out):
    h = out.extra["price_history"]
    assert list(h.columns) == openrouter.PRICE_HISTORY_COLUMNS
    assert not h.source_id.str.contains(":").any()
    assert not h.duplicated(["source_id", "date"]).any()
    gpt5 = h[h.source_id == "openai/gpt-5"]
    assert list(gpt5.date) == ["2025-08-08", "2025-09-18", "2025-09-25"]
    assert list(gpt5.input_usd_per_mtok) == [1.25, 0.625, 1.25]
    # two points on 2026-07-15: the later one (0.22/0.55) holds
    day = h[(h.source_id == "google/gemma-4-31b-it") & (h.date == "2026-07-15")].iloc[0]
    assert (day.input_usd_per_mtok, day.output_usd_per_mtok) == (0.22, 0.55)
    old = h[h.source_id == "qwen/qwen-2-vl-72b-instruct"].iloc[0]
    assert not bool(old.present_now)
    assert old.last_seen == "2025-03-07"


def test_listings(out):
    lst = out.extra["listings"].set_index("source_id")
    assert list(out.extra["listings"].columns) == openrouter.LISTING_COLUMNS
    assert sorted(lst.index) == ["google/gemma-4-31b-it", "openai/gpt-5", "qwen/qwen-2-vl-72b-instruct",
                                 "stealth/ox-alpha"]
    assert lst.loc["google/gemma-4-31b-it", "openness_hint"] == "open"
    assert lst.loc["openai/gpt-5", "openness_hint"] == "closed"
    assert lst.loc["qwen/qwen-2-vl-72b-instruct", "openness_hint"] == ""
    assert bool(lst.loc["qwen/qwen-2-vl-72b-instruct", "present_now"]) is False
    assert bool(lst.loc["openai/gpt-5", "present_now"]) is True
    assert lst.loc["openai/gpt-5", "first_seen"] == "2025-08-08"
    assert lst.loc["openai/gpt-5", "author"] == "openai"


def test_helpers():
    assert openrouter.is_variant("openai/gpt-5:batch") and not openrouter.is_variant("openai/gpt-5")
    assert openrouter.is_router("openrouter/auto")
    assert openrouter.base_id("openai/gpt-5:batch") == "openai/gpt-5"
