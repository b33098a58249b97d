"""Streamlit helpers: with pages/, the only place that imports streamlit."""
