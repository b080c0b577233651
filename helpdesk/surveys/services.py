"""Survey writes: schedule on resolution, cancel on reopening, invite once per resolution, record answers, opt out;
and the agents' monthly pulse: open a round, record an anonymous answer.

Flushes, never commits: the caller (view or job) owns the transaction.
"""

from datetime import timedelta

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from ..accounts.models import Notification
from ..accounts.queries import active_staff
from ..core.extensions import db
from ..core.i18n import in_viewer_language
from ..core.models import utcnow
from ..core.queue import enqueue_in
from ..core.tokens import sign, unsign
from ..core.urls import external_url
from ..mail.outbound import queue_email
from ..tickets.models import Ticket, TicketStatus
from . import queries
from .models import PulseAnswer, PulseInvitation, PulseRound, SurveyInvitation, SurveyResponse, SurveySettings

PURPOSE = "survey"
LOW_RATING = 2
ROUND_DAYS = 14  # a pulse round stays open this long
MONTHLY_GAP = timedelta(days=20)  # the monthly job skips a month whose round an admin opened lately


def settings() -> SurveySettings:
    """The owner's survey settings (the row is created if a database lacks it)."""
    row = db.session.get(SurveySettings, 1)
    if row is None:  # a database created without the migration's seed row
        row = SurveySettings(id=1)
        db.session.add(row)
        db.session.flush()
    return row


def schedule_survey(ticket: Ticket) -> None:
    """The ticket was just resolved: its survey is due after the configured delay (a job is scheduled after commit)."""
    config = settings()
    if not config.is_enabled:
        return
    ticket.survey_due_at = (ticket.resolved_at or utcnow()) + timedelta(minutes=config.delay_minutes)
    enqueue_in(timedelta(minutes=config.delay_minutes), "helpdesk.surveys.jobs.send_survey", ticket.id)


def on_status_changed(ticket: Ticket, *, old: TicketStatus, new: TicketStatus, **_: object) -> None:
    """Receiver of `tickets.events.status_changed`: a resolution is surveyed; reopening cancels the survey due."""
    if new is TicketStatus.RESOLVED:
        schedule_survey(ticket)
    elif new is not TicketStatus.CLOSED and old in (TicketStatus.RESOLVED, TicketStatus.CLOSED):
        cancel_survey(ticket)


def cancel_survey(ticket: Ticket) -> None:
    """Reopened before the survey went out: nothing is sent for that resolution."""
    ticket.survey_due_at = None


def invite(ticket_id: int) -> SurveyInvitation | None:
    """Send the survey of the ticket's current resolution if it is due. Safe to run any number of times."""
    now = utcnow()
    ticket = db.session.scalar(select(Ticket).where(Ticket.id == ticket_id).with_for_update())
    if ticket is None or ticket.survey_due_at is None or ticket.survey_due_at > now:
        return None
    ticket.survey_due_at = None
    if ticket.status not in (TicketStatus.RESOLVED, TicketStatus.CLOSED) or ticket.resolved_at is None:
        return None
    if ticket.customer.is_survey_opt_out or (ticket.category is not None and not ticket.category.is_surveyed):
        return None
    config = settings()
    try:
        with db.session.begin_nested():
            invitation = SurveyInvitation(
                ticket_id=ticket.id, resolved_at=ticket.resolved_at, expires_at=now + timedelta(days=config.expiry_days)
            )
            db.session.add(invitation)
    except IntegrityError:  # this resolution was surveyed already
        return None
    _queue_invitation_email(ticket, invitation, config)
    return invitation


def survey_token(invitation: SurveyInvitation) -> str:
    """The signed part of the survey link: names the invitation and a piece of its key (replacing the key revokes it)."""
    return sign(PURPOSE, [invitation.id, invitation.key[:12]])


def invitation_for_token(token: str) -> SurveyInvitation | None:
    """The invitation the token names (expired ones included: the page says so); None when forged or revoked."""
    payload = unsign(PURPOSE, token, 366 * 86400)
    if not (isinstance(payload, list) and len(payload) == 2 and isinstance(payload[0], int)):
        return None
    invitation = db.session.get(SurveyInvitation, payload[0])
    if invitation is None or invitation.key[:12] != payload[1]:
        return None
    return invitation


def record_response(
    invitation: SurveyInvitation,
    *,
    rating: int,
    resolution_time: int | None,
    agent_skill: int | None,
    channel_ease: int | None,
    comment: str,
) -> SurveyResponse:
    """Store the answer; answering again (before expiry) changes it, never adds a second one.

    Sending the same answer again changes nothing (no new time, no alert). The assignee and the team lead hear about
    a low rating once: when the answer becomes low, not at every change of a low answer.
    """
    previous = invitation.response
    values = {
        "rating": rating,
        "resolution_time": resolution_time,
        "agent_skill": agent_skill,
        "channel_ease": channel_ease,
        "comment": comment,
    }
    if previous is None:
        response = SurveyResponse(invitation_id=invitation.id, updated_at=utcnow(), **values)
        try:
            with db.session.begin_nested():
                db.session.add(response)
        except IntegrityError:  # answered at the same moment (two tabs, a double click): change that answer instead
            db.session.expire(invitation, ["response"])
            if invitation.response is None:
                raise
            return record_response(invitation, **values)
        was_low = False
    elif all(getattr(previous, name) == value for name, value in values.items()):
        return previous
    else:
        was_low = previous.rating <= LOW_RATING  # read before the new answer replaces it
        response = previous
        for name, value in values.items():
            setattr(response, name, value)
        response.updated_at = utcnow()
        db.session.flush()
    if rating <= LOW_RATING and not was_low:
        notify_low_rating(invitation, response)
    return response


