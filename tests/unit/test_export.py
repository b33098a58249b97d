"""Exports that go straight into someone else's slides: 16:9 images with headline, subtitle, source, licence and
as-of line, slide-sized fonts, unclipped legends; CSV with a provenance header; file names with the settings."""
import io
import re

import altair as alt
import pandas as pd
from PIL import Image

from openclosed import export
from openclosed.cards import ChartCard


def _card(settings="Epoch Capabilities Index; 2023-01 to 2026-03", chart=None):
    df = pd.DataFrame({"x": [1, 2, 3], "y": [1.0, 2.0, 4.0], "kind": ["Open weights", "Closed", "Open weights"]})
    chart = chart or alt.Chart(df).mark_point().encode(
        x=alt.X("x:Q", title="Year"), y=alt.Y("y:Q", title="Score"),
        color=alt.Color("kind:N", legend=alt.Legend(orient="right", labelLimit=20, labelFontSize=10)),
    ).properties(width="container", height=300)
    return ChartCard(key="perf_gap", title="Open models trail by 9 months", subtitle="Best score; hover a dot.",
                     chart=chart, data=df, sources=["eci", "artificial_analysis"], alt="dots", settings=settings)


def test_png_is_16_9_at_2x_and_svg_carries_headline_source_licence_and_date():
    card = _card()
    png = export.slide_png(card, "2026-08-22")
    assert Image.open(io.BytesIO(png)).size == (2 * export.SLIDE_W, 2 * export.SLIDE_H) == (1920, 1080)
    svg = export.slide_svg(card, "2026-08-22")
    assert 'width="960" height="540"' in svg
    text = " ".join(re.findall(r">([^<>]+)</text>", svg))
    for part in ("Open models trail by 9 months", "Best score.", "Epoch AI", "CC BY 4.0",
                 "Attribution required", "Data as of 2026-08-22", "(vintage v=2026-08-22)"):
        assert part in text, part
    assert "hover" not in text


def test_sized_spec_gives_slide_fonts_and_unclipped_legends_below():
    spec = export.sized_spec(_card().spec, 900, 400, font=18)
    assert spec["width"] == 900 and spec["height"] == 400
    legend = spec["encoding"]["color"]["legend"]
    assert legend["orient"] == "bottom" and legend["labelLimit"] == 0 and legend["labelFontSize"] == 18
    assert spec["config"]["axis"]["labelFontSize"] >= 18 and spec["config"]["axis"]["labelOverlap"] == "greedy"
    assert spec["config"]["legend"]["labelLimit"] == 0


def test_concat_views_get_numeric_widths_and_panels_split():
    df = pd.DataFrame({"x": [1, 2], "y": [3, 4]})
    base = alt.Chart(df).mark_point().encode(x="x:Q", y="y:Q").properties(width="container", height=120)
    spec = export.sized_spec(alt.vconcat(base, base).to_dict(), 800, 400)
    assert [p["width"] for p in spec["vconcat"]] == [710, 710] and spec["autosize"] == {"type": "pad"}
    assert len(export.panels(alt.vconcat(base, base).to_dict())) == 2
    assert export.panels(base.to_dict()) == [base.to_dict()]


def test_static_text_drops_hover_instructions():
    assert export.static_text("Curated policy moves; hover a dot for details and source.") == \
        "Curated policy moves."
    assert export.static_text("Each dot is a model. Hover for details. Snapshot 2026.") == \
        "Each dot is a model. Snapshot 2026."
    assert export.static_text("No instructions here.") == "No instructions here."


def test_file_names_carry_the_card_and_its_settings():
    assert export.file_stem(_card()) == "perf_gap_epoch-capabilities-index-2023-01-to-2026-03"
    long = export.file_stem(_card(settings="x " * 100))
    assert long.startswith("perf_gap_x-x") and len(long) <= len("perf_gap_") + 80
    assert export.file_stem(_card(settings="x " * 100)) != export.file_stem(_card(settings="x " * 101))


