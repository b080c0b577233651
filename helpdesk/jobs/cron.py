"""The periodic jobs `flask jobs cron` enqueues (rq's CronScheduler; the cron process only enqueues, workers run
them). SWEEP_INTERVAL_SECONDS (default 60) sets how often the sweeps run; PULSE_CRON (UTC) when the monthly team
pulse opens; BACKUP_CRON (UTC, empty: off) the nightly backup."""

from flask import Flask
from rq.cron import CronScheduler

from ..kb.jobs import flush_views
from ..mail.jobs import sweep_outbox
from ..ops.jobs import nightly_backup
from ..surveys.jobs import open_pulse_round, send_due_surveys


def register(scheduler: CronScheduler, app: Flask) -> None:
    interval = app.config["SWEEP_INTERVAL_SECONDS"]
    scheduler.register(sweep_outbox, queue_name="default", interval=interval)
    scheduler.register(flush_views, queue_name="default", interval=interval)
    scheduler.register(send_due_surveys, queue_name="default", interval=interval)
    scheduler.register(open_pulse_round, queue_name="default", cron=app.config["PULSE_CRON"])
    if app.config["BACKUP_CRON"]:
        scheduler.register(nightly_backup, queue_name="default", cron=app.config["BACKUP_CRON"], job_timeout=6 * 3600)
