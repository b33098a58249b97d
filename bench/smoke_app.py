"""A tiny app with one control of each kind the load generator drives; it fails loudly on a value it did not offer,
so a wrongly encoded WidgetState shows up as an error in the load generator's smoke test."""
import streamlit as st

OPTIONS = ["LMArena rating", "Epoch Capabilities Index", "AA Intelligence Index"]
choice = st.selectbox("Yardstick", OPTIONS, key="metric")
rule = st.radio("What counts as open", ["Unrestricted", "Any licence"], horizontal=True)
flag = st.toggle("Include previews", value=True)
price = st.slider("Price threshold", 10.0, 50.0, 40.0, step=5.0)
months = st.select_slider("Range", options=["2023-01", "2023-06", "2024-01", "2024-06"], value=("2023-01", "2024-06"))
unit = st.segmented_control("Unit", ["Monthly", "Yearly"], default="Monthly")
st.sidebar.toggle("Presenter mode", key="presenter")     # sidebar: the load generator must leave it alone
if choice not in OPTIONS or rule not in ("Unrestricted", "Any licence") or unit not in ("Monthly", "Yearly", None):
    raise ValueError(f"unexpected value: {choice!r} {rule!r} {unit!r}")
if st.session_state.presenter:
    raise ValueError("the sidebar toggle was changed")
st.write(choice, rule, flag, price, months, unit)
