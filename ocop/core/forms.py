from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError

DJANGO_EMPTY_LABEL = "---------"
CHOOSE = "— Chọn —"
CHOOSE_NONE = "— Không chọn —"


def plain_empty_choices(form: forms.BaseForm) -> None:
    """The empty choice of each select said in words ("— Chọn —", or "— Không chọn —" where leaving it
    empty is allowed) instead of Django's "---------"."""
    for field in form.fields.values():
        label = CHOOSE if field.required else CHOOSE_NONE
        if isinstance(field, forms.ModelChoiceField):
            if field.empty_label == DJANGO_EMPTY_LABEL:
                field.empty_label = label
        elif isinstance(field, forms.ChoiceField):
            choices: list[tuple[Any, Any]] = list(cast(Iterable[tuple[Any, Any]], field.choices))
            if any(text == DJANGO_EMPTY_LABEL for _value, text in choices):
                field.choices = [
                    (value, label if text == DJANGO_EMPTY_LABEL else text) for value, text in choices
                ]


class PlainEmptyChoices:
    """Form mixin: ``plain_empty_choices`` once the fields are built."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        plain_empty_choices(self)  # type: ignore[arg-type]


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's ValidationError onto the form: each field's messages under that field when the form has
    it, the rest (and message-only errors) on top of the form."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
