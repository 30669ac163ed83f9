"""Certificate (giấy chứng nhận) PDF with a QR code to the product's public page.

Vietnamese needs a font with its glyphs: DejaVu Sans from Debian's fonts-dejavu-core when installed,
else (or on another system) reportlab's bundled Vera-based fonts, which lack some Vietnamese letters —
the PDF is still produced, and the missing font is reported once in the log."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import segno
from django.urls import NoReverseMatch, reverse
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

logger = logging.getLogger(__name__)

FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu")]
_fonts: tuple[str, str] | None = None


def fonts() -> tuple[str, str]:
    """(regular, bold) font names registered with reportlab."""
    global _fonts
    if _fonts is not None:
        return _fonts
    for folder in FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.exists() and bold.exists():
            pdfmetrics.registerFont(TTFont("OcopSans", str(regular)))
            pdfmetrics.registerFont(TTFont("OcopSans-Bold", str(bold)))
            _fonts = ("OcopSans", "OcopSans-Bold")
            return _fonts
    import reportlab

    vera = Path(reportlab.__file__).parent / "fonts"
    try:
        pdfmetrics.registerFont(TTFont("OcopSans", str(vera / "Vera.ttf")))
        pdfmetrics.registerFont(TTFont("OcopSans-Bold", str(vera / "VeraBd.ttf")))
        _fonts = ("OcopSans", "OcopSans-Bold")
    except Exception:  # pragma: no cover - reportlab always ships Vera
        _fonts = ("Helvetica", "Helvetica-Bold")
    logger.warning(
        "Không tìm thấy phông DejaVu Sans (gói fonts-dejavu-core): chữ tiếng Việt có thể thiếu dấu."
    )
    return _fonts


def public_product_path(product) -> str:
    """The product's public page; the portal's page when it exists, else the officers' product page."""
    for name in ("portal:product", "portal:product_detail", "portal:product-detail"):
        try:
            return reverse(name, args=[product.pk])
        except NoReverseMatch:
            continue
    return product.get_absolute_url()


def certificate_pdf(*, evaluation, base_url: str) -> bytes:
    product = evaluation.dossier.product
    event = evaluation.event
    certificate = getattr(event, "certificate", None) if event else None
    regular, bold = fonts()
    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    pdf.setTitle(f"Giấy chứng nhận OCOP - {product.name}")
    pdf.setStrokeColorRGB(0.11, 0.42, 0.23)
    pdf.setLineWidth(3)
    pdf.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    center = width / 2

    def line(text: str, y: float, size: int, font: str = regular) -> None:
        pdf.setFont(font, size)
        pdf.drawCentredString(center, y, text)

    line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", height - 30 * mm, 13, bold)
    line("Độc lập - Tự do - Hạnh phúc", height - 37 * mm, 12, bold)
    line("GIẤY CHỨNG NHẬN", height - 55 * mm, 26, bold)
    line("SẢN PHẨM OCOP", height - 66 * mm, 18, bold)
    line(f"Sản phẩm: {product.name}", height - 84 * mm, 16, bold)
    line(f"Chủ thể: {product.entity.name}", height - 94 * mm, 13)
    line(f"Địa chỉ: {product.commune.name}", height - 102 * mm, 12)
    stars = event.stars if event else evaluation.stars
    pdf.setFillColorRGB(0.79, 0.54, 0.0)
    line("★" * (stars or 0) + f"  Đạt {stars} sao", height - 118 * mm, 22, bold)
    pdf.setFillColorRGB(0, 0, 0)
    line(
        f"Điểm: {evaluation.average} · Quyết định số {evaluation.decision_number} "
        f"ngày {evaluation.decision_date:%d/%m/%Y}",
        height - 130 * mm,
        12,
    )
    if certificate is not None:
        line(
            f"Có giá trị từ {certificate.valid_from:%d/%m/%Y} đến hết ngày {certificate.valid_to:%d/%m/%Y}",
            height - 138 * mm,
            12,
        )
    if evaluation.decision_signer:
        line(evaluation.decision_signer, 30 * mm, 12, bold)
    url = base_url.rstrip("/") + public_product_path(product)
    qr = segno.make(url, error="m")
    png = io.BytesIO()
    qr.save(png, kind="png", scale=6, border=2)
    png.seek(0)
    size = 36 * mm
    pdf.drawImage(ImageReader(png), width - 20 * mm - size, 20 * mm, size, size)
    pdf.setFont(regular, 7)
    pdf.drawRightString(width - 20 * mm, 17 * mm, url[:90])
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def decision_pdf(*, number: str, date, signer: str, evaluations) -> bytes:
    """Quyết định phê duyệt kết quả đánh giá, phân hạng: the products recognised by one decision."""
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    regular, bold = fonts()
    normal = ParagraphStyle("n", fontName=regular, fontSize=10, leading=13)
    center = ParagraphStyle("c", parent=normal, alignment=1)
    title = ParagraphStyle("t", parent=center, fontName=bold, fontSize=14, leading=18)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=15 * mm)
    doc.title = f"Quyết định {number}"
    story = [
        Paragraph("<b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b>", center),
        Paragraph("<b>Độc lập - Tự do - Hạnh phúc</b>", center),
        Spacer(1, 6 * mm),
        Paragraph(f"Số: {number}", center),
        Paragraph(f"Ngày {date:%d} tháng {date:%m} năm {date:%Y}", center),
        Spacer(1, 6 * mm),
        Paragraph("QUYẾT ĐỊNH", title),
        Paragraph("Phê duyệt kết quả đánh giá, phân hạng và công nhận sản phẩm OCOP", center),
        Spacer(1, 6 * mm),
        Paragraph(
            "Điều 1. Công nhận kết quả đánh giá, phân hạng và cấp Giấy chứng nhận cho các sản phẩm OCOP "
            "sau (Giấy chứng nhận có giá trị 36 tháng kể từ ngày ký):",
            normal,
        ),
        Spacer(1, 3 * mm),
    ]
    rows = [["STT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "Điểm", "Hạng"]]
    for index, ev in enumerate(evaluations, start=1):
        product = ev.dossier.product
        rows.append(
            [
                str(index),
                Paragraph(product.name, normal),
                Paragraph(ev.dossier.entity.name, normal),
                Paragraph(product.commune.name, normal),
                f"{ev.average:.2f}",
                f"{ev.event.stars if ev.event else ev.stars} sao",
            ]
        )
    table = Table(rows, colWidths=[10 * mm, 45 * mm, 45 * mm, 35 * mm, 15 * mm, 18 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), regular, 9),
                ("FONT", (0, 0), (-1, 0), bold, 9),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6efe9")),
            ]
        )
    )
    story += [table, Spacer(1, 8 * mm)]
    if signer:
        story.append(Paragraph(f"<b>{signer}</b>", ParagraphStyle("s", parent=normal, alignment=2)))
    doc.build(story)
    return buffer.getvalue()
