"""Article view counts: collected in Redis on every page view, added to the articles by `flush_views`, never twice."""

import pytest
from sqlalchemy.exc import OperationalError

from helpdesk.core.extensions import db
from helpdesk.core.queue import get_redis
from helpdesk.kb.jobs import BATCH_PREFIX, flush_views
from helpdesk.kb.models import Article
from tests import factories


class ProcessDied(Exception):
    """Stands for the worker being killed at that point."""


def _read(client, *views: tuple[Article, int]) -> list[int]:
    """Open each article's page `n` times; the ids, to re-read the articles after the job's own session."""
    for article, times in views:
        for _ in range(times):
            assert client.get(f"/kb/{article.slug}").status_code == 200
    return [article.id for article, _ in views]


def _views(ids: list[int]) -> list[int]:
    db.session.expire_all()
    return [db.session.get(Article, article_id).views for article_id in ids]


def _nothing_left_in_redis() -> bool:
    return not get_redis().keys("helpdesk:kb:views*")


def test_a_worker_killed_after_a_commit_does_not_count_those_views_again(client, monkeypatch):
    ids = _read(client, (factories.article("Returns"), 3), (factories.article("Shipping"), 2))
    db.session.commit()
    real_commit = type(db.session).commit
    commits = []

    def commit_then_die(self: object) -> None:
        real_commit(self)
        commits.append(1)
        if len(commits) == 1:
            raise ProcessDied  # the first article's count is in the database; the process is gone

    monkeypatch.setattr(type(db.session), "commit", commit_then_die)
    with pytest.raises(ProcessDied):
        flush_views()
    monkeypatch.undo()
    assert sum(_views(ids)) in (2, 3)  # one article written, the other still waiting in Redis
    flush_views()
    flush_views()
    assert _views(ids) == [3, 2]
    assert _nothing_left_in_redis()


def test_a_failed_database_write_keeps_the_views_for_the_next_run(client, monkeypatch):
    ids = _read(client, (factories.article("Returns"), 3), (factories.article("Shipping"), 2))
    db.session.commit()
    real_execute = type(db.session).execute

    def database_down(self: object, *args: object, **kwargs: object) -> object:
        raise OperationalError("UPDATE kb_article", {}, Exception("server closed the connection"))

    monkeypatch.setattr(type(db.session), "execute", database_down)
    with pytest.raises(OperationalError):
        flush_views()
    monkeypatch.setattr(type(db.session), "execute", real_execute)
    assert _views(ids) == [0, 0]
    _read(client, (db.session.get(Article, ids[0]), 1))  # a view while the database was away
    flush_views()
    assert _views(ids) == [4, 2]
    assert _nothing_left_in_redis()


def test_overlapping_runs_count_every_view_once(client):
    ids = _read(client, (factories.article("Returns"), 3), (factories.article("Shipping"), 2))
    db.session.commit()
    first = flush_views.__wrapped__()  # a run stopped after its first article, as a slow worker would be
    next(first)
    db.session.commit()
    _read(client, (db.session.get(Article, ids[1]), 1))
    flush_views()  # a second worker: takes what the first has not, and the newer view
    for _ in first:
        db.session.commit()
    db.session.commit()
    assert _views(ids) == [3, 3]
    assert _nothing_left_in_redis()


def test_a_batch_left_by_a_dead_run_is_added_by_the_next(client):
    ids = _read(
        client,
        (factories.article("Returns"), 2),
    )
    get_redis().hset(f"{BATCH_PREFIX}dead-run", str(ids[0]), 5)  # renamed, then the worker was killed
    flush_views()
    assert _views(ids) == [7]
    assert _nothing_left_in_redis()
