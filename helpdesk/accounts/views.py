"""Staff sign-in, sign-out, sessions, notifications and preferences: thin views (parse, call, commit, render)."""

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_time
from flask import Blueprint, Response, current_app, flash, g, make_response, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_timedelta, get_locale
from flask_babel import gettext as _
from flask_limiter import RequestLimit
from flask_login import current_user, login_required, login_user, logout_user
from flask_login.utils import decode_cookie
from sqlalchemy.exc import OperationalError

from ..core.extensions import db, limiter
from ..core.forms import ActionForm
from ..core.urls import safe_next
from ..customers.services import normalize_email
from . import passwords, queries, services
from .devices import device_name
from .forms import ForgotPasswordForm, LoginForm, NewPasswordForm, PasswordForm, PreferencesForm, timezone_label
from .models import StaffSession, User

bp = Blueprint("accounts", __name__)
log = logging.getLogger(__name__)


def _safe_next(target: str | None) -> str:
    """Only a local path may be the target after sign-in (no open redirect)."""
    return safe_next(target, url_for("tickets.index"))


@bp.get("/login")
def login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    return render_template("accounts/login.html", form=LoginForm())


def _account_key() -> str:
    """Failed sign-ins count against the account tried, whatever address they come from (unknown emails too,
    so the limit does not tell which accounts exist)."""
    return "login-account:" + normalize_email(request.form.get("email", ""))[:254]


@bp.post("/login")
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
# Only wrong passwords count; tiers make the wait grow (a minute, then the rest of a quarter hour) and end.
@limiter.limit(
    lambda: current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"],
    methods=["POST"],
    key_func=_account_key,
    deduct_when=lambda response: response.status_code == 401,
)
def login_post() -> ResponseReturnValue:
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("accounts/login.html", form=form), 422
    user = services.authenticate(form.email.data, form.password.data)
    if user is None:
        db.session.commit()
        form.form_errors.append(_("Wrong email or password."))
        return render_template("accounts/login.html", form=form), 401
    services.start_session(user, user_agent=request.user_agent.string, ip_address=request.remote_addr or "")
    db.session.commit()
    login_user(user, remember=form.remember.data)
    session["seen"] = int(time.time())
    return redirect(_safe_next(request.args.get("next")), 303)


@bp.post("/logout")
@login_required
def logout() -> ResponseReturnValue:
    """Signs out this browser only; the account page signs out everywhere."""
    if ActionForm().validate_on_submit():
        services.end_session(current_user)
        db.session.commit()
        logout_user()
        flash(_("You are signed out."))
    return redirect(url_for("accounts.login"), 303)


def _local_time(zone_name: str) -> tuple[str, str]:
    """Now in the chosen zone ("15:04", "3:04 PM") and its offset from UTC ("UTC+01:00"): "it is 15:04 there"."""
    try:
        now = datetime.now(ZoneInfo(zone_name))
    except (ZoneInfoNotFoundError, ValueError):  # a zone this system's tz database lacks
        now = datetime.now(UTC)
    offset = now.strftime("%z")
    return format_time(now, "short", tzinfo=now.tzinfo, locale=get_locale()), f"UTC{offset[:3]}:{offset[3:]}"


def _profile_page(form: PreferencesForm, status: int = 200) -> ResponseReturnValue:
    zone = current_user.timezone or current_app.config["TIMEZONE"]
    now, offset = _local_time(zone)
    label = timezone_label(zone)
    return render_template("accounts/preferences.html", form=form, zone=zone, zone_label=label, local_now=now, offset=offset), status


@bp.get("/account")
@login_required
def preferences() -> ResponseReturnValue:
    timezone = current_user.timezone or current_app.config["TIMEZONE"]
    locale = current_user.locale or current_app.config["DEFAULT_LOCALE"]
    form = PreferencesForm(name=current_user.name, locale=locale, timezone=timezone, current_timezone=timezone)
    return _profile_page(form)


@bp.post("/account")
@login_required
def update_preferences() -> ResponseReturnValue:
    form = PreferencesForm(current_timezone=current_user.timezone)
    if "name" not in request.form:  # an older form without the name field: the name stays as it is
        form.name.data = current_user.name
    if not form.validate_on_submit():
        return _profile_page(form, 422)
    services.update_preferences(current_user, name=form.name.data, locale=form.locale.data, timezone=form.timezone.data)
    db.session.commit()
    flash(_("Your preferences are saved."))
    return redirect(url_for("accounts.preferences"), 303)


@bp.get("/notifications")
@login_required
def notifications() -> ResponseReturnValue:
    return render_template("accounts/notifications.html", notifications=queries.recent_notifications(current_user))


@bp.post("/notifications/read")
@login_required
def read_notifications() -> ResponseReturnValue:
    if ActionForm().validate_on_submit():
        services.mark_notifications_read(current_user)
        db.session.commit()
    return redirect(url_for(".notifications"), 303)


