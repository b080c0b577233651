"""Agent pages: the queue, one ticket (replies, notes, properties), and a ticket taken by phone."""

import json
from datetime import datetime

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale, pgettext
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from ..accounts import queries as account_queries
from ..accounts.models import Team, User
from ..accounts.queries import active_staff
from ..core.auth import agent_required
from ..core.errors import InvalidTransition, StaleVersion
from ..core.extensions import db
from ..core.forms import select_choices
from ..core.htmx import render, wants_fragment
from ..core.models import id_from
from ..core.storage import UploadRejected, files_kept_on_commit, store_uploads
from ..customers.services import find_or_create_customer
from . import panels, queries, services
from .custom_fields import answers, display, field_name, form_data, form_with_fields
from .downloads import attachment_of, send_attachment
from .forms import FieldsForm, NewTicketForm, PropertiesForm, ReplyForm, priority_choices, status_choices
from .models import Category, Channel, CustomField, Level, Priority, Ticket, TicketStatus

bp = Blueprint("tickets", __name__, url_prefix="/tickets")
QUERY_KEYS = ("view", "status", "priority", "assignee", "category", "field", "sort")


def _filters_from(args: MultiDict[str, str]) -> queries.QueueFilters:
    """The queue's view and filters from the query string; unknown values are ignored, never an error."""
    view = args.get("view", "open")
    filters = queries.QueueFilters(view=view if view in queries.VIEWS else "open")
    if args.get("status") in {s.value for s in TicketStatus}:
        filters.status = TicketStatus(args["status"])
    if args.get("priority") in {p.value for p in Priority}:
        filters.priority = Priority(args["priority"])
    assignee = args.get("assignee", "")
    if assignee == "none":
        filters.assignee_id = 0
    elif (assignee_id := id_from(assignee)) is not None:
        filters.assignee_id = assignee_id
    if (category_id := id_from(args.get("category"))) is not None:
        filters.category_id = category_id
    raw_field, _sep, option = args.get("field", "").partition(":")
    if (field_id := id_from(raw_field)) is not None and 0 < len(option) <= 100:
        filters.field_option = (field_id, option)
    filters.oldest_first = args.get("sort") == "oldest"
    return filters


def _filter_fields() -> list[tuple[str, str, list]]:
    """(name, label, options) of the queue's filter selects (a plain GET form: bookmarkable)."""
    agents = [(str(a.id), a.name) for a in active_staff()]
    locale = str(get_locale())
    categories = [(str(c.id), c.name(locale)) for c in queries.active_categories()]
    answers = [
        (f"{f.id}:{o['value']}", f"{f.label(locale)}: {f.option_label(o['value'], locale)}")
        for f in queries.choice_fields()
        for o in f.options or []
    ]
    return [
        ("status", _("Status"), [("", _("Any status")), *status_choices()]),
        ("priority", _("Priority"), [("", _("Any priority")), *priority_choices()]),
        ("assignee", _("Assignee"), [("", _("Anyone")), ("none", _("Nobody")), *agents]),
        ("category", _("Category"), [("", _("Any category")), *categories]),
        ("field", _("Answer"), [("", _("Any answer")), *answers]),
        ("sort", _("Sort"), [("newest", _("Recently updated")), ("oldest", _("Least recently updated"))]),
    ]


def _queue_context() -> dict[str, object]:
    filters = _filters_from(request.args)
    page = queries.queue_page(
        queries.queue_query(filters, current_user),
        oldest_first=filters.oldest_first,
        after=request.args.get("after"),
        before=request.args.get("before"),
    )
    latest = queries.latest_change()
    first_page = not request.args.get("after") and not request.args.get("before")
    return {
        "filters": filters,
        "filter_fields": _filter_fields(),
        "page": page,
        "since": latest.isoformat() if latest else "",
        "poll": first_page,
        "poll_seconds": current_app.config["QUEUE_POLL_SECONDS"],
        "query_args": {k: v for k, v in request.args.items() if k in QUERY_KEYS},
    }


@bp.get("/")
@agent_required
def index() -> ResponseReturnValue:
    return render("tickets/index.html", "tickets/_list.html", **_queue_context())


@bp.get("/changes")
@agent_required
def changes() -> ResponseReturnValue:
    """Polled by the queue: 204 while nothing changed (one index lookup), else the refreshed list."""
    latest = queries.latest_change()
    try:
        since = datetime.fromisoformat(request.args.get("since", ""))
    except ValueError:
        since = None
    if since is not None and since.tzinfo is None:  # ours always carry +00:00; anything else: refresh
        since = None
    if latest is None or (since is not None and latest <= since):
        return Response(status=204)
    return render("tickets/index.html", "tickets/_list.html", **_queue_context())


