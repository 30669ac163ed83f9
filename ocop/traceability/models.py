from __future__ import annotations

from django.db import models
from django.urls import reverse

from ocop.core.models import ScopedModel

from .choices import AlertKind, BizStep, Disposition, EventAction, EventType, StampStatus


class Batch(ScopedModel):
    """Lô sản xuất: one lot of one product; stamps and traceability events hang off it."""

    scope_commune_path = "product__commune"
    scope_entity_path = "product__entity"

    product = models.ForeignKey(
        "products.Product", verbose_name="Sản phẩm", on_delete=models.PROTECT, related_name="batches"
    )
    lot = models.CharField(
        "Số lô",
        max_length=20,
        help_text="Tối đa 20 ký tự: chữ không dấu, chữ số, dấu chấm, gạch ngang, gạch dưới.",
    )
    production_date = models.DateField("Ngày sản xuất", null=True, blank=True)
    expiry_date = models.DateField("Hạn sử dụng", null=True, blank=True)
    quantity = models.PositiveIntegerField("Số lượng (đơn vị sản phẩm)", null=True, blank=True)
    raw_material_origin = models.TextField("Nguồn gốc nguyên liệu", blank=True)
    area_certificates = models.TextField(
        "Chứng nhận vùng nguyên liệu", blank=True, help_text="VietGAP, hữu cơ, mã số vùng trồng…"
    )
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "Lô sản xuất"
        verbose_name_plural = "Lô sản xuất"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "lot"],
                name="batch_unique_lot",
                violation_error_message="Sản phẩm này đã có lô mang số lô này.",
            )
        ]

    def __str__(self) -> str:
        return f"Lô {self.lot} — {self.product}"

    def get_absolute_url(self) -> str:
        return reverse("traceability:batch_detail", args=[self.pk])


class TraceEvent(ScopedModel):
    """One EPCIS-shaped event of a batch: what (the batch/quantity), when, where, why."""

    scope_commune_path = "batch__product__commune"
    scope_entity_path = "batch__product__entity"

    batch = models.ForeignKey(Batch, verbose_name="Lô", on_delete=models.CASCADE, related_name="events")
    event_type = models.CharField("Loại sự kiện", max_length=20, choices=EventType.choices)
    action = models.CharField("Hành động", max_length=8, choices=EventAction.choices)
    biz_step = models.CharField("Công đoạn", max_length=20, choices=BizStep.choices)
    disposition = models.CharField("Trạng thái hàng", max_length=24, choices=Disposition.choices)
    event_time = models.DateTimeField("Thời điểm")
    quantity = models.PositiveIntegerField("Số lượng", null=True, blank=True)
    read_point = models.CharField("Điểm ghi nhận", max_length=200, blank=True)
    biz_location = models.CharField("Địa điểm", max_length=200, blank=True)
    commune = models.ForeignKey(
        "geography.AdminUnit",
        verbose_name="Xã/phường",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField("Ghi chú", max_length=300, blank=True)

    class Meta:
        verbose_name = "Sự kiện truy xuất"
        verbose_name_plural = "Sự kiện truy xuất"
        ordering = ["event_time", "id"]

    def __str__(self) -> str:
        return f"{self.get_biz_step_display()} {self.event_time:%d/%m/%Y %H:%M}"


class Stamp(ScopedModel):
    """One serialised e-stamp. ``code`` is 21 Crockford characters (codes.py); scan state is denormalised here
    so a verification is one indexed lookup."""

    scope_commune_path = "batch__product__commune"
    scope_entity_path = "batch__product__entity"

    batch = models.ForeignKey(Batch, verbose_name="Lô", on_delete=models.CASCADE, related_name="stamps")
    serial = models.PositiveIntegerField("Số thứ tự")
    code = models.CharField("Mã tem", max_length=24, unique=True)
    status = models.CharField(
        "Trạng thái", max_length=8, choices=StampStatus.choices, default=StampStatus.ISSUED
    )
    activated_at = models.DateTimeField("Kích hoạt lúc", null=True, blank=True)
    first_scan_at = models.DateTimeField("Quét lần đầu lúc", null=True, blank=True)
    first_scan_place = models.CharField("Nơi quét lần đầu", max_length=120, blank=True)
    # Last scan that came with a place (what impossible-travel compares the next one with).
    last_place_at = models.DateTimeField(null=True, blank=True)
    last_lat = models.FloatField(null=True, blank=True)
    last_lon = models.FloatField(null=True, blank=True)
    last_province = models.CharField(max_length=120, blank=True)
    scan_count = models.PositiveIntegerField("Số lần quét", default=0)
    flagged = models.BooleanField("Có dấu hiệu bất thường", default=False)
    # The clients (hashed networks) that verified this stamp recently, and the one that sent the last place:
    # what the counterfeit signals count and the repeat limit reads (signals.format_clients).
    scan_clients = models.TextField(blank=True, default="", db_default="", editable=False)

    class Meta:
        verbose_name = "Tem điện tử"
        verbose_name_plural = "Tem điện tử"
        ordering = ["batch", "serial"]
        constraints = [models.UniqueConstraint(fields=["batch", "serial"], name="stamp_unique_serial")]

    def __str__(self) -> str:
        return f"Tem {self.serial} ({self.code})"


class Scan(models.Model):
    """One verification, written in batches and indexed only by stamp to keep each write cheap.

    No personal data: the IP's /24 network and the user agent are stored only as keyed hashes; a place only
    when the phone shared it (coarse: province name or lat/lon rounded to 0.01°).

    ``stamp`` has no foreign-key constraint in the database: checking it cost PostgreSQL a lookup and a row
    lock per scan row written. The scan log keeps the integrity instead (it writes a scan's stamp only when
    it has just locked that stamp's row; a stamp deleted meanwhile leaves its scans with no stamp), and
    Django still cascades a stamp's deletion to its scans."""

    stamp = models.ForeignKey(
        Stamp,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="scans",
        verbose_name="Tem",
        db_constraint=False,
    )
    code = models.CharField("Mã đã quét", max_length=40)
    at = models.DateTimeField("Thời điểm")
    verdict = models.CharField("Kết quả", max_length=12)
    province = models.CharField("Tỉnh (do điện thoại gửi)", max_length=120, blank=True)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    net_hash = models.CharField("Mạng (băm)", max_length=16, blank=True)
    ua_hash = models.CharField("Trình duyệt (băm)", max_length=16, blank=True)

    class Meta:
        verbose_name = "Lượt quét"
        verbose_name_plural = "Lượt quét"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.code} {self.at:%d/%m/%Y %H:%M}"


