"""A form body in a charset Django cannot parse is a 400 with a short reason, never a 500: on
every URL, signed in or not, in production too (Django's own handlers raise on it)."""

from __future__ import annotations

import pytest
from django.test import Client

from supportdesk.charset import MULTIPART, readable
from tests.factories import PASSWORD, make_case
from tests.supportdesk.test_access import SAMPLES_BY_CONVERTER, concrete_url, walk_urlconf

pytestmark = pytest.mark.django_db
URLENCODED = "application/x-www-form-urlencoded"


def post(client: Client, url: str, text: str, charset: str, encoding: str | None = None,
         content_type: str = URLENCODED):
    """The body as a browser or a script would send it: bytes in ``encoding``, labelled
    ``charset`` (generic() sends bytes as they are; post() would re-encode them)."""
    return client.generic("POST", url, data=text.encode(encoding or charset),
                          content_type=f"{content_type}; charset={charset}")


@pytest.mark.parametrize("charset", ["utf-16", "utf-16-le", "utf-32", "no-such-charset"])
def test_it_answers_an_unreadable_charset_on_every_url_with_a_400(client, specialist, charset):
    case = make_case(specialist)
    urls = [concrete_url(route, {**SAMPLES_BY_CONVERTER, "ref": case.reference})
            for route in walk_urlconf()]
    assert len(urls) > 50  # the walk sees the whole URL conf
    client.force_login(specialist)
    client.raise_request_exception = False
    encoding = "utf-8" if charset == "no-such-charset" else charset

    answers = {url: post(client, url, "note=x&choice=y", charset, encoding) for url in urls}

    wrong = {url: r.status_code for url, r in answers.items() if r.status_code != 400}
    assert not wrong, wrong
    body = answers[urls[0]].content.decode()
    assert "character set SupportDesk cannot read" in body and "Traceback" not in body


@pytest.mark.parametrize("debug", [False, True])
def test_it_refuses_the_sign_in_page_in_utf_16_signed_out(settings, debug):
    settings.DEBUG = debug
    client = Client(raise_request_exception=False)
    response = post(client, "/accounts/login/", f"username=specialist&password={PASSWORD}", "utf-16")
    assert response.status_code == 400
    assert "(utf-16)" in response.content.decode()


@pytest.mark.parametrize("charset", ["iso-8859-1", "cp1252", "us-ascii", "utf8"])
def test_it_answers_a_urlencoded_form_in_another_charset_with_a_400(specialist, charset):
    # Django reads urlencoded bodies as UTF-8 only (and raises on any other label).
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.get("/accounts/login/")
    token = client.cookies["csrftoken"].value
    response = post(client, "/accounts/login/",
                    f"csrfmiddlewaretoken={token}&username=specialist&password={PASSWORD}", charset)
    assert response.status_code == 400 and f"({charset})" in response.content.decode()


@pytest.mark.parametrize("charset", ["UTF-8", "utf-8"])
def test_it_signs_in_with_a_utf_8_label(specialist, charset):
    client = Client(enforce_csrf_checks=True)
    client.get("/accounts/login/")
    token = client.cookies["csrftoken"].value
    response = post(client, "/accounts/login/",
                    f"csrfmiddlewaretoken={token}&username=specialist&password={PASSWORD}", charset)
    assert response.status_code == 302 and response["Location"] == "/"


def test_it_reads_a_multipart_form_in_latin_1(client, specialist):
    client.force_login(specialist)
    boundary = "XyZ"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"q\"\r\n\r\nx\r\n"
            f"--{boundary}--\r\n")
    response = client.generic("POST", "/cases/", data=body.encode("latin-1"),
                              content_type=f"multipart/form-data; boundary={boundary}; charset=latin-1")
    assert response.status_code != 400 and response.status_code < 500


@pytest.mark.parametrize(("charset", "content_type", "expected"), [
    ("utf-8", URLENCODED, True), ("UTF-8", URLENCODED, True), ("latin-1", URLENCODED, False),
    ("utf-8", MULTIPART, True), ("latin-1", MULTIPART, True), ("windows-1252", MULTIPART, True),
    ("us-ascii", MULTIPART, True),
    ("utf-16", MULTIPART, False), ("utf_32_be", MULTIPART, False), ("utf-7", MULTIPART, False),
    ("cp037", MULTIPART, False), ("rot13", MULTIPART, False), ("nonsense", MULTIPART, False),
])
def test_it_knows_which_charsets_django_can_parse(charset, content_type, expected):
    assert readable(charset, content_type) is expected
