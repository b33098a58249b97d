from pathlib import Path

import math

import pytest

from pipeline import lmarena
from pipeline.common import MENTION_COLUMNS, SCORE_COLUMNS

RAW = Path(__file__).resolve().parents[1] / "fixtures" / "raw"


@pytest.fixture(scope="module")
def out():
    return lmarena.load(RAW)


def score(out, key, snapshot):
    s = out.scores
    row = s[(s.source_id == key) & (s.snapshot == snapshot)]
    assert len(row) == 1, (key, snapshot, row)
    return row.iloc[0]


def mention(out, key):
    m = out.mentions
    row = m[m.source_id == key]
    assert len(row) == 1, key
    return row.iloc[0]


def test_columns_and_keys(out):
    assert list(out.scores.columns) == SCORE_COLUMNS
    assert list(out.mentions.columns) == MENTION_COLUMNS
    assert not out.scores.duplicated(["source", "source_id", "metric", "snapshot", "variant"]).any()
    assert out.mentions.source_id.is_unique
    assert set(out.scores.source_id) == set(out.mentions.source_id)
    assert (out.scores.metric == "lmarena_text").all()
    assert out.scores.value.notna().all()


def test_last_snapshot_per_month_per_family(out):
    assert sorted(out.scores.snapshot.unique()) == [
        "arena_catalog:2025-03-17", "arena_catalog:2025-12-11",
        "fboulnois:2024-06-28", "fboulnois:2024-07-07",
        "jasontrigg0:2024-05-27", "jasontrigg0:2024-06-03",
    ]
    row = score(out, "gpt-4o-2024-05-13", "jasontrigg0:2024-05-27")
    assert row.value == pytest.approx(1287.105369)
    assert row.date == "2024-05-27"
    assert math.isnan(row.ci_low)


def test_fboulnois_coalesce_and_ci(out):
    old = score(out, "gpt-4o-2024-05-13", "fboulnois:2024-06-28")  # arena_elo column
    assert old.value == 1286
    assert (old.ci_low, old.ci_high) == (1280, 1290)  # "+4/-6"
    new = score(out, "gpt-4o-2024-05-13", "fboulnois:2024-07-07")  # arena_score column
    assert new.value == 1285
    assert (new.ci_low, new.ci_high) == (1278, 1290)  # "+5/-7"
    assert lmarena.parse_ci("+12/-10") == (10.0, 12.0)


def test_case_variants_share_one_id(out):
    key = "meta-llama-3.1-405b-instruct-bf16"
    assert set(out.scores[out.scores.source_id == key].snapshot) == {"fboulnois:2024-06-28", "fboulnois:2024-07-07"}


def test_arena_catalog_text_full_only(out):
    row = score(out, "gpt-4o-2024-05-13", "arena_catalog:2025-03-17")
    assert row.value == pytest.approx(1284.781345)  # not coding (1300), not style control (1250)
    assert row.ci_low == pytest.approx(1281.836709)
    assert row.ci_high == pytest.approx(1287.725989)


def test_duplicate_rows_collapse(out):
    assert len(out.scores[out.scores.source_id == "yi-34b-chat"]) == 1


def test_mentions_license_openness(out):
    assert mention(out, "claude-3-5-haiku-20241022").license == "Proprietary"  # was "Propretary"
    assert mention(out, "claude-3-5-haiku-20241022").openness == "api"
    qwen = mention(out, "qwen2-72b-instruct")  # latest licence wins over the old "Apache-2.0"
    assert qwen.license == "Qianwen LICENSE"
    assert qwen.openness == "open_restricted"
    ds = mention(out, "deepseek-v3.2-exp")  # 9c key: licence and org from scatterplot-data.json
    assert (ds.license, ds.openness, ds.organization, ds["name"]) == ("MIT", "open_unrestricted", "DeepSeek",
                                                                  "DeepSeek V3.2 Exp")
    mystery = mention(out, "mystery-model")
    assert (mystery.openness, mystery.license, mystery["name"]) == ("", "", "mystery-model")
    assert mention(out, "llama-4-maverick-03-26-experimental").openness == ""  # "N/A" is no licence
    assert "koala-13b" not in set(out.mentions.source_id)  # only in a dropped snapshot


def test_noncommercial_mapping():
    from openclosed.openness import from_license
    assert from_license(lmarena.clean_license("Non-commercial")) == "open_noncommercial"
    assert lmarena.clean_license("Apache-2.0") == "Apache 2.0"


def test_release_date_is_first_appearance_only_while_the_tracker_was_running():
    import pandas as pd
    rows = pd.DataFrame({"key": ["old", "old", "new", "late", "start"],
                         "date": ["2024-04-20", "2024-05-02", "2024-05-02", "2026-08-19", "2024-04-01"]})
    first = lmarena._first_seen_release(rows)
    # a snapshot 12 days earlier exists: first appearance is a release proxy
    assert first["new"] == "2024-05-02" and first["old"] == "2024-04-20"
    # first seen after an eight-month gap in the copies, or on the tracker's first day: a listing artefact
    assert first["late"] == "" and first["start"] == ""


def test_leaderboard_dataset_pull_reads_the_overall_text_board(tmp_path):
    import json
    folder = tmp_path / "lmarena" / "leaderboard_dataset_2026-08-22"
    folder.mkdir(parents=True)
    rows = [{"category": "overall", "rank": 1, "model_name": "Claude-Opus-5-High", "organization": "anthropic",
             "license": "Proprietary", "rating": 1505.1, "rating_lower": 1500.2, "rating_upper": 1510.0},
            {"category": "coding", "rank": 1, "model_name": "Claude-Opus-5-High", "organization": "anthropic",
             "license": "Proprietary", "rating": 1600.0, "rating_lower": 1590.0, "rating_upper": 1610.0}]
    (folder / "text.json").write_text(json.dumps({"meta": {"leaderboard_publish_date": "2026-08-19"}, "rows": rows}))
    out = lmarena.load(tmp_path)
    (row,) = out.scores.itertuples()
    assert (row.source_id, row.value, row.snapshot) == ("claude-opus-5-high", 1505.1, "leaderboard_dataset:2026-08-19")
    assert (row.ci_low, row.ci_high) == (1500.2, 1510.0)
    m = out.mentions.iloc[0]
    assert (m.openness, m.release_date) == ("api", "")     # one pull, nothing before it: no release date


def test_deterministic():
    a, b = lmarena.load(RAW), lmarena.load(RAW)
    assert a.scores.equals(b.scores) and a.mentions.equals(b.mentions)
