"""Annual OCOP report of a province — "Báo cáo kết quả thực hiện Chương trình OCOP năm …" — as officers
write it: the heading block, I. direction, II. results with figures filled in from the data (evaluation
and stars, support, trade promotion, inspections, ideas, funding, e-stamps) each followed by the officers'
comment, III. assessment, IV. next year's tasks, and annexes (the products recognised in the year; the
detail tables). The narrative is saved on ``AnnualReport``; documents are built by report_documents.py.

Every figure comes from the selectors the screens use — ``targets.selectors.unit_stats`` and the
dashboard's tables, ``support_kpis``, ``ideas.selectors``, ``inspections.selectors.year_figures``,
``funding.selectors.grant_totals``, ``targets.progress.stamp_coverage`` — computed once as of 31/12 of the
year (or today for the current year) and kept on the generation's job (``result["figures"]``), so the
report equals the screens by construction (tested). Generation is a background job (core.jobs); its files
are private, served only by the scoped view.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from ocop.certification.choices import EventKind
from ocop.certification.models import RecognitionEvent
from ocop.core.audit import audit_create, audit_update, snapshot
from ocop.core.errors import ScopeError
from ocop.core.jobs import JobContext, background_job, job_start
from ocop.core.models import Job
from ocop.core.pdf_fonts import FONT_DIRS
from ocop.geography.models import AdminUnit
from ocop.targets import tables
from ocop.targets.selectors import counted_communes, history_load, province_planner, unit_stats

from .models import AnnualReport, IPKind, OutletKind, Platform, Standard
from .selectors import expiring_certificates, priority_figures, support_kpis

# kpi_rows labels that belong to trade promotion (II.3) rather than support (II.2).
TRADE_LABELS = ("Sản phẩm trên sàn", "  – trên", "Chủ thể tham gia chương trình TMĐT", "Điểm bán",
                "Hội chợ", "Lượt chủ thể tham gia", "Doanh thu tại hội chợ")  # fmt: skip


# --- figures ---


def report_day(year: int, *, today: dt.date | None = None) -> dt.date:
    today = today or timezone.localdate()
    return min(dt.date(year, 12, 31), today)


def kpi_rows(kpis: dict[str, Any]) -> list[tuple[str, Any]]:
    """(label, value) of the support KPIs, in the order pages and reports show them."""
    trainees = kpis["trainees"]
    growth = kpis["revenue_growth"]
    latest = kpis["latest_year"]
    rows: list[tuple[str, Any]] = [
        ("Lớp tập huấn", kpis["courses"]),
        ("Học viên là cán bộ", trainees["officers"]),
        ("Học viên là thành viên HTX", trainees["coop_members"]),
        ("Học viên khởi nghiệp/chủ thể", trainees["founders"]),
        ("Tổng số học viên", trainees["total"]),
        ("Đợt tư vấn", kpis["consulting_rounds"]),
        (IPKind.GI.label, kpis["geographical_indications"]),
        (IPKind.COLLECTIVE.label, kpis["collective_trademarks"]),
        (IPKind.CERTIFICATION.label, kpis["certification_marks"]),
        (IPKind.TRADEMARK.label, kpis["trademarks"]),
        ("Sản phẩm có vùng nguyên liệu được chứng nhận", kpis["products_with_certified_area"]),
        *(
            (f"  – theo tiêu chuẩn {label}", kpis["certified_area_by_standard"][key])
            for key, label in Standard.choices
        ),
        ("Diện tích vùng nguyên liệu được chứng nhận (ha)", kpis["certified_area_ha"]),
        ("Sản phẩm đã xuất khẩu", kpis["products_exported"]),
        ("Thị trường xuất khẩu", kpis["export_markets"]),
        ("Sản phẩm trên sàn thương mại điện tử", kpis["products_on_ecommerce"]),
        *(
            (f"  – trên {label}", kpis["ecommerce_by_platform"][key])
            for key, label in Platform.choices
            if kpis["ecommerce_by_platform"][key]
        ),
        ("Chủ thể tham gia chương trình TMĐT quốc gia", kpis["entities_national_ecommerce"]),
        ("Điểm bán đang hoạt động", kpis["points_of_sale"]),
        *((f"  – {label}", kpis["points_of_sale_by_kind"][key]) for key, label in OutletKind.choices),
        ("Hội chợ, sự kiện xúc tiến", kpis["fairs"]),
        ("Lượt chủ thể tham gia hội chợ", kpis["fair_participations"]),
        ("Doanh thu tại hội chợ (đồng)", kpis["fair_sales_vnd"]),
        ("Chủ thể có số liệu doanh thu ≥ 2 năm", growth["eligible"]),
        ("Chủ thể có doanh thu tăng ≥ 1,1 lần so với năm đầu", growth["grown"]),
        ("Tỷ lệ chủ thể tăng doanh thu ≥ 1,1 lần (%)", growth["percent"]),
        ("Doanh thu năm gần nhất (triệu đồng)", latest["revenue_million"]),
        ("Lao động", latest["workers"]),
        ("Lao động địa phương", latest["local_workers"]),
    ]
    return rows


def recognised_in_year(unit: AdminUnit, year: int, day: dt.date) -> list[dict[str, Any]]:
    """Annex I: the decision lines of the year (new, upgraded, renewed) for the unit's products, by date."""
    counted = counted_communes(unit)
    events = (
        RecognitionEvent.objects.filter(
            product__commune_id__in=list(counted),
            decision_date__year=year,
            decision_date__lte=day,
            kind__in=(EventKind.NEW, EventKind.UPGRADE, EventKind.RENEWAL),
            stars__gte=3,
        )
        .select_related("product", "product__entity")
        .order_by("decision_date", "product__name", "id")
    )
    names = dict(AdminUnit.objects.filter(pk__in=set(counted.values())).values_list("id", "name"))
    return [
        {
            "product": e.product.name,
            "entity": e.product.entity.name,
            "commune": names.get(counted[e.product.commune_id], ""),
            "stars": e.stars,
            "kind": e.get_kind_display(),
            "decision": f"{e.decision_number} ngày {e.decision_date:%d/%m/%Y}".strip(),
        }
        for e in events
    ]


