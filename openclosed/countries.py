"""Which country group a model belongs to: the one rule every page uses (Performance's country filter,
Geopolitics' US-China comparisons and regions, the Overview's numbers).

A model's countries are those of its developers, as Epoch lists them (comma-joined for joint work). The rule:

- **a model counts for every country its developers are in**: a joint US-UK model (Google DeepMind's) counts
  as US, and as UK; a US-China collaboration counts for both;
- **Hong Kong counts as China**;
- a model without a country counts in no group (only under "all countries").

``RULE`` words this for the cards; ``only_in`` gives the narrower "developed in this country alone" count a
card can show beside it.
"""
from __future__ import annotations

US, CN = "United States", "China"
US_GROUP, CHINA_GROUP, OTHER_GROUP = "us", "china", "other"

COUNTRY_NAMES = {
    "United States of America": US,
    "USA": US,
    "United Kingdom of Great Britain and Northern Ireland": "United Kingdom",
    "Korea (Republic of)": "South Korea",
    "Republic of Korea": "South Korea",
    "Iran (Islamic Republic of)": "Iran",
    "Russian Federation": "Russia",
    "Czech Republic": "Czechia",
    "Netherlands (Kingdom of the)": "Netherlands",
    "Viet Nam": "Vietnam",
    "Türkiye": "Turkey",
    "Taiwan, Province of China": "Taiwan",
}
CHINA_ALIASES = frozenset({CN, "Hong Kong"})

RULE = ("Country rule: a model counts for every country its developers are in (joint US-UK models such as "
        "Google DeepMind's count as US; a US-China collaboration counts for both), and Hong Kong counts as China.")


def normalize_country(name: str) -> str:
    """One country name as Epoch spells it -> the short name used here ('' for empty)."""
    if not isinstance(name, str):
        return ""
    n = " ".join(name.split())
    return COUNTRY_NAMES.get(n, n)


def split_countries(raw) -> tuple[str, ...]:
    """Epoch's comma-joined country string -> distinct normalized countries, in order of first mention.

    'China,China' -> ('China',); '' or NaN -> ()."""
    if not isinstance(raw, str) or not raw.strip():
        return ()
    out: list[str] = []
    for part in raw.split(","):
        c = normalize_country(part)
        if c and c not in out:
            out.append(c)
    return tuple(out)


def group_of_country(country: str) -> str:
    """One normalized country -> 'us', 'china' or 'other' ('' for none)."""
    if not country:
        return ""
    if country == US:
        return US_GROUP
    if country in CHINA_ALIASES:
        return CHINA_GROUP
    return OTHER_GROUP


def groups(raw) -> frozenset[str]:
    """Every group a model counts for under ``RULE`` (empty when it has no country)."""
    return frozenset(g for g in (group_of_country(c) for c in split_countries(raw)) if g)


def in_country(raw, country: str) -> bool:
    """Whether a model counts for one country under ``RULE`` (China includes Hong Kong)."""
    countries = split_countries(raw)
    if country == CN:
        return any(c in CHINA_ALIASES for c in countries)
    return country in countries


def only_in(raw, group: str) -> bool:
    """Whether every developer of a model is in ``group`` (the narrower reading: US-only, China-only)."""
    g = groups(raw)
    return g == frozenset({group})


def group_label(raw) -> str:
    """The groups a model counts for, joined: 'us', 'china', 'other', 'other,us' ... ('' for none)."""
    return ",".join(sorted(groups(raw)))
