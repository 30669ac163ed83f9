"""Loading score sheets into versioned, immutable CriteriaVersion rows."""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from ocop.core.audit import audit_create
from ocop.evaluation.criteria import DEFAULT_VERSION, SET_NUMBERS, VERSIONS, parse_sheet, sheet_path
from ocop.evaluation.criteria.serialize import sheet_to_data
from ocop.evaluation.models import CriteriaVersion

if TYPE_CHECKING:
    from ocop.accounts.models import User


def _checksum(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def criteria_version_load(
    *,
    set_number: int,
    source_text: str,
    source_name: str,
    legal_version: str = DEFAULT_VERSION,
    user: User | None = None,
) -> tuple[CriteriaVersion, bool]:
    """Store one sheet as a new active revision, or return the revision already holding this exact text.

    Idempotent by checksum. Sheets whose arithmetic does not add up are stored with ``needs_review``
    ("cần rà soát") and their warnings, never refused; a file that yields no criterion at all is refused."""
    if set_number not in SET_NUMBERS:
        raise ValidationError(f"Không có bộ sản phẩm số {set_number} (chỉ có 1–26).")
    if legal_version not in VERSIONS:
        raise ValidationError(f"Không biết văn bản {legal_version!r}.")
    text = source_text.lstrip("\ufeff").replace("\r\n", "\n")
    checksum = _checksum(text)
    existing = CriteriaVersion.objects.filter(
        legal_version=legal_version, set_number=set_number, checksum=checksum
    ).first()
    if existing is not None:
        return existing, False
    try:
        sheet = parse_sheet(text, set_number, legal_version)
    except (KeyError, ValueError, TypeError) as exc:  # malformed CSV
        raise ValidationError(f"Không đọc được tệp tiêu chí: {exc}") from exc
    if not sheet.criteria:
        raise ValidationError(
            "Tệp không có tiêu chí nào (cần các cột title, description, level, stars, score)."
        )
    content = json.loads(json.dumps(sheet_to_data(sheet), ensure_ascii=False))
    try:
        with transaction.atomic():
            siblings = CriteriaVersion.objects.select_for_update().filter(
                legal_version=legal_version, set_number=set_number
            )
            revision = max((v.revision for v in siblings), default=0) + 1
            siblings.filter(is_active=True).update(is_active=False)
            version = CriteriaVersion(
                legal_version=legal_version,
                set_number=set_number,
                revision=revision,
                checksum=checksum,
                source_name=source_name[:200],
                source_text=text,
                content=content,
                needs_review=sheet.needs_review,
                warnings="\n".join(str(w) for w in sheet.warnings),
                is_active=True,
                loaded_by=user if getattr(user, "pk", None) else None,
            )
            version.full_clean(exclude=["content", "source_text"])
            version.save()
            audit_create(
                user=user, instance=version
            )  # without a user: the shipped sheet, loaded by the system
    except IntegrityError:  # loaded concurrently by someone else
        return CriteriaVersion.objects.get(
            legal_version=legal_version, set_number=set_number, checksum=checksum
        ), False
    return version, True


def criteria_load_shipped(*, set_number: int) -> tuple[CriteriaVersion, bool]:
    path = sheet_path(set_number)
    return criteria_version_load(
        set_number=set_number, source_text=path.read_text(encoding="utf-8-sig"), source_name=path.name
    )


def active_criteria_version(set_number: int, legal_version: str = DEFAULT_VERSION) -> CriteriaVersion:
    """The version new dossiers use; the shipped sheet is loaded on first use on a fresh database."""
    version = CriteriaVersion.objects.filter(
        legal_version=legal_version, set_number=set_number, is_active=True
    ).first()
    if version is None and legal_version == DEFAULT_VERSION:
        version, _ = criteria_load_shipped(set_number=set_number)
    if version is None:
        raise ValidationError(f"Chưa nạp bộ tiêu chí {legal_version} cho bộ sản phẩm số {set_number}.")
    return version
