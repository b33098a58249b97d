"""AppTest: the Risk page renders, its controls change the scores, and the URL reproduces the view."""
import pytest

from openclosed import risk, tables
from tests.app.conftest import open_page

PAGE = "pages/risk.py"


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _scores(at) -> dict[str, float]:
    return {k.removesuffix(" score"): float(v) for k, v in _metrics(at).items() if k.endswith(" score")}


@pytest.fixture(scope="module")
def default_app():
    return open_page(PAGE)


@pytest.fixture(scope="module")
def register():
    return tables.read("risk_register")


def test_default_render(default_app, register):
    at = default_app
    assert not at.exception
    assert at.title[0].value.startswith("Risk")
    assert [s.key for s in at.slider] == [f"risk_w_{c}" for c in risk.CATEGORIES]
    assert [t.key for t in at.toggle if t.key.startswith("risk_")] == [f"risk_ctx_{c}" for c in risk.CONTEXTS]
    assert at.radio(key="risk_option").value == risk.CLOSED_API
    expected = risk.option_scores(register).set_index("short")["score"]
    shown = _scores(at)
    for short, value in expected.items():
        assert shown[short] == pytest.approx(value, abs=0.5)   # shown rounded (60.5 reads 61)
    text = " ".join(m.value for m in at.markdown)
    assert "report's judgment" in " ".join(i.value for i in at.info)
    assert "not its weights" in text or "not its weights disappearing" in text
    # measured headline numbers equal the core's
    m = risk.measured({n: tables.read(n) for n in ("listings", "price_history", "models", "events")})
    churn = m["churn"].set_index("cls")
    shown = _metrics(at)
    for cls in ("closed", "open"):
        name = risk.CLASS_LABELS[cls]
        assert shown[f"{name}: 2024 listings gone"] == f"{100 * churn.loc[cls, 'share_gone_2024']:.0f}%"
        assert shown[f"{name}: median listing life"] == f"{churn.loc[cls, 'median_days']:.0f} days"
    vol = m["volatility"].set_index("cls")
    assert shown["Open weights: price moves a year"] == f"{vol.loc['open', 'moves_per_model_year']:.2f}"
    # the three mitigations for the default option
    mit = risk.mitigations(register, risk.CLOSED_API)
    for r in mit.itertuples():
        assert r.mitigation in text


def test_contribution_table_adds_up(default_app):
    at = default_app
    frames = [d.value for d in at.dataframe]
    con = next(f for f in frames if "Contribution" in f.columns)
    scores = _scores(at)
    for short, total in con.groupby("Option")["Contribution"].sum().items():
        assert total == pytest.approx(scores[short], abs=0.5)   # shown rounded
    assert {"Likelihood", "Impact", "Weight", "Situation x", "Rows in category"} <= set(con.columns)
    reg = next(f for f in frames if "Rationale (judgment)" in f.columns)
    assert len(reg) >= 30 and reg["url"].str.startswith("https://").all()


def test_weight_slider_changes_scores(register):
    at = open_page(PAGE)
    before = _scores(at)
    at.slider(key="risk_w_operations").set_value(4.0).run()
    assert not at.exception
    after = _scores(at)
    assert after["Self-hosted open"] > before["Self-hosted open"]
    assert after["Closed API"] >= before["Closed API"]
    expected = risk.option_scores(register, {"operations": 4.0}).set_index("short")["score"]
    assert after["Self-hosted open"] == pytest.approx(expected["Self-hosted open"], abs=0.5)


def test_context_toggle_and_option_change():
    at = open_page(PAGE)
    before = _scores(at)
    at.toggle(key="risk_ctx_ml_team").set_value(True).run()
    after = _scores(at)
    assert after["Self-hosted open"] < before["Self-hosted open"]
    at.radio(key="risk_option").set_value(risk.SELF_HOSTED).run()
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert f"score of **{risk.OPTION_NOUN[risk.SELF_HOSTED]}**" in text


def test_all_weights_zero_shows_a_message():
    params = {f"risk_w_{c}": "0.0" for c in risk.CATEGORIES}
    at = open_page(PAGE, params)
    assert not at.exception
    assert all(v == 0 for v in _scores(at).values())
    infos = " ".join(i.value for i in at.info)
    assert "Every weight is at zero" in infos and "nothing to mitigate" in infos


def test_url_round_trip(register):
    params = {"risk_w_operations": "3.0", "risk_w_data_control": "2.5", "risk_ctx_personal_data": "true",
              "risk_ctx_ml_team": "true", "risk_option": risk.OPTION_SHORT[risk.HOSTED_OPEN]}
    at = open_page(PAGE, params)
    assert not at.exception
    assert at.slider(key="risk_w_operations").value == 3.0
    assert at.slider(key="risk_w_data_control").value == 2.5
    assert at.toggle(key="risk_ctx_personal_data").value is True
    assert at.toggle(key="risk_ctx_ml_team").value is True
    assert at.radio(key="risk_option").value == risk.HOSTED_OPEN
    expected = risk.option_scores(register, {"operations": 3.0, "data_control": 2.5},
                                  {"personal_data": True, "ml_team": True}).set_index("short")["score"]
    shown = _scores(at)
    for short, value in expected.items():
        assert shown[short] == pytest.approx(value, abs=0.5)   # shown rounded (60.5 reads 61)
    top = risk.mitigations(register, risk.HOSTED_OPEN, {"operations": 3.0, "data_control": 2.5},
                           {"personal_data": True, "ml_team": True})
    text = " ".join(m.value for m in at.markdown)
    assert top.iloc[0]["mitigation"] in text


def test_hostile_url_values_fall_back():
    params = {"risk_w_operations": "99", "risk_w_security": "abc", "risk_w_vendor": "-1",
              "risk_ctx_ml_team": "maybe", "risk_option": "<script>", "risk_w_compliance": "nan"}
    at = open_page(PAGE, params)
    assert not at.exception
    for c in risk.CATEGORIES:
        assert at.slider(key=f"risk_w_{c}").value == risk.WEIGHT_DEFAULT
    assert at.toggle(key="risk_ctx_ml_team").value is False
    assert at.radio(key="risk_option").value == risk.CLOSED_API
