"""Official decisions (quyết định) as PDF and DOCX, in the layout of administrative documents
(Decree 30/2020/NĐ-CP): issuing body and national motto side by side, number and place/date, title,
legal grounds, articles, the table of products, recipients and the signature block.

One `DecisionDocument` feeds both renderers, so the PDF and the DOCX of a decision say the same thing."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
LOCAL_GOVERNMENT_LAW = "Căn cứ Luật Tổ chức chính quyền địa phương;"
DECISION_148 = (
    "Căn cứ Quyết định số 148/QĐ-TTg ngày 24/02/2023 của Thủ tướng Chính phủ ban hành Bộ tiêu chí và quy "
    "trình đánh giá, phân hạng sản phẩm Chương trình mỗi xã một sản phẩm (được sửa đổi bởi Quyết định số "
    "1489/QĐ-TTg ngày 06/07/2025);"
)
ENFORCEMENT_ARTICLE = (
    "Điều 3. Quyết định có hiệu lực kể từ ngày ký. Chánh Văn phòng, Thủ trưởng các cơ quan, đơn vị và các "
    "chủ thể có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này."
)


@dataclass
class DecisionDocument:
    issuer: str  # e.g. "ỦY BAN NHÂN DÂN TỈNH THÁI NGUYÊN"
    place: str  # e.g. "Thái Nguyên"
    number: str
    date: dt.date
    subtitle: str
    grounds: list[str]
    articles: list[str]  # "Điều 1. …" first; the table follows Điều 1
    headers: list[str]
    rows: list[list[str]]
    widths_mm: list[float]
    signer: str = ""
    signer_title: str = "CHỦ TỊCH"
    recipients: list[str] = field(default_factory=lambda: ["Như Điều 3;", "Lưu: VT."])

    @property
    def date_line(self) -> str:
        d = self.date
        return f"{self.place}, ngày {d:%d} tháng {d:%m} năm {d:%Y}"

    @property
    def filename_stem(self) -> str:
        return f"quyet-dinh-{self.date:%Y%m%d}"


def render_pdf(doc: DecisionDocument) -> bytes:
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
    pdf.title = f"Quyết định {doc.number}"
    head = Table(
        [
            [Paragraph(escape(doc.issuer), center_bold), Paragraph(MOTTO[0], center_bold)],
            [Paragraph(f"Số: {escape(doc.number)}", center), Paragraph(f"<u>{MOTTO[1]}</u>", center_bold)],
            ["", Paragraph(f"<i>{escape(doc.date_line)}</i>", center)],
        ],
        colWidths=[70 * mm, 97 * mm],
    )
    head.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story = [
        head,
        Spacer(1, 6 * mm),
        Paragraph("QUYẾT ĐỊNH", title),
        Paragraph(escape(doc.subtitle), center_bold),
        Spacer(1, 3 * mm),
        Paragraph(escape(f"CHỦ TỊCH {doc.issuer}"), center_bold),
        *[Paragraph(f"<i>{escape(g)}</i>", normal) for g in doc.grounds],
        Paragraph("QUYẾT ĐỊNH:", center_bold),
    ]
    rows = [[Paragraph(f"<b>{escape(h)}</b>", cell) for h in doc.headers]]
    rows += [[Paragraph(escape(str(v)), cell) for v in row] for row in doc.rows]
    table = Table(rows, colWidths=[w * mm for w in doc.widths_mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6efe9")),
            ]
        )
    )
    for index, article in enumerate(doc.articles):
        story.append(Paragraph(escape(article), normal))
        if index == 0:
            story += [Spacer(1, 2 * mm), table, Spacer(1, 3 * mm)]
    sign = [
        Paragraph(f"<b>{escape(doc.signer_title)}</b>", center),
        Spacer(1, 18 * mm),
        Paragraph(f"<b>{escape(doc.signer)}</b>", center),
    ]
    recipients = [Paragraph("<b><i>Nơi nhận:</i></b>", cell)]
    recipients += [Paragraph(f"- {escape(r)}", cell) for r in doc.recipients]
    footer = Table([[recipients, sign]], colWidths=[80 * mm, 87 * mm])
    footer.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story += [Spacer(1, 6 * mm), footer]
    pdf.build(story)
    return buffer.getvalue()


def render_docx(doc: DecisionDocument) -> bytes:
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
    document.core_properties.title = f"Quyết định {doc.number}"

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
    paragraph(left, doc.issuer, bold=True, center=True, size=12)
    paragraph(left, f"Số: {doc.number}", center=True)
    paragraph(right, MOTTO[0], bold=True, center=True, size=12)
    paragraph(right, MOTTO[1], bold=True, center=True)
    paragraph(right, doc.date_line, italic=True, center=True)
    paragraph(document, "QUYẾT ĐỊNH", bold=True, center=True, size=14)
    paragraph(document, doc.subtitle, bold=True, center=True)
    paragraph(document, f"CHỦ TỊCH {doc.issuer}", bold=True, center=True)
    for ground in doc.grounds:
        paragraph(document, ground, italic=True)
    paragraph(document, "QUYẾT ĐỊNH:", bold=True, center=True)
    for index, article in enumerate(doc.articles):
        paragraph(document, article)
        if index == 0:
            table = document.add_table(rows=1, cols=len(doc.headers))
            table.style = "Table Grid"
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            for cell, header in zip(table.rows[0].cells, doc.headers, strict=True):
                cell.text = ""
                cell.paragraphs[0].add_run(header).bold = True
            for row in doc.rows:
                cells = table.add_row().cells
                for cell, value in zip(cells, row, strict=True):
                    cell.text = str(value)
            for column, width in zip(table.columns, doc.widths_mm, strict=True):
                for cell in column.cells:
                    cell.width = Mm(width)
    foot = document.add_table(rows=1, cols=2)
    left, right = foot.rows[0].cells
    paragraph(left, "Nơi nhận:", bold=True, italic=True, size=11)
    for recipient in doc.recipients:
        paragraph(left, f"- {recipient}", size=10)
    paragraph(right, doc.signer_title, bold=True, center=True)
    for _ in range(3):
        paragraph(right, "")
    paragraph(right, doc.signer, bold=True, center=True)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def issuer_of(commune, day: dt.date) -> tuple[str, str]:
    """(issuing body, place name) for a decision about a product of this commune on this day: the
    province in force that day (a legacy commune's successor province after the 2025 reform)."""
    from ocop.geography.models import Generation
    from ocop.geography.resolver import REFORM_DATE

    unit = commune
    if day >= REFORM_DATE and unit.generation == Generation.LEGACY and unit.successor_id:
        unit = unit.successor
    province = unit.province if unit.province_id else unit
    name = province.name
    for word in ("Tỉnh ", "Thành phố "):
        if name.startswith(word):
            name = name[len(word) :]
    body = "ỦY BAN NHÂN DÂN THÀNH PHỐ" if province.name.startswith("Thành phố") else "ỦY BAN NHÂN DÂN TỈNH"
    return f"{body} {name.upper()}", name


DOCUMENT_TYPES = {
    "pdf": ("application/pdf", render_pdf),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", render_docx),
}


def document_response(doc: DecisionDocument, fmt: str):
    """The decision rendered as ``fmt`` (pdf or docx) for download."""
    from django.http import Http404, HttpResponse

    if fmt not in DOCUMENT_TYPES:
        raise Http404
    content_type, render = DOCUMENT_TYPES[fmt]
    response = HttpResponse(render(doc), content_type=content_type)
    disposition = "inline" if fmt == "pdf" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{doc.filename_stem}.{fmt}"'
    return response


def revocation_decision(events) -> DecisionDocument:
    """Quyết định thu hồi Giấy chứng nhận sản phẩm OCOP: the products one revocation decision names."""
    first = events[0]
    issuer, place = issuer_of(first.product.commune, first.decision_date)
    rows = [
        [str(index), e.product.name, e.product.entity.name, e.product.commune.name, e.reason]
        for index, e in enumerate(events, start=1)
    ]
    return DecisionDocument(
        issuer=issuer,
        place=place,
        number=first.decision_number,
        date=first.decision_date,
        subtitle="Về việc thu hồi Giấy chứng nhận sản phẩm OCOP",
        grounds=[
            LOCAL_GOVERNMENT_LAW,
            DECISION_148,
            "Xét đề nghị của cơ quan thường trực Chương trình OCOP tỉnh.",
        ],
        articles=[
            f"Điều 1. Thu hồi Giấy chứng nhận và quyết định công nhận sản phẩm OCOP đối với {len(rows)} sản "
            "phẩm sau:",
            "Điều 2. Các chủ thể có tên tại Điều 1 không được sử dụng biểu trưng và Giấy chứng nhận OCOP "
            "đối với các sản phẩm bị thu hồi kể từ ngày Quyết định có hiệu lực.",
            ENFORCEMENT_ARTICLE,
        ],
        headers=["STT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "Lý do thu hồi"],
        rows=rows,
        widths_mm=[11, 40, 38, 30, 48],
        signer=first.signer,
    )
