"""Records of the support around OCOP (issue 8): training, consulting, intellectual property, certified
raw-material areas, points of sale, fairs, e-commerce listings, exports and entities' yearly figures; the
province's priority product groups; and background report jobs.

Every record reaches a commune (``scope_commune_path``) — directly, or through its entity or product — so
officers see the records of their area and producers (``scope_entity_path``) their own.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from ocop.core.models import ScopedModel
from ocop.core.text import fold

COMMUNE_LIMIT = {"level": "commune"}


def _commune(verbose: str = "Xã/phường") -> models.ForeignKey:
    return models.ForeignKey(
        "geography.AdminUnit",
        verbose_name=verbose,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to=COMMUNE_LIMIT,
    )


class SupportRecord(ScopedModel):
    """Common behaviour: a folded search key and an address under /ho-tro/<kind>/<pk>/."""

    kind_slug = ""
    search_key = models.CharField(max_length=600, db_index=True, editable=False, default="")

    class Meta:
        abstract = True

    def search_text(self) -> list[str]:
        return [str(self)]

    def save(self, *args, **kwargs) -> None:
        self.search_key = " ".join(fold(t) for t in self.search_text() if t)[:600]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("support:record_detail", args=[self.kind_slug, self.pk])

    def _check_dates(self, start_field: str, end_field: str, message: str) -> None:
        start, end = getattr(self, start_field), getattr(self, end_field)
        if start and end and end < start:
            raise ValidationError({end_field: message})


# --- training and consulting ---


class TrainingCourse(SupportRecord):
    """Lớp tập huấn; trainees are counted by kind (officers, cooperative members, founders)."""

    kind_slug = "tap-huan"
    scope_commune_path = "commune"
    scope_entity_path = None

    title = models.CharField("Tên lớp tập huấn", max_length=255)
    commune = _commune("Địa điểm (xã/phường)")
    start_date = models.DateField("Ngày bắt đầu")
    end_date = models.DateField("Ngày kết thúc", null=True, blank=True)
    organiser = models.CharField("Đơn vị tổ chức", max_length=255, blank=True)
    officers = models.PositiveIntegerField("Số học viên là cán bộ", default=0)
    coop_members = models.PositiveIntegerField("Số học viên là thành viên HTX", default=0)
    founders = models.PositiveIntegerField("Số học viên khởi nghiệp/chủ thể", default=0)

    class Meta:
        verbose_name = "Lớp tập huấn"
        verbose_name_plural = "Lớp tập huấn"
        ordering = ["-start_date", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def trainees(self) -> int:
        return self.officers + self.coop_members + self.founders

    def clean(self) -> None:
        super().clean()
        self._check_dates("start_date", "end_date", "Ngày kết thúc phải sau ngày bắt đầu.")
        if self.trainees == 0:
            raise ValidationError("Lớp tập huấn cần có ít nhất một học viên.")


class ConsultingRound(SupportRecord):
    kind_slug = "tu-van"
    scope_commune_path = "entity__commune"
    scope_entity_path = "entity"

    entity = models.ForeignKey(
        "producers.Entity", verbose_name="Chủ thể", on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField("Ngày tư vấn")
    topic = models.CharField("Nội dung tư vấn", max_length=255)
    consultant = models.CharField("Đơn vị/chuyên gia tư vấn", max_length=255, blank=True)

    class Meta:
        verbose_name = "Đợt tư vấn"
        verbose_name_plural = "Đợt tư vấn"
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.topic} · {self.entity}" if self.entity_id else self.topic


# --- intellectual property and raw-material areas ---


class IPKind(models.TextChoices):
    GI = "gi", "Chỉ dẫn địa lý"
    COLLECTIVE = "collective", "Nhãn hiệu tập thể"
    CERTIFICATION = "certification", "Nhãn hiệu chứng nhận"
    TRADEMARK = "trademark", "Nhãn hiệu thông thường"


class IntellectualProperty(SupportRecord):
    kind_slug = "so-huu-tri-tue"
    scope_commune_path = "commune"
    scope_entity_path = "entity"

    kind = models.CharField("Loại", max_length=15, choices=IPKind.choices)
    name = models.CharField("Tên chỉ dẫn/nhãn hiệu", max_length=255)
    number = models.CharField("Số văn bằng", max_length=50, blank=True)
    commune = _commune("Xã/phường của chủ sở hữu")
    holder = models.CharField("Tổ chức quản lý/chủ sở hữu", max_length=255, blank=True)
    entity = models.ForeignKey(
        "producers.Entity",
        verbose_name="Chủ thể OCOP",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    products = models.ManyToManyField(
        "products.Product", verbose_name="Sản phẩm sử dụng", blank=True, related_name="+"
    )
    granted_on = models.DateField("Ngày cấp")
    valid_until = models.DateField("Hiệu lực đến", null=True, blank=True)

    class Meta:
        verbose_name = "Chỉ dẫn địa lý / nhãn hiệu"
        verbose_name_plural = "Chỉ dẫn địa lý / nhãn hiệu"
        ordering = ["kind", "name", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} “{self.name}”"

    def search_text(self) -> list[str]:
        return [self.name, self.number, self.holder]

    def clean(self) -> None:
        super().clean()
        self._check_dates("granted_on", "valid_until", "Ngày hết hiệu lực phải sau ngày cấp.")
        if self.kind == IPKind.TRADEMARK and not self.entity_id:
            raise ValidationError({"entity": "Nhãn hiệu thông thường cần ghi chủ thể sở hữu."})


class Standard(models.TextChoices):
    ORGANIC = "organic", "Hữu cơ"
    VIETGAP = "vietgap", "VietGAP"
    GLOBALGAP = "globalgap", "GlobalGAP"
    GACP = "gacp_who", "GACP-WHO"
    OTHER = "other", "Khác"


class RawMaterialArea(SupportRecord):
    kind_slug = "vung-nguyen-lieu"
    scope_commune_path = "product__commune"
    scope_entity_path = "product__entity"

    product = models.ForeignKey(
        "products.Product", verbose_name="Sản phẩm", on_delete=models.PROTECT, related_name="+"
    )
    standard = models.CharField("Tiêu chuẩn chứng nhận", max_length=12, choices=Standard.choices)
    area_ha = models.DecimalField(
        "Diện tích (ha)", max_digits=10, decimal_places=2, validators=[MinValueValidator(0.01)]
    )
    location = models.CharField("Vị trí vùng nguyên liệu", max_length=255, blank=True)
    certificate_number = models.CharField("Số giấy chứng nhận", max_length=60, blank=True)
    valid_from = models.DateField("Hiệu lực từ")
    valid_until = models.DateField("Hiệu lực đến")

    class Meta:
        verbose_name = "Vùng nguyên liệu được chứng nhận"
        verbose_name_plural = "Vùng nguyên liệu được chứng nhận"
        ordering = ["-valid_until", "-id"]

    def __str__(self) -> str:
        return f"{self.get_standard_display()} · {self.product}" if self.product_id else self.standard

    def clean(self) -> None:
        super().clean()
        self._check_dates("valid_from", "valid_until", "Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực.")


# --- market access ---


class OutletKind(models.TextChoices):
    POINT = "point", "Điểm giới thiệu và bán sản phẩm"
    SHOWROOM = "showroom", "Showroom / trung tâm OCOP"


class PointOfSale(SupportRecord):
    kind_slug = "diem-ban"
    scope_commune_path = "commune"
    scope_entity_path = "entity"

    name = models.CharField("Tên điểm bán", max_length=255)
    name_en = models.CharField("Tên tiếng Anh (không bắt buộc)", max_length=255, blank=True)
    kind = models.CharField("Loại", max_length=10, choices=OutletKind.choices, default=OutletKind.POINT)
    commune = _commune()
    address = models.CharField("Địa chỉ", max_length=255)
    opening_notes = models.CharField(
        "Giờ mở cửa, ghi chú cho người mua",
        max_length=255,
        blank=True,
        help_text="Ví dụ: 7:30–17:00 các ngày trong tuần, nghỉ trưa 11:30–13:30.",
    )
    latitude = models.FloatField(
        "Vĩ độ", null=True, blank=True, validators=[MinValueValidator(8), MaxValueValidator(24)]
    )
    longitude = models.FloatField(
        "Kinh độ", null=True, blank=True, validators=[MinValueValidator(102), MaxValueValidator(110)]
    )
    entity = models.ForeignKey(
        "producers.Entity",
        verbose_name="Chủ thể vận hành",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    products = models.ManyToManyField(
        "products.Product", verbose_name="Sản phẩm bày bán", blank=True, related_name="points_of_sale"
    )
    opened_on = models.DateField("Ngày hoạt động")
    closed_on = models.DateField("Ngày ngừng hoạt động", null=True, blank=True)

    class Meta:
        verbose_name = "Điểm bán / showroom"
        verbose_name_plural = "Điểm bán / showroom"
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def search_text(self) -> list[str]:
        return [self.name, self.address]

    def clean(self) -> None:
        super().clean()
        self._check_dates("opened_on", "closed_on", "Ngày ngừng hoạt động phải sau ngày hoạt động.")
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError({"longitude": "Cần nhập cả vĩ độ và kinh độ (hoặc bỏ trống cả hai)."})

    @property
    def map_url(self) -> str:
        if self.latitude is None or self.longitude is None:
            return ""
        return f"https://www.openstreetmap.org/?mlat={self.latitude}&mlon={self.longitude}#map=17/{self.latitude}/{self.longitude}"


class FairLevel(models.TextChoices):
    PROVINCE = "province", "Cấp tỉnh"
    REGION = "region", "Khu vực / toàn quốc"
    INTERNATIONAL = "international", "Quốc tế"


class TradeFair(SupportRecord):
    kind_slug = "hoi-cho"
    scope_commune_path = "commune"
    scope_entity_path = None

    name = models.CharField("Tên hội chợ / sự kiện", max_length=255)
    name_en = models.CharField("Tên tiếng Anh (không bắt buộc)", max_length=255, blank=True)
    level = models.CharField("Quy mô", max_length=15, choices=FairLevel.choices, default=FairLevel.PROVINCE)
    commune = _commune("Đơn vị tổ chức (xã/phường của tỉnh)")
    venue = models.CharField("Nơi tổ chức", max_length=255)
    organiser = models.CharField("Đơn vị tổ chức", max_length=255, blank=True)
    booths = models.PositiveIntegerField("Số gian hàng", null=True, blank=True)
    latitude = models.FloatField(
        "Vĩ độ nơi tổ chức", null=True, blank=True, validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    longitude = models.FloatField(
        "Kinh độ nơi tổ chức",
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    start_date = models.DateField("Ngày bắt đầu")
    end_date = models.DateField("Ngày kết thúc")
    products = models.ManyToManyField(
        "products.Product", verbose_name="Sản phẩm trưng bày", blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "Hội chợ / sự kiện xúc tiến"
        verbose_name_plural = "Hội chợ / sự kiện xúc tiến"
        ordering = ["-start_date", "-id"]

    def __str__(self) -> str:
        return self.name

    def search_text(self) -> list[str]:
        return [self.name, self.venue, self.organiser]

    def clean(self) -> None:
        super().clean()
        self._check_dates("start_date", "end_date", "Ngày kết thúc phải sau ngày bắt đầu.")
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError({"longitude": "Cần nhập cả vĩ độ và kinh độ (hoặc bỏ trống cả hai)."})


class FairParticipation(ScopedModel):
    scope_commune_path = "fair__commune"
    scope_entity_path = "entity"

    fair = models.ForeignKey(TradeFair, on_delete=models.CASCADE, related_name="participations")
    entity = models.ForeignKey(
        "producers.Entity", verbose_name="Chủ thể tham gia", on_delete=models.PROTECT, related_name="+"
    )
    sales_vnd = models.PositiveBigIntegerField("Doanh thu bán hàng (đồng)", default=0)

    class Meta:
        verbose_name = "Chủ thể tham gia hội chợ"
        verbose_name_plural = "Chủ thể tham gia hội chợ"
        ordering = ["fair", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["fair", "entity"],
                name="fairparticipation_unique",
                violation_error_message="Chủ thể này đã có trong danh sách tham gia hội chợ.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.entity} · {self.fair}"


class Platform(models.TextChoices):
    POSTMART = "postmart", "Postmart"
    VOSO = "voso", "Voso"
    LAZADA = "lazada", "Lazada"
    SHOPEE = "shopee", "Shopee"
    TIKI = "tiki", "Tiki"
    TIKTOK = "tiktok", "TikTok Shop"
    PROVINCE = "province", "Sàn TMĐT của tỉnh"
    OTHER = "other", "Khác"


class EcommerceListing(SupportRecord):
    kind_slug = "thuong-mai-dien-tu"
    scope_commune_path = "product__commune"
    scope_entity_path = "product__entity"

    product = models.ForeignKey(
        "products.Product", verbose_name="Sản phẩm", on_delete=models.PROTECT, related_name="listings"
    )
    platform = models.CharField("Sàn thương mại điện tử", max_length=10, choices=Platform.choices)
    url = models.URLField("Đường dẫn gian hàng", max_length=500)
    national_programme = models.BooleanField("Thuộc chương trình TMĐT quốc gia", default=False)
    listed_on = models.DateField("Ngày lên sàn")
    checked_alive_on = models.DateField("Ngày kiểm tra còn hoạt động", null=True, blank=True)

    class Meta:
        verbose_name = "Gian hàng thương mại điện tử"
        verbose_name_plural = "Gian hàng thương mại điện tử"
        ordering = ["platform", "-id"]

    def __str__(self) -> str:
        return f"{self.get_platform_display()} · {self.product}" if self.product_id else self.platform

    def search_text(self) -> list[str]:
        return [str(self), self.url]

    def clean(self) -> None:
        super().clean()
        self._check_dates("listed_on", "checked_alive_on", "Ngày kiểm tra phải sau ngày lên sàn.")
        if self.url and not self.url.lower().startswith(("https://", "http://")):
            raise ValidationError({"url": "Đường dẫn phải bắt đầu bằng https:// hoặc http://."})


class ExportShipment(SupportRecord):
    kind_slug = "xuat-khau"
    scope_commune_path = "product__commune"
    scope_entity_path = "product__entity"

    product = models.ForeignKey(
        "products.Product", verbose_name="Sản phẩm", on_delete=models.PROTECT, related_name="+"
    )
    shipped_on = models.DateField("Ngày xuất khẩu")
    country = models.CharField("Thị trường (quốc gia)", max_length=100)
    quantity = models.CharField("Số lượng", max_length=100, blank=True)
    value_usd = models.DecimalField(
        "Giá trị (USD)",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )

    class Meta:
        verbose_name = "Lô hàng xuất khẩu"
        verbose_name_plural = "Lô hàng xuất khẩu"
        ordering = ["-shipped_on", "-id"]

    def __str__(self) -> str:
        return f"{self.product} → {self.country}" if self.product_id else self.country


class EntityYear(SupportRecord):
    """An entity's figures for one year: revenue (million VND), workers, local workers."""

    kind_slug = "doanh-thu"
    scope_commune_path = "entity__commune"
    scope_entity_path = "entity"

    entity = models.ForeignKey(
        "producers.Entity", verbose_name="Chủ thể", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(
        "Năm", validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    revenue_million = models.DecimalField(
        "Doanh thu (triệu đồng)", max_digits=14, decimal_places=1, validators=[MinValueValidator(0)]
    )
    workers = models.PositiveIntegerField("Số lao động", default=0)
    local_workers = models.PositiveIntegerField("Lao động địa phương", default=0)

    class Meta:
        verbose_name = "Doanh thu, lao động theo năm"
        verbose_name_plural = "Doanh thu, lao động theo năm"
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["entity", "year"],
                name="entityyear_unique",
                violation_error_message="Chủ thể này đã có số liệu của năm này.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.entity} · {self.year}" if self.entity_id else str(self.year)

    def clean(self) -> None:
        super().clean()
        if self.local_workers > self.workers:
            raise ValidationError(
                {"local_workers": "Lao động địa phương không thể nhiều hơn tổng số lao động."}
            )


# --- priority groups ---


MAX_PRIORITY_GROUPS = 10


class PriorityGroup(models.Model):
    """One of a province plan's key product groups (e.g. “Rau quả”), defined as a set of product sets."""

    province = models.ForeignKey(
        "geography.AdminUnit",
        verbose_name="Tỉnh",
        on_delete=models.CASCADE,
        related_name="+",
        limit_choices_to={"level": "province"},
    )
    name = models.CharField("Tên nhóm ưu tiên", max_length=120)
    position = models.PositiveSmallIntegerField("Thứ tự", default=0)
    product_sets = models.ManyToManyField(
        "products.ProductSet", verbose_name="Bộ sản phẩm thuộc nhóm", related_name="+"
    )

    class Meta:
        verbose_name = "Nhóm sản phẩm ưu tiên"
        verbose_name_plural = "Nhóm sản phẩm ưu tiên"
        ordering = ["province", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "name"],
                name="prioritygroup_unique_name",
                violation_error_message="Tỉnh đã có nhóm ưu tiên cùng tên.",
            )
        ]

    def __str__(self) -> str:
        return self.name


