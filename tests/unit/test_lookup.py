import pytest

from openclosed import lookup, tables


@pytest.fixture(scope="module")
def t():
    return {n: tables.read(n) for n in ("models", "mentions", "scores", "prices")}


def test_find_model_card(t):
    card = lookup.find_model("deepseek-r1-may-2025", t["models"], t["mentions"], t["scores"], t["prices"])
    assert card.release_date == "2025-05-28"
    assert card.license == "MIT" and card.openness == "open_unrestricted"
    assert ("livebench", "deepseek-r1-0528") in set(zip(card.mentions["source"], card.mentions["source_id"]))
    assert "deepseek-r1" in set(card.family_members["model_id"])
    assert len(card.scores) > 0
    assert "MIT" in lookup.openness_sentence(card)


def test_unknown_model_gives_clear_error(t):
    with pytest.raises(KeyError, match="no model with id"):
        lookup.find_model("no-such-model", t["models"], t["mentions"], t["scores"], t["prices"])


def test_card_shows_organization_entity_date_source_and_weights_evidence(t):
    orgs = tables.read("organizations")
    card = lookup.find_model("deepseek-r1-may-2025", t["models"], t["mentions"], t["scores"], t["prices"], orgs)
    assert list(card.organizations["org_id"]) == ["deepseek"]
    assert lookup.organization_sentence(card) == "DeepSeek (company, China)"
    assert lookup.date_sentence(card) == "Released 2025-05-28, the release date epoch_models states."
    assert "huggingface.co/deepseek-ai/DeepSeek-R1-0528" in lookup.weights_sentence(card)
    closed = lookup.find_model("gemini-2-5-pro", t["models"], t["mentions"], t["scores"], t["prices"], orgs)
    assert lookup.weights_sentence(closed) == ""


def test_date_sentence_says_when_a_date_is_a_listing():
    card = lookup.ModelCard(
        model_id="m", name="M", family="m", organization="", release_date="2025-01-02", openness="api",
        openness_label="API", license="", openness_basis="none", openness_source="none", openness_conflict="",
        mentions=None, scores=None, prices=None, family_members=None, release_date_source="openrouter",
        release_date_kind="first_listed")
    assert lookup.date_sentence(card).startswith("Released 2025-01-02, the day openrouter first listed it")
    assert lookup.organization_sentence(card) == "unknown"
    undated = lookup.ModelCard(**{**card.__dict__, "release_date": "", "release_date_kind": ""})
    assert lookup.date_sentence(undated).startswith("Release date unknown")


def test_default_view_never_says_nan(t):
    # deepseek-r1 (the default pick) has no openness conflict: the cell is empty (NaN when read), and the old
    # card printed "Sources disagree: nan"
    card = lookup.find_model("deepseek-r1", t["models"], t["mentions"], t["scores"], t["prices"])
    assert card.openness_conflict == "" and "nan" not in lookup.openness_sentence(card).lower()
    import pandas as pd
    toy = pd.DataFrame([{"model_id": "x", "name": "X", "family": "x", "organization": float("nan"),
                         "release_date": float("nan"), "openness": "api", "openness_source": "epoch",
                         "license": float("nan"), "openness_basis": "epoch", "openness_conflict": float("nan")}])
    c = lookup.find_model("x", toy, t["mentions"].iloc[:0], t["scores"].iloc[:0], t["prices"].iloc[:0])
    assert (c.organization, c.release_date, c.license, c.openness_conflict) == ("", "", "", "")
    assert "Sources disagree" not in lookup.openness_sentence(c)
