"""Controls are declared once (`openclosed.urlstate` Params, per section of the `openclosed.report` registry):

- every page's URL-bound widgets are exactly its section's declared controls (a widget bound to the URL but not
  declared reaches the page and not presenter mode or the deck; a declaration without a widget is dead);
- a link opened as the page and as a slide (presenter mode and the deck read `urlstate.settings_from_query`) gives
  the same settings, for a non-default link built from the declarations themselves.

Removing a declaration, or binding a new widget without one, fails here; a page that draws its controls from the
declarations (`ui.controls.control`) stops with a message naming the missing one."""
import dataclasses
import re

import pytest

from openclosed import report, tables, urlstate
from tests.app.conftest import open_page
from ui import controls

APP_WIDE = {"presenter"}          # the sidebar's own URL-bound widget, on every page


def url_bound_keys(node, found=None) -> set[str]:
    """The query-parameter keys of every URL-bound widget under an AppTest node."""
    found = set() if found is None else found
    proto = getattr(node, "proto", None)
    if proto is not None and getattr(proto, "query_param_key", ""):
        found.add(proto.query_param_key)
    for child in getattr(node, "children", {}).values():
        url_bound_keys(child, found)
    return found


def pick_list_link(node, found=None) -> dict[str, str]:
    """{query key: last option's label} for every URL-bound select box and radio under an AppTest node."""
    found = {} if found is None else found
    proto = getattr(node, "proto", None)
    if (getattr(node, "type", "") in ("selectbox", "radio") and proto is not None
            and getattr(proto, "query_param_key", "") and node.options):
        found[proto.query_param_key] = node.options[-1]
    for child in getattr(node, "children", {}).values():
        pick_list_link(child, found)
    return found


def _all_tables() -> dict:
    return {name: tables.read(name) for name in tables.TABLES}


def _non_default_link(section: report.Section, loaded) -> dict:
    """A link that moves every declared control it can off its default (and shows every conditional control: a
    multi-choice takes all its options). Built from the declarations, so a new control is covered with no edit."""
    defaults = report.default_settings(section) if section.has_cards else None
    link = {}
    for p in urlstate.params(section.key):
        default = getattr(defaults, p.field, None) if isinstance(p.field, str) and defaults is not None else None
        if p.kind == "bool":
            link[p.key] = str(not default).lower()
        elif p.kind == "multi":
            link[p.key] = list(p.labels(loaded).values())
        elif p.kind in ("choice", "range") and p.labels is not None:
            labels = p.labels(loaded)
            other = [label for option, label in labels.items() if option != default]
            if p.kind == "range":
                link[p.key] = [list(labels.values())[0], list(labels.values())[-1]]
            elif other:
                link[p.key] = other[-1]
        elif p.kind == "range":
            link[p.key] = [str(int(p.bounds[0])), str(int(p.bounds[1]))]
        elif p.kind == "number" and default is not None:
            lo = p.bounds[0]
            url_default = default / p.scale
            value = lo if lo != -float("inf") and abs(url_default - lo) > 1e-9 else p.bounds[1]
            if abs(value) != float("inf"):
                link[p.key] = f"{int(value)}"
    return link


@pytest.fixture(scope="module")
def loaded():
    return _all_tables()


@pytest.mark.parametrize("section", report.SECTIONS, ids=lambda s: s.key)
def test_a_pages_url_bound_widgets_are_exactly_its_declared_controls(section, loaded):
    declared = {p.key for p in urlstate.params(section.key)}
    at = open_page(section.page, timeout=300)
    assert not at.exception
    shown = url_bound_keys(at.main)
    # conditional controls (the advisor's mix sliders appear per chosen workload) show at a link that chooses all
    at = open_page(section.page, _non_default_link(section, loaded), timeout=300)
    assert not at.exception
    shown |= url_bound_keys(at.main)
    assert shown == declared, (f"{section.key}: bound but not declared {sorted(shown - declared)}; "
                               f"declared but not bound {sorted(declared - shown)}")
    assert url_bound_keys(at.sidebar) == APP_WIDE


@pytest.mark.parametrize("section", report.with_cards(), ids=lambda s: s.key)
def test_a_link_gives_the_same_settings_as_page_and_as_slide(section, loaded):
    link = _non_default_link(section, loaded)
    # and every pick-list the page binds to the URL at its last option, declared or not: a widget whose
    # declaration is missing then changes the page's settings and not the slide's
    link |= {k: v for k, v in pick_list_link(open_page(section.page, link, timeout=300).main).items() if k not in link}
    at = open_page(section.page, link, timeout=300)
    assert not at.exception
    page_settings = at.session_state[f"_settings_{section.key}"]
    query = {k: v if isinstance(v, list) else [v] for k, v in link.items()}
    slide_settings = urlstate.settings_from_query(section.key, query, loaded)
    assert page_settings == slide_settings
    # the link really moves the settings: every field a declared control sets differs from its default
    defaults = report.default_settings(section)
    moved = {f.name for f in dataclasses.fields(defaults) if getattr(slide_settings, f.name) != getattr(defaults, f.name)}
    assert moved, f"{section.key}: the link {link} changed nothing"


def test_the_advisors_self_hosting_pickers_reach_presenter_mode(loaded):
    """The drift this test was written for: adv_sh_model / adv_sh_gpu reached the page but not the slides."""
    from openclosed import advisor as adv, cost
    models, gpus = adv.self_host_setups(cost.self_host_table(loaded["throughput"], loaded["gpu_prices"]))
    model, gpu = list(models)[1], list(gpus)[-1]
    s = urlstate.settings_from_query("advisor", {"adv_sh_model": [models[model]], "adv_sh_gpu": [gpus[gpu]]}, loaded)
    assert (s.sh_model, s.sh_gpu) == (model, gpu)
    bad = urlstate.settings_from_query("advisor", {"adv_sh_model": ["<b>huge</b>"], "adv_sh_gpu": ["TPU"]}, loaded)
    assert (bad.sh_model, bad.sh_gpu) == ("auto", "auto")


OLD_LINKS = [(s, p.key, old, option) for s in report.SECTIONS for p in urlstate.params(s.key)
             for old, option in p.old_labels.items()]


@pytest.mark.parametrize("section, key, old, option", OLD_LINKS, ids=[f"{k}={o}" for _, k, o, _ in OLD_LINKS])
def test_an_older_links_label_still_sets_the_control(section, key, old, option):
    at = open_page(section.page, {key: old}, timeout=300)
    assert not at.exception
    assert at.session_state[key] == option
    assert not [i for i in at.info if "was not recognised" in i.value]


@pytest.mark.parametrize("page, key", [("pages/performance.py", "perf_country"), ("pages/risk.py", "risk_w_vendor")])
def test_a_removed_declaration_stops_the_page_that_draws_it_and_says_which(monkeypatch, capsys, page, key):
    section = next(s for s in report.SECTIONS if s.page == page)
    declared = urlstate.PARAMS[section.key]
    monkeypatch.setitem(urlstate.PARAMS, section.key, lambda: [p for p in declared() if p.key != key])
    controls.widget.clear()                 # as on a server started with the new declarations
    at = open_page(page, timeout=300)
    assert at.exception                     # shown redacted to the reader; the server's console names the control
    console = re.sub(r"\x1b\[[0-9;]*m", "", capsys.readouterr().out)
    assert f"No control is declared with the key {key!r}" in console
    controls.widget.clear()
