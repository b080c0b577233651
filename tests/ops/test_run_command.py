"""The run command's pieces, run for real: its Redis is password-protected on the port REDIS_URL names, and a
process that dies is started again instead of honcho stopping everything."""

import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from redis import Redis
from redis.exceptions import AuthenticationError, ResponseError

from helpdesk import ROOT
from tests.conftest import free_port
from tests.ops.conftest import wait_for

BIN = Path(sys.executable).parent


def plan(tmp_path: Path, **env: str) -> dict[str, str]:
    result = subprocess.run(
        [sys.executable, "scripts/local-redis"],
        cwd=ROOT,
        env={"PATH": f"{BIN}:/usr/bin:/bin", "HELPDESK_INSTANCE": str(tmp_path / "instance"), **env},
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    values = {}
    for line in result.stdout.splitlines():
        name, _, value = line.removeprefix("export ").partition("=")
        values[name] = value.strip("'")
    return values


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_run_commands_redis_gets_a_generated_password_kept_owner_only(tmp_path):
    values = plan(tmp_path)
    instance = tmp_path / "instance"
    password = (instance / "redis_password").read_text().strip()
    assert len(password) >= 32 and f":{password}@127.0.0.1:" in values["REDIS_URL"]
    assert values["START_REDIS"] == "1"
    config = (instance / "redis" / "redis.conf").read_text()
    assert f'requirepass "{password}"' in config and "bind 127.0.0.1 -::1\n" in config
    assert mode(instance) == 0o700 and mode(instance / "redis_password") == 0o600
    assert mode(instance / "redis" / "redis.conf") == 0o600
    assert plan(tmp_path)["REDIS_URL"] == values["REDIS_URL"]  # the same password and port every run


def test_run_commands_redis_listens_on_the_port_of_redis_url_and_refuses_clients_without_the_password(tmp_path):
    port = free_port()
    values = plan(tmp_path, REDIS_URL=f"redis://127.0.0.1:{port}/2")
    assert values["START_REDIS"] == "1" and values["REDIS_URL"].endswith(f"@127.0.0.1:{port}/2")
    config = tmp_path / "instance" / "redis" / "redis.conf"
    assert f"port {port}\n" in config.read_text()
    server = subprocess.Popen(["redis-server", str(config)], stdout=subprocess.DEVNULL)
    try:
        with Redis.from_url(values["REDIS_URL"]) as ours:
            wait_for(lambda: _pings(ours), timeout=10)
        with Redis(port=port) as stranger, pytest.raises((AuthenticationError, ResponseError)):
            stranger.set("rq:job:evil", "pickle")  # another local user, no password
        assert "redis-server" in " ".join(Path(f"/proc/{server.pid}/cmdline").read_text().split("\0"))
        assert values["REDIS_URL"].split("@")[0].split(":")[-1] not in Path(f"/proc/{server.pid}/cmdline").read_text()
        assert plan(tmp_path, REDIS_URL=values["REDIS_URL"])["START_REDIS"] == "0"  # it answers: used as it is
    finally:
        server.terminate()
        server.wait(timeout=10)


def _pings(client: Redis) -> bool:
    try:
        return bool(client.ping())
    except Exception:
        return False


def test_run_command_starts_a_process_again_when_it_dies_and_honcho_keeps_the_others(own_redis, process_env, processes, tmp_path):
    env = {**process_env, "REDIS_URL": own_redis.url, "PATH": f"{BIN}:/usr/bin:/bin"}
    honcho = processes([str(BIN / "honcho"), "start", "-f", "scripts/Procfile", "-d", ".", "worker", "cron"], env, tmp_path / "honcho.log")
    cron_pid = wait_for(lambda: _child_of_keep_running("cron"), timeout=30)
    worker_pid = wait_for(lambda: _child_of_keep_running("worker"), timeout=30)

    os.kill(cron_pid, signal.SIGKILL)  # as the OOM killer would
    wait_for(lambda: "keep-running: cron stopped (exit status 137); starting it again" in honcho.output, timeout=15)
    new_cron = wait_for(lambda: _child_of_keep_running("cron"), timeout=30)
    assert new_cron != cron_pid
    assert honcho.alive() and _alive(worker_pid), honcho.output

    honcho.stop(signal.SIGINT)  # Ctrl-C
    for pid in (new_cron, worker_pid):
        wait_for(lambda pid=pid: not _alive(pid), timeout=15)


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def _child_of_keep_running(name: str) -> int | None:
    """The pid of the `flask jobs <name>` process that `keep-running <name>` started."""
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_text().split("\0")
            parent = int((proc / "stat").read_text().split(")")[1].split()[1])
            parent_cmdline = Path(f"/proc/{parent}/cmdline").read_text().split("\0")
        except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
            continue
        if cmdline[-3:-1] == ["jobs", name] and "keep-running" in " ".join(parent_cmdline) and str(ROOT) in _cwd(proc):
            return int(proc.name)
    return None


def _cwd(proc: Path) -> str:
    try:
        return os.readlink(proc / "cwd")
    except OSError:
        return ""


def test_keep_running_starts_a_command_again_after_it_exits_and_stops_on_sigterm(tmp_path):
    marker = tmp_path / "runs"
    script = f"echo run >> {marker}; exit 3"
    runner = subprocess.Popen([str(ROOT / "scripts/keep-running"), "demo", "sh", "-c", script], stderr=subprocess.PIPE, text=True)
    wait_for(lambda: marker.exists() and len(marker.read_text().split()) >= 2, timeout=15)  # ran, died, ran again
    runner.send_signal(signal.SIGTERM)
    _, stderr = runner.communicate(timeout=10)
    assert runner.returncode == 0
    assert "keep-running: demo stopped (exit status 3); starting it again in 1 s" in stderr
