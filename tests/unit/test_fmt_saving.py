"""fmt.saving and fmt.open_saving: a negative saving is worded from the cheaper side and never exceeds 100%."""
from openclosed import fmt


def test_positive_saving_is_open_cheaper():
    assert fmt.saving(80) == "open is 80% cheaper"
    assert fmt.open_saving(80) == "80%"


def test_negative_saving_is_closed_cheaper_as_closed_saving_against_open():
    # open costs 4.78x closed: closed saves 1 - 1/4.78 = 79% against open
    assert fmt.saving(-378) == "closed is 79% cheaper"
    assert fmt.saving(-25) == "closed is 20% cheaper"
    assert fmt.open_saving(-378) == "none"


def test_level_and_missing():
    assert fmt.saving(0.2) == "open and closed cost the same"
    assert fmt.saving(None) == "no comparable price"
    assert fmt.open_saving(None) == fmt.NA
    assert fmt.open_saving(0.4) == "none"


def test_one_rounding_rule_in_text_and_chart():
    # Vega-Lite's d3 format rounds 12.25 half away from zero; fmt does the same (Python's f-string gives 12.2)
    assert fmt.num(12.25, 1) == "12.3"
    assert fmt.num(-12.25, 1) == "-12.3"
