"""Chart specs that fit every screen: the shared legend (openclosed/charts.py) on every card, labels it never
cuts, numbered event markers, and the screen spec the card draws."""
from __future__ import annotations

import pandas as pd
import pytest

from openclosed import charts, report

WITH_CARDS = report.with_cards()


def test_short_labels_share_a_row_on_a_phone_and_one_row_on_a_wide_chart():
    lg = charts.legend(["Open weights", "Closed"])
    assert lg["orient"] == "bottom" and lg["labelLimit"] == charts.LABEL_LIMIT
    assert lg["columns"] == 2            # both fit a phone row and a wide row: no expression needed
    four = charts.legend(["United States", "China", "Europe", "Other"])
    assert four["columns"] == {"expr": f"width < {charts.NARROW_VIEW_PX} ? 2 : 4"}
    assert charts.legend(["United States", "China", "Europe", "Other"], fixed=True)["columns"] == 2
    # columns are as wide as their widest entry: a long first label still leaves room for a short second one
    assert charts.legend_columns(["Open model, hosted", "Closed API", "Self-host"], charts.PHONE_LEGEND_PX) == 1


def test_long_labels_get_one_column():
    lg = charts.legend(["Published (Epoch 2024)", "Re-run on the report's data"])
    assert lg["columns"] == {"expr": f"width < {charts.NARROW_VIEW_PX} ? 1 : 2"}


def test_event_numbers_stagger_close_events():
    ev = pd.DataFrame({"date": pd.to_datetime(["2025-01-13", "2022-10-07", "2024-12-02"]), "label": list("abc")})
    d = charts.event_numbers(ev)
    assert list(d["label"]) == ["b", "c", "a"] and list(d["no"]) == [1, 2, 3]
    assert list(d["lane"]) == [0, 0, 1]          # Dec 2024 and Jan 2025 are 42 days apart
    layers = charts.event_layers(d, [{"field": "label", "type": "nominal"}])
    assert [x["mark"]["type"] for x in layers] == ["rule", "circle", "text"]
    assert [r["y"] for r in layers[1]["data"]["values"]] == [9, 9, 25]


def test_screen_spec_stacks_legends_and_keeps_the_plot_height():
    single = charts.screen_spec({"mark": "point", "config": {"legend": {"labelFontSize": 12}}})
    assert single["autosize"] == charts.FIT_X
    assert single["config"]["legend"] == {"layout": charts.LEGEND_LAYOUT, "labelFontSize": 12}
    assert single["config"]["axisXQuantitative"] == {"labelFlush": True, "labelBound": True}
    assert "axisX" not in single["config"] and "axisXBand" not in single["config"]
    assert "autosize" not in charts.screen_spec({"vconcat": []})


def _legends(node, enc=None):
    """(encoding channel dict, legend dict) for every legend in a spec."""
    if isinstance(node, list):
        for x in node:
            yield from _legends(x)
    elif isinstance(node, dict):
        if isinstance(node.get("legend"), dict):
            yield node, node["legend"]
        for k, v in node.items():
            if k != "legend":
                yield from _legends(v)


@pytest.mark.parametrize("section", WITH_CARDS, ids=lambda s: s.key)
def test_every_legend_is_the_shared_one_and_no_label_is_cut(section, default_cards):
    found = 0
    for key, card in default_cards[section.key].items():
        for channel, lg in _legends(card.spec):
            found += 1
            assert lg.get("orient") == "bottom", f"{key}: legend at {lg.get('orient')}"
            assert lg.get("labelLimit") == charts.LABEL_LIMIT, f"{key}: labelLimit {lg.get('labelLimit')}"
            assert lg.get("title") is None or charts.label_px(lg["title"]) <= charts.LABEL_MAX_PX, key
            domain = (channel.get("scale") or {}).get("domain")
            if isinstance(domain, list):
                too_long = [x for x in domain if charts.label_px(x) > charts.LABEL_MAX_PX]
                assert not too_long, f"{key}: legend labels wider than a phone allows: {too_long}"
    if section.key != "advisor":
        assert found, f"{section.key}: no legend found"
