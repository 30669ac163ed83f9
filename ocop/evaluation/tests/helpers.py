"""Building members' choices for tests."""

from __future__ import annotations

from ocop.evaluation.criteria import Criterion, Sheet


def option_number(crit: Criterion, points: int) -> int:
    """The first option of ``crit`` worth exactly ``points``."""
    for option in crit.options:
        if option.points == points:
            return option.number
    raise AssertionError(f"{crit.code} has no option worth {points}")


def best_choices(sheet: Sheet, case: int = 1) -> dict[str, int]:
    """Every criterion at its best option; in "choose one of two" groups only case ``case`` is scored."""
    choices = {}
    for crit in sheet.criteria:
        if crit.alternative_group and crit.case_number != case:
            continue
        choices[crit.code] = option_number(crit, crit.max_points)
    return choices


def lowered(sheet: Sheet, choices: dict[str, int], **points: int) -> dict[str, int]:
    """A copy of ``choices`` where each code (``A1_a`` for "A1.a") is set to the option worth the given
    points; 0 points with no such option removes the code (a missing code scores 0)."""
    result = dict(choices)
    for key, value in points.items():
        code = key.replace("_", ".")
        crit = sheet.criterion(code)
        if value == 0 and all(o.points for o in crit.options):
            result.pop(code, None)
        else:
            result[code] = option_number(crit, value)
    return result


def docx_text(data: bytes) -> str:
    """Every paragraph of a DOCX, tables included, as python-docx reads it back."""
    import io

    from docx import Document

    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


def pdf_text(data: bytes) -> str:
    """The text of a PDF as poppler's pdftotext reads it (make test installs poppler-utils), so a test sees
    what a reader sees, Vietnamese letters included; in drawing order (a wrapped heading stays one phrase),
    whitespace runs collapsed."""
    import re
    import subprocess
    import tempfile
    from pathlib import Path

    assert data.startswith(b"%PDF")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "doc.pdf"
        path.write_bytes(data)
        result = subprocess.run(
            ["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, timeout=60, check=True
        )
    return re.sub(r"\s+", " ", result.stdout)
