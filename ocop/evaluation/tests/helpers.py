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


# -- browser steps through the review pages of irreversible submissions --------------------------------
def submit_dossier_in_browser(page, *, button: str = "Nộp hồ sơ") -> None:
    """From the dossier page: the review step ("Xem lại và nộp…"), the "submit anyway" box when criteria
    are left unanswered (the page names how many), then the one confirmation."""
    import re

    from playwright.sync_api import expect

    page.get_by_role("link", name=re.compile(r"^Xem lại và nộp")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Xem lại trước khi nộp")
    anyway = page.get_by_label(re.compile(r"^Tôi biết hồ sơ còn \d+ tiêu chí chưa tự chấm"))
    if anyway.count():
        expect(page.get_by_test_id("unanswered-count")).to_be_visible()
        anyway.check()
    page.get_by_role("button", name=button, exact=True).click()


def submit_sheet_in_browser(page, *, none_applies: tuple[str, ...] = ()) -> None:
    """From a member's score sheet: the review step, then "Nộp phiếu N điểm" (a complete sheet only). Codes
    of ``none_applies`` are left unanswered until the review refuses the sheet, naming them; then they are
    answered "no option applies" from the link it gives, and the sheet is reviewed again."""
    import re

    from playwright.sync_api import expect

    page.get_by_role("button", name="Xem lại và nộp phiếu…").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Xem lại phiếu chấm")
    if none_applies:
        expect(page.get_by_test_id("unanswered-count")).to_have_text(
            f"Còn {len(none_applies)} tiêu chí chưa chấm"
        )
        expect(page.get_by_role("button", name=re.compile(r"^Nộp phiếu"))).to_have_count(0)
        page.get_by_role("link", name=f"Chấm tiếp từ {none_applies[0]}").click()
        for code in none_applies:
            page.locator(f'input[name="opt-{code}"][value="0"]').check()
            expect(page.locator(f"#saved-c-{code.replace('.', '-')}")).to_contain_text("Đã lưu")
        page.get_by_role("button", name="Xem lại và nộp phiếu…").click()
    page.get_by_role("button", name=re.compile(r"^Nộp phiếu \d+ điểm$")).click()
