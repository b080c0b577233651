"""The long-running job processes (worker and cron) and how they ride out a Redis outage: never exit on a lost
connection; wait with back-off, log once per outage, carry on when Redis is back."""

import logging
import signal
import time
from collections.abc import Callable
from contextlib import suppress
from types import FrameType
from typing import NoReturn

from redis import Redis
from redis.exceptions import RedisError
from rq import Worker
from rq.cron import CronScheduler
from rq.exceptions import StopRequested

log = logging.getLogger("helpdesk.jobs")

REDIS_ERRORS = (RedisError, OSError)


class Outage:
    """Back-off and logging for one outage at a time: the first failure is logged, the rest wait quietly."""

    def __init__(self, what: str, *, first: float = 0.5, longest: float = 10.0) -> None:
        self.what, self.first, self.longest = what, first, longest
        self.started: float | None = None
        self.delay = first

    def failed(self, exc: BaseException) -> float:
        """Record a failure; return how long to wait before the next try."""
        if self.started is None:
            self.started = time.monotonic()
            log.warning("%s: Redis is unreachable (%s: %s); retrying until it is back.", self.what, type(exc).__name__, exc)
        delay, self.delay = self.delay, min(self.delay * 2, self.longest)
        return delay

    def recovered(self) -> None:
        if self.started is not None:
            log.warning("%s: Redis is back after %.0f s; carrying on.", self.what, time.monotonic() - self.started)
        self.started, self.delay = None, self.first


class _RepeatFilter(logging.Filter):
    """rq's worker logs every reconnection attempt; let the first of a run through, then one every ten minutes."""

    def __init__(self) -> None:
        super().__init__()
        self.last = -1e9

    def filter(self, record: logging.LogRecord) -> bool:
        if "could not connect to Redis" not in record.getMessage():
            return True
        if time.monotonic() - self.last < 600:
            return False
        self.last = time.monotonic()
        return True


def _stop(signum: int, frame: FrameType | None) -> NoReturn:
    raise SystemExit(0)


def _wait(seconds: float) -> None:
    """Sleep between attempts; Ctrl-C or SIGTERM ends the process at once (rq's handlers are gone by then)."""
    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    time.sleep(seconds)


def run_worker(connection: Redis, queues: list[str], *, burst: bool = False, before: Callable[[], None] | None = None) -> None:
    """Run an RQ worker with the scheduler until asked to stop. When Redis goes away, rq's work loop retries or
    gives up; either way this waits for Redis and starts a fresh worker, without exiting the process."""
    logging.getLogger("rq.worker").addFilter(_RepeatFilter())
    outage = Outage("worker")
    worker: Worker | None = None
    while True:
        try:
            connection.ping()
            outage.recovered()
            if before is not None:
                before()
            worker = Worker(queues, connection=connection)
            worker.work(with_scheduler=True, burst=burst)
            if burst or _stop_requested(worker):
                return
            log.warning("worker: the RQ work loop ended (Redis trouble); starting it again.")
            connection.ping()  # still up: go straight back to work; down: wait below
        except REDIS_ERRORS as exc:
            if _stop_requested(worker):  # Ctrl-C or SIGTERM came while Redis was going away too
                return
            _wait(outage.failed(exc))


def _stop_requested(worker: Worker | None) -> bool:
    """rq's handlers note Ctrl-C and SIGTERM on the worker; a stop is a stop even if Redis failed meanwhile."""
    return worker is not None and worker._shutdown_requested_date is not None


def run_cron(connection: Redis, register: Callable[[CronScheduler], None]) -> None:
    """rq's CronScheduler loop, with Redis errors caught: a job that could not be enqueued stays due and is
    enqueued as soon as Redis answers again (rq's own `start()` exits on the first ConnectionError)."""
    scheduler: CronScheduler | None = None
    outage = Outage("cron")
    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    try:
        while True:
            try:
                if scheduler is None:
                    scheduler = CronScheduler(connection=connection)
                    register(scheduler)
                    scheduler.register_birth()
                elif outage.started is not None:
                    scheduler.register_birth()  # the registry may have been lost with Redis
                if scheduler.enqueue_jobs():
                    scheduler.save()
                scheduler.heartbeat()
                outage.recovered()
                sleep = scheduler.calculate_sleep_interval()
            except REDIS_ERRORS as exc:
                sleep = outage.failed(exc)
            if sleep > 0:
                time.sleep(sleep)
    except (StopRequested, SystemExit, KeyboardInterrupt):
        log.info("cron: stopping.")
    finally:
        if scheduler is not None:
            with suppress(*REDIS_ERRORS):
                scheduler.register_death()
