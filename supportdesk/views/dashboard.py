"""The supervisor dashboard: outcomes, handle time, drop-off, branches, specialists and the flow
map coloured by traffic, then the panels the apps register (the EC queue, the ARSOS SLA: see
supportdesk/dashboard_panels.py). Every chart has its table and every table exports."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_GET

from supportdesk import clock

from .. import insights
from ..dashboard_panels import TABLES, register_tables, render_panels
from ..engine import registry
from ..exports import FORMATS, export_response
from ..flowmap import mermaid
from ..forms import flow_areas
from ..roles import Role, role_required
from .dashboard_charts import bar_chart, day_chart
from .dashboard_charts import duration as _duration


class DashboardForm(forms.Form):
    start = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="To", widget=forms.DateInput(attrs={"type": "date"}))
    flow = forms.ChoiceField(label="Flow", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        flow = self.fields["flow"]
        if not isinstance(flow, forms.ChoiceField):
            raise TypeError("flow is a choice field")
        flow.choices = [("", "All flows")] + [(f.key, f.title) for f in registry.all()]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", "The end date is before the start date.")
        if start and end and (end - start).days > 366:
            self.add_error("start", "Choose a range of at most a year.")
        return data


def _period(request: HttpRequest) -> tuple[DashboardForm, insights.Period]:
    today = clock.today()
    defaults = {"start": (today - dt.timedelta(days=29)).isoformat(), "end": today.isoformat()}
    form = DashboardForm({**defaults, **request.GET.dict()})
    if form.is_valid():
        data = form.cleaned_data
        return form, insights.Period(data["start"], data["end"], data["flow"])
    return form, insights.Period(today - dt.timedelta(days=29), today)


def _todays_cases() -> list[dict[str, str]]:
    """Links to today's cases in the case history: all, then each area of several flows."""
    today = clock.today().isoformat()
    links = [{"label": "All flows", "query": urlencode({"opened_from": today, "opened_to": today})}]
    for value, (name, _keys) in flow_areas().items():
        query = urlencode({"flow": value, "opened_from": today, "opened_to": today})
        links.append({"label": name, "query": query})
    return links


# The core's exportable tables, name → (columns, rows(period)); panels add theirs to TABLES.
register_tables({
    "cases-per-day": (("Day", "Cases opened"), lambda p: [
        (r["day"], r["count"]) for r in insights.cases_per_day(p)]),
    "dispositions": (("Disposition", "Cases", "Share %"), lambda p: [
        (r["label"], r["count"], r["share"]) for r in insights.dispositions(p)]),
    "drop-off": (("Flow", "Step", "Open cases", "Abandoned (over 24 h)"), lambda p: [
        (r["flow"], r["step"], r["open"], r["abandoned"]) for r in insights.drop_off(p)]),
    "branches": (("Flow", "Step", "Answer or branch", "Times taken"), lambda p: [
        (r["flow"], r["step"], r["answer"], r["count"]) for r in insights.top_branches(p)]),
    "specialists": (("Specialist", "Cases started", "Cases finished"), lambda p: [
        (r["name"], r["started"], r["finished"]) for r in insights.specialists(p)]),
})


@role_required(Role.SUPERVISOR)
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    form, period = _period(request)
    drop_off = insights.drop_off(period)
    overview = insights.overview(period, standing=drop_off)  # abandoned: drop_off's, summed
    flow = registry.get(period.flow_key) if period.flow_key else None
    diagram = mermaid(flow, *insights.step_traffic(period)) if flow else ""
    per_day = insights.cases_per_day(period)
    dispositions = insights.dispositions(period)
    branches = insights.top_branches(period)
    specialists = insights.specialists(period)
    return render(request, "supervisor/dashboard.html", {
        "form": form,
        "period": period,
        "query": request.GET.urlencode(),
        "overview": overview,
        "median": _duration(overview["median"]),
        "p90": _duration(overview["p90"]),
        "per_day": per_day,
        "todays_cases": _todays_cases(),
        "dispositions": dispositions,
        "drop_off": drop_off,
        "branches": branches,
        "specialists": specialists,
        "flow": flow,
        "diagram": diagram,
        "panels": render_panels(period),
        "charts": {
            "per_day": day_chart(per_day, "Cases opened per day"),
            "dispositions": bar_chart(dispositions, "label", "count", "Closed cases by disposition"),
            "specialists": bar_chart(specialists, "name", "started", "Cases started per specialist"),
            "branches": bar_chart(branches, "label", "count", "Most-taken answers"),
        },
    })


@role_required(Role.SUPERVISOR)
@require_GET
def dashboard_export(request: HttpRequest, table: str, fmt: str) -> HttpResponseBase:
    if table not in TABLES or fmt not in FORMATS:
        raise Http404("No such export.")
    _form, period = _period(request)
    columns, rows = TABLES[table]
    name = f"{table}-{period.start}-{period.end}"
    return export_response(fmt, name, columns, rows(period))
