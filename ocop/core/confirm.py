"""Ask once before an action that cannot be undone: the page says what will happen and carries the posted
values back with ``confirmed=1``. Works without JavaScript. Each domain's plan function says what will
happen (and refuses what its rules do not allow); this module only asks — used by certification,
evaluation, inspections and traceability views."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

SKIPPED = {"csrfmiddlewaretoken", "confirmed"}


def confirm_step(
    request: HttpRequest,
    *,
    title: str,
    lines: list[str],
    button: str,
    back_url: str,
    danger: bool = False,
) -> HttpResponse | None:
    """None when the POST carries the confirmation (go ahead); else the page that asks for it."""
    if request.POST.get("confirmed") == "1":
        return None
    fields = [(key, value) for key, values in request.POST.lists() if key not in SKIPPED for value in values]
    return render(
        request,
        "core/confirm.html",
        {
            "title": title,
            "lines": lines,
            "button": button,
            "back_url": back_url,
            "danger": danger,
            "fields": fields,
            "action": request.get_full_path(),
        },
    )


@dataclass(frozen=True)
class Confirmed:
    """An irreversible action behind a form: its plan says what will happen (and refuses what the rules do
    not allow); the page asks once; then ``run`` does it. ``plan`` and ``run`` take the same keywords."""

    form: type[forms.Form]
    invalid: str  # the message when the form is not valid
    plan: Callable[..., Any]
    run: Callable[..., Any]
    title: Callable[[Any], str]
    button: str
    done: Callable[[Any], str]
    danger: bool = False


def run_confirmed(
    request: HttpRequest, spec: Confirmed, *, back_url: str, **target: Any
) -> HttpResponse | None:
    """The confirmation page, or None once the action has run (its success message queued). A refusal
    raises ValidationError, for the view to show."""
    from django.contrib import messages
    from django.core.exceptions import ValidationError

    form = spec.form(request.POST)
    if not form.is_valid():
        raise ValidationError(spec.invalid)
    plan = spec.plan(user=request.user, **target, **form.cleaned_data)
    page = confirm_step(
        request,
        title=spec.title(plan),
        lines=plan.lines(),
        button=spec.button,
        back_url=back_url,
        danger=spec.danger,
    )
    if page is not None:
        return page
    spec.run(user=request.user, **target, **form.cleaned_data)
    messages.success(request, spec.done(plan))
    return None
