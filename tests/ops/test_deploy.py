"""The production install in deploy/: the systemd units pass `systemd-analyze verify` and are hardened, the
environment template names every setting, and install.sh's steps (shown with --dry-run, which changes nothing)
come in the right order with a generated secret key."""

import os
import re
import shutil
import subprocess
import sys
import urllib.request
from configparser import ConfigParser
from pathlib import Path

import pytest

from helpdesk import ROOT
from tests.conftest import free_port
from tests.ops.conftest import wait_for

DEPLOY = ROOT / "deploy"
UNITS = {
    "helpdesk-web": "gunicorn --config /opt/helpdesk/gunicorn.conf.py",
    "helpdesk-worker": "flask jobs worker",
    "helpdesk-cron": "flask jobs cron",
}


def unit(name: str) -> ConfigParser:
    parser = ConfigParser(strict=False, interpolation=None, delimiters=("=",))
    parser.optionxform = str  # keep systemd's CamelCase keys
    parser.read_string((DEPLOY / f"{name}.service").read_text())
    return parser


def relocated(tmp_path: Path, name: str) -> Path:
    """The unit with /opt/helpdesk and /etc/helpdesk moved under tmp_path, where its programs exist."""
    opt, etc = tmp_path / "opt", tmp_path / "etc"
    (opt / ".venv" / "bin").mkdir(parents=True, exist_ok=True)
    (opt / "instance").mkdir(exist_ok=True)
    etc.mkdir(exist_ok=True)
    (etc / "helpdesk.env").write_text("SECRET_KEY=x\n")
    for program in ("gunicorn", "flask"):
        path = opt / ".venv" / "bin" / program
        path.write_text("#!/bin/sh\n")
        path.chmod(0o755)
    text = (DEPLOY / f"{name}.service").read_text().replace("/opt/helpdesk", str(opt)).replace("/etc/helpdesk", str(etc))
    target = tmp_path / f"{name}.service"
    target.write_text(text)
    return target


def verify(*paths: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["systemd-analyze", "verify", *map(str, paths)], capture_output=True, text=True, timeout=60, check=False)


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_the_units_pass_systemd_analyze_verify(tmp_path):
    paths = [relocated(tmp_path, name) for name in UNITS]
    result = verify(*paths)
    assert result.returncode == 0 and result.stderr.strip() == "", result.stderr

    broken = tmp_path / "broken.service"  # the check really runs here: a bad unit is reported
    broken.write_text(paths[0].read_text().replace("Restart=always", "Restart=sometimes").replace(str(tmp_path / "opt/.venv"), "/nowhere"))
    result = verify(broken)
    assert result.returncode != 0 and "sometimes" in result.stderr and "/nowhere" in result.stderr


@pytest.mark.parametrize("name", UNITS)
def test_each_unit_runs_its_process_as_the_service_user_with_only_the_instance_writable(name):
    service = unit(name)["Service"]
    assert service["ExecStart"].startswith("/opt/helpdesk/.venv/bin/") and service["ExecStart"].endswith(UNITS[name])
    assert service["User"] == service["Group"] == "helpdesk"
    assert service["WorkingDirectory"] == "/opt/helpdesk" and service["EnvironmentFile"] == "/etc/helpdesk/helpdesk.env"
    assert service["ProtectSystem"] == "strict" and service["ReadWritePaths"] == "/opt/helpdesk/instance"
    for setting in ("NoNewPrivileges", "PrivateTmp", "ProtectHome", "PrivateDevices", "RestrictSUIDSGID"):
        assert service[setting] == "yes", setting
    assert service["CapabilityBoundingSet"] == "" and service["UMask"] == "0077" and service["Restart"] == "always"
    assert "FLASK_APP=app" in service["Environment"]
    assert unit(name)["Install"]["WantedBy"] == "multi-user.target"


def config_settings() -> set[str]:
    return set(re.findall(r'_(?:env|int|bool)\("([A-Z_]+)"', (ROOT / "helpdesk" / "config.py").read_text()))


def test_the_environment_template_names_every_setting_an_owner_may_set_and_no_other():
    template = (DEPLOY / "helpdesk.env.example").read_text()
    named = set(re.findall(r"^#?([A-Z][A-Z0-9_]+)=", template, re.MULTILINE))
    gunicorn = set(re.findall(r'environ\.get\("([A-Z_]+)"', (ROOT / "gunicorn.conf.py").read_text()))
    assert config_settings() | gunicorn == named
    active = dict(re.findall(r"^([A-Z_]+)=(.*)$", template, re.MULTILINE))
    assert active["BEHIND_PROXY"] == "1" and active["SECRET_KEY"] == ""  # install.sh fills the key in
    for line in template.splitlines():  # quoted where a value has spaces or ';' (systemd and a shell agree)
        if re.match(r"^#?[A-Z_]+=", line) and re.search(r"[ ;]", line.split("=", 1)[1]):
            assert re.match(r'^#?[A-Z_]+=".*"$', line), line


def test_the_proxy_examples_terminate_https_and_forward_to_gunicorn():
    caddy, nginx = (DEPLOY / "Caddyfile.example").read_text(), (DEPLOY / "nginx.conf.example").read_text()
    for text in (caddy, nginx):
        assert "127.0.0.1:5000" in text and "BEHIND_PROXY=1" in text and "BASE_URL=https://" in text
    assert "listen 443 ssl" in nginx and "return 301 https://" in nginx
    for header in ("X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host"):
        assert f"proxy_set_header {header}" in nginx
    assert "access_log off" in nginx  # URLs carry customers' tokens; the app's own log masks them


