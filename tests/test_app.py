"""The app as a whole: health, schema guard, assets, translations, security headers."""

import json
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po
from sqlalchemy import text

from helpdesk import ROOT, VENDOR
from helpdesk.core.extensions import db
from tests.conftest import free_port


def test_healthz_reports_database_and_redis(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "checks": {"database": "ok", "redis": "ok"}}


def test_healthz_says_degraded_when_redis_is_down(make_app, app):
    dead = f"redis://127.0.0.1:{free_port()}/0"
    response = make_app(REDIS_URL=dead).test_client().get("/healthz")
    assert response.status_code == 200
    assert response.json["status"] == "degraded" and response.json["checks"]["redis"].startswith("error")


def test_app_refuses_to_serve_on_an_old_schema_and_logs_it_once(make_app, app, capsys):
    old = make_app()
    with old.app_context():
        revision = db.session.scalar(text("SELECT version_num FROM alembic_version"))
        db.session.execute(text("UPDATE alembic_version SET version_num = 'old'"))
        db.session.commit()
        try:
            response = old.test_client().get("/requests/new")
            assert response.status_code == 503
            assert "flask db upgrade" in response.text
            assert old.test_client().get("/requests/new").status_code == 503
            refused = [line for line in capsys.readouterr().err.splitlines() if "requests refused" in line]
            assert len(refused) == 1 and "ERROR helpdesk.schema" in refused[0] and "schema at old" in refused[0]
        finally:
            db.session.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": revision})
            db.session.commit()


def test_models_and_migrations_agree(base_config, schema):
    env = {
        "DATABASE_URL": base_config["SQLALCHEMY_DATABASE_URI"],
        "SECRET_KEY": "test-secret-key-not-for-production",
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", "db", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "No new upgrade operations detected" in result.stdout + result.stderr, result.stderr


def test_vendored_assets_exist_and_match_the_lockfile():
    lock = json.loads((ROOT / "package-lock.json").read_text())["packages"]
    for name, package in (("htmx", "htmx.org"), ("pico", "@picocss/pico")):
        path = ROOT / "static" / VENDOR[name]
        assert path.exists(), f"{path} is missing: run `npm ci --ignore-scripts && npm run vendor` (the setup script does)"
        assert lock[f"node_modules/{package}"]["version"] in path.name
    assert lock["node_modules/htmx.org"]["version"].startswith("2."), "htmx-flask reads htmx 2 headers"


def _keys(messages):
    return {(m.id[0] if isinstance(m.id, tuple) else m.id, m.context) for m in messages if m.id}


def _translated(message):
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(strings) and not message.fuzzy


def test_spanish_catalogue_translates_every_message(tmp_path):
    """messages.po is the only Spanish source: every message in the code is in it, translated and not fuzzy."""
    pot = tmp_path / "messages.pot"
    subprocess.run(  # extracted as scripts/update-translations does
        [str(Path(sys.executable).parent / "pybabel"), "-q", "extract", "-F", "babel.cfg", "-k", "_l", "-o", str(pot), "."],
        cwd=ROOT,
        check=True,
        timeout=120,
    )
    with pot.open("rb") as fh:
        in_code = _keys(read_po(fh))
    with (ROOT / "translations/es/LC_MESSAGES/messages.po").open("rb") as fh:
        catalogue = list(read_po(fh, locale="es"))
    in_catalogue = _keys(catalogue)
    run = "run ./scripts/update-translations"
    not_in_catalogue = sorted(in_code - in_catalogue, key=str)
    assert not not_in_catalogue, f"not in messages.po yet ({run}, then write the Spanish): {not_in_catalogue[:10]}"
    not_in_code = sorted(in_catalogue - in_code, key=str)
    assert not not_in_code, f"in messages.po but no longer in the code ({run}): {not_in_code[:10]}"
    untranslated = sorted(_keys(m for m in catalogue if not _translated(m)), key=str)
    assert not untranslated, f"untranslated or fuzzy in Spanish (write it in messages.po, then {run}): {untranslated[:10]}"


def test_portal_follows_accept_language_and_the_language_switch(client):
    assert "¿Cómo podemos ayudarle?" in client.get("/", headers={"Accept-Language": "es-ES,es;q=0.9"}).text
    assert "How can we help?" in client.get("/", headers={"Accept-Language": "en-GB"}).text
    client.get("/lang/es?next=/")
    assert "¿Cómo podemos ayudarle?" in client.get("/", headers={"Accept-Language": "en"}).text


def test_pages_carry_security_headers(client):
    response = client.get("/requests/new")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404 and "Page not found" in response.text


def test_oversized_post_is_refused_kindly(client):
    response = client.post("/requests/new", data={"message": "x" * (26 * 1024 * 1024)})
    assert response.status_code == 413
    assert "larger than we accept" in response.text


def test_migrations_upgrade_a_database_that_has_data(tmp_path, base_config):
    """Every migration after the first runs on a database with rows in it (SQLite batch copies included)."""
    from flask_migrate import upgrade

    from helpdesk import create_app

    app = create_app({**base_config, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.sqlite3'}"})
    with app.app_context():
        upgrade(revision="3addb6edc4a7")
        db.session.execute(text("INSERT INTO category (id, name_en, name_es, position, active) VALUES (1, 'Billing', 'Facturación', 0, 1)"))
        db.session.execute(
            text("INSERT INTO customer (id, email, name, phone, notes, created_at) VALUES (1, 'c@example.com', 'C', '', '', '2026-01-01')")
        )
        db.session.execute(
            text(
                "INSERT INTO ticket (id, number, subject, status, is_open, impact, urgency, priority, is_priority_overridden, "
                "channel, tier, customer_id, category_id, access_key, created_at, updated_at, version) "
                "VALUES (1, 1001, 'Old ticket', 'open', 1, 'medium', "
                "'medium', 'medium', 0, 'web', 1, 1, 1, 'key', '2026-01-01', '2026-01-01', 1)"
            )
        )
        db.session.commit()
        upgrade()
        assert db.session.execute(text("SELECT subject, survey_due_at FROM ticket")).one() == ("Old ticket", None)
        assert db.session.execute(text("SELECT is_surveyed FROM category")).scalar() in (1, True)
        assert db.session.execute(text("PRAGMA foreign_key_check")).all() == []
        db.session.remove()
        db.engine.dispose()
