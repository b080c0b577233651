"""The worker and the cron process ride out a Redis outage: they never exit, and carry on when Redis is back."""

import sys
import time

from rq import Queue, Worker
from rq.job import Job

from tests.ops.conftest import wait_for

FLASK = [sys.executable, "-m", "flask", "--app", "app"]


def queued_functions(redis) -> set[str]:
    return {job.func_name.rpartition(".")[2] for job in Queue("default", connection=redis).jobs}


def test_cron_keeps_enqueuing_the_sweeps_after_redis_was_down_for_longer_than_a_tick(own_redis, process_env, processes, tmp_path):
    env = {**process_env, "REDIS_URL": own_redis.url, "SWEEP_INTERVAL_SECONDS": "2"}
    cron = processes([*FLASK, "jobs", "cron"], env, tmp_path / "cron.log")
    with own_redis.client() as redis:
        wait_for(lambda: {"sweep_outbox", "send_due_surveys"} <= queued_functions(redis), timeout=30)

    own_redis.stop()
    time.sleep(5)  # two ticks and more with Redis gone
    assert cron.alive(), cron.output
    own_redis.start()  # empty: whatever is queued now was enqueued after Redis came back

    with own_redis.client() as redis:
        wait_for(lambda: {"sweep_outbox", "send_due_surveys"} <= queued_functions(redis), timeout=20)
    assert cron.alive(), cron.output
    assert cron.output.count("Redis is unreachable") == 1, cron.output  # once per outage, not once per try
    wait_for(lambda: "Redis is back" in cron.output, timeout=10)  # logged just after the jobs above were enqueued
    assert cron.stop() == 0


def test_worker_runs_jobs_again_after_redis_went_away_in_the_middle_of_a_job(own_redis, process_env, processes, tmp_path):
    env = {**process_env, "REDIS_URL": own_redis.url}
    worker = processes([*FLASK, "jobs", "worker"], env, tmp_path / "worker.log")
    with own_redis.client() as redis:
        job = Queue("default", connection=redis).enqueue("time.sleep", 2)
        wait_for(lambda: job.get_status(refresh=True) == "started", timeout=30)

    own_redis.stop()
    time.sleep(4)
    assert worker.alive(), worker.output
    own_redis.start()

    with own_redis.client() as redis:
        job = Queue("default", connection=redis).enqueue("os.getcwd")
        wait_for(lambda: Job.fetch(job.id, connection=redis).get_status() == "finished", timeout=30)
        ours = Queue("default", connection=redis).enqueue("helpdesk.mail.jobs.sweep_outbox")  # by name, in the app
        wait_for(lambda: Job.fetch(ours.id, connection=redis).get_status() == "finished", timeout=30)
    assert worker.alive(), worker.output
    assert "job done name=helpdesk.mail.jobs.sweep_outbox" in worker.output
    assert worker.stop() == 0


def test_worker_stops_on_sigterm_even_when_redis_stops_at_the_same_time(own_redis, process_env, processes, tmp_path):
    """Ctrl-C under the run command stops Redis and the worker together: the worker must not wait for Redis."""
    worker = processes([*FLASK, "jobs", "worker"], {**process_env, "REDIS_URL": own_redis.url}, tmp_path / "worker.log")
    with own_redis.client() as redis:
        wait_for(lambda: Worker.all(connection=redis), timeout=30)
    own_redis.stop()
    assert worker.stop(timeout=15) == 0, worker.output
