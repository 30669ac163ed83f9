from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from ocop.certification.selectors import not_ended_on
from ocop.core.scoping import CHANGE, VIEW
from ocop.core.text import fold
from ocop.products.models import Product

from .choices import StampStatus
from .models import Batch, StampAlert

if TYPE_CHECKING:
    from ocop.accounts.models import User


def batch_list(*, user: User, q: str = "") -> QuerySet[Batch]:
    qs = Batch.objects.for_user(user, VIEW).select_related("product", "product__entity")
    if q:
        folded = fold(q)
        qs = qs.filter(Q(lot__icontains=q.strip()) | Q(product__search_key__contains=folded))
    return qs.annotate(
        stamp_total=Count("stamps"),
        stamp_active=Count("stamps", filter=Q(stamps__status=StampStatus.ACTIVE)),
    ).order_by("-created_at", "-id")


def batch_get(*, user: User, pk: int, action: str = VIEW) -> Batch:
    """The batch if the user may see it; Batch.DoesNotExist otherwise (views turn it into 404)."""
    return Batch.objects.for_user(user, action).select_related("product", "product__entity").get(pk=pk)


def batch_can_change(*, user: User, batch: Batch) -> bool:
    return Batch.objects.for_user(user, CHANGE).filter(pk=batch.pk).exists()


def batch_stamp_counts(*, batch: Batch) -> dict[str, int]:
    counts = {status: 0 for status in StampStatus.values}
    for row in batch.stamps.values("status").annotate(n=Count("id")):
        counts[row["status"]] = row["n"]
    counts["total"] = sum(counts.values())
    return counts


def products_for_batches(*, user: User) -> QuerySet[Product]:
    return Product.objects.for_user(user, CHANGE).select_related("entity").order_by("name_key", "id")


def alert_list(*, user: User, state: str = "open") -> QuerySet[StampAlert]:
    qs = StampAlert.objects.for_user(user, VIEW).select_related(
        "product", "batch", "stamp", "product__entity"
    )
    if state == "open":
        qs = qs.filter(resolved_at__isnull=True)
    elif state == "resolved":
        qs = qs.filter(resolved_at__isnull=False)
    return qs.order_by("-created_at", "-id")


ALERT_STATES = [("open", "Chưa xử lý"), ("resolved", "Đã xử lý"), ("all", "Tất cả")]


def alert_counts(*, user: User) -> dict[str, int]:
    """How many alerts each tab of the alert list holds."""
    open_count = open_alert_count(user=user)
    total = StampAlert.objects.for_user(user, VIEW).count()
    return {"open": open_count, "resolved": total - open_count, "all": total}


def open_alert_count(*, user: User) -> int:
    return StampAlert.objects.for_user(user, VIEW).filter(resolved_at__isnull=True).count()


def stars_in_force(*, product: Product) -> int | None:
    day = timezone.localdate()
    return (
        product.certificates.filter(not_ended_on(day), valid_from__lte=day, valid_to__gte=day)
        .order_by("-stars")
        .values_list("stars", flat=True)
        .first()
    )


def issue_jobs_of(*, user: User, batch: Batch) -> list[Any]:
    """The latest web issuing jobs of a batch (issue_jobs.py) that this user may follow."""
    from ocop.core.selectors import jobs_of_subject

    return jobs_of_subject(user=user, subject=f"traceability.batch:{batch.pk}", limit=5)


def products_with_active_stamps(*, commune_ids: list[int], day: dt.date) -> set[int]:
    """Products registered in ``commune_ids`` with an active stamp batch on ``day``: a batch holding at least
    one stamp that is active and was activated by the end of that day. Stamps keep no status history, so for
    a past day a stamp voided or revoked since then no longer counts (the E-stamp coverage KPI, targets).
    One query whatever the number of products."""
    from django.db.models import Exists, OuterRef

    from .models import Stamp

    end = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()))
    active = Stamp.objects.filter(batch=OuterRef("pk"), status=StampStatus.ACTIVE, activated_at__lt=end)
    return set(
        Batch.objects.filter(product__commune_id__in=commune_ids)
        .filter(Exists(active))
        .values_list("product_id", flat=True)
        .distinct()
    )
