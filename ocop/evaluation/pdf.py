"""Certificate (giấy chứng nhận) PDF with a QR code to the product's public page.

Vietnamese needs a font with its glyphs: DejaVu Sans from Debian's fonts-dejavu-core when installed,
else (or on another system) reportlab's bundled Vera-based fonts, which lack some Vietnamese letters —
the PDF is still produced, and the missing font is reported once in the log."""

from __future__ import annotations

import io

import segno
from django.urls import NoReverseMatch, reverse
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from ocop.certification.documents import (
    DECISION_148,
    ENFORCEMENT_ARTICLE,
    LOCAL_GOVERNMENT_LAW,
    DecisionDocument,
    issuer_of,
)
from ocop.core.pdf_fonts import fonts


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


def recognition_decision(*, number: str, date, signer: str, evaluations) -> DecisionDocument:
    """Quyết định phê duyệt kết quả đánh giá, phân hạng: the products recognised by one decision."""
    issuer, place = issuer_of(evaluations[0].dossier.product.commune, date)
    rows = []
    for index, ev in enumerate(evaluations, start=1):
        product = ev.dossier.product
        stars = ev.event.stars if ev.event else ev.stars
        rows.append(
            [
                str(index),
                product.name,
                ev.dossier.entity.name,
                product.commune.name,
                f"{ev.average:.2f}",
                f"{stars} sao",
                ev.event.get_kind_display() if ev.event else "",
            ]
        )
    return DecisionDocument(
        issuer=issuer,
        place=place,
        number=number,
        date=date,
        subtitle="Về việc phê duyệt kết quả đánh giá, phân hạng và công nhận sản phẩm OCOP",
        grounds=[
            LOCAL_GOVERNMENT_LAW,
            DECISION_148,
            "Xét kết quả đánh giá, phân hạng của Hội đồng đánh giá, phân hạng sản phẩm OCOP.",
        ],
        articles=[
            f"Điều 1. Công nhận kết quả đánh giá, phân hạng và cấp Giấy chứng nhận cho {len(rows)} sản phẩm "
            "OCOP sau (Giấy chứng nhận có giá trị 36 tháng kể từ ngày ký):",
            "Điều 2. Các chủ thể có sản phẩm được công nhận có trách nhiệm duy trì, nâng cao chất lượng sản "
            "phẩm; sử dụng biểu trưng OCOP đúng quy định.",
            ENFORCEMENT_ARTICLE,
        ],
        headers=["STT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "Điểm", "Hạng", "Hình thức"],
        rows=rows,
        widths_mm=[11, 40, 37, 30, 14, 14, 21],
        signer=signer,
    )
