"""The engine pool serves visitors in turn: one visitor's flood never holds another's job for
longer than the job already running in front of it; positions, cancellation and the worker
count still hold."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, wait
from pathlib import Path

import pytest

from core.config import Settings
from core.jobs import JobManager
from core.requests import TextToMusicRequest
from core.store import JobStore
from core.workers import WorkerPool
from providers.registry import Registry

# Generous: only a broken pool (a job that never starts) ever waits this long.
DEADLINE_S = 30.0


class Recorder:
    """Jobs that note when they start; the first one can be held until released."""

    def __init__(self) -> None:
        self.order: list[str] = []
        self.threads: set[str] = set()
        self.busy = 0
        self.most_busy = 0
        self.gates: dict[str, threading.Event] = {}
        self.started: dict[str, threading.Event] = {}
        self._lock = threading.Lock()

    def job(self, name: str, *, hold: bool = False) -> Callable[[], str]:
        gate = self.gates.setdefault(name, threading.Event())
        started = self.started.setdefault(name, threading.Event())
        if not hold:
            gate.set()

        def run() -> str:
            with self._lock:
                self.order.append(name)
                self.threads.add(threading.current_thread().name)
                self.busy += 1
                self.most_busy = max(self.most_busy, self.busy)
            started.set()
            try:
                assert gate.wait(DEADLINE_S), f"{name} was never released"
            finally:
                with self._lock:
                    self.busy -= 1
            return name

        return run

    def running(self, name: str) -> None:
        assert self.started[name].wait(DEADLINE_S), f"{name} never started"

    def release(self, name: str) -> None:
        self.gates[name].set()


@pytest.fixture
def pool() -> Iterator[WorkerPool]:
    made = WorkerPool(1)
    yield made
    made.shutdown()


def finish(futures: list[Future[str]]) -> None:
    _, pending = wait(futures, timeout=DEADLINE_S)
    assert not pending, f"{len(pending)} jobs never finished"


def test_a_flood_does_not_hold_another_visitors_first_job(pool: WorkerPool) -> None:
    jobs = Recorder()
    flood = [pool.submit(jobs.job("b1", hold=True), owner="hf:b")]
    jobs.running("b1")
    flood += [pool.submit(jobs.job(f"b{n}"), owner="hf:b") for n in range(2, 13)]
    mine = pool.submit(jobs.job("a1"), owner="anon:a")

    # A's job is next in line although eleven of B's came before it.
    assert pool.position(mine) == 1
    assert [pool.position(f) for f in flood[1:]] == list(range(2, 13))
    assert pool.position(flood[0]) is None  # running

    jobs.release("b1")
    finish([*flood, mine])
    assert jobs.order == ["b1", "a1", *(f"b{n}" for n in range(2, 13))]
    assert [f.result() for f in flood] == [f"b{n}" for n in range(1, 13)]


def test_owners_take_turns_and_each_line_is_first_in_first_out(pool: WorkerPool) -> None:
    jobs = Recorder()
    first = pool.submit(jobs.job("x0", hold=True), owner="x")
    jobs.running("x0")
    names = ["x1", "x2", "x3", "y1", "y2", "z1"]
    futures = {name: pool.submit(jobs.job(name), owner=name[0]) for name in names}
    # x was served last (x0 runs), so y and z go first, then every owner's second job.
    expected = ["y1", "z1", "x1", "y2", "x2", "x3"]
    assert [pool.position(futures[name]) for name in expected] == [1, 2, 3, 4, 5, 6]
    jobs.release("x0")
    finish([first, *futures.values()])
    assert jobs.order == ["x0", *expected]


def test_cancelled_jobs_are_skipped_and_positions_close_up(pool: WorkerPool) -> None:
    jobs = Recorder()
    blocker = pool.submit(jobs.job("b1", hold=True), owner="b")
    jobs.running("b1")
    b2 = pool.submit(jobs.job("b2"), owner="b")
    b3 = pool.submit(jobs.job("b3"), owner="b")
    a1 = pool.submit(jobs.job("a1"), owner="a")
    assert [pool.position(f) for f in (a1, b2, b3)] == [1, 2, 3]

    assert b2.cancel()
    assert pool.position(b2) is None
    assert [pool.position(f) for f in (a1, b3)] == [1, 2]
    assert a1.cancel()
    pool.forget(a1)  # what the offline provider does after a cancel
    assert pool.position(b3) == 1

    jobs.release("b1")
    finish([blocker, b3])
    assert jobs.order == ["b1", "b3"]
    assert b2.cancelled()
    assert a1.cancelled()


def test_a_failing_job_hands_its_error_to_its_future(pool: WorkerPool) -> None:
    def broken() -> None:
        raise ValueError("engine bug")

    failed = pool.submit(broken, owner="a")
    after = pool.submit(lambda: "still serving", owner="a")
    assert isinstance(failed.exception(timeout=DEADLINE_S), ValueError)
    assert after.result(timeout=DEADLINE_S) == "still serving"


def test_no_more_threads_than_workers_and_all_of_them_used() -> None:
    pool = WorkerPool(2)
    jobs = Recorder()
    try:
        held = [pool.submit(jobs.job(f"h{n}", hold=True), owner=f"o{n}") for n in range(2)]
        jobs.running("h0")
        jobs.running("h1")  # two at once: both workers busy
        later = [pool.submit(jobs.job(f"l{n}"), owner=f"o{n % 3}") for n in range(6)]
        assert all(pool.position(f) is not None for f in later)
        jobs.release("h0")
        jobs.release("h1")
        finish(held + later)
        assert jobs.most_busy == 2
        assert len(jobs.threads) == 2
    finally:
        pool.shutdown()


def test_shutdown_cancels_what_waits() -> None:
    pool = WorkerPool(1)
    jobs = Recorder()
    running = pool.submit(jobs.job("r", hold=True), owner="a")
    jobs.running("r")
    waiting = pool.submit(jobs.job("w"), owner="b")
    pool.shutdown()
    assert waiting.cancelled()
    jobs.release("r")
    assert running.result(timeout=DEADLINE_S) == "r"
    with pytest.raises(RuntimeError):
        pool.submit(jobs.job("late"), owner="a")


# --------------------------------------------------------------------------- through the app's runtime


async def test_through_the_offline_provider_a_visitor_is_served_after_the_running_job(
    tmp_path: Path,
) -> None:
    """Real offline jobs through JobManager: B's 6 songs then A's 5-second one, one worker."""
    settings = Settings(studio_data_dir=tmp_path, _env_file=None)  # type: ignore[call-arg]
    store = JobStore(settings.db_path)
    registry = Registry(settings, WorkerPool(1))
    jobs = JobManager(store, settings, registry.get)
    offline = registry.offline
    try:
        # B's first song is long enough to be running while the rest arrive.
        flood = [
            jobs.submit(
                offline,
                TextToMusicRequest(prompt="calm piano", seconds=30 if n == 0 else 5, seed=n),
                owner="anon:b",
            )
            for n in range(6)
        ]
        mine = jobs.submit(
            offline, TextToMusicRequest(prompt="happy flute", seconds=5, seed=9), owner="anon:a"
        )
        async with asyncio.timeout(120):  # generous: only a stuck job takes this long
            for job_id in [*flood, mine]:
                async for _ in jobs.events(job_id):
                    pass

        def started(job_id: str) -> float:
            return next(e.at for e in store.events(job_id) if e.state == "running")

        assert all(store.get(j).state == "succeeded" for j in [*flood, mine])  # type: ignore[union-attr]
        order = sorted([*flood, mine], key=started)
        assert order.index(mine) == 1, "A's job must run right after the one running"
        assert order[0] == flood[0]
    finally:
        jobs.close()
        store.close()
