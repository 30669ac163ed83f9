from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse


class ImportJob(models.Model):
    """One uploaded file going through check → confirm → import, as its officer follows it.

    The check and the import each run as a background job (``ocop.core.jobs``: ``run`` is the current or
    last one, whose row holds the progress); this row keeps where the file is in its own flow, the file
    until it can no longer be imported, and the result (counts, errors, warnings, preview)."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Đang chờ kiểm tra"
        CHECKING = "checking", "Đang kiểm tra"
        CHECKED = "checked", "Đã kiểm tra"
        REFUSED = "refused", "Có lỗi — không nhập"
        CONFIRMED = "confirmed", "Chờ nhập"
        RUNNING = "running", "Đang nhập"
        DONE = "done", "Đã nhập"
        FAILED = "failed", "Lỗi hệ thống"

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
    run = models.ForeignKey(
        "core.Job",
        verbose_name="Việc nền đang chạy",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    result = models.JSONField("Kết quả", default=dict, blank=True)
    created_at = models.DateTimeField("Tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("Cập nhật lúc", auto_now=True)
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
    def progress(self) -> int:
        """The running check's or import's progress (0–100), from its background job."""
        if not self.is_busy:
            return 100
        return self.run.progress if self.run is not None else 0

    @property
    def stage(self) -> str:
        """The step the running check or import is at, as its background job reports it."""
        if not self.is_busy or self.run is None:
            return ""
        return self.run.stage

    @property
    def errors(self) -> list[dict]:
        return self.result.get("errors", [])
