"""Entry point: page config, navigation over the sections in openclosed/report.py, the shared sidebar,
presenter mode and the share box."""
import streamlit as st

from ui import presenter, shell, sidebar, state

st.set_page_config(page_title="Open vs Closed AI", page_icon=":material/balance:", layout="wide")

page = shell.navigation()
with state.noting_ignored_link_values():
    sidebar.render()
    share_slot = st.sidebar.empty()
    presenter.render_sidebar_tools()
    if st.session_state.get("presenter"):
        presenter.render_presenter()
    else:
        shell.run(page)
presenter.render_share_box(share_slot, page.url_path)
