"""A form posted in a character set SupportDesk cannot read is a 400 with a short reason.

Django refuses a urlencoded body whose Content-Type names any charset but UTF-8 (BadRequest: the
format has no charset and is always UTF-8), and decodes a multipart one with the charset named,
raising on UTF-16/32 (not ASCII-compatible) or an unknown name. It raises in the CSRF check's
read of the body, and again in the 400 handler when it reads it once more, so the client got a
500 (even signed out, on the sign-in page). Every page of SupportDesk sends UTF-8; this answers
what Django would choke on before any middleware, view or handler reads the body.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.template.loader import render_to_string

URLENCODED = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"
# What a form body is made of: if the charset does not write these as ASCII bytes, Django's
# parsers (which split the body on b"&", b"=" and the multipart boundary) cannot read it.
ASCII_SAMPLE = "name=value&x-1_2.3%20+~*"


def readable(charset: str, content_type: str = MULTIPART) -> bool:
    """Whether Django can parse a form body of ``content_type`` declared in ``charset``."""
    if content_type == URLENCODED:
        return charset.lower() == "utf-8"  # django.http.request: "must be UTF-8 encoded"
    try:
        codec = codecs.lookup(charset)
    except LookupError:
        return False
    try:
        return codec.encode(ASCII_SAMPLE)[0] == ASCII_SAMPLE.encode("ascii")
    except (UnicodeError, TypeError):
        return False


class FormCharsetMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD", "OPTIONS") and request.content_type in (
                URLENCODED, MULTIPART):
            charset = (request.content_params or {}).get("charset", "")
            if charset and not readable(charset, request.content_type):
                return refused(charset)
        return self.get_response(request)


def refused(charset: str) -> HttpResponse:
    # Rendered without the request, as Django's own 400 is: the request is what is broken.
    body = render_to_string("400.html", {
        "reason": f"The form was sent in a character set SupportDesk cannot read "
                  f"({charset[:40]}). Pages of SupportDesk send UTF-8: reload the page and send "
                  "the form again from it.",
    })
    return HttpResponseBadRequest(body)
