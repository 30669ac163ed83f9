from __future__ import annotations

from django.db import models


class StampStatus(models.TextChoices):
    ISSUED = "issued", "Đã phát hành (chưa kích hoạt)"
    ACTIVE = "active", "Đang hiệu lực"
    VOID = "void", "Đã huỷ"
    REVOKED = "revoked", "Đã thu hồi"


class EventType(models.TextChoices):
    OBJECT = "ObjectEvent", "Sự kiện đối tượng (ObjectEvent)"
    AGGREGATION = "AggregationEvent", "Sự kiện đóng gộp (AggregationEvent)"


class EventAction(models.TextChoices):
    ADD = "ADD", "Thêm (ADD)"
    OBSERVE = "OBSERVE", "Ghi nhận (OBSERVE)"
    DELETE = "DELETE", "Loại bỏ (DELETE)"


class BizStep(models.TextChoices):
    """CBV business steps a producer records (GS1 Core Business Vocabulary names)."""

    COMMISSIONING = "commissioning", "Sản xuất (commissioning)"
    PACKING = "packing", "Đóng gói (packing)"
    SHIPPING = "shipping", "Xuất hàng (shipping)"
    RECEIVING = "receiving", "Nhận hàng (receiving)"
    RETAIL_SELLING = "retail_selling", "Bán lẻ (retail_selling)"


class Disposition(models.TextChoices):
    ACTIVE = "active", "Đang lưu hành (active)"
    IN_PROGRESS = "in_progress", "Đang xử lý (in_progress)"
    IN_TRANSIT = "in_transit", "Đang vận chuyển (in_transit)"
    SELLABLE_ACCESSIBLE = "sellable_accessible", "Sẵn sàng bán (sellable_accessible)"
    RETAIL_SOLD = "retail_sold", "Đã bán (retail_sold)"


# Default action and disposition of each step, as in the CBV examples (ocop-reference §7.3).
STEP_DEFAULTS: dict[str, tuple[str, str, str]] = {
    BizStep.COMMISSIONING: (EventType.OBJECT, EventAction.ADD, Disposition.ACTIVE),
    BizStep.PACKING: (EventType.AGGREGATION, EventAction.ADD, Disposition.IN_PROGRESS),
    BizStep.SHIPPING: (EventType.OBJECT, EventAction.OBSERVE, Disposition.IN_TRANSIT),
    BizStep.RECEIVING: (EventType.OBJECT, EventAction.OBSERVE, Disposition.SELLABLE_ACCESSIBLE),
    BizStep.RETAIL_SELLING: (EventType.OBJECT, EventAction.OBSERVE, Disposition.RETAIL_SOLD),
}


class Verdict(models.TextChoices):
    """What a scan answers (SPEC §5.4)."""

    GENUINE = "genuine", "Tem chính hãng"
    UNKNOWN = "unknown", "Mã tem không tồn tại"
    REVOKED = "revoked", "Tem đã bị thu hồi"
    SUSPICIOUS = "suspicious", "Cảnh báo: tem có dấu hiệu bất thường"


class AlertKind(models.TextChoices):
    TOO_MANY_SCANS = "too_many_scans", "Quét quá nhiều lần"
    IMPOSSIBLE_TRAVEL = "impossible_travel", "Quét ở hai nơi quá xa trong thời gian quá ngắn"
    BEFORE_ACTIVATION = "before_activation", "Quét khi tem chưa được kích hoạt"
    PROBING = "probing", "Dò mã tem không tồn tại"
