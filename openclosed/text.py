"""Text a reader supplies (a link's values, an uploaded file's names and cells, a form's rows) shown as text.

Streamlit renders captions, messages and markdown as GitHub-flavoured markdown: a reader's `![x](http://host/a.png)`
would make every browser that opens the link fetch an image, `[here](http://host)` and a bare `www.host.com` would
become links. `markdown_literal` escapes a value so that markdown shows exactly its characters:
- every ASCII punctuation character gets a backslash (CommonMark's escape, which stops HTML, entities, links,
  images, emphasis, headings, lists, tables, LaTeX and Streamlit's `:color[...]` directives);
- an invisible word joiner goes before each ':' and '@' and after 'www': GFM also turns URLs and e-mail addresses
  in the *rendered* text into links (remark-gfm's autolink literals), which no escape prevents;
- line breaks and invisible control or direction characters become spaces (a value stays on its line, and reads
  in the order it is stored).
"""
from __future__ import annotations

import html
import re

_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")      # every ASCII punctuation character (CommonMark can escape each)
_AUTOLINK = re.compile(r"(?=\\[:@])|(?<=www)(?=\\\.)", re.IGNORECASE)   # where 'http://', 'www.', 'a@b' would link
WORD_JOINER = "\u2060"


def printable(value: object, limit: int | None = None) -> str:
    """`value` as one line of plain text: control, line-break and direction characters as spaces; shortened to
    `limit` characters with an ellipsis when longer."""
    text = "" if value is None else str(value)
    if limit is not None and len(text) > limit:
        text = text[:limit] + "…"
    return "".join(c if c.isprintable() else " " for c in text)


def markdown_literal(value: object, limit: int | None = None) -> str:
    """`value` escaped for a markdown element (st.markdown, st.caption, st.error ...): shown as its characters,
    never as markup (leading and trailing spaces dropped: four at a line's start would open a code block).
    `limit`: at most this many characters of the value (then an ellipsis)."""
    escaped = _PUNCTUATION.sub(r"\\\1", printable(value, limit).strip())
    return _AUTOLINK.sub(WORD_JOINER, escaped)


def html_literal(value: object, limit: int | None = None) -> str:
    """`value` as text inside HTML (an element's content or a quoted attribute): one line of printable characters
    (as `printable`) with &, <, >, " and ' escaped, so no value becomes markup."""
    return html.escape(printable(value, limit), quote=True)
