"""The baked edition (ui/bake.py), baked once: every section's page, the same cards and Overview numbers as the live
app at its defaults, no script or style from elsewhere, working links and downloads, and nginx serving it with
deploy/nginx.conf."""
from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import tempfile
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from bench.baked import PREFIX, nginx
from bench.servers import free_port
from openclosed import export, report, tables, urlstate, vintage
from openclosed.cards import source_line
from tests.app.conftest import open_page
from tests.unit.test_bake import Elements
from ui import bake

IN_CI = os.environ.get("CI") == "true"


def _needs(tool: str, install: str):
    """Skip without `tool`, saying why; in CI its absence is a failure (scripts/run_tests.sh installs it)."""
    if shutil.which(tool) is None and not os.path.exists(f"/usr/sbin/{tool}"):
        if IN_CI:
            pytest.fail(f"{tool} is missing in CI: scripts/run_tests.sh installs it ({install})")
        pytest.skip(f"{tool} is not installed ({install})")


@pytest.fixture(scope="module")
def data():
    return {name: tables.read(name) for name in tables.provenance()}


@pytest.fixture(scope="module")
def live_cards(data):
    """Every section's cards at the defaults, as the live app and the deck build them."""
    return {s.key: report.section_cards(s, data) for s in report.with_cards()}


@pytest.fixture(scope="module")
def baked(data):
    """The edition baked into a temporary folder (without the slide SVGs: the bench and setup draw them). The folder
    is readable by all: nginx started as root reads files as an unprivileged worker."""
    if not all((bake.VEGA / "node_modules" / n).exists() for n in bake.SCRIPTS):
        _needs("npm", "apt-get install -y npm")
    folder = Path(tempfile.mkdtemp(prefix="baked-test-"))
    folder.chmod(0o755)
    out = folder / "baked"
    bake.bake(out, app_url="/", images=False)
    yield out
    shutil.rmtree(folder, ignore_errors=True)


def _page(baked, section) -> Elements:
    return Elements((baked / bake.page_file(section)).read_text(encoding="utf-8"))


def test_every_section_has_a_page_with_its_title_and_dateline(baked):
    provenance = tables.provenance()
    for section in report.SECTIONS:
        page = _page(baked, section)
        assert page.select("html")[0]["attrs"]["lang"] == "en"
        assert f"{section.title} · {bake.REPORT_TITLE}" == page.select("title")[0]["text"]
        assert len(page.select("h1")) == 1
        rows = report.data_age(section.url_path, provenance)
        assert page.select("p", "dateline")[0]["text"] == report.data_age_summary(rows)     # as the live page
        listed = [li["text"] for li in page.select("li")]
        assert "Data to: " + " · ".join(listed) == report.data_age_text(rows)           # its help's list
        # the navigation reaches every baked page
        assert {a["attrs"]["href"] for a in page.select("a")} >= {bake.page_file(s) for s in report.SECTIONS}


def test_every_card_equals_the_live_cards_at_defaults(baked, live_cards):
    """Headline, subtitle, source line, alt text and order of every card: those of report.section_cards at the
    defaults, the function the deck and presenter mode use."""
    for section in report.with_cards():
        cards = live_cards[section.key]
        page = _page(baked, section)
        assert [a["attrs"]["id"] for a in page.select("article")] == list(cards)
        for key, card in cards.items():
            assert page.select("h2", owner=key)[0]["text"] == card.title
            assert page.select("p", "subtitle", owner=key)[0]["text"] == card.subtitle
            assert page.select("figcaption", "source", owner=key)[0]["text"] == source_line(card.sources)
            spec = json.loads(page.select("script", owner=key)[0]["text"])
            assert spec["description"] == card.alt            # Vega names the drawing with it
            assert card.alt in page.select("div", "chart", owner=key)[0]["text"]     # without JavaScript
            assert f"Alt text: {card.alt}" in page.select("details", owner=key)[0]["text"]


def test_overview_numbers_equal_the_live_overview(baked):
    """The index page's five numbers (label, value, detail and date) and verdicts are those the live Overview shows."""
    live = open_page("pages/overview.py")
    assert not live.exception
    page = _page(baked, report.section("overview"))
    assert len(page.select("section", "number")) == len(live.metric) == 5
    captions = [c.value for c in live.caption]
    for i, metric in enumerate(live.metric, start=1):
        owner = f"number-{i}"
        assert page.select("h3", owner=owner)[0]["text"] == metric.label
        assert page.select("p", "value", owner=owner)[0]["text"] == metric.value
        assert page.select("p", "muted", owner=owner)[0]["text"] in captions
    # the claims check: each claim, its verdict (the live page's badge) and its reason, in the live page's order
    shown = [m.value for m in live.markdown]
    live_verdicts = [m.group(1) for v in shown for m in [re.match(r"^:\w+-badge\[:material/\w+: (.+)\]$", v)] if m]
    mixed = "mixed across yardsticks"
    assert len(page.select("span", "mixed")) == live_verdicts.count(mixed) > 0
    live_verdicts = [v for v in live_verdicts if v != mixed]
    assert len(page.select("section", "claim")) == len(live_verdicts) > 0
    captions = {c.value for c in live.caption}
    for i, verdict in enumerate(live_verdicts, start=1):
        owner = f"claim-{i}"
        assert f"**{page.select('h3', owner=owner)[0]['text']}**" in shown
        assert page.select("span", "verdict", owner=owner)[0]["text"] == verdict
        reason = page.select("p", owner=owner)[0]["text"].removeprefix(verdict + " ").removeprefix(mixed + " ")
        assert reason in shown
        assert {p["text"] for p in page.select("p", "muted", owner=owner)} <= captions


