"""tests/vega_lite.py: the one shared validator passes what altair's validator passes and fails what it fails."""
import altair as alt
import jsonschema
import pandas as pd
import pytest

from tests import vega_lite


def test_a_valid_chart_passes_and_a_broken_one_raises_altairs_error():
    spec = alt.Chart(pd.DataFrame({"x": [1, 2], "y": [3, 4]})).mark_line().encode(x="x:Q", y="y:Q").to_dict()
    vega_lite.assert_valid(spec)
    with pytest.raises(jsonschema.ValidationError, match="nonsense"):
        vega_lite.assert_valid({**spec, "mark": {"type": "nonsense"}})
    with pytest.raises(jsonschema.ValidationError):
        vega_lite.assert_valid({**spec, "encoding": {"x": {"field": "x", "type": "quantitative",
                                                           "scale": {"type": "loggg"}}}})
