"""Presenter mode (the report's chart cards as slides), the share link and the slide-deck export.

A presenter link carries presenter mode, the slide number and every control of every section: each section's
settings come from the URL (read and cleaned as its page reads them, `openclosed.urlstate`), else from what the
reader last set on its page, else its defaults; presenter mode keeps them all in the URL.
"""
from __future__ import annotations

from concurrent import futures
from urllib.parse import urlencode

import streamlit as st

from openclosed import deck, export, jobs, report, urlstate, vintage
from openclosed.cards import ChartCard, source_line
from openclosed.text import markdown_literal
from ui import data, shell, state

SLIDE_FONT = 18            # px: chart text on a slide
CHART_HEIGHT = 330         # px: the chart's nominal height; on screen it fills the height left under the title
SLIDE_BOX = (1200, 430)    # px: the box a fixed-size chart is laid out for (the chart area's aspect on a 16:9
                           # screen); the browser scales it to the real box


def presenter_cards(section_key: str, settings) -> list[ChartCard]:
    """A section's cards for these settings, from the same server-wide cache as every other view."""
    return list(state.cards(section_key, settings).values())


@st.cache_resource(show_spinner=False, max_entries=256)
def _from_query(section_key: str, query: tuple) -> object:
    return urlstate.settings_from_query(section_key, dict(query), data.LazyTables())


def _section_query(section_key: str, query: dict[str, list[str]]) -> tuple:
    prefix = urlstate.PREFIX.get(section_key, section_key + "_")
    return tuple(sorted((k, tuple(v)) for k, v in query.items() if k.startswith(prefix)))


def current_settings(query: dict[str, list[str]] | None = None) -> tuple:
    """(section key, settings) for every built section: from the URL when it names the section's controls,
    else what the reader last set on the section's page, else the defaults."""
    query = state.query() if query is None else query
    pairs = []
    for section in report.with_cards():
        own = _section_query(section.key, query)
        if own:
            settings = _from_query(section.key, own)
        else:
            settings = state.current(section)
        pairs.append((section.key, settings))
    return tuple(pairs)


def report_cards(settings: tuple | None = None) -> list[ChartCard]:
    """Every chart card of the report, in reading order, with each section's current settings (or defaults)."""
    return [card for key, section_settings in settings or current_settings()
            for card in presenter_cards(key, section_settings)]


@st.cache_resource(show_spinner=False, max_entries=state.VIEWS_KEPT)
def _slides(settings: tuple) -> list[deck.Slide]:
    return deck.slides(report_cards(settings))


@st.cache_resource(show_spinner=False, max_entries=512)
def _slide_spec(settings: tuple, i: int) -> dict:
    """Slide i's chart laid out for the screen: the container's width and height, slide-sized fonts."""
    spec = export.sized_spec(_slides(settings)[i].spec, *SLIDE_BOX, font=SLIDE_FONT)
    if "width" in spec and not any(k in spec for k in ("hconcat", "vconcat", "concat")):
        spec["width"] = spec["height"] = "container"
    return spec


def as_of() -> str:
    """The data vintage (openclosed.vintage: the newest dated source snapshot), the date links carry too; without
    data/source_dates.csv, the newest snapshot in the provenance."""
    from ui import links
    snapshots = [s["snapshot"] for p in data.provenance().values() for s in p["sources"] if s["id"] != "curated"]
    return links.current_date() or max(snapshots)


# ---- presenter mode -------------------------------------------------------------------------------------------
def slide_number(n: int) -> int:
    """The slide in the URL (`slide=3`), clamped to 1..n; anything else is slide 1."""
    try:
        i = int(float(st.query_params.get("slide", "1")))
    except (ValueError, OverflowError):
        i = 1
    return min(max(i, 1), max(n, 1))


def _go(i: int) -> None:
    st.query_params["slide"] = str(i)


def _exit() -> None:
    st.session_state["presenter"] = False