def test_change_the_settings_links_open_the_live_page_at_the_same_view(baked, data):
    as_of = vintage.of(data["source_dates"]).date
    for section in report.with_cards():
        page = _page(baked, section)
        for article in page.select("article"):
            key = article["attrs"]["id"]
            link = next(a for a in page.select("a", owner=key) if a["text"] == "Change the settings")["attrs"]["href"]
            parts = urlsplit(link)
            assert (parts.path, parts.fragment) == (f"/{section.url_path}", key)
            query = parse_qs(parts.query)
            assert query == {vintage.PARAM: [as_of]}
            # the live page reads these parameters as its defaults: the same view
            assert urlstate.settings_from_query(section.key, query, data) == report.default_settings(section)
    assert bake.live_link("https://example.org/app/", report.section("overview"), "2026-01-02") == \
        "https://example.org/app/?v=2026-01-02"


def test_every_link_inside_the_edition_reaches_its_page_and_anchor(baked):
    pages = {p.name: Elements(p.read_text(encoding="utf-8")) for p in baked.glob("*.html")}
    ids = {name: {e["attrs"]["id"] for e in page.found if "id" in e["attrs"]} for name, page in pages.items()}
    checked = 0
    for name, page in pages.items():
        for a in page.select("a"):
            href = a["attrs"]["href"]
            if href.startswith(("/", "data:")) or "://" in href:
                continue                                     # the live app (checked above)
            target, _, anchor = href.partition("#")
            target = target or name
            assert (baked / target).is_file(), (name, href)
            assert not anchor or anchor in ids[target], (name, href)
            checked += 1
    assert checked > 100


def test_downloads_are_the_cards_safe_csv(baked, data, live_cards):
    as_of = vintage.of(data["source_dates"]).date
    for section in report.with_cards():
        cards = live_cards[section.key]
        page = _page(baked, section)
        for key, card in cards.items():
            hrefs = [a["attrs"]["href"] for a in page.select("a", owner=key) if "download" in a["attrs"]]
            assert hrefs == [f"{bake.DOWNLOADS}/{export.file_stem(card)}.csv"]
            assert (baked / hrefs[0]).read_bytes() == export.card_csv(card, as_of)


def test_scripts_and_styles_are_served_by_the_edition_itself(baked):
    """No CDN: every script and stylesheet is a relative path to a file in the edition, and the chart scripts are
    the locked npm builds."""
    for page_path in baked.glob("*.html"):
        page = Elements(page_path.read_text(encoding="utf-8"))
        refs = [e["attrs"]["src"] for e in page.select("script") if "src" in e["attrs"]]
        refs += [e["attrs"]["href"] for e in page.select("link") if e["attrs"].get("rel") == "stylesheet"]
        assert refs, page_path.name
        for ref in refs:
            assert not re.match(r"^[a-z]+:|^//", ref), ref
            assert (baked / ref).is_file(), ref
        icon = next(e for e in page.select("link") if e["attrs"].get("rel") == "icon")
        assert icon["attrs"]["href"] == "data:,"
    scripts = sorted(p.name for p in (baked / bake.ASSETS).glob("*.min.js"))
    assert scripts == ["vega-6.2.0.min.js", "vega-embed-7.1.0.min.js", "vega-lite-6.4.1.min.js"]
    css = next((baked / bake.ASSETS).glob("bake-*.css")).read_text()
    assert "url(" not in css and "@import" not in css and "@font-face" not in css
    performance = (baked / "performance.html").read_text()
    assert performance.index("vega-6.2.0") < performance.index("vega-lite-6.4.1") < performance.index("vega-embed")


def test_every_page_is_precompressed(baked):
    for path in list(baked.glob("*.html")) + list((baked / bake.ASSETS).iterdir()):
        if path.suffix in bake.GZIPPED:
            assert gzip.decompress(path.with_name(path.name + ".gz").read_bytes()) == path.read_bytes()


def test_the_edition_is_baked_again_only_when_it_changes(baked):
    assert bake.is_current(baked, "/")
    assert not bake.is_current(baked, "https://example.org/")        # links to another app
    assert not bake.is_current(baked.parent / "nothing", "/")


def test_nginx_accepts_the_config_and_serves_the_edition(baked):
    _needs("nginx", "apt-get install -y nginx")
    exe = shutil.which("nginx") or "/usr/sbin/nginx"
    checked = subprocess.run([exe, "-t", "-p", f"{bake.ROOT}/", "-c", "deploy/nginx.conf", "-e", "stderr",
                              "-g", f"pid {baked.parent}/t.pid;"], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    with nginx(free_port(), app=f"127.0.0.1:{free_port()}", prefix=baked.parent) as (url, _):
        with urllib.request.urlopen(url + PREFIX) as r:
            assert r.read() == (baked / "index.html").read_bytes()
            assert r.headers["X-Frame-Options"] == "DENY"
        request = urllib.request.Request(url + PREFIX + "performance", headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request) as r:
            assert r.headers["Content-Encoding"] == "gzip"
            assert gzip.decompress(r.read()) == (baked / "performance.html").read_bytes()
        with pytest.raises(urllib.error.HTTPError) as hidden:
            urllib.request.urlopen(url + PREFIX + bake.FINGERPRINT_FILE)
        assert hidden.value.code == 404
        with pytest.raises(urllib.error.HTTPError) as proxied:        # the app is not running: nginx says so
            urllib.request.urlopen(url + "/performance")
        assert proxied.value.code == 502