@bp.after_app_request
def report_full_storage(response: Response) -> Response:
    """An upload failed because the disk is full (core.storage says so in `g`): tell the admins, once per outage.
    The request itself already failed and saved nothing, so its own transaction is discarded first."""
    if g.pop("storage_full", False):
        try:
            db.session.rollback()
            services.notify_admins_of_full_storage()
            db.session.commit()
        except Exception:  # the database may share the full disk: the user's answer must not become a 500
            db.session.rollback()
            log.exception("could not notify admins that attachments storage is full")
    return response


@bp.app_context_processor
def notification_count() -> dict[str, Callable[[], int]]:
    def unread() -> int:
        if not current_user.is_authenticated:
            return 0
        return queries.unread_notification_count(current_user)

    return {"unread_notifications": unread}


# Requests a page makes by itself (the queue's "new tickets?" poll): they neither count as use nor end a session.
BACKGROUND_ENDPOINTS = frozenset({"tickets.changes"})


@bp.before_app_request
def end_idle_session() -> None:
    """A staff session unused for STAFF_IDLE_HOURS ends (a shared or lost computer). "Keep me signed in" is the
    person's choice to skip this on their own device, for REMEMBER_DAYS."""
    if "_user_id" not in session or request.endpoint == "static":
        return
    now, seen = int(time.time()), session.get("seen")
    # Only this sign-in's own signed cookie counts: any cookie of that name (added by whoever finds the computer
    # left signed in) must not keep an idle session alive.
    remember_cookie = request.cookies.get(current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token"), "")
    remembered = bool(remember_cookie) and decode_cookie(remember_cookie) == str(session["_user_id"])
    if isinstance(seen, int) and now - seen > current_app.config["STAFF_IDLE_HOURS"] * 3600 and not remembered:
        services.end_session_by_id(str(session["_user_id"]))  # first statement: no read lock to upgrade
        db.session.commit()
        logout_user()
        session.pop("seen", None)
        hours = current_app.config["STAFF_IDLE_HOURS"]
        flash(_("You were signed out after %(hours)d hours without activity. Please sign in again.", hours=hours))
    elif request.endpoint in BACKGROUND_ENDPOINTS:
        return  # a tab left open polls for changes: that is not someone using it
    elif not isinstance(seen, int) or now - seen >= 60:  # the cookie is rewritten at most once a minute
        session["seen"] = now
        _note_session_use(str(session["_user_id"]))


def _note_session_use(user_id: str) -> None:
    """ "Last active" and the address on the sessions list; a busy database only makes them a minute older."""
    try:
        services.touch_session(user_id, ip_address=request.remote_addr or "")
        db.session.commit()
    except OperationalError:
        db.session.rollback()
        log.warning("could not note the use of a staff session")


def _account_page(password_form: PasswordForm | None = None, status: int = 200) -> ResponseReturnValue:
    sessions = queries.active_sessions(current_user)
    current_key = getattr(current_user, "session_key", None)
    return render_template(
        "accounts/account.html",
        password_form=password_form or PasswordForm(),
        sessions=sessions,
        current_key=current_key,
        describe=_device,
    ), status


def _device(row: StaffSession) -> str:
    return device_name(row.user_agent)


@bp.get("/account/security")
@login_required
def account() -> ResponseReturnValue:
    return _account_page()


def _signed_in_account_key() -> str:
    """Wrong current passwords count against the account with the sign-in's wrong passwords (one budget)."""
    return "login-account:" + normalize_email(getattr(current_user, "email", "") or "")[:254]


@bp.post("/account/password")
@login_required
# Someone at a computer left signed in must not get unlimited guesses at the password here either.
@limiter.limit(
    lambda: current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"],
    key_func=_signed_in_account_key,
    deduct_when=lambda response: g.get("wrong_password", False),
)
def change_password() -> ResponseReturnValue:
    """A new password ends every other session; this browser stays signed in (with the new session token)."""
    form = PasswordForm()
    if not form.validate_on_submit():
        return _account_page(form, 422)
    if not services.password_matches(current_user, form.current_password.data):
        g.wrong_password = True
        form.current_password.errors = [*form.current_password.errors, _("That is not your current password.")]
        return _account_page(form, 422)
    user = current_user._get_current_object()
    if problems := passwords.password_problems(form.new_password.data, email=user.email, name=user.name):
        form.new_password.errors = [*form.new_password.errors, *problems]
        return _account_page(form, 422)
    remembered = _remembered()
    passwords.change_password(
        user, form.new_password.data, keep_session=user.session_key, user_agent=request.user_agent.string, ip=request.remote_addr or ""
    )
    db.session.commit()
    login_user(user, remember=remembered)
    flash(_("Your password is changed. You are signed out on every other device."))
    return redirect(url_for(".account"), 303)


def _remembered() -> bool:
    """Whether this sign-in chose "Keep me signed in" (its remember-me cookie is its own): kept after a new token."""
    cookie = request.cookies.get(current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token"), "")
    return bool(cookie) and decode_cookie(cookie) == str(session.get("_user_id"))


@bp.post("/account/sign-out-everywhere")
@login_required
def sign_out_everywhere() -> ResponseReturnValue:
    if ActionForm().validate_on_submit():
        services.end_all_sessions(current_user)
        db.session.commit()
        logout_user()
        flash(_("You are signed out on every device."))
    return redirect(url_for(".login"), 303)


@bp.post("/account/sign-out-others")
@login_required
def sign_out_others() -> ResponseReturnValue:
    """Every other device signs in again; this one goes on."""
    if ActionForm().validate_on_submit():
        user, remembered = current_user._get_current_object(), _remembered()
        services.end_other_sessions(user)
        db.session.commit()
        login_user(user, remember=remembered)
        flash(_("You are signed out on every other device."))
    return redirect(url_for(".account") + "#sessions", 303)


@bp.post("/account/sessions/<id:session_id>/end")
@login_required
def end_session(session_id: int) -> ResponseReturnValue:
    """Sign out one other device from the list."""
    if ActionForm().validate_on_submit() and services.end_session_of(current_user, session_id):
        db.session.commit()
        flash(_("That device is signed out."))
    return redirect(url_for(".account") + "#sessions", 303)


# Forgot password -------------------------------------------------------------------------------------------


def _reset_email_key() -> str:
    return "password-reset-email:" + normalize_email(request.form.get("email", ""))[:254]


def _reset_refused(limit: RequestLimit) -> Response:
    """The form again, with what was typed and how long to wait (429, Retry-After)."""
    wait = max(1, int(limit.reset_at - time.time()))
    form = ForgotPasswordForm()
    form.form_errors.append(
        _(
            "You asked for several reset links in a short while. Please wait %(time)s and try again.",
            time=format_timedelta(wait, granularity="minute", threshold=0.9),
        )
    )
    response = make_response(render_template("accounts/forgot_password.html", form=form), 429)
    response.headers["Retry-After"] = str(wait)
    return response


@bp.get("/password/forgot")
def forgot_password() -> ResponseReturnValue:
    return render_template("accounts/forgot_password.html", form=ForgotPasswordForm(formdata=None))


@bp.post("/password/forgot")
@limiter.limit(lambda: current_app.config["PASSWORD_RESET_RATE_LIMIT"], methods=["POST"], on_breach=_reset_refused)
@limiter.limit(
    lambda: current_app.config["PASSWORD_RESET_RATE_LIMIT_PER_EMAIL"], methods=["POST"], key_func=_reset_email_key, on_breach=_reset_refused
)
def send_reset_link() -> ResponseReturnValue:
    form = ForgotPasswordForm()
    if not form.validate_on_submit():
        return render_template("accounts/forgot_password.html", form=form), 422
    passwords.request_reset(form.email.data)  # known, unknown or deactivated: the answer is the same
    db.session.commit()
    return redirect(url_for(".reset_link_sent"), 303)


@bp.get("/password/forgot/sent")
def reset_link_sent() -> ResponseReturnValue:
    return render_template("accounts/reset_link_sent.html", minutes=passwords.RESET_LINK_SECONDS // 60)


def _reset_page(token: str, user: User, form: NewPasswordForm, status: int = 200) -> ResponseReturnValue:
    return render_template("accounts/reset_password.html", form=form, token=token, user=user), status


def _bad_link(error: passwords.ResetLinkError) -> ResponseReturnValue:
    return render_template("accounts/reset_link_invalid.html", expired=error.expired), 410 if error.expired else 404


@bp.get("/password/reset/<token>")
def reset_password(token: str) -> ResponseReturnValue:
    """Opening the link changes nothing (mail scanners open links too): the password is set by the POST."""
    try:
        user = passwords.user_for_reset(token)
    except passwords.ResetLinkError as error:
        return _bad_link(error)
    return _reset_page(token, user, NewPasswordForm(formdata=None))


@bp.post("/password/reset/<token>")
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def set_new_password(token: str) -> ResponseReturnValue:
    """The new password ends every session of the account, then the person signs in with it."""
    try:
        user = passwords.user_for_reset(token)
    except passwords.ResetLinkError as error:
        return _bad_link(error)
    form = NewPasswordForm()
    if not form.validate_on_submit():
        return _reset_page(token, user, form, 422)
    if problems := passwords.password_problems(form.new_password.data, email=user.email, name=user.name):
        form.new_password.errors = [*form.new_password.errors, *problems]
        return _reset_page(token, user, form, 422)
    passwords.change_password(user, form.new_password.data, user_agent=request.user_agent.string, ip=request.remote_addr or "")
    db.session.commit()
    if current_user.is_authenticated:
        logout_user()
    flash(_("Your password is changed and every session has ended. Sign in with your new password."))
    return redirect(url_for(".login"), 303)
