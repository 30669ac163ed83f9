"""The error summary of a page (GOV.UK pattern): every error of every form the page was rendered with, each
linked to its field, plus the page's error messages. One place for staff and public pages: base templates
ask ``error_items`` (through the ``error_summary`` tag), show the summary at the top of the main content,
prefix the title with "Lỗi:", and static/js/errors.js moves the focus to it.

The forms are found in the template context, so a view only renders its bound form as it always did. Values
are tested with ``type()``: a lazy object in the context (the user, the CSRF token) is never evaluated here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.messages import constants as message_levels
from django.core.exceptions import NON_FIELD_ERRORS
from django.forms.formsets import BaseFormSet

from .text import fold


@dataclass(frozen=True)
class ErrorItem:
    message: str
    href: str = ""  # "#id_field" of the field to fix; empty for an error of the whole form or page


def _field_anchor(bound: forms.BoundField) -> str:
    target = bound.id_for_label or (f"{bound.auto_id}_0" if bound.auto_id else "")
    if isinstance(bound.field.widget, forms.HiddenInput) or not target:
        return ""
    return f"#{target}"


def _labelled(label: str, message: str) -> str:
    """ "Tên: Trường này là bắt buộc." — unless the message names the field already (its label before any
    bracket: "Thư điện tử chưa đúng dạng" names "Thư điện tử (không công khai)")."""
    name = label.split("(")[0].strip()
    if not name or fold(name) in fold(message):
        return message
    return f"{label}: {message}"


def form_errors(form: forms.BaseForm) -> Iterator[ErrorItem]:
    for message in form.non_field_errors():
        yield ErrorItem(str(message))
    for name, errors in form.errors.items():
        if name == NON_FIELD_ERRORS or name not in form.fields:
            continue
        bound = form[name]
        for message in errors:
            yield ErrorItem(_labelled(str(bound.label or ""), str(message)), _field_anchor(bound))


def _forms_in(values: Iterable[Any]) -> Iterator[forms.BaseForm]:
    seen: set[int] = set()
    for value in values:
        kind = type(value)
        found: list[forms.BaseForm] = []
        if issubclass(kind, forms.BaseForm):
            found = [value]
        elif issubclass(kind, BaseFormSet) and value.is_bound:
            found = list(value.forms)
        for form in found:
            # Only forms the view validated: a bound filter form nobody checked shows no errors.
            if id(form) not in seen and form.is_bound and getattr(form, "_errors", None) is not None:
                seen.add(id(form))
                yield form


def error_items(context_values: Iterable[Any], messages: Iterable[Any] = ()) -> list[ErrorItem]:
    """The summary's items: the errors of each bound form among ``context_values`` (in order), then the
    error-level ``messages``."""
    items = [item for form in _forms_in(context_values) for item in form_errors(form)]
    items += [ErrorItem(str(m)) for m in messages if getattr(m, "level", None) == message_levels.ERROR]
    return items
