"""Remember a pure function's result for the exact input objects (and plain values) it was last given."""
from __future__ import annotations

import functools

KEPT = 8        # input combinations remembered per function; then it starts again


VALUES = (str, int, float, bool, type(None))     # arguments compared by value; any other by identity


def per_inputs(func=None, *, kept: int = KEPT):
    """Remember `func(*args)` per set of argument objects: tables (any non-scalar) by identity (`is`, not `==`),
    strings and numbers by value. The app passes the same read-only tables on every run, so work that depends on
    the tables (and a few plain values, such as a model id) is done once per server instead of on every setting
    of the controls. Only for functions whose result the callers never modify. `kept`: combinations remembered.
    """
    if func is None:
        return functools.partial(per_inputs, kept=kept)
    memo: dict[tuple, tuple] = {}

    @functools.wraps(func)
    def remembered(*args):
        key = tuple((type(a), a) if isinstance(a, VALUES) else id(a) for a in args)
        known = memo.get(key)
        if known is not None and all(a is b for a, b in zip(known[0], args) if not isinstance(a, VALUES)):
            return known[1]
        result = func(*args)
        if len(memo) >= kept:
            memo.clear()
        memo[key] = (args, result)          # holding the arguments keeps their ids from being reused
        return result

    return remembered
