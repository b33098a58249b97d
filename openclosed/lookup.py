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
    release_date_source: str = ""   # the source that gave the date ('curated' for a reviewed row)
    release_date_kind: str = ""     # release | first_listed | curated
    weights_evidence: str = ""      # for open weights: the link, Epoch class, licence text or cited row
    organizations: pd.DataFrame = dataclasses.field(default_factory=pd.DataFrame)  # org_id, name, type, country, parent


def _text(value) -> str:
    """A catalog cell as text: '' for an empty cell (NaN or None), so no 'nan' reaches the page."""
    return "" if value is None or (isinstance(value, float) and value != value) else str(value)


def options(models: pd.DataFrame) -> list[tuple[str, str]]:
    """(model_id, label) for a picker, newest first, label = 'Name (org, date)'."""
    m = models.sort_values(["release_date", "model_id"], ascending=[False, True], kind="mergesort")
    return [(r.model_id, f"{r.name} ({r.organization or 'unknown org'}, {r.release_date or 'no date'})")
            for r in m.itertuples()]


ORG_COLUMNS = ["org_id", "name", "type", "country", "parent"]


def find_model(model_id: str, models: pd.DataFrame, mentions: pd.DataFrame, scores: pd.DataFrame,
               prices: pd.DataFrame, organizations: pd.DataFrame | None = None) -> ModelCard:
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
    org_ids = [o for o in _text(r.get("org_ids", "")).split(";") if o]
    orgs = pd.DataFrame(columns=ORG_COLUMNS)
    if organizations is not None and org_ids:
        known = organizations.set_index("org_id")
        orgs = pd.DataFrame([{"org_id": o, **{c: known.at[o, c] for c in ORG_COLUMNS[1:]}}
                             for o in org_ids if o in known.index], columns=ORG_COLUMNS).fillna("")
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
        release_date_source=_text(r.get("release_date_source", "")),
        release_date_kind=_text(r.get("release_date_kind", "")),
        weights_evidence=_text(r.get("weights_evidence", "")),
        organizations=orgs,
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


DATE_KIND_TEXT = {
    "release": "the release date {source} states",
    "first_listed": "the day {source} first listed it (a listing date: the release may be earlier)",
    "curated": "a reviewed correction (pipeline/curated/release_dates.csv)",
}


def date_sentence(card: ModelCard) -> str:
    """'Released 2025-05-28, the release date epoch_models states.'"""
    if not card.release_date:
        return "Release date unknown: no source states one (a listing's or crawl's first day is never used)."
    how = DATE_KIND_TEXT.get(card.release_date_kind, "")
    return f"Released {card.release_date}" + (f", {how.format(source=card.release_date_source)}" if how else "") + "."


def organization_sentence(card: ModelCard) -> str:
    """'DeepSeek (company, China)'; a brand names its owner: 'Kimi (brand of moonshot-ai, China)'."""
    if card.organizations.empty:
        return card.organization or "unknown"
    parts = []
    for o in card.organizations.itertuples():
        kind = f"{o.type} of {o.parent}" if o.parent else o.type
        where = f", {o.country.replace(';', ' and ')}" if o.country else ""
        parts.append(f"{o.name} ({kind}{where})")
    return "; ".join(parts)


def weights_sentence(card: ModelCard) -> str:
    """What shows the weights were released; empty for a model without open weights."""
    return f"Evidence the weights were released: {card.weights_evidence}." if card.weights_evidence else ""
