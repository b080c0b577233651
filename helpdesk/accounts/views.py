"""Staff sign-in, sign-out and preferences."""

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload

from ..core.forms import ActionForm
from ..core.models import utcnow
from ..core.urls import safe_next
from ..customers.services import normalize_email
from ..extensions import db, limiter
from . import services
from .forms import LoginForm, PreferencesForm
from .models import Notification

bp = Blueprint("accounts", __name__)


def _safe_next(target: str | None) -> str:
    """Only a local path may be the target after sign-in (no open redirect)."""
    return safe_next(target, url_for("tickets.index"))


@bp.get("/login")
def login():
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
def login_post():
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("accounts/login.html", form=form), 422
    user = services.authenticate(form.email.data, form.password.data)
    if user is None:
        db.session.commit()
        form.form_errors.append(_("Wrong email or password."))
        return render_template("accounts/login.html", form=form), 401
    db.session.commit()
    login_user(user, remember=form.remember.data)
    return redirect(_safe_next(request.args.get("next")), 303)


@bp.post("/logout")
@login_required
def logout():
    if ActionForm().validate_on_submit():
        services.end_all_sessions(current_user)
        db.session.commit()
        logout_user()
        flash(_("You are signed out."))
    return redirect(url_for("accounts.login"), 303)


@bp.get("/account")
@login_required
def preferences():
    form = PreferencesForm(
        locale=current_user.locale or current_app.config["DEFAULT_LOCALE"], timezone=current_user.timezone or current_app.config["TIMEZONE"]
    )
    return render_template("accounts/preferences.html", form=form)


@bp.post("/account")
@login_required
def update_preferences():
    form = PreferencesForm()
    if not form.validate_on_submit():
        return render_template("accounts/preferences.html", form=form), 422
    current_user.locale = form.locale.data
    current_user.timezone = form.timezone.data
    db.session.commit()
    flash(_("Your preferences are saved."))
    return redirect(url_for("accounts.preferences"), 303)


@bp.get("/notifications")
@login_required
def notifications():
    rows = db.session.scalars(
        select(Notification)
        .where(Notification.user_id == current_user.id)
        .options(joinedload(Notification.ticket))
        .order_by(Notification.id.desc())
        .limit(100)
    ).all()
    return render_template("accounts/notifications.html", notifications=rows)


@bp.post("/notifications/read")
@login_required
def read_notifications():
    if ActionForm().validate_on_submit():
        db.session.execute(
            update(Notification).where(Notification.user_id == current_user.id, Notification.read_at.is_(None)).values(read_at=utcnow())
        )
        db.session.commit()
    return redirect(url_for(".notifications"), 303)


@bp.after_app_request
def report_full_storage(response):
    """An upload failed because the disk is full (core.storage says so in `g`): tell the admins, once per outage.
    The request itself already failed and saved nothing, so its own transaction is discarded first."""
    if g.pop("storage_full", False):
        try:
            db.session.rollback()
            services.notify_admins_of_full_storage()
            db.session.commit()
        except Exception:  # the database may share the full disk: the user's answer must not become a 500
            db.session.rollback()
            current_app.logger.exception("Could not notify admins that storage is full")
    return response


@bp.app_context_processor
def notification_count():
    def unread() -> int:
        if not current_user.is_authenticated:
            return 0
        query = select(func.count()).select_from(Notification)
        return db.session.scalar(query.where(Notification.user_id == current_user.id, Notification.read_at.is_(None)))

    return {"unread_notifications": unread}
