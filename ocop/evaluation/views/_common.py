from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404

from ocop.accounts.http import SignedInRequest
from ocop.core.scoping import CHANGE

from ..models import Dossier


def flash_errors(request: SignedInRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def changeable_dossier(request: SignedInRequest, pk: int) -> Dossier:
    return get_object_or_404(Dossier.objects.for_user(request.user, CHANGE), pk=pk)


def posted_option(value: str | None) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except ValueError as exc:
        raise ValidationError("Phương án không hợp lệ.") from exc


def posted_choices(request: SignedInRequest, prefix: str) -> list[tuple[str, str | None]]:
    """(criterion code, posted option) pairs: the one criterion an htmx autosave names, or every
    ``<prefix><code>`` field of the whole form (without JavaScript)."""
    code = request.POST.get("code")
    if code:
        return [(code, request.POST.get(f"{prefix}{code}"))]
    return [(key[len(prefix) :], value) for key, value in request.POST.items() if key.startswith(prefix)]
