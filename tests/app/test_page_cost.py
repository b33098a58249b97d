"""AppTest: the Cost page renders, reacts to its widgets, and reproduces a scenario set through the URL."""
import dataclasses

import pytest

from openclosed import cost, fmt, tables
from tests.app.conftest import open_page

PAGE = "pages/cost.py"


@pytest.fixture(scope="module")
def data():
    return {name: tables.read(name) for name in cost.TABLES}


def _metrics(at) -> dict:
    return {m.label: m.value for m in at.metric}


def _widget(at, key):
    for kind in (at.slider, at.select_slider, at.radio, at.selectbox, at.number_input, at.toggle):
        for w in kind:
            if w.key == key:
                return w
    raise KeyError(key)


def test_default_render_matches_the_core(data):
    at = open_page(PAGE)
    assert not at.exception
    r = cost.analyze(data, cost.Settings())
    m = _metrics(at)
    t = r.market.at_threshold
    assert m["Cheapest open"] == f"{fmt.usd(t['open']['blended'])}/M"
    assert m["Cheapest closed"] == f"{fmt.usd(t['closed']['blended'])}/M"
    assert m["Saving with open"] == fmt.open_saving(t["saving_pct"])
    opts = r.calc.calc["options"].set_index("option")
    assert m["Self-host ($/month)"] == fmt.usd(opts.loc["Self-host", "monthly_usd"])
    assert m["Closed API ($/month)"] == fmt.usd(opts.loc["Closed API", "monthly_usd"])
    headings = [md.value for md in at.markdown]
    assert any(cost.headline_threshold(r.market) in h for h in headings)
    assert any(c.title in h for c in cost.cards_from(r) for h in headings)


def test_moving_the_threshold_updates_the_numbers(data):
    at = open_page(PAGE)
    before = _metrics(at)["Saving with open"]
    _widget(at, "cost_threshold").set_value(50.0).run()
    assert not at.exception
    t = cost.analyze_market(data, cost.Settings(threshold=50.0)).at_threshold
    after = _metrics(at)["Saving with open"]
    assert after == fmt.open_saving(t["saving_pct"]) and after != before


def test_changing_the_volume_and_gpu_price_updates_the_calculator(data):
    at = open_page(PAGE)
    _widget(at, "cost_tokens").set_value(1e11).run()
    _widget(at, "cost_gpu_pct").set_value("p25").run()
    assert not at.exception
    c = cost.analyze_calc(data, cost.Settings(tokens=1e11, gpu_pct="p25"))
    sh = c.calc["options"].set_index("option").loc["Self-host", "monthly_usd"]
    assert _metrics(at)["Self-host ($/month)"] == fmt.usd(sh)


