"""Colours come only from openclosed/theme.py: no hex colour literal anywhere else in the core or the pages."""
from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

from openclosed import theme

ROOT = Path(__file__).resolve().parents[2]
HEX = re.compile(r"#[0-9A-Fa-f]{3}(?:[0-9A-Fa-f]{3})?(?:[0-9A-Fa-f]{2})?")
IN_TEXT = re.compile(r"(?<![\w/&])#(?:[0-9A-Fa-f]{8}|[0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})\b")   # not a URL anchor


def hex_literals(path: Path) -> list[str]:
    """Hex colours inside string literals of a Python file (comments are not strings, so they do not count)."""
    found = []
    for tok in tokenize.generate_tokens(io.StringIO(path.read_text()).readline):
        if tok.type == tokenize.STRING:
            found += [f"{path.name}:{tok.start[0]}: {m}" for m in IN_TEXT.findall(tok.string)]
    return found


def test_the_scanner_finds_a_hex_colour_and_skips_comments(tmp_path):
    f = tmp_path / "probe.py"
    f.write_text('x = {"color": "#A1B2C3"}  # "#000000" in a comment is fine\n'
                 'y = "#abc"\nz = "see https://example.org/page#add"\n')
    assert [s.split(": ")[1] for s in hex_literals(f)] == ["#A1B2C3", "#abc"]


def test_no_hex_colour_outside_the_theme():
    files = sorted(p for d in ("openclosed", "pages") for p in (ROOT / d).rglob("*.py")
                   if p != ROOT / "openclosed" / "theme.py")
    assert len(files) > 20
    offenders = [hit for f in files for hit in hex_literals(f)]
    assert offenders == [], "colours belong in openclosed/theme.py:\n" + "\n".join(offenders)


def test_theme_colours_are_valid_hex():
    names = [n for n in dir(theme) if n.isupper() and isinstance(getattr(theme, n), str)
             and getattr(theme, n).startswith("#")]
    assert {"OPEN", "CLOSED", "NEUTRAL", "TEXT", "RULE"} <= set(names)
    for n in names:
        assert HEX.fullmatch(getattr(theme, n)), n
    assert all(HEX.fullmatch(c) for c in theme.PURPLES + tuple(theme.COUNTRY_COLORS.values()))
