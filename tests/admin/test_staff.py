"""Staff admin (/admin/users): the list, role and team changes and who may make them, the last-owner guard,
deactivation (sessions end at once, tickets handed over) and reactivation, each recorded with who did it."""

from helpdesk.accounts.models import Role, StaffChange, StaffChangeKind, Team
from helpdesk.core.extensions import db
from helpdesk.tickets import services as tickets
from helpdesk.tickets.models import Activity, TicketStatus
from tests import factories


def signed_in(app, user):
    client = app.test_client()
    factories.login(client, user)
    return client


def sign_in(client, email, password=factories.PASSWORD):
    return client.post("/login", data={"email": email, "password": password})


def assign(ticket, user, by):
    props = tickets.Properties(ticket.status, ticket.impact, ticket.urgency, None, user, ticket.category, ticket.team)
    tickets.update_properties(ticket, props, actor=by, expected_version=ticket.version)
    db.session.commit()


def test_the_staff_list_shows_name_email_role_teams_last_sign_in_and_status(app):
    owner = factories.admin("Olga Owner")
    agent = factories.agent("Andy Agent", email="andy@acme.test")
    gone = factories.agent("Gus Gone")
    team = Team(name="Billing", members=[agent])
    gone.active = False
    db.session.add(team)
    db.session.commit()
    sign_in(app.test_client(), "andy@acme.test")
    page = signed_in(app, owner).get("/admin/users")
    assert page.status_code == 200
    rows = page.text.split("<tbody>")[1].split("</tbody>")[0]
    assert rows.index("Andy Agent") < rows.index("Olga Owner") < rows.index("Gus Gone")  # active first, by name
    andy = rows.split("Andy Agent")[1].split("</tr>")[0]
    assert "andy@acme.test" in andy and "Agent" in andy and "Billing" in andy and "<time" in andy and "Active" in andy
    assert "Deactivated" in rows.split("Gus Gone")[1]


def test_an_owner_changes_a_role_and_teams_and_the_change_is_recorded_with_who_did_it(app):
    owner = factories.admin("Olga Owner")
    agent = factories.agent("Andy Agent")
    team = Team(name="Billing")
    db.session.add(team)
    db.session.commit()
    client = signed_in(app, owner)
    response = client.post(f"/admin/users/{agent.id}", data={"role": "admin", "team_ids": [team.id]})
    assert response.status_code == 303
    db.session.refresh(agent)
    assert agent.role is Role.ADMIN and [t.name for t in agent.teams] == ["Billing"]
    page = client.get(f"/admin/users/{agent.id}")
    assert "Olga Owner changed the role from Agent to Admin." in page.text
    assert "Olga Owner changed the teams" in page.text


def test_an_admin_cannot_make_owners_nor_change_or_deactivate_an_owner(app):
    owner = factories.admin("Olga Owner")
    admin = factories.agent("Ada Admin", role=Role.ADMIN)
    agent = factories.agent("Andy Agent")
    client = signed_in(app, admin)
    # The role choices an admin sees do not include owner.
    assert 'value="owner"' not in client.get("/admin/users").text
    assert 'value="owner"' not in client.get(f"/admin/users/{agent.id}").text
    assert client.post(f"/admin/users/{agent.id}", data={"role": "owner"}).status_code == 422
    assert client.post("/admin/users/invitations", data={"name": "Eve", "email": "eve@example.com", "role": "owner"}).status_code == 422
    # An owner's page is read-only for an admin, and every change to an owner is refused.
    page = client.get(f"/admin/users/{owner.id}")
    assert page.status_code == 200 and "Only an owner can change" in page.text
    assert client.post(f"/admin/users/{owner.id}", data={"role": "agent"}).status_code == 403
    assert client.post(f"/admin/users/{owner.id}/deactivate").status_code == 403
    db.session.refresh(owner)
    assert owner.role is Role.OWNER and owner.active
    # An admin does manage agents and admins.
    assert client.post(f"/admin/users/{agent.id}", data={"role": "admin"}).status_code == 303
    db.session.refresh(agent)
    assert agent.role is Role.ADMIN


def test_the_last_active_owner_can_be_neither_demoted_nor_deactivated(app):
    owner = factories.admin("Olga Owner")
    client = signed_in(app, owner)
    response = client.post(f"/admin/users/{owner.id}", data={"role": "admin"})
    assert response.status_code == 422 and "the only active owner" in response.text
    db.session.refresh(owner)
    assert owner.role is Role.OWNER
    # A second owner, deactivated, does not count; once active, the first may step down.
    other = factories.agent("Otto Owner", role=Role.OWNER)
    other.active = False
    db.session.commit()
    assert client.post(f"/admin/users/{owner.id}", data={"role": "admin"}).status_code == 422
    other.active = True
    db.session.commit()
    assert client.post(f"/admin/users/{owner.id}", data={"role": "admin"}).status_code == 303
    # Now Otto is the last owner: Olga (an admin now) cannot touch him, and Otto cannot deactivate himself.
    otto = signed_in(app, other)
    response = otto.post(f"/admin/users/{other.id}/deactivate", follow_redirects=True)
    assert "cannot deactivate your own account" in response.text
    db.session.refresh(other)
    assert other.active


