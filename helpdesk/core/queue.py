"""The job queue: Redis connection, enqueue-after-commit, and the @job boundary (one transaction per run)."""

import functools
import logging
import time
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app, has_app_context
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue

from .transaction import after_commit

log = logging.getLogger(__name__)
_job_app: Flask | None = None


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


def enqueue_now(fn: Callable[..., Any], *args: Any, queue: str = "default") -> bool:
    """Enqueue at once; False (logged) when Redis is unreachable. The database row stays and the sweeper retries."""
    state = current_app.extensions.setdefault("helpdesk_enqueue", {"paused_until": 0.0})
    if time.monotonic() < state["paused_until"]:
        return False
    try:
        get_queue(queue).enqueue(fn, *args, job_timeout=120, failure_ttl=30 * 24 * 3600)
    except (RedisError, OSError) as exc:
        log.warning("Could not enqueue %s%r: %s", fn.__name__, args, exc)
        state["paused_until"] = time.monotonic() + ENQUEUE_PAUSE
        return False
    return True


def enqueue(fn: Callable[..., Any], *args: Any, queue: str = "default", on_failure: Callable[[], None] | None = None) -> None:
    """Enqueue after the current transaction commits; dropped on rollback. `on_failure` runs (in an app
    context, after the commit) when Redis could not take the job, e.g. to make the row due for the sweep."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]

    def callback() -> None:
        with app.app_context():
            if not enqueue_now(fn, *args, queue=queue) and on_failure is not None:
                on_failure()

    after_commit(callback)


def enqueue_in(delay, fn: Callable[..., Any], *args: Any, queue: str = "default") -> None:
    """Schedule after the current transaction commits (needs a worker running --with-scheduler). The database
    must hold the same intent (a due-at column) so that a sweep can redo it if Redis loses the job."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]

    def callback() -> None:
        with app.app_context():
            try:
                get_queue(queue).enqueue_in(delay, fn, *args, job_timeout=120, failure_ttl=30 * 24 * 3600)
            except (RedisError, OSError) as exc:
                log.warning("Could not schedule %s%r: %s", fn.__name__, args, exc)

    after_commit(callback)


def _ensure_app_context():
    """Jobs run inside the worker's app context; a plain `rq worker` gets one built on first use."""
    global _job_app
    if has_app_context():
        return None
    if _job_app is None:
        from .. import create_app

        _job_app = create_app()
    ctx = _job_app.app_context()
    ctx.push()
    return ctx


def job(fn: Callable[..., None]) -> Callable[..., None]:
    """Job boundary, like a request: ids in, commit once at the end, roll back on error."""

    @functools.wraps(fn)
    def run(*args: Any) -> None:
        from .extensions import db

        ctx = _ensure_app_context()
        try:
            fn(*args)
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
        finally:
            db.session.remove()
            if ctx is not None:
                ctx.pop()

    return run
