"""Chart and table exports: PNG and SVG through vl-convert, CSV safe to open in a spreadsheet.

Slide images (`slide_svg`, `slide_png`) are 16:9 with the card's headline and subtitle on top and its source,
licence and as-of line at the bottom, so they can go straight into someone else's slides. `sized_spec` lays a
card's Vega-Lite spec out for a fixed box with slide-sized fonts; presenter mode and the deck reuse it.
"""
from __future__ import annotations

import copy
import hashlib
import re
import textwrap
from html import escape

import altair as alt
import pandas as pd
import vl_convert as vlc

from openclosed.cards import ChartCard, source_line
from openclosed import theme
from openclosed.sources import SOURCES

# A formula start at the beginning of a cell or of any field a spreadsheet may split the cell into.
_FORMULA_FIELD = re.compile(r'(^|[;,\t\r\n])([ "]*)(?=[=+\-@\t\r])')
SLIDE_W, SLIDE_H = 960, 540        # 16:9 in CSS pixels; PNG at scale 2 is 1920x1080
MIN_FONT = 16                      # no text on a slide or an exported image is smaller than this (px)
_CONCAT = ("vconcat", "hconcat", "concat")
_CHAR_W = 0.55                     # average glyph width of a sans-serif font, in em


def chart_png(chart: alt.TopLevelMixin | dict, scale: float = 2.0) -> bytes:
    return vlc.vegalite_to_png(_as_spec(chart), scale=scale)


def chart_svg(chart: alt.TopLevelMixin | dict) -> str:
    return vlc.vegalite_to_svg(_as_spec(chart))


def _as_spec(chart) -> dict:
    return chart if isinstance(chart, dict) else chart.to_dict()


def static_text(text: str) -> str:
    """Text without the sentences or clauses that only make sense on screen ('hover a dot for details')."""
    parts = re.split(r"(?<=[.;])\s+", text)
    kept = [re.sub(r";?\s*hover[^.;]*", "", p, flags=re.I).strip() for p in parts]
    out = " ".join(p for p in kept if p and p not in {".", ";"})
    out = re.sub(r"\s*;\s*(\.|$)", ".", out).strip()
    return out


def wrap(text: str, width_px: float, font_px: float, char_w: float = _CHAR_W) -> list[str]:
    """Lines of at most the characters that fit `width_px` at `font_px` (Vega titles do not wrap)."""
    per_line = max(int(width_px / (font_px * char_w)), 10)
    return textwrap.wrap(text, per_line) or [""]


# ---- laying a spec out for a fixed box ---------------------------------------------------------------------
def _bump(d: dict, keys: tuple[str, ...], font: int) -> None:
    for k in keys:
        if isinstance(d.get(k), (int, float)) and d[k] < font:
            d[k] = font


def _fix_parts(node, font: int) -> None:
    """Walk the spec: fonts >= font, legends below and unclipped, tick labels that skip rather than collide."""
    if isinstance(node, list):
        for item in node:
            _fix_parts(item, font)
        return
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        if key == "legend" and isinstance(value, dict):
            value["labelLimit"] = 0
            if value.get("orient") in (None, "right", "left"):
                value["orient"] = "bottom"
                value.setdefault("direction", "horizontal")
            _bump(value, ("labelFontSize", "titleFontSize"), font)
        elif key == "axis" and isinstance(value, dict):
            if value.get("labelOverlap") in (None, False):
                value["labelOverlap"] = "greedy"
            value.pop("labelLimit", None)
            _bump(value, ("labelFontSize", "titleFontSize"), font)
        elif key == "mark" and isinstance(value, dict):
            _bump(value, ("fontSize",), font)
        elif key == "fontSize" and isinstance(value, dict) and "value" in value:
            _bump(value, ("value",), font)
        else:
            _fix_parts(value, font)


