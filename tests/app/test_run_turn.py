"""One script run at a time per process (ui/shell.py): runs exclude each other, a run re-enters its own turn, and
long work can hand the turn over."""
import threading
import time

from ui import shell


def _overlap(worker, n=6) -> int:
    """Run `worker(enter, leave)` on n threads at once; return the most that were inside at the same time."""
    inside, most, lock = [0], [0], threading.Lock()

    def enter():
        with lock:
            inside[0] += 1
            most[0] = max(most[0], inside[0])

    def leave():
        with lock:
            inside[0] -= 1

    threads = [threading.Thread(target=worker, args=(enter, leave)) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    return most[0]


def test_runs_take_turns_and_reenter_their_own_turn():
    def run(enter, leave):
        with shell.one_run_at_a_time():
            with shell.one_run_at_a_time():        # a fragment inside a full run does not wait for itself
                enter()
                time.sleep(0.02)
                leave()
    assert _overlap(run) == 1


def test_long_work_lets_others_run_and_takes_the_turn_back():
    def run(enter, leave):
        with shell.one_run_at_a_time():
            with shell.letting_others_run():
                enter()
                time.sleep(0.05)
                leave()
            assert shell._run.has_turn            # the turn is back before the run goes on
    assert _overlap(run) > 1
    assert not shell._turn.locked()
