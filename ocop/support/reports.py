"""Annual OCOP report of a province: DOCX (python-docx), PDF (reportlab) and the full XLSX annex (openpyxl).

Every figure comes from the selectors the screens use — ``targets.selectors.unit_stats`` and the
dashboard's tables (``targets.tables``) for products, stars, years, districts, targets and certificates;
``support.selectors.support_kpis`` and ``priority_figures`` for the support figures — computed once as of
31/12 of the year (or today for the current year) and stored on the job (``figures``), so the report equals
the dashboard by construction (tested).

Jobs run in the background like the import jobs: a conditional UPDATE claims a waiting job (a web-process
thread started after the request, or `ocop worker`), progress is saved as it goes and the job page
polls it with htmx. Files are stored outside the public media root and served only by the scoped view.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.db.models import F
from django.utils import timezone

from ocop.core.exports import safe_cell
from ocop.core.pdf_fonts import FONT_DIRS, fonts
from ocop.geography.models import AdminUnit
from ocop.targets import tables
from ocop.targets.charts import KIND_LABELS
from ocop.targets.selectors import history_load, unit_stats

from .models import IPKind, OutletKind, Platform, ReportJob, Standard
from .selectors import expiring_certificates, priority_figures, support_kpis

logger = logging.getLogger(__name__)
LEASE = dt.timedelta(minutes=10)
MAX_ATTEMPTS = 3


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


def report_figures(unit: AdminUnit, day: dt.date) -> dict[str, Any]:
    history = history_load(unit)
    stats = unit_stats(unit, day, history=history)
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
    kpis = support_kpis(unit, day)
    priority = priority_figures(history, day)
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
                [
                    p["name"],
                    p["products"],
                    p["recognised"],
                    p["by_star"]["3"],
                    p["by_star"]["4"],
                    p["by_star"]["5"],
                ]
                for p in priority
            ],
        )
    )
    return {
        "stats": stats,
        "kpis": kpis,
        "priority": priority,
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


def _charts(figures: dict[str, Any]) -> list[bytes]:
    stats = figures["stats"]
    charts = [
        bar_png(
            [(f"{k} sao", n) for k, n in stats["by_star"].items()], "Sản phẩm OCOP theo hạng sao", "#c98a00"
        ),
        bar_png(
            [(year, kinds["new"]) for year, kinds in stats["by_year"].items()],
            f"{KIND_LABELS['new']} theo năm",
        ),
    ]
    district = next((t for t in figures["tables"] if t["key"] == "districts"), None)
    if district and district["rows"]:
        charts.append(
            bar_png([(r[0], r[1]) for r in district["rows"]], "Sản phẩm OCOP theo huyện", "#2a5d9f")
        )
    return charts


# --- documents ---


def _heading(unit_name: str, year: int, day: dt.date) -> tuple[str, str]:
    return (
        f"BÁO CÁO KẾT QUẢ THỰC HIỆN CHƯƠNG TRÌNH OCOP NĂM {year}",
        f"{unit_name} · số liệu tính đến ngày {day:%d/%m/%Y}",
    )


def _text(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}".replace(",", ".")
    return str(value)


def build_docx(figures: dict[str, Any], *, unit_name: str, year: int, day: dt.date) -> bytes:
    from docx import Document
    from docx.shared import Cm

    document = Document()
    title, subtitle = _heading(unit_name, year, day)
    document.add_heading(title, level=0)
    document.add_paragraph(subtitle)
    charts = _charts(figures)
    for index, table in enumerate(figures["tables"], start=1):
        document.add_heading(f"{index}. {table['title']}", level=1)
        grid = document.add_table(rows=1, cols=len(table["headers"]))
        grid.style = "Table Grid"
        for cell, header in zip(grid.rows[0].cells, table["headers"], strict=True):
            cell.text = str(header)
        for row in table["rows"]:
            cells = grid.add_row().cells
            for cell, value in zip(cells, row, strict=False):
                cell.text = _text(value)
        if not table["rows"]:
            document.add_paragraph("Chưa có số liệu.")
        if table["key"] == "stars" and charts:
            document.add_picture(io.BytesIO(charts[0]), width=Cm(15))
        if table["key"] == "years" and len(charts) > 1:
            document.add_picture(io.BytesIO(charts[1]), width=Cm(15))
        if table["key"] == "districts" and len(charts) > 2:
            document.add_picture(io.BytesIO(charts[2]), width=Cm(15))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def build_pdf(figures: dict[str, Any], *, unit_name: str, year: int, day: dt.date) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    regular, bold = fonts()
    body = ParagraphStyle("body", fontName=regular, fontSize=9, leading=11)
    h1 = ParagraphStyle("h1", fontName=bold, fontSize=15, leading=19, spaceAfter=4)
    h2 = ParagraphStyle("h2", fontName=bold, fontSize=11.5, leading=15, spaceBefore=8, spaceAfter=4)
    buffer = io.BytesIO()
    title, subtitle = _heading(unit_name, year, day)
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=title,
        author="Hệ thống quản lý OCOP",
    )
    story: list = [Paragraph(title, h1), Paragraph(subtitle, body), Spacer(1, 4 * mm)]
    charts = _charts(figures)
    chart_after = {"stars": 0, "years": 1, "districts": 2}
    for index, table in enumerate(figures["tables"], start=1):
        story.append(Paragraph(f"{index}. {table['title']}", h2))
        data = [[Paragraph(str(h), body) for h in table["headers"]]]
        data += [[Paragraph(_text(v), body) for v in row] for row in table["rows"]]
        if len(data) == 1:
            data.append([Paragraph("Chưa có số liệu.", body)] + [""] * (len(table["headers"]) - 1))
        grid = Table(data, repeatRows=1, hAlign="LEFT")
        grid.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8f1ea")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story.append(grid)
        chart = chart_after.get(table["key"])
        if chart is not None and chart < len(charts):
            png = charts[chart]
            from PIL import Image as PILImage

            w, h = PILImage.open(io.BytesIO(png)).size
            story += [Spacer(1, 3 * mm), Image(io.BytesIO(png), width=150 * mm, height=150 * mm * h / w)]
    doc.build(story)
    return buffer.getvalue()


def build_xlsx(figures: dict[str, Any]) -> bytes:
    import re

    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for index, table in enumerate(figures["tables"], start=1):
        name = re.sub(r"[\[\]:*?/\\]", "-", f"{index}. {table['title']}")[:31]
        while name in used:
            name = name[:28] + f"~{index}"
        used.add(name)
        sheet = workbook.create_sheet(title=name)
        sheet.append([safe_cell(h) for h in table["headers"]])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table["rows"]:
            sheet.append([safe_cell(v) for v in row])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
        sheet.column_dimensions["A"].width = 48
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- jobs ---


def job_create(*, user, province: AdminUnit, year: int) -> ReportJob:
    return ReportJob.objects.create(user=user, province=province, year=year)


def _progress(job: ReportJob, percent: int, stage: str) -> None:
    ReportJob.objects.filter(pk=job.pk).update(progress=percent, stage=stage[:120], updated_at=timezone.now())


def job_claim(*, pk: int | None = None) -> ReportJob | None:
    """Take one waiting job atomically (queued → running); a job whose runner died past the lease is retried
    up to MAX_ATTEMPTS claims, then marked failed."""
    now = timezone.now()
    stale = ReportJob.objects.filter(status=ReportJob.Status.RUNNING, updated_at__lt=now - LEASE)
    stale.filter(attempts__gte=MAX_ATTEMPTS).update(
        status=ReportJob.Status.FAILED, error="Tạo báo cáo dừng giữa chừng nhiều lần; hãy thử lại."
    )
    stale.update(status=ReportJob.Status.QUEUED)
    waiting = ReportJob.objects.filter(status=ReportJob.Status.QUEUED)
    if pk is not None:
        waiting = waiting.filter(pk=pk)
    for job_id in waiting.order_by("created_at", "id").values_list("id", flat=True)[:20]:
        claimed = ReportJob.objects.filter(pk=job_id, status=ReportJob.Status.QUEUED).update(
            status=ReportJob.Status.RUNNING,
            claimed_at=now,
            updated_at=now,
            progress=1,
            attempts=F("attempts") + 1,
        )
        if claimed:
            return ReportJob.objects.get(pk=job_id)
    return None


def job_run(job: ReportJob) -> ReportJob:
    try:
        day = report_day(job.year)
        name = job.province.name
        _progress(job, 10, "Tính số liệu")
        figures = report_figures(job.province, day)
        _progress(job, 40, "Tạo tệp DOCX")
        docx = build_docx(figures, unit_name=name, year=job.year, day=day)
        _progress(job, 65, "Tạo tệp PDF")
        pdf = build_pdf(figures, unit_name=name, year=job.year, day=day)
        _progress(job, 85, "Tạo phụ lục XLSX")
        xlsx = build_xlsx(figures)
        stem = f"bao-cao-{job.year}-{job.province.code}-{job.pk}"
        job.refresh_from_db()
        job.docx.save(f"{stem}.docx", ContentFile(docx), save=False)
        job.pdf.save(f"{stem}.pdf", ContentFile(pdf), save=False)
        job.xlsx.save(f"{stem}.xlsx", ContentFile(xlsx), save=False)
        job.figures = {
            "as_of": day.isoformat(),
            "stats": figures["stats"],
            "kpis": figures["kpis"],
            "priority": figures["priority"],
        }
        job.status = ReportJob.Status.DONE
    except Exception as exc:  # the job page shows the failure; the log keeps the trace
        logger.exception("report job %s failed", job.pk)
        job.status = ReportJob.Status.FAILED
        job.error = f"Không tạo được báo cáo: {exc.__class__.__name__}."
    job.progress = 100
    job.stage = ""
    job.finished_at = timezone.now()
    job.save()
    return job


def job_run_next(*, pk: int | None = None) -> ReportJob | None:
    job = job_claim(pk=pk)
    return job_run(job) if job is not None else None


def run_in_background(job_id: int) -> None:
    """Build the report in a thread after the request's transaction commits (see core.jobs)."""
    from ocop.core.jobs import run_after_commit

    run_after_commit(job_run_next, job_id, "report")
