"""Knowledge base jobs."""

from sqlalchemy import update

from ..core.extensions import db
from ..core.queue import get_redis, job
from .models import Article
from .services import VIEWS_KEY


@job
def flush_views() -> None:
    """Add the view counts collected in Redis to the articles (every minute, from rq cron)."""
    redis = get_redis()
    pending = f"{VIEWS_KEY}:flushing"
    if not redis.exists(pending):
        if not redis.exists(VIEWS_KEY):
            return
        redis.rename(VIEWS_KEY, pending)  # atomic: new views go to a fresh hash meanwhile
    for article_id, count in redis.hgetall(pending).items():
        db.session.execute(update(Article).where(Article.id == int(article_id)).values(views=Article.views + int(count)))
    db.session.commit()
    redis.delete(pending)
