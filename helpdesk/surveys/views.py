"""The customer's survey page (from the emailed link) and the opt-out. GET shows, only POST records."""

from flask import Blueprint, abort, current_app, g, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_babel import refresh
from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from ..core.extensions import db, limiter
from ..core.forms import clean_text, select_choices
from ..core.models import utcnow
from . import services

bp = Blueprint("surveys", __name__, url_prefix="/survey")
SCALE = [(str(n), str(n)) for n in range(1, 6)]


class SurveyForm(FlaskForm):
    rating = RadioField(
        _l("Your rating"), choices=lambda: select_choices(SCALE), validators=[InputRequired(_l("Please choose a rating from 1 to 5."))]
    )
    resolution_time = RadioField(_l("How long it took"), choices=lambda: select_choices(SCALE), validators=[Optional()])
    agent_skill = RadioField(
        _l("How capable the person who helped you was"), choices=lambda: select_choices(SCALE), validators=[Optional()]
    )
    channel_ease = RadioField(_l("How easy it was to reach us"), choices=lambda: select_choices(SCALE), validators=[Optional()])
    comment = TextAreaField(_l("Anything else you would like to tell us?"), [Length(max=5000)], filters=[clean_text])


def _invitation_or_404(token: str):
    invitation = services.invitation_for_token(token)
    if invitation is None:
        abort(404)
    _speak_the_customers_language(invitation)
    return invitation


def _speak_the_customers_language(invitation) -> None:
    """The survey is in the language the customer wrote in (unless they picked another with the switch)."""
    from ..tickets.models import Ticket

    locale = db.session.get(Ticket, invitation.ticket_id).customer.locale
    if locale in current_app.config["LANGUAGES"] and not request.cookies.get("lang"):
        g.survey_locale = locale
        refresh()


def _number(value) -> int | None:
    return int(value) if value else None


def _version(response) -> str:
    """What the answer looked like when a page was shown: a page that sends itself must not overwrite a newer answer."""
    return response.updated_at.isoformat() if response is not None else ""


def _page(invitation, token: str, form: SurveyForm, *, saved: bool = False, autosend: bool = False, seen: str = ""):
    return render_template(
        "surveys/show.html",
        form=form,
        invitation=invitation,
        response=invitation.response,
        token=token,
        question=_question(),
        saved=saved,
        autosend=autosend,
        seen=seen,
    )


@bp.get("/<token>")
def show(token: str):
    """Show the survey. A rating clicked in the email arrives as ?rating=N: preselected here, recorded by the POST
    that survey.js sends from the page (a link scanner or prefetcher that only GETs records nothing)."""
    invitation = _invitation_or_404(token)
    if invitation.expires_at < utcnow():
        return render_template("surveys/expired.html"), 410
    response = invitation.response
    data = {"comment": response.comment if response else ""}
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
def answer(token: str):
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
def opt_out(token: str):
    invitation = _invitation_or_404(token)
    return render_template("surveys/opt_out.html", token=token, done=False, invitation=invitation)


@bp.post("/<token>/opt-out")
def confirm_opt_out(token: str):
    invitation = _invitation_or_404(token)
    from ..tickets.models import Ticket

    ticket = db.session.get(Ticket, invitation.ticket_id)
    ticket.customer.is_survey_opt_out = True
    db.session.commit()
    return render_template("surveys/opt_out.html", token=token, done=True, invitation=invitation)


def _question() -> str:
    from flask_babel import get_locale

    config = services.settings()
    return config.question_es if str(get_locale()).startswith("es") else config.question_en
