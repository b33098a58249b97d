"""The data changelog on a hand-made pair of small table sets, and the build's publish gate."""
import json

import pandas as pd
import pytest

from openclosed import tables as T
from pipeline import changelog, publish

NAN = float("nan")


def _models(rows):
    return pd.DataFrame(rows, columns=["model_id", "name", "organization", "openness", "n_sources"])


def _prices(rows):
    return pd.DataFrame([dict(zip(["model_id", "source", "price_kind", "provider", "source_id",
                                   "input_usd_per_mtok", "output_usd_per_mtok", "as_of"], r)) for r in rows])


def _scores(rows):
    return pd.DataFrame([dict(zip(["model_id", "source", "source_id", "metric", "value", "snapshot", "variant"], r))
                         for r in rows])


BEFORE = {
    "models": _models([("a", "A", "Lab", "api", 2), ("b", "B", "Lab", "open_restricted", 2),
                       ("gone", "Gone", "Lab", "api", 1)]),
    "prices": _prices([("a", "openrouter", "host", "openrouter", "x/a", 1.0, 4.0, "2026-08-22"),
                       ("b", "openrouter", "host", "openrouter", "x/b", 0.5, 1.0, "2026-08-22")]),
    "scores": _scores([("a", "lmarena", "a", "lmarena_text", 1400.0, "arena_catalog:2025-12-11", ""),
                       ("b", "eci", "B", "eci", 140.0, "2026-03-09", ""),
                       ("b", "epoch_hub", "b_high", "epoch_gpqa_diamond", 80.0, "2025-12-17", "high")]),
}
AFTER = {
    "models": _models([("a", "A", "Lab", "api", 2), ("b", "B", "Lab", "open_unrestricted", 2),
                       ("new", "New", "Lab2", "open_unrestricted", 2)]),
    "prices": _prices([("a", "openrouter", "host", "openrouter", "x/a", 1.0, 4.0, "2026-12-01"),
                       ("b", "openrouter", "host", "openrouter", "x/b", 0.25, 1.0, "2026-12-01")]),
    "scores": _scores([("a", "lmarena", "a", "lmarena_text", 1400.0, "arena_catalog:2025-12-11", ""),
                       ("a", "lmarena", "a", "lmarena_text", 1410.0, "arena_catalog:2026-12-01", ""),
                       ("b", "eci", "B", "eci", 140.0, "2026-03-09", ""),
                       ("b", "epoch_hub", "b_high", "epoch_gpqa_diamond", 80.0, "2025-12-17", "high")]),
}


def fake_headlines(tables):
    lag = "3.1 months" if len(tables["models"]) and "gone" in set(tables["models"]["model_id"]) else "2.9 months"
    verdict = "supported" if lag == "3.1 months" else "partly supported"
    return ({"Average lag": lag, "Same": "1"}, {"c1": {"claim": "Open is close", "verdict": verdict},
                                                "c2": {"claim": "Steady", "verdict": "supported"}}, [])


@pytest.fixture(scope="module")
def log():
    return changelog.compare(BEFORE, AFTER, {"snapshot_date": "2026-08-22"}, {"snapshot_date": "2026-12-01"},
                             headline_fn=fake_headlines)


def test_models_added_removed_and_openness(log):
    assert log["models_added"] == [{"model_id": "new", "name": "New", "organization": "Lab2",
                                    "openness": "open_unrestricted"}]
    assert [m["model_id"] for m in log["models_removed"]] == ["gone"]
    assert log["openness_changed"] == [{"model_id": "b", "name": "B", "before": "open_restricted",
                                        "after": "open_unrestricted"}]


def test_only_moved_prices_are_listed(log):
    assert log["prices_changed"] == [{
        "model_id": "b", "source": "openrouter", "price_kind": "host", "provider": "openrouter", "source_id": "x/b",
        "name": "B", "before_input": 0.5, "after_input": 0.25, "before_output": 1.0, "after_output": 1.0,
        "as_of_before": "2026-08-22", "as_of_after": "2026-12-01"}]


def test_scores_compare_the_newest_snapshot(log):
    assert log["scores_changed"] == [{
        "model_id": "a", "source": "lmarena", "metric": "lmarena_text", "variant": "", "name": "A",
        "before": 1400.0, "after": 1410.0, "snapshot_before": "arena_catalog:2025-12-11",
        "snapshot_after": "arena_catalog:2026-12-01"}]


def test_row_counts_headlines_and_verdicts(log):
    assert log["rows"] == {"models": {"added": 1, "removed": 1}, "scores": {"added": 1, "removed": 0}}
    assert log["headlines_changed"] == [{"label": "Average lag", "before": "3.1 months", "after": "2.9 months"}]
    assert log["verdicts_changed"] == [{"claim_id": "c1", "claim": "Open is close", "before": "supported",
                                        "after": "partly supported"}]
    assert log["summary"] == {"models_added": 1, "models_removed": 1, "openness_changed": 1, "prices_changed": 1,
                              "scores_changed": 1, "headlines_changed": 1, "verdicts_changed": 1}
    assert (log["previous"]["snapshot_date"], log["current"]["snapshot_date"]) == ("2026-08-22", "2026-12-01")


def test_identical_tables_give_an_empty_log():
    same = changelog.compare(BEFORE, BEFORE, {}, {}, headline_fn=fake_headlines)
    assert changelog.is_empty(same)
    assert "No table changed." in changelog.to_markdown(same)


