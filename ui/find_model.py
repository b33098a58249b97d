"""The 'Find a model' view on Data & methods: pick a model, see its identity, licence, ids, scores and prices."""
from __future__ import annotations

import streamlit as st

from openclosed import lookup
from ui import data, shell, state


@st.cache_resource(show_spinner=False)
def _options() -> list[tuple[str, str]]:
    return lookup.options(data.table("models"))


@st.cache_resource(show_spinner=False, max_entries=state.VIEWS_KEPT)
def _model_card(model_id: str) -> lookup.ModelCard:
    return lookup.find_model(model_id, data.table("models"), data.table("mentions"), data.table("scores"),
                             data.table("prices"), data.table("organizations"))


@shell.fragment
def render() -> None:
    """A fragment: picking a model reruns only this view, not the Data page's tables."""
    st.subheader("Find a model")
    st.markdown(
        "Pick any model to see the checkpoint it stands for, its family, the organizations behind it, its licence "
        "class with where that class comes from and what shows the weights exist, its release date and which "
        "source gave it, every source id matched to it (and why), its scores and its prices."
    )
    opts = _options()
    labels = dict(opts)
    default = next((i for i, (mid, _) in enumerate(opts) if mid == "deepseek-r1"), 0)
    model_id = st.selectbox("Model", [mid for mid, _ in opts], index=default, format_func=labels.get,
                            key="find_model")
    try:
        card = _model_card(model_id)
    except KeyError as err:
        st.warning(str(err))
        return
    st.markdown(f"**{card.name}** (`{card.model_id}`), family `{card.family}`.")
    st.markdown(f"**Organization:** {lookup.organization_sentence(card)}")
    st.markdown(f"**Date:** {lookup.date_sentence(card)}")
    st.markdown(f"**Weights:** {lookup.openness_sentence(card)} {lookup.weights_sentence(card)}".strip())
    st.markdown(f"**Source ids** ({len(card.mentions)}), with how each was matched:")
    st.dataframe(card.mentions, hide_index=True, width="stretch")
    if len(card.family_members):
        st.markdown("**Other checkpoints in the family**")
        st.dataframe(card.family_members, hide_index=True, width="stretch")
    st.markdown(f"**Scores** ({len(card.scores)})")
    st.dataframe(card.scores, hide_index=True, width="stretch")
    st.markdown(f"**Prices** ({len(card.prices)}), USD per million tokens, with the date each was taken")
    st.dataframe(card.prices, hide_index=True, width="stretch")
