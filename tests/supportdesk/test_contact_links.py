"""The contact_links filter: e-mail addresses, phone numbers and web addresses in a step's text
become mailto:, tel: and plain links; everything else stays escaped text."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils.safestring import mark_safe

from supportdesk.contact_links import link_contacts
from tests.factories import make_case


def render(text: str, template: str = "{{ text|contact_links }}") -> str:
    return Template("{% load supportdesk %}" + template).render(Context({"text": text}))


@pytest.mark.parametrize(("text", "html"), [
    ("Send an email to crc@humana.com.",
     'Send an email to <a href="mailto:crc@humana.com">crc@humana.com</a>.'),
    ("AgentSupport@humana.com", '<a href="mailto:AgentSupport@humana.com">AgentSupport@humana.com</a>'),
    ("Call 1-800-448-6262 now", 'Call <a href="tel:18004486262" class="tel">1-800-448-6262</a> now'),
    ("(860) 555-0100", '<a href="tel:8605550100" class="tel">(860) 555-0100</a>'),
    ("800.555.1234 ext 12", '<a href="tel:8005551234;ext=12" class="tel">800.555.1234 ext 12</a>'),
    ("+1 800 555 1234 x9.", '<a href="tel:18005551234;ext=9" class="tel">+1 800 555 1234 x9</a>.'),
    ("(see http://www.ct.gov/husky).",
     '(see <a href="http://www.ct.gov/husky">http://www.ct.gov/husky</a>).'),
    ("https://ima.humana.com/Search/Index?providedChannelId=504> next",
     '<a href="https://ima.humana.com/Search/Index?providedChannelId=504">'
     "https://ima.humana.com/Search/Index?providedChannelId=504</a>&gt; next"),
])
def test_it_links_contacts(text, html):
    assert render(text) == html


@pytest.mark.parametrize("text", [
    "Group 824751, SL app 5550013, EC 1131095, INC0012345, 7125, 7126",
    "Effective 2026-11-18, 8/31/2017 to 12/31/2999",
    "Report 786961001 BP",
])
def test_it_leaves_numbers_that_are_not_phones_alone(text):
    assert render(text) == text


def test_it_keeps_html_in_the_text_escaped():
    hostile = ('<script>alert(1)</script> a@b.co"><img src=x onerror=alert(1)> '
               'javascript:alert(1) https://x.org/?q="><b>bold</b>')
    html = render(hostile)
    assert "<script>" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '<a href="mailto:a@b.co">a@b.co</a>&quot;&gt;&lt;img src=x onerror=alert(1)&gt;' in html
    assert 'href="javascript' not in html
    assert '<a href="https://x.org/?q=">https://x.org/?q=</a>&quot;&gt;&lt;b&gt;bold' in html


def test_it_chains_before_linebreaks_without_double_escaping():
    html = render("Line & one\ncall 1-800-448-6262", "{{ text|contact_links|linebreaksbr }}")
    assert html == 'Line &amp; one<br>call <a href="tel:18004486262" class="tel">1-800-448-6262</a>'


@pytest.mark.django_db
def test_a_step_page_links_the_contacts_of_its_outcome(client, specialist):
    case = make_case(specialist, "arsos-routing", [
        ("sale_stage", {"choice": "post_sale"}), ("topic", {"choice": "commission"}),
    ])
    client.force_login(specialist)
    page = client.get(reverse("case_step", args=[case.reference, case.current_step])).content.decode()
    assert 'href="mailto:agentsupport@humana.com"' in page.lower()
    assert 'href="tel:' in page


def test_text_already_marked_safe_is_left_as_built():
    built = mark_safe('<a href="/x">crc@humana.com</a>')
    assert link_contacts(built) is built