def opt_out(invitation: SurveyInvitation) -> None:
    """The customer the invitation was sent to gets no more surveys."""
    queries.invitation_customer(invitation).is_survey_opt_out = True
    db.session.flush()


def notify_low_rating(invitation: SurveyInvitation, response: SurveyResponse) -> None:
    """A 1 or 2: the ticket's assignee and its team's lead hear about it in the app and by email."""
    ticket = db.session.get(Ticket, invitation.ticket_id)
    people = {u.id: u for u in (ticket.assignee, ticket.team.lead if ticket.team else None) if u is not None and u.active}
    for user in people.values():
        with force_locale(user.locale or current_app.config["DEFAULT_LOCALE"]):
            text = _(
                "%(ref)s was rated %(n)d of 5 by %(customer)s.",
                ref=ticket.reference,
                n=response.rating,
                customer=ticket.customer.display_name,
            )
            db.session.add(Notification(user_id=user.id, ticket_id=ticket.id, kind="low_rating", text=text))
            link = external_url("tickets.show", number=ticket.number)
            body = text + (f"\n\n“{response.comment}”" if response.comment else "") + f"\n\n{link}"
            queue_email(
                to=user.email,
                subject=_("Low rating on %(ref)s", ref=ticket.reference),
                body_text=body,
                body_html=render_template("email/surveys/low_rating.html", text=text, comment=response.comment, link=link),
                kind="low_rating",
                idempotency_key=f"low-rating:{response.id}:{user.id}:{response.updated_at.timestamp():.0f}",
                ticket_id=ticket.id,
                auto_submitted=True,
            )


def _queue_invitation_email(ticket: Ticket, invitation: SurveyInvitation, config: SurveySettings) -> None:
    locale = ticket.customer.locale or current_app.config["DEFAULT_LOCALE"]
    db.session.flush()
    token = survey_token(invitation)
    with force_locale(locale):
        question = in_viewer_language(config.question_en, config.question_es, locale)
        context = {
            "ticket": ticket,
            "question": question,
            "ratings": [(n, external_url("surveys.show", token=token, rating=n)) for n in range(1, 6)],
            "opt_out": external_url("surveys.opt_out", token=token),
            "company": current_app.config["COMPANY_NAME"],
        }
        queue_email(
            to=ticket.customer.email,
            subject=_("How did we do? %(ref)s", ref=f"[{ticket.reference}]"),
            body_text=render_template("email/surveys/invitation.txt", **context),
            body_html=render_template("email/surveys/invitation.html", **context),
            kind="survey",
            idempotency_key=f"survey:{invitation.id}",
            ticket_id=ticket.id,
            auto_submitted=True,
        )


def open_round() -> PulseRound | None:
    """The monthly job: open a round and invite every active agent in the app, unless a round opened in the last
    20 days (this month's, or one an admin opened lately). None when it did nothing; a second run does nothing."""
    newest = queries.latest_round()
    if newest is not None and newest.opened_at > utcnow() - MONTHLY_GAP:
        return None
    return _start_round(after=newest)


def open_round_by_hand() -> PulseRound | None:
    """An admin opens a round now (between the monthly ones); None while a round is still open."""
    newest = queries.latest_round()
    if newest is not None and newest.closes_at > utcnow():
        return None
    return _start_round(after=newest)


def _start_round(*, after: PulseRound | None) -> PulseRound | None:
    """Open the round that follows `after` (the newest round the caller's guard read). None when another opener
    that read the same newest round got there first: the unique round number refuses the second one."""
    now = utcnow()
    pulse_round = PulseRound(number=after.number + 1 if after else 1, opened_at=now, closes_at=now + timedelta(days=ROUND_DAYS))
    try:
        with db.session.begin_nested():
            db.session.add(pulse_round)
    except IntegrityError:  # PostgreSQL: the other opener committed while this insert waited on the key
        return None
    for user in active_staff():
        db.session.add(PulseInvitation(round_id=pulse_round.id, user_id=user.id))
        with force_locale(user.locale or current_app.config["DEFAULT_LOCALE"]):
            text = _("Monthly team pulse: three questions, one minute, anonymous.")
        db.session.add(Notification(user_id=user.id, kind="pulse", text=text))
    db.session.flush()
    return pulse_round


def record_pulse_answer(invitation: PulseInvitation, *, workload: int, tools: int, support: int, comment: str) -> bool:
    """Mark the invitation answered and store the answer with no link to it. False (nothing stored) when it was
    answered already: the conditional update is the atomic guard against answering twice."""
    done = db.session.execute(
        update(PulseInvitation).where(PulseInvitation.id == invitation.id, PulseInvitation.is_answered.is_(False)).values(is_answered=True)
    )
    if done.rowcount != 1:
        return False
    db.session.add(
        PulseAnswer(
            round_id=invitation.round_id,
            workload=workload,
            tools=tools,
            support=support,
            comment=comment,
            answered_on=utcnow().date(),
        )
    )
    db.session.flush()
    return True
