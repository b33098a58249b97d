"""The toy-table factory gives schema-valid tables with the values asked for, and rejects bad rows clearly."""
import pytest

from openclosed.tables import TABLES, TableError
from tests import factories


def test_rows_keep_their_values_and_get_every_column():
    m = factories.table("models", [{"model_id": "a", "openness": "api"},
                                   {"model_id": "b", "openness": "open_unrestricted"}])
    assert list(m.columns) == list(TABLES["models"].columns)
    assert m["model_id"].tolist() == ["a", "b"]
    assert m["open_weights"].tolist() == [False, True]          # follows openness


def test_a_bad_value_names_the_column_and_an_unknown_column_is_refused():
    with pytest.raises(TableError, match="model_id"):
        factories.table("models", [{"model_id": "Not An Id"}])
    with pytest.raises(ValueError, match="no column"):
        factories.table("scores", [{"model_id": "a", "colour": "red"}])
