"""How to cite a page or a chart of this report: APA and BibTeX with title, data vintage, access date and permalink,
and the citations of the sources whose numbers it shows (credit the data's producers, not only this report)."""
from __future__ import annotations

import dataclasses
import datetime as dt
import re

from openclosed.sources import SOURCES

REPORT = "Open vs Closed AI"
AUTHOR = "Open vs Closed AI report team"


@dataclasses.dataclass(frozen=True)
class Citation:
    apa: str
    bibtex: str
    sources: list[str]       # each underlying source's own citation, with its licence and snapshot


def _bib_text(text: str) -> str:
    """A value inside BibTeX braces: braces, backslashes and the characters LaTeX treats specially escaped."""
    text = text.replace("\\", "\\textbackslash{}").replace("{", "\\{").replace("}", "\\}")
    return re.sub(r"([#$%&_^~])", r"\\\1", text)


def _bib_key(title: str, vintage: str) -> str:
    words = re.findall(r"[a-z0-9]+", title.lower())[:3]
    return "openclosed_" + "_".join(words) + "_" + vintage.replace("-", "")


def cite(title: str, vintage: str, permalink: str, accessed: dt.date, source_keys=()) -> Citation:
    """The citation of one view: `title` (a page's or a chart's headline), the data vintage it shows, its link."""
    year = vintage[:4]
    apa = (f"{AUTHOR}. ({year}). {title} [Interactive report, data vintage {vintage}]. {REPORT}. "
           f"Retrieved {accessed:%B} {accessed.day}, {accessed:%Y}, from {permalink}")
    bibtex = "\n".join([
        f"@misc{{{_bib_key(title, vintage)},",
        f"  author = {{{{{_bib_text(AUTHOR)}}}}},",
        f"  title = {{{_bib_text(title)}}},",
        f"  howpublished = {{{_bib_text(REPORT)}, interactive report}},",
        f"  year = {{{year}}},",
        f"  note = {{Data vintage {vintage}; accessed {accessed.isoformat()}}},",
        f"  url = {{{permalink}}}",
        "}"])
    sources = [f"{SOURCES[k]['citation']} ({SOURCES[k]['license']}; snapshot {SOURCES[k]['snapshot']})"
               for k in dict.fromkeys(source_keys) if k in SOURCES]
    return Citation(apa, bibtex, sources)


