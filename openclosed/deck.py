"""Slides from chart cards: the slide list presenter mode steps through, and the PowerPoint deck (python-pptx).

A slide shows a short title derived from the card's headline, its chart laid out for 16:9 (a card with stacked
panels gives one slide per panel), and the source line; the full headline and the method go into the speaker
notes.
"""
from __future__ import annotations

import dataclasses
import io
import re
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
TITLE_CHARS = 125          # a slide title longer than this would take three lines at slide size
CHART_W, CHART_H = 1180, 470                     # the slide picture, in CSS px (rendered at 2x)

_CUTS = (": ", "; ", " — ", ", against ", ", while ", ", but ", ", and ", ", ")


def short_title(card: ChartCard, limit: int = TITLE_CHARS) -> str:
    """A slide title of at most `limit` characters: the card's `short_title` if it has one, else the headline,
    else the headline without its parentheses, else its first clause (cut at a colon, semicolon or comma)."""
    own = getattr(card, "short_title", "")
    if own:
        return own
    title = export.static_text(card.title).rstrip(".")
    if len(title) <= limit:
        return title
    plain = re.sub(r"\s*\([^)]*\)", "", title)
    if len(plain) <= limit:
        return plain
    for sep in _CUTS:
        cuts = [m.start() for m in re.finditer(re.escape(sep), plain) if 40 <= m.start() <= limit]
        if cuts:
            return plain[:cuts[0] if sep != ", " else cuts[-1]]
    return plain[: plain.rfind(" ", 0, limit - 1)] + "…"


@dataclasses.dataclass
class Slide:
    card: ChartCard
    spec: dict                 # the Vega-Lite spec of this slide's chart (one panel of a stacked card)
    title: str                 # short slide title
    part: str = ""             # "panel 2 of 3" when the card was split


def slides(cards) -> list[Slide]:
    """One slide per card, or per panel of a card whose chart stacks panels."""
    out = []
    for card in (cards.values() if isinstance(cards, dict) else cards):
        parts = export.panels(card.spec)
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
    """The largest font size (pt) that keeps the slide title to two lines (0.66 em per character: wide enough
    for the bold sans LibreOffice or PowerPoint substitutes)."""
    usable_pt = (WIDTH - 2 * MARGIN) / 12700
    for size in (30, 28, 26, 24, 22, 20):
        if len(title) <= 2 * int(usable_pt / (size * 0.66)):
            return size
    return 18


def build_deck(cards, title: str, as_of: str, subtitle: str = "") -> bytes:
    """A .pptx (bytes): title slide with the as-of date, one slide per card (or panel), then sources."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    blank = prs.slide_layouts[6]
    full_w = WIDTH - 2 * MARGIN

    slide = prs.slides.add_slide(blank)
    _text(slide, MARGIN, Inches(2.3), full_w, Inches(1.5), title, 40, bold=True)
    _text(slide, MARGIN, Inches(3.8), full_w, Inches(1.0),
          subtitle or "An interactive report computed from public data", 20, color=GREY)
    _text(slide, MARGIN, Inches(4.8), full_w, Inches(0.6), f"Data as of {as_of}", 18, color=GREY)

    deck_slides = slides(cards)
    with ThreadPoolExecutor(max_workers=2) as pool:
        pngs = list(pool.map(_render_png, deck_slides))

    for s, png in zip(deck_slides, pngs):
        slide = prs.slides.add_slide(blank)
        size = title_size(s.title)
        _text(slide, MARGIN, Inches(0.25), full_w, Pt(size) * 2.5, s.title, size, bold=True)
        sub = export.static_text(s.card.subtitle) + (f" ({s.part})" if s.part else "")
        sub_top = Inches(0.3) + Pt(size) * 2.5
        sub_lines = -(-len(sub) // 140)                   # 13 pt: about 140 characters a line
        _text(slide, MARGIN, sub_top, full_w, Pt(13) * 1.25 * sub_lines, sub, 13, color=GREY)
        pic_top = sub_top + Pt(13) * 1.3 * sub_lines + Inches(0.2)
        foot_top = Inches(6.65)
        w, h = _fit(png, int(full_w), int(foot_top - pic_top - Inches(0.05)))
        slide.shapes.add_picture(io.BytesIO(png), Emu(int((WIDTH - w) / 2)), Emu(int(pic_top)), Emu(w), Emu(h))
        footer = f"{source_line(s.card.sources)}. Data as of {as_of}."
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
