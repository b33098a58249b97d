"""Presenter mode from a link: every section's settings read from the URL, one slide per card (or panel), the
slide number an integer in the URL; and each page reads its URL exactly as presenter mode does.

(AppTest runs later reruns of a multipage app as the page alone, so stepping with the buttons and keys is
covered by the browser test; here each view is opened from its URL.)"""
import time

import pytest
from streamlit.testing.v1 import AppTest

from openclosed import performance as P, tables, urlstate
from tests.app.conftest import APP, open_page

AA = P.METRICS["aa_intelligence_index"].label


def _open(params):
    at = AppTest.from_file(APP, default_timeout=240)
    for k, v in params.items():
        at.query_params[k] = v
    return at.run()


def _counter(at):
    return [m.value for m in at.markdown if m.value.startswith("**Slide ")]


def test_presenter_link_shows_that_slide_with_the_linked_settings():
    at = _open({"presenter": "true", "slide": "2", "perf_metric": AA})
    assert not at.exception
    counter = _counter(at)
    assert counter and counter[0].startswith("**Slide 2 of ")
    assert int(counter[0].split(" of ")[1].split("**")[0]) >= 30
    assert len(at.title) == 1 and "index points" in at.title[0].value      # the AA gap slide, not ECI's
    assert len(at.title[0].value) <= 125
    assert len(at.get("vega_lite_chart")) == 1
    assert at.query_params["slide"] in ("2", ["2"]) and at.query_params["perf_metric"] in (AA, [AA])


def test_out_of_range_and_garbage_slide_numbers_fall_back():
    at = _open({"presenter": "true", "slide": "999999"})
    n = int(_counter(at)[0].split(" of ")[1].split("**")[0])
    assert _counter(at)[0].startswith(f"**Slide {n} of") and at.query_params["slide"] in (str(n), [str(n)])
    for bad in ("-4", "abc", "inf"):
        at = _open({"presenter": "true", "slide": bad})
        assert not at.exception and _counter(at)[0].startswith("**Slide 1 of ")
    assert _counter(_open({"presenter": "true", "slide": "2.5"}))[0].startswith("**Slide 2 of ")


def test_share_box_shows_the_address_of_this_view():
    """The sidebar's share box shows the browser's address (kept current in the page, so a fragment's rerun
    cannot leave it stale); tests/browser/test_meeting.py reads the link it shows."""
    at = AppTest.from_file(APP, default_timeout=60).run()
    boxes = [h.proto.body for h in at.get("html") if "oc-share-link" in h.proto.body]
    assert len(boxes) == 1 and "location.href" in boxes[0] and "Copy link" in boxes[0]


CASES = {
    "performance": ("pages/performance.py", {"perf_metric": AA, "perf_range": ["2024-01", "2025-06"],
                                             "perf_flagged": "false", "perf_country": "China"}),
    "geo": ("pages/geopolitics.py", {"geo_years": ["2022", "2025"], "geo_list": "Large-scale",
                                     "geo_counting": "Fractional"}),
    "risk": ("pages/risk.py", {"risk_w_operations": "3.0", "risk_ctx_personal_data": "true", "risk_w_vendor": "99"}),
    "cost": ("pages/cost.py", {"cost_source": "Lab list price", "cost_ratio": "1:1", "cost_threshold": "30",
                               "cost_cache": "40", "cost_util": "80", "cost_tokens": "10B", "cost_min_gpus": "4"}),
    "advisor": ("pages/advisor.py", {"adv_tokens": "10B", "adv_level": "30", "adv_workloads": ["Coding", "bogus"],
                                     "adv_mix_coding": "70", "adv_audit": "true", "adv_who": "<script>"}),
}


@pytest.mark.parametrize("section", list(CASES))
def test_presenter_reads_a_sections_url_as_its_page_does(section):
    page, params = CASES[section]
    at = open_page(page, params, timeout=240)
    assert not at.exception
    query = {k: v if isinstance(v, list) else [v] for k, v in params.items()}
    loaded = {name: tables.read(name) for name in tables.provenance()} if section == "cost" else {}
    assert at.session_state[f"_settings_{section}"] == urlstate.settings_from_query(section, query, loaded)


def _deck_downloads(at) -> int:
    return sum(b.proto.label == "Download the slides (.pptx)" for b in at.get("download_button"))


def test_deck_is_built_on_request_from_the_settings_on_screen_and_never_on_a_rerun(monkeypatch):
    """A control change, then a build: the deck's cards carry the changed setting (the footer prints it; see
    tests/unit/test_deck.py). Later control changes stay fast: no deck is built, and the stale one is withdrawn."""
    from openclosed import deck
    built = []

    def fake_build(cards, title, as_of, subtitle="", progress=None):
        cards = list(cards)
        for i in range(1, 3):
            progress(i, 2)
        built.append(cards)
        return b"pptx"

    monkeypatch.setattr(deck, "build_deck", fake_build)
    from ui import presenter
    presenter.DECKS.clear()                  # no deck kept from another test with the same settings
    at = open_page("pages/risk.py", timeout=240)
    at.toggle(key="risk_ctx_personal_data").set_value(True).run()
    assert not at.exception and not built                                      # nothing built unasked
    at.button(key="deck_build").click().run()
    assert len(built) == 1 and len(built[0]) >= 30
    risk_cards = [c for c in built[0] if c.page == "Risk"]
    assert risk_cards and all("we handle personal data" in c.settings for c in risk_cards)
    label = at.status[0].label
    assert label.startswith("Deck ready: ") and int(label.split()[2]) >= len(built[0])      # one per card or panel
    assert _deck_downloads(at) == 1

    started = time.perf_counter()
    at.toggle(key="risk_ctx_regulated").set_value(True).run()
    assert time.perf_counter() - started < 10 and len(built) == 1            # no rebuild on a rerun
    assert _deck_downloads(at) == 0                                           # the built deck is now stale
    assert any("Settings changed since the last deck" in c.value for c in at.caption)
    at.button(key="deck_build").click().run()
    assert len(built) == 2
    assert all("we are in a regulated industry" in c.settings for c in built[1] if c.page == "Risk")
