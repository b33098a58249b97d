"""Section settings from URL parameters, as the page's widgets read them (labels, repeated keys, bounds)."""
from pathlib import Path

import pytest

from openclosed import geo, performance as P, report, risk, urlstate


def test_labels_ranges_and_switches_become_settings():
    q = {"perf_metric": [P.METRICS["aa_intelligence_index"].label], "perf_range": ["2025-06", "2024-01"],
         "perf_flagged": ["false"], "perf_open": [P.OPEN_RULES["unrestricted"]]}
    s = urlstate.settings_from_query("performance", q, {})
    assert (s.metric, s.start, s.end, s.include_flagged, s.open_rule) == \
        ("aa_intelligence_index", "2024-01", "2025-06", False, "unrestricted")


def test_bad_values_fall_back_to_defaults_and_bounds_hold():
    q = {"risk_w_vendor": ["99"], "risk_w_security": ["2.5"], "risk_ctx_regulated": ["maybe"],
         "risk_ctx_on_prem": ["true"], "risk_option": ["<script>"]}
    s = urlstate.settings_from_query("risk", q, {})
    d = risk.Settings()
    assert (s.w_vendor, s.w_security, s.regulated, s.on_prem, s.option) == (d.w_vendor, 2.5, False, True, d.option)
    g = urlstate.settings_from_query("geo", {"geo_years": ["abc", "2022"], "geo_list": ["Large-scale"]}, {})
    assert (g.year_from, g.year_to, g.model_list) == (geo.Settings().year_from, geo.Settings().year_to, "large_scale")


@pytest.mark.parametrize("section", list(urlstate.PARAMS))
def test_no_parameters_give_the_defaults(section):
    import importlib
    mod = importlib.import_module(f"openclosed.{section}")
    assert urlstate.settings_from_query(section, {}, {}) == urlstate.clean(section, mod.Settings())


def test_one_vocabulary_for_what_counts_as_open():
    from openclosed import cost, openness
    assert P.OPEN_RULES is cost.OPEN_RULES is geo.OPEN_RULES is openness.OPEN_RULES
    core = Path(openness.__file__).parent
    defined = [str(f.relative_to(core)) for f in core.rglob("*.py") if "\nCLOSED_CLASSES =" in f.read_text()]
    assert defined == ["openness.py"]       # what counts as closed: one definition, read by every page
    assert "unreleased" in openness.CLOSED_CLASSES and "unknown" not in openness.CLOSED_CLASSES
    fields = {s: [p.field for p in urlstate.params(s) if p.key.endswith("_open")] for s in ("performance", "cost", "geo")}
    assert fields == {"performance": ["open_rule"], "cost": ["open_rule"], "geo": ["open_rule"]}


def test_old_link_labels_still_read():
    """Geopolitics wrote 'Unrestricted licence only' before the one vocabulary; Performance 'US only' before the
    one country rule."""
    g = urlstate.settings_from_query("geo", {"geo_open": ["Unrestricted licence only"]}, {})
    p = urlstate.settings_from_query("performance", {"perf_open": ["Unrestricted licence only"],
                                                     "perf_country": ["US only"]}, {})
    assert (g.open_rule, p.open_rule, p.country) == ("unrestricted", "unrestricted", "us")
    assert urlstate.upgraded_link("geo", {"geo_open": "Unrestricted licence only"}) == {
        "geo_open": ("Unrestricted licences only", "unrestricted")}
    assert urlstate.upgraded_link("geo", {"geo_open": "Any open weights"}) == {}


@pytest.mark.parametrize("section", report.SECTIONS, ids=lambda s: s.key)
def test_every_declared_control_carries_its_sections_prefix(section):
    keys = [p.key for p in urlstate.params(section.key)]
    assert len(keys) == len(set(keys))
    assert all(k.startswith(section.prefix) for k in keys) and (section.prefix or not keys)



# ------------------------------------------------------------------ the widget a declaration draws (ui.controls)
def test_a_choice_is_drawn_with_its_labels_and_the_settings_default():
    w = urlstate.widget("perf_country", {})
    assert w.style == "selectbox"
    assert w.kwargs["label"] == "Developer country" and w.kwargs["key"] == "perf_country"
    assert w.kwargs["bind"] == "query-params"
    assert w.kwargs["options"] == list(P.COUNTRIES)
    assert [w.kwargs["format_func"](o) for o in w.kwargs["options"]] == list(P.COUNTRIES.values())
    assert w.kwargs["options"][w.kwargs["index"]] == P.Settings().country == "all"


