"""Health checks for operators: is the database reachable, is Redis?"""

from flask import Blueprint, jsonify
from redis.exceptions import RedisError
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db
from ..jobs.queue import get_redis

bp = Blueprint("ops", __name__)


@bp.get("/healthz")
def healthz():
    """200 while the database answers (Redis down is 'degraded': requests still succeed); 503 otherwise."""
    checks = {}
    try:
        db.session.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except SQLAlchemyError as exc:
        db.session.rollback()
        checks["database"] = f"error: {type(exc).__name__}"
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
