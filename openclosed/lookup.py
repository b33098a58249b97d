"""Find a model: everything the catalog knows about one model, so a reader can check a join in seconds."""
from __future__ import annotations

import dataclasses

import pandas as pd

from openclosed.openness import LABELS


@dataclasses.dataclass(frozen=True)
class ModelCard:
    model_id: str
    name: str
    family: str
    organization: str
    release_date: str
    openness: str
    openness_label: str
    license: str
    openness_basis: str
    openness_source: str
    openness_conflict: str
    mentions: pd.DataFrame      # source, source_id, name, method, reason
    scores: pd.DataFrame        # source, metric, value, date, snapshot, variant
    prices: pd.DataFrame        # price_kind, provider, input/output USD per Mtok, as_of
    family_members: pd.DataFrame  # model_id, name, release_date, openness


def _text(value) -> str:
    """A catalog cell as text: '' for an empty cell (NaN or None), so no 'nan' reaches the page."""
    return "" if value is None or (isinstance(value, float) and value != value) else str(value)


def options(models: pd.DataFrame) -> list[tuple[str, str]]:
    """(model_id, label) for a picker, newest first, label = 'Name (org, date)'."""
    m = models.sort_values(["release_date", "model_id"], ascending=[False, True], kind="mergesort")
    return [(r.model_id, f"{r.name} ({r.organization or 'unknown org'}, {r.release_date or 'no date'})")
            for r in m.itertuples()]


def find_model(model_id: str, models: pd.DataFrame, mentions: pd.DataFrame, scores: pd.DataFrame,
               prices: pd.DataFrame) -> ModelCard:
    """The card of one model. Raises KeyError with a clear message for an unknown id."""
    hit = models[models["model_id"] == model_id]
    if hit.empty:
        raise KeyError(f"no model with id '{model_id}' in the catalog")
    r = hit.iloc[0]
    ment = mentions.loc[mentions["model_id"] == model_id, ["source", "source_id", "name", "method", "reason"]]
    sc = scores.loc[scores["model_id"] == model_id, ["source", "metric", "value", "date", "snapshot", "variant"]]
    pr = prices.loc[prices["model_id"] == model_id,
                    ["price_kind", "provider", "input_usd_per_mtok", "output_usd_per_mtok", "as_of", "source"]]
    fam = models.loc[(models["family"] == r["family"]) & (models["model_id"] != model_id),
                     ["model_id", "name", "release_date", "openness"]]
    return ModelCard(
        model_id=model_id, name=_text(r["name"]), family=_text(r["family"]), organization=_text(r["organization"]),
        release_date=_text(r["release_date"]), openness=_text(r["openness"]),
        openness_label=LABELS.get(r["openness"], _text(r["openness"])),
        license=_text(r.get("license", "")), openness_basis=_text(r.get("openness_basis", "")),
        openness_source=_text(r["openness_source"]), openness_conflict=_text(r.get("openness_conflict", "")),
        mentions=ment.sort_values(["source", "source_id"]).reset_index(drop=True),
        scores=sc.sort_values(["metric", "snapshot", "source"]).reset_index(drop=True),
        prices=pr.sort_values(["price_kind", "provider"]).reset_index(drop=True),
        family_members=fam.sort_values(["release_date", "model_id"]).reset_index(drop=True),
    )


BASIS_TEXT = {
    "override": "a reviewed override",
    "curated_license": "the licence the weights were released under (pipeline/curated/licenses.csv)",
    "license": "the licence text a source gives",
    "epoch": "Epoch AI's reviewed accessibility class",
    "flag": "only a bare open-weights flag (licence not known)",
    "none": "no source",
}


def openness_sentence(card: ModelCard) -> str:
    """'Open weights (unrestricted): MIT, from the licence the weights were released under (curated).'"""
    text = card.openness_label
    if card.license:
        text += f": {card.license}"
    text += f", from {BASIS_TEXT.get(card.openness_basis, card.openness_basis)}"
    if card.openness_source not in ("", "none", "curated", "override"):
        text += f" ({card.openness_source})"
    if card.openness_conflict:
        text += f". Sources disagree: {card.openness_conflict}"
    return text + "."
