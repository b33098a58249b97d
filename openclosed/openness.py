"""Openness classes (Epoch AI's accessibility categories) and mappings from each source's flag."""
from __future__ import annotations

import re

OPEN_CLASSES = ("open_unrestricted", "open_restricted", "open_noncommercial")
CLASSES = OPEN_CLASSES + ("api", "hosted", "unreleased", "unknown")
# Closed: no downloadable weights (an unreleased model is closed too); "unknown" is neither open nor closed
CLOSED_CLASSES = ("api", "hosted", "unreleased")

# What counts as open: the one rule every page offers (`is_open`), key -> label shown and written to the URL
OPEN_RULES = {"any": "Any open weights", "unrestricted": "Unrestricted licences only"}
# labels older links carry -> the rule they meant (Geopolitics said "licence")
OPEN_RULE_OLD_LABELS = {"Unrestricted licence only": "unrestricted"}

LABELS = {
    "open_unrestricted": "Open weights (unrestricted)",
    "open_restricted": "Open weights (restricted use)",
    "open_noncommercial": "Open weights (non-commercial)",
    "api": "API access",
    "hosted": "Hosted access (no API)",
    "unreleased": "Unreleased",
    "unknown": "Unknown",
}

_EPOCH = {v: k for k, v in LABELS.items() if k != "unknown"}

_PERMISSIVE = re.compile(r"apache|\bmit\b|bsd|cc[- ]?by[- ]?4|cc-by-4|openrail|unlicense|modified mit", re.I)
_NONCOMMERCIAL = re.compile(r"non[- ]?commercial|\bnc\b|cc[- ]?by[- ]?nc|research", re.I)
_CLOSED = re.compile(r"^\s*(proprietary|propretary|closed)\s*$", re.I)


def from_epoch(accessibility: str | None) -> str:
    """Epoch's 'Model accessibility' string -> class ('' when empty or unknown)."""
    if not accessibility or not isinstance(accessibility, str):
        return ""
    return _EPOCH.get(accessibility.strip(), "")


def from_license(license_text: str | None) -> str:
    """A licence string (LMArena, models.dev) -> class ('' when empty)."""
    if not license_text or not isinstance(license_text, str) or not license_text.strip():
        return ""
    if _CLOSED.match(license_text):
        return "api"
    if _NONCOMMERCIAL.search(license_text):
        return "open_noncommercial"
    if _PERMISSIVE.search(license_text):
        return "open_unrestricted"
    return "open_restricted"


def from_flag(is_open: bool | None) -> str:
    """A bare open-weights boolean -> class. True is assumed unrestricted; Epoch data overrides it."""
    if is_open is None:
        return ""
    return "open_unrestricted" if bool(is_open) else "api"


def is_open(openness: str, rule: str = "any") -> bool:
    """Whether a class counts as open under a rule: 'any' open weights, or 'unrestricted' only."""
    if rule == "unrestricted":
        return openness == "open_unrestricted"
    return openness in OPEN_CLASSES
