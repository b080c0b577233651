"""The periodic jobs `flask jobs cron` enqueues (rq's CronScheduler; the cron process only enqueues, workers run
them). SWEEP_INTERVAL_SECONDS (default 60) sets how often the sweeps run; PULSE_CRON (UTC) when the monthly team
pulse opens."""

from flask import Flask
from rq.cron import CronScheduler

from ..kb.jobs import flush_views
from ..mail.jobs import sweep_outbox
from ..surveys.jobs import open_pulse_round, send_due_surveys


def register(scheduler: CronScheduler, app: Flask) -> None:
    interval = app.config["SWEEP_INTERVAL_SECONDS"]
    scheduler.register(sweep_outbox, queue_name="default", interval=interval)
    scheduler.register(flush_views, queue_name="default", interval=interval)
    scheduler.register(send_due_surveys, queue_name="default", interval=interval)
    scheduler.register(open_pulse_round, queue_name="default", cron=app.config["PULSE_CRON"])
