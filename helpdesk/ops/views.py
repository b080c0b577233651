"""Health checks for operators: is the database reachable and at the code's schema, is Redis?"""

from flask import Blueprint, current_app, jsonify
from flask.typing import ResponseReturnValue
from redis.exceptions import RedisError
from sqlalchemy.exc import SQLAlchemyError

from ..core.database import schema_revisions
from ..core.extensions import db
from ..core.queue import get_redis

bp = Blueprint("ops", __name__)


def _schema_check() -> str:
    """'ok', or what is wrong: a schema behind the code makes every page answer 503, so it is 'down' too."""
    try:
        current, head = schema_revisions(current_app, db.engine)
    except SQLAlchemyError as exc:
        return f"error: {type(exc).__name__}"
    if current == head:
        return "ok"
    return f"behind: the database is at {current or 'none'}, the code needs {head}; run: flask db upgrade"


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    """200 while the database answers at the right schema (Redis down is 'degraded': requests still succeed);
    503 otherwise. Every check is bounded by a short timeout, so a frozen Redis cannot hold the answer up."""
    checks = {"database": _schema_check()}
    try:
        get_redis().ping()
        checks["redis"] = "ok"
    except (RedisError, OSError) as exc:
        checks["redis"] = f"error: {type(exc).__name__}"
    if checks["database"] != "ok":
        status = "down"
    elif checks["redis"] != "ok":
        status = "degraded"
    else:
        status = "ok"
    return jsonify(status=status, checks=checks), 503 if status == "down" else 200
