"""Access decorators for staff pages: each asks the one permission policy (accounts.policy, through
`current_user.can`) instead of checking roles itself."""

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from flask import abort
from flask_login import current_user, login_required

P = ParamSpec("P")
R = TypeVar("R")

# The policy's action names used here (core does not import accounts: the user object answers `can`).
ADMIN = "admin"
MANAGE_STAFF = "manage_staff"


def agent_required(view: Callable[P, R]) -> Callable[P, R]:
    """Signed-in staff only (anyone else goes to the sign-in page)."""
    return login_required(view)


def permission_required(action: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Signed-in staff whom the policy allows `action`; anyone else signed in gets a 403, the anonymous go to
    the sign-in page."""

    def decorator(view: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(view)
        def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
            if not current_user.can(action):
                abort(403)
            return view(*args, **kwargs)

        return login_required(wrapped)

    return decorator


def admin_required(view: Callable[P, R]) -> Callable[P, R]:
    """Signed-in owners and admins only (the policy's "admin" action); other staff get a 403."""
    return permission_required(ADMIN)(view)
