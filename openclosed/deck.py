"""Slides from chart cards: the slide list presenter mode steps through, and the PowerPoint deck (python-pptx).

A slide shows a short title derived from the card's headline, its chart laid out for 16:9 (a card with stacked
panels gives one slide per panel), and the source line; the full headline and the method go into the speaker
notes.
"""
from __future__ import annotations

import dataclasses
import io
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu, Inches, Pt

from openclosed import export
from openclosed.cards import ChartCard, source_line
from openclosed.sources import SOURCES

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)      # 16:9
MARGIN = Inches(0.5)
GREY = RGBColor(0x55, 0x55, 0x55)
CHART_W, CHART_H = 1180, 470                     # the slide picture, in CSS px (rendered at 2x)

# A slide title fits when it wraps to at most two lines of TITLE_EMS ems of bold sans; the deck picks a font size
# that gives it. Widths are Arial Bold's (Liberation Sans Bold is metric-compatible): exact for the deck, which
# sets Arial, and wider than the browser's Source Sans.
TITLE_EMS = 35.0
TITLE_LINES = 2
# Before the app's font has loaded (a fresh browser, a cold cache) or where it never loads, the browser lays the title
# out in its default sans: Debian's is DejaVu Sans Bold, up to 1.21x as wide as Arial Bold on the report's titles
# (tests/unit/test_deck.py measures it). Presenter mode sizes its title so that a line holds SLIDE_LINE_EMS ems at
# any window (ui/presenter.py): a title inside the budget then takes two lines in either font.
FALLBACK_WIDTH = 1.25
SLIDE_LINE_EMS = TITLE_EMS * FALLBACK_WIDTH       # ems of the slide's font in one line of a presenter-mode title
DECK_FONT = "Arial"
_INSET = Inches(0.1)       # a text box's default left and right inset
_WIDTHS = {   # advance width in 1/1000 em -> the characters that have it
    238: "'", 278: " ,./I\\ijl’‘·", 280: "|", 333: "!()-:;[]`ft²³¹",
    365: "⁴⁵⁶⁷⁸⁹⁰", 389: "*r{}", 474: '"', 500: "z“”",
    549: "≥≤", 556: "#$0123456789J_aceksvxy–€£", 584: "+<=>^~×",
    611: "?FLTZbdghnopqu", 667: "EPSVXY", 722: "&ABCDHKNRU", 778: "GOQw", 833: "M", 889: "%m", 944: "W",
    975: "@", 1000: "—…"}
_EM = {ch: w / 1000 for w, chars in _WIDTHS.items() for ch in chars}
_OTHER_EM = 0.72           # any other character: as wide as a capital

# Clause boundaries to cut a headline at: strong ones first (a sentence or clause), then weaker (a comma).
_STRONG = (". ", "; ", ": ", " — ")
_WEAK = (", against ", ", while ", ", but ", ", and ", ", ")
_MIN_TITLE = 24            # characters: a shorter clause is not a title


def text_ems(text: str) -> float:
    """The width of `text` in ems of bold sans."""
    return sum(_EM.get(ch, _OTHER_EM) for ch in text)


def lines_needed(text: str, line_ems: float = TITLE_EMS, measure: Callable[[str], float] = text_ems) -> int:
    """How many lines `text` takes when word-wrapped into lines `line_ems` wide (`measure`: a string's width in
    ems of the font it is set in; Arial Bold's by default)."""
    lines, width, space = 1, 0.0, measure(" ")
    for word in text.split():
        w = measure(word)
        if width and width + space + w > line_ems:
            lines, width = lines + 1, 0.0
        while w > line_ems:                    # a word wider than a line is broken across lines
            lines, w = lines + 1, w - line_ems
        width += (space if width else 0) + w
    return lines


def fits(text: str, line_ems: float = TITLE_EMS, max_lines: int = TITLE_LINES) -> bool:
    return lines_needed(text, line_ems) <= max_lines


def without_asides(text: str) -> str:
    """`text` without its parenthetical asides, nested ones included."""
    out, depth = [], 0
    for ch in text:
        depth += ch == "("
        if not depth:
            out.append(ch)
        depth -= ch == ")" and depth > 0
    return re.sub(r"\s+([,.;:])", r"\1", re.sub(r"\s{2,}", " ", "".join(out))).strip()


def _clauses(text: str, seps: tuple[str, ...]) -> list[str]:
    """Prefixes of `text` that end at one of `seps`, longest first."""
    cuts = {m.start() for sep in seps for m in re.finditer(re.escape(sep), text)}
    return [text[:i].rstrip(" ,;:.") for i in sorted(cuts, reverse=True) if i >= _MIN_TITLE]


def short_title(card: ChartCard, line_ems: float = TITLE_EMS) -> str:
    """A slide title that fits two lines of `line_ems` ems, derived from the card: its `short_title` if it has
    one, else the first that fits of the headline, the headline without its asides in parentheses, its first
    sentence, that sentence's longest leading clause, its longest leading comma phrase; else its words up to the
    limit and an ellipsis."""
    own = getattr(card, "short_title", "")
    if own:
        return own
    title = export.static_text(card.title).rstrip(".")
    plain = without_asides(title)
    first = re.split(r"(?<=[.!?])\s+(?=[A-Z0-9])", plain)[0].rstrip(".")
    for candidate in [title, plain, first, *_clauses(first, _STRONG), *_clauses(first, _WEAK)]:
        if fits(candidate, line_ems):
            return candidate
    words = first.split()
    while words and not fits(" ".join(words) + "…", line_ems):
        words.pop()
    return " ".join(words).rstrip(" ,;:") + "…"


