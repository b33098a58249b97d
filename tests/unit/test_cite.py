import datetime as dt

from openclosed import cite
from openclosed.sources import SOURCES

LINK = "https://example.org/performance?perf_metric=eci&v=2026-08-22"


def test_apa_names_title_vintage_access_date_and_link():
    c = cite.cite("Open models trail by 2 months", "2026-08-22", LINK, dt.date(2026, 12, 4), ["eci"])
    assert c.apa == ("Open vs Closed AI report team. (2026). Open models trail by 2 months [Interactive report, "
                     "data vintage 2026-08-22]. Open vs Closed AI. Retrieved December 4, 2026, from " + LINK)


def test_bibtex_is_escaped_and_carries_vintage_and_url():
    c = cite.cite("50% of {open} models_cost & more", "2026-08-22", LINK, dt.date(2026, 12, 4))
    assert c.bibtex.startswith("@misc{openclosed_50_of_open_20260822,")
    assert r"title = {50\% of \{open\} models\_cost \& more}," in c.bibtex
    assert "note = {Data vintage 2026-08-22; accessed 2026-12-04}," in c.bibtex
    assert f"url = {{{LINK}}}" in c.bibtex


def test_the_sources_own_citations_are_listed_once_with_licence():
    c = cite.cite("t", "2026-08-22", LINK, dt.date(2026, 12, 4), ["eci", "swebench", "eci", "unknown_source"])
    assert c.sources == [f"{SOURCES[k]['citation']} ({SOURCES[k]['license']}; snapshot {SOURCES[k]['snapshot']})"
                         for k in ("eci", "swebench")]
    assert "CC BY-NC 4.0" in c.sources[1]