# --- annual report ---


class AnnualReport(models.Model):
    """The province's "Báo cáo kết quả thực hiện Chương trình OCOP năm …": its heading block and the parts
    officers write (I, the comments under II, III, IV), saved here and editable before the report is
    generated again; each generation is a background job (core.Job) whose files are the DOCX, PDF and XLSX.
    The figures of part II and the annexes come from the data at generation (support.reports)."""

    province = models.ForeignKey(
        "geography.AdminUnit",
        verbose_name="Tỉnh",
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "province"},
    )
    year = models.PositiveSmallIntegerField(
        "Năm báo cáo", validators=[MinValueValidator(2018), MaxValueValidator(2100)]
    )
    parent_body = models.CharField("Cơ quan chủ quản", max_length=150, blank=True)
    issuing_body = models.CharField("Cơ quan ban hành", max_length=150)
    number = models.CharField("Số báo cáo", max_length=60, blank=True, help_text="Ví dụ: 215/BC-UBND")
    place = models.CharField("Địa danh", max_length=80)
    report_date = models.DateField("Ngày báo cáo")
    direction = models.TextField("I. Công tác chỉ đạo, tổ chức thực hiện", blank=True)
    comment_evaluation = models.TextField("Nhận xét: đánh giá, phân hạng sản phẩm", blank=True)
    comment_support = models.TextField("Nhận xét: hỗ trợ chủ thể", blank=True)
    comment_trade = models.TextField("Nhận xét: xúc tiến thương mại", blank=True)
    comment_inspections = models.TextField("Nhận xét: kiểm tra, giám sát sau công nhận", blank=True)
    comment_ideas = models.TextField("Nhận xét: ý tưởng, phương án kinh doanh", blank=True)
    comment_funding = models.TextField("Nhận xét: kinh phí hỗ trợ", blank=True)
    achievements = models.TextField("III.1. Kết quả đạt được", blank=True)
    shortcomings = models.TextField("III.2. Tồn tại, hạn chế", blank=True)
    causes = models.TextField("III.3. Nguyên nhân", blank=True)
    next_year_tasks = models.TextField("IV. Nhiệm vụ, giải pháp năm tới", blank=True)
    recipients = models.TextField("Nơi nhận", blank=True, default="- Như trên;\n- Lưu: VT.")
    signer_title = models.CharField("Chức vụ người ký", max_length=120, blank=True)
    signer_name = models.CharField("Người ký", max_length=120, blank=True)
    job = models.ForeignKey(
        "core.Job",
        verbose_name="Lần tạo gần nhất",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    NARRATIVE_FIELDS = (
        "direction",
        "comment_evaluation",
        "comment_support",
        "comment_trade",
        "comment_inspections",
        "comment_ideas",
        "comment_funding",
        "achievements",
        "shortcomings",
        "causes",
        "next_year_tasks",
    )
    HEADING_FIELDS = (
        "parent_body",
        "issuing_body",
        "number",
        "place",
        "report_date",
        "recipients",
        "signer_title",
        "signer_name",
    )

    class Meta:
        verbose_name = "Báo cáo năm"
        verbose_name_plural = "Báo cáo năm"
        ordering = ["-year", "province__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "year"],
                name="annualreport_unique_year",
                violation_error_message="Tỉnh đã có báo cáo của năm này.",
            )
        ]

    def __str__(self) -> str:
        return f"Báo cáo OCOP {self.year} · {self.province}"

    def get_absolute_url(self) -> str:
        return reverse("support:report_detail", args=[self.pk])


def report_storage():
    """Storage of the first version's report files (ReportJob, referenced by migration 0001)."""
    from ocop.core.models import private_storage

    return private_storage()