def report_figures(unit: AdminUnit, year: int, day: dt.date) -> dict[str, Any]:
    """Everything part II and the annexes print, as plain JSON-able values."""
    from ocop.funding.selectors import grant_totals
    from ocop.ideas.selectors import idea_counts_by_year
    from ocop.inspections.selectors import year_figures

    history = history_load(unit)
    stats = unit_stats(unit, day, history=history)
    kpis = support_kpis(unit, day)
    priority = priority_figures(history, day)
    ideas = idea_counts_by_year(commune_ids=list(counted_communes(unit)), as_of=day)
    table_list = [
        tables.summary_table(stats),
        tables.star_table(stats),
        tables.year_table(stats),
        tables.group_table(stats),
        tables.entity_type_table(stats),
        tables.target_table(stats),
    ]
    district = tables.district_table(history, day)
    if district is not None:
        table_list.append(district)
    table_list.append(tables.commune_table(history, day))
    expiring = expiring_certificates(history, day)
    table_list.append(
        tables.Table(
            "expiring",
            "Giấy chứng nhận hết hạn trong 180 ngày tới",
            ["Sản phẩm", "Chủ thể", "Hạng sao", "Hết hạn"],
            [[r["product"], r["entity"], r["stars"], r["ends"].strftime("%d/%m/%Y")] for r in expiring],
        )
    )
    table_list.append(
        tables.Table(
            "support", "Hỗ trợ, xúc tiến thương mại", ["Chỉ số", "Giá trị"], [list(r) for r in kpi_rows(kpis)]
        )
    )
    table_list.append(
        tables.Table(
            "priority",
            "Nhóm sản phẩm ưu tiên",
            ["Nhóm", "Sản phẩm", "Sản phẩm OCOP", "3 sao", "4 sao", "5 sao"],
            [
                [p["name"], p["products"], p["recognised"], *(p["by_star"][k] for k in ("3", "4", "5"))]
                for p in priority
            ],
        )
    )
    from ocop.targets.programme import stamp_table
    from ocop.targets.progress import stamp_coverage_by_commune

    stamps = stamp_coverage_by_commune(history, day)
    table_list.append(stamp_table(stamps, title="Sản phẩm còn hiệu lực có tem điện tử, theo xã/phường"))
    funding = grant_totals(unit, year, day=day)
    table_list.append(
        tables.Table(
            "funding",
            f"Kinh phí hỗ trợ năm {year} theo xã/phường",
            ["Xã/phường", "Số tiền (đồng)"],
            [[r["commune"], r["amount_vnd"]] for r in funding["by_commune"]],
        )
    )
    return {
        "as_of": day.isoformat(),
        "year": year,
        "stats": stats,
        "kpis": kpis,
        "priority": priority,
        "ideas": ideas,
        "inspections": year_figures(history, year, day),
        "funding": funding,
        "stamps": {k: v for k, v in stamps.items() if k != "by_commune"},
        "recognised_in_year": recognised_in_year(unit, year, day),
        "tables": [
            {"key": t.key, "title": t.title, "headers": t.headers, "rows": t.rows} for t in table_list
        ],
    }


# --- charts (PNG, Pillow) ---


def _pil_font(size: int):
    from PIL import ImageFont

    for folder in FONT_DIRS:
        path = Path(folder) / "DejaVuSans.ttf"
        if path.exists():
            return ImageFont.truetype(str(path), size)
    return ImageFont.load_default()


