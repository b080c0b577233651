"""Accepting an invitation (/invitation/<token>): the invitee sets a name and a password, is signed in and lands
in the queue. Expired, used, withdrawn or mistyped links get a page that says what to do next."""

import logging
import time

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from ..core.extensions import db, limiter
from ..core.forms import one_line
from ..core.models import utcnow
from . import passwords, services
from .models import Invitation

bp = Blueprint("invitations", __name__)
log = logging.getLogger(__name__)


class AcceptInvitationForm(FlaskForm):
    name = StringField(_l("Your name"), [DataRequired(_l("This field is required.")), Length(max=120)], filters=[one_line])
    password = PasswordField(_l("Choose a password"), [DataRequired(_l("Please choose a password.")), Length(max=1000)])
    confirm = PasswordField(
        _l("The same password again"),
        [DataRequired(_l("Please type the password again.")), EqualTo("password", _l("The two passwords are not the same."))],
    )

    def check_strength(self, email: str) -> bool:
        """The house password rule (12+ characters, zxcvbn score 3+ given the name and email), its feedback
        shown under the field."""
        problems = passwords.password_problems(self.password.data or "", email=email, name=self.name.data or "")
        self.password.errors = [*self.password.errors, *problems]
        return not problems


def _problem(invitation: Invitation | None) -> str | None:
    """Why this link cannot be used ("invalid", "used", "expired"), or None when it can."""
    if invitation is None or invitation.revoked_at is not None:
        return "invalid"
    if invitation.accepted_at is not None:
        return "used"
    if invitation.is_expired(utcnow()):
        return "expired"
    return None


def _page(token: str, invitation: Invitation | None, form: AcceptInvitationForm | None = None, status: int = 200) -> ResponseReturnValue:
    problem = _problem(invitation)
    if problem:
        body = render_template("accounts/invitation_invalid.html", problem=problem)
        response = current_app.make_response((body, 404 if problem == "invalid" else 410))
    else:
        form = form or AcceptInvitationForm(formdata=None, data={"name": invitation.name})
        body = render_template("accounts/invitation.html", invitation=invitation, form=form, token=token)
        response = current_app.make_response((body, status))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/invitation/<token>")
def accept(token: str) -> ResponseReturnValue:
    """Shows the form; a link scanner that fetches it changes nothing."""
    return _page(token, services.invitation_by_token(token))


@bp.post("/invitation/<token>")
@limiter.limit(lambda: current_app.config.get("LOGIN_RATE_LIMIT", "10/minute"), methods=["POST"])
def accept_post(token: str) -> ResponseReturnValue:
    invitation = services.invitation_by_token(token)
    if _problem(invitation):
        return _page(token, invitation)
    form = AcceptInvitationForm()
    valid = form.validate_on_submit()
    if not (form.check_strength(invitation.email) and valid):
        return _page(token, invitation, form, 422)
    try:
        user = services.accept_invitation(invitation, name=form.name.data, password=form.password.data)
    except services.StaffRuleError as error:
        db.session.rollback()
        form.form_errors.append(str(error))
        return _page(token, invitation, form, 422)
    if current_user.is_authenticated:  # someone else was signed in on this browser: they are signed out here
        services.end_session(current_user)
        logout_user()
    services.start_session(user, user_agent=request.user_agent.string)
    db.session.commit()
    login_user(user)
    session["seen"] = int(time.time())
    flash(_("Welcome, %(name)s. Your account is ready and you are signed in.", name=user.name))
    return redirect(url_for("tickets.index"), 303)
