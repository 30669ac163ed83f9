"""Recognition and revocation decisions (quyết định) and certificates (giấy chứng nhận), each naming the
issuer and the legal grounds in force on its own date (ocop.legal.periods)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ocop.legal import periods, wording

from .issuers import Issuer, issuer_for, issuer_of_event
from .layout import Grid, OfficialDocument, Para, Signature

if TYPE_CHECKING:
    import datetime as dt

    from ..models import Certificate, RecognitionEvent

ENFORCEMENT_ARTICLE = (
    "Điều 3. Quyết định có hiệu lực kể từ ngày ký. Chánh Văn phòng, Thủ trưởng các cơ quan, đơn vị và các "
    "chủ thể có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này."
)


def recipients_for(issuer: Issuer) -> list[str]:
    if issuer.level == periods.DISTRICT:
        return ["Như Điều 3;", "UBND tỉnh (để báo cáo);", "Lưu: VT."]
    if issuer.level == periods.MINISTRY:
        return ["Như Điều 3;", "UBND các tỉnh có sản phẩm;", "Lưu: VT, VPĐP."]
    return ["Như Điều 3;", "Lưu: VT."]


def _decision(
    *,
    issuer: Issuer,
    number: str,
    date: dt.date,
    subtitle: str,
    considering: str,
    articles: list[str],
    grid: Grid,
    signer: str,
    stem: str,
) -> OfficialDocument:
    body: list[Para | Grid] = [Para(issuer.authority, bold=True, center=True)]
    body += [Para(ground, italic=True) for ground in wording.legal_grounds(issuer.level, date)]
    body += [Para(considering, italic=True), Para("QUYẾT ĐỊNH:", bold=True, center=True)]
    for index, article in enumerate(articles):
        body.append(Para(article))
        if index == 0:
            body.append(grid)
    return OfficialDocument(
        heading=[issuer.heading],
        number=number,
        place=issuer.place,
        date=date,
        title="QUYẾT ĐỊNH",
        subtitle=subtitle,
        body=body,
        signatures=[Signature(issuer.signer_title, signer)],
        recipients=recipients_for(issuer),
        filename_stem=stem,
    )


def recognition_decision(
    *, number: str, date: dt.date, signer: str, events: Sequence[RecognitionEvent]
) -> OfficialDocument:
    """Quyết định công nhận: the products one decision recognises (lines of the same number and date)."""
    first = events[0]
    issuer = issuer_of_event(first)
    rows = []
    for index, event in enumerate(events, start=1):
        product = event.product
        rows.append(
            [
                str(index),
                product.name,
                product.entity.name,
                product.commune.name,
                f"{event.score:.2f}" if event.score is not None else "—",
                f"{event.stars} sao",
                event.get_kind_display(),
            ]
        )
    five_star = issuer.level == periods.MINISTRY
    subtitle = (
        "Về việc công nhận sản phẩm OCOP 5 sao (sản phẩm OCOP cấp quốc gia)"
        if five_star
        else "Về việc phê duyệt kết quả đánh giá, phân hạng và công nhận sản phẩm OCOP"
    )
    return _decision(
        issuer=issuer,
        number=number,
        date=date,
        subtitle=subtitle,
        considering=(
            "Xét kết quả đánh giá, phân hạng của Hội đồng đánh giá, phân hạng sản phẩm OCOP "
            f"{periods.LEVEL_NAMES[issuer.level]}."
        ),
        articles=[
            f"Điều 1. Công nhận kết quả đánh giá, phân hạng và cấp Giấy chứng nhận cho {len(rows)} sản phẩm "
            "OCOP sau (Giấy chứng nhận có giá trị 36 tháng kể từ ngày ký):",
            "Điều 2. Các chủ thể có sản phẩm được công nhận có trách nhiệm duy trì, nâng cao chất lượng sản "
            "phẩm; sử dụng biểu trưng OCOP đúng quy định.",
            ENFORCEMENT_ARTICLE,
        ],
        grid=Grid(
            ["STT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "Điểm", "Hạng", "Hình thức"],
            rows,
            [11, 40, 37, 30, 14, 14, 21],
        ),
        signer=signer,
        stem=f"quyet-dinh-{date:%Y%m%d}",
    )


def revocation_decision(events: Sequence[RecognitionEvent]) -> OfficialDocument:
    """Quyết định thu hồi Giấy chứng nhận sản phẩm OCOP: the products one revocation decision names."""
    first = events[0]
    issuer = issuer_of_event(first)
    rows = [
        [str(index), e.product.name, e.product.entity.name, e.product.commune.name, e.reason]
        for index, e in enumerate(events, start=1)
    ]
    return _decision(
        issuer=issuer,
        number=first.decision_number,
        date=first.decision_date,
        subtitle="Về việc thu hồi Giấy chứng nhận sản phẩm OCOP",
        considering=(
            f"Xét đề nghị của cơ quan thường trực Chương trình OCOP {periods.LEVEL_NAMES[issuer.level]}."
        ),
        articles=[
            f"Điều 1. Thu hồi Giấy chứng nhận và quyết định công nhận sản phẩm OCOP đối với {len(rows)} sản "
            "phẩm sau:",
            "Điều 2. Các chủ thể có tên tại Điều 1 không được sử dụng biểu trưng và Giấy chứng nhận OCOP "
            "đối với các sản phẩm bị thu hồi kể từ ngày Quyết định có hiệu lực.",
            ENFORCEMENT_ARTICLE,
        ],
        grid=Grid(["STT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "Lý do thu hồi"], rows, [11, 40, 38, 30, 48]),
        signer=first.signer,
        stem=f"quyet-dinh-thu-hoi-{first.decision_date:%Y%m%d}",
    )


def certificate_lines(certificate: Certificate) -> dict[str, list[str] | str]:
    """What a certificate prints, as text (shared by the PDF and the tests)."""
    event = certificate.event
    product = certificate.product
    issuer = issuer_of_event(event)
    grounds = [g.removesuffix(";") for g in wording.legal_grounds(issuer.level, event.decision_date)[1:]]
    grounds.append(
        f"Căn cứ Quyết định số {event.decision_number or '(không số)'} ngày "
        f"{event.decision_date:%d/%m/%Y} của "
        f"{issuer.signer_role}"
    )
    return {
        "heading": issuer.heading,
        "grounds": grounds,
        "product": f"Sản phẩm: {product.name}",
        "entity": f"Chủ thể: {product.entity.name}",
        "address": f"Địa chỉ: {product.commune.full_name()}",
        "stars": "★" * certificate.stars + f"  Đạt {certificate.stars} sao",
        "score": f"Điểm: {event.score}" if event.score is not None else "",
        "validity": (
            f"Có giá trị từ {certificate.valid_from:%d/%m/%Y} đến hết ngày {certificate.valid_to:%d/%m/%Y}"
        ),
        "date_line": f"{issuer.place}, ngày {event.decision_date:%d} tháng {event.decision_date:%m} năm "
        f"{event.decision_date:%Y}",
        "signer_title": issuer.signer_title,
        "signer": event.signer,
    }


def certificate_pdf(*, certificate: Certificate, public_url: str) -> bytes:
    """Giấy chứng nhận (landscape A4) with the issuer and grounds of the decision's date and a QR code to the
    product's public page."""
    import segno
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    from ocop.core.pdf_fonts import fonts

    text = certificate_lines(certificate)
    regular, bold = fonts()
    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    pdf.setTitle(f"Giấy chứng nhận OCOP - {certificate.product.name}")
    pdf.setStrokeColorRGB(0.11, 0.42, 0.23)
    pdf.setLineWidth(3)
    pdf.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    center = width / 2

    def line(value: str, y: float, size: float, font: str = regular, x: float | None = None) -> None:
        pdf.setFont(font, size)
        pdf.drawCentredString(center if x is None else x, y, value)

    left_x, right_x = 20 * mm + 55 * mm, width - 20 * mm - 70 * mm
    line(str(text["heading"]), height - 26 * mm, 10.5, bold, left_x)
    line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", height - 26 * mm, 10.5, bold, right_x)
    line("Độc lập - Tự do - Hạnh phúc", height - 32 * mm, 10.5, bold, right_x)
    line("GIẤY CHỨNG NHẬN", height - 48 * mm, 24, bold)
    line("SẢN PHẨM OCOP", height - 57 * mm, 16, bold)
    y = height - 65 * mm
    for ground in text["grounds"]:
        for chunk in _wrap(str(ground), 150):
            line(chunk, y, 8.5)
            y -= 4 * mm
    line(str(text["product"]), y - 6 * mm, 15, bold)
    line(str(text["entity"]), y - 14 * mm, 12)
    line(str(text["address"]), y - 21 * mm, 11)
    pdf.setFillColorRGB(0.79, 0.54, 0.0)
    line(str(text["stars"]), y - 34 * mm, 20, bold)
    pdf.setFillColorRGB(0, 0, 0)
    if text["score"]:
        line(str(text["score"]), y - 42 * mm, 11)
    line(str(text["validity"]), y - 49 * mm, 11)
    sign_x = width - 20 * mm - 60 * mm
    line(str(text["date_line"]), 52 * mm, 10, regular, sign_x)
    sign_y = 46 * mm
    for title_line in str(text["signer_title"]).split("\n"):
        line(title_line, sign_y, 10.5, bold, sign_x)
        sign_y -= 5 * mm
    if text["signer"]:
        line(str(text["signer"]), 20 * mm, 11, bold, sign_x)
    qr = segno.make(public_url, error="m")
    png = io.BytesIO()
    qr.save(png, kind="png", scale=6, border=2)
    png.seek(0)
    size = 32 * mm
    pdf.drawImage(ImageReader(png), 20 * mm, 20 * mm, size, size)
    pdf.setFont(regular, 7)
    pdf.drawString(20 * mm, 17 * mm, public_url[:90])
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _wrap(value: str, width: int) -> list[str]:
    import textwrap

    return textwrap.wrap(value, width) or [""]


__all__ = [
    "ENFORCEMENT_ARTICLE",
    "certificate_lines",
    "certificate_pdf",
    "issuer_for",
    "recognition_decision",
    "revocation_decision",
]
