"""Views computed at setup (ui/prebuilt.py): recorded from the pages' own defaults, read back only when the
fingerprint matches, and equal to what the page computes live."""
from __future__ import annotations

import pickle

import pytest

from openclosed import performance as P, report
from tests.app.conftest import open_page
from ui import prebuilt


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("prebuilt") / "views.pkl"
    views = prebuilt.build(path)
    return path, views


@pytest.fixture
def using(store, monkeypatch):
    """The app reads the test's store; `asked` lists (key, whether it was stored) for every kept call."""
    path, _ = store
    monkeypatch.setattr(prebuilt, "STORE", path)
    prebuilt._stored.cache_clear()
    asked = []
    real_get = prebuilt.get

    def spy(key, compute):
        asked.append((key, key in prebuilt._stored()))
        return real_get(key, compute)

    monkeypatch.setattr(prebuilt, "get", spy)
    import streamlit as st
    st.cache_resource.clear()
    yield asked
    prebuilt._stored.cache_clear()
    st.cache_resource.clear()


def test_the_build_keeps_each_pages_default_views(store):
    _, views = store
    pages = {key[0].split(".")[0] for key in views}
    assert {s.url_path for s in report.with_cards()} <= pages
    for metric in P.METRICS:                      # the Performance page computes every yardstick at its defaults
        assert ("performance._view", P.Settings(metric=metric)) in views
    assert ("ui.data.table", "models") in views   # tables come read and validated


@pytest.mark.parametrize("page", [s.page for s in report.with_cards()])
def test_a_page_at_its_defaults_computes_nothing_the_store_has(using, page):
    at = open_page(page)
    assert not at.exception
    mine = [(key, hit) for key, hit in using if key[0].startswith(page.split("/")[1][:-3] + ".")]
    assert mine and all(hit for _, hit in mine), [key for key, hit in mine if not hit]


def test_stored_cards_are_the_cards_the_page_computes_live(using, monkeypatch):
    at = open_page("pages/performance.py")
    stored = [m.value for m in at.markdown if m.value.startswith("#### ")]
    prebuilt._stored.cache_clear()
    monkeypatch.setattr(prebuilt, "STORE", prebuilt.STORE.with_name("missing.pkl"))
    import streamlit as st
    st.cache_resource.clear()
    at = open_page("pages/performance.py")
    live = [m.value for m in at.markdown if m.value.startswith("#### ")]
    assert stored == live and len(stored) == 8


def test_a_store_from_other_data_or_code_is_ignored(store, tmp_path, monkeypatch):
    path, views = store
    stale = tmp_path / "views.pkl"
    stale.write_bytes(b"another app\n" + pickle.dumps(views))
    monkeypatch.setattr(prebuilt, "STORE", stale)
    prebuilt._stored.cache_clear()
    key = ("performance._view", P.Settings())
    assert prebuilt.get(key, lambda: "live") == "live"
    stale.write_bytes(b"not a pickle")
    prebuilt._stored.cache_clear()
    assert prebuilt.get(key, lambda: "live") == "live"
    prebuilt._stored.cache_clear()
