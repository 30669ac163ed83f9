from django.db import models


class Check(models.TextChoices):
    OK = "ok", "Đạt"
    ISSUE = "issue", "Không đạt"
    NOT_APPLICABLE = "na", "Không áp dụng"


class Verdict(models.TextChoices):
    COMPLIES = "complies", "Duy trì đạt yêu cầu"
    NEEDS_FIXING = "needs_fixing", "Phải khắc phục trong thời hạn"
    SERIOUS_BREACH = "serious_breach", "Vi phạm nghiêm trọng"


# The checklist of an inspection after recognition: (field, label).
CHECKLIST = (
    ("raw_materials", "Nguyên liệu đầu vào"),
    ("food_safety", "An toàn thực phẩm"),
    ("label_packaging", "Nhãn mác, bao bì"),
    ("qr_stamps", "Mã QR, tem truy xuất"),
    ("trademark", "Nhãn hiệu, sở hữu trí tuệ"),
    ("star_criteria", "Các tiêu chí làm căn cứ xếp hạng sao còn đáp ứng"),
)
# What an inspector records of one inspection (the findings form and the service save these fields).
FINDING_FIELDS = (
    "inspected_on",
    "inspectors",
    *(name for name, _label in CHECKLIST),
    "findings",
    "verdict",
    "fix_by",
    "evidence",
    "evidence_note",
)
