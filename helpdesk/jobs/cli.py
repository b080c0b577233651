"""`flask jobs …`: run the RQ worker inside the app, or one periodic job by hand."""

import time

import click
from flask.cli import AppGroup
from redis.exceptions import RedisError
from rq import Worker

from ..extensions import db
from .queue import get_redis

jobs_cli = AppGroup("jobs", help="Background jobs (RQ).")


@jobs_cli.command("worker")
@click.argument("queues", nargs=-1)
@click.option("--burst", is_flag=True, help="Run the jobs waiting now, then exit.")
@click.option("--wait", default=30, show_default=True, help="Seconds to wait for Redis at start.")
def worker(queues: tuple[str, ...], burst: bool, wait: int) -> None:
    """Run an RQ worker with the scheduler (delayed jobs and retries), inside the app context."""
    connection = get_redis()
    deadline = time.monotonic() + wait
    while True:
        try:
            connection.ping()
            break
        except (RedisError, OSError) as exc:
            if time.monotonic() > deadline:
                raise click.ClickException(f"Redis is not reachable: {exc}") from exc
            time.sleep(0.5)
    db.engine.dispose()  # each forked work-horse opens its own connections; never share the parent's
    try:
        Worker(list(queues) or ["default"], connection=connection).work(with_scheduler=True, burst=burst)
    except (RedisError, OSError) as exc:  # e.g. Redis stopped first on Ctrl-C: say so, without a traceback
        raise click.ClickException(f"Lost the connection to Redis: {exc}") from exc


@jobs_cli.command("sweep")
def sweep() -> None:
    """Enqueue outgoing email that is due (what `rq cron` does every minute)."""
    from ..mail.jobs import sweep_outbox

    sweep_outbox()
    click.echo("Outbox swept.")
