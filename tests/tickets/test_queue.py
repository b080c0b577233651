"""The agent's queue: views, filters, sorting, keyset pagination, and live updates."""

from datetime import timedelta

from helpdesk.core.extensions import db
from helpdesk.core.models import utcnow
from helpdesk.tickets import services
from helpdesk.tickets.models import Level, Priority, TicketStatus
from tests import factories


def rows(response) -> list[str]:
    import re

    return re.findall(r'<tr id="ticket-\d+-row">\s*<td class="num">(\d+)</td>', response.text)


def set_props(ticket, agent, **changes):
    props = services.Properties(
        status=changes.get("status", ticket.status),
        impact=changes.get("impact", ticket.impact),
        urgency=changes.get("urgency", ticket.urgency),
        priority=changes.get("priority"),
        assignee=changes.get("assignee", ticket.assignee),
        category=ticket.category,
    )
    services.update_properties(ticket, props, actor=agent, expected_version=ticket.version)
    db.session.commit()


def test_views_mine_unassigned_and_all_open(client):
    me, other = factories.agent("Me"), factories.agent("Other")
    mine = factories.ticket("Mine", notify=False)
    theirs = factories.ticket("Theirs", notify=False)
    nobodys = factories.ticket("Nobody's", notify=False)
    done = factories.ticket("Done", notify=False)
    set_props(mine, me, assignee=me)
    set_props(theirs, me, assignee=other)
    set_props(done, me, assignee=me, status=TicketStatus.RESOLVED)
    factories.login(client, me)
    assert rows(client.get("/tickets/?view=mine")) == [str(mine.number)]
    assert rows(client.get("/tickets/?view=unassigned")) == [str(nobodys.number)]
    assert set(rows(client.get("/tickets/?view=open"))) == {str(t.number) for t in (mine, theirs, nobodys)}
    assert len(rows(client.get("/tickets/?view=all"))) == 4


def test_filters_by_status_priority_and_assignee(client):
    me = factories.agent("Me")
    urgent = factories.ticket("Urgent", notify=False)
    calm = factories.ticket("Calm", notify=False)
    set_props(urgent, me, impact=Level.HIGH, urgency=Level.HIGH, assignee=me, status=TicketStatus.OPEN)
    factories.login(client, me)
    assert rows(client.get("/tickets/?priority=critical")) == [str(urgent.number)]
    assert rows(client.get("/tickets/?status=new")) == [str(calm.number)]
    assert rows(client.get(f"/tickets/?assignee={me.id}")) == [str(urgent.number)]
    assert rows(client.get("/tickets/?assignee=none")) == [str(calm.number)]
    # Unknown values are ignored, not errors (a NUL is a clear 400: tests/test_hostile_input.py).
    assert rows(client.get("/tickets/?status=bogus&priority=urgentish")) != []


def test_sort_by_last_update_newest_or_oldest(client):
    me = factories.agent()
    first, second = factories.ticket("First", notify=False), factories.ticket("Second", notify=False)
    services.add_reply(first, author=me, body="an update makes it the most recent")
    db.session.commit()
    factories.login(client, me)
    assert rows(client.get("/tickets/")) == [str(first.number), str(second.number)]
    assert rows(client.get("/tickets/?sort=oldest")) == [str(second.number), str(first.number)]


def test_keyset_pagination_walks_every_ticket_once_forwards_and_back(client):
    me = factories.agent()
    customer = factories.ticket("t0", notify=False).customer
    base = utcnow()
    for i in range(1, 120):
        ticket = services.open_ticket(customer=customer, subject=f"t{i}", body="x", notify_customer=False)
        ticket.updated_at = base - timedelta(minutes=i // 3)  # ties on updated_at: the id breaks them
    db.session.commit()
    factories.login(client, me)
    seen, pages, url = [], [], "/tickets/?view=all"
    while url:
        response = client.get(url)
        pages.append(rows(response))
        seen += pages[-1]
        import re

        found = re.search(r'href="(/tickets/\?after=[^"]+)"', response.text)
        url = found.group(1).replace("&amp;", "&") if found else None
    assert [len(p) for p in pages] == [50, 50, 20]
    assert len(seen) == len(set(seen)) == 120
    last_page = client.get(f"/tickets/?view=all&after={_cursor_after(client, 2)}")
    back = re.search(r'href="(/tickets/\?before=[^"]+)"', last_page.text).group(1).replace("&amp;", "&")
    assert rows(client.get(back)) == pages[1]


def _cursor_after(client, pages: int) -> str:
    import re

    url = "/tickets/?view=all"
    for _ in range(pages):
        url = re.search(r'href="(/tickets/\?after=[^"]+)"', client.get(url).text).group(1).replace("&amp;", "&")
    return url.split("after=")[1].split("&")[0]


def test_garbled_cursor_shows_the_first_page(client):
    factories.login(client, factories.agent())
    factories.ticket(notify=False)
    response = client.get("/tickets/?after=%%%garbage&before=eyJ4IjoxfQ")
    assert response.status_code == 200 and len(rows(response)) == 1


def test_queue_poll_answers_204_until_a_ticket_arrives(client):
    factories.login(client, factories.agent())
    factories.ticket("Old one", notify=False)
    page = client.get("/tickets/")
    import re

    poll = re.search(r'hx-get="(/tickets/changes\?[^"]+)"', page.text).group(1).replace("&amp;", "&")
    assert client.get(poll, headers={"HX-Request": "true"}).status_code == 204
    factories.ticket("Brand new", notify=False)
    response = client.get(poll, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "Brand new" in response.text and "<html" not in response.text


def test_filter_form_returns_only_the_list_fragment_to_htmx(client):
    factories.login(client, factories.agent())
    factories.ticket(notify=False)
    fragment = client.get("/tickets/?status=new", headers={"HX-Request": "true"})
    assert fragment.text.lstrip().startswith("<section") and "<html" not in fragment.text
    assert "HX-Request" in fragment.headers["Vary"]
    page = client.get("/tickets/?status=new")
    assert "<html" in page.text


def test_priority_badge_is_text_not_only_colour(client):
    me = factories.agent()
    ticket = factories.ticket(notify=False)
    set_props(ticket, me, priority=Priority.CRITICAL)
    factories.login(client, me)
    assert ">Critical</span>" in client.get("/tickets/").text


def test_queue_poll_with_a_garbled_timestamp_just_refreshes(client):
    factories.login(client, factories.agent())
    factories.ticket("Some ticket", notify=False)
    for since in ("yesterday", "2026-01-01T00:00:00", ""):
        response = client.get(f"/tickets/changes?since={since}", headers={"HX-Request": "true"})
        assert response.status_code == 200 and "Some ticket" in response.text
