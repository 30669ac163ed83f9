from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from ocop.core.forms import PlainEmptyChoices
from ocop.evaluation.models import ProductIdea
from ocop.producers.models import Entity
from ocop.products.models import Product, ProductSet

from .selectors import STAGES
from .services import FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class IdeaForm(PlainEmptyChoices, forms.ModelForm):
    class Meta:
        model = ProductIdea
        fields = list(FIELDS)
        widgets = {
            "accepted_on": DATE,
            "business_plan_on": DATE,
            "description": forms.Textarea(attrs={"rows": 3}),
            "business_plan": forms.Textarea(attrs={"rows": 3}),
            "review_reason": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["entity"].queryset = Entity.objects.for_user(user, "change").order_by("name_key")
        self.fields["product"].queryset = (
            Product.objects.for_user(user, "change").select_related("entity").order_by("name_key")
        )
        self.fields["product"].help_text = "Sản phẩm hình thành từ ý tưởng (của chính chủ thể này)."
        self.fields["product_set"].queryset = ProductSet.objects.filter(
            group__classification__is_current=True
        ).order_by("number")
        self.fields["year"].initial = timezone.localdate().year
        for name in ("accepted_on", "business_plan_on"):
            self.fields[name].input_formats = ["%Y-%m-%d", "%d/%m/%Y"]

    def validate_unique(self) -> None:
        """Checked by the service."""


class IdeaFilterForm(forms.Form):
    year = forms.TypedChoiceField(label="Năm đăng ký", coerce=int, required=False, empty_value=None)
    stage = forms.ChoiceField(label="Bước", required=False, choices=[("", "Tất cả"), *STAGES.items()])
    q = forms.CharField(label="Tìm theo sản phẩm, chủ thể", required=False, max_length=100)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", "Tất cả"), *((y, str(y)) for y in years)]
        self.fields["q"].widget.attrs["type"] = "search"
