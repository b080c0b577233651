"""Every redirect target taken from the request stays on this site, however it is spelled."""

import pytest

from helpdesk.core.urls import is_local_path, safe_next
from tests import factories

BYPASSES = [
    "https://evil.example/",
    "http:evil.example",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "/\t/evil.example",
    "/%09/evil.example",
    "/\r\n/evil.example",
    "/%0d%0a/evil.example",
    "/x\r\nSet-Cookie: a=b",
    "/%2F/evil.example",
    "/%5Cevil.example",
    "/%5C%5Cevil.example",
    " //evil.example",
    "\x00//evil.example",
    "/\x00/evil.example",
    "/\u200b/evil.example",
    "/\ufeff/evil.example",
    "/\uff0fevil.example",  # fullwidth solidus
    "/\uff3cevil.example",  # fullwidth reverse solidus
    "\uff0f\uff0fevil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,hi",
    "evil.example",
    "",
    None,
    "/" + "a" * 2001,
]

LOCAL = ["/", "/tickets/", "/tickets/?view=mine&sort=-updated", "/kb/?q=a%C3%B1o", "/requests/new?message=line%0D%0Anext", "/my/abc#reply"]


@pytest.mark.parametrize("target", BYPASSES)
def test_a_target_that_could_leave_the_site_falls_back_to_the_default(target):
    assert not is_local_path(target)
    assert safe_next(target, "/home") == "/home"


@pytest.mark.parametrize("target", LOCAL)
def test_a_local_path_is_kept_as_it_is(target):
    assert safe_next(target, "/home") == target


@pytest.mark.parametrize("query", ["/%09/evil.example", "%2F%09%2Fevil.example", "/%0d%0a/evil.example", "%0d%0aX:1", "//evil.example"])
def test_the_language_switch_never_sends_the_visitor_to_another_site(client, query):
    response = client.get(f"/lang/es?next={query}")
    assert response.status_code == 303
    assert response.headers["Location"] == "/"
    assert "lang=es" in response.headers["Set-Cookie"]


def test_the_language_switch_comes_back_to_the_page_it_was_used_on(client):
    response = client.get("/lang/es?next=/kb/%3Fq%3Dfactura")
    assert response.headers["Location"] == "/kb/?q=factura"


@pytest.mark.parametrize("query", ["/%09/evil.example", "/%0d%0a/evil.example", "%EF%BC%8F%EF%BC%8Fevil.example", "https:evil.example"])
def test_sign_in_with_a_hostile_next_lands_on_the_queue(client, query):
    factories.agent(email="olga@acme.test")
    response = client.post(f"/login?next={query}", data={"email": "olga@acme.test", "password": factories.PASSWORD})
    assert response.status_code == 303
    assert response.headers["Location"] == "/tickets/"
    assert client.get(f"/login?next={query}").headers["Location"] == "/tickets/"