def _ticket_or_404(number: int, *, for_update: bool = False) -> Ticket:
    ticket = queries.ticket_by_number(number, for_update=for_update)
    if ticket is None:
        abort(404)
    return ticket


def _properties_data(ticket: Ticket) -> dict[str, object]:
    return {
        "version": ticket.version,
        "status": ticket.status.value,
        "impact": ticket.impact.value,
        "urgency": ticket.urgency.value,
        "priority": ticket.priority.value if ticket.is_priority_overridden else "",
        "assignee_id": ticket.assignee_id or 0,
        "team_id": ticket.team_id or 0,
        "category_id": ticket.category_id or 0,
    }


def _properties_form(ticket: Ticket, formdata: MultiDict | None = None, **kwargs: object) -> PropertiesForm:
    form = PropertiesForm(formdata=formdata, data=_properties_data(ticket), **kwargs)
    form.priority.choices = select_choices([("", _("Automatic (impact × urgency)"))] + priority_choices())
    form.assignee_id.choices = select_choices([(0, _("Nobody"))] + [(a.id, a.name) for a in active_staff()])
    teams = account_queries.teams()
    form.team_id.choices = select_choices([(0, pgettext("team", "None"))] + [(t.id, t.name) for t in teams])
    categories = queries.all_categories()
    locale = str(get_locale())
    form.category_id.choices = select_choices([(0, pgettext("category", "None"))] + [(c.id, c.name(locale)) for c in categories])
    return form


def _properties(form: PropertiesForm) -> services.Properties:
    return services.Properties(
        status=TicketStatus(form.status.data),
        impact=Level(form.impact.data),
        urgency=Level(form.urgency.data),
        priority=Priority(form.priority.data) if form.priority.data else None,
        # The choice was validated against the active agents the form loaded: this is an identity-map hit.
        assignee=db.session.get(User, form.assignee_id.data) if form.assignee_id.data else None,
        team=db.session.get(Team, form.team_id.data) if form.team_id.data else None,
        category=db.session.get(Category, form.category_id.data) if form.category_id.data else None,
    )


def _sidebar_form(ticket: Ticket) -> PropertiesForm | None:
    """The Details panel's unsaved changes that came along with a reply or an answers save (app.js sends the
    changed fields as sidebar-<name>, with sidebar-version); None when there are none."""
    posted = {k.removeprefix("sidebar-"): v for k, v in request.form.items() if k.startswith("sidebar-")}
    if set(posted) <= {"version"}:
        return None
    formdata = MultiDict({name: str(value) for name, value in _properties_data(ticket).items()})
    # Changes that do not say which version they were made on are taken as made on an old one (a 409), never
    # as made on the current one: that would overwrite what a colleague saved in between.
    formdata["version"] = "-1"
    for name, value in posted.items():
        formdata[name] = value
    form = _properties_form(ticket, formdata=formdata, meta={"csrf": False})  # the form it came with was checked
    form.validate()
    return form


def _save_sidebar(ticket: Ticket, form: PropertiesForm | None) -> None:
    """Apply the Details panel's changes (if any) before a reply or an answers save; StaleVersion if outdated."""
    if form is not None:
        services.update_properties(ticket, _properties(form), actor=current_user, expected_version=form.version.data)


def _fields_form(ticket: Ticket, formdata: MultiDict | None = None) -> tuple[FieldsForm, list[CustomField]]:
    fields = queries.ticket_fields(ticket)
    form_class = form_with_fields(FieldsForm, fields, str(get_locale()))
    loaded = queries.field_values(ticket)
    shown = {str(f.id): loaded.get(f.id, []) for f in fields}
    data = {**form_data(loaded, fields), "version": ticket.version, "loaded": json.dumps(shown, ensure_ascii=False)}
    return form_class(formdata=formdata, data=data), fields


def _loaded_answers(form: FieldsForm) -> dict[int, list[str]] | None:
    """The answers the fields form showed when loaded (its hidden JSON); None when missing or not ours."""
    try:
        shown = json.loads(form.loaded.data or "")
        return {int(k): [str(v) for v in values] for k, values in shown.items() if isinstance(values, list)}
    except (ValueError, TypeError, AttributeError):
        return None


