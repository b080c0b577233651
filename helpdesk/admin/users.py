"""Staff (/admin/users): the list, invitations, roles and teams, deactivation and the tickets left behind.
Thin views: parse, ask the policy, call the services, commit, render. Nested in the admin blueprint."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from ..accounts import queries as account_queries
from ..accounts import services as accounts
from ..accounts.models import Invitation, Role, User
from ..accounts.policy import Action
from ..core.auth import permission_required
from ..core.errors import StaleVersion
from ..core.extensions import db
from ..core.forms import ActionForm, select_choices
from ..core.models import utcnow
from . import queries, services
from .forms import InviteForm, ReassignForm, StaffMemberForm, role_labels

bp = Blueprint("users", __name__, url_prefix="/users")
staff_required = permission_required(Action.MANAGE_STAFF)


def _user_or_404(user_id: int) -> User:
    user = account_queries.user(user_id)
    if user is None:
        abort(404)
    return user


def _invitation_or_404(invitation_id: int) -> Invitation:
    invitation = account_queries.invitation(invitation_id)
    if invitation is None:
        abort(404)
    return invitation


def _role_choices() -> list:
    """The roles the signed-in user may give (an admin cannot make owners)."""
    labels = role_labels()
    return select_choices([(role.value, labels[role.value]) for role in Role if current_user.can(Action.GRANT_ROLE, role)])


def _team_choices() -> list:
    return select_choices([(team.id, team.name) for team in account_queries.teams()])


def _invite_form(formdata: MultiDict | None = None) -> InviteForm:
    form = InviteForm(formdata=formdata, data=None if formdata is not None else {"role": Role.AGENT.value})
    form.role.choices = _role_choices()
    form.team_ids.choices = _team_choices()
    return form


def _index_page(form: InviteForm, status: int = 200) -> ResponseReturnValue:
    users = account_queries.staff()
    return render_template(
        "admin/users.html",
        users=users,
        last_sign_ins=account_queries.last_sign_ins([u.id for u in users]),
        invitations=account_queries.pending_invitations(),
        form=form,
        role_names=role_labels(),
        now=utcnow(),
    ), status


@bp.get("")
@staff_required
def index() -> ResponseReturnValue:
    return _index_page(_invite_form(None))


@bp.post("/invitations")
@staff_required
def invite() -> ResponseReturnValue:
    form = _invite_form(request.form)
    if not form.validate_on_submit():
        return _index_page(form, 422)
    role = Role(form.role.data)
    if not current_user.can(Action.GRANT_ROLE, role):
        abort(403)
    try:
        invitation, token = accounts.invite(
            email=form.email.data, name=form.name.data, role=role, team_ids=form.team_ids.data or [], by=current_user
        )
    except accounts.StaffRuleError as error:
        form.email.errors = [str(error)]
        return _index_page(form, 422)
    services.queue_invitation_email(invitation, token, by=current_user)
    db.session.commit()
    flash(_("Invitation sent to %(email)s. The link works for 72 hours.", email=invitation.email))
    return redirect(url_for(".index", _anchor="invitations"), 303)


def _pending_invitation(invitation_id: int) -> Invitation:
    """A pending invitation the signed-in user may handle (an admin cannot handle one that makes an owner)."""
    invitation = _invitation_or_404(invitation_id)
    if not current_user.can(Action.GRANT_ROLE, invitation.role):
        abort(403)
    return invitation


@bp.post("/invitations/<id:invitation_id>/resend")
@staff_required
def resend_invitation(invitation_id: int) -> ResponseReturnValue:
    invitation = _pending_invitation(invitation_id)
    if ActionForm().validate_on_submit():
        try:
            token = accounts.resend_invitation(invitation)
        except accounts.StaffRuleError as error:
            flash(str(error), "error")
        else:
            services.queue_invitation_email(invitation, token, by=current_user)
            db.session.commit()
            flash(_("A new invitation was sent to %(email)s; the earlier link no longer works.", email=invitation.email))
    return redirect(url_for(".index", _anchor="invitations"), 303)


@bp.post("/invitations/<id:invitation_id>/revoke")
@staff_required
def revoke_invitation(invitation_id: int) -> ResponseReturnValue:
    invitation = _pending_invitation(invitation_id)
    if ActionForm().validate_on_submit() and invitation.is_pending:
        accounts.revoke_invitation(invitation)
        db.session.commit()
        flash(_("The invitation for %(email)s was withdrawn; its link no longer works.", email=invitation.email))
    return redirect(url_for(".index", _anchor="invitations"), 303)


def _member_form(user: User, formdata: MultiDict | None = None) -> StaffMemberForm:
    data = None if formdata is not None else {"role": user.role.value, "team_ids": [team.id for team in user.teams]}
    form = StaffMemberForm(formdata=formdata, data=data)
    form.role.choices = _role_choices()
    if user.role.value not in {choice.value for choice in form.role.choices}:
        form.role.choices = [*select_choices([(user.role.value, role_labels()[user.role.value])]), *form.role.choices]
    form.team_ids.choices = _team_choices()
    return form


def _reassign_form(user: User, formdata: MultiDict | None = None) -> ReassignForm:
    form = ReassignForm(formdata=formdata)
    others = [(u.id, u.name) for u in account_queries.active_staff() if u.id != user.id]
    form.assignee_id.choices = select_choices([(0, _("Nobody")), *others])
    return form


def _user_page(user: User, form: StaffMemberForm | None = None, status: int = 200) -> ResponseReturnValue:
    return render_template(
        "admin/user.html",
        user=user,
        form=form or _member_form(user),
        reassign_form=_reassign_form(user),
        tickets=queries.open_tickets_assigned(user.id),
        changes=account_queries.staff_changes(user),
        last_sign_in=account_queries.last_sign_ins([user.id]).get(user.id),
        may_change=current_user.can(Action.CHANGE_USER, user),
        role_names=role_labels(),
    ), status


@bp.get("/<id:user_id>")
@staff_required
def user(user_id: int) -> ResponseReturnValue:
    return _user_page(_user_or_404(user_id))


def _changeable(user_id: int) -> User:
    """The user, when the policy lets the signed-in user change them (an admin cannot change an owner)."""
    user = _user_or_404(user_id)
    if not current_user.can(Action.CHANGE_USER, user):
        abort(403)
    return user


@bp.post("/<id:user_id>")
@staff_required
def update_user(user_id: int) -> ResponseReturnValue:
    user = _changeable(user_id)
    form = _member_form(user, request.form)
    if not form.validate_on_submit():
        return _user_page(user, form, 422)
    role = Role(form.role.data)
    if role is not user.role and not current_user.can(Action.GRANT_ROLE, role):
        abort(403)
    try:
        accounts.change_role(user, role, by=current_user)
    except accounts.StaffRuleError as error:
        db.session.rollback()
        form.role.errors = [str(error)]
        return _user_page(user, form, 422)
    accounts.set_teams(user, form.team_ids.data or [], by=current_user)
    db.session.commit()
    flash(_("Changes to %(name)s saved.", name=user.name))
    return redirect(url_for(".user", user_id=user.id), 303)


@bp.post("/<id:user_id>/deactivate")
@staff_required
def deactivate(user_id: int) -> ResponseReturnValue:
    user = _changeable(user_id)
    if not ActionForm().validate_on_submit():
        return redirect(url_for(".user", user_id=user.id), 303)
    if user.id == current_user.id:
        flash(_("You cannot deactivate your own account. Ask another owner or admin."), "error")
        return redirect(url_for(".user", user_id=user.id), 303)
    try:
        accounts.deactivate(user, by=current_user)
    except accounts.StaffRuleError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for(".user", user_id=user.id), 303)
    db.session.commit()
    flash(_("%(name)s is deactivated and signed out everywhere. Hand over their open tickets below.", name=user.name))
    return redirect(url_for(".user", user_id=user.id, _anchor="tickets"), 303)


@bp.post("/<id:user_id>/reactivate")
@staff_required
def reactivate(user_id: int) -> ResponseReturnValue:
    user = _changeable(user_id)
    if ActionForm().validate_on_submit():
        accounts.reactivate(user, by=current_user)
        db.session.commit()
        flash(_("%(name)s can sign in again.", name=user.name))
    return redirect(url_for(".user", user_id=user.id), 303)


@bp.post("/<id:user_id>/tickets/<id:ticket_id>/reassign")
@staff_required
def reassign(user_id: int, ticket_id: int) -> ResponseReturnValue:
    """Hand one open ticket of this staff member to someone else, or to nobody ("Unassign")."""
    user = _user_or_404(user_id)
    ticket = queries.open_ticket(ticket_id)
    back = redirect(url_for(".user", user_id=user.id, _anchor="tickets"), 303)
    form = _reassign_form(user, request.form)
    if ticket is None or ticket.assignee_id != user.id:
        flash(_("That ticket is no longer assigned to %(name)s.", name=user.name))
        return back
    if not form.validate_on_submit():
        flash(_("Choose who gets the ticket."), "error")
        return back
    assignee = account_queries.user(form.assignee_id.data) if form.assignee_id.data else None
    try:
        services.reassign_ticket(ticket, assignee, by=current_user)
    except StaleVersion as error:
        db.session.rollback()
        flash(str(error), "error")
        return back
    db.session.commit()
    if assignee:
        flash(_("Ticket %(ref)s is now assigned to %(name)s.", ref=ticket.reference, name=assignee.name))
    else:
        flash(_("Ticket %(ref)s is now unassigned.", ref=ticket.reference))
    return back
