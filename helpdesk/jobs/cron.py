"""Periodic jobs for `flask jobs cron` (rq's CronScheduler; the cron process only enqueues, workers run them).

SWEEP_INTERVAL_SECONDS (default 60) sets how often the sweeps run; cron strings are evaluated in UTC.
"""

import os

from rq import cron

from helpdesk.kb.jobs import flush_views
from helpdesk.mail.jobs import sweep_outbox
from helpdesk.surveys.jobs import send_due_surveys
from helpdesk.surveys.pulse import open_pulse_round

SWEEP_INTERVAL = int(os.environ.get("SWEEP_INTERVAL_SECONDS", "60"))

cron.register(sweep_outbox, queue_name="default", interval=SWEEP_INTERVAL)
cron.register(flush_views, queue_name="default", interval=SWEEP_INTERVAL)
cron.register(send_due_surveys, queue_name="default", interval=SWEEP_INTERVAL)
cron.register(open_pulse_round, queue_name="default", cron=os.environ.get("PULSE_CRON", "0 9 1 * *"))
