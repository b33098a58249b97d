"""No typed years or dates in prose: every number in page and card text is computed from data/ or is a cited
published figure listed below. Scans the string literals (including f-string constant parts) of the pages and
the section modules that write card titles, subtitles, notes and methods."""
from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FILES = ["pages/overview.py", "pages/performance.py", "pages/geopolitics.py", "openclosed/overview.py",
         "openclosed/verdicts.py", "openclosed/epoch2024.py", "openclosed/performance/section.py",
         "openclosed/geo/section.py"]
LITERAL = re.compile(r"\b\d{4}-\d{2}-\d{2}\b|\b(?:19|20)\d{2}\b")

# (file, first 40 characters of the literal, the year or date). Most are the names and windows of cited
# published figures ("Epoch 2024", "Jan 2023 to Oct 2025", "LessWrong 2026") or fixed method constants; the rest
# are prose still to be computed from data/provenance.json (issue 13 follow-up). The list may only shrink: a new
# typed date or year anywhere in these files fails the test.
ALLOWED = {
    ('openclosed/epoch2024.py', '2023-11-01', '2023-11-01'),
    ('openclosed/geo/section.py', ') for 2023 to early 2026', '2023'),
    ('openclosed/geo/section.py', ') for 2023 to early 2026', '2026'),
    ('openclosed/geo/section.py', ') for 2023 to early 2026.', '2023'),
    ('openclosed/geo/section.py', ') for 2023 to early 2026.', '2026'),
    ('openclosed/geo/section.py', "); grey band and dashed line: Epoch's pu", '2026'),
    ('openclosed/geo/section.py', 'Each whole score level (1 point apart) i', '2026'),
    ('openclosed/geo/section.py', "Epoch's lists are curated: *notable* mod", '2025-12-31'),
    ('openclosed/geo/section.py', 'Scores come from the ECI snapshot named ', '2026'),
    ('openclosed/overview.py', ' of days since 2023', '2023'),
    ('openclosed/overview.py', '% of OpenRouter tokens by late 2025, so ', '2025'),
    ('openclosed/overview.py', '2023-01-01', '2023-01-01'),
    ('openclosed/overview.py', 'more of the 2024 cohort gone', '2024'),
    ('openclosed/performance/section.py', ' SEAL Math rows in `data/report2024.csv`', '2019'),
    ('openclosed/performance/section.py', ' in 2024.', '2024'),
    ('openclosed/performance/section.py', ' months, and the method matters as much ', '2026'),
    ('openclosed/performance/section.py', ' of it (days / 365 × 12). MMLU scores wi', '2023'),
    ('openclosed/performance/section.py', "**Epoch's method** (data insight *Open-w", '2023'),
    ('openclosed/performance/section.py', "**Epoch's method** (data insight *Open-w", '2025'),
    ('openclosed/performance/section.py', '**Horizontal lag at a date** (`frontier.', '2023'),
    ('openclosed/performance/section.py', '**Why the estimates differ.**\n- *What is', '2023'),
    ('openclosed/performance/section.py', '**Why the estimates differ.**\n- *What is', '2024'),
    ('openclosed/performance/section.py', '**Why the estimates differ.**\n- *What is', '2025'),
    ('openclosed/performance/section.py', '2000-01-01', '2000-01-01'),
    ('openclosed/performance/section.py', ' points) is wider, consistent with it al', '2026'),  # Epoch's May 2026 update (cited)
    ('openclosed/performance/section.py', 'Epoch 2024: mean of catch-ups (5th-95th ', '2024'),
    ('openclosed/performance/section.py', 'Epoch May 2026: ECI, since Jan 2026', '2026'),
    ('openclosed/performance/section.py', 'For each benchmark the best open and the', '2025'),
    ('openclosed/performance/section.py', 'LessWrong 2026: private benchmarks', '2026'),
    ('openclosed/performance/section.py', 'Mean months for an open model to match e', '2024'),
    ('openclosed/performance/section.py', 'Published (Epoch 2024)', '2024'),
    ('openclosed/performance/section.py', "Re-running Epoch's 2024 catch-up method ", '2024'),
    ('openclosed/performance/section.py', "fixed: the 2024 report's data", '2024'),
    ('pages/performance.py', "7. Reproducing Epoch's 2024 report", '2024'),
    ('pages/performance.py', "Epoch's November 2024 report *How far be", '2024'),
}