def dry_run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {
        "PATH": os.environ["PATH"],
        "APP_DIR": str(tmp_path / "opt"),
        "ENV_DIR": str(tmp_path / "etc"),
        "UNIT_DIR": str(tmp_path / "units"),
        "SERVICE_USER": "helpdesk-test-nobody",
    }
    return subprocess.run(
        ["bash", str(DEPLOY / "install.sh"), "--dry-run", *args], capture_output=True, text=True, env=env, timeout=60, check=False
    )


def test_install_sh_is_valid_shell_and_the_wrapper_too():
    for script, shell in (("install.sh", "bash"), ("flask", "sh")):
        path = DEPLOY / script
        assert os.access(path, os.X_OK), script
        subprocess.run([shell, "-n", str(path)], check=True, timeout=30)


def test_install_sh_dry_run_shows_every_step_in_order_and_changes_nothing(tmp_path):
    result = dry_run(tmp_path, "--email", "owner@example.com", "--url", "https://help.example.com", "--postgresql")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    steps = [
        "apt-get install -y -q python3 python3-venv rsync redis-server",
        "useradd --system --user-group",
        f"install -d -m 700 -o helpdesk-test-nobody -g helpdesk-test-nobody {tmp_path}/opt/instance",
        f"python3 -m venv {tmp_path}/opt/.venv",
        "-r " + f"{tmp_path}/opt/requirements.txt",
        "createdb --owner=helpdesk-test-nobody helpdesk-test-nobody",
        "requirepass",
        f"write {tmp_path}/etc/helpdesk.env (mode 640, root:helpdesk-test-nobody)",
        "SECRET_KEY=<generated>",
        "flask db upgrade",
        "flask accounts create-admin --email owner@example.com",
        f"write {tmp_path}/units/helpdesk-web.service",
        "systemctl enable helpdesk-web helpdesk-worker helpdesk-cron",
        "systemctl restart helpdesk-web helpdesk-worker helpdesk-cron",
        "Open https://help.example.com/",
    ]
    positions = [out.find(step) for step in steps]
    assert -1 not in positions, [step for step, at in zip(steps, positions, strict=True) if at == -1]
    assert positions == sorted(positions)
    assert re.search(r"apt-get install .* postgresql postgresql-client\n", out)
    for setting in ("BASE_URL=https://help.example.com", "BEHIND_PROXY=1", "DATABASE_URL=postgresql:///helpdesk-test-nobody?host="):
        assert setting in out
    assert "--uid=helpdesk-test-nobody" in out and f"EnvironmentFile={tmp_path}/etc/helpdesk.env" in out
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_install_sh_needs_the_owner_address_and_without_a_url_serves_plain_http_on_loopback(tmp_path):
    missing = dry_run(tmp_path)
    assert missing.returncode == 2 and "--email" in missing.stderr
    plain_url = dry_run(tmp_path, "--email", "owner@example.com")
    assert "BEHIND_PROXY=0" in plain_url.stdout and "BASE_URL=http://127.0.0.1:5000" in plain_url.stdout


def systemd_environment(text: str) -> dict[str, str]:
    """NAME=value lines as systemd's EnvironmentFile= reads them (comments skipped, one pair of quotes removed)."""
    pairs = re.findall(r"^([A-Za-z_][A-Za-z0-9_]*)=(.*)$", text, re.MULTILINE)
    return {name: value[1:-1] if len(value) > 1 and value[0] == value[-1] == '"' else value for name, value in pairs}


def test_the_three_units_commands_run_the_app_with_the_template_settings(process_env, processes, own_redis, tmp_path):
    """What systemd would start, for real: the units' command lines and Environment= over the filled-in template."""
    settings = systemd_environment((DEPLOY / "helpdesk.env.example").read_text())
    port = free_port()
    settings.update(
        SECRET_KEY=process_env["SECRET_KEY"] * 2,
        DATABASE_URL=process_env["DATABASE_URL"],
        REDIS_URL=own_redis.url,
        BIND=f"127.0.0.1:{port}",
        SWEEP_INTERVAL_SECONDS="1",
    )
    venv = str(Path(sys.executable).parent)
    started = {}
    for name in UNITS:
        service = unit(name)["Service"]
        env = {
            **settings,
            **dict(item.split("=", 1) for item in service["Environment"].split()),
            "HOME": str(tmp_path),
            "PATH": process_env["PATH"],
        }
        command = service["ExecStart"].replace("/opt/helpdesk/.venv/bin", venv).replace("/opt/helpdesk", str(ROOT)).split()
        started[name] = processes(command, env, tmp_path / f"{name}.log")

    def healthz() -> int:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
                return response.status
        except OSError:
            return 0

    wait_for(lambda: healthz() == 200, timeout=30)
    worker = started["helpdesk-worker"]
    wait_for(lambda: "job done name=helpdesk.mail.jobs.sweep_outbox" in worker.output, timeout=30)  # cron enqueued, worker ran
    for name, process in started.items():
        assert process.alive(), (name, process.output)
        assert "Traceback" not in process.output, (name, process.output)
