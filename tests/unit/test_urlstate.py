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