def literals(path: Path):
    tree = ast.parse(path.read_text())
    skip = set()
    for node in ast.walk(tree):
        # docstrings are not prose shown to readers
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and node.body and \
                isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant):
            skip.add(id(node.body[0].value))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            yield node.lineno, node.value


def offending():
    out = []
    for f in FILES:
        for line, text in literals(ROOT / f):
            for m in LITERAL.finditer(text):
                if (f, text[:40], m.group()) not in ALLOWED:
                    out.append(f"{f}:{line}: {m.group()!r} in {text[:80]!r}")
    return out


def test_no_typed_dates_or_years_in_prose():
    bad = offending()
    assert not bad, "typed dates/years in prose (compute them, or allow-list a cited figure):\n" + "\n".join(bad)


def test_the_scan_catches_a_typed_date(tmp_path):
    p = tmp_path / "x.py"
    p.write_text('"""doc 2024"""\nst.caption("As of 2026-03-09 the gap is small")\nx = f"since {year}"\n')
    found = [m.group() for _, t in literals(p) for m in LITERAL.finditer(t)]
    assert found == ["2026-03-09"]


def _card_text_findings(card, cited: set[str]) -> list[str]:
    """Years and ISO dates in a card's title, subtitle, method and alt text that neither come from the rows the
    card draws (or its settings, or a source's snapshot) nor from a cited published figure."""
    import pandas as pd
    from openclosed.sources import SOURCES
    drawn = set()
    for col in card.data.columns:
        vals = [str(v) for v in card.data[col].dropna()]
        drawn |= {m.group() for v in vals for m in LITERAL.finditer(v)}
        if pd.api.types.is_datetime64_any_dtype(card.data[col]):
            drawn |= {str(y) for y in card.data[col].dt.year.dropna().astype(int)}
    drawn |= {m.group() for m in LITERAL.finditer(card.settings)}
    drawn |= {d[:4] for d in drawn}                              # a drawn date's year is drawn too
    for key in card.sources:
        drawn |= {SOURCES[key]["snapshot"], SOURCES[key]["snapshot"][:4]}
    out = []
    for part in ("title", "subtitle", "alt", "method"):
        for m in LITERAL.finditer(getattr(card, part)):
            if m.group() not in drawn and m.group() not in cited:
                out.append(f"{card.key}.{part}: {m.group()!r} in ...{getattr(card, part)[max(0, m.start() - 40):m.end() + 20]!r}")
    return out


def test_card_text_years_come_from_drawn_rows_or_cited_figures():
    from openclosed import geo, performance as P
    from openclosed import tables as T
    pub = T.read("published_estimates")
    cited = {m.group() for v in pub.to_numpy().ravel() for m in LITERAL.finditer(str(v))}
    # cited names and windows that the static scan allow-lists (the literal's text is the citation)
    cited |= {year for _, _, year in ALLOWED}
    t = {n: T.read(n) for n in ("scores", "models", "published_estimates", "events", "report2024")}
    cards = list(P.cards(t).values()) + list(geo.cards({n: T.read(n) for n in geo.TABLES}, geo.Settings()).values())
    bad = [f for c in cards for f in _card_text_findings(c, cited)]
    assert not bad, "years/dates in card text not drawn and not cited:\n" + "\n".join(bad)


def test_card_text_scan_catches_a_year_not_drawn():
    import altair as alt
    import pandas as pd
    from openclosed.cards import ChartCard
    d = pd.DataFrame({"date": ["2025-03-01"], "value": [1.0]})
    card = ChartCard("x", "Level since Mar 2025, snapshot 2031-07-31", "", alt.Chart(d).mark_point(), d, ["eci"],
                     alt="As of 2025.")
    found = _card_text_findings(card, set())
    assert len(found) == 1 and "'2031-07-31'" in found[0]
