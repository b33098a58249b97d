"""Overview: the state of play in five numbers, the claims check, and a guided tour."""
import streamlit as st

from openclosed import claim_yardsticks, claims, overview, report, tables
from ui import data
from ui.card import card_link
from ui import shell

shell.enter()  # a deep link on a fresh server runs the whole app

BADGE = {claims.SUPPORTED: ("green", ":material/check_circle:"),
         claims.PARTLY: ("orange", ":material/contrast:"),
         claims.NOT_SUPPORTED: ("red", ":material/cancel:"),
         claims.UNTESTABLE: ("gray", ":material/help:")}
PAGE_FILE = {s.url_path: s.page for s in report.SECTIONS}
DATA_PAGE = report.section("data").page


@st.cache_resource(show_spinner="Computing the state of play...")
def _overview():
    """Saved by the build for exactly these tables (fast first page), else computed live."""
    saved = overview.saved_state(tables.DATA_DIR)
    if saved is not None:
        return saved
    return overview.state_of_play({name: data.table(name) for name in data.provenance()})


st.title("Open vs closed AI: the state of play")
if not st.session_state.get("presenter"):
    st.markdown(
        "Open-weight models, whose weights anyone can download and run, are said to be closing in on the "
        "closed models sold through APIs. This report checks that story against public data: benchmark "
        "scores, prices, listings and release records. Every number below is computed live from the data, "
        "by the same code and default settings as the section it links to."
    )

numbers, checked = _overview()
for row in (numbers[:3], numbers[3:]):
    for col, n in zip(st.columns(3), row):
        with col.container(border=True, height="stretch"):
            st.metric(n["label"], n["value"], help=n["detail"])
            st.caption(f"{n['detail']} As of {n['as_of']}.")
            st.page_link(PAGE_FILE.get(n["page"], DATA_PAGE), label="Open the section",
                         icon=":material/arrow_forward:")

st.header("Do the popular claims hold up?")
st.markdown(
    "The article this report answers makes the claims below. Each is paraphrased, tested against a number "
    "computed from the data (or a cited published figure), and given a verdict by one rule for all: "
    "**supported** when the evidence falls in the claimed range, **partly supported** when it misses by at "
    "most half the range's width or its interval overlaps the range, **not supported** otherwise. A claim about "
    "capability is judged on the freshest yardstick that scores enough recent open and closed models, named with "
    "the date its data end, and read again on every other yardstick; where they disagree, it says so."
)
counts = checked["verdict"].value_counts()
st.caption(" · ".join(f"{counts.get(v, 0)} {v}" for v in claims.VERDICTS))
for row in checked.itertuples():
    colour, icon = BADGE[row.verdict]
    with st.container(border=True):
        left, right = st.columns([5, 1], vertical_alignment="center")
        left.markdown(f"**{row.claim}**")
        with right:
            st.badge(row.verdict, color=colour, icon=icon)
            if not getattr(row, "yardsticks_agree", True):
                st.badge("mixed across yardsticks", color="gray", icon=":material/call_split:")
        st.markdown(row.reason)
        # a claim resting on a capability yardstick: how it reads on every yardstick (openclosed.claim_yardsticks)
        if getattr(row, "on_yardsticks", ""):
            st.caption(row.on_yardsticks)
            with st.expander("The claim on every yardstick"):
                st.dataframe(claim_yardsticks.readings_frame(row.readings), hide_index=True)
        if row.source and row.source != "computed":
            st.caption(f"Published figure: {row.source}")
        # The chart card that shows the evidence (claims.csv `evidence_card`), else the section.
        if row.page in PAGE_FILE and row.evidence_card:
            st.markdown(f":material/insert_chart: [See the chart that shows it]"
                        f"({card_link(row.page, row.evidence_card)})")
        else:
            st.page_link(PAGE_FILE.get(row.page, DATA_PAGE), label="See the section that shows it",
                         icon=":material/insert_chart:")

st.header("A guided tour")
st.markdown("Read the sections in this order; each answers one question.")
for i, section in enumerate((s for s in report.SECTIONS if not s.default), start=1):
    st.page_link(section.page, label=f"{i}. {section.title}: {section.question}")
