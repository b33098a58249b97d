"""A link made on older data opens with "Since this link was made" (numbers from data/history.csv); a link with no
vintage, a current one or a malformed one opens as before, with no error. Cite this page, in the sidebar."""
import pandas as pd
import pytest

from openclosed import history, tables
from openclosed.vintage import Vintage
from tests.app.conftest import open_page
from ui import links

NOW = tables.read("history")["vintage"].max()          # the committed data's vintage


def _toy_history():
    """The committed history plus an older vintage whose lag and one verdict differ."""
    now = tables.read("history")
    old = history.entry(Vintage("2026-07-31", (("eci", "2026-07-31"),)),
                        [{"label": "Best open behind best closed, today", "value": "9 months"}],
                        [{"claim_id": "c02_lag_now_three_months", "claim": "The lag is about three months.",
                          "verdict": "supported"}], None, pd.DataFrame(columns=["model_id", "name"]))
    added = pd.DataFrame([{"vintage": NOW, "revision": 1, "kind": "model_added", "key": "kimi-k3", "label": "Kimi K3",
                           "value": ""}])
    return history.sort(pd.concat([old.assign(revision=1), now, added], ignore_index=True))


def _panel_text(at) -> str:
    return " ".join([m.value for m in at.markdown] + [c.value for c in at.caption])


def test_old_link_shows_then_and_now_from_the_history_and_can_be_dismissed(monkeypatch):
    hist = _toy_history()
    monkeypatch.setattr(links, "_history", lambda: hist)
    at = open_page("pages/data.py", {"v": "2026-08-01"})
    assert not at.exception
    text = _panel_text(at)
    assert "Since this link was made" in text and "2026\\-08\\-01" in text and f"data is now of {NOW}" in text
    table = at.table[0].value
    row = table[table["Headline number"] == "Best open behind best closed, today"].iloc[0]
    latest = hist[(hist["vintage"] == NOW)].sort_values("revision", kind="mergesort")     # the newest revision counts
    now = latest[latest["key"] == "Best open behind best closed, today"]["value"].iloc[-1]
    assert (row["Then (2026-07-31)"], row[f"Now ({NOW})"], row["Changed"]) == ("9 months", now, "yes")
    verdict_now = latest[latest["key"] == "c02_lag_now_three_months"]["value"].iloc[-1]
    assert f"three months: then **supported**, now **{verdict_now}**" in text.replace("\\", "")
    assert "Kimi K3" in text
    at.button(key="since_link_dismiss").click().run()
    assert not at.exception and "Since this link was made" not in _panel_text(at)


@pytest.mark.parametrize("value", [None, "garbage", "2026-99-99", "<script>alert(1)</script>", NOW, "2099-01-01"])
def test_no_malformed_current_or_future_vintage_opens_as_before(value):
    at = open_page("pages/data.py", {"v": value} if value else None)
    assert not at.exception
    assert "Since this link was made" not in _panel_text(at)


def test_old_link_beyond_the_history_says_so():
    at = open_page("pages/data.py", {"v": "2020-01-01"})
    assert not at.exception
    assert "does not reach back" in _panel_text(at)


def test_cite_this_page_gives_apa_bibtex_and_source_citations():
    at = open_page("pages/data.py")
    codes = [c.value for c in at.code]
    assert any(c.startswith("Open vs Closed AI report team. (") and f"data vintage {NOW}" in c for c in codes)
    assert any(c.startswith("@misc{") and f"v={NOW}" in c for c in codes)


def test_a_cards_permalink_names_its_page_path_whatever_spelling_the_card_uses():
    from types import SimpleNamespace
    assert links.card_path(SimpleNamespace(page="Performance")) == "performance"
    assert links.card_path(SimpleNamespace(page="geo")) == "geopolitics"
    assert links.card_path(SimpleNamespace(page="")) == ""
