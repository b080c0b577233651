"""Knowledge base jobs. They never commit: `@job` does (see core/queue.py)."""

import contextlib
import uuid
from collections.abc import Iterator

from redis import Redis
from redis.exceptions import ResponseError
from sqlalchemy import update

from ..core.extensions import db
from ..core.queue import get_redis, job
from .models import Article
from .services import VIEWS_KEY

# Counts being flushed: a run renames the live hash to one of these, and a count leaves it only when a run takes it.
BATCH_PREFIX = f"{VIEWS_KEY}:batch:"


@job(per_item=True)
def flush_views() -> Iterator[int]:
    """Add the view counts collected in Redis to the articles (every minute, from rq cron); one commit per article.

    Which way a crash errs: each article's count is taken out of Redis (read and deleted in one MULTI) before it
    is written to the database, so views are never counted twice. A run that dies after taking a count and before
    its commit loses that article's views since the last flush (at most a minute of one article's views); every
    count not yet taken stays in its batch for the next run. When the database write itself fails, nothing was
    written and the count goes back into the batch. Overlapping runs are safe too: each count is taken by one run.
    """
    redis = get_redis()
    with contextlib.suppress(ResponseError):  # "no such key": no views since the last run
        redis.rename(VIEWS_KEY, f"{BATCH_PREFIX}{uuid.uuid4().hex}")  # atomic: new views go to a fresh hash meanwhile
    for batch in redis.scan_iter(match=f"{BATCH_PREFIX}*"):  # this run's, and any a dead run left behind
        for field in redis.hkeys(batch):
            count = _take(redis, batch, field)
            if not count:
                continue  # another run took it
            article_id = int(field)
            try:
                db.session.execute(update(Article).where(Article.id == article_id).values(views=Article.views + count))
            except Exception:
                redis.hincrby(batch, field, count)  # not written (the item is rolled back): the next run adds it
                raise
            yield article_id  # committed here


def _take(redis: Redis, batch: bytes, field: bytes) -> int:
    """The count of one article in a batch, removed from it atomically; 0 when another run took it first."""
    with redis.pipeline(transaction=True) as pipe:
        count, removed = pipe.hget(batch, field).hdel(batch, field).execute()
    return int(count) if removed else 0
