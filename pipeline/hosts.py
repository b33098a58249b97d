"""Which providers count as a host for "cheapest host" (pipeline/curated/hosts.csv).

Columns: provider (models.dev provider id, or "openrouter" / "artificial_analysis"), name,
role (lab | inference_host | reseller | router | reference), counts_as_host (yes | no),
closed_models (yes | own | no: whether its price counts for closed-weights models: any, only the
lab's own, none), reason, source (the provider's documentation).

A provider's price counts for a model when counts_as_host is yes and either the model's weights
are open, or closed_models is yes (a cloud licensed to serve the weights), or closed_models is
own and the provider is the model's lab. Resellers, routers and subscription plans never count.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

HOSTS_CSV = Path(__file__).resolve().parent / "curated" / "hosts.csv"
ROLES = ("lab", "inference_host", "reseller", "router", "reference")


@lru_cache(maxsize=1)
def load_hosts(path: Path = HOSTS_CSV) -> pd.DataFrame:
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    bad = df[~df["role"].isin(ROLES) | ~df["counts_as_host"].isin(["yes", "no"])
             | ~df["closed_models"].isin(["yes", "own", "no"])]
    if len(bad) or df["provider"].duplicated().any():
        raise ValueError(f"{path.name}: bad or duplicate rows: {bad['provider'].tolist()}")
    return df.set_index("provider", drop=False)


def role(provider: str) -> str:
    hosts = load_hosts()
    return hosts.at[provider, "role"] if provider in hosts.index else ""


def counts(provider: str, open_weights: bool, own_lab: bool) -> bool:
    """Whether this provider's price is a host price for a model (see module docstring)."""
    hosts = load_hosts()
    if provider not in hosts.index or hosts.at[provider, "counts_as_host"] != "yes":
        return False
    closed = hosts.at[provider, "closed_models"]
    return open_weights or closed == "yes" or (closed == "own" and own_lab)


def flag_prices(prices: pd.DataFrame) -> pd.DataFrame:
    """Add host_role and below_lab_list ("yes"/"no"; "" when the model has no lab list price or
    the row is the lab list price itself): a price whose blended (3:1) price is under the lab's."""
    blend = (3 * prices["input_usd_per_mtok"] + prices["output_usd_per_mtok"]) / 4
    lab = prices[prices["price_kind"] == "lab_list"]
    # the lab price of the same source row when there is one, else the model's lowest lab price
    by_row = dict(zip(zip(lab["source"], lab["source_id"]), blend[lab.index]))
    by_model = blend[lab.index].groupby(lab["model_id"]).min().to_dict()
    below = []
    for i, kind, model_id, key in zip(prices.index, prices["price_kind"], prices["model_id"],
                                      zip(prices["source"], prices["source_id"])):
        ref = by_row.get(key, by_model.get(model_id))
        below.append("" if ref is None or kind == "lab_list" else ("yes" if blend[i] < ref - 1e-9 else "no"))
    return prices.assign(host_role=prices["provider"].map(role), below_lab_list=below)