def test_csv_has_a_provenance_header_then_the_rows():
    card = _card()
    card.data.loc[0, "kind"] = "=HYPERLINK()"
    text = export.card_csv(card, "2026-08-22").decode()
    header = [line for line in text.splitlines() if line.startswith("#")]
    assert header[0] == "# title: Open models trail by 9 months"
    assert "# licence: CC BY 4.0" in header and "# as of: 2026-08-22" in header
    assert any(h.startswith("# data vintage: 2026-08-22 (a link to this view with v=2026-08-22") for h in header)
    assert any(h.startswith("# citation: Epoch AI") for h in header)
    rows = pd.read_csv(io.StringIO(text), skiprows=len(header))
    assert list(rows.columns) == ["x", "y", "kind"] and rows.loc[0, "kind"] == "'=HYPERLINK()"


def test_a_column_facet_shares_the_width_and_gives_each_row_a_line():
    df = pd.DataFrame({"name": [f"model {i}" for i in range(25)] * 2, "usd": range(1, 51),
                       "currency": ["per token"] * 25 + ["per run"] * 25})
    chart = alt.Chart(df).mark_circle().encode(x="usd:Q", y="name:N").properties(width=260, height=alt.Step(16)) \
        .facet(column=alt.Column("currency:N", sort=["per token", "per run"]))
    spec = export.sized_spec(chart.to_dict(), 1180, 470, font=16)
    assert spec["spec"]["height"] == 25 * 20                       # 25 rows at a 16 px line each, and 4 px
    box_w = (25 * 20 + 96) * 1180 // 470                          # the box's 16:9-ish aspect at that height
    assert spec["spec"]["width"] == (box_w - 240 - 30) // 2
    assert spec["config"]["axisQuantitative"]["labelSeparation"] == 8
    assert "labelSeparation" not in spec["config"]["axis"]         # row labels are never skipped
    assert export.chart_png(spec, scale=1.0)[:4] == b"\x89PNG"     # renders


def test_a_charts_key_to_its_numbered_markers_survives_on_slides():
    """The event key (`charts.event_title`, a title under the plot) stays on presenter and deck slides at slide
    size, and moves into an image's footer where the headline takes the title's place."""
    from openclosed.charts import event_title
    ev = pd.DataFrame({"no": ["1", "2"], "label": ["GPT-4", "DeepSeek-R1"]})
    card = _card(chart=_card().chart.properties(title=event_title(ev, "Events")))
    spec = export.sized_spec(card.spec, 900, 400, font=18)
    assert spec["title"]["text"] == ["Events: 1 GPT-4; 2 DeepSeek-R1."] and spec["title"]["orient"] == "bottom"
    assert spec["title"]["fontSize"] >= 18 and "subtitle" not in spec["title"]
    svg = export.slide_svg(card, "2026-08-22")
    text = " ".join(re.findall(r">([^<>]+)</text>", svg))
    assert "Events: 1 GPT-4; 2 DeepSeek-R1." in text and "Open models trail by 9 months" in text
    assert export.key_text(_card().spec) == ""                  # a chart without a key adds no line


def test_formulas_are_neutralized_in_every_field_a_spreadsheet_may_split_a_cell_into():
    # the old rule only looked at the first character: 'x;=1+4' opened as '=1+4' where ';' separates fields
    cases = {"=1+1": "'=1+1", "x;=1+4": "x;'=1+4", "x; =1": "x; '=1", 'a,"@SUM(A1)': "a,\"'@SUM(A1)",
             "x\t+1": "x\t'+1", "line\r\n-2": "line\r\n'-2", "\tcmd": "'\tcmd", "\r=1": "'\r'=1",
             "GPT-4o": "GPT-4o", "a - b": "a - b", "'=1": "'=1", "": ""}
    assert {k: export.neutralize_cell(k) for k in cases} == cases
    assert export.neutralize_cell(-3.5) == -3.5


def test_safe_csv_neutralizes_column_names_and_card_csv_its_header_lines():
    df = pd.DataFrame({"=bad": ["x;=1+4", "ok"], "n": [1, -2]})
    text = export.safe_csv(df).decode()
    assert text.splitlines() == ["'=bad,n", "x;'=1+4,1", "ok,-2"]
    card = _card()
    card.settings = "GPU x;=HYPERLINK(\"http://host\")"
    header = [line for line in export.card_csv(card, "2026-08-22").decode().splitlines() if line.startswith("#")]
    assert "# settings: GPU x;'=HYPERLINK(\"http://host\")" in header
