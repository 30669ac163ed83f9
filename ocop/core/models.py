from __future__ import annotations

from django.conf import settings
from django.db import models

from .scoping import ScopedQuerySet


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField("Tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("Cập nhật lúc", auto_now=True)

    class Meta:
        abstract = True


class ScopedModel(TimeStampedModel):
    """Base for every record that belongs to a place or an entity; see core/scoping.py."""

    objects = ScopedQuerySet.as_manager()

    # Paths (Django lookups) from the model to the commune and the entity it belongs to.
    scope_commune_path: str | None = None
    scope_entity_path: str | None = None

    class Meta:
        abstract = True


class AuditLog(models.Model):
    """Who changed what and when. Scoped like the records it describes (through ``commune``)."""

    scope_commune_path = "commune"
    scope_entity_path = None

    class Action(models.TextChoices):
        CREATE = "create", "Tạo mới"
        UPDATE = "update", "Sửa"
        DELETE = "delete", "Xoá"
        LOGIN = "login", "Đăng nhập"
        LOGIN_FAILED = "login_failed", "Đăng nhập thất bại"
        EXPORT = "export", "Xuất dữ liệu"
        VIEW_PERSONAL = "view_personal", "Xem dữ liệu cá nhân"

    at = models.DateTimeField("Thời điểm", auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Người thực hiện",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    username = models.CharField("Tên đăng nhập", max_length=150, blank=True)
    action = models.CharField("Hành động", max_length=20, choices=Action.choices)
    model_label = models.CharField("Loại bản ghi", max_length=100, blank=True, db_index=True)
    object_pk = models.CharField("Mã bản ghi", max_length=64, blank=True)
    object_repr = models.CharField("Bản ghi", max_length=300, blank=True)
    changes = models.JSONField("Thay đổi", default=dict, blank=True)
    # Commune of the record, so officers see the audit trail of their own scope only.
    commune = models.ForeignKey(
        "geography.AdminUnit",
        verbose_name="Xã/phường",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    ip_address = models.GenericIPAddressField("Địa chỉ IP", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "Nhật ký thay đổi"
        verbose_name_plural = "Nhật ký thay đổi"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["model_label", "object_pk"], name="auditlog_object_idx")]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.username} {self.get_action_display()} {self.object_repr}"


def private_storage():
    """Files served only by scoped views (job downloads): outside MEDIA_ROOT, whose /media/ is public."""
    from pathlib import Path

    from django.core.files.storage import FileSystemStorage

    root = Path(settings.MEDIA_ROOT)
    return FileSystemStorage(location=root.parent / f"{root.name}-private")


class Job(models.Model):
    """One piece of background work as its user sees it: status, progress, result and files to download.

    The work itself is a django-tasks task (database backend, ``ocop worker``); this row is what the pages
    poll. Apps declare their jobs with ``ocop.core.jobs.background_job``; ``subject`` names the record the
    job works on ("traceability.batch:42"), so the app's pages can list the jobs of one record."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Đang chờ"
        RUNNING = "running", "Đang chạy"
        DONE = "done", "Đã xong"
        FAILED = "failed", "Lỗi"

    BUSY = (Status.QUEUED, Status.RUNNING)

    task_path = models.CharField("Việc", max_length=200)
    title = models.CharField("Tên việc", max_length=200)
    subject = models.CharField("Bản ghi liên quan", max_length=80, blank=True, db_index=True)
    link = models.CharField("Trang liên quan", max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Người tạo",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        "Trạng thái", max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    progress = models.PositiveSmallIntegerField("Tiến độ (%)", default=0)
    stage = models.CharField("Bước", max_length=120, blank=True)
    params = models.JSONField("Tham số", default=dict, blank=True)
    result = models.JSONField("Kết quả", default=dict, blank=True)
    # {key: {"path": stored name, "name": download name, "label": button text}}
    files = models.JSONField("Tệp kết quả", default=dict, blank=True)
    error = models.TextField("Lỗi", blank=True)
    task_id = models.CharField("Mã tác vụ", max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField("Số lần chạy", default=0)
    created_at = models.DateTimeField("Tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("Cập nhật lúc", auto_now=True)
    started_at = models.DateTimeField("Bắt đầu lúc", null=True, blank=True)
    finished_at = models.DateTimeField("Xong lúc", null=True, blank=True)

    class Meta:
        verbose_name = "Việc nền"
        verbose_name_plural = "Việc nền"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("core:job_detail", args=[self.pk])

    @property
    def is_busy(self) -> bool:
        return self.status in self.BUSY