def bar_png(items: list[tuple[str, int]], title: str, colour: str = "#1b6b3a") -> bytes:
    """A horizontal bar chart as PNG (no matplotlib here): one bar per item, value written at its end."""
    from PIL import Image, ImageDraw

    width, bar_h, gap, left, top = 1000, 34, 14, 330, 70
    height = top + max(1, len(items)) * (bar_h + gap) + 20
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    draw.text((20, 20), title, fill="#1a1a1a", font=_pil_font(26))
    font = _pil_font(20)
    biggest = max([v for _l, v in items] + [1])
    for i, (label, value) in enumerate(items):
        y = top + i * (bar_h + gap)
        draw.text((20, y + 6), str(label)[:28], fill="#1a1a1a", font=font)
        length = int((width - left - 90) * value / biggest)
        draw.rectangle([left, y, left + max(length, 1), y + bar_h], fill=colour)
        draw.text((left + length + 8, y + 6), f"{value:,}".replace(",", "."), fill="#1a1a1a", font=font)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


# --- the report record and its generation ---


def reports_for(user: Any):
    """Reports of the provinces a user may pick on the dashboard (admins: all)."""
    from ocop.targets.selectors import stats_units_for

    reports = AnnualReport.objects.select_related("province", "job")
    if user.is_admin_role:
        return reports
    return reports.filter(province__in=stats_units_for(user).filter(level="province"))


@transaction.atomic
def report_open(*, user: Any, province: AdminUnit, year: int) -> AnnualReport:
    """The report of a province and year, created with a default heading block the first time."""
    if not province_planner(user=user, province=province):
        raise ScopeError("Chỉ cán bộ cấp tỉnh của tỉnh này lập báo cáo năm.")
    existing = AnnualReport.objects.filter(province=province, year=year).first()
    if existing is not None:
        return existing
    place = province.short_name or province.name
    report = AnnualReport(
        province=province,
        year=year,
        parent_body=f"UBND {province.name.upper()}",
        issuing_body="VĂN PHÒNG ĐIỀU PHỐI NÔNG THÔN MỚI",
        place=place,
        report_date=report_day(year) if year < timezone.localdate().year else timezone.localdate(),
    )
    report.full_clean()
    report.save()
    audit_create(user=user, instance=report)
    return report


@transaction.atomic
def report_update(*, user: Any, pk: int, data: dict[str, Any]) -> AnnualReport:
    """Save the heading block and the narrative (kept for the next generation)."""
    report = reports_for(user).select_for_update(of=("self",)).filter(pk=pk).first()
    if report is None or not province_planner(user=user, province=report.province):
        raise ScopeError("Không tìm thấy báo cáo trong phạm vi của bạn.")
    before = snapshot(report)
    for name in (*AnnualReport.HEADING_FIELDS, *AnnualReport.NARRATIVE_FIELDS):
        if name in data:
            value = data[name]
            setattr(report, name, value.strip() if isinstance(value, str) else value)
    report.full_clean()
    report.save()
    audit_update(user=user, instance=report, before=before)
    return report


def report_generate(*, user: Any, report: AnnualReport) -> Job:
    """Start building the DOCX, PDF and XLSX from the saved narrative and today's data."""
    if not province_planner(user=user, province=report.province):
        raise ScopeError("Chỉ cán bộ cấp tỉnh của tỉnh này tạo báo cáo năm.")
    with transaction.atomic():
        job = job_start(
            task=annual_report_job,
            user=user,
            title=f"Báo cáo OCOP năm {report.year} — {report.province.name}",
            params={"report_id": report.pk},
            subject=f"support.report:{report.pk}",
            link=report.get_absolute_url(),
        )
        AnnualReport.objects.filter(pk=report.pk).update(job=job)
    return job


@background_job()
def annual_report_job(job: JobContext, *, report_id: int) -> dict[str, Any]:
    from .report_documents import build_docx, build_pdf, build_xlsx

    report = AnnualReport.objects.select_related("province").get(pk=report_id)
    day = report_day(report.year)
    job.progress(10, "Tính số liệu")
    figures = report_figures(report.province, report.year, day)
    job.progress(40, "Tạo tệp DOCX")
    docx = build_docx(report, figures)
    job.progress(65, "Tạo tệp PDF")
    pdf = build_pdf(report, figures)
    job.progress(85, "Tạo phụ lục XLSX")
    xlsx = build_xlsx(figures)
    stem = f"bao-cao-ocop-{report.year}-{report.province.code}"
    job.save_file("docx", name=f"{stem}.docx", label="Tải DOCX", content=docx)
    job.save_file("pdf", name=f"{stem}.pdf", label="Tải PDF", content=pdf)
    job.save_file("xlsx", name=f"{stem}-phu-luc.xlsx", label="Tải phụ lục XLSX", content=xlsx)
    figures.pop("tables")
    return {
        "summary": f"Số liệu tính đến ngày {day:%d/%m/%Y}: "
        f"{figures['stats']['recognized_total']} sản phẩm OCOP.",
        "figures": figures,
    }
