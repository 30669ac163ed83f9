"""Administrative documents (Decree 30/2020/NĐ-CP layout) as PDF and DOCX from one description.

The issuing body and the national motto side by side, the number and place/date, a title, the body
(paragraphs and tables), recipients and signature blocks. One ``OfficialDocument`` feeds both renderers, so
the PDF and the DOCX of a decision, minutes, score sheet or letter say the same thing."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.http import HttpResponse

MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")


@dataclass
class Para:
    text: str
    bold: bool = False
    italic: bool = False
    center: bool = False


@dataclass
class Grid:
    headers: list[str]
    rows: list[list[str]]
    widths_mm: list[float]


@dataclass
class Signature:
    title: str  # lines separated by "\n", e.g. "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH"
    name: str = ""
    note: str = ""  # under the title, e.g. "(Ký, ghi rõ họ tên)"


@dataclass
class OfficialDocument:
    heading: list[str]  # issuing body, top left (one or two lines)
    number: str  # printed "Số: …" ("" → no number line)
    place: str
    date: dt.date
    title: str  # "QUYẾT ĐỊNH", "BIÊN BẢN", … ("" for a letter)
    subtitle: str  # under the title; for a letter the "V/v …" line under its number
    body: list[Para | Grid]
    signatures: list[Signature]
    recipients: list[str] = field(default_factory=list)
    filename_stem: str = "van-ban"

    @property
    def date_line(self) -> str:
        d = self.date
        return f"{self.place}, ngày {d:%d} tháng {d:%m} năm {d:%Y}"

    @property
    def text(self) -> str:
        """Everything the document says, as plain lines (for previews and tests)."""
        lines = [*self.heading, self.number, self.date_line, self.title, self.subtitle]
        for block in self.body:
            if isinstance(block, Para):
                lines.append(block.text)
            else:
                lines.append(" | ".join(block.headers))
                lines += [" | ".join(row) for row in block.rows]
        for signature in self.signatures:
            lines += [signature.title, signature.note, signature.name]
        lines += self.recipients
        return "\n".join(line for line in lines if line)


def render_pdf(doc: OfficialDocument) -> bytes:
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from ocop.core.pdf_fonts import fonts

    regular, bold = fonts()
    normal = ParagraphStyle("n", fontName=regular, fontSize=10.5, leading=14, spaceAfter=3)
    center = ParagraphStyle("c", parent=normal, alignment=1)
    center_bold = ParagraphStyle("cb", parent=center, fontName=bold)
    title = ParagraphStyle("t", parent=center_bold, fontSize=14, leading=18)
    cell = ParagraphStyle("cell", parent=normal, fontSize=9, leading=11, spaceAfter=0)
    buffer = io.BytesIO()
    pdf = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=25 * mm, rightMargin=18 * mm, topMargin=18 * mm, bottomMargin=18 * mm
    )
    pdf.title = f"{doc.title or 'Công văn'} {doc.number}".strip()
    left = [Paragraph(escape(line), center_bold) for line in doc.heading]
    if doc.number:
        left.append(Paragraph(f"Số: {escape(doc.number)}", center))
    if doc.subtitle and not doc.title:
        left.append(Paragraph(f"<i>{escape(doc.subtitle)}</i>", center))
    right = [
        Paragraph(MOTTO[0], center_bold),
        Paragraph(f"<u>{MOTTO[1]}</u>", center_bold),
        Paragraph(f"<i>{escape(doc.date_line)}</i>", center),
    ]
    head = Table([[left, right]], colWidths=[72 * mm, 95 * mm])
    head.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story: list = [head, Spacer(1, 6 * mm)]
    if doc.title:
        story.append(Paragraph(escape(doc.title), title))
        if doc.subtitle:
            story.append(Paragraph(escape(doc.subtitle), center_bold))
        story.append(Spacer(1, 3 * mm))
    for block in doc.body:
        if isinstance(block, Para):
            text = escape(block.text)
            if block.bold:
                text = f"<b>{text}</b>"
            if block.italic:
                text = f"<i>{text}</i>"
            story.append(Paragraph(text, center if block.center else normal))
            continue
        rows = [[Paragraph(f"<b>{escape(h)}</b>", cell) for h in block.headers]]
        rows += [[Paragraph(escape(str(v)), cell) for v in row] for row in block.rows]
        table = Table(rows, colWidths=[w * mm for w in block.widths_mm], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6efe9")),
                ]
            )
        )
        story += [Spacer(1, 2 * mm), table, Spacer(1, 3 * mm)]
    signs = []
    for signature in doc.signatures:
        block = [Paragraph(f"<b>{escape(line)}</b>", center) for line in signature.title.split("\n")]
        if signature.note:
            block.append(Paragraph(f"<i>{escape(signature.note)}</i>", center))
        block += [Spacer(1, 16 * mm), Paragraph(f"<b>{escape(signature.name)}</b>", center)]
        signs.append(block)
    if doc.recipients:
        recipients = [Paragraph("<b><i>Nơi nhận:</i></b>", cell)]
        recipients += [Paragraph(f"- {escape(r)}", cell) for r in doc.recipients]
        footer_cells = [recipients, *signs]
    else:
        footer_cells = signs if len(signs) > 1 else [[], *signs]
    width = 167 / max(len(footer_cells), 1)
    footer = Table([footer_cells], colWidths=[width * mm] * len(footer_cells))
    footer.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story += [Spacer(1, 6 * mm), footer]
    pdf.build(story)
    return buffer.getvalue()


def render_docx(doc: OfficialDocument) -> bytes:
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(30), Mm(20)
    section.top_margin = section.bottom_margin = Mm(20)
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    document.core_properties.title = f"{doc.title or 'Công văn'} {doc.number}".strip()

    def paragraph(cell_or_doc, text: str, *, bold=False, italic=False, center=False, size=None):
        p = cell_or_doc.add_paragraph()
        run = p.add_run(text)
        run.bold, run.italic = bold, italic
        if size:
            run.font.size = Pt(size)
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        return p

    head = document.add_table(rows=1, cols=2)
    left, right = head.rows[0].cells
    left.width, right.width = Mm(65), Mm(95)
    left.paragraphs[0].text = ""
    for line in doc.heading:
        paragraph(left, line, bold=True, center=True, size=12)
    if doc.number:
        paragraph(left, f"Số: {doc.number}", center=True)
    if doc.subtitle and not doc.title:
        paragraph(left, doc.subtitle, italic=True, center=True, size=12)
    paragraph(right, MOTTO[0], bold=True, center=True, size=12)
    paragraph(right, MOTTO[1], bold=True, center=True)
    paragraph(right, doc.date_line, italic=True, center=True)
    if doc.title:
        paragraph(document, doc.title, bold=True, center=True, size=14)
        if doc.subtitle:
            paragraph(document, doc.subtitle, bold=True, center=True)
    for block in doc.body:
        if isinstance(block, Para):
            paragraph(document, block.text, bold=block.bold, italic=block.italic, center=block.center)
            continue
        table = document.add_table(rows=1, cols=len(block.headers))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, header in zip(table.rows[0].cells, block.headers, strict=True):
            cell.text = ""
            cell.paragraphs[0].add_run(header).bold = True
        for row in block.rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, row, strict=True):
                cell.text = str(value)
        for column, width in zip(table.columns, block.widths_mm, strict=True):
            for cell in column.cells:
                cell.width = Mm(width)
    columns = (1 if doc.recipients else 0) + len(doc.signatures)
    columns = max(columns, 2)
    foot = document.add_table(rows=1, cols=columns)
    cells = list(foot.rows[0].cells)
    if doc.recipients:
        first = cells.pop(0)
        paragraph(first, "Nơi nhận:", bold=True, italic=True, size=11)
        for recipient in doc.recipients:
            paragraph(first, f"- {recipient}", size=10)
    elif len(doc.signatures) < 2:
        cells.pop(0)
    for cell, signature in zip(cells, doc.signatures, strict=False):
        for line in signature.title.split("\n"):
            paragraph(cell, line, bold=True, center=True)
        if signature.note:
            paragraph(cell, signature.note, italic=True, center=True, size=11)
        for _ in range(3):
            paragraph(cell, "")
        paragraph(cell, signature.name, bold=True, center=True)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


DOCUMENT_TYPES = {
    "pdf": ("application/pdf", render_pdf),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", render_docx),
}


def document_response(doc: OfficialDocument, fmt: str) -> HttpResponse:
    """The document rendered as ``fmt`` (pdf or docx) for download."""
    from django.http import Http404, HttpResponse

    if fmt not in DOCUMENT_TYPES:
        raise Http404
    content_type, render = DOCUMENT_TYPES[fmt]
    response = HttpResponse(render(doc), content_type=content_type)
    disposition = "inline" if fmt == "pdf" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{doc.filename_stem}.{fmt}"'
    return response
