"""Ask once before an action that cannot be undone: the page says what will happen and carries the posted
values back with ``confirmed=1``. Works without JavaScript; used by certification's and evaluation's views."""

from __future__ import annotations

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
        "certification/confirm.html",
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
