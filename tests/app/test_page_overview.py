"""AppTest: the overview renders five live numbers and the claims check, linking to sections."""
import re

from tests.app.conftest import open_page


def test_overview_renders_numbers_and_claims():
    at = open_page("pages/overview.py")
    assert not at.exception
    assert len(at.metric) == 5
    # lag today in months and the gap in the headline yardstick's own points: no % of an index
    assert re.search(r"months? · ", at.metric[0].value) and "points" in at.metric[0].value and "%" not in at.metric[0].value
    text = " ".join(m.value for m in at.markdown)
    assert "supported" in text and "claimed" in text
    assert sum(v in text for v in ("supported", "partly supported", "not supported")) >= 2
    # claims on a capability yardstick name it with its data end and read on every yardstick, in a small table
    assert "Judged on the " in text and "whose data end" in text
    assert any("yardsticks meeting the coverage rule" in c.value for c in at.caption)
    assert any(e.label == "The claim on every yardstick" for e in at.expander) and len(at.dataframe) >= 4


def test_overview_is_the_default_page():
    from streamlit.testing.v1 import AppTest

    from tests.app.conftest import APP
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert at.title[0].value.startswith("Open vs closed AI")
