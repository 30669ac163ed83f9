"""Printable label sheet: A4, 4 × 10 labels of 48 × 25 mm (common die-cut stock), each with the QR of the
stamp's address, the OCOP star mark, product, lot and the human-readable code.

The QR is drawn from segno's module matrix as filled rectangles (one run of dark modules per rectangle) in
one path per code, written straight into the page's content stream: no images, so 1,000 labels take
about a second."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import BinaryIO

import segno
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from ocop.core.pdf_fonts import fonts

from . import codes

COLUMNS, ROWS = 4, 10
LABEL_W, LABEL_H = 48 * mm, 25 * mm
QR_SIZE = 21 * mm
MARGIN_X = (A4[0] - COLUMNS * LABEL_W) / 2
MARGIN_Y = (A4[1] - ROWS * LABEL_H) / 2


def _qr_ops(url: str, x: float, y: float, size: float) -> str:
    """PDF operators filling the dark modules of ``url``'s QR code inside the square (x, y, size)."""
    qr = segno.make(url, error="m", micro=False, mask=0, boost_error=False)
    matrix = qr.matrix
    n = len(matrix) + 8  # 4-module quiet zone on each side
    unit = size / n
    parts = [f"q {unit:.4f} 0 0 {-unit:.4f} {x + 4 * unit:.3f} {y + size - 4 * unit:.3f} cm"]
    for r, row in enumerate(matrix):
        c = 0
        width = len(row)
        while c < width:
            if row[c]:
                start = c
                while c < width and row[c]:
                    c += 1
                parts.append(f"{start} {r} {c - start} 1 re")
            else:
                c += 1
    parts.append("f Q")
    return "\n".join(parts)


def _star(pdf: canvas.Canvas, cx: float, cy: float, radius: float) -> None:
    path = pdf.beginPath()
    for i in range(10):
        r = radius if i % 2 == 0 else radius * 0.45
        angle = math.pi / 2 + i * math.pi / 5
        point = (cx + r * math.cos(angle), cy + r * math.sin(angle))
        if i == 0:
            path.moveTo(*point)
        else:
            path.lineTo(*point)
    path.close()
    pdf.drawPath(path, stroke=0, fill=1)


def _fit(pdf: canvas.Canvas, text: str, font: str, size: float, width: float) -> str:
    if pdf.stringWidth(text, font, size) <= width:
        return text
    while text and pdf.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def write_labels(
    out: BinaryIO,
    stamps: Iterable[tuple[int, str, str]],
    *,
    product_name: str,
    lot: str,
    stars: int | None = None,
) -> int:
    """Write the sheet for (serial, code, url) rows; returns the number of labels."""
    regular, bold = fonts()
    pdf = canvas.Canvas(out, pagesize=A4, pageCompression=1)
    pdf.setTitle(f"Tem OCOP — {product_name} — lô {lot}")
    per_page = COLUMNS * ROWS
    text_w = LABEL_W - QR_SIZE - 4 * mm
    name = _fit(pdf, product_name, bold, 6.5, text_w)
    star_text = ("★" * stars) if stars else ""
    count = 0
    for count, (serial, code, url) in enumerate(stamps, start=1):
        slot = (count - 1) % per_page
        if slot == 0 and count > 1:
            pdf.showPage()
        col, row = slot % COLUMNS, slot // COLUMNS
        x = MARGIN_X + col * LABEL_W
        y = A4[1] - MARGIN_Y - (row + 1) * LABEL_H
        pdf.setStrokeGray(0.8)
        pdf.setLineWidth(0.3)
        pdf.rect(x + 0.5 * mm, y + 0.5 * mm, LABEL_W - 1 * mm, LABEL_H - 1 * mm, stroke=1, fill=0)
        pdf.setFillGray(0)
        pdf._code.append(_qr_ops(url, x + 1.5 * mm, y + 2 * mm, QR_SIZE))  # raw operators, see module doc
        tx = x + QR_SIZE + 2.5 * mm
        pdf.setFillColorRGB(0.85, 0.1, 0.1)
        _star(pdf, tx + 2 * mm, y + LABEL_H - 4.5 * mm, 2.2 * mm)
        pdf.setFillGray(0)
        pdf.setFont(bold, 7)
        pdf.drawString(tx + 5 * mm, y + LABEL_H - 5.6 * mm, "OCOP " + star_text if star_text else "OCOP")
        pdf.setFont(bold, 6.5)
        pdf.drawString(tx, y + LABEL_H - 10 * mm, name)
        pdf.setFont(regular, 6)
        pdf.drawString(tx, y + LABEL_H - 13 * mm, f"Lô {lot} · số {serial}")
        pretty = codes.pretty(code)
        pdf.setFont("Courier-Bold", 6.2)
        pdf.drawString(tx, y + 6 * mm, pretty[:11])
        pdf.drawString(tx, y + 3.2 * mm, pretty[12:])
    pdf.showPage()
    pdf.save()
    return count
