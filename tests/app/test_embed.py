"""?embed=<card key> renders that card alone (headline, chart, source line, vintage, a link back); a bad key says so."""
from streamlit.testing.v1 import AppTest  # noqa: F401 (type)

from openclosed import tables
from tests.app.conftest import open_page

NOW = tables.read("history")["vintage"].max()


def _embed(key: str) -> AppTest:
    return open_page("pages/performance.py", {"embed": key}, timeout=120)


def test_embed_shows_one_card_with_source_vintage_and_a_link_back():
    at = _embed("perf_gap")
    assert not at.exception and not at.error
    assert len(at.get("vega_lite_chart")) == 1
    captions = " ".join(c.value for c in at.caption)
    assert "Source:" in captions and f"Data vintage {NOW}" in captions and "](performance" in captions
    assert "#perf_gap)" in captions
    assert not at.sidebar.children or all(not getattr(c, "children", None) for c in at.sidebar.children.values())


def test_a_bad_embed_key_gives_a_clear_message():
    at = _embed("no_such_chart<b>")
    assert not at.exception
    assert "There is no chart" in at.error[0].value and "perf_gap" in at.error[0].value.replace("\\", "")
    assert "<b>" not in at.error[0].value
