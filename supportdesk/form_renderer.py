"""The form renderer (settings.FORM_RENDERER): Django's widget, label and error templates in
their Jinja2 versions, which Django ships beside the others and keeps alike.

Why: the Django template language spends most of a form's time on its widgets, whose templates
include one another (each option of a select includes two). The case list's filter form was
about half of that page's CPU, a note box a sixth of a wizard step's page (bench/README.md).
Jinja2 compiles a template to Python once and renders the same HTML several times faster.

A template only the Django template language has (the admin's own widgets) is rendered by it:
Django's Jinja2 renderer alone would fail on the admin's pages.
"""

from __future__ import annotations

from typing import Any

from django.forms.renderers import BaseRenderer, DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist


class FormRenderer(BaseRenderer):
    def __init__(self) -> None:
        self.jinja2, self.django = Jinja2(), DjangoTemplates()

    def get_template(self, template_name: str) -> Any:
        try:
            return self.jinja2.get_template(template_name)
        except TemplateDoesNotExist:
            return self.django.get_template(template_name)
