"""helpdesk: a self-hosted, server-rendered helpdesk. `create_app()` is the only thing defined here."""

import logging
import os
import secrets
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from dotenv import load_dotenv
from flask import Flask, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

ROOT = Path(__file__).resolve().parent.parent  # templates/, static/, migrations/, translations/ live here

# Front-end packages pinned in package.json, copied here by `npm run vendor` (tests check the versions match).
VENDOR = {"htmx": "vendor/htmx-2.0.11.min.js", "pico": "vendor/pico-2.1.1.min.css"}

CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app. Tests pass a mapping; nothing is read at import time."""
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    config = dict(config or {})
    if not config.get("TESTING"):
        load_dotenv(ROOT / ".env")
        load_dotenv(Path(app.instance_path) / "helpdesk.env")
    from .config import Config

    app.config.from_mapping({k: v for k, v in vars(Config()).items()})
    app.config.update(config)
    _instance_defaults(app)
    _configure_mail(app)
    _configure_sessions(app)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(ROOT / "translations")
    if app.config["RATELIMIT_STORAGE_URI"] is None:
        app.config["RATELIMIT_STORAGE_URI"] = app.config["REDIS_URL"]
    # Counters fall back to in-process limits, so a frozen Redis must cost a request a fraction of a second.
    app.config.setdefault("RATELIMIT_STORAGE_OPTIONS", {"socket_connect_timeout": 0.3, "socket_timeout": 0.3})
    if app.config["BEHIND_PROXY"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)

    from .core.logging import configure_logging

    configure_logging(app)
    from .core.converters import IdConverter

    app.url_map.converters["id"] = IdConverter
    _init_extensions(app)
    _register_blueprints(app)
    _connect_ticket_events()
    _register_template_helpers(app)
    return app


SECRET_KEY_MIN_BYTES = 32


class ConfigError(RuntimeError):
    """A setting that makes the app unsafe or unable to run; the message says how to fix it."""


def _instance_defaults(app: Flask) -> None:
    """SQLite file and a generated secret key in instance/ unless configured. Everything this process writes is
    owner-only (umask 077): the database, the secret key, backups and attachments hold customers' data."""
    os.umask(os.umask(0o077) | 0o077)
    instance = Path(app.instance_path)
    if not app.config.get("SECRET_KEY") or not app.config.get("SQLALCHEMY_DATABASE_URI"):
        instance.mkdir(mode=0o700, parents=True, exist_ok=True)
        _owner_only(instance, 0o700)  # made before, under a looser umask
    if not app.config.get("SECRET_KEY"):
        key_file = instance / "secret_key"
        if not key_file.exists():
            fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_urlsafe(48))
        _owner_only(key_file, 0o600)
        app.config["SECRET_KEY"] = key_file.read_text().strip()
    _check_secret_key(app.config["SECRET_KEY"])
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{instance / 'helpdesk.sqlite3'}"
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("postgres://"):
        uri = "postgresql://" + uri[len("postgres://") :]
    if uri.startswith("postgresql://"):
        uri = "postgresql+psycopg://" + uri[len("postgresql://") :]
    app.config["SQLALCHEMY_DATABASE_URI"] = uri
    if uri.startswith("sqlite:///"):
        database = Path(uri[len("sqlite:///") :].partition("?")[0])
        for path in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
            _owner_only(path, 0o600)


def _owner_only(path: Path, mode: int) -> None:
    """Tighten a file or folder of ours that an older version (or a looser umask) left readable by others."""
    try:
        if path.stat().st_uid == os.geteuid() and path.stat().st_mode & 0o077:
            path.chmod(mode)
    except FileNotFoundError:
        pass


def _check_secret_key(key: str) -> None:
    """Refuse a guessable secret: it signs sessions and every customer link."""
    if len(key.encode()) < SECRET_KEY_MIN_BYTES:
        raise ConfigError(
            f"SECRET_KEY is too short ({len(key.encode())} bytes; at least {SECRET_KEY_MIN_BYTES} are needed). "
            "Generate one with: python3 -c 'import secrets; print(secrets.token_urlsafe(48))' "
            "or leave SECRET_KEY unset to have one generated into instance/secret_key."
        )


def _configure_sessions(app: Flask) -> None:
    """Cookies are Secure when the site is served over https (BASE_URL) unless SESSION_COOKIE_SECURE says
    otherwise; remember-me lasts REMEMBER_DAYS."""
    secure = app.config.get("SESSION_COOKIE_SECURE")
    if secure is None:
        secure = app.config["BASE_URL"].lower().startswith("https://")
    app.config["SESSION_COOKIE_SECURE"] = app.config["REMEMBER_COOKIE_SECURE"] = bool(secure)
    app.config["REMEMBER_COOKIE_DURATION"] = timedelta(days=app.config["REMEMBER_DAYS"])


def _configure_mail(app: Flask) -> None:
    """MAIL_URL (smtp://user:password@host:587?tls=1, smtps://… for implicit TLS) → Flask-Mailman settings."""
    url = app.config.get("MAIL_URL")
    app.config["MAIL_BACKEND"] = "smtp"
    app.config["MAIL_DEFAULT_SENDER"] = app.config["MAIL_FROM"]
    if not url:
        return
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    app.config.update(
        MAIL_SERVER=parts.hostname or "localhost",
        MAIL_PORT=parts.port or (465 if parts.scheme == "smtps" else 25),
        MAIL_USERNAME=unquote(parts.username) if parts.username else None,
        MAIL_PASSWORD=unquote(parts.password) if parts.password else None,
        MAIL_USE_SSL=parts.scheme == "smtps",
        MAIL_USE_TLS=query.get("tls", ["0"])[0] in ("1", "true", "yes"),
        MAIL_TIMEOUT=app.config["MAIL_TIMEOUT"],
    )


