"""The fonts every PDF of the system uses.

Vietnamese needs a font with its glyphs: DejaVu Sans from Debian's fonts-dejavu-core when installed,
else reportlab's bundled Vera fonts, which lack some Vietnamese letters — the PDF is still produced and
the missing font is reported once in the log."""

from __future__ import annotations

import logging
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

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
            _map_family()
            return _fonts
    import reportlab

    vera = Path(reportlab.__file__).parent / "fonts"
    try:
        pdfmetrics.registerFont(TTFont("OcopSans", str(vera / "Vera.ttf")))
        pdfmetrics.registerFont(TTFont("OcopSans-Bold", str(vera / "VeraBd.ttf")))
        _fonts = ("OcopSans", "OcopSans-Bold")
        _map_family()
    except Exception:  # pragma: no cover - reportlab always ships Vera
        _fonts = ("Helvetica", "Helvetica-Bold")
    logger.warning(
        "Không tìm thấy phông DejaVu Sans (gói fonts-dejavu-core): chữ tiếng Việt có thể thiếu dấu."
    )
    return _fonts


def _map_family() -> None:
    """<b> and <i> inside paragraphs pick the bold face (there is no italic face: upright is used)."""
    for bold in (0, 1):
        for italic in (0, 1):
            addMapping("OcopSans", bold, italic, "OcopSans-Bold" if bold else "OcopSans")