def test_url_scenario_round_trip(data):
    params = {"cost_source": "Lab list price", "cost_ratio": "1:1", "cost_threshold": "30",
              "cost_tokens": "10B", "cost_util": "80", "cost_derate": "70", "cost_min_gpus": "4",
              "cost_overhead": "5000", "cost_against": "The closed API", "cost_model": cost.self_host_label(
                  cost.self_host_table(data["throughput"], data["gpu_prices"]).query("model == 'llama3.1-8b'").iloc[0]),
              "cost_gpu": "H100 SXM5"}
    at = open_page(PAGE, params)
    assert not at.exception
    assert _widget(at, "cost_source").value == "lab_list"
    assert _widget(at, "cost_ratio").value == 1.0
    assert _widget(at, "cost_threshold").value == 30.0
    assert _widget(at, "cost_tokens").value == 1e10
    assert _widget(at, "cost_util").value == 80
    assert _widget(at, "cost_model").value == "llama3.1-8b"
    assert _widget(at, "cost_gpu").value == "H100 SXM5"
    s = cost.Settings(price_source="lab_list", ratio=1.0, threshold=30.0, tokens=1e10, utilization=0.8, derate=0.7,
                      min_gpus=4, overhead=5000.0, against="closed", model="llama3.1-8b", gpu="H100 SXM5")
    r = cost.analyze(data, s)
    m = _metrics(at)
    t = r.market.at_threshold
    assert m["Saving with open"] == fmt.open_saving(t["saving_pct"])
    opts = r.calc.calc["options"].set_index("option")
    assert m["Self-host ($/month)"] == fmt.usd(opts.loc["Self-host", "monthly_usd"])
    # hand check of the self-host figure: Llama 3.1 8B on H100 SXM5, MLPerf Server x 70% at 80% utilization
    row = r.calc.calc["row"]
    gpu_usd = float(data["gpu_prices"].set_index("gpu").loc["H100 SXM5", "usd_per_gpu_hour_median"])
    # decode MLPerf x 70%; prefill H100 fp8 1,979 TFLOPS x 40% / (2 x 8B); one input token per output token
    decode, prefill = row["tokens_per_s_per_gpu"] * 0.7, 1979e12 * 0.4 / (2 * 8e9)
    per_gpu = 1 / (1 / decode + 1 / prefill) * 0.8 * cost.SECONDS_PER_MONTH            # output tokens per GPU-month
    gpus = max(4, -(-(1e10 * 0.5) // per_gpu))                                          # 1:1 -> half output
    assert opts.loc["Self-host", "monthly_usd"] == pytest.approx(gpus * gpu_usd * 730 + 5000)


@pytest.mark.parametrize("params", [
    {"cost_threshold": "abc", "cost_tokens": "lots", "cost_source": "<script>", "cost_util": "-5",
     "cost_min_gpus": "many", "cost_gpu": "TPU", "cost_closed": "nope", "cost_ratio": "9:9"},
    {"cost_tokens": "0", "cost_util": "1", "cost_threshold": "61", "cost_level": "61", "cost_derate": "5"},
    {"cost_tokens": "100B", "cost_overhead": "1000000", "cost_min_gpus": "1024", "cost_cache": "90"},
])
def test_hostile_and_extreme_urls_fall_back_or_render(params):
    at = open_page(PAGE, params)
    assert not at.exception
    values = " ".join(str(m.value) for m in at.metric).lower()
    assert "nan" not in values.split() and "inf" not in values.split()
    if params.get("cost_threshold") == "abc":
        assert _widget(at, "cost_threshold").value == cost.Settings().threshold
        assert _widget(at, "cost_tokens").value == cost.Settings().tokens
        assert _widget(at, "cost_source").value == cost.Settings().price_source


def test_open_match_table_follows_the_closed_model_and_yardstick(data):
    closed = cost.closed_catalog(data["models"], data["scores"], data["prices"], 3.0).set_index("model_id")
    label = f"{closed.loc['gpt-5', 'label']} (AA {closed.loc['gpt-5', 'score']:.1f})"
    at = open_page(PAGE, {"cost_closed": label, "cost_match_yardstick": "Every AA evaluation"})
    assert not at.exception
    assert _widget(at, "cost_closed").value == "gpt-5"
    want = cost.match.display_table(cost.match.open_matches(data, "gpt-5", "all", cost.match.Task(3000, 1000, 1e9)))
    shown = next(d.value for d in at.dataframe if "open model" in d.value.columns)
    assert list(shown["open model"]) == list(want["open model"]) and list(shown["verdict"]) == list(want["verdict"])
    assert list(shown["hosted $/task"]) == list(want["hosted $/task"])
    _widget(at, "cost_match_yardstick").set_value("coding").run()
    assert not at.exception
    bad = open_page(PAGE, {"cost_match_yardstick": "<b>x</b>", "cost_task_in": "-5", "cost_task_out": "inf"})
    assert not bad.exception


def test_an_unmeasured_gpu_is_offered_as_an_estimate(data):
    at = open_page(PAGE, {"cost_gpu": "H200 (estimate: no MLPerf result)"})
    assert not at.exception
    assert _widget(at, "cost_gpu").value == "H200"
    r = cost.analyze_calc(data, cost.Settings(gpu="H200")).calc
    assert r["plan"].estimate
    assert _metrics(at)["Self-host ($/month)"] == fmt.usd(r["options"].set_index("option").loc["Self-host",
                                                                                                "monthly_usd"])
    assert any("an estimate" in c.value for c in at.caption)
