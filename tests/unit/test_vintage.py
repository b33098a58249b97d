import pandas as pd
import pytest

from openclosed import vintage


def _dates(rows):
    return pd.DataFrame(rows, columns=["source", "snapshot"])


def test_vintage_is_the_newest_source_snapshot_not_the_curated_date():
    v = vintage.of(_dates([("eci", "2026-03-09"), ("openrouter", "2026-08-22"), ("curated", "2026-11-24"),
                           ("mlperf", "")]))
    assert v.date == "2026-08-22"
    assert v.sources == (("curated", "2026-11-24"), ("eci", "2026-03-09"), ("openrouter", "2026-08-22"))
    assert "v=2026-08-22" in v.line()


def test_no_dated_source_is_a_clear_error():
    with pytest.raises(ValueError, match="no vintage"):
        vintage.of(_dates([("mlperf", "")]))


@pytest.mark.parametrize("value", [None, "", "yesterday", "2026-02-30", "2026-8-1", ["x"], 20260822,
                                   "2026-08-22<script>"])
def test_malformed_link_vintage_is_none(value):
    assert vintage.parse(value) is None


def test_link_vintage_older_than_data():
    assert vintage.parse(["2026-07-31"]) == "2026-07-31"
    assert vintage.parse(["bad"]) is None
