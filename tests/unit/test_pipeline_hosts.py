from pathlib import Path

import pandas as pd

from pipeline import hosts

RAW = Path("/work/shared/raw/models_dev/models_dev_providers.csv")
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "raw" / "models_dev" / "models_dev_provider_models.csv"


def test_every_provider_is_classified():
    table = hosts.load_hosts()
    # every fixture provider except the made-up deprecated "oldhost"
    providers = set(pd.read_csv(FIXTURE, dtype=str)["provider_id"]) - {"oldhost"} | {"openrouter", "artificial_analysis"}
    if RAW.exists():
        providers |= set(pd.read_csv(RAW, dtype=str)["id"])
    assert providers - set(table.index) == set()
    assert (table["reason"].str.len() > 10).all() and table["source"].str.startswith("http").all()


def test_roles_and_counting_rule():
    t = hosts.load_hosts()
    assert t.at["openrouter", "role"] == "router" and t.at["poe", "role"] == "reseller"
    assert t.at["togetherai", "role"] == "inference_host" and t.at["openai", "role"] == "lab"
    assert hosts.counts("togetherai", open_weights=True, own_lab=False)
    assert not hosts.counts("togetherai", open_weights=False, own_lab=False)   # closed model: resale
    assert hosts.counts("amazon-bedrock", open_weights=False, own_lab=False)   # licensed cloud
    assert hosts.counts("openai", open_weights=False, own_lab=True)
    assert not hosts.counts("openrouter", open_weights=True, own_lab=False)
    assert not hosts.counts("zai-coding-plan", open_weights=True, own_lab=True)
    assert not hosts.counts("unknown-provider", open_weights=True, own_lab=False)


def test_flag_prices_below_lab_list():
    prices = pd.DataFrame({
        "model_id": ["m", "m", "m", "n"], "source": ["models_dev", "models_dev", "openrouter", "openrouter"],
        "source_id": ["lab/m", "lab/m", "lab/m", "lab/n"],
        "price_kind": ["lab_list", "cheapest_host", "host", "host"],
        "provider": ["openai", "azure", "openrouter", "openrouter"],
        "input_usd_per_mtok": [2.0, 1.0, 2.0, 1.0], "output_usd_per_mtok": [8.0, 8.0, 8.0, 1.0],
    })
    out = hosts.flag_prices(prices)
    assert list(out["below_lab_list"]) == ["", "yes", "no", ""]
    assert list(out["host_role"]) == ["lab", "inference_host", "router", "router"]
