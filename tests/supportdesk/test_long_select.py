"""LongSelect (the specialist lists) writes the options Django's Select would: value, label
escaped, the chosen one selected, and the field's attributes."""

from __future__ import annotations

from django import forms

from supportdesk.forms import LongSelect


class PickForm(forms.Form):
    who = forms.ChoiceField(choices=[("", "Anyone"), ("1", "Ann <Lee>"), ("2", "Bo")],
                            required=False, widget=LongSelect(attrs={"class": "wide"}))


def test_it_marks_the_chosen_option_selected_and_escapes_labels():
    html = str(PickForm({"who": "2"})["who"])

    assert html.startswith('<select name="who" class="wide" id="id_who">')
    assert '<option value="">Anyone</option>' in html
    assert '<option value="1">Ann &lt;Lee&gt;</option>' in html
    assert '<option value="2" selected>Bo</option>' in html


def test_it_renders_what_django_select_renders_but_for_whitespace():
    class Plain(forms.Form):
        who = forms.ChoiceField(choices=PickForm.base_fields["who"].choices, required=False,
                                widget=forms.Select(attrs={"class": "wide"}))

    def squeezed(html: str) -> str:
        return "".join(html.split())

    assert squeezed(str(PickForm({"who": "1"})["who"])) == squeezed(str(Plain({"who": "1"})["who"]))
