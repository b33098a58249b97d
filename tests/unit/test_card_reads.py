"""Cards cached on the settings they read (`CARD_READS` beside a section's card builders; `ui.state.card`).

A card built from only the fields it declares must equal the card built from the full settings, for settings that
move each of the section's fields off its default in turn: a field a card reads but does not declare would let a
reader see a card cached for someone else's settings. Alternatives come from the control declarations
(`openclosed.urlstate`), so a new control is covered with no edit here."""
from __future__ import annotations

import dataclasses
import json
import math

import pytest

from openclosed import report, tables, urlstate

DECLARING = [s for s in report.with_cards() if report.card_reads(s)]


@pytest.fixture(scope="module")
def loaded():
    return {name: tables.read(name) for name in tables.TABLES}


def alternatives(section: report.Section, loaded) -> list[tuple[str, object]]:
    """(description, settings) with one declared control moved off its default, for every control with a field;
    two values each where the control has more than two."""
    default = report.default_settings(section)
    out = []
    for p in urlstate.params(section.key):
        if p.field is None:
            continue
        if p.kind == "bool":
            values = [{p.field: not getattr(default, p.field)}]
        elif p.kind == "range":
            a, b = p.field
            lo, hi = getattr(default, a), getattr(default, b)
            options = list(p.labels(loaded)) if p.labels is not None else list(range(int(p.bounds[0]),
                                                                                     int(p.bounds[1]) + 1))
            values = [{a: options[min(options.index(lo) + 2, options.index(hi))]},
                      {b: options[max(options.index(hi) - 2, options.index(lo))]}]
        elif p.kind == "number":
            lo, hi = p.bounds
            now = getattr(default, p.field)
            picks = [lo, hi] if math.isfinite(lo) and math.isfinite(hi) else [now * 2 or 1]
            values = [{p.field: p.cast(v * p.scale)} for v in picks if p.cast(v * p.scale) != now]
        elif p.labels is not None:
            options = [o for o in p.labels(loaded) if o != getattr(default, p.field)]
            values = [{p.field: o} for o in options[:1] + options[-1:]]
        else:
            continue
        out += [(f"{k}={v}", dataclasses.replace(default, **{k: v}).clean()) for change in values
                for k, v in change.items()]
    return out


def _content(card) -> tuple:
    return (card.title, card.subtitle, card.alt, card.method, json.dumps(card.spec, sort_keys=True, default=str),
            None if card.data is None else card.data.to_csv(index=False))


@pytest.mark.parametrize("section", DECLARING, ids=lambda s: s.key)
def test_a_card_built_on_its_declared_fields_equals_the_full_build(section, loaded):
    mod = report.module(section)
    assert list(report.card_reads(section)) == list(report.section_cards(section, loaded)), \
        "every card declares what it reads, in page order"
    fields = {f.name for f in dataclasses.fields(mod.Settings)}
    for key, reads in report.card_reads(section).items():
        assert set(reads) <= fields, f"{key} declares fields Settings does not have: {set(reads) - fields}"
    for what, settings in alternatives(section, loaded):
        full = report.section_cards(section, loaded, settings)
        for key in report.card_reads(section):
            assert _content(report.section_card(section, loaded, settings, key)) == _content(full[key]), \
                f"{key} reads a field it does not declare ({what})"


@pytest.mark.parametrize("section", DECLARING, ids=lambda s: s.key)
def test_the_narrow_card_names_only_the_settings_it_reads(section, loaded):
    """The slide footer of a card cached on a few fields words those fields (so a shared card never names
    another reader's settings)."""
    default = report.default_settings(section)
    changed = {f.name: getattr(s, f.name) for _, s in alternatives(section, loaded) for f in dataclasses.fields(s)
               if getattr(s, f.name) != getattr(default, f.name)}
    settings = dataclasses.replace(default, **changed).clean()
    for key, reads in report.card_reads(section).items():
        card = report.section_card(section, loaded, settings, key)
        assert card.settings == report.label(report.only(settings, reads))
