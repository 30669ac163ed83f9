"""The request of a signed-in page (``@login_required``): its ``user`` is an ``ocop.accounts.models.User``
(and ``htmx`` is django-htmx's details)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from .models import User


class SignedInRequest(HttpRequest):
    """For type checking only: annotate a ``@login_required`` view's request with it."""

    user: User  # type: ignore[assignment]
    htmx: HtmxDetails  # set by django_htmx's middleware on every request
