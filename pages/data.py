"""Data & methods: every curated table, its schema and provenance, previews and downloads."""
import streamlit as st

from openclosed import export
from ui import changelog, data, find_model, links, yours
from ui import shell

shell.enter()  # a deep link on a fresh server runs the whole app

st.title("Data & methods")
st.markdown(
    "Every number in this report is computed from the tables below. A pipeline builds them from "
    "public datasets (Epoch AI, Artificial Analysis, models.dev, OpenRouter, LMArena, LiveBench, "
    "SWE-bench, MLPerf and a GPU price tracker), checks each against a schema, and records where it "
    "came from. Rebuild them with `python -m pipeline.build`."
)

prov = data.provenance()
summary = [
    {"table": name, "rows": p["rows"], "columns": len(p["columns"]),
     "sources": ", ".join(s["name"] for s in p["sources"]),
     "as of": max(s["snapshot"] for s in p["sources"])}
    for name, p in sorted(prov.items())
]
st.subheader("Tables")
st.dataframe(summary, hide_index=True, width="stretch")
st.download_button("Download all tables as one bundle (zip)", data=links.report_bundle_maker(),
                   file_name="open-vs-closed-ai-tables.zip", mime="application/zip", key="dl_all_tables",
                   on_click="ignore", icon=":material/folder_zip:",
                   help="Every table as CSV, with metadata.json (each table's columns, units and sources with "
                   "licences; the data vintage) and a README.")

for name, p in sorted(prov.items()):
    with st.expander(f"**{name}**: {p['description']} ({p['rows']:,} rows)"):
        st.markdown("**Provenance**")
        for s in p["sources"]:
            st.markdown(f"- {s['name']}. License: {s['license']}. Snapshot: {s['snapshot']}. "
                        f"Cite as: *{s['citation']}*")
        st.markdown(f"**Key:** {', '.join(p['key'])}")
        st.markdown("**Schema** (checked when the pipeline writes the table and when the app loads it)")
        st.dataframe(data.schema(name), hide_index=True, width="stretch")
        st.markdown("**Preview** (first 100 rows)")
        st.dataframe(data.preview(name), hide_index=True, width="stretch")
        st.download_button(f"Download {name}.csv", data=lambda name=name: export.safe_csv(data.table(name)),
                           file_name=f"{name}.csv", mime="text/csv", key=f"dl_{name}", on_click="ignore")

st.subheader("Matching models across sources")
st.markdown(
    "Each source spells model names its own way. The pipeline normalizes names (case, separators, "
    "dates, reasoning-effort suffixes, word order) and applies a reviewed alias table for the rest. "
    "The table shows, per source, how many of its models were matched to a model that another source "
    "also has, and which notable models were left unmatched."
)
st.dataframe(data.preview("match_coverage", rows=None), hide_index=True, width="stretch")
find_model.render()
changelog.render()

st.subheader("Bring your own models")
st.markdown(
    "Add models of your own (a fine-tune, a vendor's quote) to compare them with the public data. "
    "They stay in your browser session only, are never stored on the server, and appear on the "
    "Performance and Cost charts marked **Yours**."
)
yours.render_upload()
