"""Consent of a household owner / representative to show their name and phone on the public portal."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from ocop.core.models import ScopedModel


class PublicConsent(ScopedModel):
    """Law 91/2025/QH15: personal data is shown publicly only with the person's consent, recorded here."""

    scope_commune_path = "entity__commune"
    scope_entity_path = "entity"

    entity = models.OneToOneField(
        "producers.Entity", verbose_name="Chủ thể", on_delete=models.CASCADE, related_name="public_consent"
    )
    show_representative = models.BooleanField("Đồng ý công khai tên người đại diện/chủ hộ", default=False)
    show_phone = models.BooleanField("Đồng ý công khai số điện thoại", default=False)
    given_on = models.DateField("Ngày đồng ý")
    evidence = models.CharField("Căn cứ (văn bản, phiếu đồng ý)", max_length=200, blank=True)
    # What was consented to: a consent covers this person's name and this number only. After the entity's
    # representative or phone changes, the portal stops showing it until consent is recorded again.
    representative_consented = models.CharField("Họ tên được đồng ý công khai", max_length=150, blank=True)
    phone_consented = models.CharField("Số điện thoại được đồng ý công khai", max_length=20, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    PERSONAL_FIELDS = ("representative_consented", "phone_consented")  # masked in audit diffs

    class Meta:
        verbose_name = "Đồng ý công khai dữ liệu cá nhân"
        verbose_name_plural = "Đồng ý công khai dữ liệu cá nhân"

    def __str__(self) -> str:
        return f"Đồng ý công khai — {self.entity}"