def _init_extensions(app: Flask) -> None:
    from flask_talisman import Talisman

    from .accounts.services import load_user
    from .core.database import configure_postgresql, configure_sqlite
    from .core.errors import register_error_handlers
    from .core.extensions import babel, csrf, db, htmx, limiter, login_manager, mail, migrate
    from .core.i18n import select_locale, select_timezone
    from .core.web import register_request_rules

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            configure_sqlite(
                db.engine,
                immediate_outside_requests=app.config.get("SQLITE_IMMEDIATE_OUTSIDE_REQUESTS", True),
                busy_timeout=app.config["SQLITE_BUSY_TIMEOUT"],
            )
        elif db.engine.dialect.name == "postgresql":
            configure_postgresql(
                db.engine, lock_timeout=app.config["DATABASE_LOCK_TIMEOUT"], statement_timeout=app.config["DATABASE_STATEMENT_TIMEOUT"]
            )
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = None
    login_manager.user_loader(load_user)

    @login_manager.unauthorized_handler
    def unauthorized() -> ResponseReturnValue:
        from flask import redirect, url_for

        target = url_for("accounts.login", next=request.full_path.rstrip("?"))
        if request.headers.get("HX-Request"):
            return "", 401, {"HX-Redirect": target}
        return redirect(target)

    csrf.init_app(app)
    htmx.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    mail.init_app(app)
    limiter.init_app(app)
    Talisman(
        app,
        content_security_policy=CSP,
        force_https=False,
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        strict_transport_security=app.config["SESSION_COOKIE_SECURE"],
        frame_options="DENY",
        referrer_policy="same-origin",
    )
    register_error_handlers(app)
    register_request_rules(app)
    _schema_guard(app)


def _schema_guard(app: Flask) -> None:
    """Refuse to serve on a database whose schema is older than the code, saying what to run."""
    from .core.database import schema_revisions
    from .core.extensions import db

    state = {"ok": app.config.get("SKIP_SCHEMA_CHECK", False)}

    @app.before_request
    def check_schema() -> ResponseReturnValue | None:
        if state["ok"] or request.endpoint in ("static", "ops.healthz"):
            return None
        current, head = schema_revisions(app, db.engine)
        if current == head:
            state["ok"] = True
            return None
        if not state.get("logged"):  # once per process, not once per request
            state["logged"] = True
            logging.getLogger("helpdesk.schema").error(
                "requests refused: database schema at %s, this version needs %s; run: flask db upgrade", current or "none", head
            )
        message = _(
            "The database schema is at %(current)s but this version needs %(head)s. Run: flask db upgrade",
            current=current or "none",
            head=head,
        )
        if request.accept_mimetypes.best == "application/json":
            return jsonify(error=message), 503
        return render_template("errors/error.html", status=503, title=_("Upgrade needed"), message=message), 503


def _register_blueprints(app: Flask) -> None:
    from .accounts.cli import accounts_cli
    from .accounts.invitations import bp as invitations_bp
    from .accounts.views import bp as accounts_bp
    from .admin.settings_views import bp as settings_bp
    from .admin.views import bp as admin_bp
    from .jobs.cli import jobs_cli
    from .kb.views import bp as kb_bp
    from .mail.views import bp as mail_bp
    from .ops.cli import ops_cli, seed_cli
    from .ops.views import bp as ops_bp
    from .portal.views import bp as portal_bp
    from .surveys.views import bp as surveys_bp
    from .surveys.views import pulse_bp
    from .tickets.views import bp as tickets_bp

    for bp in (portal_bp, accounts_bp, tickets_bp, kb_bp, surveys_bp, pulse_bp, mail_bp, admin_bp, settings_bp, ops_bp):
        app.register_blueprint(bp)
    app.register_blueprint(invitations_bp)
    for group in (accounts_cli, jobs_cli, seed_cli, ops_cli):
        app.cli.add_command(group)
    from .accounts.outbox import connect_outbox  # h8: staff emails (password reset/changed) go through the outbox
    from .mail.outbound import queue_email

    connect_outbox(app.extensions, queue_email)


def _connect_ticket_events() -> None:
    """Who reacts to what happens to a ticket, in order (see tickets/events.py); connecting twice is a no-op."""
    from .mail import notifications
    from .surveys import queries as survey_queries
    from .surveys import services as survey_services
    from .tickets import events, panels

    events.ticket_opened.connect(notifications.on_ticket_opened)
    events.agent_replied.connect(notifications.on_agent_replied)
    events.status_changed.connect(survey_services.on_status_changed)
    panels.register(survey_queries.ticket_panel)


def _register_template_helpers(app: Flask) -> None:
    from flask_babel import get_locale

    from .core.dates import short_datetime
    from .mail.labels import mail_status
    from .tickets.labels import activity_text, label, labels

    app.jinja_env.globals.update(
        label=label,
        labels=labels,
        activity_text=activity_text,
        mail_status=mail_status,
        short_datetime=short_datetime,
        current_locale=lambda: str(get_locale() or app.config["DEFAULT_LOCALE"]),
        vendor=VENDOR,
    )
    app.jinja_env.globals["htmx_config"] = (
        '{"includeIndicatorStyles": false, "allowEval": false, "historyCacheSize": 0, "responseHandling": ['
        '{"code": "204", "swap": false}, {"code": "[23]..", "swap": true}, {"code": "40[19]", "swap": true}, '
        '{"code": "422", "swap": true}, '
        # Busy (503) or too many attempts (429): the message goes to the page's alert region; the form stays as typed.
        '{"code": "^(429|503)$", "swap": true, "error": false, "target": "#htmx-alert", "swapOverride": "innerHTML"}, '
        '{"code": "[45]..", "swap": false, "error": true}]}'
    )