def _show(ticket: Ticket, *, status: int = 200, fragment: str = "tickets/show.html", **context: object) -> ResponseReturnValue:
    """The ticket page, or one of its regions; context overrides the forms and messages (e.g. a kept reply)."""
    if context.get("fields_form") is None:
        context["fields_form"], fields = _fields_form(ticket)
    else:
        fields = queries.ticket_fields(ticket)
    context.setdefault("reply_form", None)
    context["reply_form"] = context["reply_form"] or ReplyForm(formdata=None)
    context["properties_form"] = context.get("properties_form") or _properties_form(ticket, formdata=None)
    return render(
        "tickets/show.html",
        fragment,
        status=status,
        ticket=ticket,
        activity=queries.ticket_activity(ticket),
        fields=fields,
        field_values=queries.field_values(ticket),
        other_answers=queries.other_answers(ticket),
        **panels.context_for(ticket),
        field_name=field_name,
        display=display,
        **context,
    )


@bp.get("/<id:number>")
@agent_required
def show(number: int) -> ResponseReturnValue:
    return _show(_ticket_or_404(number))


AFTER = {"pending": services.AfterReply.WAIT, "resolved": services.AfterReply.RESOLVE, "keep": services.AfterReply.KEEP}


@bp.post("/<id:number>/reply")
@agent_required
def reply(number: int) -> ResponseReturnValue:
    ticket = _ticket_or_404(number, for_update=True)
    form, sidebar = ReplyForm(), _sidebar_form(ticket)
    conversation = {"fragment": "tickets/_conversation_response.html", "reply_form": form}
    if not form.validate_on_submit() or (sidebar is not None and sidebar.errors):
        return _show(ticket, status=422, keep_sidebar=True, **conversation)
    # The status the Details panel was set to wins over the one the Send button offers.
    after = services.AfterReply.KEEP if sidebar and sidebar.status.data != ticket.status.value else AFTER.get(form.send.data or "pending")
    if sidebar and not form.is_note and sidebar.status.data == TicketStatus.CLOSED.value != ticket.status.value:
        # A closed ticket takes no reply: send it first, then close it as the Details panel says.
        sidebar.status.data, after = ticket.status.value, services.AfterReply.CLOSE
    try:
        stored = store_uploads(form.attachments.data)
        with files_kept_on_commit(stored):
            _save_sidebar(ticket, sidebar)
            services.add_reply(
                ticket,
                author=current_user,
                body=form.body.data,
                is_internal=form.is_note,
                attachments=stored,
                after=after,
                reopen=form.send.data == "reopen",
            )
    except StaleVersion as exc:
        return _show(_ticket_or_404(number), status=409, properties_message=str(exc), properties_error=True, **conversation)
    except (InvalidTransition, UploadRejected) as exc:
        field = form.attachments if isinstance(exc, UploadRejected) else form.body
        field.errors = [*field.errors, str(exc)]
        return _show(_ticket_or_404(number), status=422, keep_sidebar=True, **conversation)
    done = _("Internal note added.") if form.is_note else _("Reply sent to %(name)s.", name=ticket.customer.display_name)
    if wants_fragment():
        kept = ReplyForm(formdata=None, data={"mode": "note" if form.is_note else "reply"})
        return _show(_ticket_or_404(number), fragment="tickets/_conversation_response.html", reply_form=kept, announce=done)
    flash(done)
    return redirect(url_for(".show", number=number), 303)


@bp.post("/<id:number>/properties")
@agent_required
def update_properties(number: int) -> ResponseReturnValue:
    ticket = _ticket_or_404(number, for_update=True)
    form = _properties_form(ticket, formdata=request.form)
    if not form.validate_on_submit():
        return _show(ticket, properties_form=form, status=422, fragment="tickets/_properties_response.html")
    try:
        services.update_properties(ticket, _properties(form), actor=current_user, expected_version=form.version.data)
    except StaleVersion as exc:
        db.session.rollback()
        fresh = _ticket_or_404(number)
        return _show(fresh, status=409, fragment="tickets/_properties_response.html", properties_message=str(exc), properties_error=True)
    db.session.commit()
    if wants_fragment():
        return _show(_ticket_or_404(number), fragment="tickets/_properties_response.html", properties_message=_("Saved."))
    flash(_("Ticket updated."))
    return redirect(url_for(".show", number=number), 303)


