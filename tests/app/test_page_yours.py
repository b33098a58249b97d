"""AppTest: the reader's own models (bring your own data) appear as "Yours" on the Performance and Cost charts,
and change none of the numbers the pages compute from public data."""
from __future__ import annotations

import json

import pandas as pd
import pyarrow as pa
from streamlit.testing.v1 import AppTest

from openclosed import byod
from openclosed import performance as P
from tests.app.conftest import APP

KEY = "_user_models"


def _rows() -> pd.DataFrame:
    """Four models: two on the AA index with prices (the template), one on the ECI, one on the AA index with no
    price (drawn on Performance, not on Cost)."""
    text = byod.template() + ("ECI model of mine,closed,2025-06-01,eci,140,,\n"
                              "Unpriced AA model,open,2025-09-01,aa_intelligence_index,30,,\n")
    result = byod.parse(text.encode())
    assert result.ok, result.errors
    return result.rows


def _open(page: str, params: dict | None = None, user: pd.DataFrame | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if user is not None:
        at.session_state[KEY] = user
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    at.switch_page(page)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def _specs(at) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]


def _rows_drawn(at, i: int = 0) -> pd.DataFrame:
    """Every row of the i-th chart's named datasets (Streamlit ships Altair's datasets as Arrow tables)."""
    parts = [pa.ipc.open_stream(d.data.data).read_pandas() for d in at.get("vega_lite_chart")[i].proto.datasets]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def _charts(at) -> list[tuple[str, list[str]]]:
    """Each chart as (spec with dataset names blanked, its datasets' rows as sorted JSON): Altair names a
    dataset by a hash that can differ between runs with the same rows, so compare contents, not names."""
    out = []
    for c in at.get("vega_lite_chart"):
        spec = json.dumps(json.loads(c.proto.spec), sort_keys=True)
        for d in c.proto.datasets:
            spec = spec.replace(d.name, "<data>")
        rows = sorted(json.dumps(r, sort_keys=True, default=str)
                      for d in c.proto.datasets
                      for r in pa.ipc.open_stream(d.data.data).read_pandas().to_dict("records"))
        out.append((spec, rows))
    return out


def _headlines(at) -> list[str]:
    return [m.value[5:] for m in at.markdown if m.value.startswith("#### ")]


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_performance_draws_yours_and_keeps_every_number():
    params = {"perf_metric": P.METRICS["aa_intelligence_index"].label}
    plain = _open("pages/performance.py", params)
    mine = _open("pages/performance.py", params, _rows())
    frontier = _specs(mine)[0]
    assert "Yours" in json.dumps(frontier)
    layer = next(lyr for lyr in frontier["layer"] if any(r.get("side") == "Yours"
                                                           for r in lyr.get("data", {}).get("values", [])))
    names = {r["model"] for r in layer["data"]["values"]}
    assert names == {"My fine-tuned model", "Vendor model X", "Unpriced AA model"}    # not the ECI one
    assert layer["encoding"]["color"]["scale"]["domain"][-1] == "Yours"
    assert "Yours" not in json.dumps(_specs(plain)[0])
    # public numbers: headlines, metrics and the other charts are identical
    assert _headlines(mine) == _headlines(plain)
    assert _metrics(mine) == _metrics(plain)
    assert _charts(mine)[1:] == _charts(plain)[1:]
    note = [c.value for c in mine.caption if c.value.startswith("Your models:")]
    assert note and "3 of 4" in note[0] and "do not change" in note[0] and "Epoch Capabilities Index (1)" in note[0]


def test_performance_eci_shows_only_the_eci_model():
    at = _open("pages/performance.py", None, _rows())
    spec = json.dumps(_specs(at)[0])
    assert "ECI model of mine" in spec and "Vendor model X" not in spec


def test_cost_draws_yours_and_keeps_every_number():
    plain = _open("pages/cost.py")
    mine = _open("pages/cost.py", None, _rows())
    scatter = _specs(mine)[0]
    text = json.dumps(scatter)
    assert "Yours" in text                                       # colour and shape domains, legend
    # blended at the page's 3:1 ratio: (3 * 1.25 + 10) / 4
    rows = _rows_drawn(mine)
    yours = rows[rows["group"] == "Yours"].set_index("name")
    assert sorted(yours.index) == ["My fine-tuned model", "Vendor model X"]
    assert yours.loc["Vendor model X", "blended"] == (3 * 1.25 + 10) / 4
    assert "Yours" not in set(_rows_drawn(plain)["group"])
    assert _headlines(mine) == _headlines(plain)
    assert _metrics(mine) == _metrics(plain)
    assert _charts(mine)[1:] == _charts(plain)[1:]
    note = [c.value for c in mine.caption if c.value.startswith("Your models:")]
    assert note and "2 of 4" in note[0] and "do not change" in note[0]


def test_cost_ratio_reblends_your_prices():
    at = _open("pages/cost.py", {"cost_ratio": "1:1"}, _rows())
    assert at.select_slider(key="cost_ratio").value == 1.0
    rows = _rows_drawn(at)
    assert rows.loc[rows["name"] == "Vendor model X", "blended"].tolist() == [(1.25 + 10) / 2]


def test_no_models_no_note():
    at = _open("pages/cost.py", None, byod.from_key(()))
    assert not [c for c in at.caption if c.value.startswith("Your models:")]
    assert "Yours" not in json.dumps(_specs(at)[0]) and "Yours" not in set(_rows_drawn(at)["group"])
