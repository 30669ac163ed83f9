from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse


class ImportJob(models.Model):
    """One uploaded file going through check → confirm → import. Large files are run by `ocop worker`,
    which claims jobs atomically; progress and the result (counts, errors, preview) live here."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Đang chờ kiểm tra"
        CHECKING = "checking", "Đang kiểm tra"
        CHECKED = "checked", "Đã kiểm tra"
        REFUSED = "refused", "Có lỗi — không nhập"
        CONFIRMED = "confirmed", "Chờ nhập"
        RUNNING = "running", "Đang nhập"
        DONE = "done", "Đã nhập"
        FAILED = "failed", "Lỗi hệ thống"

    WAITING = (Status.QUEUED, Status.CONFIRMED)
    CLAIMED = (Status.CHECKING, Status.RUNNING)
    RETRY = {Status.CHECKING: Status.QUEUED, Status.RUNNING: Status.CONFIRMED}  # state to go back to
    BUSY = (Status.QUEUED, Status.CHECKING, Status.CONFIRMED, Status.RUNNING)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Người nhập",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    file_name = models.CharField("Tên tệp", max_length=255)
    content = models.BinaryField("Nội dung tệp", blank=True, default=b"", editable=False)
    size = models.PositiveIntegerField("Dung lượng (byte)", default=0)
    rows = models.PositiveIntegerField("Số dòng", default=0)
    status = models.CharField(
        "Trạng thái", max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    progress = models.PositiveSmallIntegerField("Tiến độ (%)", default=0)
    stage = models.CharField("Bước", max_length=120, blank=True)
    result = models.JSONField("Kết quả", default=dict, blank=True)
    created_at = models.DateTimeField("Tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("Cập nhật lúc", auto_now=True)
    claimed_at = models.DateTimeField("Bắt đầu chạy", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("Số lần chạy", default=0)
    finished_at = models.DateTimeField("Xong lúc", null=True, blank=True)

    class Meta:
        verbose_name = "Lượt nhập danh sách"
        verbose_name_plural = "Lượt nhập danh sách"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Nhập “{self.file_name}” ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("imports:job", args=[self.pk])

    @property
    def is_busy(self) -> bool:
        return self.status in self.BUSY

    @property
    def errors(self) -> list[dict]:
        return self.result.get("errors", [])
