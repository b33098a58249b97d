"""AppTest: the Geopolitics page renders, reacts to its controls, and round-trips its state through the URL."""
import pytest

from openclosed import geo, tables
from tests.app.conftest import open_page

PAGE = "pages/geopolitics.py"


@pytest.fixture(scope="module")
def real():
    return {name: tables.read(name) for name in geo.TABLES}


def _titles(at):
    return [m.value[5:] for m in at.markdown if m.value.startswith("#### ")]


def _metrics(at):
    return {m.label: m.value for m in at.metric}


def test_default_render_matches_core(real):
    at = open_page(PAGE)
    assert not at.exception
    expected = geo.cards(real, geo.Settings())
    assert _titles(at) == [c.title for c in expected.values()]
    an = geo.analyze(real, geo.Settings())
    assert _metrics(at) == {m["label"]: m["value"] for m in geo.metrics(an)}
    newest = max(int(d[:4]) for d in real["epoch_models"]["publication_date"])      # the data's newest year
    assert any(label.startswith("China: share open, ") and str(newest) in label for label in _metrics(at))
    assert at.slider(key="geo_years").value == (2020, 2026)
    assert at.radio(key="geo_list").value == "notable"
    # the limits are stated
    text = " ".join(m.value for m in at.markdown)
    assert "curated" in text and "Speculative" in text and "estimates" in text
    # the comparison with Epoch's published US-China estimate is on the page
    cmp = at.table[0].value
    assert "Published" in cmp.columns and (cmp["Published"] == 7).any()


def test_changing_the_list_updates_headlines(real):
    at = open_page(PAGE)
    before = _titles(at)[0]
    at.radio(key="geo_list").set_value("large_scale").run()
    assert not at.exception
    after = _titles(at)[0]
    assert after != before
    assert after == geo.cards(real, geo.Settings(model_list="large_scale"))["geo_releases"].title
    assert "large-scale" in after


def test_counting_rule_and_measure_change(real):
    at = open_page(PAGE)
    at.radio(key="geo_counting").set_value("fractional").run()
    at.radio(key="geo_measure").set_value("share").run()
    assert not at.exception
    s = geo.Settings(counting="fractional", measure="share")
    assert _titles(at) == [c.title for c in geo.cards(real, s).values()]


def test_url_round_trip(real):
    params = {"geo_years": ["2022", "2025"], "geo_list": "Large-scale", "geo_counting": "Fractional",
              "geo_open": "Unrestricted licence only", "geo_regions": "UK and France split out",
              "geo_metric": "ECI, earlier snapshot", "geo_measure": "Shares"}
    at = open_page(PAGE, params)
    assert not at.exception
    assert at.slider(key="geo_years").value == (2022, 2025)
    assert at.radio(key="geo_list").value == "large_scale"
    assert at.radio(key="geo_counting").value == "fractional"
    assert at.radio(key="geo_open").value == "unrestricted"
    assert at.radio(key="geo_regions").value == "uk_fr"
    assert at.selectbox(key="geo_metric").value == "eci_nov"
    assert at.radio(key="geo_measure").value == "share"
    s = geo.Settings(year_from=2022, year_to=2025, model_list="large_scale", counting="fractional",
                     open_rule="unrestricted", grouping="uk_fr", measure="share", metric="eci_nov")
    an = geo.analyze(real, s)
    assert _metrics(at) == {m["label"]: m["value"] for m in geo.metrics(an)}
    assert _titles(at) == [c.title for c in geo.cards(real, s).values()]
    # the rendered number for these settings differs from the default view's
    assert _metrics(at) != {m["label"]: m["value"] for m in geo.metrics(geo.analyze(real, geo.Settings()))}


def test_hostile_url_values_fall_back_to_defaults(real):
    at = open_page(PAGE, {"geo_years": ["abc", "99999"], "geo_list": "<script>alert(1)</script>",
                          "geo_counting": "bogus", "geo_open": "", "geo_regions": "Atlantis",
                          "geo_metric": "'; drop table", "geo_measure": "x" * 500})
    assert not at.exception
    assert at.slider(key="geo_years").value == (2020, 2026)
    assert at.radio(key="geo_list").value == "notable"
    assert at.radio(key="geo_counting").value == "full"
    assert at.radio(key="geo_regions").value == "europe"
    assert at.selectbox(key="geo_metric").value == "eci"
    assert _titles(at) == [c.title for c in geo.cards(real, geo.Settings()).values()]


def test_empty_range_shows_info_not_traceback():
    at = open_page(PAGE, {"geo_years": ["2012", "2012"], "geo_list": "Large-scale"})   # the list starts in 2019
    assert not at.exception
    infos = " ".join(i.value for i in at.info)
    assert "no models published in 2012-2012" in infos


def test_a_control_change_rebuilds_only_the_cards_that_read_it(monkeypatch):
    """Cards are cached on the fields they read (geo.CARD_READS, ui.state.card): the 'Show' switch rebuilds the
    releases card alone, the capability score the four cards drawn from scores, and going back rebuilds none."""
    import streamlit as st
    from openclosed.geo import section
    built = []
    for key, build in list(section.CARD_BUILDERS.items()):
        monkeypatch.setitem(section.CARD_BUILDERS, key, lambda an, key=key, build=build: built.append(key) or build(an))
    st.cache_resource.clear()
    at = open_page(PAGE)
    at.radio(key="geo_measure").set_value("share").run()
    built.clear()
    at.radio(key="geo_measure").set_value("count").run()
    at.radio(key="geo_measure").set_value("share").run()
    assert not at.exception and built == []                 # both views already cached
    at.selectbox(key="geo_metric").set_value("aa").run()
    assert sorted(built) == sorted(k for k, reads in geo.CARD_READS.items() if "metric" in reads)
    assert len(built) == 4
    built.clear()
    at.radio(key="geo_list").set_value("large_scale").run()
    assert "geo_capability" not in built and "geo_lag" not in built and "geo_releases" in built
