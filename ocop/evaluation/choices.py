from django.db import models

from ocop.legal import periods

# Part maxima per version of the criteria (an evaluation keeps the version it used), from the periods table.
# Here rather than in the criteria package so that loading the models does not load the score-sheet parser.
VERSIONS: dict[str, dict[str, int]] = {code: dict(parts) for code, parts in periods.CRITERIA_VERSIONS.items()}
DEFAULT_VERSION = periods.CURRENT_CRITERIA_VERSION


class IdeaStatus(models.TextChoices):
    SUBMITTED = "submitted", "Chờ xem xét"
    ACCEPTED = "accepted", "Đã chấp nhận"
    RETURNED = "returned", "Trả lại"


class IdeaKind(models.TextChoices):
    NEW = "new", "Sản phẩm mới (biểu 01)"
    EXISTING = "existing", "Sản phẩm đã có (biểu 02)"


class DossierKind(models.TextChoices):
    NEW = "new", "Đánh giá lần đầu"
    UPGRADE = "upgraded", "Nâng hạng"
    RENEWAL = "renewed", "Đánh giá lại (gia hạn)"


class DossierStatus(models.TextChoices):
    DRAFT = "draft", "Nháp"
    SUBMITTED = "submitted", "Đã nộp"
    # The commune scored its criteria and proposed the dossier to the province (two-level flow, 1489).
    PRE_ASSESSED = "pre_assessed", "Xã đã đề xuất lên tỉnh"
    RECEIVED = "received", "Đã tiếp nhận"
    CHECKED = "checked", "Tổ tư vấn đã kiểm tra"
    RETURNED = "returned", "Trả lại để bổ sung"
    RESUBMITTED = "resubmitted", "Đã nộp bổ sung"
    IN_COUNCIL = "in_council", "Hội đồng đang đánh giá"
    RESULT = "result", "Đã có kết quả"
    FORWARDED = "forwarded", "Đã đề nghị cấp trên"
    DECIDED = "decided", "Đã có quyết định"


# What the producer sees as the steps of the way, by the intake of the dossier's period (the returned /
# resubmitted loop shows as one step; a forwarded dossier is back at the council step of the level above).
def dossier_steps(intake: tuple[str, ...]) -> list[tuple[str, tuple[str, ...]]]:
    """(label, statuses) of each step for a period whose dossiers pass ``intake`` before a council."""
    receiver = periods.LEVEL_NAMES[intake[0]].removeprefix("cấp ")
    steps: list[tuple[str, tuple[str, ...]]] = [
        ("Soạn hồ sơ", (DossierStatus.DRAFT,)),
        (f"Nộp cho {receiver}", (DossierStatus.SUBMITTED, DossierStatus.RETURNED, DossierStatus.RESUBMITTED)),
    ]
    if len(intake) > 1:
        steps.append(("Xã chấm, đề xuất lên tỉnh", (DossierStatus.PRE_ASSESSED,)))
    holder = periods.LEVEL_NAMES[intake[-1]].removeprefix("cấp ")
    steps += [
        (
            f"{holder.capitalize()} tiếp nhận, tổ tư vấn kiểm tra",
            (DossierStatus.RECEIVED, DossierStatus.CHECKED),
        ),
        ("Hội đồng chấm", (DossierStatus.IN_COUNCIL, DossierStatus.FORWARDED)),
        ("Kết quả", (DossierStatus.RESULT,)),
        ("Quyết định", (DossierStatus.DECIDED,)),
    ]
    return steps


class CouncilLevel(models.TextChoices):
    """Levels of councils; the values are the levels of the periods table (ocop.legal.periods)."""

    DISTRICT = periods.DISTRICT, "Cấp huyện"
    PROVINCE = periods.PROVINCE, "Cấp tỉnh"
    MINISTRY = periods.MINISTRY, "Trung ương"


class MemberRole(models.TextChoices):
    CHAIR = "chair", "Chủ tịch hội đồng"
    VICE_CHAIR = "vice_chair", "Phó chủ tịch"
    SECRETARY = "secretary", "Thư ký"
    MEMBER = "member", "Thành viên"
    ADVISOR = "advisor", "Tổ tư vấn, giúp việc"


SCORING_ROLES = {MemberRole.CHAIR, MemberRole.VICE_CHAIR, MemberRole.SECRETARY, MemberRole.MEMBER}


class EvaluationStatus(models.TextChoices):
    SCORING = "scoring", "Đang chấm"
    NO_QUORUM = "no_quorum", "Phiên họp không đủ số thành viên: không có kết quả"
    BLOCKED = "blocked", "Chênh lệch ≥ 10 điểm, cần chấm lại hoặc giải trình"
    COMPLETE = "complete", "Đã có kết quả"
    FORWARDED = "forwarded", "Đã đề nghị cấp trên"
    RETURNED = "returned", "Đã trả kết quả về cấp dưới"
    DECIDED = "decided", "Đã có quyết định"


# A result that can no longer change: its sheets are read-only.
SETTLED = {EvaluationStatus.DECIDED, EvaluationStatus.FORWARDED, EvaluationStatus.RETURNED}