def test_a_range_a_switch_and_a_radio_take_their_defaults_from_settings():
    d = P.Settings()
    rng = urlstate.widget("perf_range", {})
    assert rng.style == "select_slider" and rng.kwargs["value"] == (d.start, d.end)
    assert rng.kwargs["options"] == list(P.month_options())
    flagged = urlstate.widget("perf_flagged", {})
    assert flagged.style == "toggle" and flagged.kwargs["value"] is True
    option = urlstate.widget("risk_option", {})
    assert option.style == "radio" and option.kwargs["horizontal"] is True
    assert option.kwargs["options"][option.kwargs["index"]] == risk.CLOSED_API


def test_a_weight_is_a_slider_over_its_declared_bounds():
    kw = urlstate.widget("risk_w_vendor", {}).kwargs
    assert (kw["min_value"], kw["value"], kw["max_value"]) == (risk.WEIGHT_MIN, risk.WEIGHT_DEFAULT, risk.WEIGHT_MAX)
    assert (kw["step"], kw["format"], kw["label"]) == (0.5, "%.1f", risk.CATEGORY_LABELS["vendor"])


def test_a_year_range_is_a_slider_over_the_years_and_says_where_the_list_ends():
    import pandas as pd
    epoch = pd.DataFrame({"publication_date": ["2023-05-01", "2025-11-30"]})
    w = urlstate.widget("geo_years", {"epoch_models": epoch})
    assert w.style == "slider" and (w.kwargs["min_value"], w.kwargs["max_value"]) == (geo.YEAR_MIN, geo.YEAR_MAX)
    assert w.kwargs["value"] == (geo.Settings().year_from, geo.Settings().year_to) == (2020, 2026)
    assert w.kwargs["help"] == "Epoch's model lists end on 2025-11-30; capability scores may run later."
    regions = urlstate.widget("geo_regions", {}).kwargs
    assert regions["horizontal"] is True and regions["options"] == list(geo.GROUPINGS)


def test_a_situation_switch_says_which_risks_it_moves(loaded_register):
    helps = {c: urlstate.widget(f"risk_ctx_{c}", {"risk_register": loaded_register}).kwargs["help"]
             for c in risk.CONTEXTS}
    assert helps["ml_team"].startswith("Lowers the weight of: ") and "Operational burden" in helps["ml_team"]
    assert helps["personal_data"].startswith("Raises the weight of: ")
    assert "Data leaving your control" in helps["personal_data"]


def test_a_percent_control_shows_the_settings_value_in_its_own_units():
    from openclosed import cost
    p = next(p for p in urlstate.params("cost") if p.key == "cost_cache")
    assert urlstate.default("cost", p) == pytest.approx(cost.Settings().cache_hit * 100)
    assert urlstate.default("cost", p) == round(urlstate.default("cost", p), 6)      # no 30.000000000000004


def test_an_undeclared_or_unlabelled_control_is_refused_with_what_to_do(monkeypatch):
    with pytest.raises(KeyError, match="declare it as a Param"):
        urlstate.widget("perf_nope", {})
    with pytest.raises(KeyError, match="No control is declared"):
        urlstate.widget("zzz_metric", {})
    monkeypatch.setitem(urlstate.PARAMS, "geo", lambda: [urlstate.Param("geo_bare", "metric")])
    with pytest.raises(ValueError, match="declares no label"):
        urlstate.widget("geo_bare", {})
    with pytest.raises(ValueError, match="pass their values as `given`"):
        urlstate.widget("cost_scenario", {}, ("deepseek-r1",))


@pytest.fixture(scope="module")
def cost_tables():
    from openclosed import tables
    return {name: tables.read(name) for name in ("throughput", "gpu_prices", "gpu_specs", "scores", "models")}


def test_a_percent_slider_stays_whole_and_a_float_box_shows_whole_numbers(cost_tables):
    from openclosed import cost
    cache = urlstate.widget("cost_cache", {}).kwargs
    assert (cache["min_value"], cache["value"], cache["max_value"], cache["step"]) == (0, 0, 90, 5)
    assert all(type(cache[k]) is int for k in ("min_value", "value", "max_value"))
    gpus = urlstate.widget("cost_min_gpus", {})
    assert gpus.style == "number_input" and gpus.kwargs["value"] == 2.0 and type(gpus.kwargs["value"]) is float
    assert urlstate.settings_from_values("cost", {"cost_min_gpus": 3.0, "cost_derate": 70}).min_gpus == 3
    top = urlstate.widget("cost_threshold", cost_tables).kwargs["max_value"]
    scores = cost_tables["scores"]
    assert top == int(scores.loc[scores["metric"] == cost.METRIC, "value"].max()) + 1


