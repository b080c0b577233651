"""The agents' monthly satisfaction pulse: asked in the app, answered anonymously, shown only in aggregate."""

from datetime import timedelta

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select, update
from wtforms import RadioField, TextAreaField
from wtforms.validators import InputRequired, Length

from ..accounts.models import Notification, User
from ..core.auth import admin_required, agent_required
from ..core.extensions import db
from ..core.forms import clean_text, select_choices
from ..core.models import utcnow
from ..core.queue import job
from .models import PulseAnswer, PulseInvitation, PulseRound

MIN_ANSWERS = 3  # fewer answers would let people guess who said what
ROUND_DAYS = 14
bp = Blueprint("pulse", __name__, url_prefix="/pulse")
SCALE = [(str(n), str(n)) for n in range(1, 6)]


def _scale(label):
    return RadioField(label, choices=lambda: select_choices(SCALE), validators=[InputRequired(_l("Please choose from 1 to 5."))])


class PulseForm(FlaskForm):
    workload = _scale(_l("My workload is manageable"))
    tools = _scale(_l("Our tools help me do my job"))
    support = _scale(_l("I get the support I need from the team"))
    comment = TextAreaField(_l("Anything else? (anonymous)"), [Length(max=2000)], filters=[clean_text])


def open_round() -> PulseRound | None:
    """Open this month's round and invite every active agent in the app; a second run in the same month does nothing."""
    recent = db.session.scalar(select(PulseRound).where(PulseRound.opened_at > utcnow() - timedelta(days=20)))
    if recent is not None:
        return None
    return _start_round()


def open_round_by_hand() -> PulseRound | None:
    """An admin opens a round now (between the monthly ones); None while a round is still open."""
    if current_round() is not None:
        return None
    return _start_round()


def current_round() -> PulseRound | None:
    """The round open now, if any (the newest one)."""
    query = select(PulseRound).where(PulseRound.closes_at > utcnow()).order_by(PulseRound.id.desc()).limit(1)
    return db.session.scalar(query)


def _start_round() -> PulseRound:
    now = utcnow()
    pulse_round = PulseRound(opened_at=now, closes_at=now + timedelta(days=ROUND_DAYS))
    db.session.add(pulse_round)
    db.session.flush()
    for user in db.session.scalars(select(User).where(User.active.is_(True))):
        db.session.add(PulseInvitation(round_id=pulse_round.id, user_id=user.id))
        with force_locale(user.locale or current_app.config["DEFAULT_LOCALE"]):
            text = _("Monthly team pulse: three questions, one minute, anonymous.")
        db.session.add(Notification(user_id=user.id, kind="pulse", text=text))
    db.session.flush()
    return pulse_round


@job
def open_pulse_round() -> None:
    """Monthly from rq cron (PULSE_CRON, default 09:00 UTC on the 1st)."""
    open_round()


def _open_invitation(user_id: int) -> PulseInvitation | None:
    return db.session.scalar(
        select(PulseInvitation)
        .join(PulseRound)
        .where(PulseInvitation.user_id == user_id, PulseInvitation.is_answered.is_(False), PulseRound.closes_at > utcnow())
        .order_by(PulseRound.id.desc())
    )


@bp.get("/")
@agent_required
def show():
    invitation = _open_invitation(current_user.id)
    pulse_round = current_round() if invitation is None else None
    answered = pulse_round is not None and _has_answered(pulse_round, current_user.id)
    return render_template(
        "surveys/pulse.html",
        form=PulseForm(formdata=None),
        invitation=invitation,
        pulse_round=pulse_round,
        answered=answered,
        round_days=ROUND_DAYS,
    )


def _has_answered(pulse_round: PulseRound, user_id: int) -> bool:
    query = select(PulseInvitation.is_answered).where(PulseInvitation.round_id == pulse_round.id, PulseInvitation.user_id == user_id)
    return bool(db.session.scalar(query))


@bp.post("/")
@agent_required
def answer():
    invitation = _open_invitation(current_user.id)
    if invitation is None:
        abort(404)
    form = PulseForm()
    if not form.validate_on_submit():
        return render_template("surveys/pulse.html", form=form, invitation=invitation, round_days=ROUND_DAYS), 422
    # Mark the invitation answered and store the answer with no link to it (an atomic guard against answering twice).
    done = db.session.execute(
        update(PulseInvitation).where(PulseInvitation.id == invitation.id, PulseInvitation.is_answered.is_(False)).values(is_answered=True)
    )
    if done.rowcount == 1:
        db.session.add(
            PulseAnswer(
                round_id=invitation.round_id,
                workload=int(form.workload.data),
                tools=int(form.tools.data),
                support=int(form.support.data),
                comment=form.comment.data or "",
                answered_on=utcnow().date(),
            )
        )
    db.session.commit()
    flash(_("Thank you. Your answer is anonymous."))
    return redirect(url_for(".show"), 303)


@bp.get("/results")
@admin_required
def results():
    rows = db.session.execute(
        select(
            PulseRound,
            func.count(PulseAnswer.key),
            func.avg(PulseAnswer.workload),
            func.avg(PulseAnswer.tools),
            func.avg(PulseAnswer.support),
        )
        .outerjoin(PulseAnswer, PulseAnswer.round_id == PulseRound.id)
        .group_by(PulseRound.id)
        .order_by(PulseRound.id.desc())
        .limit(12)
    ).all()
    comments = {}
    for pulse_round, count, *_averages in rows:
        if count >= MIN_ANSWERS:
            query = select(PulseAnswer.comment).where(PulseAnswer.round_id == pulse_round.id, PulseAnswer.comment != "")
            comments[pulse_round.id] = sorted(db.session.scalars(query))  # sorted: no order that hints at who wrote what
    return render_template(
        "surveys/pulse_results.html",
        rows=rows,
        comments=comments,
        minimum=MIN_ANSWERS,
        open_round=_open_round_progress(),
        round_days=ROUND_DAYS,
    )


def _open_round_progress() -> tuple[PulseRound, int, int] | None:
    """The open round with how many were asked and how many answered (never who)."""
    pulse_round = current_round()
    if pulse_round is None:
        return None
    asked, answered = db.session.execute(
        select(func.count(PulseInvitation.id), func.count(PulseInvitation.id).filter(PulseInvitation.is_answered.is_(True))).where(
            PulseInvitation.round_id == pulse_round.id
        )
    ).one()
    return pulse_round, asked, answered


@bp.post("/rounds")
@admin_required
def open_now():
    """The admin's button: open a round now, inviting every active agent."""
    pulse_round = open_round_by_hand()
    if pulse_round is None:
        flash(_("A pulse round is already open."))
    else:
        db.session.commit()
        flash(_("The pulse round is open: every active agent has been asked in the app."))
    return redirect(url_for(".results"), 303)
