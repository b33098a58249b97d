"""Slow jobs shared by every reader of a server process: a bounded queue, identical requests joined, results kept.

The slide deck takes seconds of drawing. Built in each reader's own script thread, twenty readers pressing "Build"
together ran twenty builds at once: each took twenty times as long, every other reader's page waited for the CPU and
memory grew with every build in flight. Here a fixed number of workers build one job each; the others wait in line
and can say how many jobs are ahead of them; a job asked for again (the same key: same settings, same data) while it
waits, runs or is kept is not built again; the last few results are kept for the next reader who asks.
"""
from __future__ import annotations

import itertools
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future, ThreadPoolExecutor


class Job:
    """One job: its place in line, its progress (done of total steps) and, once finished, its result."""

    def __init__(self, key: Hashable, number: int):
        self.key = key
        self.number = number                       # order of submission: the line
        self.future: Future = Future()
        self.started = False
        self.done_steps, self.total_steps = 0, 0

    def progress(self, done: int, total: int) -> None:
        self.done_steps, self.total_steps = done, total

    @property
    def finished(self) -> bool:
        return self.future.done()

    def result(self, timeout: float | None = None):
        return self.future.result(timeout)


class Jobs:
    """`workers` jobs run at a time; the rest wait in submission order. `keep` finished results are kept (the most
    recently asked for), so memory stays bounded however many readers ask."""

    def __init__(self, workers: int = 1, keep: int = 4, name: str = "job"):
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=name)
        self._jobs: OrderedDict[Hashable, Job] = OrderedDict()      # waiting, running and kept, oldest first
        self._numbers = itertools.count()
        self.keep = keep

    def submit(self, key: Hashable, work: Callable[[Callable[[int, int], None]], object]) -> Job:
        """The job for `key`: the one already waiting, running or kept, else a new one that runs
        `work(progress)` when a worker is free (`progress(done, total)` reports its steps)."""
        with self._lock:
            job = self._jobs.get(key)
            if job is not None:
                self._jobs.move_to_end(key)
                return job
            job = self._jobs[key] = Job(key, next(self._numbers))
        self._pool.submit(self._run, job, work)
        return job

    def _run(self, job: Job, work) -> None:
        job.started = True
        try:
            job.future.set_result(work(job.progress))
        except BaseException as err:                 # a failed job is not kept: asking again tries again
            with self._lock:
                if self._jobs.get(job.key) is job:
                    del self._jobs[job.key]
            job.future.set_exception(err)
            return
        self._trim()

    def _trim(self) -> None:
        with self._lock:
            finished = [k for k, j in self._jobs.items() if j.finished]
            for k in finished[: max(len(finished) - self.keep, 0)]:
                del self._jobs[k]

    def ahead_of(self, job: Job) -> int:
        """How many jobs will start before `job` (0 once it runs or has finished)."""
        if job.started or job.finished:
            return 0
        with self._lock:
            return sum(1 for j in self._jobs.values() if not j.started and j.number < job.number)

    def running(self) -> int:
        with self._lock:
            return sum(1 for j in self._jobs.values() if j.started and not j.finished)

    def clear(self) -> None:
        """Forget finished results (a job that waits or runs still completes for whoever holds it)."""
        with self._lock:
            for k in [k for k, j in self._jobs.items() if j.finished]:
                del self._jobs[k]
