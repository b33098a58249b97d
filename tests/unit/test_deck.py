"""The slide deck: title slide with date, one slide per card (one per panel of a stacked card) with a short title,
a picture, source and as-of line on the slide, the full headline and method in the speaker notes."""
import io

import altair as alt
import pandas as pd
import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from openclosed import deck, report
from openclosed.cards import ChartCard
from tests import vega_lite

LONG = ("Recomputed on Epoch's own data and window, the open-model lag is 3.6 months and 7.6 ECI points, against "
        "Epoch's published 3.5 months and ~7 points (inside our 90% interval).")


def _card(i, title=None, chart=None, subtitle="sub"):
    df = pd.DataFrame({"x": [1, 2, 3], "y": [i, i + 1, i + 3]})
    chart = chart or alt.Chart(df).mark_line().encode(x=alt.X("x", title="Year"), y=alt.Y("y", title="Score"))
    return ChartCard(key=f"c{i}", title=title or f"Headline number {i}", subtitle=subtitle, chart=chart, data=df,
                     sources=["eci"], alt="a line", method="**Method**: a fit.", settings="metric=eci")


def _texts(slide):
    return [s.text_frame.text for s in slide.shapes if s.has_text_frame]


def test_deck_has_title_one_slide_per_card_and_sources():
    cards = [_card(i) for i in range(3)]
    prs = Presentation(io.BytesIO(deck.build_deck(cards, "Open vs Closed AI", "2026-08-22")))
    slides = list(prs.slides)
    assert len(slides) == len(cards) + 2
    assert "Data as of 2026-08-22 (vintage v=2026-08-22)" in " ".join(_texts(slides[0]))
    for card, slide in zip(cards, slides[1:-1]):
        texts = _texts(slide)
        assert card.title in texts
        footer = [t for t in texts if t.startswith("Source: Epoch AI")]
        assert footer and "CC BY 4.0" in footer[0] and "Data as of 2026-08-22 (vintage v=2026-08-22)" in footer[0]
        assert "Settings: metric=eci" in footer[0]
        assert sum(s.shape_type == MSO_SHAPE_TYPE.PICTURE for s in slide.shapes) == 1
        notes = slide.notes_slide.notes_text_frame.text
        assert card.title in notes and "Method and caveats: Method: a fit." in notes
    closing = " ".join(_texts(slides[-1]))
    assert "Epoch Capabilities Index" in closing and "CC BY 4.0" in closing


def test_short_title_keeps_the_finding_and_fits_two_lines():
    card = _card(1, title=LONG)
    short = deck.short_title(card)
    assert short == "Recomputed on Epoch's own data and window, the open-model lag is 3.6 months and 7.6 ECI points"
    assert deck.lines_needed(short) == 2
    assert deck.short_title(_card(2, title="Open models trail by 9 months.")) == "Open models trail by 9 months"
    colon = "Cheapest price per million tokens to reach AA index 18: open fell from $0.96 (Jan 2025) to $0.065; " \
            "closed fell from $26.25 (Dec 2024) to $0.138 and then rose again to a level not seen since 2024 in " \
            "any of the months that the price history covers."
    assert deck.short_title(_card(3, title=colon)) == "Cheapest price per million tokens to reach AA index 18: open " \
                                                      "fell from $0.96 to $0.065"
    words = " ".join(["word"] * 60)
    cut = deck.short_title(_card(4, title=words))
    assert cut.endswith("\u2026") and deck.fits(cut) and not deck.fits(cut[:-1] + " word\u2026")


def test_short_title_takes_the_first_sentence_and_drops_nested_asides():
    two = ("Re-running Epoch's 2024 catch-up method on its own data reproduces 4 of 4 published benchmark lags to the "
           "decimal (MMLU 18.4, GPQA 4.6 months). Pooled: 13 catch-ups, mean 13.1 months (Epoch: 13), across every "
           "benchmark that the report covered in that year.")
    assert deck.short_title(_card(1, title=two)) == ("Re-running Epoch's 2024 catch-up method on its own data "
                                                     "reproduces 4 of 4 published benchmark lags to the decimal")
    nested = "At index 40, open is 95% cheaper (V4 Flash (Max) vs Gemini 3.5 Flash), and 81% cheaper per task."
    assert deck.without_asides(nested) == "At index 40, open is 95% cheaper, and 81% cheaper per task."


def test_text_width_is_measured_not_counted():
    assert deck.text_ems("WWWW") > 3 * deck.text_ems("iiii")           # same length, very different widths
    assert deck.lines_needed("a " * 10, line_ems=100) == 1
    assert deck.lines_needed(" ".join(["MMMM"] * 20), line_ems=10) == 10      # two 3.3-em words per 10-em line
    assert deck.fits("x" * 60) and not deck.fits("W" * 80)


def test_title_size_keeps_two_lines():
    assert deck.title_size("Short") == 32
    long_title = " ".join(["Open models trail closed ones"] * 4)
    assert deck.title_size(long_title) < 32
    usable_pt = (deck.WIDTH - 2 * deck.MARGIN - 2 * deck._INSET) / 12700
    for title in ("Short", long_title, deck.short_title(_card(1, title=LONG))):
        assert deck.lines_needed(title, usable_pt / deck.title_size(title)) <= 2


@pytest.fixture(scope="module")
def report_slides(default_cards):
    cards = [c for s in report.with_cards() for c in default_cards[s.key].values()]
    return deck.slides(cards)


