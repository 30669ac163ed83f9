"""The evaluation's share of the staff home's work queue (registered in EvaluationConfig.ready)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.db.models import Exists, OuterRef
from django.urls import reverse

from ocop.accounts.roles import Role
from ocop.core.queues import QueueEntry
from ocop.legal.periods import COMMUNE, PERIODS

from .choices import DossierStatus, EvaluationStatus
from .models import ScoreSheet
from .selectors import dossier_list, dossiers_to_receive, evaluation_list

if TYPE_CHECKING:
    from ocop.accounts.models import User

GROUP = "Đánh giá, phân hạng"
TO_RECEIVE = "tiep-nhan"  # ?viec= of the evaluation home: the province's dossiers to take in
# From this day the commune receives the producers' dossiers (two-level flow, Decision 1489).
COMMUNE_INTAKE_FROM = min(p.starts for p in PERIODS if p.intake[0] == COMMUNE)


def dossiers_url(*statuses: str) -> str:
    """The evaluation home's dossier table filtered to these statuses."""
    return f"{reverse('evaluation:home')}?{urlencode([('trang_thai', s) for s in statuses])}"


def sheets_to_score(*, user: User) -> int:
    """Results of the member's sessions still being scored where the member's own sheet is not submitted."""
    submitted = ScoreSheet.objects.filter(
        evaluation=OuterRef("pk"), member__user=user, submitted_at__isnull=False
    )
    return (
        evaluation_list(user=user)
        .filter(status__in=[EvaluationStatus.SCORING, EvaluationStatus.BLOCKED])
        .exclude(Exists(submitted))
        .count()
    )


def _entry(label: str, count: int, url: str) -> QueueEntry:
    return QueueEntry(label=label, count=count, url=url, group=GROUP)


def _dossiers(user: User, label: str, *statuses: str) -> QueueEntry:
    """The user's dossiers in these statuses, linked to the dossier table filtered to them."""
    count = dossier_list(user=user).filter(status__in=statuses).count()
    return _entry(label, count, dossiers_url(*statuses))


def evaluation_work(user: User, today: dt.date) -> list[QueueEntry]:
    received = (DossierStatus.SUBMITTED, DossierStatus.RESUBMITTED)
    if user.role == Role.COUNCIL_MEMBER:
        return [_entry("Phiếu chấm chờ bạn chấm", sheets_to_score(user=user), reverse("evaluation:home"))]
    if user.role == Role.PRODUCER:
        return [
            _dossiers(user, "Hồ sơ được trả lại, cần bổ sung", DossierStatus.RETURNED),
            _dossiers(user, "Hồ sơ đang soạn, chưa nộp", DossierStatus.DRAFT),
        ]
    if user.role == Role.COMMUNE_OFFICER:
        to_assess = (
            dossier_list(user=user)
            .filter(status__in=received, submitted_at__date__gte=COMMUNE_INTAKE_FROM)
            .count()
        )
        return [_entry("Hồ sơ chờ xã chấm, đề xuất lên tỉnh", to_assess, dossiers_url(*received))]
    if user.role == Role.DISTRICT_OFFICER:
        return [_dossiers(user, "Hồ sơ chờ tiếp nhận", *received)]
    if user.role == Role.MINISTRY_OFFICER:
        return [_dossiers(user, "Hồ sơ các tỉnh đề nghị công nhận 5 sao", DossierStatus.FORWARDED)]
    if user.role == Role.PROVINCE_OFFICER or user.is_admin_role:
        return [
            _entry(
                "Hồ sơ chờ tiếp nhận",
                dossiers_to_receive(user=user).count(),
                f"{reverse('evaluation:home')}?viec={TO_RECEIVE}",
            ),
            _dossiers(user, "Hồ sơ chờ tổ tư vấn kiểm tra", DossierStatus.RECEIVED),
            _dossiers(user, "Hồ sơ chờ đưa ra hội đồng", DossierStatus.CHECKED),
        ]
    return []