def test_deactivating_the_last_owner_is_refused_with_a_clear_message(app):
    from helpdesk.accounts import services

    owner = factories.admin("Olga Owner")
    admin = factories.agent("Ada Admin", role=Role.ADMIN)
    try:
        services.deactivate(owner, by=admin)
    except services.StaffRuleError as error:
        assert "only active owner" in str(error)
    else:
        raise AssertionError("the last owner was deactivated")
    db.session.rollback()
    assert owner.active


def test_deactivation_ends_every_session_at_once_and_refuses_sign_in(app):
    owner = factories.admin("Olga Owner")
    agent = factories.agent("Andy Agent", email="andy@acme.test")
    laptop, phone = app.test_client(), app.test_client()
    assert sign_in(laptop, "andy@acme.test").status_code == 303
    assert sign_in(phone, "andy@acme.test").status_code == 303
    assert laptop.get("/tickets/").status_code == 200
    response = signed_in(app, owner).post(f"/admin/users/{agent.id}/deactivate")
    assert response.status_code == 303
    for device in (laptop, phone):  # the open sessions are refused on their next request
        refused = device.get("/tickets/")
        assert refused.status_code == 302 and "/login" in refused.headers["Location"]
    assert sign_in(app.test_client(), "andy@acme.test").status_code == 401
    db.session.refresh(agent)
    assert not agent.active
    change = db.session.query(StaffChange).filter_by(user_id=agent.id, kind=StaffChangeKind.DEACTIVATED).one()
    assert change.actor_id == owner.id and change.created_at is not None


def test_a_deactivated_users_open_tickets_are_listed_and_handed_over_in_one_click(app):
    owner = factories.admin("Olga Owner")
    agent = factories.agent("Andy Agent")
    colleague = factories.agent("Cleo Colleague")
    first, second, done = factories.ticket("Printer"), factories.ticket("Scanner"), factories.ticket("Old one")
    for ticket in (first, second, done):
        assign(ticket, agent, owner)
    factories.set_status(done, TicketStatus.CLOSED, by=owner)
    client = signed_in(app, owner)
    client.post(f"/admin/users/{agent.id}/deactivate")
    page = client.get(f"/admin/users/{agent.id}")
    assert "Andy Agent deactivated" not in page.text  # the history names the one who did it
    assert "Olga Owner deactivated the account." in page.text
    assert first.reference in page.text and second.reference in page.text and done.reference not in page.text
    # Unassign one, give the other to a colleague: each through the ticket's own trail.
    assert client.post(f"/admin/users/{agent.id}/tickets/{first.id}/reassign", data={"assignee_id": 0}).status_code == 303
    response = client.post(
        f"/admin/users/{agent.id}/tickets/{second.id}/reassign", data={"assignee_id": colleague.id}, follow_redirects=True
    )
    assert f"Ticket {second.reference} is now assigned to Cleo Colleague." in response.text
    db.session.refresh(first)
    db.session.refresh(second)
    assert first.assignee is None and second.assignee_id == colleague.id
    trail = db.session.query(Activity).filter_by(ticket_id=second.id, kind="assignee").order_by(Activity.id.desc()).first()
    assert (trail.actor_user_id, trail.old, trail.new) == (owner.id, "Andy Agent", "Cleo Colleague")
    assert "No open tickets are assigned to Andy Agent." in client.get(f"/admin/users/{agent.id}").text
    # A deactivated colleague is not offered, and a ticket no longer theirs is not touched.
    again = client.post(f"/admin/users/{agent.id}/tickets/{second.id}/reassign", data={"assignee_id": 0}, follow_redirects=True)
    assert "no longer assigned to Andy Agent" in again.text
    db.session.refresh(second)
    assert second.assignee_id == colleague.id


def test_reactivation_lets_them_sign_in_again_and_is_recorded(app):
    owner = factories.admin("Olga Owner")
    agent = factories.agent("Andy Agent", email="andy@acme.test")
    client = signed_in(app, owner)
    client.post(f"/admin/users/{agent.id}/deactivate")
    assert sign_in(app.test_client(), "andy@acme.test").status_code == 401
    response = client.post(f"/admin/users/{agent.id}/reactivate", follow_redirects=True)
    assert "Andy Agent can sign in again." in response.text
    assert "Olga Owner reactivated the account." in response.text
    assert sign_in(app.test_client(), "andy@acme.test").status_code == 303


def test_an_unknown_user_or_invitation_is_a_404(app):
    client = signed_in(app, factories.admin())
    assert client.get("/admin/users/999").status_code == 404
    assert client.post("/admin/users/999/deactivate").status_code == 404
    assert client.post("/admin/users/invitations/999/resend").status_code == 404