class ScanSpoolSegment(models.Model):
    """A segment of a worker's scan spool whose scans are in the database (scanlog.py): written in the same
    transaction as those scans, so a segment replayed after a crash is never counted twice. Rows live only
    until the segment's file is gone."""

    name = models.CharField(max_length=120, unique=True)
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "Đoạn nhật ký quét đã ghi"
        verbose_name_plural = "Đoạn nhật ký quét đã ghi"

    def __str__(self) -> str:
        return self.name


class StampAlert(ScopedModel):
    """A counterfeit signal, raised once per stamp and kind (probing: once per source and day)."""

    scope_commune_path = "product__commune"
    scope_entity_path = "product__entity"

    kind = models.CharField("Loại cảnh báo", max_length=20, choices=AlertKind.choices)
    key = models.CharField(max_length=80, unique=True, editable=False)
    stamp = models.ForeignKey(
        Stamp, null=True, blank=True, on_delete=models.CASCADE, related_name="alerts", verbose_name="Tem"
    )
    batch = models.ForeignKey(
        Batch, null=True, blank=True, on_delete=models.CASCADE, related_name="alerts", verbose_name="Lô"
    )
    product = models.ForeignKey(
        "products.Product",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="stamp_alerts",
        verbose_name="Sản phẩm",
    )
    details = models.JSONField("Chi tiết", default=dict, blank=True)
    resolved_at = models.DateTimeField("Đã xử lý lúc", null=True, blank=True)
    resolved_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Set by `ocop send_stamp_alerts` (alerts.py): the alert went out by e-mail to these addresses.
    emailed_at = models.DateTimeField("Đã gửi thư lúc", null=True, blank=True, db_index=True)
    emailed_to = models.JSONField("Đã gửi thư tới", default=list, blank=True)

    class Meta:
        verbose_name = "Cảnh báo tem"
        verbose_name_plural = "Cảnh báo tem"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.created_at:%d/%m/%Y})"
