"""`flask jobs …`: the RQ worker and the cron scheduler inside the app (both ride out Redis outages), or one
periodic job by hand."""

import click
from flask import current_app
from flask.cli import AppGroup
from redis import Redis

from ..core.extensions import db
from ..mail.jobs import sweep_outbox
from .cron import register
from .runner import run_cron, run_worker

jobs_cli = AppGroup("jobs", help="Background jobs (RQ).")


def _long_lived_redis() -> Redis:
    """A client of its own for a long-running process (rq raises its read timeout above its blocking pop)."""
    return Redis.from_url(current_app.config["REDIS_URL"], socket_connect_timeout=2, socket_timeout=10, health_check_interval=30)


@jobs_cli.command("worker")
@click.argument("queues", nargs=-1)
@click.option("--burst", is_flag=True, help="Run the jobs waiting now, then exit.")
def worker(queues: tuple[str, ...], burst: bool) -> None:
    """Run an RQ worker with the scheduler (delayed jobs and retries), inside the app context. Waits for Redis
    while it is unreachable, at start or later, and never exits on a lost connection."""
    # Each forked work-horse opens its own database connections; never share the parent's.
    run_worker(_long_lived_redis(), list(queues) or ["default"], burst=burst, before=db.engine.dispose)


@jobs_cli.command("cron")
def cron() -> None:
    """Enqueue the periodic jobs of jobs/cron.py on time (rq's CronScheduler), riding out Redis outages."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    run_cron(_long_lived_redis(), lambda scheduler: register(scheduler, app))


@jobs_cli.command("sweep")
def sweep() -> None:
    """Enqueue outgoing email that is due (what the cron process does every minute)."""
    sweep_outbox()
    click.echo("Outbox swept.")
