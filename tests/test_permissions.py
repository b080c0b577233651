"""Who can do what, enforced in one place (accounts.policy): the policy's table, and every rule under /admin/
walked from the URL map (not a hand-picked few) as an agent (403) and as someone signed out (to sign-in)."""

import re

import pytest

from helpdesk.accounts import services as accounts
from helpdesk.accounts.models import Role, Team
from helpdesk.accounts.policy import Action, can
from helpdesk.admin import services as admin_services
from helpdesk.core.extensions import db
from helpdesk.mail.models import OutgoingEmail
from tests import factories

# The knowledge-base editor lives under /admin/kb/ but is every agent's work (see the README's table):
# it is walked too, and must let agents in.
AGENT_PAGES = ("kb.",)


def admin_rules(app):
    """Every (rule, method) under /admin/, GET and POST alike, from the app's URL map."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/admin/") or rule.rule == "/admin":
            found.extend((rule, method) for method in sorted(rule.methods - {"HEAD", "OPTIONS"}))
    return found


@pytest.fixture
def world(app):
    """One of everything an /admin/ path can name, so that a 403 is not a 404 in disguise."""
    owner = factories.admin("Olga Owner")
    agent = factories.agent("Andy Agent", email="andy@acme.test")
    category = factories.category(fields=[{"type": "text", "label_en": "Order", "label_es": "Pedido"}])
    ticket = factories.ticket()
    article = factories.article()
    team = Team(name="Billing")
    db.session.add(team)
    invitation, token = accounts.invite(email="nina@example.com", name="Nina", role=Role.AGENT, team_ids=[], by=owner)
    admin_services.queue_invitation_email(invitation, token, by=owner)
    db.session.commit()
    ids = {
        "category_id": category.id,
        "field_id": category.fields[0].id,
        "user_id": owner.id,
        "invitation_id": invitation.id,
        "ticket_id": ticket.id,
        "email_id": db.session.query(OutgoingEmail.id).order_by(OutgoingEmail.id).limit(1).scalar(),
        "article_id": article.id,
        "message_id": ticket.messages[0].id,
        "team_id": team.id,
    }
    return owner, agent, ids


def path_of(rule, ids) -> str:
    values = {name: ids.get(name, 1) for name in rule.arguments}
    path = rule.rule
    for name, value in values.items():
        path = re.sub(r"<(?:[^:<>]+:)?" + name + r">", str(value), path)
    return path


def request(client, method, path):
    return client.get(path) if method == "GET" else client.post(path, data={"name": "x", "role": "owner", "assignee_id": "0"})


def test_the_walk_sees_every_admin_area(app, world):
    rules = {rule.rule for rule, _ in admin_rules(app)}
    for expected in ("/admin/users", "/admin/users/<id:user_id>/deactivate", "/admin/categories", "/admin/teams", "/admin/outgoing-mail/"):
        assert expected in rules
    assert len(admin_rules(app)) >= 30


def test_an_agent_gets_403_on_every_admin_page_and_every_admin_post(app, world):
    owner, agent, ids = world
    client = app.test_client()
    factories.login(client, agent)
    wrong = []
    for rule, method in admin_rules(app):
        if rule.endpoint.startswith(AGENT_PAGES):
            continue
        response = request(client, method, path_of(rule, ids))
        if response.status_code != 403:
            wrong.append((method, rule.rule, response.status_code))
    assert wrong == []
    db.session.refresh(owner)
    assert owner.active and owner.role is Role.OWNER  # and nothing changed on the way


def test_agents_do_reach_the_knowledge_base_editor(app, world):
    _, agent, ids = world
    client = app.test_client()
    factories.login(client, agent)
    pages = [rule for rule, method in admin_rules(app) if method == "GET" and rule.endpoint.startswith(AGENT_PAGES)]
    assert pages
    for rule in pages:
        assert client.get(path_of(rule, ids)).status_code == 200, rule.rule


def test_someone_signed_out_is_sent_to_sign_in_from_every_admin_url(app, world):
    _, _, ids = world
    client = app.test_client()
    wrong = []
    for rule, method in admin_rules(app):
        response = request(client, method, path_of(rule, ids))
        if response.status_code != 302 or not response.headers["Location"].startswith("/login"):
            wrong.append((method, rule.rule, response.status_code))
    assert wrong == []


def test_owners_and_admins_open_every_admin_page(app, world):
    owner, _, ids = world
    admin = factories.agent("Ada Admin", role=Role.ADMIN)
    for user in (owner, admin):
        client = app.test_client()
        factories.login(client, user)
        for rule, method in admin_rules(app):
            if method == "GET":
                # A test email's progress page knows only the checks it started: an unknown one is a 404.
                expected = {200, 404} if "check_id" in rule.arguments else {200}
                assert client.get(path_of(rule, ids)).status_code in expected, (user.role, rule.rule)


class Someone:
    is_authenticated = True

    def __init__(self, role: str, active: bool = True) -> None:
        self.role, self.active = role, active


@pytest.mark.parametrize(
    ("role", "action", "target", "allowed"),
    [
        ("agent", Action.TICKETS, None, True),
        ("agent", Action.KB, None, True),
        ("agent", Action.OWN_ACCOUNT, None, True),
        ("agent", Action.ADMIN, None, False),
        ("agent", Action.MANAGE_STAFF, None, False),
        ("agent", Action.CHANGE_USER, Someone("agent"), False),
        ("admin", Action.ADMIN, None, True),
        ("admin", Action.MANAGE_STAFF, None, True),
        ("admin", Action.GRANT_ROLE, Role.ADMIN, True),
        ("admin", Action.GRANT_ROLE, Role.OWNER, False),
        ("admin", Action.CHANGE_USER, Someone("agent"), True),
        ("admin", Action.CHANGE_USER, Someone("admin"), True),
        ("admin", Action.CHANGE_USER, Someone("owner"), False),
        ("owner", Action.GRANT_ROLE, Role.OWNER, True),
        ("owner", Action.CHANGE_USER, Someone("owner"), True),
        ("owner", "no such action", None, False),
    ],
)
def test_the_policy_table(role, action, target, allowed):
    assert can(Someone(role), action, target) is allowed


def test_nobody_signed_out_or_deactivated_may_do_anything():
    class Anonymous:
        is_authenticated = False

    for action in Action:
        assert not can(Anonymous(), action)
        assert not can(Someone("owner", active=False), action)
        assert not can(None, action)
