"""Admin changes: ticket categories and their custom fields, survey settings, teams, staff invitations and
their tickets. Flush, never commit."""

from dataclasses import dataclass, field

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from ..accounts.models import Invitation, Team, User
from ..core.extensions import db
from ..core.urls import external_url
from ..mail.outbound import queue_email
from ..surveys import services as survey_services
from ..tickets import services as ticket_services
from ..tickets.models import Category, CustomField, FieldType, Ticket


def next_position(category: Category) -> int:
    return max((f.position for f in category.fields), default=-1) + 1


def create_category(name_en: str, name_es: str, *, active: bool = True) -> Category:
    position = (db.session.scalar(select(func.max(Category.position))) or 0) + 1
    category = Category(name_en=name_en, name_es=name_es, active=active, position=position)
    db.session.add(category)
    db.session.flush()
    return category


def update_category(category: Category, *, name_en: str, name_es: str, active: bool) -> None:
    category.name_en, category.name_es, category.active = name_en, name_es, active
    db.session.flush()


@dataclass(frozen=True)
class FieldInput:
    """A custom field as the admin entered it (from a validated question form)."""

    type: FieldType
    label_en: str
    label_es: str
    help_en: str = ""
    help_es: str = ""
    is_required: bool = False
    is_agent_only: bool = False
    options: list[dict] = field(default_factory=list)  # for a choice: [{"value", "en", "es"}], in order
    min_value: float | None = None  # for a number
    max_value: float | None = None


def save_field(category: Category, data: FieldInput, field: CustomField | None = None) -> CustomField:
    """Create or update a field. A field's type is fixed once it exists (`data.type` only counts for a new one);
    options and limits are kept only for the types that use them."""
    if field is None:
        field = CustomField(category=category, type=data.type, position=next_position(category))
        db.session.add(field)
    field.label_en, field.label_es = data.label_en, data.label_es
    field.help_en, field.help_es = data.help_en, data.help_es
    field.is_required, field.is_agent_only = data.is_required, data.is_agent_only
    field.options = data.options if field.type in (FieldType.SELECT, FieldType.MULTISELECT) else []
    field.min_value = data.min_value if field.type is FieldType.NUMBER else None
    field.max_value = data.max_value if field.type is FieldType.NUMBER else None
    db.session.flush()
    return field


def move_field(field: CustomField, step: int) -> None:
    """Swap the field with its neighbour above (step -1) or below (+1); positions are renumbered 0…n."""
    fields = list(field.category.fields)
    index = fields.index(field)
    target = index + step
    if 0 <= target < len(fields):
        fields[index], fields[target] = fields[target], fields[index]
    for position, each in enumerate(fields):
        each.position = position
    db.session.flush()
    db.session.expire(field.category, ["fields"])


def set_retired(field: CustomField, retired: bool) -> None:
    """Retire (hide from every form) or restore a field; its answers on tickets are never deleted."""
    field.is_active = not retired
    db.session.flush()


def update_survey_settings(
    *,
    is_enabled: bool,
    delay_minutes: int,
    expiry_days: int,
    question_en: str,
    question_es: str,
    surveyed_category_ids: set[int],
) -> None:
    """Save the survey settings and which categories are surveyed (every category not listed is not)."""
    config = survey_services.settings()
    config.is_enabled, config.delay_minutes, config.expiry_days = is_enabled, delay_minutes, expiry_days
    config.question_en, config.question_es = question_en, question_es
    for category in db.session.scalars(select(Category)):
        category.is_surveyed = category.id in surveyed_category_ids
    db.session.flush()


def save_team(team: Team | None, *, name: str, lead_id: int | None, member_ids: list[int]) -> Team:
    """Create (`team` None) or update a team. The caller has checked that the name is free."""
    team = team or Team()
    team.name = name
    team.lead_id = lead_id
    team.members = list(db.session.scalars(select(User).where(User.id.in_(member_ids))))
    db.session.add(team)
    db.session.flush()
    return team


def queue_invitation_email(invitation: Invitation, token: str, *, by: User) -> None:
    """The invitation email with its link (valid 72 hours), in the helpdesk's default language, to the outbox."""
    config = current_app.config
    with force_locale(config["DEFAULT_LOCALE"]):
        context = {
            "invitation": invitation,
            "inviter": by.name,
            "company": config["COMPANY_NAME"],
            "link": external_url("invitations.accept", token=token),
            "hours": 72,
        }
        queue_email(
            to=invitation.email,
            subject=_("%(inviter)s invited you to the %(company)s helpdesk", inviter=by.name, company=config["COMPANY_NAME"]),
            body_text=render_template("email/accounts/invitation.txt", **context),
            body_html=render_template("email/accounts/invitation.html", **context),
            kind="staff_invitation",
            idempotency_key=f"invitation:{invitation.id}:{invitation.token_hash[:16]}",
        )


def reassign_ticket(ticket: Ticket, assignee: User | None, *, by: User) -> bool:
    """Give the ticket to `assignee` (None: nobody) through the ticket's own properties service, so its activity
    trail and events record who did it. Everything else on the ticket stays. Flushes; whether it changed."""
    props = ticket_services.Properties(
        status=ticket.status,
        impact=ticket.impact,
        urgency=ticket.urgency,
        priority=ticket.priority if ticket.is_priority_overridden else None,
        assignee=assignee,
        category=ticket.category,
        team=ticket.team,
    )
    return ticket_services.update_properties(ticket, props, actor=by, expected_version=ticket.version)