@dataclasses.dataclass
class Slide:
    card: ChartCard
    spec: dict                 # the Vega-Lite spec of this slide's chart (one panel of a stacked card)
    title: str                 # short slide title
    part: str = ""             # "panel 2 of 3" when the card was split


def slides(cards) -> list[Slide]:
    """One slide per card, or per panel of a card whose chart stacks panels; a card's own 16:9 layout
    (`slide_spec`) when it has one."""
    out = []
    for card in (cards.values() if isinstance(cards, dict) else cards):
        parts = export.panels(getattr(card, "slide_spec", None) or card.spec)
        for i, spec in enumerate(parts, start=1):
            part = f"panel {i} of {len(parts)}" if len(parts) > 1 else ""
            out.append(Slide(card, spec, short_title(card), part))
    return out


def notes(card: ChartCard) -> str:
    """Speaker notes: the full headline, what is plotted, the method and the settings."""
    method = re.sub(r"[*_`#]+", "", card.method or "").strip()
    parts = [card.title, export.static_text(card.subtitle)]
    if method:
        parts.append("Method and caveats: " + method)
    if card.settings:
        parts.append("Settings: " + card.settings)
    return "\n\n".join(p for p in parts if p)


def _text(slide, left, top, width, height, text, size, bold=False, color=None):
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    frame.text = text
    for para in frame.paragraphs:
        for run in para.runs:
            run.font.size = Pt(size)
            run.font.name = DECK_FONT
            run.font.bold = bold
            if color is not None:
                run.font.color.rgb = color
    return box


def _render_png(slide: Slide) -> bytes:
    spec = export.sized_spec(slide.spec, CHART_W, CHART_H, font=export.MIN_FONT)
    spec.setdefault("background", "white")
    return export.chart_png(spec, scale=2.0)


def _fit(png: bytes, max_w: int, max_h: int) -> tuple[int, int]:
    width = int.from_bytes(png[16:20], "big")
    height = int.from_bytes(png[20:24], "big")
    scale = min(max_w / width, max_h / height)
    return int(width * scale), int(height * scale)


def title_size(title: str) -> int:
    """The largest font size (pt) at which the slide title takes at most two lines of the slide's width (a
    short title fits two lines at 25 pt: the width holds TITLE_EMS ems of it)."""
    usable_pt = (WIDTH - 2 * MARGIN - 2 * _INSET) / 12700 * 0.97     # 3% for renderers' rounding
    for size in (32, 30, 28, 26):
        if fits(title, usable_pt / size):
            return size
    return 24


def build_deck(cards, title: str, as_of: str, subtitle: str = "",
               progress: Callable[[int, int], None] | None = None) -> bytes:
    """A .pptx (bytes): title slide with the as-of date, one slide per card (or panel), then sources.
    `progress(done, total)` is called as each slide's picture is drawn (the slow part)."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    blank = prs.slide_layouts[6]
    full_w = WIDTH - 2 * MARGIN

    slide = prs.slides.add_slide(blank)
    _text(slide, MARGIN, Inches(2.3), full_w, Inches(1.5), title, 40, bold=True)
    _text(slide, MARGIN, Inches(3.8), full_w, Inches(1.0),
          subtitle or "An interactive report computed from public data", 20, color=GREY)
    _text(slide, MARGIN, Inches(4.8), full_w, Inches(0.6), f"Data as of {as_of} {export.vintage_tag(as_of)}", 18,
          color=GREY)

    deck_slides = slides(cards)
    pngs = []
    with ThreadPoolExecutor(max_workers=2) as pool:
        for png in pool.map(_render_png, deck_slides):
            pngs.append(png)
            if progress is not None:
                progress(len(pngs), len(deck_slides))

    for s, png in zip(deck_slides, pngs):
        slide = prs.slides.add_slide(blank)
        size = title_size(s.title)
        _text(slide, MARGIN, Inches(0.25), full_w, Pt(size) * 2.5, s.title, size, bold=True)
        sub = export.static_text(s.card.subtitle) + (f" ({s.part})" if s.part else "")
        sub_top = Inches(0.3) + Pt(size) * 2.5
        sub_lines = lines_needed(sub, full_w / 12700 / 13)     # at 13 pt (bold widths: never too few lines)
        _text(slide, MARGIN, sub_top, full_w, Pt(13) * 1.25 * sub_lines, sub, 13, color=GREY)
        pic_top = sub_top + Pt(13) * 1.3 * sub_lines + Inches(0.2)
        foot_top = Inches(6.65)
        w, h = _fit(png, int(full_w), int(foot_top - pic_top - Inches(0.05)))
        slide.shapes.add_picture(io.BytesIO(png), Emu(int((WIDTH - w) / 2)), Emu(int(pic_top)), Emu(w), Emu(h))
        footer = f"{source_line(s.card.sources)}. Data as of {as_of} {export.vintage_tag(as_of)}."
        if s.card.settings:
            footer += f"\nSettings: {s.card.settings}"
        _text(slide, MARGIN, foot_top, full_w, Inches(0.75), footer, 9, color=GREY)
        slide.notes_slide.notes_text_frame.text = notes(s.card)

    slide = prs.slides.add_slide(blank)
    _text(slide, MARGIN, Inches(0.3), full_w, Inches(0.8), "Sources and citations", 28, bold=True)
    used = sorted({src for s in deck_slides for src in s.card.sources})
    lines = [f"{SOURCES[s]['citation']}. {SOURCES[s]['name']}. License: {SOURCES[s]['license']}. "
             f"Snapshot: {SOURCES[s]['snapshot']}." for s in used]
    _text(slide, MARGIN, Inches(1.2), full_w, Inches(5.8), "\n".join(lines), 13)

    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()
