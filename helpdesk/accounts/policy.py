"""Who can do what: the one permission policy. Decorators (core.auth), views and templates all ask `can`.

Pure: it reads the user's `role` (and the target's) as plain values, so that the models can offer `User.can`
without an import cycle. The README's "Who can do what" table is this module in words.
"""

from enum import StrEnum


class Action(StrEnum):
    TICKETS = "tickets"  # the queues, tickets, customers, reports
    KB = "kb"  # write and publish knowledge-base articles
    OWN_ACCOUNT = "own_account"  # one's own name, language, password, sessions
    ADMIN = "admin"  # every page under /admin/: settings, request forms, teams, surveys, outgoing mail
    MANAGE_STAFF = "manage_staff"  # the staff list, invitations
    GRANT_ROLE = "grant_role"  # target: the role given (by invitation or a change of role)
    CHANGE_USER = "change_user"  # target: the user whose role or teams change, or who is (re)activated


OWNER, ADMIN, AGENT = "owner", "admin", "agent"
EVERY_ROLE = frozenset({OWNER, ADMIN, AGENT})
# Which roles may do an action at all (before the target is looked at).
ALLOWED: dict[Action, frozenset[str]] = {
    Action.TICKETS: EVERY_ROLE,
    Action.KB: EVERY_ROLE,
    Action.OWN_ACCOUNT: EVERY_ROLE,
    Action.ADMIN: frozenset({OWNER, ADMIN}),
    Action.MANAGE_STAFF: frozenset({OWNER, ADMIN}),
    Action.GRANT_ROLE: frozenset({OWNER, ADMIN}),
    Action.CHANGE_USER: frozenset({OWNER, ADMIN}),
}


def can(user: object, action: Action | str, target: object = None) -> bool:
    """Whether `user` may do `action` (to `target`, where the action has one). Anonymous or deactivated: never.

    Owners may do everything. Admins everything but owners' business: they cannot make anyone an owner, nor
    change, deactivate or reactivate an owner. Agents work tickets and the knowledge base and their own account.
    """
    if not getattr(user, "is_authenticated", False) or not getattr(user, "active", False):
        return False
    role = str(getattr(user, "role", ""))
    try:
        action = Action(action)
    except ValueError:
        return False  # an unknown action is nobody's
    if role not in ALLOWED[action]:
        return False
    if role == OWNER:
        return True
    if action is Action.GRANT_ROLE:
        return str(target) != OWNER
    if action is Action.CHANGE_USER:
        return target is not None and str(getattr(target, "role", OWNER)) != OWNER
    return True
