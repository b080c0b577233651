"""gunicorn settings for helpdesk (gunicorn reads this file from the project folder by itself).

BIND (default 127.0.0.1:5000) and WEB_CONCURRENCY (default 2 workers) come from the environment. The access log
masks customers' tokens; the control socket lives in instance/, so two instances never share one.
"""

import os
from pathlib import Path

os.umask(os.umask(0o077) | 0o077)  # owner-only files, like the app itself
_instance = Path(__file__).resolve().parent / "instance"
_instance.mkdir(mode=0o700, exist_ok=True)

wsgi_app = "app:app"
bind = os.environ.get("BIND", "127.0.0.1:5000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = 4
max_requests = 1000
max_requests_jitter = 100
forwarded_allow_ips = "127.0.0.1"
accesslog = "-"
logger_class = "helpdesk.ops.logs.TokenMaskingLogger"
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", str(_instance / "gunicorn.ctl"))
control_socket_mode = 0o600
