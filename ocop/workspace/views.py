from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ocop.accounts.http import SignedInRequest
from ocop.certification.selectors import certificate_list, unread_notice_count
from ocop.producers.selectors import entity_count
from ocop.products.selectors import product_count


@login_required
def home(request: SignedInRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    context = {
        "entity_count": entity_count(user=user),
        "product_count": product_count(user=user),
        "in_force_count": certificate_list(user=user, status="in_force", day=today).count(),
        "expiring_count": certificate_list(user=user, status="expiring", day=today).count(),
        "unread_notices": unread_notice_count(user=user),
    }
    return render(request, "workspace/home.html", context)
