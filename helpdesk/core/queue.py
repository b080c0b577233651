"""The job queue: Redis connection, enqueue-after-commit, and the @job boundary.

Jobs are enqueued by dotted name ("helpdesk.mail.jobs.send_outgoing_email"), so no module needs to import the
worker-side code it schedules. Every job runs inside `@job`, which owns its transaction:

- `@job`: the run is one transaction, like a request. The function never commits; the wrapper commits once at the
  end and rolls back on error.
- `@job(per_item=True)`: the function is a generator and every `yield` is a commit point: the work done since the
  previous one is committed there. Use it for sweeps over many rows, so that one bad row or a crash half-way
  costs only the item in flight, and for a claim that must be visible before slow work (an SMTP delivery).
  Items must be idempotent: a crash after an item's work and before its `yield` redoes that item next run.
  After an error the current item is rolled back and the error re-raised; earlier items stay committed.
"""

import functools
import inspect
import logging
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any, overload

from flask import current_app, has_app_context
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue

from .extensions import db
from .transaction import after_commit

log = logging.getLogger("helpdesk.jobs")


# Enqueueing and counters have fallbacks (the outbox sweep, in-process limits), so a slow Redis is treated as a
# missing one: a frozen Redis costs a request a fraction of a second per call, never seconds. Loopback Redis
# answers in well under a millisecond.
REDIS_TIMEOUT = 0.3
# After a failed enqueue, the next ones skip Redis for this long (their rows wait for the sweep, due at once).
ENQUEUE_PAUSE = 5.0


def get_redis() -> Redis:
    """One client per app, with short timeouts: a dead or frozen Redis must never hang a web request."""
    client = current_app.extensions.get("helpdesk_redis")
    if client is None:
        client = Redis.from_url(
            current_app.config["REDIS_URL"],
            socket_timeout=REDIS_TIMEOUT,
            socket_connect_timeout=REDIS_TIMEOUT,
            health_check_interval=30,
        )
        current_app.extensions["helpdesk_redis"] = client
    return client


def get_queue(name: str = "default") -> Queue:
    return Queue(name, connection=get_redis())


JOB_TIMEOUT = 120
FAILURE_TTL = 30 * 24 * 3600


def enqueue_now(name: str, *args: object, queue: str = "default") -> bool:
    """Enqueue the job `name` (dotted path) at once; False (logged) when Redis is unreachable. The database row
    stays and the sweeper retries."""
    state = current_app.extensions.setdefault("helpdesk_enqueue", {"paused_until": 0.0})
    if time.monotonic() < state["paused_until"]:
        return False
    try:
        get_queue(queue).enqueue(name, *args, job_timeout=JOB_TIMEOUT, failure_ttl=FAILURE_TTL)
    except (RedisError, OSError) as exc:
        log.warning("enqueue failed job=%s args=%r error=%s", name, args, exc)
        state["paused_until"] = time.monotonic() + ENQUEUE_PAUSE
        return False
    return True


def enqueue(name: str, *args: object, queue: str = "default", on_failure: Callable[[], None] | None = None) -> None:
    """Enqueue after the current transaction commits; dropped on rollback. `on_failure` runs (in an app
    context, after the commit) when Redis could not take the job, e.g. to make the row due for the sweep."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]

    def callback() -> None:
        with app.app_context():
            if not enqueue_now(name, *args, queue=queue) and on_failure is not None:
                on_failure()

    after_commit(callback)


def enqueue_in(delay: timedelta, name: str, *args: object, queue: str = "default") -> None:
    """Schedule after the current transaction commits (needs a worker running --with-scheduler). The database
    must hold the same intent (a due-at column) so that a sweep can redo it if Redis loses the job."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]

    def callback() -> None:
        with app.app_context():
            try:
                get_queue(queue).enqueue_in(delay, name, *args, job_timeout=JOB_TIMEOUT, failure_ttl=FAILURE_TTL)
            except (RedisError, OSError) as exc:
                log.warning("schedule failed job=%s args=%r error=%s", name, args, exc)

    after_commit(callback)


JobFunction = Callable[..., None] | Callable[..., Iterator[Any]]


@overload
def job(fn: JobFunction, *, per_item: bool = False) -> Callable[..., None]: ...
@overload
def job(fn: None = None, *, per_item: bool = False) -> Callable[[JobFunction], Callable[..., None]]: ...


def job(fn: JobFunction | None = None, *, per_item: bool = False) -> Any:
    """The job boundary (see the module docstring): `@job` for one transaction per run, `@job(per_item=True)`
    for a generator that commits at each `yield`. Logs every run's start, end, duration and failure."""
    if fn is None:
        return lambda f: job(f, per_item=per_item)
    if per_item and not inspect.isgeneratorfunction(fn):
        raise TypeError(f"@job(per_item=True) needs a generator function; {fn.__qualname__} is not one")
    name = f"{fn.__module__}.{fn.__qualname__}"

    @functools.wraps(fn)
    def run(*args: object) -> None:
        if not has_app_context():
            raise RuntimeError(f"{name} needs the app: run jobs with `flask jobs worker`, not a plain `rq worker`")
        started = time.monotonic()
        items = 0
        log.info("job start name=%s args=%r", name, args)
        try:
            if per_item:
                for _ in fn(*args):  # type: ignore[union-attr]
                    db.session.commit()
                    items += 1
            else:
                fn(*args)
            db.session.commit()
        except Exception:
            db.session.rollback()
            log.exception("job failed name=%s args=%r after=%.3fs items=%d", name, args, time.monotonic() - started, items)
            raise
        finally:
            db.session.remove()
        log.info("job done name=%s args=%r duration=%.3fs%s", name, args, time.monotonic() - started, f" items={items}" if per_item else "")

    return run
