"""Benchmark: server time of the agent queue, a ticket page and the public form at a realistic size.

    .venv/bin/python scripts/bench.py --tickets 100000                       # SQLite in a temporary folder
    .venv/bin/python scripts/bench.py --tickets 1000000 --database-url postgresql://…   # PostgreSQL

Requests go through the WSGI app in-process (no network), one at a time; the numbers are server time.
The targets are the quality bars of ARCHITECTURE.md.
"""

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import func, insert, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from helpdesk import create_app  # noqa: E402
from helpdesk.accounts.models import User  # noqa: E402
from helpdesk.accounts.services import create_user, generate_password  # noqa: E402
from helpdesk.core.extensions import db  # noqa: E402
from helpdesk.customers.models import Customer  # noqa: E402
from helpdesk.kb.models import ArticleStatus  # noqa: E402
from helpdesk.kb.search import search  # noqa: E402
from helpdesk.kb.services import save_article  # noqa: E402
from helpdesk.tickets.models import OPEN_STATUSES, Level, Priority, Ticket, TicketMessage, TicketStatus  # noqa: E402

STATUSES = [TicketStatus.NEW, TicketStatus.OPEN, TicketStatus.PENDING, TicketStatus.RESOLVED, TicketStatus.CLOSED]
WEIGHTS = [5, 10, 10, 25, 50]


def populate(count: int) -> None:
    """Customers, agents and `count` tickets with one message each, inserted in bulk."""
    rng = random.Random(42)
    agents = [create_user(email=f"agent{i}@bench.test", name=f"Agent {i}", password=generate_password()) for i in range(10)]
    db.session.commit()
    customers = max(count // 10, 1)
    for start in range(0, customers, 10_000):
        db.session.execute(
            insert(Customer),
            [{"email": f"c{i}@bench.test", "name": f"Customer {i}"} for i in range(start, min(start + 10_000, customers))],
        )
    db.session.commit()
    first_customer = db.session.scalar(select(func.min(Customer.id)))
    now = datetime.now(UTC)
    batch = 10_000
    for start in range(0, count, batch):
        rows = []
        for i in range(start, min(start + batch, count)):
            status = rng.choices(STATUSES, WEIGHTS)[0]
            stamp = now - timedelta(minutes=(count - i) * 3)
            rows.append(
                {
                    "number": 1001 + i,
                    "subject": f"Bench ticket {i}",
                    "status": status,
                    "is_open": status in OPEN_STATUSES,
                    "impact": Level.MEDIUM,
                    "urgency": Level.MEDIUM,
                    "priority": rng.choice(list(Priority)),
                    "customer_id": first_customer + rng.randrange(customers),
                    "assignee_id": rng.choice([None, *[a.id for a in agents]]),
                    "created_at": stamp,
                    "updated_at": stamp,
                }
            )
        db.session.execute(insert(Ticket), rows)
        db.session.commit()
    db.session.execute(text("UPDATE ticket_counter SET value = :v WHERE id = 1"), {"v": 1000 + count})
    db.session.execute(
        text(
            "INSERT INTO ticket_message (ticket_id, is_internal, author_customer_id, body, channel, created_at) "
            "SELECT id, false, customer_id, 'Hello, this is the first message.', 'web', created_at FROM ticket"
        )
    )
    busy = db.session.scalar(select(Ticket).order_by(Ticket.id.desc()).limit(1))
    db.session.execute(
        insert(TicketMessage),
        [{"ticket_id": busy.id, "author_user_id": agents[0].id, "body": f"Reply {n} " * 20, "created_at": now} for n in range(49)],
    )
    db.session.commit()


WORDS = [
    "order",
    "delivery",
    "refund",
    "return",
    "invoice",
    "password",
    "account",
    "shipping",
    "parcel",
    "address",
    "payment",
    "card",
    "bank",
    "label",
    "size",
    "pedido",
    "envío",
    "devolución",
    "reembolso",
    "factura",
    "contraseña",
    "cuenta",
    "paquete",
    "dirección",
    "pago",
    "tarjeta",
    "etiqueta",
    "talla",
]


def populate_articles(count: int) -> None:
    """`count` published articles of ~150 words, half English, half Spanish."""
    rng = random.Random(7)
    for i in range(count):
        title = f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)} {i}"
        body = " ".join(rng.choice(WORDS) for _ in range(150))
        save_article(None, title=title, body=body, language="en" if i % 2 else "es", status=ArticleStatus.PUBLISHED)
        if i % 500 == 499:
            db.session.commit()
    db.session.commit()


