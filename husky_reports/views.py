"""The HUSKY report catalog and the member checker. Both only read: the checker computes the
rules for what was typed and saves nothing, so a date of birth never reaches the database."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from supportdesk import clock
from supportdesk.htmx import partial_wanted
from supportdesk.http import AuthenticatedHttpRequest
from supportdesk.roles import Role, role_required

from . import contacts, rules, search
from .forms import DOB_FIELD, CatalogSearchForm, MemberCheckForm, facts_from
from .models import LookBackWindow, Report, ReportFamily

CATALOG_READERS = (Role.SPECIALIST, Role.SUPERVISOR)


def _families() -> list[ReportFamily]:
    reports = Report.objects.select_related("family").prefetch_related(
        Prefetch("look_back_windows", queryset=LookBackWindow.objects.order_by("position", "pk"))
    )
    return list(ReportFamily.objects.prefetch_related(Prefetch("reports", queryset=reports)))


@role_required(*CATALOG_READERS)
@sensitive_post_parameters("q")
@require_http_methods(["GET", "POST"])
def catalog(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The search is a POST (with CSRF): what is typed stays out of the URL, the browser's
    history and the access logs. A GET shows the catalog and ignores any ?q=."""
    families = _families()
    reports = {report.pk: report for family in families for report in family.reports.all()}
    documents = [(pk, r.name, r.search_text()) for pk, r in reports.items()]
    vocabulary = set().union(*(search.words(f"{name} {text}") for _, name, text in documents))
    form = CatalogSearchForm(request.POST if request.method == "POST" else None,
                             vocabulary=vocabulary)
    matches: list[Report] = []
    question = ""
    if form.is_valid():
        question = form.cleaned_data["q"]
        matches = [reports[pk] for pk in search.rank(question, documents)]
    today = clock.today()
    return render(request, "husky_reports/catalog.html", {
        "form": form,
        "families": families,
        "question": question,
        "matches": matches,
        "last_refresh": rules.last_refresh(today),
        "next_refresh": rules.next_refresh(today),
        "breast_band_note": rules.BREAST_BAND_NOTE,
        "contacts": contacts,
        "exclusion_text": rules.EXCLUSION_TEXT,
    })


@role_required(Role.SPECIALIST)
@sensitive_post_parameters(DOB_FIELD)
@require_http_methods(["GET", "POST"])
def member_check(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = MemberCheckForm(request.POST or None)
    context: dict[str, object] = {"form": form, "report_names": rules.REPORT_NAMES}
    if request.method == "POST" and form.is_valid():
        facts = facts_from(form.cleaned_data)
        slugs = dict(Report.objects.values_list("rule_key", "slug"))
        context.update({
            "facts": facts,
            "rows": [(check, slugs.get(check.report.value)) for check in rules.check_all(facts)],
            "attribution": rules.attribution(
                on=facts.on, on_panel=facts.on_panel, self_selected_on=facts.self_selected_on,
                last_pcp_visit_on=facts.last_pcp_visit_on,
                visit_qualifies=facts.visit_by_flagged_pcp,
            ),
        })
    template = "husky_reports/member_check.html"
    if partial_wanted(request):
        template += "#checker"
    return render(request, template, context)
