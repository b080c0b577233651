"""Survey pages: the customer's survey (from the emailed link) and the opt-out, GET shows and only POST records;
and the agents' monthly pulse (`pulse` blueprint): asked in the app, answered anonymously, shown only in aggregate.
"""

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import refresh
from flask_login import current_user

from ..core.auth import admin_required, agent_required
from ..core.extensions import db, limiter
from ..core.i18n import in_viewer_language
from ..core.models import utcnow
from . import queries, services
from .forms import PulseForm, SurveyForm
from .models import PulseInvitation, SurveyInvitation, SurveyResponse

bp = Blueprint("surveys", __name__, url_prefix="/survey")
pulse_bp = Blueprint("pulse", __name__, url_prefix="/pulse")


def _invitation_or_404(token: str) -> SurveyInvitation:
    invitation = services.invitation_for_token(token)
    if invitation is None:
        abort(404)
    _speak_the_customers_language(invitation)
    return invitation


def _speak_the_customers_language(invitation: SurveyInvitation) -> None:
    """The survey is in the language the customer wrote in (unless they picked another with the switch)."""
    locale = queries.invitation_customer(invitation).locale
    if locale in current_app.config["LANGUAGES"] and not request.cookies.get("lang"):
        g.survey_locale = locale
        refresh()


def _number(value: str | None) -> int | None:
    return int(value) if value else None


def _version(response: SurveyResponse | None) -> str:
    """What the answer looked like when a page was shown: a page that sends itself must not overwrite a newer answer."""
    return response.updated_at.isoformat() if response is not None else ""


def _page(
    invitation: SurveyInvitation, token: str, form: SurveyForm, *, saved: bool = False, autosend: bool = False, seen: str = ""
) -> str:
    config = services.settings()
    return render_template(
        "surveys/show.html",
        form=form,
        invitation=invitation,
        response=invitation.response,
        token=token,
        question=in_viewer_language(config.question_en, config.question_es),
        saved=saved,
        autosend=autosend,
        seen=seen,
    )


@bp.get("/<token>")
def show(token: str) -> ResponseReturnValue:
    """Show the survey. A rating clicked in the email arrives as ?rating=N: preselected here, recorded by the POST
    that survey.js sends from the page (a link scanner or prefetcher that only GETs records nothing)."""
    invitation = _invitation_or_404(token)
    if invitation.expires_at < utcnow():
        return render_template("surveys/expired.html"), 410
    response = invitation.response
    data: dict[str, str | None] = {"comment": response.comment if response else ""}
    for name in ("rating", "resolution_time", "agent_skill", "channel_ease"):
        value = getattr(response, name, None) if response else None
        data[name] = str(value) if value else None
    saved, autosend = request.args.get("saved") == "1" and response is not None, False
    clicked = request.args.get("rating")
    if clicked in {"1", "2", "3", "4", "5"}:
        if data["rating"] == clicked:
            saved = True  # recorded already (a reload, the back button, a second click on the same number)
        else:
            data["rating"], autosend = clicked, True
    form = SurveyForm(formdata=None, data=data)
    return _page(invitation, token, form, saved=saved, autosend=autosend, seen=_version(response))


@bp.post("/<token>")
@limiter.limit("30 per hour", methods=["POST"])
def answer(token: str) -> ResponseReturnValue:
    invitation = _invitation_or_404(token)
    if invitation.expires_at < utcnow():
        return render_template("surveys/expired.html"), 410
    if request.form.get("auto") == "1" and request.form.get("seen", "") != _version(invitation.response):
        # An old copy of the page sent itself again (history, cache): the answer changed since, keep it.
        return redirect(url_for(".show", token=token), 303)
    form = SurveyForm()
    if not form.validate_on_submit():
        return _page(invitation, token, form, seen=request.form.get("seen", "")), 422
    services.record_response(
        invitation,
        rating=int(form.rating.data),
        resolution_time=_number(form.resolution_time.data),
        agent_skill=_number(form.agent_skill.data),
        channel_ease=_number(form.channel_ease.data),
        comment=form.comment.data or "",
    )
    db.session.commit()
    return redirect(url_for(".show", token=token, saved=1), 303)


@bp.get("/<token>/opt-out")
def opt_out(token: str) -> ResponseReturnValue:
    invitation = _invitation_or_404(token)
    return render_template("surveys/opt_out.html", token=token, done=False, invitation=invitation)


@bp.post("/<token>/opt-out")
def confirm_opt_out(token: str) -> ResponseReturnValue:
    invitation = _invitation_or_404(token)
    services.opt_out(invitation)
    db.session.commit()
    return render_template("surveys/opt_out.html", token=token, done=True, invitation=invitation)


@pulse_bp.get("/", endpoint="show")
@agent_required
def show_pulse() -> ResponseReturnValue:
    invitation = queries.open_pulse_invitation(current_user.id)
    pulse_round = queries.current_round() if invitation is None else None
    answered = pulse_round is not None and queries.has_answered(pulse_round, current_user.id)
    return _pulse_page(PulseForm(formdata=None), invitation, pulse_round=pulse_round, answered=answered)


def _pulse_page(form: PulseForm, invitation: PulseInvitation | None, **context: object) -> str:
    return render_template("surveys/pulse.html", form=form, invitation=invitation, round_days=services.ROUND_DAYS, **context)


@pulse_bp.post("/", endpoint="answer")
@agent_required
def answer_pulse() -> ResponseReturnValue:
    invitation = queries.open_pulse_invitation(current_user.id)
    if invitation is None:
        abort(404)
    form = PulseForm()
    if not form.validate_on_submit():
        return _pulse_page(form, invitation), 422
    services.record_pulse_answer(
        invitation,
        workload=int(form.workload.data),
        tools=int(form.tools.data),
        support=int(form.support.data),
        comment=form.comment.data or "",
    )
    db.session.commit()
    flash(_("Thank you. Your answer is anonymous."))
    return redirect(url_for(".show"), 303)


@pulse_bp.get("/results")
@admin_required
def results() -> ResponseReturnValue:
    rows = queries.pulse_results(limit=12)
    # Comments only where enough people answered that none can be traced to one person.
    comments = {
        pulse_round.id: queries.round_comments(pulse_round.id) for pulse_round, count, *_averages in rows if count >= queries.MIN_ANSWERS
    }
    return render_template(
        "surveys/pulse_results.html",
        rows=rows,
        comments=comments,
        minimum=queries.MIN_ANSWERS,
        open_round=queries.round_progress(),
        round_days=services.ROUND_DAYS,
    )


@pulse_bp.post("/rounds")
@admin_required
def open_now() -> ResponseReturnValue:
    """The admin's button: open a round now, inviting every active agent."""
    if services.open_round_by_hand() is None:
        flash(_("A pulse round is already open."))
    else:
        db.session.commit()
        flash(_("The pulse round is open: every active agent has been asked in the app."))
    return redirect(url_for(".results"), 303)
