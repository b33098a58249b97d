"""The docs cannot drift from the registries (in the style of Datasette's test_docs.py): every section, control and
data source the code declares is named in docs/, parametrised over the live registries, so adding one without
documenting it fails here."""
import importlib
from pathlib import Path

import pytest

from openclosed import report, sources, urlstate
from pipeline import sources as registry

DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.fixture(scope="module")
def docs() -> str:
    return "\n".join(p.read_text() for p in sorted(DOCS.glob("*.md")))


@pytest.mark.parametrize("section", report.SECTIONS, ids=lambda s: s.key)
def test_every_section_is_documented(section, docs):
    rows = [line for line in docs.splitlines()
            if f"`{section.page}`" in line and f"`{section.key}`" in line and section.title in line]
    assert rows, f"docs/PAGES.md has no row naming {section.page}, `{section.key}` and {section.title}"


CONTROLS = [(s.key, p.key) for s in report.SECTIONS for p in urlstate.params(s.key)]


@pytest.mark.parametrize("section, key", CONTROLS, ids=[k for _, k in CONTROLS])
def test_every_control_is_documented(section, key, docs):
    assert f"`{key}`" in docs, f"control {key} of section {section} is not in docs/PAGES.md"


MODULES = {importlib.import_module(f"pipeline.{name}").SPEC.key: name for name in registry.LOADERS + registry.DERIVED}


@pytest.mark.parametrize("source", sorted(set(registry.SPECS) | set(sources.SOURCES)))
def test_every_source_is_documented(source, docs):
    """Every source in the registry (pipeline/sources.py) and every one the app cites has a row in docs/PAGES.md
    naming its key and its module."""
    rows = [line for line in docs.splitlines() if line.startswith(f"| `{source}` |")]
    assert rows, f"source {source} has no row in docs/PAGES.md's data sources table"
    assert f"`pipeline/{MODULES[source]}.py`" in rows[0], f"docs/PAGES.md's row for {source} names another module"


def test_the_docs_name_the_functions_pages_call(docs):
    """Docs drift the issue found: `state.remember` (pages call `presenter.remember_view`) and `@st.fragment` for
    a page's controls (they are one `@shell.fragment`)."""
    import ui.presenter
    import ui.shell
    assert "presenter.remember_view" in docs and hasattr(ui.presenter, "remember_view")
    assert "state.remember(" not in docs and "Call `state.remember`" not in docs
    assert "shell.fragment" in docs and hasattr(ui.shell, "fragment")
    assert "can live in an `@st.fragment`" not in docs
