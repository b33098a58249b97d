"""Entry point: page config, navigation over the sections in openclosed/report.py, the shared sidebar,
presenter mode and the share box."""
import streamlit as st

from ui import card, data, links, presenter, shell, sidebar, state

# An emoji favicon is drawn in the browser (a material icon one is fetched from fonts.gstatic.com).
st.set_page_config(page_title="Open vs Closed AI", page_icon="⚖️", layout="wide")

with shell.one_run_at_a_time():        # one script run at a time per process: see ui/shell.py
    page = shell.navigation()
    embed = links.embed_key()          # (the URL's values are known once navigation has run)
    if embed is not None:              # ?embed=<card key>: that chart alone, to show inside another site's page
        links.render_embed(embed)
        st.stop()
    card.page_styles()
    card.card_anchors()
    with state.noting_ignored_link_values():
        sidebar.render()
        share_slot = st.sidebar.empty()
        deck_slot = presenter.render_sidebar_tools()
        data.stop_if_unreadable(data.tables_for(page.url_path, bool(st.session_state.get("presenter"))))
        if st.session_state.get("presenter"):
            presenter.render_presenter()
        else:
            links.since_link_panel()
            shell.data_age(page.url_path)
            shell.run(page)
    presenter.render_share_box(share_slot, page.url_path)
    presenter.render_deck(deck_slot)
    links.page_citation_for(page.url_path)
