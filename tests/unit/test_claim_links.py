"""The overview links each claim to the chart card that shows its evidence (claims.csv `evidence_card`): every
such key is a card registered on the claim's page, so no link lands on the top of a section or on nothing."""
from __future__ import annotations

import pytest

from openclosed import report, tables


@pytest.fixture(scope="module")
def claims():
    return tables.read("claims")


@pytest.fixture(scope="module")
def checked(checked_claims):
    return checked_claims


@pytest.fixture(scope="module")
def card_keys(default_cards):
    """Card keys of each section at its defaults, by the section's url path (the claims' `page`)."""
    return {s.url_path: set(default_cards[s.key]) for s in report.with_cards()}


def test_every_evidence_card_is_a_card_of_the_claims_page(checked, card_keys):
    linked = checked[checked["evidence_card"] != ""]
    assert len(linked) >= 8
    for row in linked.itertuples():
        assert row.evidence_card in card_keys.get(row.page, set()), \
            f"{row.claim_id}: no card '{row.evidence_card}' on /{row.page}"
    assert dict(zip(checked["claim_id"], checked["evidence_card"]))["c01_open_share_of_closed"] == "perf_gap"


def test_a_claim_without_an_evidence_card_links_to_its_section(checked):
    assert checked.set_index("claim_id").loc["c06_closed_token_share", "evidence_card"] == ""


def test_a_malformed_evidence_card_is_rejected_at_load(claims):
    bad = claims.copy()
    bad.loc[0, "evidence_card"] = "Perf Gap#top"
    with pytest.raises(tables.TableError):
        tables.validate("claims", bad)


def test_china_leads_claim_links_to_the_first_crossers_card(checked):
    # the evidence is who first crossed each open-frontier level, not release counts (geo_releases)
    assert checked.set_index("claim_id").loc["c05_china_leads_open", "evidence_card"] == "geo_open_frontier"
