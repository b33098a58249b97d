"""data/history.csv: one entry per vintage, append-only, and what changed since a link's vintage."""
import json

import pandas as pd
import pytest

from openclosed import history, tables
from openclosed.vintage import Vintage
from pipeline import history as build_history

MODELS_A = pd.DataFrame({"model_id": ["a", "b"], "name": ["Model A", "Model B"]})
MODELS_B = pd.DataFrame({"model_id": ["a", "c"], "name": ["Model A", "Model C"]})


def _entry(date, lag, verdict, prev=None, cur=MODELS_A):
    return history.entry(Vintage(date, (("eci", date),)), [{"label": "Lag today", "value": lag}],
                         [{"claim_id": "c02", "claim": "The lag is three months", "verdict": verdict}], prev, cur)


def _two_vintages():
    h = history.append(history.empty(), _entry("2026-07-31", "6 months", "not supported"))
    return history.append(h, _entry("2026-08-22", "2 months", "supported", MODELS_A, MODELS_B))


def test_entry_rows_are_schema_valid_and_name_models_added_and_removed():
    h = tables.validate("history", _two_vintages())
    new = h[h["vintage"] == "2026-08-22"]
    assert set(new.loc[new["kind"] == "model_added", "label"]) == {"Model C"}
    assert set(new.loc[new["kind"] == "model_removed", "label"]) == {"Model B"}
    assert set(h["revision"]) == {1}


def test_same_findings_on_the_same_vintage_add_nothing_other_findings_add_a_revision():
    h = _two_vintages()
    assert history.append(h, _entry("2026-08-22", "2 months", "supported")).equals(h)
    h2 = history.append(h, _entry("2026-08-22", "3 months", "supported"))
    assert len(h2) > len(h)
    assert sorted(set(h2.loc[h2["vintage"] == "2026-08-22", "revision"])) == [1, 2]
    history.check_append_only(h, h2)      # the past rows are all still there, unchanged


def test_a_rewritten_past_row_is_refused():
    h = _two_vintages()
    changed = h.copy()
    changed.loc[0, "value"] = "something else"
    with pytest.raises(history.HistoryRewritten, match="append-only"):
        history.check_append_only(h, changed)


def test_since_a_link_gives_then_and_now_flipped_verdicts_and_models():
    s = history.since(_two_vintages(), "2026-08-01", "2026-08-22")   # made on the data current on Aug 1
    assert (s.then, s.now) == ("2026-07-31", "2026-08-22")
    assert s.headlines == [{"label": "Lag today", "then": "6 months", "now": "2 months", "changed": True}]
    assert s.verdicts_flipped == [{"claim": "The lag is three months", "then": "not supported", "now": "supported"}]
    assert (s.models_added, s.models_removed) == (["Model C"], ["Model B"])


@pytest.mark.parametrize("link", ["2026-08-22", "2026-01-01"])
def test_since_is_none_for_a_current_link_or_one_older_than_the_history(link):
    assert history.since(_two_vintages(), link, "2026-08-22") is None


def _build_dir(path, date, lag, models):
    path.mkdir()
    (path / "overview.json").write_text(json.dumps({"numbers": [{"label": "Lag today", "value": lag}], "claims": []}))
    pd.DataFrame({"source": ["eci", "curated"], "snapshot": [date, "2026-11-24"]}).to_csv(
        path / "source_dates.csv", index=False)
    models.to_csv(path / "models.csv", index=False)
    (path / "provenance.json").write_text("{}")


def test_builds_append_and_keep_every_past_row(tmp_path):
    _build_dir(tmp_path / "one", "2026-07-31", "6 months", MODELS_A)
    first = build_history.add_entry(tmp_path / "none", tmp_path / "one", None)
    _build_dir(tmp_path / "two", "2026-08-22", "2 months", MODELS_B)
    second = build_history.add_entry(tmp_path / "one", tmp_path / "two", MODELS_A)
    assert tables.read("history", tmp_path / "two").shape == second.shape
    assert set(second["vintage"]) == {"2026-07-31", "2026-08-22"}
    history.check_append_only(first, second)
    assert "history" in json.loads((tmp_path / "two" / "provenance.json").read_text())