def test_markdown_and_json_are_written(log, tmp_path):
    changelog.write(log, tmp_path)
    assert changelog.read(tmp_path) == json.loads(json.dumps(log))
    md = (tmp_path / changelog.MD_FILE).read_text()
    assert md.startswith("# Data changelog: snapshot 2026-08-22 → 2026-12-01")
    assert "## Prices that moved (1)" in md and "| b | openrouter | host |" in md


def test_headline_failures_are_notes_not_errors():
    numbers, verdicts, notes = changelog.headlines({"models": BEFORE["models"]})
    assert numbers == {} and verdicts == {} and notes and "could not be computed" in notes[0]


def test_data_date_uses_price_and_score_snapshots():
    assert changelog.data_date(AFTER) == "2026-12-01"
    assert changelog.data_date(BEFORE) == "2026-08-22"


# --- publish gate -------------------------------------------------------------------------------

def _built(top_model_sources: int):
    models = _models([("top", "Top", "Lab", "api", top_model_sources), ("b", "B", "Lab", "api", 2)])
    scores = _scores([("top", "lmarena", "top", "lmarena_text", 1500.0, "arena_catalog:2026-12-01", ""),
                      ("b", "lmarena", "b", "lmarena_text", 1300.0, "arena_catalog:2026-12-01", ""),
                      ("b", "lmarena", "b", "lmarena_text", 1600.0, "jasontrigg0:2025-03-26", "")])
    return {"models": models, "scores": scores}


def test_top_models_use_the_newest_snapshot_date():
    top = publish.top_models(_built(2)["scores"])
    assert top[["source", "model_id", "rank"]].values.tolist() == [["lmarena", "top", 1], ["lmarena", "b", 2]]


def test_new_unmatched_top_model_is_a_problem_unless_known():
    problems = publish.unmatched_notable(_built(1), {"models": _models([("b", "B", "Lab", "api", 2)])})
    assert len(problems) == 1 and "source 'lmarena'" in problems[0] and "Top" in problems[0]
    known = {"models": _models([("top", "Top", "Lab", "api", 1)])}
    assert publish.unmatched_notable(_built(1), known) == []
    assert publish.unmatched_notable(_built(2), {"models": _models([])}) == []


def _write_ok(built, origin, out):
    out.mkdir(parents=True)
    (out / "models.csv").write_text("new")


def test_publish_stops_on_unmatched_and_leaves_out(tmp_path):
    prev = tmp_path / "data"
    prev.mkdir()
    _models([("b", "B", "Lab", "api", 2)]).to_csv(prev / "models.csv", index=False)
    with pytest.raises(publish.BuildStopped, match="unmatched notable"):
        publish.publish(_built(1), {}, _write_ok, tmp_path, prev, prev)
    assert [p.name for p in tmp_path.iterdir()] == ["data"] and "model_id" in (prev / "models.csv").read_text()


def test_publish_stops_on_schema_violation_and_leaves_out(tmp_path):
    out = tmp_path / "data"
    out.mkdir()
    (out / "models.csv").write_text("published")

    def bad_write(built, origin, tmp):
        tmp.mkdir()
        raise T.TableError("table 'prices' violates its schema: column 'as_of' failed")

    with pytest.raises(publish.BuildStopped, match="schema violation.*prices"):
        publish.publish(_built(2), {}, bad_write, tmp_path, out, tmp_path / "none")
    assert [p.name for p in tmp_path.iterdir()] == ["data"] and (out / "models.csv").read_text() == "published"


# --- the Data & methods section ---------------------------------------------------------------

def _page(path):
    import json as _json
    from pathlib import Path as _Path

    from ui import changelog as ui_changelog
    ui_changelog.render(_json.loads(_Path(path).read_text()))


def test_page_section_lists_the_hand_made_differences(log, tmp_path):
    from streamlit.testing.v1 import AppTest
    changelog.write(log, tmp_path)
    at = AppTest.from_function(_page, args=(str(tmp_path / changelog.JSON_FILE),)).run(timeout=30)
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "Previous snapshot: **2026-08-22** · current snapshot: **2026-12-01**" in text
    labels = [e.label for e in at.expander]
    assert labels == ["Headline numbers that changed (1)", "Claim verdicts that changed (1)", "New models (1)",
                      "Removed models (1)", "Openness changed (1)", "Prices that moved (1)", "Scores that moved (1)"]
    prices = next(d.value for d in at.dataframe if "after_input" in d.value.columns)
    assert prices[["model_id", "before_input", "after_input"]].values.tolist() == [["b", 0.5, 0.25]]
    verdicts = next(d.value for d in at.dataframe if "claim_id" in d.value.columns)
    assert verdicts[["before", "after"]].values.tolist() == [["supported", "partly supported"]]


def test_same_snapshot_on_both_sides_is_said_as_a_rebuild(log, tmp_path):
    from openclosed.changelog_text import snapshot_sentence
    same = {**log, "previous": {"snapshot_date": "2026-08-22"}, "current": {"snapshot_date": "2026-08-22"}}
    text = snapshot_sentence(same)
    # the old line read "Previous snapshot: 2026-08-22 · current snapshot: 2026-08-22"
    assert "Previous snapshot" not in text and "same source data" in text and "2026-08-22" in text
    assert "snapshot 2026-08-22 (rebuilt)" in changelog.to_markdown(same)
    assert snapshot_sentence(log) == "Previous snapshot: **2026-08-22** · current snapshot: **2026-12-01**."
