from django.db import models


class FeedbackKind(models.TextChoices):
    QUALITY = "quality", "Chất lượng sản phẩm"
    FAKE_STAMP = "fake_stamp", "Tem, nhãn giả hoặc nghi giả"
    WRONG_INFO = "wrong_info", "Thông tin sai"
    OTHER = "other", "Khác"


class FeedbackStatus(models.TextChoices):
    NEW = "new", "Chờ xử lý"
    ANSWERED = "answered", "Đã trả lời (công khai)"
    REJECTED = "rejected", "Không tiếp nhận"


class Sort(models.TextChoices):
    RELEVANCE = "", "Phù hợp nhất"
    STARS = "sao", "Hạng sao cao nhất"
    NAME = "ten", "Tên A–Z"
    NEWEST = "moi", "Mới công nhận"
