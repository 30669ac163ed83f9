"""PlainSelect must produce the same markup as Django's template-rendered Select."""

from __future__ import annotations

import pytest
from django import forms
from django.test.html import parse_html

from ocop.core.widgets import PlainSelect, PlainSelectMultiple

CHOICES = [
    ("", "— chọn —"),
    (1, "Bắc Kạn (trước 01/07/2025)"),
    ("Nhóm <b>", [(2, 'Thái Nguyên & "Cao Bằng"'), (3, "Hà Tĩnh")]),
]


@pytest.mark.parametrize(
    ("value", "attrs"),
    [
        (None, {}),
        (1, {"id": "id_unit", "required": True, "aria-describedby": "id_unit_helptext"}),
        ("3", {"id": "x", "disabled": True, "class": "wide"}),
        ("<script>", {"data-x": False}),
    ],
)
def test_plain_select_matches_django_select(value, attrs) -> None:
    expected = forms.Select(choices=CHOICES).render("unit", value, attrs=dict(attrs))
    actual = PlainSelect(choices=CHOICES).render("unit", value, attrs=dict(attrs))
    assert parse_html(actual) == parse_html(expected)
    assert "<b>" not in actual and "&lt;b&gt;" in actual


def test_plain_select_multiple_matches_django() -> None:
    expected = forms.SelectMultiple(choices=CHOICES).render("units", [1, 3], attrs={"id": "u"})
    actual = PlainSelectMultiple(choices=CHOICES).render("units", [1, 3], attrs={"id": "u"})
    assert parse_html(actual) == parse_html(expected)
    assert actual.count("selected") == 2


def test_plain_select_in_a_bound_form_renders_like_the_default_widget() -> None:
    def form_class(widget):
        class Form(forms.Form):
            unit = forms.TypedChoiceField(choices=CHOICES, coerce=int, widget=widget)
            other = forms.TypedChoiceField(choices=CHOICES[1:], coerce=int, widget=widget)

        return Form

    for data in ({"unit": "2", "other": "3"}, {"unit": "", "other": "9"}):
        plain, default = form_class(PlainSelect)(data), form_class(forms.Select)(data)
        for name in ("unit", "other"):
            assert parse_html(str(plain[name])) == parse_html(str(default[name]))
    assert " required" in str(form_class(PlainSelect)({})["unit"])  # empty first choice: a placeholder