def test_every_slide_title_of_the_report_fits_two_lines(report_slides):
    assert len(report_slides) >= 30
    for s in report_slides:
        assert deck.fits(s.title), f"{s.card.key}: '{s.title}' takes {deck.lines_needed(s.title)} lines"
        assert len(s.title) >= 24, s.card.key
        assert s.title.count("(") == s.title.count(")"), s.card.key
        assert not s.title.endswith((",", ";", ":")), s.card.key


def test_a_stacked_card_becomes_one_slide_per_panel_and_hover_wording_goes():
    df = pd.DataFrame({"x": [1, 2], "y": [3, 4]})
    base = alt.Chart(df).mark_point().encode(x="x:Q", y="y:Q")
    card = _card(5, chart=alt.vconcat(base, base, base), subtitle="Each dot is a model; hover a dot for details.")
    slides = deck.slides([card])
    assert [s.part for s in slides] == ["panel 1 of 3", "panel 2 of 3", "panel 3 of 3"]
    assert all("vconcat" not in s.spec and "datasets" in s.spec for s in slides)
    prs = Presentation(io.BytesIO(deck.build_deck([card], "T", "2026-08-22")))
    body = " ".join(" ".join(_texts(s)) for s in list(prs.slides)[1:-1]).lower()
    assert "hover" not in body and "each dot is a model" in body
    assert len(prs.slides) == 5


def test_slides_accept_cards_as_a_dict():
    cards = {c.key: c for c in (_card(1), _card(2))}
    assert [s.card.key for s in deck.slides(cards)] == ["c1", "c2"]


def test_a_card_with_its_own_slide_layout_gets_it_on_slides():
    df = pd.DataFrame({"x": [1, 2], "y": [3, 4]})
    base = alt.Chart(df).mark_point().encode(x="x:Q", y="y:Q")
    card = ChartCard(key="c", title="A finding worth a slide title", subtitle="s", chart=base, data=df,
                     sources=["eci"], alt="a", slide_chart=alt.hconcat(base, base))
    assert "hconcat" not in card.spec and "hconcat" in card.slide_spec
    assert "hconcat" in deck.slides([card])[0].spec


def test_the_report_squeezed_charts_get_16_9_slides(report_slides):
    """The triangulation rows split so each slide holds at most SLIDE_ROWS (a row and its label above stay legible),
    and the geopolitics timeline runs in two columns side by side instead of one thin one."""
    from openclosed.performance.section import SLIDE_ROWS
    tri = [s for s in report_slides if s.card.key == "perf_triangulation"]
    rows = [len({r["label"] for r in s.spec["datasets"][(s.spec.get("data") or s.spec["layer"][0]["data"])["name"]]})
            for s in tri]
    assert len(tri) >= 4 and max(rows) <= SLIDE_ROWS
    assert sum(rows) == len(tri[0].card.data)                     # every estimate is on some slide, once
    timeline = [s for s in report_slides if s.card.key == "geo_timeline"]
    assert len(timeline) == 1 and len(timeline[0].spec["hconcat"]) == 2
    for card in {id(s.card): s.card for s in tri + timeline}.values():
        vega_lite.assert_valid(card.slide_spec)           # a valid Vega-Lite spec, as the page's is


# ---- slide titles in the browser's fonts ----------------------------------------------------------------------------
DEJAVU_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"          # Debian's default sans (fonts-dejavu)
LIBERATION_BOLD = "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf"      # Arial's metrics


def _measure(path: str):
    """A string's width in ems of the font file at `path`, or skip when the font is not installed."""
    ImageFont = pytest.importorskip("PIL.ImageFont")
    try:
        font = ImageFont.truetype(path, 1000)
    except OSError:
        pytest.skip(f"{path} is not installed")
    return lambda text: font.getlength(text) / 1000


# Arial ems 67.0: two lines of the deck's 35-em budget, but 81 ems of DejaVu Sans Bold.
WIDE = ("Cheapest price per million tokens to reach AA index 18: open fell from $0.96 (Jan 2025) to $0.065; "
        "closed fell from $26.25 (Dec 2024) to $0.138")


def test_the_fallback_font_needs_the_slide_lines_margin():
    """A title inside the budget takes three lines of TITLE_EMS ems once the browser draws it in its fallback
    sans (a fresh browser before the app's font loads); in a slide line of SLIDE_LINE_EMS it takes two."""
    dejavu = _measure(DEJAVU_BOLD)
    assert deck.fits(WIDE)
    assert deck.lines_needed(WIDE, deck.TITLE_EMS, measure=dejavu) == 3           # the old slide line
    assert deck.lines_needed(WIDE, deck.SLIDE_LINE_EMS, measure=dejavu) == 2
    assert deck.lines_needed(WIDE, deck.TITLE_EMS, measure=_measure(LIBERATION_BOLD)) == 2   # the table is Arial's


def test_every_slide_title_fits_two_slide_lines_in_the_fallback_font(report_slides):
    dejavu = _measure(DEJAVU_BOLD)
    widest = max(dejavu(s.title) / deck.text_ems(s.title) for s in report_slides)
    assert 1 < widest < deck.FALLBACK_WIDTH, widest
    for s in report_slides:
        assert deck.lines_needed(s.title, deck.SLIDE_LINE_EMS, measure=dejavu) <= 2, s.title
