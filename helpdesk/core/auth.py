"""Access decorators for staff pages."""

import functools
from collections.abc import Callable

from flask import abort
from flask_login import current_user, login_required


def agent_required(view: Callable) -> Callable:
    return login_required(view)


def admin_required(view: Callable) -> Callable:
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return login_required(wrapped)