def test_options_that_depend_on_another_control_follow_its_value(cost_tables):
    from openclosed import cost
    gpu = urlstate.widget("cost_gpu", cost_tables, ("deepseek-r1",)).kwargs
    sh = cost.self_host_table(cost_tables["throughput"], cost_tables["gpu_prices"])
    measured = set(sh.loc[sh["model"] == "deepseek-r1", "gpu"])
    assert gpu["options"][gpu["index"]] == cost.Settings().gpu == "B200" and "B200" in measured
    assert all(gpu["format_func"](g) == (g if g in measured else g + cost.GPU_ESTIMATE_NOTE) for g in gpu["options"])
    assert set(gpu["options"]) > measured                 # GPUs with a spec and a price, derived
    derived = next(g for g in gpu["options"] if g not in measured)
    any_gpu = cost.scenario_choices(sh, "deepseek-r1", derived)
    assert any_gpu == sorted(set(sh.loc[sh["model"] == "deepseek-r1", "scenario"]), key=cost.SCENARIO_ORDER.index)
    on_b200 = urlstate.widget("cost_scenario", cost_tables, ("deepseek-r1", "B200")).kwargs
    assert on_b200["options"] == [s for s in cost.SCENARIO_ORDER
                                  if ((sh["model"] == "deepseek-r1") & (sh["gpu"] == "B200")
                                      & (sh["scenario"] == s)).any()]
    assert on_b200["options"][on_b200["index"]] == "Server"


@pytest.fixture(scope="module")
def loaded_register():
    from openclosed import tables
    return tables.read("risk_register")


@pytest.mark.parametrize("section", [s for s in report.SECTIONS if urlstate.params(s.key)
                                     and all(p.label for p in urlstate.params(s.key))], ids=lambda s: s.key)
def test_a_page_whose_controls_are_declared_draws_them_all_from_the_declaration(section):
    """Once every control of a section is declared with its label, the page draws none by hand."""
    source = (Path(__file__).parents[2] / section.page).read_text()
    assert 'bind="query-params"' not in source and "control(" in source


def test_widget_values_and_the_same_link_give_the_same_settings():
    """The page builds its Settings from its widgets' values through the same declarations a slide reads a link by."""
    values = {"perf_metric": "lmarena_text", "perf_range": ("2024-02", "2025-11"), "perf_open": "unrestricted",
              "perf_country": "china", "perf_flagged": False}
    link = {"perf_metric": [P.METRICS["lmarena_text"].label], "perf_range": ["2024-02", "2025-11"],
            "perf_open": [P.OPEN_RULES["unrestricted"]], "perf_country": [P.COUNTRIES["china"]],
            "perf_flagged": ["false"]}
    s = urlstate.settings_from_values("performance", values)
    assert s == urlstate.settings_from_query("performance", link, {})
    assert (s.metric, s.start, s.end, s.country, s.include_flagged) == ("lmarena_text", "2024-02", "2025-11", "china",
                                                                        False)
    r = urlstate.settings_from_values("risk", {"risk_w_vendor": 2.5, "risk_ctx_ml_team": True})
    assert (r.w_vendor, r.ml_team, r.w_security, r.option) == (2.5, True, risk.WEIGHT_DEFAULT, risk.CLOSED_API)
    assert urlstate.settings_from_values("cost", {"cost_cache": 30}).cache_hit == pytest.approx(0.30)
    with pytest.raises(KeyError, match="No control is declared"):
        urlstate.settings_from_values("risk", {"risk_w_nothing": 1.0})


def test_the_advisor_draws_its_step_pills_and_level_as_it_did_by_hand():
    from openclosed import advisor as adv
    step = urlstate.widget("adv_step", {})
    assert step.style == "segmented_control" and step.kwargs["default"] == "who" and "selection_mode" not in step.kwargs
    pills = urlstate.widget("adv_workloads", {}).kwargs
    assert pills["selection_mode"] == "multi" and pills["default"] == list(adv.Settings().workloads)
    level = urlstate.widget("adv_level", {}).kwargs
    assert (level["min_value"], level["value"], level["max_value"], level["step"]) == (10, 40, 60, 1)
    assert type(level["value"]) is int
    s = urlstate.settings_from_values("advisor", {"adv_level": 45, "adv_workloads": ("coding",), "adv_mix_coding": 55})
    assert (s.level, s.workloads, s.mix_coding, s.mix_chat) == (45.0, ("coding",), 55, adv.Settings().mix_chat)
