"""The record types of the support module, described once: the pages, exports, imports and API of each
type are generated from these descriptions (views.py, imports.py, api.py), so a rule lives in one place.

A column is (label, attribute path or callable). An import column is (header, field, parser); parsers are
named in sheets.py ("products" takes several product names separated by ";").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ocop.core.models import ScopedModel

from . import models as m


def _get(record: Any, path: str | Callable) -> Any:
    if callable(path):
        return path(record)
    value: Any = record
    for part in path.split("."):
        display = getattr(value, f"get_{part}_display", None)
        value = display() if display is not None else getattr(value, part, None)
        if value is None:
            return ""
    return value


@dataclass(frozen=True)
class Kind:
    slug: str
    model: type[ScopedModel]
    title: str  # plural, page title
    noun: str  # singular, for buttons
    fields: tuple[str, ...]  # editable form fields, in order
    columns: tuple[tuple[str, Any], ...]  # list page and export
    imports: tuple[tuple[str, str, str], ...]  # (header, field, parser)
    related: tuple[str, ...] = ()  # select_related for the list
    m2m: tuple[str, ...] = field(default=())

    def value(self, record: Any, path: Any) -> Any:
        return _get(record, path)

    @property
    def filename(self) -> str:
        return f"ho-tro-{self.slug}"


def _list(related: str) -> Callable[[Any], str]:
    return lambda record: ", ".join(str(p) for p in getattr(record, related).all())


KINDS: dict[str, Kind] = {
    k.slug: k
    for k in (
        Kind(
            slug="tap-huan",
            model=m.TrainingCourse,
            title="Lớp tập huấn",
            noun="lớp tập huấn",
            fields=(
                "title",
                "commune",
                "start_date",
                "end_date",
                "organiser",
                "officers",
                "coop_members",
                "founders",
            ),
            columns=(
                ("Tên lớp", "title"),
                ("Xã/phường", "commune.name"),
                ("Ngày bắt đầu", "start_date"),
                ("Cán bộ", "officers"),
                ("Thành viên HTX", "coop_members"),
                ("Khởi nghiệp/chủ thể", "founders"),
                ("Tổng học viên", "trainees"),
            ),
            imports=(
                ("Tên lớp", "title", "text"),
                ("Xã/phường", "commune", "commune"),
                ("Ngày bắt đầu", "start_date", "date"),
                ("Ngày kết thúc", "end_date", "date"),
                ("Đơn vị tổ chức", "organiser", "text"),
                ("Cán bộ", "officers", "int"),
                ("Thành viên HTX", "coop_members", "int"),
                ("Khởi nghiệp/chủ thể", "founders", "int"),
            ),
            related=("commune",),
        ),
        Kind(
            slug="tu-van",
            model=m.ConsultingRound,
            title="Đợt tư vấn",
            noun="đợt tư vấn",
            fields=("entity", "held_on", "topic", "consultant"),
            columns=(
                ("Chủ thể", "entity.name"),
                ("Ngày", "held_on"),
                ("Nội dung", "topic"),
                ("Tư vấn", "consultant"),
            ),
            imports=(
                ("Chủ thể", "entity", "entity"),
                ("Ngày", "held_on", "date"),
                ("Nội dung", "topic", "text"),
                ("Tư vấn", "consultant", "text"),
            ),
            related=("entity",),
        ),
        Kind(
            slug="so-huu-tri-tue",
            model=m.IntellectualProperty,
            title="Chỉ dẫn địa lý và nhãn hiệu",
            noun="văn bằng",
            fields=(
                "kind",
                "name",
                "number",
                "commune",
                "holder",
                "entity",
                "products",
                "granted_on",
                "valid_until",
            ),
            columns=(
                ("Loại", "kind"),
                ("Tên", "name"),
                ("Số văn bằng", "number"),
                ("Chủ sở hữu", "holder"),
                ("Chủ thể", "entity.name"),
                ("Sản phẩm", _list("products")),
                ("Ngày cấp", "granted_on"),
                ("Hiệu lực đến", "valid_until"),
            ),
            imports=(
                ("Loại", "kind", "choice"),
                ("Tên", "name", "text"),
                ("Số văn bằng", "number", "text"),
                ("Xã/phường", "commune", "commune"),
                ("Chủ sở hữu", "holder", "text"),
                ("Chủ thể", "entity", "entity"),
                ("Sản phẩm", "products", "products"),
                ("Ngày cấp", "granted_on", "date"),
                ("Hiệu lực đến", "valid_until", "future_date"),
            ),
            related=("entity", "commune"),
            m2m=("products",),
        ),
        Kind(
            slug="vung-nguyen-lieu",
            model=m.RawMaterialArea,
            title="Vùng nguyên liệu được chứng nhận",
            noun="vùng nguyên liệu",
            fields=(
                "product",
                "standard",
                "area_ha",
                "location",
                "certificate_number",
                "valid_from",
                "valid_until",
            ),
            columns=(
                ("Sản phẩm", "product.name"),
                ("Tiêu chuẩn", "standard"),
                ("Diện tích (ha)", "area_ha"),
                ("Vị trí", "location"),
                ("Số giấy chứng nhận", "certificate_number"),
                ("Hiệu lực từ", "valid_from"),
                ("Hiệu lực đến", "valid_until"),
            ),
            imports=(
                ("Sản phẩm", "product", "product"),
                ("Tiêu chuẩn", "standard", "choice"),
                ("Diện tích (ha)", "area_ha", "decimal"),
                ("Vị trí", "location", "text"),
                ("Số giấy chứng nhận", "certificate_number", "text"),
                ("Hiệu lực từ", "valid_from", "date"),
                ("Hiệu lực đến", "valid_until", "future_date"),
            ),
            related=("product",),
        ),
        Kind(
            slug="diem-ban",
            model=m.PointOfSale,
            title="Điểm bán và showroom",
            noun="điểm bán",
            fields=(
                "name",
                "name_en",
                "kind",
                "commune",
                "address",
                "opening_notes",
                "latitude",
                "longitude",
                "entity",
                "products",
                "opened_on",
                "closed_on",
            ),
            columns=(
                ("Tên điểm bán", "name"),
                ("Loại", "kind"),
                ("Địa chỉ", "address"),
                ("Xã/phường", "commune.name"),
                ("Ngày hoạt động", "opened_on"),
                ("Ngừng hoạt động", "closed_on"),
            ),
            imports=(
                ("Tên điểm bán", "name", "text"),
                ("Loại", "kind", "choice"),
                ("Xã/phường", "commune", "commune"),
                ("Địa chỉ", "address", "text"),
                ("Vĩ độ", "latitude", "float"),
                ("Kinh độ", "longitude", "float"),
                ("Chủ thể", "entity", "entity"),
                ("Sản phẩm", "products", "products"),
                ("Ngày hoạt động", "opened_on", "date"),
                ("Ngừng hoạt động", "closed_on", "date"),
                ("Giờ mở cửa", "opening_notes", "text"),
            ),
            related=("commune",),
            m2m=("products",),
        ),
        Kind(
            slug="hoi-cho",
            model=m.TradeFair,
            title="Hội chợ và sự kiện xúc tiến",
            noun="hội chợ",
            fields=(
                "name",
                "name_en",
                "level",
                "commune",
                "venue",
                "organiser",
                "booths",
                "latitude",
                "longitude",
                "start_date",
                "end_date",
                "products",
            ),
            columns=(
                ("Tên hội chợ", "name"),
                ("Quy mô", "level"),
                ("Nơi tổ chức", "venue"),
                ("Ngày bắt đầu", "start_date"),
                ("Ngày kết thúc", "end_date"),
                ("Số chủ thể tham gia", lambda r: r.participations.count()),
                ("Doanh thu (đồng)", lambda r: sum(p.sales_vnd for p in r.participations.all())),
            ),
            imports=(
                ("Tên hội chợ", "name", "text"),
                ("Quy mô", "level", "choice"),
                ("Xã/phường", "commune", "commune"),
                ("Nơi tổ chức", "venue", "text"),
                ("Ngày bắt đầu", "start_date", "date"),
                ("Ngày kết thúc", "end_date", "date"),
                ("Đơn vị tổ chức", "organiser", "text"),
                ("Số gian hàng", "booths", "int"),
                ("Sản phẩm", "products", "products"),
            ),
            related=("commune",),
            m2m=("products",),
        ),
        Kind(
            slug="thuong-mai-dien-tu",
            model=m.EcommerceListing,
            title="Gian hàng thương mại điện tử",
            noun="gian hàng",
            fields=("product", "platform", "url", "national_programme", "listed_on", "checked_alive_on"),
            columns=(
                ("Sản phẩm", "product.name"),
                ("Sàn", "platform"),
                ("Đường dẫn", "url"),
                ("Chương trình quốc gia", "national_programme"),
                ("Ngày lên sàn", "listed_on"),
                ("Kiểm tra còn hoạt động", "checked_alive_on"),
            ),
            imports=(
                ("Sản phẩm", "product", "product"),
                ("Sàn", "platform", "choice"),
                ("Đường dẫn", "url", "text"),
                ("Chương trình quốc gia", "national_programme", "bool"),
                ("Ngày lên sàn", "listed_on", "date"),
                ("Kiểm tra còn hoạt động", "checked_alive_on", "date"),
            ),
            related=("product",),
        ),
        Kind(
            slug="xuat-khau",
            model=m.ExportShipment,
            title="Lô hàng xuất khẩu",
            noun="lô hàng",
            fields=("product", "shipped_on", "country", "quantity", "value_usd"),
            columns=(
                ("Sản phẩm", "product.name"),
                ("Ngày xuất", "shipped_on"),
                ("Thị trường", "country"),
                ("Số lượng", "quantity"),
                ("Giá trị (USD)", "value_usd"),
            ),
            imports=(
                ("Sản phẩm", "product", "product"),
                ("Ngày xuất", "shipped_on", "date"),
                ("Thị trường", "country", "text"),
                ("Số lượng", "quantity", "text"),
                ("Giá trị (USD)", "value_usd", "decimal"),
            ),
            related=("product",),
        ),
        Kind(
            slug="doanh-thu",
            model=m.EntityYear,
            title="Doanh thu và lao động theo năm",
            noun="số liệu năm",
            fields=("entity", "year", "revenue_million", "workers", "local_workers"),
            columns=(
                ("Chủ thể", "entity.name"),
                ("Năm", "year"),
                ("Doanh thu (triệu đồng)", "revenue_million"),
                ("Lao động", "workers"),
                ("Lao động địa phương", "local_workers"),
            ),
            imports=(
                ("Chủ thể", "entity", "entity"),
                ("Năm", "year", "int"),
                ("Doanh thu (triệu đồng)", "revenue_million", "decimal"),
                ("Lao động", "workers", "int"),
                ("Lao động địa phương", "local_workers", "int"),
            ),
            related=("entity",),
        ),
    )
}


def kind_or_none(slug: str) -> Kind | None:
    return KINDS.get(slug)
