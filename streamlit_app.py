"""Entry point: page config, navigation over pages/, the shared sidebar, presenter mode."""
import streamlit as st

from ui import card, presenter, sidebar, state

# An emoji favicon is drawn in the browser (a material icon one is fetched from fonts.gstatic.com).
st.set_page_config(page_title="Open vs Closed AI", page_icon="⚖️", layout="wide")

PAGES = [
    st.Page("pages/overview.py", title="Overview", icon=":material/home:", url_path="overview", default=True),
    st.Page("pages/performance.py", title="Performance", icon=":material/trending_up:", url_path="performance"),
    st.Page("pages/cost.py", title="Cost", icon=":material/payments:", url_path="cost"),
    st.Page("pages/risk.py", title="Risk", icon=":material/warning:", url_path="risk"),
    st.Page("pages/geopolitics.py", title="Geopolitics", icon=":material/public:", url_path="geopolitics"),
    st.Page("pages/advisor.py", title="Which should I use?", icon=":material/alt_route:", url_path="advisor"),
    st.Page("pages/data_methods.py", title="Data & methods", icon=":material/dataset:", url_path="data"),
]

page = st.navigation(PAGES)
card.page_styles()
with state.noting_ignored_link_values():
    sidebar.render()
    share_slot = st.sidebar.empty()
    presenter.render_sidebar_tools()
    if st.session_state.get("presenter"):
        presenter.render_presenter()
    else:
        page.run()
presenter.render_share_box(share_slot, page.url_path)