def measure(client, url: str, runs: int, method: str = "get", data=None, headers=None) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = getattr(client, method)(url, data=data, headers=headers)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code in (200, 303), (url, response.status_code)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--articles", type=int, default=2_000)
    parser.add_argument("--reuse", action="store_true", help="keep the data of an earlier run on the same database")
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite3'}"
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench-secret-key-not-for-production",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "MAIL_URL": "",
            "REDIS_URL": "redis://127.0.0.1:1/0",  # no Redis needed: mail is kept, enqueue is skipped
            "REQUEST_MIN_SECONDS": 0,
        }
    )
    with app.app_context():
        if not args.reuse:
            db.drop_all()
            db.session.execute(text("DROP TABLE IF EXISTS alembic_version"))
            db.session.commit()
            upgrade()
            started = time.perf_counter()
            populate(args.tickets)
            populate_articles(args.articles)
            print(f"populated {args.tickets:,} tickets on {db.engine.dialect.name} in {time.perf_counter() - started:.1f} s")
            if db.engine.dialect.name == "postgresql":
                db.session.commit()
                with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                    connection.execute(text("VACUUM ANALYZE"))
        agent = db.session.scalar(select(User).order_by(User.id).limit(1))
        busy = db.session.scalar(select(Ticket.number).order_by(Ticket.id.desc()).limit(1))
        login_id = agent.get_id()
        queue_target = 25 if db.engine.dialect.name == "postgresql" else 15  # ARCHITECTURE.md: 1M on PostgreSQL
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = login_id
    page_two = client.get("/tickets/?view=all").text.split("after=")[1].split('"')[0].split("&")[0]
    checks = [
        ("queue: all open", "/tickets/", queue_target),
        ("queue: mine", "/tickets/?view=mine", queue_target),
        ("queue: all, pending, high priority", "/tickets/?view=all&status=pending&priority=high", queue_target),
        ("queue: unassigned, oldest first", "/tickets/?view=unassigned&sort=oldest", queue_target),
        ("queue: all, page 2", f"/tickets/?view=all&after={page_two}", queue_target),
        ("queue: poll for changes", "/tickets/changes?since=2000-01-01T00:00:00%2B00:00", queue_target),
        ("ticket page, 50 messages", f"/tickets/{busy}", 20),
    ]
    print(f"{'what':40} {'p50 ms':>8} {'p95 ms':>8} {'target':>8}")
    for name, path, target in checks:
        p50, p95 = measure(client, path, args.runs)
        print(f"{name:40} {p50:8.2f} {p95:8.2f} {target:8} {'ok' if p95 < target else 'SLOW'}")
    fragment = {"HX-Request": "true"}
    for name, path in (
        (f"kb search, {args.articles} articles", "/kb/?q=devolucion"),
        ("kb search, two words as typed", "/kb/?q=refund%20pass"),
        ("request form suggestions", "/requests/suggestions?subject=I%20forgot%20my%20password%20and%20my%20invoice"),
    ):
        p50, p95 = measure(client, path, args.runs, headers=fragment)
        print(f"{name:40} {p50:8.2f} {p95:8.2f} {20:8} {'ok' if p95 < 20 else 'SLOW'}")
    with app.app_context():
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            search("devolucion pedido", language="es")
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        p50, p95 = statistics.median(times), times[int(len(times) * 0.95) - 1]
        print(f"{'kb search query alone':40} {p50:8.2f} {p95:8.2f} {20:8} {'ok' if p95 < 20 else 'SLOW'}")
    form = {"name": "Bench", "email": "bench@example.com", "subject": "Bench", "message": "Hello"}
    p50, p95 = measure(app.test_client(), "/requests/new", min(args.runs, 100), method="post", data=form)
    print(f"{'public form POST':40} {p50:8.2f} {p95:8.2f} {30:8} {'ok' if p95 < 30 else 'SLOW'}")


if __name__ == "__main__":
    main()
