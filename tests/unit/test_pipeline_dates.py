import pandas as pd

from pipeline import catalog


def _cat(rows):
    return pd.DataFrame(rows, columns=["model_id", "name", "organization", "release_date"])


def test_derived_model_dated_before_its_base_is_implausible():
    c = _cat([("o3", "o3", "OpenAI", "2025-04-16"),
              ("o3-deep-research", "o3-deep-research", "OpenAI", "2024-06-26"),
              ("o3-mini", "o3-mini", "OpenAI", "2025-01-31"),            # a sibling, not derived: fine
              ("opus", "Claude Opus 4.8", "Anthropic", "2026-05-28"),
              ("opus-fast", "Claude Opus 4.8 Fast", "Anthropic", "2026-05-27")])  # same week: fine
    bad = catalog.implausible_dates(c)
    assert bad.to_dict("records") == [{"model_id": "o3-deep-research", "release_date": "2024-06-26",
                                       "base_id": "o3", "base_date": "2025-04-16"}]


def test_overrides_are_cited_and_win():
    over = catalog.read_date_overrides()
    assert over["source"].str.startswith("http").all() and (over["reason"].str.len() > 20).all()
    c = _cat([("o3", "o3", "OpenAI", "2025-04-16"), ("o3-deep-research", "o3-deep-research", "OpenAI", "2024-06-26"),
              ("x-deep-research", "x deep research", "Lab", "2020-01-01"), ("x", "x", "Lab", "2021-01-01")])
    out = dict(zip(*catalog.apply_date_checks(c)[["model_id", "release_date"]].T.values))
    assert out["o3-deep-research"] == "2025-06-26"
    assert out["x-deep-research"] == ""          # fails the rule, no override: dropped, not shown


def test_built_catalog_dates():
    m = pd.read_csv(catalog.CURATED.parent.parent / "data" / "models.csv", dtype=str, keep_default_na=False)
    d = dict(zip(m["model_id"], m["release_date"]))
    assert d["o3-deep-research"] == d["o4-mini-deep-research"] == "2025-06-26"
    assert d["kimi-k2"] == "2025-07-11" and d["kimi-k2-0905"] == "2025-09-05"
    assert "magistral-medium" not in d and d["magistral-medium-1-2"] == "2025-09-18"
    assert d["mistral-large-3"] == "2025-12-02" and d["qwen3-coder-30b-a3b-instruct"] == "2025-07-31"
    assert len(catalog.implausible_dates(m)) == 0
