"""openclosed.charts.rows_as_values: the same rows as Altair's own conversion, for every kind of column."""
import altair as alt
import numpy as np
import pandas as pd
from altair.utils.core import sanitize_pandas_dataframe

from openclosed.charts import rows_as_values


def test_rows_match_altair_for_every_column_kind():
    frame = pd.DataFrame({
        "date": pd.to_datetime(["2024-01-01 00:00", None, "2025-06-30 12:30"], format="%Y-%m-%d %H:%M"),
        "float": [1.5, np.nan, np.inf], "int": [1, 2, 3], "bool": [True, False, True],
        "category": pd.Categorical(["a", "b", None]), "text": ["x", None, "z"],
        "nullable_int": pd.array([1, None, 3], dtype="Int64"),
        "nullable_float": pd.array([0.25, None, 2.0], dtype="Float64"),
        "string": pd.array(["p", None, "q"], dtype="string"),
    })
    mine = rows_as_values(frame)["values"]
    assert mine == sanitize_pandas_dataframe(frame).to_dict(orient="records")
    assert mine[1] == {"date": "", "float": None, "int": 2, "bool": False, "category": "b", "text": None,
                       "nullable_int": None, "nullable_float": None, "string": None}
    assert mine[2]["date"] == "2025-06-30T12:30:00" and mine[2]["float"] is None and mine[2]["category"] is None


def test_unusual_frames_go_altairs_way():
    timezone = pd.DataFrame({"t": pd.to_datetime(["2024-01-01"]).tz_localize("UTC")})
    assert rows_as_values(timezone) == alt.vegalite.data.default_data_transformer(timezone)
    assert rows_as_values({"values": [{"a": 1}]}) == {"values": [{"a": 1}]}


def test_it_is_the_active_transformer():
    import openclosed.cards  # noqa: F401  (importing the cards enables it)
    assert alt.data_transformers.active == "openclosed"