def render_presenter() -> None:
    """One slide per chart card (or panel), big, with previous/next, arrow keys and a counter."""
    # The title's font is sized so a line holds deck.SLIDE_LINE_EMS ems (two lines take any short title, in the app's
    # font or the browser's fallback); the clamp is a last guard. --oc-slide-styled tells a test the sheet applies.
    st.html(  # noqa: safe-html (only a numeric constant, deck.SLIDE_LINE_EMS, is formatted in)
        f"""<style>
[data-testid='stSidebar'], [data-testid='stSidebarCollapsedControl'] {{display: none !important;}}
[data-testid='stMainBlockContainer'] {{padding: 3.6rem 5rem 0.5rem !important; max-width: 100% !important;
  height: calc(100vh - 4px); box-sizing: border-box;}}
[data-testid='stMainBlockContainer'] > div {{gap: 0.4rem !important; height: 100%;}}
.st-key-slide_head {{--oc-slide-styled: 1;}}
.st-key-slide_head h1 {{font-size: min(2.6rem, calc((100vw - 10rem) / {deck.SLIDE_LINE_EMS:g})) !important;
  line-height: 1.2 !important; padding: 0 !important; margin: 0 !important; display: -webkit-box !important;
  -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow: hidden;}}
.st-key-slide_head [data-testid='stCaptionContainer'] p {{font-size: 1.05rem; display: -webkit-box;
  -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow: hidden;}}
[data-testid='stLayoutWrapper']:has(> .st-key-slide_chart) {{flex: 1 1 0 !important; min-height: 0 !important;
  height: auto !important;}}
.st-key-slide_chart {{height: 100% !important; overflow: hidden !important;}}
.st-key-slide_foot [data-testid='stCaptionContainer'] p {{font-size: 0.95rem;}}
</style>""")
    settings = current_settings()
    slides = _slides(settings)
    if not slides:
        st.info("No chart cards yet: presenter mode has nothing to show.")
        return
    _keep_sections_in_url(settings)
    n = len(slides)
    i = slide_number(n)
    if st.query_params.get("slide") != str(i):
        st.query_params["slide"] = str(i)
    s = slides[i - 1]
    prev, counter, share, leave, nxt = st.columns([1, 3, 1, 1, 1], vertical_alignment="center")
    prev.button("Previous", icon=":material/arrow_back:", on_click=_go, args=(max(i - 1, 1),), key="slide_prev",
                width="stretch", disabled=i == 1, help="Left arrow or Page Up")
    counter.markdown(f"**Slide {i} of {n}** · {s.card.page}" + (f" · {s.part}" if s.part else ""))
    with share.popover("Link", icon=":material/link:", width="stretch"):
        st.code(share_url(_current_path()), language=None, wrap_lines=True)
        st.caption("Opens this slide with every setting"
                   + (f": {markdown_literal(s.card.settings)}." if s.card.settings else "."))   # link text
    leave.button("Exit", icon=":material/close:", on_click=_exit, key="slide_exit", width="stretch")
    nxt.button("Next", icon=":material/arrow_forward:", on_click=_go, args=(min(i + 1, n),), key="slide_next",
               width="stretch", disabled=i == n, help="Right arrow or Page Down")
    with st.container(key="slide_head"):
        st.title(s.title, anchor=False)
        st.caption(export.static_text(s.card.subtitle))
    with st.container(key="slide_chart", height=CHART_HEIGHT, border=False):      # CSS: fills the rest
        st.vega_lite_chart(_slide_spec(settings, i - 1), width="stretch", height="stretch")
    with st.container(key="slide_foot"):
        st.caption(f"{source_line(s.card.sources)}. Data as of {as_of()}.")
    st.html("""<script>
if (!window.__slideKeys) {
  window.__slideKeys = true;
  document.addEventListener('keydown', (e) => {
    const step = {ArrowRight: 'next', PageDown: 'next', ArrowLeft: 'prev', PageUp: 'prev'}[e.key];
    if (!step || e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.target.closest && e.target.closest('input, textarea, select, [role=slider], [contenteditable=true]')) return;
    const button = document.querySelector('.st-key-slide_' + step + ' button');
    if (!button || button.disabled) return;
    e.preventDefault();
    button.click();
  });
  // A chart of fixed size (facets, side-by-side panels) is scaled down to fit the slide's chart box; a chart sized
  // to its container already fits. Vega's SVG keeps a viewBox, so it scales without distortion.
  let queued = false;
  const fit = () => {
    queued = false;
    const box = document.querySelector('.st-key-slide_chart');
    const svg = box && box.querySelector('.vega-embed svg');
    const vb = svg && svg.viewBox && svg.viewBox.baseVal;
    if (!vb || !vb.width || !vb.height) return;
    const scale = Math.min(1, box.clientWidth / vb.width, (box.clientHeight - 8) / vb.height);
    const shrink = scale < 0.97;                 // a container-sized chart is within a few px of its box
    const w = shrink ? `${Math.floor(vb.width * scale)}px` : '';
    const h = shrink ? `${Math.floor(vb.height * scale)}px` : '';
    if (svg.style.width !== w) svg.style.width = w;
    if (svg.style.height !== h) svg.style.height = h;
  };
  const later = () => { if (!queued) { queued = true; requestAnimationFrame(fit); } };
  new MutationObserver(later).observe(document.body, {subtree: true, childList: true, attributes: true,
                                                      attributeFilter: ['viewBox', 'width', 'height']});
  window.addEventListener('resize', later);
}
</script>""", unsafe_allow_javascript=True)


def _keep_sections_in_url(settings: tuple) -> None:
    """Every section's controls stay in the URL while its page is not on screen."""
    keep = {}
    query = state.query()
    for key, _ in settings:
        own = {k: v for k, v in query.items() if k.startswith(urlstate.PREFIX.get(key, key + "_"))}
        keep.update(own or state.recall_query(key))
    state.keep_in_url(keep)