def _config(spec: dict, font: int) -> None:
    cfg = spec.setdefault("config", {})
    for part, keys in (("axis", ("labelFontSize", "titleFontSize")), ("legend", ("labelFontSize", "titleFontSize")),
                       ("header", ("labelFontSize", "titleFontSize")), ("text", ("fontSize",))):
        d = cfg.setdefault(part, {})
        for k in keys:
            d[k] = max(d.get(k, 0) or 0, font)
    cfg["axis"].setdefault("labelOverlap", "greedy")
    for scale in ("axisQuantitative", "axisTemporal"):      # dense ticks skip labels rather than touch
        cfg.setdefault(scale, {}).setdefault("labelSeparation", font // 2)
    cfg["axis"]["labelLimit"] = 0
    cfg["legend"].update(labelLimit=0, orient=cfg["legend"].get("orient", "bottom"))
    cfg["legend"].setdefault("direction", "horizontal")
    cfg.setdefault("title", {}).update(fontSize=max(cfg.get("title", {}).get("fontSize", 0), font + 4))


def _size_views(node: dict, width: int) -> None:
    """Give every view of a concat spec a numeric width that shares out the box; heights stay (they hold the
    rows), and the whole picture is scaled to fit. `panels` splits a vconcat for slides instead."""
    for kind in _CONCAT:
        if kind in node:
            parts = node[kind]
            n = max(len(parts), 1) if kind != "vconcat" else 1
            for part in parts:
                _size_views(part, max(int((width - 30 * (n - 1)) / n), 80))
            return
    if "facet" in node or "repeat" in node:
        return
    node["width"] = width - 90          # room for the y axis and its title


def _size_facet(spec: dict, width: int, height: int, font: int) -> None:
    """A column facet with a row per model: each row a line of text tall, and the columns as wide as the box's
    aspect asks for that height (the picture is scaled to fit the slide), room kept for the first's row labels."""
    column = spec["facet"].get("column", spec["facet"]) if isinstance(spec["facet"], dict) else {}
    values = column.get("sort") if isinstance(column.get("sort"), list) else None
    n = len(values) if values else spec.get("columns") or 1
    inner = spec["spec"]
    rows = _distinct_rows(spec, inner)
    inner["height"] = max(height - 6 * font, rows * (font + 4))
    box_w = max(width, int((inner["height"] + 6 * font) * width / height))
    inner["width"] = max(int((box_w - 240 - 30 * (n - 1)) / n), 120)
    spec["autosize"] = {"type": "pad"}


def _distinct_rows(spec: dict, inner: dict) -> int:
    """How many rows a facet's nominal y draws (0 when unknown)."""
    y = next((layer.get("encoding", {}).get("y") for layer in [inner, *inner.get("layer", [])]
              if layer.get("encoding", {}).get("y")), None)
    if not y or y.get("type") not in ("nominal", "ordinal"):
        return 0
    rows = [r for rows in spec.get("datasets", {}).values() for r in rows if isinstance(r, dict)]
    return len({r.get(y.get("field")) for r in rows if y.get("field") in r})


def panels(spec: dict) -> list[dict]:
    """A vconcat spec as one spec per panel (each keeps the shared datasets and config); others as they are."""
    parts = spec.get("vconcat")
    if not parts or len(parts) < 2:
        return [spec]
    shared = {k: v for k, v in spec.items() if k not in ("vconcat", "title", "resolve", "spacing")}
    return [{**copy.deepcopy(shared), **copy.deepcopy(part)} for part in parts]


def chart_key(spec: dict) -> dict | None:
    """The chart's title when it is a key under the plot (`charts.event_title`: what each numbered marker is)."""
    t = spec.get("title")
    return t if isinstance(t, dict) and t.get("orient") == "bottom" and t.get("subtitle") else None


def key_text(spec: dict) -> str:
    """A chart's key as one line of text ("Events: 1 GPT-4; 2 o1."), or "" when it has none."""
    key = chart_key(spec)
    return f"{key['text']}: " + "; ".join(" ".join(str(x).split()) for x in key["subtitle"]) + "." if key else ""


def sized_spec(spec: dict, width: int, height: int, font: int = MIN_FONT, title: list[str] | None = None,
               subtitle: list[str] | None = None) -> dict:
    """A copy of `spec` laid out for a `width` x `height` box, fonts at least `font` px, optionally titled."""
    out = copy.deepcopy(spec)
    out.pop("autosize", None)

    key = chart_key(out)
    if title:                       # the headline takes the title's place; slide_svg puts a key in the footer
        t = {"text": title, "anchor": "start", "fontSize": font + 8, "offset": 12, "frame": "bounds"}

        if subtitle:
            t.update(subtitle=subtitle, subtitleFontSize=font, subtitleColor=theme.TEXT_SOFT, subtitlePadding=6)

        out["title"] = t
    elif key is not None:           # a key under the plot (numbered event markers) stays, as wrapped lines
        out["title"] = {k: v for k, v in key.items() if not k.startswith("subtitle")} | {
            "text": wrap(key_text(out), width, font), "fontSize": max(key.get("fontSize", 0), font)}
    else:
        out.pop("title", None)
    if any(k in out for k in _CONCAT):
        _size_views(out, width)
        out["autosize"] = {"type": "pad"}
    elif "facet" in out and isinstance(out.get("spec"), dict):
        _size_facet(out, width, height, font)
    elif "repeat" not in out:
        out["width"], out["height"] = width, height
        out["autosize"] = {"type": "fit", "contains": "padding"}
    _fix_parts(out, font)
    _config(out, font)
    return out


# ---- slide images --------------------------------------------------------------------------------------------
def vintage_tag(as_of: str) -> str:
    """'(vintage v=YYYY-MM-DD)': the data vintage an export was made on, as a link names it (openclosed.vintage)."""
    return f"(vintage v={as_of})"


def footer_lines(card: ChartCard, as_of: str, width_px: float = SLIDE_W - 32, font: int = 13) -> list[str]:
    """The chart's key when it has one (its title is the headline on an image), then source, licence and as-of
    line(s), for the bottom of an exported image."""
    text = source_line(card.sources) + f". Data as of {as_of} {vintage_tag(as_of)}."
    if card.settings and card.settings != "defaults":
        text += f" Settings: {card.settings}."
    key = key_text(card.spec)
    return (wrap(key, width_px, font, char_w=0.5) if key else []) + wrap(text, width_px, font, char_w=0.5)


def slide_svg(card: ChartCard, as_of: str, width: int = SLIDE_W, height: int = SLIDE_H) -> str:
    """The card as a 16:9 SVG: headline and subtitle on top, the chart, then source, licence and as-of date."""
    font, foot_font = MIN_FONT, 13
    foot = footer_lines(card, as_of, width - 32, foot_font)
    foot_h = len(foot) * (foot_font + 4) + 14
    title = wrap(static_text(card.title), width - 40, font + 8)
    subtitle = wrap(static_text(card.subtitle), width - 40, font) if card.subtitle else None
    spec = sized_spec(card.spec, width - 24, height - foot_h - 12, font, title, subtitle)
    spec.setdefault("background", "white")
    inner = vlc.vegalite_to_svg(spec)
    return _compose(inner, width, height, foot, foot_h, foot_font)


def _compose(inner: str, width: int, height: int, foot: list[str], foot_h: int, foot_font: int) -> str:
    """Nest the chart's SVG in a width x height SVG, scaled to fit above the footer, and add the footer."""
    inner = re.sub(r"^<\?xml[^>]*>\s*", "", inner.strip())
    root = re.match(r"<svg\b[^>]*>", inner).group(0)
    w = float(re.search(r'\bwidth="([\d.]+)"', root).group(1))
    h = float(re.search(r'\bheight="([\d.]+)"', root).group(1))
    box_w, box_h = width - 24, height - foot_h - 12
    new_root = re.sub(r'\s(width|height|viewBox|x|y)="[^"]*"', "", root)
    new_root = new_root.replace(
        "<svg", f'<svg x="12" y="12" width="{box_w}" height="{box_h}" viewBox="0 0 {w:g} {h:g}" '
                f'preserveAspectRatio="xMidYMin meet"', 1)
    inner = inner.replace(root, new_root, 1)
    y0 = height - foot_h + foot_font + 4
    texts = "".join(
        f'<text x="16" y="{y0 + i * (foot_font + 4)}" font-family="sans-serif" font-size="{foot_font}" '
        f'fill="{theme.TEXT_SOFT}">{escape(line)}</text>' for i, line in enumerate(foot))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
            f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
            f'<rect width="100%" height="100%" fill="white"/>{inner}'
            f'<line x1="16" x2="{width - 16}" y1="{height - foot_h}" y2="{height - foot_h}" stroke="{theme.UNKNOWN}"/>'
            f"{texts}</svg>")


