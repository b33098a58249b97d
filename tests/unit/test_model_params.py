"""Parameter counts for sizing the model the reader picks (pipeline/model_params.py, cost.model_sizes) and the GPU
datasheet table (pipeline/gpu_specs.py)."""
import pandas as pd
import pytest

from openclosed import tables
from openclosed import cost
from pipeline import gpu_specs, model_params


def test_curated_params_are_cited_and_consistent():
    df = model_params.build()
    assert df["source"].str.len().gt(0).all() and df["url"].str.startswith("https://").all()
    known = df.dropna(subset=["active_params_b"])
    assert (known["active_params_b"] <= known["params_b"]).all()
    assert known["active_source"].str.len().gt(0).all()
    assert set(df["model_id"]) <= set(tables.read("models")["model_id"])        # every row names a catalog model
    v4 = df.set_index("model_id").loc["deepseek-v4-flash-0731"]
    assert (v4["params_b"], v4["active_params_b"]) == (284.0, 13.0)
    assert "earlier checkpoint" in v4["source"]                                # inherited, and says so
    pd.testing.assert_frame_equal(tables.read("model_params")[list(df.columns)].reset_index(drop=True),
                                  df.reset_index(drop=True), check_dtype=False)


def test_model_sizes_precedence_and_active_counts():
    models = pd.DataFrame({"model_id": ["v4", "q", "oss", "k"],
                           "name": ["DeepSeek V4 Flash", "Qwen3.5 35B A3B", "gpt-oss-120b", "Kimi K9"],
                           "id_epoch_models": ["", "", "gpt-oss-120b", ""]})
    epoch = pd.DataFrame({"model": ["gpt-oss-120b"], "parameters": [116.83e9]})
    params = pd.DataFrame({"model_id": ["v4"], "params_b": [284.0], "active_params_b": [13.0],
                           "source": ["Epoch AI notable models 2026-07-15, 'DeepSeek-V4-Flash'"]})
    z = cost.model_sizes(models, epoch, params).set_index("model_id")
    assert (z.loc["v4", "params_b"], z.loc["v4", "active_params_b"]) == (284.0, 13.0)
    assert (z.loc["q", "params_b"], z.loc["q", "active_params_b"], z.loc["q", "size_source"]) == (35.0, 3.0,
                                                                                                   "its name")
    assert z.loc["oss", "params_b"] == pytest.approx(116.83) and pd.isna(z.loc["oss", "active_params_b"])
    assert "k" not in z.index                                                 # no count anywhere: a stand-in
    assert cost.active_from_name("Qwen3-235B-A22B") == 22.0 and cost.active_from_name("Llama 3.3 70B") is None


def test_gpu_specs_are_cited_and_cover_the_rented_gpus():
    df = gpu_specs.build()
    assert df["url"].str.startswith("https://").all() and df["source"].str.len().gt(0).all()
    rented = set(tables.read("gpu_prices")["gpu"])
    assert rented <= set(df["gpu"])
    mem = df.set_index("gpu")["memory_gb"]
    assert (mem["H100 SXM5"], mem["H200"], mem["B200"], mem["MI300X"], mem["L40S"]) == (80, 141, 180, 192, 48)
