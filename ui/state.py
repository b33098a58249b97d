"""Per-session memory of each section's settings, and each section's chart cards by key (cached).

Pages, presenter mode and the deck all get cards through `cards()`, so they show the same ones."""
from __future__ import annotations

import contextlib

import streamlit as st

from openclosed import report, urlstate
from openclosed.text import markdown_literal
from openclosed.cards import ChartCard
from ui import data, prebuilt


def remember(section: str, settings) -> None:
    """Call from a page after reading its widgets: presenter mode and the deck reuse these settings."""
    st.session_state[f"_settings_{section}"] = settings


def upgrade_old_link(section: str) -> None:
    """Call before a section's widgets: a link value spelled as an older version spelled it (`Param.old_labels`)
    becomes the current label, so the widget takes it instead of falling back to its default."""
    given = {k: st.query_params.get(k) for k in st.query_params}
    for key, (label, option) in urlstate.upgraded_link(section, given).items():
        st.query_params[key] = label
        st.session_state[key] = option
        st.session_state.setdefault(UPGRADED, {})[key] = label     # the link note reads the upgraded value


UPGRADED = "_link_values_upgraded"


def recall(section: str):
    return st.session_state.get(f"_settings_{section}")


def current(section: report.Section):
    """The settings the reader last set on a section's page, else its defaults."""
    return recall(section.key) or report.default_settings(section)


# Views (one combination of a section's controls) each cached function keeps per server process. Cached objects are
# shared, not copied; a crowd trying many combinations keeps this many per function and evicts the oldest
# (bench/soak.py: with 64 a process grew by about 500 MB in 10 minutes of random settings).
VIEWS_KEPT = 16


@st.cache_resource(show_spinner="Computing the charts...", max_entries=VIEWS_KEPT)
@prebuilt.kept
def cards(section_key: str, settings=None) -> dict[str, ChartCard]:
    """A section's chart cards by key, for `settings` (its defaults when None), from the tables it declares, with
    the settings as text for slide footers. Built once per server and shared (never copied): presenter mode and
    the deck read them here."""
    section = report.section(section_key)
    return report.section_cards(section, {name: data.table(name) for name in section.tables}, settings)


# Cards cached one by one (sections that declare `CARD_READS`): as many as VIEWS_KEPT views of Geopolitics' eight
# cards, what its per-view cache held before, so memory stays as bounded (bench/soak.py).
CARDS_KEPT = VIEWS_KEPT * 8


def card(section_key: str, key: str, settings) -> ChartCard:
    """One card of a section for `settings`, cached on just the fields it reads (`report.card_reads`): a control
    change rebuilds only the cards that read it, and readers whose settings agree on those fields share the card."""
    section = report.section(section_key)
    return _card(section_key, key, report.only(settings, report.card_reads(section)[key]))


@st.cache_resource(show_spinner=False, max_entries=CARDS_KEPT)
@prebuilt.kept
def _card(section_key: str, key: str, narrow) -> ChartCard:
    section = report.section(section_key)
    return report.section_card(section, {name: data.table(name) for name in section.tables}, narrow, key)


# ------------------------------------------------------------------ link values the controls did not accept
# Streamlit's bind="query-params" drops a link value it cannot use and shows the default without a word. To say so,
# this watches the widgets a page sends (their label and URL key), then checks each link value given for them with
# Streamlit's own URL parsing and the widget's options. Both use Streamlit internals (pinned to 1.67.x).

@contextlib.contextmanager
def noting_ignored_link_values():
    """Run the page inside; then, at the top of the page, name every link value a control did not accept."""
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx
    ctx = get_script_run_ctx()
    if ctx is None:
        yield
        return
    given = {k: st.query_params.get_all(k) for k in st.query_params}
    slot = st.container()
    widgets: dict[str, tuple[str, str]] = {}          # URL key -> (widget id, label)
    send = ctx._enqueue

    def watch(msg):
        if given and msg.WhichOneof("type") == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            proto = getattr(element, element.WhichOneof("type") or "", None)
            key = getattr(proto, "query_param_key", "")
            if key in given:
                widgets[key] = (proto.id, proto.label)
        send(msg)

    ctx._enqueue = watch
    try:
        yield
    finally:
        ctx._enqueue = send
    notes = []
    upgraded = st.session_state.pop(UPGRADED, {})
    for key, (widget_id, label) in widgets.items():
        meta = ctx.session_state._state._new_widget_state.widget_metadata.get(widget_id)
        if key in upgraded:
            given[key] = [upgraded[key]]
        if meta is not None and not link_value_accepted(meta, given[key]):
            current = st.session_state.get(key)
            shown = "the default" if current == meta.deserializer(None) else _quoted(meta.serializer(current))
            value = _quoted(given[key]) if any(given[key]) else "(empty)"
            notes.append(f"Link value {value} for '{label}' was not recognised; showing {shown}.")
    if notes:
        slot.info("\n\n".join(notes), icon=":material/link_off:")


def _quoted(value) -> str:
    """A value from the link, shortened and with markdown/HTML characters escaped: shown as text, never as markup."""
    text = ", ".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)
    return "'" + markdown_literal(text, limit=40) + "'"


def link_value_accepted(meta, values: list[str]) -> bool:
    """Whether a widget takes the URL value(s) as given (not dropped, filtered, clamped or reformatted)."""
    from streamlit.runtime.state.query_params import is_empty_url_value, parse_url_param
    raw = values[0] if len(values) == 1 else values
    if is_empty_url_value(raw):
        return bool(meta.clearable)
    try:
        parsed = parse_url_param(raw, meta.value_type)
        value = meta.deserializer(parsed)
        if meta.formatted_options is not None and meta.value_type in ("string_value", "string_array_value"):
            items = parsed if isinstance(parsed, list) else [parsed]
            if any(item not in meta.formatted_options for item in items):
                return False
        return meta.serializer(value) == parsed
    except (ValueError, TypeError, IndexError, KeyError):
        return False


def remember_query(section: str, query: dict[str, list[str]]) -> None:
    """The section's URL parameters as its page last left them: presenter mode puts them back in the URL."""
    st.session_state[f"_query_{section}"] = query


def recall_query(section: str) -> dict[str, list[str]]:
    return st.session_state.get(f"_query_{section}", {})


def query() -> dict[str, list[str]]:
    """The URL's query parameters as {key: [values]} (a range or a multi-select repeats its key)."""
    return {k: st.query_params.get_all(k) for k in st.query_params}


def keep_in_url(params: dict[str, list[str]]) -> None:
    """Put these parameters in the URL and keep them there although their widgets are not on screen.

    Streamlit drops a bound parameter from the URL when its widget unmounts (as a page's controls do when
    presenter mode replaces the page), so the binding is released first and the parameter is set as a plain
    one. The page's widgets bind it again when the page shows, and read the same value."""
    if not params:
        return
    try:
        from streamlit.runtime.state.session_state_proxy import get_session_state
        with get_session_state().query_params() as qp:
            for key in params:
                binding = qp.get_binding_for_param(key)
                if binding is not None:
                    qp.unbind_widget(binding.widget_id)
    except (ImportError, AttributeError):      # another Streamlit version: the next rerun restores them
        params = {k: v for k, v in params.items() if k not in st.query_params}
    st.query_params.update({k: v if len(v) > 1 else v[0] for k, v in params.items()})
