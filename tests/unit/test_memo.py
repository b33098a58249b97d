"""openclosed.memo.per_inputs: one computation per set of input objects, by identity."""
import pandas as pd

from openclosed.memo import per_inputs


def test_same_objects_computed_once_equal_copies_computed_again():
    calls = []

    @per_inputs
    def total(frame):
        calls.append(1)
        return float(frame["x"].sum())

    frame = pd.DataFrame({"x": [1.0, 2.0]})
    assert total(frame) == 3.0 and total(frame) == 3.0 and len(calls) == 1
    assert total(frame.copy()) == 3.0 and len(calls) == 2          # an equal copy is another object
    other = pd.DataFrame({"x": [5.0]})
    assert total(other) == 5.0 and total(frame) == 3.0 and len(calls) == 3


def test_plain_values_are_compared_by_value_tables_by_identity():
    calls = []

    @per_inputs(kept=4)
    def rows_of(frame, model_id):
        calls.append(model_id)
        return len(frame[frame["id"] == model_id])

    frame = pd.DataFrame({"id": ["a", "b", "b"]})
    assert rows_of(frame, "b") == 2 and rows_of(frame, "".join(["b"])) == 2 and calls == ["b"]   # an equal string
    assert rows_of(frame, "a") == 1 and calls == ["b", "a"]
    assert rows_of(frame.copy(), "a") == 1 and calls == ["b", "a", "a"]
