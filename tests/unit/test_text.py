"""Reader text escaped for markdown shows its characters, never markup (the browser test checks Streamlit's own
renderer; here a CommonMark renderer checks the escaping itself)."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from openclosed.text import WORD_JOINER, markdown_literal, printable

PAYLOADS = [
    "![b](http://host/beacon.png) [EXT](http://host/phish)",
    "<img src=x onerror=alert(1)>", "<a href='http://host'>x</a>", "[x](javascript:alert(1))",
    "<http://host/auto>", "http://host/bare", "www.host.com", "mail@host.com", "**bold** _it_ ~~gone~~",
    "# heading", "- item", "1. item", "> quote", "`code`", "| a | b |", "&lt;b&gt;", "$x^2$", ":red[text]",
    "line one\n# two\r\n![c](http://host/c.png)", "\u202eevil", "[ref]: http://host/ref",
]
RENDER = MarkdownIt("commonmark")


def _shown(markdown: str) -> str:
    """The text a reader sees: CommonMark's rendering without its paragraph tags."""
    html = RENDER.render(markdown).strip()
    return re.sub(r"^<p>|</p>$", "", html)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_render_as_their_own_characters(payload):
    html = RENDER.render(markdown_literal(payload))
    assert "<img" not in html and "<a " not in html and "<h1" not in html and "<li" not in html
    assert "<strong" not in html and "<em" not in html and "<code" not in html and "<blockquote" not in html
    from html import unescape
    shown = unescape(_shown(markdown_literal(payload)))
    assert shown.replace(WORD_JOINER, "") == printable(payload).strip()
    # GFM links URLs and e-mail addresses found in the rendered text (remark-gfm's autolink literals): none is left
    assert not re.search(r"https?://|www\.|[\w.+-]@\w|:\w+:", shown, re.IGNORECASE)


def test_line_breaks_and_direction_marks_become_spaces_and_long_values_are_shortened():
    assert printable("a\nb\rc\td\u202ee") == "a b c d e"
    assert markdown_literal("x" * 50, limit=40) == "x" * 40 + "…"
    assert markdown_literal("GPU H100 (80GB)") == "GPU H100 \\(80GB\\)"
    assert markdown_literal(None) == ""


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(codec="utf-8"), max_size=60))
def test_any_text_renders_without_elements(text):
    html = RENDER.render(markdown_literal(text))
    assert re.findall(r"<(\w+)", html) in ([], ["p"])


def test_html_literal_shows_a_value_as_text_inside_html():
    from openclosed.text import html_literal
    assert html_literal('<b onclick="x()">A & B\'s</b>') == "&lt;b onclick=&quot;x()&quot;&gt;A &amp; B&#x27;s&lt;/b&gt;"
    assert html_literal("two\nlines\u202e") == "two lines "          # one line, no direction override
    assert html_literal("abcdef", limit=3) == "abc…"
    assert html_literal(None) == ""
