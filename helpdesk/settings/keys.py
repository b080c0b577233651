"""The names of the stored settings, and the environment variables that win over them."""

# Setting name → the environment variable that, when set, wins over it.
ENVIRONMENT = {
    "company_name": "COMPANY_NAME",
    "base_url": "BASE_URL",
    "default_locale": "DEFAULT_LOCALE",
    "timezone": "TIMEZONE",
    "smtp_host": "MAIL_URL",
    "smtp_port": "MAIL_URL",
    "smtp_security": "MAIL_URL",
    "smtp_username": "MAIL_URL",
    "smtp_password": "MAIL_URL",
    "sender_name": "MAIL_FROM",
    "sender_address": "MAIL_FROM",
}
# app.config key → the setting that answers it (MAIL_FROM is built from two).
LIVE_KEYS = {
    "COMPANY_NAME": "company_name",
    "BASE_URL": "base_url",
    "DEFAULT_LOCALE": "default_locale",
    "TIMEZONE": "timezone",
    "MAIL_FROM": "sender_address",
}
