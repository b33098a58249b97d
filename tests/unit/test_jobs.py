"""The shared job queue behind the slide deck: bounded, in order, identical requests joined, results kept."""
from __future__ import annotations

import threading
import time

import pytest

from openclosed.jobs import Jobs


def _work(log: list, gate: threading.Event, value, steps: int = 2):
    def run(progress):
        log.append(("start", value))
        for i in range(1, steps + 1):
            progress(i, steps)
        gate.wait(5)
        log.append(("end", value))
        return value
    return run


def test_at_most_the_workers_run_and_the_others_wait_in_line():
    # the old way: every request built at once in its own thread; here one runs, the rest know their place
    jobs, log, gate = Jobs(workers=1), [], threading.Event()
    submitted = [jobs.submit(k, _work(log, gate, k)) for k in "abcd"]
    deadline = time.monotonic() + 5
    while not submitted[0].started and time.monotonic() < deadline:
        time.sleep(0.01)
    assert jobs.running() == 1 and [jobs.ahead_of(j) for j in submitted] == [0, 0, 1, 2]
    assert (submitted[0].done_steps, submitted[0].total_steps) == (2, 2)
    gate.set()
    assert [j.result(5) for j in submitted] == list("abcd")
    starts = [v for what, v in log if what == "start"]
    assert starts == list("abcd")
    assert all(log.index(("end", a)) < log.index(("start", b)) for a, b in zip("abc", "bcd"))     # never two at once


def test_identical_requests_share_one_build_and_its_kept_result():
    jobs, log, gate = Jobs(workers=1, keep=2), [], threading.Event()
    first = jobs.submit(("settings", "2026-08-22"), _work(log, gate, "deck"))
    again = [jobs.submit(("settings", "2026-08-22"), _work(log, gate, "other")) for _ in range(19)]
    gate.set()
    assert all(j is first for j in again) and first.result(5) == "deck"
    assert jobs.submit(("settings", "2026-08-22"), _work(log, gate, "other")).result(5) == "deck"    # kept
    assert [v for what, v in log if what == "start"] == ["deck"]


def test_only_the_last_results_are_kept_and_failures_are_retried():
    jobs, gate = Jobs(workers=1, keep=2), threading.Event()
    gate.set()
    for k in range(5):
        jobs.submit(k, _work([], gate, k)).result(5)
    log = []
    assert jobs.submit(4, _work(log, gate, "new")).result(5) == 4 and log == []          # among the last two
    assert jobs.submit(0, _work(log, gate, "new")).result(5) == "new"                    # dropped: built again

    def boom(progress):
        raise RuntimeError("no")
    failed = jobs.submit("x", boom)
    with pytest.raises(RuntimeError):
        failed.result(5)
    assert jobs.submit("x", _work([], gate, "ok")).result(5) == "ok"
