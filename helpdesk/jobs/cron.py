"""Periodic jobs for `rq cron helpdesk.jobs.cron` (the cron process only enqueues; workers run them)."""

from rq import cron

from helpdesk.mail.jobs import sweep_outbox

cron.register(sweep_outbox, queue_name="default", interval=60)
