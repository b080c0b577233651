"""The settings page "Company and help centre": what an owner saves shows on the portal, the staff bar and emails."""

import io
import struct
import zlib

import pytest
from sqlalchemy import select
from werkzeug.test import EnvironBuilder

from helpdesk.accounts.models import Role
from helpdesk.core.extensions import db
from helpdesk.mail.models import OutgoingEmail
from helpdesk.settings import queries
from tests import factories


def png(width: int = 2, height: int = 1) -> bytes:
    """A real (tiny) PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + b"\x1d\x5f\xbf" * width for _ in range(height))
    header = chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
    return b"\x89PNG\r\n\x1a\n" + header + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def form(**changes: object) -> dict[str, object]:
    data = {
        "company_name": "Tienda Sol",
        "accent_color": "#1d5fbf",
        "default_locale": "en",
        "timezone": "UTC",
        "base_url": "http://helpdesk.test",
        "welcome_heading_en": "",
        "welcome_heading_es": "",
        "welcome_text_en": "",
        "welcome_text_es": "",
    }
    data.update(changes)
    return data


@pytest.fixture
def owner(client):
    user = factories.admin()
    factories.login(client, user)
    return user


def test_the_company_name_and_welcome_show_on_the_portal_in_each_language(client, owner):
    response = client.post(
        "/admin/settings",
        data=form(welcome_heading_en="Welcome to Sol", welcome_heading_es="Bienvenido a Sol", welcome_text_es="Le ayudamos.\n\nSiempre."),
    )
    assert response.status_code == 303
    assert "Settings saved." in client.get(response.headers["Location"]).text
    home = client.get("/", headers={"Accept-Language": "en"}).text
    assert "Tienda Sol" in home and "Welcome to Sol" in home and "How can we help?" not in home
    client.set_cookie("lang", "es")
    home = client.get("/").text
    assert "Bienvenido a Sol" in home and '<p class="lead">Le ayudamos.</p>' in home and "Siempre." in home
    assert "Tienda Sol" in client.get("/tickets/").text  # the staff bar


def test_the_accent_colour_is_served_as_a_cached_stylesheet_linked_from_every_layout(app, client, owner):
    assert "/branding.css" not in client.get("/").text  # the built-in colour needs no extra file
    client.post("/admin/settings", data=form(accent_color="#8A1C1C"))
    home = client.get("/").text
    assert 'href="/branding.css?v=8a1c1c"' in home
    css = app.test_client().get("/branding.css?v=8a1c1c")  # a visitor's browser keeps it
    assert css.mimetype == "text/css" and "--hd-accent: #8a1c1c;" in css.text
    assert "max-age=31536000" in css.headers["Cache-Control"]
    assert "/branding.css?v=8a1c1c" in client.get("/admin/settings").text


def test_a_colour_without_enough_contrast_is_refused_with_its_ratio_and_the_form_kept(client, owner):
    response = client.post("/admin/settings", data=form(accent_color="#777777", company_name="Kept Name"))
    assert response.status_code == 422
    assert "4.48:1" in response.text and "4.5:1" in response.text
    assert 'value="Kept Name"' in response.text and 'value="#777777"' in response.text
    assert queries.accent_color() is None and app_company() != "Kept Name"


def app_company() -> str:
    from flask import current_app

    return current_app.config["COMPANY_NAME"]


@pytest.mark.parametrize(
    "address",
    [
        "ftp://help.example.com",
        "help.example.com",
        "javascript:alert(1)",
        "https://user:pw@help.example.com",
        "https://help.example.com/?a=1",
    ],
)
def test_the_public_address_must_be_a_plain_web_address(client, owner, address):
    response = client.post("/admin/settings", data=form(base_url=address))
    assert response.status_code == 422 and "field-error" in response.text


def test_a_new_public_address_changes_the_links_in_the_next_email(client, owner):
    factories.ticket(email="first@example.com")
    assert "http://helpdesk.test/my/" in db.session.scalars(select(OutgoingEmail.body_text)).one()
    assert client.post("/admin/settings", data=form(base_url="https://help.sol.example/")).status_code == 303
    factories.ticket(email="second@example.com")
    second = db.session.scalars(select(OutgoingEmail).where(OutgoingEmail.to_address == "second@example.com")).one()
    assert "https://help.sol.example/my/" in second.body_text and "http://helpdesk.test" not in second.body_text
    assert "https://help.sol.example/my/" in second.body_html


def test_a_png_logo_shows_on_the_portal_the_staff_bar_and_as_a_linked_image_in_emails(client, owner):
    response = client.post("/admin/settings", data={**form(), "logo": (io.BytesIO(png()), "logo.png")}, content_type="multipart/form-data")
    assert response.status_code == 303
    stored = queries.logo()
    url = f"/branding/logo-{stored['version']}.png"
    assert f'src="{url}"' in client.get("/").text and f'src="{url}"' in client.get("/tickets/").text
    image = client.get(url)
    assert image.status_code == 200 and image.mimetype == "image/png" and image.data == png()
    image.close()
    factories.ticket(email="carla@example.com")
    email = db.session.scalars(select(OutgoingEmail)).one()
    assert f'src="http://helpdesk.test{url}"' in email.body_html and not email.attachments
    # Removing it: gone from the pages, and its old address no longer answers.
    client.post("/admin/settings", data=form(remove_logo="y"))
    assert url not in client.get("/").text and client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("logo.png", b"<!doctype html><html><script>alert(document.cookie)</script></html>"),
        ("logo.jpg", b"GIF89a not a jpeg"),
    ],
)
def test_an_svg_or_a_disguised_file_is_refused_as_a_logo(client, owner, name, content):
    response = client.post("/admin/settings", data={**form(), "logo": (io.BytesIO(content), name)}, content_type="multipart/form-data")
    assert response.status_code == 422 and "not a PNG or JPEG image" in response.text
    assert queries.logo() is None


def test_a_logo_larger_than_the_limit_is_refused(client, owner):
    big = png() + b"\x00" * (600 * 1024)
    builder = EnvironBuilder(path="/admin/settings", method="POST", data={**form(), "logo": (io.BytesIO(big), "logo.png")})
    environ = builder.get_environ()
    try:  # a body this large is spooled to a temporary file: close it
        response = client.open(environ)
    finally:
        environ["wsgi.input"].close()
        builder.close()
    assert response.status_code == 422 and "larger than" in response.text and queries.logo() is None


def test_values_set_by_the_environment_are_shown_read_only_and_kept(make_app, app, monkeypatch):
    monkeypatch.setenv("COMPANY_NAME", "Env Company")
    locked = make_app(COMPANY_NAME="Env Company")
    with locked.app_context():
        client = locked.test_client()
        factories.login(client, factories.admin())
        page = client.get("/admin/settings").text
        assert "Set by the environment (COMPANY_NAME)" in page and 'value="Env Company"' in page and "disabled" in page
        data = form()
        del data["company_name"]  # a disabled field is not sent
        assert client.post("/admin/settings", data=data).status_code == 303
        assert locked.config["COMPANY_NAME"] == "Env Company"


@pytest.mark.parametrize("role", [Role.AGENT])
def test_agents_get_403_on_every_settings_page_and_post(client, role):
    factories.login(client, factories.agent(role=role))
    for method, url in [
        ("get", "/admin/settings"),
        ("post", "/admin/settings"),
        ("get", "/admin/settings/email"),
        ("post", "/admin/settings/email"),
        ("post", "/admin/settings/email/test"),
        ("get", "/admin/settings/email/test/abc"),
    ]:
        assert getattr(client, method)(url).status_code == 403, url


def test_the_branding_files_are_public_and_a_missing_logo_is_404(client):
    assert client.get("/branding.css").status_code == 200
    assert client.get("/branding/logo-abc.png").status_code == 404


def test_a_language_and_time_zone_from_the_environment_do_not_block_saving_the_rest(make_app, app, monkeypatch):
    monkeypatch.setenv("DEFAULT_LOCALE", "es")
    monkeypatch.setenv("TIMEZONE", "Europe/Madrid")
    locked = make_app(DEFAULT_LOCALE="es", TIMEZONE="Europe/Madrid")
    with locked.app_context():
        client = locked.test_client()
        factories.login(client, factories.admin())
        data = form(company_name="Sol")
        del data["default_locale"], data["timezone"]
        assert client.post("/admin/settings", data=data).status_code == 303
        assert (locked.config["COMPANY_NAME"], locked.config["DEFAULT_LOCALE"], locked.config["TIMEZONE"]) == ("Sol", "es", "Europe/Madrid")
