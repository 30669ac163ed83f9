"""Writes of the producer side: ideas, dossiers, self-assessment, evidence and submission.

Each function is one atomic action that also writes its audit row; views only validate input and call one.
What officers do with a submitted dossier (the commune's scoring and proposal, receipt, the advisory
team's check, returns) is in intake.py."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from ocop.accounts.roles import OFFICER_ROLES, Role
from ocop.core.audit import audit_create, audit_delete, audit_update, snapshot
from ocop.core.scoping import CHANGE
from ocop.legal.authority import authorise, period_for
from ocop.legal.periods import SUBMIT
from ocop.products.models import Product

from ..choices import DossierStatus, IdeaStatus
from ..models import Dossier, DossierEvidence, DossierSubmission, Evidence, ProductIdea
from ..scoring import NONE_APPLIES, missing_sentence, score_member, unanswered
from .criteria import active_criteria_version

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from ocop.accounts.models import User
    from ocop.producers.models import Entity
    from ocop.products.models import ProductSet

    from ..criteria import Sheet

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
EVIDENCE_EXTENSIONS = {".pdf", ".jpg", ".jpeg", ".png", ".webp", ".doc", ".docx", ".xls", ".xlsx", ".odt"}


def _is_officer(user: User) -> bool:
    return user.is_admin_role or user.role in OFFICER_ROLES


def _in_scope(user: User, instance: Any, action: str = CHANGE) -> None:
    if not type(instance).objects.for_user(user, action).filter(pk=instance.pk).exists():
        raise PermissionDenied


# -- ideas ---------------------------------------------------------------------------------------------
@transaction.atomic
def idea_submit(
    *,
    user: User,
    entity: Entity,
    product_name: str,
    product_set: ProductSet,
    description: str,
    kind: str,
    year: int,
) -> ProductIdea:
    if not (user.is_admin_role or (user.role == Role.PRODUCER and user.entity_id == entity.pk)):
        raise PermissionDenied
    idea = ProductIdea(
        entity=entity,
        commune=entity.commune,
        product_name=product_name.strip(),
        product_set=product_set,
        description=description,
        kind=kind,
        year=year,
    )
    idea.full_clean()
    idea.save()
    audit_create(user=user, instance=idea)
    return idea


@transaction.atomic
def idea_review(*, user: User, idea: ProductIdea, accept: bool, reason: str = "") -> ProductIdea:
    """Commune/district (or province) officers accept an idea, which registers the product, or return it
    with a reason."""
    if not _is_officer(user):
        raise PermissionDenied
    _in_scope(user, idea)
    if idea.status != IdeaStatus.SUBMITTED:
        raise ValidationError("Ý tưởng này đã được xem xét.")
    if not accept and not reason.strip():
        raise ValidationError("Cần ghi lý do khi trả lại ý tưởng.")
    before = snapshot(idea)
    idea.status = IdeaStatus.ACCEPTED if accept else IdeaStatus.RETURNED
    idea.review_reason = reason.strip()
    idea.reviewed_by = user
    idea.reviewed_at = timezone.now()
    if accept and idea.product_id is None:
        product = Product(
            name=idea.product_name,
            entity=idea.entity,
            commune=idea.commune,
            product_set=idea.product_set,
            group_code=idea.product_set.group.code,
            description=idea.description,
        )
        product.full_clean()
        product.save()
        audit_create(user=user, instance=product)
        idea.product = product
    idea.save()
    audit_update(user=user, instance=idea, before=before)
    return idea


# -- dossiers ------------------------------------------------------------------------------------------
@transaction.atomic
def dossier_create(*, user: User, product: Product, year: int, round_number: int, kind: str) -> Dossier:
    """A new dossier on the active sheet of the product's set, in the criteria version of the period in force
    the day it is created. Evidence still valid that the product's previous dossier attached is linked again
    (references, not copies of the files)."""
    _in_scope(user, product)
    if product.product_set is None:
        raise ValidationError("Sản phẩm chưa có bộ sản phẩm: cần chọn bộ sản phẩm trước khi lập hồ sơ.")
    period = period_for(timezone.localdate())
    version = active_criteria_version(product.product_set.number, period.criteria_version)
    dossier = Dossier(
        product=product,
        entity=product.entity,
        commune=product.commune,
        criteria_version=version,
        year=year,
        round_number=round_number,
        kind=kind,
    )
    dossier.full_clean()
    dossier.save()
    previous = (
        Dossier.objects.filter(product=product).exclude(pk=dossier.pk).order_by("-created_at", "-id").first()
    )
    if previous is not None:
        codes = set(version.sheet.by_code)
        today = dt.date.today()
        links = [
            DossierEvidence(dossier=dossier, evidence=link.evidence, criterion_code=link.criterion_code)
            for link in previous.evidence_links.select_related("evidence")
            if link.criterion_code in codes and link.evidence.is_valid_on(today)
        ]
        DossierEvidence.objects.bulk_create(links, ignore_conflicts=True)
        if previous.self_assessment:
            dossier.self_assessment = {k: v for k, v in previous.self_assessment.items() if k in codes}
            dossier.save(update_fields=["self_assessment"])
    audit_create(user=user, instance=dossier)
    return dossier


def _check_choice(
    sheet: Sheet, choices: dict[str, int | None], code: str, option: int | None
) -> dict[str, int | None]:
    """``choices`` with ``code`` set to ``option``: None clears it, ``NONE_APPLIES`` answers "no option
    applies" (kept as the code with no option, 0 points); picking one case of a "choose one of two" group
    clears the other."""
    new = dict(choices)
    if option is None:
        new.pop(code, None)
    else:
        crit = sheet.by_code.get(code)
        if crit is None:
            raise ValueError(f"Mã tiêu chí '{code}' không có trong bộ tiêu chí số {sheet.set_number}")
        new[code] = None if option == NONE_APPLIES else option
        if crit.alternative_group:
            for other in sheet.alternatives()[crit.alternative_group]:
                if other.code != code:
                    new.pop(other.code, None)
    score_member(sheet, new)  # raises ValueError with a Vietnamese message
    return new


def _editable_by_producer(user: User, dossier: Dossier) -> None:
    _in_scope(user, dossier)
    dossier.refresh_from_db(fields=["status"])
    if not (user.is_admin_role or user.role == Role.PRODUCER):
        raise PermissionDenied
    if not dossier.is_editable:
        raise ValidationError("Hồ sơ đã nộp, chỉ sửa được khi còn nháp hoặc khi được trả lại để bổ sung.")


def dossier_choose(*, user: User, dossier: Dossier, code: str, option: int | None) -> Dossier:
    """Self-assessment: the producer's option for one criterion (saved as it is picked)."""
    return dossier_assess(user=user, dossier=dossier, choices=[(code, option)])


