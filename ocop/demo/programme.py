"""Demo records of the year-round programme (issue 22): product ideas, an inspection plan with findings, a
support policy with grants — so that `make run` shows the ideas, inspections and funding pages, the province
officer's work queue and the annual report's lines II.5–II.6 with figures.

Every record goes through the domain services as the demo province officer would enter it (validation, scope,
audit rows), and says "dữ liệu mẫu": none of it is a published record. Deterministic: the same demo
products always give the same records.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction

from ocop.accounts.models import User
from ocop.evaluation.choices import IdeaKind, IdeaStatus
from ocop.funding.models import Policy
from ocop.funding.services import grant_create, policy_item_add, policy_save
from ocop.geography.models import AdminUnit, Generation, Level
from ocop.ideas.services import idea_register
from ocop.inspections.choices import CHECKLIST, Check, Verdict
from ocop.inspections.services import inspection_plan_product, inspection_record, plan_save, recognised_on
from ocop.products.models import Product

DEMO_POLICY_NUMBER = "Mẫu 01/NQ-HĐND"
DEMO_MARK = "(dữ liệu mẫu)"


@transaction.atomic
def load_demo_programme(*, officer: User, today: dt.date | None = None) -> int:
    """Idempotent: does nothing once the demo policy exists. Returns the number of records added."""
    if Policy.objects.filter(number=DEMO_POLICY_NUMBER).exists():
        return 0
    legacy = AdminUnit.objects.filter(level=Level.PROVINCE, generation=Generation.LEGACY, code="06").first()
    if legacy is None or officer.unit is None:
        return 0
    today = today or dt.date.today()
    products = list(
        Product.objects.filter(commune__province=legacy)
        .select_related("entity", "product_set")
        .order_by("id")
    )
    # In force the whole year, so that every planned due date (past and to come) is a valid one.
    year_start, year_end = dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)
    in_force = [p for p in products if recognised_on(p, year_start) and recognised_on(p, year_end)]
    if not in_force:
        return 0
    return (
        _ideas(officer, products, today)
        + _inspections(officer, officer.unit, in_force, today)
        + _funding(officer, officer.unit, in_force, today)
    )


def _ideas(officer: User, products: list[Product], today: dt.date) -> int:
    """Ideas of 2019–this year: accepted ones that became the products, and some still waiting."""
    added = 0
    for index, product in enumerate(products[:12]):
        year = 2019 + index % max(1, today.year - 2018)
        became_product = index % 3 == 0
        accepted = became_product or index % 3 == 1
        data: dict[str, Any] = {
            "entity": product.entity,
            "product_name": product.name,
            "product_set": product.product_set,
            "kind": IdeaKind.EXISTING if index % 2 else IdeaKind.NEW,
            "year": year,
            "description": f"Ý tưởng phát triển “{product.name}” từ nguyên liệu địa phương {DEMO_MARK}.",
            "status": IdeaStatus.ACCEPTED if accepted else IdeaStatus.SUBMITTED,
        }
        if accepted:
            data["accepted_on"] = min(dt.date(year, 6, 15), today)
        if became_product:
            data |= {
                "business_plan_on": min(dt.date(year, 9, 1), today),
                "business_plan": f"Phương án sản xuất, kinh doanh đã nộp {DEMO_MARK}.",
                "product": product,
            }
        idea_register(user=officer, data=data, today=today)
        added += 1
    return added


def _inspections(officer: User, province: AdminUnit, products: list[Product], today: dt.date) -> int:
    """This year's plan: three inspections done (one of each verdict), two due later, one overdue."""
    plan = plan_save(
        user=officer,
        province=province,
        year=today.year,
        title=f"Kế hoạch kiểm tra, giám sát sản phẩm OCOP năm {today.year} {DEMO_MARK}",
    )
    chosen = products[:6]
    past = [_in_year(today - dt.timedelta(days=days), today.year) for days in (40, 35, 30)]
    to_come = [_in_year(today + dt.timedelta(days=days), today.year) for days in (14, 21)]
    due_dates = [*past, *to_come, _in_year(today - dt.timedelta(days=7), today.year)]
    inspections = [
        inspection_plan_product(user=officer, plan=plan, product=product, due_date=due)
        for product, due in zip(chosen, due_dates, strict=False)
    ]
    all_ok = {field: Check.OK for field, _label in CHECKLIST}
    findings: list[dict[str, Any]] = [
        {**all_ok, "verdict": Verdict.COMPLIES},
        {
            **all_ok,
            "label_packaging": Check.ISSUE,
            "verdict": Verdict.NEEDS_FIXING,
            "fix_by": today + dt.timedelta(days=45),
            "findings": f"Nhãn chưa ghi hạn sử dụng theo quy định {DEMO_MARK}.",
        },
        {
            **all_ok,
            "qr_stamps": Check.NOT_APPLICABLE,
            "trademark": Check.ISSUE,
            "verdict": Verdict.NEEDS_FIXING,
            "fix_by": today + dt.timedelta(days=90),
            "findings": f"Giấy chứng nhận nhãn hiệu hết hiệu lực, đang làm thủ tục gia hạn {DEMO_MARK}.",
        },
    ]
    for inspection, data in zip(inspections, findings, strict=False):
        data |= {"inspected_on": inspection.due_date, "inspectors": f"Đoàn kiểm tra liên ngành {DEMO_MARK}"}
        inspection_record(user=officer, pk=inspection.pk, data=data, today=today)
    return 1 + len(inspections)


def _funding(officer: User, province: AdminUnit, products: list[Product], today: dt.date) -> int:
    """A policy in force since the start of last year, two of its items, and grants paid under them."""
    start = dt.date(today.year - 1, 1, 1)
    policy = policy_save(
        user=officer,
        province=province,
        data={
            "number": DEMO_POLICY_NUMBER,
            "title": f"Chính sách hỗ trợ phát triển sản phẩm OCOP {DEMO_MARK}",
            "issued_on": start - dt.timedelta(days=20),
            "valid_from": start,
            "valid_until": None,
        },
    )
    packaging = policy_item_add(
        user=officer,
        policy=policy,
        content="Thiết kế bao bì, nhãn mác",
        rate_percent=Decimal("50"),
        cap_vnd=30_000_000,
    )
    trade = policy_item_add(
        user=officer,
        policy=policy,
        content="Tham gia hội chợ, xúc tiến thương mại",
        rate_percent=Decimal("70"),
        cap_vnd=20_000_000,
    )
    grants = 0
    for index, product in enumerate(products[:6]):
        item = packaging if index % 2 == 0 else trade
        cost = 24_000_000 + 4_000_000 * index
        amount = min(int(Decimal(cost) * item.rate_percent / 100), item.cap_vnd)
        paid_on = min(today, start + dt.timedelta(days=75 * (index + 1)))
        grant_create(
            user=officer,
            data={
                "item": item,
                "entity": product.entity,
                "product": product,
                "cost_vnd": cost,
                "amount_vnd": amount,
                "paid_on": paid_on,
                "purpose": f"{item.content}: “{product.name}” {DEMO_MARK}",
                "decision": f"Mẫu {index + 1}/QĐ-UBND",
            },
        )
        grants += 1
    return 3 + grants


def _in_year(day: dt.date, year: int) -> dt.date:
    """A plan's due dates lie in its year (the service refuses others): clamp near the year's ends."""
    return min(max(day, dt.date(year, 1, 1)), dt.date(year, 12, 31))
