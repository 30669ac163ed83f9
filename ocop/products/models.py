from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from ocop.core.models import ScopedModel
from ocop.core.text import fold

from .gtin import gtin_is_valid


class Classification(models.Model):
    """A legal version of the product tree: 148/2023 (current) or 1048/2019 (historical records)."""

    code = models.CharField("Mã", max_length=20, unique=True)
    name = models.CharField("Văn bản", max_length=200)
    valid_from = models.DateField("Hiệu lực từ")
    valid_to = models.DateField("Hiệu lực đến", null=True, blank=True)
    is_current = models.BooleanField("Đang áp dụng", default=False)

    class Meta:
        verbose_name = "Phiên bản phân loại"
        verbose_name_plural = "Phiên bản phân loại"
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return self.name


class ProductGroup(models.Model):
    classification = models.ForeignKey(Classification, on_delete=models.CASCADE, related_name="groups")
    code = models.CharField("Mã nhóm", max_length=5)
    name = models.CharField("Tên nhóm", max_length=200)

    class Meta:
        verbose_name = "Nhóm sản phẩm"
        verbose_name_plural = "Nhóm sản phẩm"
        ordering = ["classification", "id"]
        constraints = [
            models.UniqueConstraint(fields=["classification", "code"], name="productgroup_unique_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class ProductSet(models.Model):
    """Bộ sản phẩm: the unit a score sheet applies to (26 per classification)."""

    group = models.ForeignKey(ProductGroup, on_delete=models.CASCADE, related_name="sets")
    number = models.PositiveSmallIntegerField("Số bộ")
    code = models.CharField("Mã phân loại", max_length=12)
    branch = models.CharField("Nhóm", max_length=200, blank=True)
    name = models.CharField("Bộ sản phẩm", max_length=300)

    class Meta:
        verbose_name = "Bộ sản phẩm"
        verbose_name_plural = "Bộ sản phẩm"
        ordering = ["group__classification", "number"]
        constraints = [
            models.UniqueConstraint(fields=["group", "number"], name="productset_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class ProductStatus(models.TextChoices):
    ACTIVE = "active", "Đang sản xuất"
    PAUSED = "paused", "Tạm ngừng"
    STOPPED = "stopped", "Ngừng sản xuất"


def places_keys(commune_ids: Iterable[int]) -> dict[int, str]:
    """Per commune id, the folded unit names a product's search key holds: the commune, its district (or
    province), its province and, for a legacy commune, its successor and the successor's province — so a
    product is found by its old and its new place names. One query (plain values)."""
    from ocop.core.bulk import id_set
    from ocop.geography.models import AdminUnit

    keys: dict[int, str] = {}
    rows = AdminUnit.objects.filter(pk__in=id_set(set(commune_ids))).values_list(
        "id", "name", "parent__name", "province__name", "successor_id", "successor__name",
        "successor__province__name",
    )  # fmt: skip
    for pk, name, parent, province, successor_id, successor, successor_province in rows:
        names = [name, parent, province]
        if successor_id and successor_id != pk:
            names += [successor, successor_province]
        keys[pk] = " ".join(fold(name) for name in names if name)
    return keys


def product_keys(*, name: str, entity_name_key: str, places_key: str) -> tuple[str, str]:
    """(name_key, search_key) of a product — the one definition, used by ``Product.refresh_keys`` and by the
    bulk writers (import, demo): the folded name, and the folded name, entity name and place names."""
    name_key = fold(name)
    return name_key, " ".join(filter(None, [name_key, entity_name_key, places_key]))


class Product(ScopedModel):
    scope_commune_path = "commune"
    scope_entity_path = "entity"

    name = models.CharField("Tên sản phẩm", max_length=255)
    # entity, commune, group_code: no index of their own — each leads a composite index below.
    entity = models.ForeignKey(
        "producers.Entity",
        verbose_name="Chủ thể",
        on_delete=models.PROTECT,
        related_name="products",
        db_index=False,
    )
    commune = models.ForeignKey(
        "geography.AdminUnit",
        verbose_name="Xã/phường",
        on_delete=models.PROTECT,
        related_name="products",
        limit_choices_to={"level": "commune"},
        db_index=False,
    )
    product_set = models.ForeignKey(
        ProductSet,
        verbose_name="Bộ sản phẩm",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="products",
    )
    group_code = models.CharField("Nhóm (I–VI)", max_length=5, blank=True)
    description = models.TextField("Mô tả", blank=True)
    story = models.TextField("Câu chuyện sản phẩm", blank=True)
    # Optional English text for the public portal's /en/ pages (buyers abroad); the Vietnamese text is shown
    # where these are empty.
    name_en = models.CharField("Tên tiếng Anh (không bắt buộc)", max_length=255, blank=True)
    description_en = models.TextField("Mô tả tiếng Anh (không bắt buộc)", blank=True)
    packaging = models.CharField("Quy cách đóng gói", max_length=255, blank=True)
    gtin = models.CharField("Mã GTIN (mã vạch)", max_length=14, blank=True)
    status = models.CharField(
        "Tình trạng", max_length=10, choices=ProductStatus.choices, default=ProductStatus.ACTIVE
    )
    # Searched with "contains" (LIKE '%w%'), which no B-tree serves.
    search_key = models.CharField(max_length=800, editable=False, default="")
    name_key = models.CharField(max_length=255, db_index=True, editable=False, default="")

    class Meta:
        verbose_name = "Sản phẩm"
        verbose_name_plural = "Sản phẩm"
        ordering = ["name_key", "id"]
        indexes = [
            models.Index(fields=["commune", "name_key"], name="product_commune_name_idx"),
            models.Index(fields=["entity", "name_key"], name="product_entity_name_idx"),
            # The product list's status and group filters, in its name order.
            models.Index(fields=["status", "name_key"], name="product_status_name_idx"),
            models.Index(fields=["group_code", "name_key"], name="product_group_name_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("products:product_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.gtin and not gtin_is_valid(self.gtin):
            raise ValidationError(
                {"gtin": "Mã GTIN không hợp lệ: cần 8, 12, 13 hoặc 14 chữ số với số kiểm tra đúng."}
            )

    def refresh_keys(self) -> None:
        if self.product_set_id and not self.group_code:
            self.group_code = self.product_set.group.code
        self.name_key, self.search_key = product_keys(
            name=self.name,
            entity_name_key=fold(self.entity.name) if self.entity_id else "",
            places_key=places_keys([self.commune_id])[self.commune_id] if self.commune_id else "",
        )

    def save(self, *args, **kwargs) -> None:
        self.refresh_keys()
        super().save(*args, **kwargs)


def product_image_path(instance: ProductImage, filename: str) -> str:
    return f"products/{instance.product_id}/{filename}"


class ProductImage(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField("Ảnh", upload_to=product_image_path)
    caption = models.CharField("Chú thích", max_length=200, blank=True)
    position = models.PositiveSmallIntegerField("Thứ tự", default=0)

    class Meta:
        verbose_name = "Ảnh sản phẩm"
        verbose_name_plural = "Ảnh sản phẩm"
        ordering = ["product", "position", "id"]

    def __str__(self) -> str:
        return self.caption or self.image.name
