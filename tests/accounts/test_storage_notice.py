"""When attachments cannot be stored because the disk is full, the admins are told once per outage, and the log says so."""

import logging

from sqlalchemy import select

from helpdesk.accounts.models import Notification
from helpdesk.accounts.services import STORAGE_FULL, notify_admins_of_full_storage
from helpdesk.core.extensions import db
from tests import factories


def test_a_full_disk_is_told_to_the_admins_once_and_logged_once(app, caplog):
    owner = factories.admin()
    factories.agent()  # not an admin: not told
    with caplog.at_level(logging.INFO, logger="helpdesk"):
        assert notify_admins_of_full_storage() is True
        db.session.commit()
        assert notify_admins_of_full_storage() is False  # the same outage
    notices = db.session.scalars(select(Notification).where(Notification.kind == STORAGE_FULL)).all()
    assert [n.user_id for n in notices] == [owner.id]
    lines = [r for r in caplog.records if r.name == "helpdesk.accounts.services"]
    expected = f"attachments storage is full: notice added for admins={owner.id}"
    assert [(r.levelno, r.getMessage()) for r in lines] == [(logging.ERROR, expected)]
