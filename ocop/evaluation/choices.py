import datetime as dt

from django.db import models

# Part maxima per version of the criteria (an evaluation keeps the version it used). Here rather than in
# the criteria package so that loading the models does not load the score-sheet parser.
VERSIONS: dict[str, dict[str, int]] = {
    "148/2023": {"A": 40, "B": 25, "C": 35},
    "1048/2019": {"A": 35, "B": 25, "C": 40},
}
DEFAULT_VERSION = "148/2023"

# From this day district councils no longer exist and communes pre-assess dossiers (Decision 1489/QĐ-TTg).
TWO_LEVEL_FROM = dt.date(2025, 7, 1)


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
    PRE_ASSESSED = "pre_assessed", "Xã đã thẩm định sơ bộ"
    RECEIVED = "received", "Đã tiếp nhận"
    RETURNED = "returned", "Trả lại để bổ sung"
    RESUBMITTED = "resubmitted", "Đã nộp bổ sung"
    IN_COUNCIL = "in_council", "Hội đồng đang đánh giá"
    RESULT = "result", "Đã có kết quả"
    DECIDED = "decided", "Đã có quyết định"


# What the producer sees as the steps of the way (the returned/resubmitted loop shows as one step).
DOSSIER_STEPS = [
    (DossierStatus.DRAFT, "Soạn hồ sơ"),
    (DossierStatus.SUBMITTED, "Đã nộp"),
    (DossierStatus.RECEIVED, "Đã tiếp nhận"),
    (DossierStatus.IN_COUNCIL, "Hội đồng chấm"),
    (DossierStatus.RESULT, "Kết quả"),
    (DossierStatus.DECIDED, "Quyết định"),
]
STEP_OF_STATUS = {
    DossierStatus.DRAFT: 0,
    DossierStatus.SUBMITTED: 1,
    DossierStatus.PRE_ASSESSED: 1,
    DossierStatus.RETURNED: 1,
    DossierStatus.RESUBMITTED: 1,
    DossierStatus.RECEIVED: 2,
    DossierStatus.IN_COUNCIL: 3,
    DossierStatus.RESULT: 4,
    DossierStatus.DECIDED: 5,
}


class CouncilLevel(models.TextChoices):
    DISTRICT = "district", "Cấp huyện"
    PROVINCE = "province", "Cấp tỉnh"
    MINISTRY = "ministry", "Trung ương"


# Highest star a council of each level recognises (Decision 148 and 1489).
LEVEL_MAX_STARS: dict[str, int] = {
    CouncilLevel.DISTRICT: 3,
    CouncilLevel.PROVINCE: 4,
    CouncilLevel.MINISTRY: 5,
}


class MemberRole(models.TextChoices):
    CHAIR = "chair", "Chủ tịch hội đồng"
    VICE_CHAIR = "vice_chair", "Phó chủ tịch"
    SECRETARY = "secretary", "Thư ký"
    MEMBER = "member", "Thành viên"
    ADVISOR = "advisor", "Tổ tư vấn, giúp việc"


SCORING_ROLES = {MemberRole.CHAIR, MemberRole.VICE_CHAIR, MemberRole.SECRETARY, MemberRole.MEMBER}


class EvaluationStatus(models.TextChoices):
    SCORING = "scoring", "Đang chấm"
    BLOCKED = "blocked", "Chênh lệch ≥ 10 điểm, cần chấm lại hoặc giải trình"
    COMPLETE = "complete", "Đã có kết quả"
    FORWARDED = "forwarded", "Đã chuyển cấp trên"
    DECIDED = "decided", "Đã có quyết định"