def _current_path() -> str:
    base = (st.context.url or "").split("?")[0].rstrip("/")
    return base.rsplit("/", 1)[-1] if "/" in base.split("://", 1)[-1] else ""


# ---- the share link --------------------------------------------------------------------------------------------
def share_url(url_path: str) -> str:
    """The link to this exact view: the page plus every URL-bound control's current value."""
    base = (st.context.url or "http://localhost:8501").split("?")[0].rstrip("/")
    for path in [s.url_path for s in report.SECTIONS]:
        if base.endswith("/" + path):       # st.context.url may already end with a page path
            base = base[: -len(path) - 1]
            break
    from ui import links                   # the link carries the data vintage it was made on (v=YYYY-MM-DD)
    pairs = [(k, v) for k, values in state.query().items() if k != vintage.PARAM for v in values]
    made_on = links.current_date()
    query = urlencode([*pairs, *([(vintage.PARAM, made_on)] if made_on else [])])
    return f"{base}/{url_path}" + (f"?{query}" if query else "")


def render_share_box(slot, url_path: str) -> None:
    """Fill the sidebar slot with the link to this view. The box shows the browser's own address, kept current in
    the page, so it stays right after a rerun of part of a page (a fragment), which never reaches the sidebar."""
    remember_page_query(url_path)
    from ui import links
    with slot.container():
        box = SHARE_BOX.replace("__VINTAGE__", links.current_date())      # an ISO date from data/ (or '')
        st.html(box, unsafe_allow_javascript=True)  # noqa: safe-html


def remember_page_query(url_path: str) -> None:
    """Keep the page's own URL parameters in the session: presenter mode puts them back in the URL."""
    section = next((s for s in report.SECTIONS if s.url_path == url_path), None)
    if section is not None and not st.session_state.get("presenter"):
        prefix = urlstate.PREFIX.get(section.key, section.key + "_")
        state.remember_query(section.key, {k: v for k, v in state.query().items() if k.startswith(prefix)})


# The share box: the address bar's link (every bound control is in it), updated as the page changes it, with a copy
# button (the clipboard API where the page is a secure context, else a selected text field and execCommand).
SHARE_BOX = """<div class="oc-share">
<p style="font-weight:600;margin:0 0 0.3rem 0">Share this view</p>
<code class="oc-share-link" style="display:block;white-space:pre-wrap;overflow-wrap:anywhere;font-size:0.8rem;
 background:#F0F2F6;color:#14161E;padding:0.5rem;border-radius:0.5rem"></code>
<button type="button" class="oc-share-copy" style="margin-top:0.3rem;padding:0.2rem 0.7rem;border-radius:0.5rem;
 border:1px solid #8A8F98;background:#FFFFFF;color:#14161E;font-size:0.85rem;cursor:pointer">Copy link</button>
<p style="font-size:0.85rem;color:#444444;margin:0.3rem 0 0 0">Every control is in this link: opening it
reproduces the view. It names the data it was made on (v=__VINTAGE__): opened after an update, it shows what
changed.</p>
<p class="oc-share-long" role="status" style="display:none;font-size:0.85rem;color:#8A2A00;margin:0.3rem 0 0 0">
This link is too long to open reliably (over 8,000 characters; servers refuse requests over about 16 KB). Remove
the values you did not set from the address, or use the slide deck.</p>
</div>
<script>
(() => {
  const LONG = 8000;           // characters: the request line stays well under the server's 16 KB header limit
  const VINTAGE = '__VINTAGE__';   // the data vintage this view shows: the link says which data it was made on
  const link = () => { const u = new URL(location.href); if (VINTAGE) u.searchParams.set('v', VINTAGE);
    return u.toString(); };
  const show = () => document.querySelectorAll('.oc-share').forEach((box) => {
    const el = box.querySelector('.oc-share-link');
    const href = link();
    if (el.textContent !== href) el.textContent = href;
    const note = box.querySelector('.oc-share-long');
    const display = href.length > LONG ? 'block' : 'none';
    if (note.style.display !== display) note.style.display = display; });
  show();
  if (window.__ocShare) return;
  window.__ocShare = setInterval(show, 250);
  document.addEventListener('click', (e) => {
    const button = e.target.closest && e.target.closest('.oc-share-copy');
    if (!button) return;
    const done = () => { button.textContent = 'Copied'; setTimeout(() => { button.textContent = 'Copy link'; }, 1500); };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(link()).then(done);
      return;
    }
    const field = document.createElement('textarea');
    field.value = link();
    document.body.appendChild(field);
    field.select();
    document.execCommand('copy');
    field.remove();
    done();
  });
})();
</script>"""


