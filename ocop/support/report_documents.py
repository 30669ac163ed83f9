"""The annual report as documents, in the official layout: DOCX (python-docx), PDF (reportlab), and the
detail tables as an XLSX annex (openpyxl).

Layout (as provincial reports are written): the heading block — issuing body and number on the left,
"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM / Độc lập - Tự do - Hạnh phúc" and "place, ngày … tháng … năm …" on the
right —, the title, parts I–IV (part II: the sentences of report_text.result_lines, a chart where one
helps, then the officers' comment), the recipients and the signature, Annex I (products recognised in the
year) and Annex II (the detail tables)."""

from __future__ import annotations

import io
import re
from typing import Any

from ocop.core.exports import safe_cell
from ocop.core.pdf_fonts import fonts

from .models import AnnualReport
from .report_text import SECTIONS, _n, result_lines
from .reports import bar_png

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
ANNEX_HEADERS = ["TT", "Tên sản phẩm", "Chủ thể", "Xã/phường", "Hạng sao", "Hình thức", "Quyết định"]


def _date_line(report: AnnualReport) -> str:
    day = report.report_date
    return f"{report.place}, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def _title(report: AnnualReport) -> tuple[str, str]:
    return "BÁO CÁO", f"Kết quả thực hiện Chương trình Mỗi xã một sản phẩm (OCOP) năm {report.year}"


def _parts(
    report: AnnualReport, figures: dict[str, Any]
) -> list[tuple[str, list[tuple[str, list[str], str]]]]:
    """(part heading, [(section heading, sentences, comment)]) of parts I–IV, in order."""
    lines = result_lines(figures)
    results = [
        (f"{index}. {heading}", lines[key], getattr(report, comment))
        for index, (key, heading, comment) in enumerate(SECTIONS, start=1)
    ]
    return [
        ("I. CÔNG TÁC CHỈ ĐẠO, TỔ CHỨC THỰC HIỆN", [("", [], report.direction)]),
        ("II. KẾT QUẢ THỰC HIỆN", results),
        (
            "III. ĐÁNH GIÁ CHUNG",
            [
                ("1. Kết quả đạt được", [], report.achievements),
                ("2. Tồn tại, hạn chế", [], report.shortcomings),
                ("3. Nguyên nhân", [], report.causes),
            ],
        ),
        (f"IV. NHIỆM VỤ, GIẢI PHÁP NĂM {report.year + 1}", [("", [], report.next_year_tasks)]),
    ]


def _annex_rows(figures: dict[str, Any]) -> list[list[Any]]:
    return [
        [i, r["product"], r["entity"], r["commune"], r["stars"], r["kind"], r["decision"]]
        for i, r in enumerate(figures["recognised_in_year"], start=1)
    ]


def _charts(figures: dict[str, Any]) -> dict[str, bytes]:
    """Charts printed in part II, by section."""
    stats = figures["stats"]
    return {
        "evaluation": bar_png(
            [(f"{k} sao", n) for k, n in stats["by_star"].items()], "Sản phẩm OCOP theo hạng sao", "#c98a00"
        ),
        "ideas": bar_png(
            [(year, row["registered"]) for year, row in figures["ideas"].items()], "Ý tưởng sản phẩm theo năm"
        ),
    }


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


# --- DOCX ---


def build_docx(report: AnnualReport, figures: dict[str, Any]) -> bytes:
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    center = WD_ALIGN_PARAGRAPH.CENTER

    heading = document.add_table(rows=1, cols=2)
    heading.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = heading.rows[0].cells
    left.paragraphs[0].text = report.parent_body
    body = left.add_paragraph()
    body.add_run(report.issuing_body).bold = True
    left.add_paragraph(f"Số: {report.number or '…'}")
    right.paragraphs[0].add_run(NATION).bold = True
    motto = right.add_paragraph()
    run = motto.add_run(MOTTO)
    run.bold = run.underline = True
    place = right.add_paragraph()
    place.add_run(_date_line(report)).italic = True
    for cell in (left, right):
        for paragraph in cell.paragraphs:
            paragraph.alignment = center

    title, subtitle = _title(report)
    for text, bold in ((title, True), (subtitle, True)):
        paragraph = document.add_paragraph()
        paragraph.alignment = center
        paragraph.add_run(text).bold = bold

    charts = _charts(figures)
    for part, sections in _parts(report, figures):
        document.add_heading(part, level=1)
        key_of = {f"{i}. {h}": k for i, (k, h, _c) in enumerate(SECTIONS, start=1)}
        for section, sentences, comment in sections:
            if section:
                document.add_heading(section, level=2)
            for sentence in sentences:
                document.add_paragraph(sentence)
            chart = charts.get(key_of.get(section, ""))
            if chart:
                document.add_picture(io.BytesIO(chart), width=Cm(14))
            for text in _paragraphs(comment):
                document.add_paragraph(text)
            if not sentences and not _paragraphs(comment):
                document.add_paragraph("(Chưa nhập nội dung.)")

    closing = document.add_table(rows=1, cols=2)
    left, right = closing.rows[0].cells
    left.paragraphs[0].add_run("Nơi nhận:").bold = True
    for line in _paragraphs(report.recipients):
        left.add_paragraph(line)
    right.paragraphs[0].add_run(report.signer_title.upper() or "THỦ TRƯỞNG CƠ QUAN").bold = True
    right.add_paragraph("")
    right.add_paragraph("").add_run(report.signer_name).bold = True
    for paragraph in right.paragraphs:
        paragraph.alignment = center

    document.add_page_break()
    document.add_heading(f"Phụ lục I. Danh sách sản phẩm OCOP được công nhận năm {report.year}", level=1)
    _docx_table(document, ANNEX_HEADERS, _annex_rows(figures))
    document.add_heading("Phụ lục II. Số liệu chi tiết", level=1)
    for index, table in enumerate(figures["tables"], start=1):
        document.add_heading(f"{index}. {table['title']}", level=2)
        _docx_table(document, table["headers"], table["rows"])
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _docx_table(document, headers: list[str], rows: list[list[Any]]) -> None:
    if not rows:
        document.add_paragraph("Chưa có số liệu.")
        return
    grid = document.add_table(rows=1, cols=len(headers))
    grid.style = "Table Grid"
    for cell, header in zip(grid.rows[0].cells, headers, strict=True):
        cell.text = str(header)
    for row in rows:
        for cell, value in zip(grid.add_row().cells, row, strict=False):
            cell.text = _n(value)


