from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ocop.accounts.http import SignedInRequest
from ocop.certification.selectors import ocop_product_counts, unread_notice_count
from ocop.core.queues import work_queue
from ocop.producers.selectors import entity_count
from ocop.products.selectors import product_count


@login_required
def home(request: SignedInRequest) -> HttpResponse:
    """The role's work queue first (what waits, counted and linked), then the figures of the user's scope."""
    user = request.user
    today = timezone.localdate()
    queue = work_queue(user=user, today=today)
    context = {
        "waiting": [entry for entry in queue if entry.count],
        "idle": [entry for entry in queue if not entry.count],
        "entity_count": entity_count(user=user),
        "product_count": product_count(user=user),
        # "Sản phẩm OCOP" as the portal and the statistics count them (recognition standing), and in force.
        "ocop": ocop_product_counts(user=user, day=today),
        "unread_notices": unread_notice_count(user=user),
    }
    return render(request, "workspace/home.html", context)