@bp.post("/<id:number>/fields")
@agent_required
def update_fields(number: int) -> ResponseReturnValue:
    ticket = _ticket_or_404(number, for_update=True)
    (form, fields), sidebar = _fields_form(ticket, formdata=request.form), _sidebar_form(ticket)
    if not form.validate_on_submit() or (sidebar is not None and sidebar.errors):
        return _show(ticket, fields_form=form, status=422, fragment="tickets/_fields_response.html", keep_sidebar=True)
    try:
        _save_sidebar(ticket, sidebar)
        loaded = _loaded_answers(form)
        services.update_field_values(ticket, answers(form, fields), actor=current_user, expected_version=form.version.data, loaded=loaded)
    except StaleVersion as exc:
        db.session.rollback()
        fresh = _ticket_or_404(number)
        return _show(fresh, status=409, fragment="tickets/_fields_response.html", fields_message=str(exc), fields_error=True)
    db.session.commit()
    if wants_fragment():
        return _show(_ticket_or_404(number), fragment="tickets/_fields_response.html", fields_message=_("Answers saved."))
    flash(_("Answers saved."))
    return redirect(url_for(".show", number=number), 303)


@bp.get("/<id:number>/attachments/<id:attachment_id>")
@agent_required
def attachment(number: int, attachment_id: int) -> ResponseReturnValue:
    return send_attachment(attachment_of(_ticket_or_404(number), attachment_id, public_only=False))


@bp.get("/<id:number>/attachments/<id:attachment_id>/preview")
@agent_required
def attachment_preview(number: int, attachment_id: int) -> ResponseReturnValue:
    return send_attachment(attachment_of(_ticket_or_404(number), attachment_id, public_only=False), preview=True)


def _agent_fields(category: Category | None) -> list[CustomField]:
    """The questions an agent answers when opening a ticket: the category's active ones, agent-only included."""
    return [f for f in category.fields if f.is_active] if category else []


def _new_ticket_form(formdata: MultiDict | None) -> tuple[NewTicketForm, list[CustomField], Category | None]:
    """The new-ticket form with the chosen category's questions and the current choices of its selects."""
    locale = str(get_locale())
    categories = queries.active_categories()
    category = queries.chosen_category((formdata or {}).get("category_id"), categories)
    fields = _agent_fields(category)
    form = form_with_fields(NewTicketForm, fields, locale)(formdata=formdata)
    form.category_id.choices = select_choices([(0, _("None"))] + [(c.id, c.name(locale)) for c in categories])
    form.assignee_id.choices = select_choices([(0, _("Nobody"))] + [(a.id, a.name) for a in active_staff()])
    form.priority.choices = select_choices([("", _("Automatic"))] + priority_choices())
    return form, fields, category


def _new_page(form: NewTicketForm, fields: list[CustomField], *, status: int = 200) -> ResponseReturnValue:
    return render("tickets/new.html", "tickets/new.html", form=form, fields=fields, field_name=field_name, status=status)


@bp.get("/new")
@agent_required
def new() -> ResponseReturnValue:
    """The form; without JavaScript, "Show its questions" comes back here with what was typed so far."""
    form, fields, _category = _new_ticket_form(request.args or None)
    return _new_page(form, fields)


@bp.get("/new/fields")
@agent_required
def new_ticket_fields() -> ResponseReturnValue:
    """The chosen category's questions, swapped into the new-ticket form by htmx."""
    form, fields, _category = _new_ticket_form(request.args)
    return render_template("tickets/_new_fields.html", form=form, fields=fields, field_name=field_name)


@bp.post("/new")
@agent_required
def create() -> ResponseReturnValue:
    form, fields, category = _new_ticket_form(request.form)
    if not form.validate_on_submit():
        return _new_page(form, fields, status=422)
    customer = find_or_create_customer(form.email.data, name=form.name.data or "")
    taken = services.TakenRequest(
        customer=customer,
        subject=form.subject.data,
        notes=form.body.data,
        channel=Channel(form.channel.data),
        notes_public=form.notes_public.data,
        customer_subject=form.customer_subject.data,
        notify_customer=form.notify_customer.data,
        category=category,
        answers=answers(form, fields),
        # Both were validated against the choices the form loaded: identity-map hits.
        assignee=db.session.get(User, form.assignee_id.data) if form.assignee_id.data else None,
        priority=Priority(form.priority.data) if form.priority.data else None,
    )
    ticket = services.take_ticket(taken, agent=current_user)
    db.session.commit()
    flash(_("Ticket %(ref)s created.", ref=ticket.reference))
    return redirect(url_for(".show", number=ticket.number), 303)
