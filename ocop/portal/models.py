"""Public read model of the portal and the community feedback it collects.

``PortalListing`` is a denormalised row per recognised product (rebuilt by
``services.listing.listing_refresh`` from the products, entities, units and certificates): the public search
reads one table, with the folded search key indexed (pg_trgm GIN on PostgreSQL, see migration 0002), and no
joins.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from ocop.core.models import ScopedModel
from ocop.core.uploads import private_storage

from .choices import FeedbackKind, FeedbackStatus


class PortalListing(models.Model):
    product = models.OneToOneField(
        "products.Product", primary_key=True, on_delete=models.CASCADE, related_name="portal_listing"
    )
    name = models.CharField("Tên sản phẩm", max_length=255)
    slug = models.SlugField(max_length=120, allow_unicode=False)
    name_key = models.CharField(max_length=255, db_index=True)
    entity_key = models.CharField(max_length=255)
    search_key = models.CharField(max_length=800)
    entity = models.ForeignKey("producers.Entity", on_delete=models.CASCADE, related_name="+")
    entity_name = models.CharField(max_length=255)
    group_code = models.CharField(max_length=5, blank=True)
    stars = models.PositiveSmallIntegerField()
    certificate = models.ForeignKey(
        "certification.Certificate", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    certificate_number = models.CharField(max_length=80, blank=True)
    valid_from = models.DateField()
    valid_to = models.DateField()
    # The unit the product was registered under, and its 2025 successor (itself for 2025 units).
    commune = models.ForeignKey("geography.AdminUnit", on_delete=models.PROTECT, related_name="+")
    commune_name = models.CharField(max_length=120)
    district_name = models.CharField(max_length=120, blank=True)
    # province, new_province: no own index — each leads its (…, valid_to) index below.
    province = models.ForeignKey(
        "geography.AdminUnit", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    province_name = models.CharField(max_length=120)
    # new_commune: no own index — it leads listing_newcommune_idx below.
    new_commune = models.ForeignKey(
        "geography.AdminUnit", null=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    new_province = models.ForeignKey(
        "geography.AdminUnit", null=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    latitude = models.FloatField(null=True)
    longitude = models.FloatField(null=True)
    refreshed_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        verbose_name = "Sản phẩm trên cổng thông tin"
        verbose_name_plural = "Sản phẩm trên cổng thông tin"
        indexes = [
            models.Index(fields=["valid_to", "valid_from"], name="listing_validity_idx"),
            models.Index(fields=["stars", "valid_to"], name="listing_stars_idx"),
            models.Index(fields=["group_code", "valid_to"], name="listing_group_idx"),
            # Group + stars filters in the default order (stars, newest): no full scan of a large group.
            models.Index(fields=["group_code", "stars", "valid_from"], name="listing_group_stars_idx"),
            models.Index(fields=["new_province", "valid_to"], name="listing_newprov_idx"),
            models.Index(fields=["province", "valid_to"], name="listing_prov_idx"),
            # The map's products per commune of today (/ban-do/): counted from this index alone, in its order
            # (2.6 ms instead of 22 ms for 20,000 products on SQLite).
            models.Index(fields=["new_commune", "valid_to", "valid_from"], name="listing_newcommune_idx"),
            # entity: the foreign key's own index. search_key: found through FTS5 (SQLite) or the pg_trgm
            # GIN index (PostgreSQL, migration 0002); a B-tree on 800 characters served no query.
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("portal:product", args=[self.pk, self.slug])


def feedback_photo_path(instance: Feedback, filename: str) -> str:
    return f"feedback/{instance.product_id}/{filename}"


class Feedback(ScopedModel):
    """A consumer's report about a product, moderated by the officers of the product's province."""

    scope_commune_path = "product__commune"
    scope_entity_path = None  # producers do not moderate reports about themselves

    product = models.ForeignKey(
        "products.Product", verbose_name="Sản phẩm", on_delete=models.CASCADE, related_name="feedback"
    )
    kind = models.CharField("Loại phản ánh", max_length=12, choices=FeedbackKind.choices)
    message = models.TextField("Nội dung phản ánh", max_length=3000)
    # Private until the report is answered (served by views.feedback_photo after a scope check).
    photo = models.ImageField(
        "Ảnh kèm theo", upload_to=feedback_photo_path, storage=private_storage, blank=True
    )
    reporter_name = models.CharField("Tên người phản ánh", max_length=100, blank=True)
    # Personal data: visible to the moderating officers only, never on a public page or in the API.
    reporter_phone = models.CharField("Số điện thoại người phản ánh", max_length=20, blank=True)
    reporter_email = models.EmailField("Thư điện tử người phản ánh", blank=True)
    status = models.CharField(
        "Trạng thái", max_length=10, choices=FeedbackStatus.choices, default=FeedbackStatus.NEW
    )
    answer = models.TextField("Trả lời của cơ quan quản lý", blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Người trả lời",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField("Trả lời lúc", null=True, blank=True)
    ip_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = "Phản ánh của người dân"
        verbose_name_plural = "Phản ánh của người dân"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["product", "status"], name="feedback_product_status_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.product}"

    @property
    def is_public(self) -> bool:
        return self.status == FeedbackStatus.ANSWERED
