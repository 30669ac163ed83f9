from django.db import models
from django.utils.translation import gettext_lazy as _


class FeedbackKind(models.TextChoices):
    QUALITY = "quality", _("Chất lượng sản phẩm")
    FAKE_STAMP = "fake_stamp", _("Tem, nhãn giả hoặc nghi giả")
    WRONG_INFO = "wrong_info", _("Thông tin sai")
    OTHER = "other", _("Khác")


class FeedbackStatus(models.TextChoices):
    NEW = "new", "Chờ xử lý"
    ANSWERED = "answered", "Đã trả lời (công khai)"
    REJECTED = "rejected", "Không tiếp nhận"


class Sort(models.TextChoices):
    RELEVANCE = "", _("Phù hợp nhất")
    STARS = "sao", _("Hạng sao cao nhất")
    NAME = "ten", _("Tên A–Z")
    NEWEST = "moi", _("Mới công nhận")
