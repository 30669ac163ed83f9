from __future__ import annotations

from django import forms
from django.db.models import URLField

from ocop.geography.forms import UnitChoiceField
from ocop.geography.selectors import commune_choices_for
from ocop.producers.models import Entity
from ocop.products.models import Product, ProductSet

from .kinds import Kind

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _formfield(model_field, **kwargs):
    if isinstance(model_field, URLField):
        kwargs.setdefault("assume_scheme", "https")
    return model_field.formfield(**kwargs)


def record_form_class(kind: Kind) -> type[forms.ModelForm]:
    """A ModelForm of the kind's editable fields; choices limited to the user's scope."""

    class RecordForm(forms.ModelForm):
        class Meta:
            formfield_callback = _formfield
            model = kind.model
            fields = list(kind.fields)

        def __init__(self, *args, user, **kwargs):
            super().__init__(*args, **kwargs)
            for name, fld in self.fields.items():
                model_field = kind.model._meta.get_field(name)
                if model_field.get_internal_type() == "DateField":
                    fld.widget = DATE_WIDGET
                    fld.input_formats = ["%Y-%m-%d", "%d/%m/%Y"]
            if "commune" in self.fields:
                label = self.fields["commune"].label
                self.fields["commune"] = UnitChoiceField(
                    queryset=commune_choices_for(
                        None if user.is_admin_role else user.unit, keep=self.instance.commune_id
                    ),
                    label=label,
                )
            if "entity" in self.fields:
                self.fields["entity"].queryset = Entity.objects.for_user(user).order_by("name_key")
            if "product" in self.fields:
                self.fields["product"].queryset = (
                    Product.objects.for_user(user).select_related("entity").order_by("name_key")
                )
            if "products" in self.fields:
                self.fields["products"].queryset = Product.objects.for_user(user).order_by("name_key")
                self.fields["products"].widget.attrs["size"] = 8

    RecordForm.__name__ = f"{kind.model.__name__}Form"
    return RecordForm


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Tìm kiếm",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Tên, địa chỉ, nội dung…"}),
    )


class ImportForm(forms.Form):
    file = forms.FileField(label="Tệp XLSX hoặc CSV")


class ParticipationForm(forms.Form):
    entity = forms.ModelChoiceField(label="Chủ thể tham gia", queryset=Entity.objects.none())
    sales_vnd = forms.IntegerField(label="Doanh thu bán hàng (đồng)", min_value=0, initial=0)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entity"].queryset = Entity.objects.for_user(user).order_by("name_key")


class KpiFilterForm(forms.Form):
    unit = UnitChoiceField(label="Đơn vị", queryset=None, required=False, empty_label=None)
    as_of = forms.DateField(label="Tính đến ngày", required=False, widget=DATE_WIDGET)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class PriorityGroupForm(forms.Form):
    name = forms.CharField(label="Tên nhóm ưu tiên", max_length=120)
    position = forms.IntegerField(label="Thứ tự", min_value=0, max_value=99, initial=0)
    product_sets = forms.ModelMultipleChoiceField(
        label="Bộ sản phẩm",
        queryset=ProductSet.objects.filter(group__classification__is_current=True).order_by("number"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )


class ReportForm(forms.Form):
    unit = UnitChoiceField(label="Tỉnh", queryset=None, empty_label=None)
    year = forms.IntegerField(label="Năm báo cáo", min_value=2019, max_value=2100)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class AnnualReportForm(forms.ModelForm):
    """The heading block and the narrative parts officers write; saved with the report."""

    class Meta:
        from .models import AnnualReport

        model = AnnualReport
        fields = [*AnnualReport.HEADING_FIELDS, *AnnualReport.NARRATIVE_FIELDS]
        widgets = {
            "report_date": DATE_WIDGET,
            "recipients": forms.Textarea(attrs={"rows": 3}),
            **{name: forms.Textarea(attrs={"rows": 4}) for name in AnnualReport.NARRATIVE_FIELDS},
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["report_date"].input_formats = ["%Y-%m-%d", "%d/%m/%Y"]