@transaction.atomic
def dossier_assess(*, user: User, dossier: Dossier, choices: Sequence[tuple[str, int | None]]) -> Dossier:
    """Self-assessment: the producer's options (criterion code, option or None to clear), all or nothing."""
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    _editable_by_producer(user, dossier)
    before = snapshot(dossier)
    assessment = dossier.self_assessment
    for code, option in choices:
        try:
            assessment = _check_choice(dossier.criteria_version.sheet, assessment, code, option)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc
    if assessment != dossier.self_assessment:
        dossier.self_assessment = assessment
        dossier.save(update_fields=["self_assessment", "updated_at"])
        audit_update(user=user, instance=dossier, before=before)
    return dossier


def _check_upload(upload: UploadedFile) -> None:
    from ocop.core.uploads import check_content

    check_content(upload, allowed=EVIDENCE_EXTENSIONS)  # extension and magic bytes (issue 18)
    if (upload.size or 0) > MAX_EVIDENCE_BYTES:
        raise ValidationError("Tệp lớn hơn 10 MB.")


def evidence_create(
    *,
    user: User,
    entity: Entity,
    title: str,
    upload: UploadedFile | None = None,
    url: str = "",
    valid_until: dt.date | None = None,
) -> Evidence:
    """A document in the entity's evidence library (a file, checked for type and size, or a link)."""
    if not (user.is_admin_role or (user.role == Role.PRODUCER and user.entity_id == entity.pk)):
        raise PermissionDenied
    if upload is None and not url:
        raise ValidationError("Cần tải tệp lên hoặc ghi đường dẫn.")
    if upload is not None:
        _check_upload(upload)
    evidence = Evidence(
        entity=entity,
        title=title.strip() or ((upload.name or "") if upload else url),
        url=url,
        valid_until=valid_until,
        uploaded_by=user,
    )
    if upload is not None:
        evidence.file = upload
    evidence.full_clean()
    evidence.save()
    audit_create(user=user, instance=evidence)
    return evidence


