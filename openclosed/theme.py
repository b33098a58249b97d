"""Fixed colours and chart defaults shared by every page (colour-blind safe, Okabe-Ito / Paul Tol)."""
from __future__ import annotations

import altair as alt

OPEN = "#E69F00"      # Okabe-Ito orange
CLOSED = "#0072B2"    # Okabe-Ito blue
YOURS = "#AA3377"     # Paul Tol purple, for reader-uploaded models

# More Okabe-Ito hues, for categories beyond open/closed
SKY = "#56B4E9"
GREEN = "#009E73"
VERMILLION = "#D55E00"
PINK = "#CC79A7"
OPEN_TEXT = "#B07A00"  # the open orange, darkened so text in it stays readable on white

# Paul Tol's muted scheme
INDIGO = "#332288"
CYAN = "#88CCEE"
TEAL = "#44AA99"
FOREST = "#117733"
OLIVE = "#999933"
SAND = "#DDCC77"
ROSE = "#CC6677"
WINE = "#882255"
RED = "#CC3311"       # Paul Tol vibrant red
TEAL_DARK = "#009988"  # Paul Tol vibrant teal

# Greys, darkest first: text and reference lines, then fills
BLACK = "#000000"
INK = "#222222"       # strongest text (published figures)
TEXT = "#333333"      # labels, reference rules
TEXT_SOFT = "#444444"
RULE = "#555555"      # event markers, secondary rules
NEUTRAL = "#777777"
MUTED = "#999999"
LIGHT = "#BBBBBB"
UNKNOWN = "#CCCCCC"   # unknown / unassigned category
FAINT = "#DDDDDD"
SHADE = "#F3F3F3"     # table header background in downloads
WHITE = "#FFFFFF"

PURPLES = ("#F2F0F7", "#DADAEB", "#BCBDDC", "#9E9AC8")   # ColorBrewer Purples, light to dark: graded bands

OPENNESS_DOMAIN = ["Open weights", "Closed"]
OPENNESS_RANGE = [OPEN, CLOSED]

COUNTRY_COLORS = {
    "United States": INDIGO,
    "China": RED,
    "Europe": TEAL_DARK,
    "EU": TEAL_DARK,
    "United Kingdom": CYAN,
    "France": TEAL,
    "Other": LIGHT,
}


def openness_scale(extra: dict[str, str] | None = None) -> alt.Scale:
    """The open/closed colour scale; `extra` adds categories such as {'Yours': YOURS}."""
    domain, rng = list(OPENNESS_DOMAIN), list(OPENNESS_RANGE)
    for label, colour in (extra or {}).items():
        domain.append(label)
        rng.append(colour)
    return alt.Scale(domain=domain, range=rng)


def openness_label(open_weights: bool) -> str:
    return OPENNESS_DOMAIN[0] if open_weights else OPENNESS_DOMAIN[1]
