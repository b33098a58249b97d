"""The baked edition's pure parts (ui/bake.py): escaped text, a JSON block that cannot end its script element, a
clear message without the chart scripts; deploy/nginx.conf as text. tests/app/test_baked_edition.py bakes it."""
from __future__ import annotations

import json
from html.parser import HTMLParser

import altair as alt
import pandas as pd
import pytest

from bench.baked import nginx_config
from openclosed import report
from openclosed.cards import ChartCard
from ui import bake


class Elements(HTMLParser):
    """Every element of a page: (tag, attributes, text inside it, id of the enclosing article or section)."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.found: list[dict] = []
        self.open: list[dict] = []
        self.feed(text)

    VOID = {"meta", "link", "br", "img", "input"}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        owner = next((e["attrs"].get("id") for e in reversed(self.open) if e["tag"] in ("article", "section")
                      and e["attrs"].get("id")), None)
        el = {"tag": tag, "attrs": attrs, "text": "", "owner": attrs.get("id") if tag == "article" else owner,
              "classes": set(attrs.get("class", "").split())}
        self.found.append(el)
        if tag not in self.VOID:
            self.open.append(el)

    def handle_endtag(self, tag):
        while self.open:
            if self.open.pop()["tag"] == tag:
                break

    def handle_data(self, data):
        for el in self.open:
            el["text"] += data

    def select(self, tag=None, cls=None, owner=None):
        return [e for e in self.found if (tag is None or e["tag"] == tag) and (cls is None or cls in e["classes"])
                and (owner is None or e["owner"] == owner)]


def test_text_is_escaped_and_the_spec_cannot_end_its_script_block():
    hostile = '<script>alert(1)</script> "quoted" & \'single\' <img src=x onerror=alert(2)>'
    chart = alt.Chart(pd.DataFrame({"x": [1], "label": ["</script><script>alert(3)</script>"]})).mark_point().encode(
        x="x:Q", tooltip="label:N")
    card = ChartCard("perf_gap", hostile, hostile, chart, pd.DataFrame({"x": [1]}), ["eci"], hostile, hostile)
    html = bake.card_html(card, report.section("performance"), "2026-01-02", "/", {"CSV": 'a"b<c>.csv'})
    assert "<script>alert" not in html and "<img" not in html and "</script><script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &quot;quoted&quot; &amp; &#x27;single&#x27;" in html
    assert 'href="downloads/a&quot;b&lt;c&gt;.csv"' in html
    parsed = Elements(html)
    assert parsed.select("h2")[0]["text"] == hostile
    assert hostile in parsed.select("div", "chart")[0]["text"]
    # the JSON block holds the whole spec, and reads back as the same value
    block = parsed.select("script")[0]
    assert block["attrs"]["type"] == "application/json"
    assert "</script><script>alert(3)</script>" in json.dumps(json.loads(block["text"]))


def test_a_missing_chart_script_says_how_to_install_it(tmp_path, monkeypatch):
    (tmp_path / "package.json").write_text("{}")
    monkeypatch.setattr(bake.shutil, "which", lambda name: None)
    with pytest.raises(bake.BakeError, match="apt-get install -y npm"):
        bake.script_builds(tmp_path)


# ---- deploy/nginx.conf ------------------------------------------------------------------------------------------
CONF = (bake.ROOT / "deploy" / "nginx.conf").read_text()


def test_nginx_config_serves_the_edition_and_proxies_the_app():
    assert "location /read/ {\n            alias baked/;" in CONF
    assert "gzip_static on;" in CONF
    assert "proxy_pass http://report_app;" in CONF and "server 127.0.0.1:8501;" in CONF
    # the live app's websocket (/_stcore/stream) passes through, and an idle reader's stays open
    assert "proxy_set_header Upgrade $http_upgrade;" in CONF
    assert "proxy_set_header Connection $connection_upgrade;" in CONF
    assert "proxy_read_timeout 1h;" in CONF
    assert "client_max_body_size 2m;" in CONF
    # framing denied everywhere, as deploy/haproxy.cfg; the edition loads nothing from another origin
    assert 'add_header X-Frame-Options "DENY" always;' in CONF
    assert "default-src 'self'; script-src 'self' 'unsafe-eval'" in CONF
    rendered = nginx_config(18080, "127.0.0.1:9000")
    assert "listen 127.0.0.1:18080;" in rendered and "server 127.0.0.1:9000;" in rendered