@transaction.atomic
def evidence_add(
    *,
    user: User,
    dossier: Dossier,
    code: str,
    title: str,
    upload: Any = None,
    url: str = "",
    valid_until: dt.date | None = None,
) -> Evidence:
    """Put a document into the entity's library and attach it to the criterion of this dossier."""
    _editable_by_producer(user, dossier)
    if code not in dossier.criteria_version.sheet.by_code:
        raise ValidationError(f"Không có tiêu chí {code}.")
    evidence = evidence_create(
        user=user, entity=dossier.entity, title=title, upload=upload, url=url, valid_until=valid_until
    )
    link = DossierEvidence.objects.create(dossier=dossier, evidence=evidence, criterion_code=code)
    audit_create(user=user, instance=link)
    return evidence


@transaction.atomic
def evidence_attach(*, user: User, dossier: Dossier, evidence: Evidence, code: str) -> None:
    """Attach a document already in the library (no new file)."""
    _editable_by_producer(user, dossier)
    if evidence.entity_id != dossier.entity_id:
        raise PermissionDenied
    if code not in dossier.criteria_version.sheet.by_code:
        raise ValidationError(f"Không có tiêu chí {code}.")
    link, created = DossierEvidence.objects.get_or_create(
        dossier=dossier, evidence=evidence, criterion_code=code
    )
    if created:
        audit_create(user=user, instance=link)


@transaction.atomic
def evidence_detach(*, user: User, dossier: Dossier, link_id: int) -> None:
    _editable_by_producer(user, dossier)
    link = DossierEvidence.objects.filter(dossier=dossier, pk=link_id).select_related("dossier").first()
    if link is None:
        return
    audit_delete(user=user, instance=link)
    link.delete()


def dossier_snapshot(dossier: Dossier) -> dict[str, Any]:
    return {
        "criteria_version": dossier.criteria_version_id,
        "self_assessment": dict(dossier.self_assessment),
        "note": dossier.note,
        "evidence": [
            {
                "criterion": link.criterion_code,
                "evidence_id": link.evidence_id,
                "title": link.evidence.title,
                "file": link.evidence.file.name or "",
                "url": link.evidence.url,
                "valid_until": link.evidence.valid_until.isoformat() if link.evidence.valid_until else None,
            }
            for link in dossier.evidence_links.select_related("evidence")
        ],
    }


@transaction.atomic
def dossier_submit(*, user: User, dossier: Dossier, accept_missing: bool = False) -> DossierSubmission:
    """Submit (or resubmit after a return) to the level that receives dossiers in the period of this day
    (the district until 30/06/2025, the commune from 01/07/2025): the content is kept as a numbered
    submission. A self-assessment with criteria left unanswered goes only with ``accept_missing``: the
    producer was shown what is missing and chose to submit anyway."""
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    _editable_by_producer(user, dossier)
    if not dossier.self_assessment:
        raise ValidationError("Chưa tự đánh giá tiêu chí nào.")
    missing = unanswered(dossier.criteria_version.sheet, dossier.self_assessment)
    if missing and not accept_missing:
        raise ValidationError(
            missing_sentence(missing, "chưa tự chấm") + " Xác nhận vẫn nộp khi còn thiếu, hoặc chấm tiếp."
        )
    today = timezone.localdate()
    authorise(user, step=SUBMIT, level=period_for(today).receiver, day=today)
    before = snapshot(dossier)
    number = dossier.submissions.count() + 1
    submission = DossierSubmission.objects.create(
        dossier=dossier, number=number, submitted_by=user, snapshot=dossier_snapshot(dossier)
    )
    resubmission = dossier.status == DossierStatus.RETURNED
    dossier.status = DossierStatus.RESUBMITTED if resubmission else DossierStatus.SUBMITTED
    dossier.submitted_at = timezone.now()
    dossier.save()
    if resubmission:
        dossier.requests.filter(resolved_at__isnull=True).update(resolved_at=timezone.now())
    audit_update(user=user, instance=dossier, before=before)
    return submission
