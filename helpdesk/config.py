"""Configuration from environment variables, with safe defaults for the embedded set-up. No I/O at import."""

import os


def _env(name: str, default: str = "") -> str:
    """Read NAME, or the contents of the file named by NAME_FILE (for secrets), or the default."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        with open(path, encoding="utf-8") as fh:
            return fh.read().strip()
    return os.environ.get(name, default)


def _int(name: str, default: int) -> int:
    return int(_env(name, str(default)))


def _bool(name: str, default: bool) -> bool:
    return _env(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


class Config:
    """Every setting an owner can change, read when the app is created (see README for the list)."""

    def __init__(self) -> None:
        self.SECRET_KEY = _env("SECRET_KEY") or None  # generated into instance/ when unset
        self.SQLALCHEMY_DATABASE_URI = _env("DATABASE_URL") or None  # instance/helpdesk.sqlite3 when unset
        self.REDIS_URL = _env("REDIS_URL", "redis://127.0.0.1:6379/0")
        self.RATELIMIT_STORAGE_URI = _env("RATELIMIT_STORAGE_URL") or None  # REDIS_URL when unset
        self.BASE_URL = _env("BASE_URL", "http://127.0.0.1:5000").rstrip("/")
        self.DEFAULT_LOCALE = _env("DEFAULT_LOCALE", "en")
        self.TIMEZONE = _env("TIMEZONE", "UTC")
        self.COMPANY_NAME = _env("COMPANY_NAME", "Helpdesk")
        self.MAIL_URL = _env("MAIL_URL")  # smtp://user:pass@host:587?tls=1 ; empty = keep mail, do not send
        self.MAIL_FROM = _env("MAIL_FROM", "support@example.com")
        self.MAIL_TIMEOUT = _int("MAIL_TIMEOUT", 10)  # seconds an SMTP server may take to answer
        # The key that encrypts secrets saved on the settings page (the SMTP password): a Fernet key (generate one with
        # python3 -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'), several
        # comma-separated to rotate (the first encrypts). Unset: a key derived from SECRET_KEY (HKDF). Company name,
        # BASE_URL, DEFAULT_LOCALE, TIMEZONE, MAIL_URL and MAIL_FROM set here win over the settings page's values.
        self.SETTINGS_KEY = _env("SETTINGS_KEY") or None
        # Never email these domains or their subdomains (default: the names reserved for examples and tests by
        # RFC 2606 / 6761, which the demo data uses). Space- or comma-separated; empty blocks nothing.
        self.MAIL_BLOCKED_DOMAINS = _env("MAIL_BLOCKED_DOMAINS", "example.com example.net example.org example invalid")
        self.CUSTOMER_LINK_DAYS = _int("CUSTOMER_LINK_DAYS", 90)
        self.QUEUE_POLL_SECONDS = _int("QUEUE_POLL_SECONDS", 15)
        self.SWEEP_INTERVAL_SECONDS = _int("SWEEP_INTERVAL_SECONDS", 60)  # outbox, due surveys, KB view counts
        self.PULSE_CRON = _env("PULSE_CRON", "0 9 1 * *")  # the monthly team pulse opens (cron string, UTC)
        self.LOG_LEVEL = _env("LOG_LEVEL", "INFO").upper()
        self.LOGIN_RATE_LIMIT = _env("LOGIN_RATE_LIMIT", "10 per minute")
        self.LOGIN_ACCOUNT_RATE_LIMIT = _env("LOGIN_ACCOUNT_RATE_LIMIT", "5 per minute;20 per 15 minutes")  # wrong passwords
        self.REQUEST_RATE_LIMIT = _env("REQUEST_RATE_LIMIT", "20 per hour")
        self.REQUEST_RATE_LIMIT_PER_EMAIL = _env("REQUEST_RATE_LIMIT_PER_EMAIL", "10 per hour")
        self.KB_SEARCH_RATE_LIMIT = _env("KB_SEARCH_RATE_LIMIT", "60 per minute")  # help-centre search and suggestions
        self.KB_VOTE_RATE_LIMIT = _env("KB_VOTE_RATE_LIMIT", "30 per hour")  # "was this helpful?" from one address
        self.KB_VOTE_RATE_LIMIT_PER_ARTICLE = _env("KB_VOTE_RATE_LIMIT_PER_ARTICLE", "5 per day")  # one address, one article
        self.REQUEST_MIN_SECONDS = _int("REQUEST_MIN_SECONDS", 3)
        # Secure cookies when BASE_URL is https; SESSION_COOKIE_SECURE=0/1 overrides (e.g. TLS ends at a proxy).
        self.SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False) if _env("SESSION_COOKIE_SECURE") else None
        self.REMEMBER_DAYS = _int("REMEMBER_DAYS", 30)  # "Keep me signed in on this device"
        self.STAFF_IDLE_HOURS = _int("STAFF_IDLE_HOURS", 12)  # other staff sessions end after this long unused
        # Customers' replies on /my/<token>: per client address, and per ticket whatever the address.
        self.REPLY_RATE_LIMIT = _env("REPLY_RATE_LIMIT", "10 per minute;60 per hour")
        self.REPLY_RATE_LIMIT_PER_LINK = _env("REPLY_RATE_LIMIT_PER_LINK", "5 per minute;30 per hour")
        # "Email me a new link": per client address, and per typed email address.
        self.LINK_REQUEST_RATE_LIMIT = _env("LINK_REQUEST_RATE_LIMIT", "10 per hour")
        self.LINK_REQUEST_RATE_LIMIT_PER_EMAIL = _env("LINK_REQUEST_RATE_LIMIT_PER_EMAIL", "3 per hour")
        # "Forgot your password?": per client address, and per typed email address.
        self.PASSWORD_RESET_RATE_LIMIT = _env("PASSWORD_RESET_RATE_LIMIT", "10 per hour")
        self.PASSWORD_RESET_RATE_LIMIT_PER_EMAIL = _env("PASSWORD_RESET_RATE_LIMIT_PER_EMAIL", "3 per hour")
        self.BEHIND_PROXY = _bool("BEHIND_PROXY", False)
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.REMEMBER_COOKIE_HTTPONLY = True
        self.REMEMBER_COOKIE_SAMESITE = "Lax"
        self.WTF_CSRF_TIME_LIMIT = None  # an agent's queue tab stays open all day
        self.SQLALCHEMY_ENGINE_OPTIONS: dict[str, object] = {}
        # Seconds a web request waits for a lock (SQLite: the write lock; PostgreSQL: a row lock) before a 503.
        self.SQLITE_BUSY_TIMEOUT = float(_env("SQLITE_BUSY_TIMEOUT", "10"))
        self.DATABASE_LOCK_TIMEOUT = float(_env("DATABASE_LOCK_TIMEOUT", "5"))
        self.DATABASE_STATEMENT_TIMEOUT = float(_env("DATABASE_STATEMENT_TIMEOUT", "30"))  # PostgreSQL, web requests
        self.ATTACHMENTS_DIR = _env("ATTACHMENTS_DIR") or None  # instance/attachments when unset
        self.ATTACHMENT_MAX_FILE_MB = _int("ATTACHMENT_MAX_FILE_MB", 10)
        self.ATTACHMENT_MAX_MESSAGE_MB = _int("ATTACHMENT_MAX_MESSAGE_MB", 25)
        self.ATTACHMENT_MAX_FILES = _int("ATTACHMENT_MAX_FILES", 10)
        self.ATTACHMENT_MAX_TICKET_MB = _int("ATTACHMENT_MAX_TICKET_MB", 50)  # all the customer's files on one ticket
        # A whole request: the files of one message plus the form around them.
        self.MAX_CONTENT_LENGTH = (self.ATTACHMENT_MAX_MESSAGE_MB + 1) * 1024 * 1024
        self.BACKUP_DIR = _env("BACKUP_DIR") or None  # instance/backups when unset (`flask ops backup`)
        self.BACKUP_KEEP = _int("BACKUP_KEEP", 7)  # archives kept; older ones are deleted after each backup
        self.BACKUP_CRON = _env("BACKUP_CRON", "30 2 * * *")  # the nightly backup (cron string, UTC); empty = off
        self.BABEL_TRANSLATION_DIRECTORIES = "translations"
        self.LANGUAGES = ("en", "es")