# --- PDF ---


def build_pdf(report: AnnualReport, figures: dict[str, Any]) -> bytes:
    from xml.sax.saxutils import escape

    from PIL import Image as PILImage
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Image, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    regular, bold = fonts()
    body = ParagraphStyle("body", fontName=regular, fontSize=11, leading=15, spaceAfter=4)
    small = ParagraphStyle("small", fontName=regular, fontSize=8.5, leading=10.5)
    centred = ParagraphStyle("centred", parent=body, alignment=TA_CENTER, spaceAfter=0)
    centred_bold = ParagraphStyle("centred_bold", parent=centred, fontName=bold)
    h1 = ParagraphStyle("h1", fontName=bold, fontSize=12.5, leading=16, spaceBefore=10, spaceAfter=4)
    h2 = ParagraphStyle("h2", fontName=bold, fontSize=11.5, leading=15, spaceBefore=6, spaceAfter=3)
    buffer = io.BytesIO()
    title, subtitle = _title(report)
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=25 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=f"{title} {subtitle}",
        author=report.issuing_body,
    )
    left = [
        Paragraph(escape(report.parent_body), centred),
        Paragraph(escape(report.issuing_body), centred_bold),
        Paragraph(f"Số: {escape(report.number or '…')}", centred),
    ]
    right = [
        Paragraph(NATION, centred_bold),
        Paragraph(f"<u>{MOTTO}</u>", centred_bold),
        Paragraph(f"<i>{escape(_date_line(report))}</i>", centred),
    ]
    story: list = [Table([[left, right]], colWidths=[70 * mm, 97 * mm]), Spacer(1, 6 * mm)]
    story += [Paragraph(title, centred_bold), Paragraph(escape(subtitle), centred_bold), Spacer(1, 4 * mm)]
    charts = _charts(figures)
    key_of = {f"{i}. {h}": k for i, (k, h, _c) in enumerate(SECTIONS, start=1)}
    for part, sections in _parts(report, figures):
        story.append(Paragraph(escape(part), h1))
        for section, sentences, comment in sections:
            if section:
                story.append(Paragraph(escape(section), h2))
            story += [Paragraph(escape(sentence), body) for sentence in sentences]
            chart = charts.get(key_of.get(section, ""))
            if chart:
                width, height = PILImage.open(io.BytesIO(chart)).size
                story.append(Image(io.BytesIO(chart), width=130 * mm, height=130 * mm * height / width))
            story += [Paragraph(escape(text), body) for text in _paragraphs(comment)]
            if not sentences and not _paragraphs(comment):
                story.append(Paragraph("(Chưa nhập nội dung.)", body))
    recipients = [Paragraph("<b>Nơi nhận:</b>", small)]
    recipients += [Paragraph(escape(text), small) for text in _paragraphs(report.recipients)]
    signature = [
        Paragraph(escape(report.signer_title.upper() or "THỦ TRƯỞNG CƠ QUAN"), centred_bold),
        Spacer(1, 18 * mm),
        Paragraph(escape(report.signer_name), centred_bold),
    ]
    story += [Spacer(1, 6 * mm), Table([[recipients, signature]], colWidths=[80 * mm, 87 * mm])]

    def grid(headers: list[str], rows: list[list[Any]]) -> Any:
        data = [[Paragraph(escape(str(h)), small) for h in headers]]
        data += [[Paragraph(escape(_n(v)), small) for v in row] for row in rows]
        if len(data) == 1:
            data.append([Paragraph("Chưa có số liệu.", small)] + [""] * (len(headers) - 1))
        table = Table(data, repeatRows=1, hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8f1ea")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        return table

    story += [
        PageBreak(),
        Paragraph(f"Phụ lục I. Danh sách sản phẩm OCOP được công nhận năm {report.year}", h1),
    ]
    story.append(grid(ANNEX_HEADERS, _annex_rows(figures)))
    story.append(Paragraph("Phụ lục II. Số liệu chi tiết", h1))
    for index, table in enumerate(figures["tables"], start=1):
        story += [Paragraph(escape(f"{index}. {table['title']}"), h2), grid(table["headers"], table["rows"])]
    doc.build(story)
    return buffer.getvalue()


# --- XLSX annex ---


def build_xlsx(figures: dict[str, Any]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    sheets = [
        {"title": "Sản phẩm công nhận trong năm", "headers": ANNEX_HEADERS, "rows": _annex_rows(figures)},
        *figures["tables"],
    ]
    for index, table in enumerate(sheets, start=1):
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