def slide_png(card: ChartCard, as_of: str, scale: float = 2.0) -> bytes:
    """`slide_svg` as a PNG: 1920x1080 at the default scale of 2."""
    return vlc.svg_to_png(slide_svg(card, as_of), scale=scale)


def file_stem(card: ChartCard) -> str:
    """'<card key>_<settings slug>' for download file names; long settings are shortened with a hash."""
    slug = re.sub(r"[^a-z0-9]+", "-", (card.settings or "defaults").lower()).strip("-") or "defaults"
    if len(slug) > 80:
        digest = hashlib.sha1(slug.encode()).hexdigest()[:6]
        slug = slug[:72].rstrip("-") + "-" + digest
    return f"{card.key}_{slug}"


# ---- tables --------------------------------------------------------------------------------------------------
def neutralize_cell(value):
    """A text cell a spreadsheet cannot run as a formula (CWE-1236): a single quote before every formula start
    ('=', '+', '-', '@', tab, CR) that begins the cell or follows a separator a spreadsheet may split on (';' in
    locales with decimal commas, ',', tab, a line break), spaces and quotes between allowed: 'x;=1+4' ->
    "x;'=1+4". Numbers and other values pass unchanged."""
    if isinstance(value, str):
        return _FORMULA_FIELD.sub(r"\1\2'", value)
    return value


def safe_csv(df: pd.DataFrame) -> bytes:
    """CSV bytes with formula-like text cells and column names neutralized (CWE-1236)."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralize_cell)
    out.columns = [neutralize_cell(str(c)) for c in out.columns]
    return out.to_csv(index=False).encode("utf-8")


def card_csv(card: ChartCard, as_of: str) -> bytes:
    """The card's rows as CSV, after a '#' comment block with title, source, licence, citation and as-of date
    (skip the lines that start with '#' to read the table)."""
    lines = [f"# title: {card.title}", f"# subtitle: {card.subtitle}"]
    for key in card.sources:
        s = SOURCES[key]
        lines += [f"# source: {s['name']}", f"# licence: {s['license']}", f"# citation: {s['citation']}",
                  f"# snapshot: {s['snapshot']}"]
    if card.settings:
        lines.append(f"# settings: {card.settings}")
    lines.append(f"# as of: {as_of}")
    lines.append(f"# data vintage: {as_of} (a link to this view with v={as_of} shows what changed since)")
    header = "\n".join(neutralize_cell(line.replace("\n", " ").replace("\r", " ")) for line in lines) + "\n"
    return header.encode("utf-8") + safe_csv(card.data)
