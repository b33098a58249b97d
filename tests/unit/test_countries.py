"""The one country rule (openclosed.countries) every page uses."""
from __future__ import annotations

import pandas as pd

from openclosed import countries as K
from openclosed import geo, performance as P

USA, UK = "United States of America", "United Kingdom of Great Britain and Northern Ireland"


def test_joint_and_hong_kong_models_count_the_same_on_every_page():
    cases = {f"{USA},{UK}": {"us", "other"}, "Hong Kong": {"china"}, f"{USA},China": {"us", "china"},
             "China,China": {"china"}, "": set(), None: set()}
    for raw, want in cases.items():
        assert K.groups(raw) == frozenset(want)
        # Performance's filter and Geopolitics' US/China membership agree with the one rule
        assert set(P.country_group(raw).split(",")) - {""} == want
        assert geo.in_country(raw, geo.US) == ("us" in want)
        assert geo.in_country(raw, geo.CN) == ("china" in want)


def test_only_in_is_the_narrower_reading():
    assert K.only_in(USA, "us") and K.only_in(f"{USA},{USA}", "us")
    assert not K.only_in(f"{USA},{UK}", "us") and "us" in K.groups(f"{USA},{UK}")
    assert K.only_in("Hong Kong", "china")
    assert "Hong Kong counts as China" in K.RULE and "US-UK" in K.RULE


def test_us_only_share_of_open_releases():
    epoch = pd.DataFrame({"country": [USA, f"{USA},{UK}", USA, "China"], "openness": ["open_unrestricted", "open_unrestricted", "api", "api"],
                          "publication_date": ["2025-03-01"] * 4, "notable": [True] * 4, "large_scale": [False] * 4})
    only = geo.share_open_only_in(epoch, geo.Settings(), 2025, "us")
    # the joint US-UK open model is not US-only: 1 of 2, not 2 of 3
    assert (only["open"], only["n"]) == (1, 2) and only["share"] == 0.5
