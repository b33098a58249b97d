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
