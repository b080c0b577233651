"""Periodic jobs for `rq cron helpdesk.jobs.cron` (the cron process only enqueues; workers run them)."""

from rq import cron

from helpdesk.mail.jobs import sweep_outbox

cron.register(sweep_outbox, queue_name="default", interval=60)
from helpdesk.kb.jobs import flush_views  # noqa: E402

cron.register(flush_views, queue_name="default", interval=60)
from helpdesk.surveys.jobs import send_due_surveys  # noqa: E402

cron.register(send_due_surveys, queue_name="default", interval=60)
import os  # noqa: E402

from helpdesk.surveys.pulse import open_pulse_round  # noqa: E402

# Cron strings are evaluated in UTC by rq cron.
cron.register(open_pulse_round, queue_name="default", cron=os.environ.get("PULSE_CRON", "0 9 1 * *"))