# ---- the deck ------------------------------------------------------------------------------------------------
DECK_FILE = "open-vs-closed-ai.pptx"
DECK_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


def render_sidebar_tools():
    """Drop a stale `slide` from the URL outside presenter mode; return the sidebar slot the deck goes in (filled
    by `render_deck` after the page ran, when every control of the page counts)."""
    if st.query_params.get("slide") and not st.session_state.get("presenter"):
        del st.query_params["slide"]
    return st.sidebar.empty()


def render_deck(slot) -> None:
    """The deck: built only when asked, from exactly the settings on screen (read after the page ran), with a
    progress bar while it builds; then a download of that deck. A rerun never builds it; after a control change
    the built deck is no longer offered (it would be stale) and the build button is back. Builds run in `DECKS`,
    one at a time for the whole process, shared by readers asking for the same settings and data; the reader
    sees their place in line, then the build's progress. The session keeps its own deck's bytes for the download."""
    key = _deck_key()
    built = st.session_state.get("_deck")                  # (settings, as-of, bytes) of this session's last deck
    with slot.container():
        if (built is None or built[:2] != key) and st.button(
                "Build the report as slides (.pptx)", key="deck_build", icon=":material/slideshow:",
                width="stretch", help="Every chart with the settings you chose, one slide each."):
            pptx = _build_with_progress(*key)
            if pptx is not None:
                built = st.session_state["_deck"] = (*key, pptx)
        fresh = built is not None and built[:2] == key
        st.session_state["_deck_offered"] = key if fresh else None
        if fresh:
            st.download_button("Download the slides (.pptx)", data=lambda deck_file=built[2]: deck_file,
                               file_name=DECK_FILE, mime=DECK_MIME, icon=":material/download:", key="deck_download",
                               on_click="ignore", width="stretch", type="primary")
            st.caption("Built for the settings on screen.")
        elif built is not None:
            st.caption("Settings changed since the last deck: build it again to include them.")


def remember_view(section_key: str, settings) -> None:
    """Call from a page's controls fragment once it has read its widgets: keep the settings and the page's URL
    parameters for presenter mode and the deck, and withdraw a built deck these settings made stale."""
    state.remember(section_key, settings)
    remember_page_query(report.section(section_key).url_path)
    refresh_if_deck_stale()


def refresh_if_deck_stale() -> None:
    """Call from a fragment after it changed settings: a fragment's rerun does not reach the sidebar, so when a
    built deck is on offer for other settings, rerun the whole app to withdraw it (see `render_deck`)."""
    offered = st.session_state.get("_deck_offered")
    if offered is not None and offered != _deck_key():
        st.session_state["_deck_offered"] = None       # once: the full rerun reaches this line again
        st.rerun(scope="app")


def _deck_key() -> tuple:
    """What a deck is built from: every section's settings on screen, and the data's as-of date."""
    return current_settings(), as_of()


# Deck builds for every reader of this process: one at a time (a build already draws its pictures on two threads,
# so one build keeps both cores busy; twenty at once took twenty times as long each and slowed every page), in the
# order asked; a reader asking for a deck with the same settings and data joins the build or takes the kept result.
DECKS = jobs.Jobs(workers=1, keep=4, name="deck")
POLL_S = 0.25                # how often a waiting reader's progress is redrawn


def _build_with_progress(settings: tuple, date: str) -> bytes:
    n = len(_slides(settings))
    cards = report_cards(settings)            # cached cards, computed in the reader's run (not in the worker)
    job = DECKS.submit((settings, date),
                       lambda progress: deck.build_deck(cards, "Open vs Closed AI", date, progress=progress))
    with st.status(f"Building {n} slides...", expanded=True) as status:
        bar = st.progress(0.0, text="In line for the slide builder")
        with shell.letting_others_run():         # the wait needs no turn: other readers' runs go on meanwhile
            shown = None
            while not job.finished:
                ahead = DECKS.ahead_of(job)
                if job.started:
                    now = f"Drawing chart {job.done_steps} of {job.total_steps or n}"
                elif ahead:
                    now = f"In line: {ahead} deck{'s' if ahead != 1 else ''} to build before yours"
                else:
                    now = "Next in line: another reader's deck is being drawn"
                if now != shown:
                    bar.progress(job.done_steps / job.total_steps if job.started and job.total_steps else 0.0,
                                 text=now)
                    shown = now
                futures.wait([job.future], timeout=POLL_S)
        try:
            data = job.result()
        except Exception as err:                 # noqa: BLE001 - the reader gets a message, the page goes on
            status.update(label="The slides could not be built", state="error", expanded=True)
            st.error(f"Building the deck failed ({type(err).__name__}). Try again; if it fails again, the charts "
                     "can still be downloaded one by one from each card.")
            return None
        status.update(label=f"Deck ready: {n} slides", state="complete", expanded=False)
    return data
