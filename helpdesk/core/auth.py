"""Access decorators for staff pages."""

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from flask import abort
from flask_login import current_user, login_required

P = ParamSpec("P")
R = TypeVar("R")


def agent_required(view: Callable[P, R]) -> Callable[P, R]:
    """Signed-in staff only (anyone else goes to the sign-in page)."""
    return login_required(view)


def admin_required(view: Callable[P, R]) -> Callable[P, R]:
    """Signed-in owners and admins only; other staff get a 403."""

    @functools.wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return login_required(wrapped)
