"""The revocation's confirmation page (``ocop.core.confirm``), shared by the product's page and an
inspection's."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse

from ocop.core.confirm import confirm_step


def confirm_revocation(request: HttpRequest, plan: Any, *, back_url: str) -> HttpResponse | None:
    """``confirm_step`` for revoking a recognition (from the product's page or after an inspection): the
    lines of its ``RevocationPlan``."""
    return confirm_step(
        request,
        title=f"Thu hồi công nhận “{plan.product.name}”",
        lines=plan.lines(),
        button="Xác nhận thu hồi",
        back_url=back_url,
        danger=True,
    )
