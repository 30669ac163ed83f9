"""GET /api/v1/stats — the same JSON object as `ocop stats --json` (SPEC §5.2), scoped to the user."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from ocop.core.text import is_ascii_digits
from ocop.geography.lookup_errors import UnitLookupError
from ocop.geography.models import AdminUnit, Generation

from .selectors import province_resolve, stats_unit_allowed, unit_stats

router = Router()


class TargetProgressOut(Schema):
    metric: str = Field(
        ...,
        description="recognized_total | five_star_total | four_star_plus_total | new_in_period | "
        "upgraded_in_period | upgraded_to_4_in_period | upgraded_to_5_in_period | trainees_in_period | "
        "products_on_ecommerce | points_of_sale | products_with_stamps",
    )
    value: int
    start: str = Field(..., description="YYYY-MM-DD")
    deadline: str = Field(..., description="YYYY-MM-DD")
    actual: int = Field(..., description="Thực hiện tính đến min(as_of, deadline)")
    percent: float = Field(..., description="100·actual/value, 1 chữ số thập phân")


class YearOut(Schema):
    new: int
    upgraded: int
    renewed: int
    revoked: int


class IdeasYearOut(Schema):
    registered: int
    accepted: int
    business_plan: int
    product: int
    returned: int


class StatsOut(Schema):
    province: str = Field(..., description="Tên đơn vị đã xác định, ví dụ “Tỉnh Thái Nguyên”")
    as_of: str = Field(..., description="YYYY-MM-DD")
    recognized_total: int
    by_star: dict[str, int] = Field(..., description='{"3": n, "4": n, "5": n}')
    in_force_total: int
    expired_not_renewed: int
    expiring_within_30_days: int
    revoked_total: int
    communes_with_products: int
    communes_total: int
    entities_total: int
    by_group: dict[str, int] = Field(..., description="Nhóm I..VI")
    by_entity_type: dict[str, int] = Field(..., description="htx, doanh_nghiep, to_hop_tac, ho_kinh_doanh")
    by_year: dict[str, YearOut]
    targets: list[TargetProgressOut]
    ideas_by_year: dict[str, IdeasYearOut] = Field(
        ..., description="Ý tưởng sản phẩm đăng ký theo năm và số đã tới từng bước tính đến as_of"
    )


class ErrorOut(Schema):
    detail: str


PROVINCE_HELP = "Tên tỉnh (có/không “Tỉnh”, có/không dấu) hoặc mã đơn vị; bỏ trống = đơn vị của cán bộ"
AS_OF = Query(None, description="YYYY-MM-DD; bỏ trống = hôm nay")


def _unit_for(user, text: str, as_of: dt.date) -> AdminUnit:
    """The unit named ``text`` (or given by id) that this user may see; the other generation of the same
    name is tried for officers (a Thái Nguyên office asking about a date before 2025 means its own unit)."""
    text = text.strip()
    if is_ascii_digits(text):  # "²" is a digit to str.isdigit, not to int()
        unit = AdminUnit.objects.filter(pk=int(text)).first()
        if unit is None:
            raise LookupError(f"Không có đơn vị mã {text}.")
        return unit
    unit = province_resolve(text, on_date=as_of)
    if stats_unit_allowed(user=user, unit=unit):
        return unit
    other = Generation.REFORM_2025 if unit.generation == Generation.LEGACY else Generation.LEGACY
    try:
        alternative = province_resolve(text, on_date=as_of, generation=other)
    except UnitLookupError:
        return unit
    return alternative if stats_unit_allowed(user=user, unit=alternative) else unit


def unit_and_day(user, province: str, as_of: dt.date | None) -> tuple[AdminUnit, dt.date] | Status:
    """The unit and day a statistics request asks for, or the error response (404: no unit named, unknown,
    or out of the user's scope; a malformed date is refused by the declared parameter, 422). Shared by
    the statistics and support KPI APIs."""
    day = as_of or timezone.localdate()
    if not province.strip():
        if user.is_admin_role or user.unit_id is None:
            return Status(
                404, {"detail": "Tài khoản không gắn đơn vị nào: hãy nêu province (tên tỉnh hoặc mã)."}
            )
        unit = user.unit
    else:
        try:
            unit = _unit_for(user, province, day)
        except UnitLookupError as error:
            return Status(404, {"detail": error.message})
        except LookupError as error:
            return Status(404, {"detail": str(error)})
    if not stats_unit_allowed(user=user, unit=unit):
        return Status(404, {"detail": "Không tìm thấy đơn vị trong phạm vi của bạn."})
    return unit, day


@router.get(
    "",
    response={200: StatsOut, 404: ErrorOut},
    summary="Thống kê OCOP của một tỉnh tại một ngày (như `ocop stats --json`)",
)
def stats(
    request,
    province: str = Query("", max_length=100, description=PROVINCE_HELP),
    as_of: dt.date | None = AS_OF,
):
    """`province`: tên (có/không “Tỉnh”, có/không dấu) hoặc mã đơn vị; bỏ trống = đơn vị của cán bộ.
    `as_of`: YYYY-MM-DD, mặc định hôm nay. Ngoài phạm vi của người dùng: 404."""
    chosen = unit_and_day(request.user, province, as_of)
    if isinstance(chosen, Status):
        return chosen
    unit, day = chosen
    return Status(200, unit_stats(unit, day))
