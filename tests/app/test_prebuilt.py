"""Views computed at setup (ui/prebuilt.py): recorded from the pages' own defaults, read back only when the
fingerprint matches, and equal to what the page computes live."""
from __future__ import annotations

import pickle
import shutil

import pytest

from openclosed import performance as P, report, tables
from tests.app.conftest import open_page
from ui import prebuilt


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """The store setup built (scripts/setup.sh runs `python -m ui.prebuilt`) when it matches this app and data,
    else one built now (both by prebuilt.build)."""
    prebuilt._stored_for.cache_clear()
    views = prebuilt._stored()
    if views:
        return prebuilt.STORE, views
    path = tmp_path_factory.mktemp("prebuilt") / "views.pkl"
    return path, prebuilt.build(path)


@pytest.fixture
def using(store, monkeypatch):
    """The app reads the test's store; `asked` lists (key, whether it was stored) for every kept call."""
    path, _ = store
    monkeypatch.setattr(prebuilt, "STORE", path)
    asked = []
    real_get = prebuilt.get

    def spy(key, compute):
        asked.append((key, key in prebuilt._stored()))
        return real_get(key, compute)

    monkeypatch.setattr(prebuilt, "get", spy)
    import streamlit as st
    st.cache_resource.clear()
    yield asked
    st.cache_resource.clear()


def test_the_build_keeps_each_pages_default_views(store):
    _, views = store
    pages = {key[0].split(".")[0] for key in views}
    assert {s.url_path for s in report.with_cards()} <= pages
    for metric in P.METRICS:                      # the Performance page computes every yardstick at its defaults
        assert ("performance._view", P.Settings(metric=metric)) in views
    assert ("ui.data.table", "models") in views   # tables come read and validated
    for section in report.with_cards():           # presenter mode and the deck: every section's cards
        assert ("ui.state.cards", section.key, report.default_settings(section)) in views


@pytest.mark.parametrize("page", [s.page for s in report.with_cards()])
def test_a_page_at_its_defaults_computes_nothing_the_store_has(using, page):
    at = open_page(page)
    assert not at.exception
    mine = [(key, hit) for key, hit in using if key[0].startswith(page.split("/")[1][:-3] + ".")]
    assert mine and all(hit for _, hit in mine), [key for key, hit in mine if not hit]


def test_stored_cards_are_the_cards_the_page_computes_live(using, monkeypatch):
    at = open_page("pages/performance.py")
    stored = [m.value for m in at.markdown if m.value.startswith("#### ")]
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
    key = ("performance._view", P.Settings())
    assert prebuilt.get(key, lambda: "live") == "live"
    stale.write_bytes(b"not a pickle")
    prebuilt._stored_for.cache_clear()
    assert prebuilt.get(key, lambda: "live") == "live"
    prebuilt._stored_for.cache_clear()


def test_a_store_is_read_only_with_the_tables_it_was_built_from(store, tmp_path, monkeypatch):
    path, views = store
    monkeypatch.setattr(prebuilt, "STORE", path)
    key, live = ("performance._view", P.Settings()), object()
    assert key in views and prebuilt.get(key, lambda: live) is not live
    copy = tmp_path / "data"
    shutil.copytree(tables.DATA_DIR, copy)
    monkeypatch.setattr(tables, "DATA_DIR", copy)          # the same tables elsewhere: still this store's
    assert prebuilt.get(key, lambda: live) is not live
    other = tmp_path / "other"
    shutil.copytree(tables.DATA_DIR, other)
    (other / "claims.csv").write_bytes((other / "claims.csv").read_bytes() + b"\n")
    monkeypatch.setattr(tables, "DATA_DIR", other)         # one byte changed: the app computes live
    assert prebuilt.get(key, lambda: live) is live
