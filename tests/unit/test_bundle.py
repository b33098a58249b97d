"""A data bundle per chart, and the whole report's tables as one: rows, metadata.json, README."""
import io
import json
import zipfile

import altair as alt
import pandas as pd

from openclosed import bundle
from openclosed.cards import ChartCard
from openclosed.sources import SOURCES
from openclosed.vintage import Vintage

V = Vintage("2026-08-22", (("eci", "2026-07-31"), ("swebench", "2025-12-10")))


def _card():
    df = pd.DataFrame({"date": ["2026-01-01", "2026-02-01"], "lag_months": [6.0, 5.0], "name": ["=cmd()", "B"]})
    chart = alt.Chart(df).mark_line().encode(x=alt.X("date:T", title="Release date"),
                                             y=alt.Y("lag_months:Q", title="Lag (months)"))
    return ChartCard(key="perf_lag", title="Open trails by 5 months", subtitle="s", chart=chart, data=df,
                     sources=["eci", "swebench", "eci"], alt="a line", method="Level method.", settings="ECI")


def _open(data: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(data))


def test_card_bundle_holds_rows_metadata_and_readme():
    z = _open(bundle.card_bundle(_card(), V, "https://x.org/performance?v=2026-08-22"))
    assert sorted(z.namelist()) == ["README.md", "metadata.json", "perf_lag_eci.csv"]
    rows = pd.read_csv(z.open("perf_lag_eci.csv"))
    assert rows["lag_months"].tolist() == [6.0, 5.0] and rows["name"].iloc[0] == "'=cmd()"   # formula neutralised
    meta = json.loads(z.read("metadata.json"))
    assert [s["id"] for s in meta["sources"]] == ["eci", "swebench"]
    assert [s["license"] for s in meta["sources"]] == [SOURCES["eci"]["license"], "CC BY-NC 4.0"]
    cols = {c["name"]: c for c in meta["columns"]}
    assert cols["lag_months"]["unit"] == "months" and cols["lag_months"]["chart_title"] == "Lag (months)"
    assert cols["date"]["unit"] == "date (YYYY-MM-DD)"
    assert meta["vintage"] == {"date": "2026-08-22", "link_parameter": "v=2026-08-22",
                               "sources": {"eci": "2026-07-31", "swebench": "2025-12-10"}}
    assert (meta["method"], meta["settings"], meta["rows"]) == ("Level method.", "ECI", 2)
    readme = z.read("README.md").decode()
    assert "2026-08-22" in readme and SOURCES["swebench"]["citation"] in readme


def test_same_card_gives_the_same_bytes():
    assert bundle.card_bundle(_card(), V) == bundle.card_bundle(_card(), V)


def test_report_bundle_lists_every_table_and_its_sources():
    tables = {"claims": pd.DataFrame({"claim_id": ["c1"]}), "prices": pd.DataFrame({"input_usd_per_mtok": [1.5]})}
    prov = {"claims": {"description": "Claims", "key": ["claim_id"], "sources": [{"id": "curated"}]},
            "prices": {"description": "Prices", "key": [], "sources": [{"id": "openrouter"}, {"id": "models_dev"}]}}
    z = _open(bundle.report_bundle(tables, prov, V))
    assert sorted(z.namelist()) == ["README.md", "claims.csv", "metadata.json", "prices.csv"]
    meta = json.loads(z.read("metadata.json"))
    assert meta["tables"]["prices"]["sources"] == ["openrouter", "models_dev"]
    assert meta["tables"]["prices"]["columns"][0]["unit"] == "USD per million tokens"
    assert {s["id"]: s["license"] for s in meta["sources"]} == {k: SOURCES[k]["license"]
                                                              for k in ("curated", "openrouter", "models_dev")}


def test_the_report_bundle_of_the_real_tables_names_every_source_and_licence_of_each_table():
    from openclosed import tables as T
    from openclosed import vintage
    prov = T.provenance()
    small = {name: T.read(name).head(3) for name in sorted(prov)}     # the rows do not matter here, the metadata does
    meta = json.loads(_open(bundle.report_bundle(small, prov, vintage.of(T.read("source_dates")))).read("metadata.json"))
    assert set(meta["tables"]) == set(prov)
    licences = {s["id"]: s["license"] for s in meta["sources"]}
    for name, p in prov.items():
        assert meta["tables"][name]["sources"] == [s["id"] for s in p["sources"]]
        assert all(licences[s["id"]] for s in p["sources"])
