"""Score sheets (phiếu đánh giá) of Decision 148/QĐ-TTg as data: parsing, codes and arithmetic checks.

A sheet is a 4-level tree read from a CSV with columns ``title, description, level, stars, score``:
level 0 = part (A/B/C), 1 = group ("1. TỔ CHỨC SẢN XUẤT" → ``A1``), 2 = criterion ("a) Nguồn gốc…" →
``A1.a``), 3 = option ("□ text", numbered 1..n in sheet order, single choice).

Shapes found in the shipped transcription and how they are coded:

* options directly under a group (no criterion row) → one implicit criterion ``<group>.a``;
* a lettered criterion followed by "- item" rows (set 11 "a) Ngoại hình" / "- Tạp chất") → the lettered
  row is a heading, the items are scored as ``C6.a.1``, ``C6.a.2`` …;
* a letter printed several times in one group (set 13 "a) Ngoại hình - Màu sắc") → ``C6.a.1``, ``C6.a.2`` …;
* "Lựa chọn một trong hai trường hợp" (set 26) → ``C8.a`` (trường hợp 1) and ``C8.b`` (trường hợp 2)
  share ``alternative_group="C8"``: a member scores one of them, the sheet's maximum counts one.

Nothing wrong in the data is hidden: every fix or inconsistency becomes a :class:`SheetWarning`, and
``Sheet.needs_review`` ("cần rà soát") is set when the sheet's arithmetic does not add up.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

from .arithmetic import check_arithmetic
from .model import DEFAULT_VERSION, SET_NUMBERS, Criterion, Group, Heading, Option, Part, Sheet, SheetWarning

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "criteria-148"

# Notes that stop the evaluation or exclude the product ("điểm liệt"-type), see ocop-reference §1.6(b).
_KNOCKOUT_RE = re.compile(
    r"không đánh giá|dừng đánh giá|không xem xét|bị loại|loại bỏ|yêu cầu\s*:\s*100\s*%", re.IGNORECASE
)
_ALTERNATIVE_RE = re.compile(r"lựa chọn một trong", re.IGNORECASE)
_CASE_RE = re.compile(r"trường hợp\s*(\d+)", re.IGNORECASE)
_PART_RE = re.compile(r"phần\s*([ABC])\b", re.IGNORECASE)
_GROUP_RE = re.compile(r"^\s*(\d+)\s*\.\s*(.*)$", re.DOTALL)
_LETTER_RE = re.compile(r"^\s*([a-zđ])\s*[).]\s*(.*)$", re.DOTALL)
_DASH_RE = re.compile(r"^\s*[-–]\s*(.*)$", re.DOTALL)
_LETTERS = "abcdđeghiklmnopqrstuvxy"  # criterion letters in Vietnamese order
_STARS_RE = re.compile(r"\(?\s*(\*{3,5})\s*\)?\s*$")
# Cells where a digit was typed as a look-alike letter ("l" for 1 in set 17).
_LOOKALIKE_DIGITS = {"l": 1, "I": 1, "i": 1, "|": 1, "O": 0, "o": 0}


@dataclass
class _Raw:
    kind: str  # "letter", "dash", "implicit"
    letter: str
    title: str
    description: str
    score: int | None
    stars: int | None
    line: int
    options: list[Option] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _split_title(text: str) -> tuple[str, str]:
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    return (lines[0] if lines else ""), " ".join(lines[1:])


def _strip_stars(text: str) -> tuple[str, int | None]:
    match = _STARS_RE.search(text)
    if not match:
        return text.strip(), None
    return text[: match.start()].strip(), len(match.group(1))


def _join(*texts: str) -> str:
    return " ".join(t.strip() for t in texts if t and t.strip())


def _knockout(*texts: str) -> str | None:
    notes = [t.strip() for t in texts if t and _KNOCKOUT_RE.search(t)]
    return " ".join(notes) if notes else None


def _read_rows(source: str | Path) -> list[tuple[int, dict[str, str]]]:
    if isinstance(source, Path) or ("\n" not in source and source.endswith(".csv")):
        text = Path(source).read_text(encoding="utf-8-sig")
    else:
        text = source.lstrip("\ufeff")
    reader = csv.DictReader(io.StringIO(text))
    rows = []
    start = reader.line_num + 1
    for row in reader:
        rows.append((start, {k: (v or "") for k, v in row.items() if k}))
        start = reader.line_num + 1
    return rows


def _parse_score(
    cell: str, line: int, neighbours: tuple[int | None, int | None], warnings: list
) -> int | None:
    cell = cell.strip()
    if not cell:
        return None
    if cell.isascii() and cell.isdigit():
        return int(cell)
    before, after = neighbours
    if before is not None and after is not None and after - before == 2:
        value = before + 1  # the only value between the options around it
    elif cell in _LOOKALIKE_DIGITS:
        value = _LOOKALIKE_DIGITS[cell]
    else:
        warnings.append(SheetWarning(f"Ô điểm không đọc được '{cell}', tính 0 điểm", line, review=True))
        return 0
    warnings.append(SheetWarning(f"Ô điểm '{cell}' là lỗi đánh máy, đọc là {value}", line))
    return value


def parse_sheet(source: str | Path, set_number: int, version: str = DEFAULT_VERSION) -> Sheet:
    """Parse one sheet from a CSV path or CSV text and check its arithmetic (see :func:`check_arithmetic`)."""
    rows = _read_rows(source)
    sheet = Sheet(set_number=set_number, version=version)
    warnings = sheet.warnings
    part: Part | None = None
    group: Group | None = None
    raws: dict[str, list[_Raw]] = {}

    def digits(i: int) -> int | None:
        if 0 <= i < len(rows) and rows[i][1].get("level", "").strip() == "3":
            cell = rows[i][1].get("score", "").strip()
            return int(cell) if cell.isascii() and cell.isdigit() else None
        return None

    for index, (line, row) in enumerate(rows):
        level = row.get("level", "").strip()
        title = row.get("title", "")
        desc = row.get("description", "").strip()
        stars_cell = row.get("stars", "").strip()
        stars = int(stars_cell) if stars_cell.isascii() and stars_cell.isdigit() else None
        score = _parse_score(row.get("score", ""), line, (digits(index - 1), digits(index + 1)), warnings)
        if level == "0":
            match = _PART_RE.search(title)
            if not match:
                warnings.append(SheetWarning(f"Không nhận ra phần: {title!r}", line, review=True))
                continue
            letter = match.group(1).upper()
            part = Part(letter, " ".join(title.split()), score)
            sheet.parts[letter] = part
            group = None
        elif level == "1":
            match = _GROUP_RE.match(title.strip())
            if part is None or not match:
                warnings.append(SheetWarning(f"Nhóm tiêu chí không đúng chỗ: {title!r}", line, review=True))
                continue
            head, rest = _split_title(match.group(2))
            group = Group(part.letter, int(match.group(1)), head, _join(rest, desc), score, line=line)
            group.knockout_note = _knockout(rest, desc)
            part.groups.append(group)
            raws[group.code] = []
        elif level == "2":
            if group is None:
                warnings.append(SheetWarning(f"Tiêu chí ngoài nhóm: {title!r}", line, review=True))
                continue
            head, rest = _split_title(title)
            head, title_stars = _strip_stars(head)
            if (match := _LETTER_RE.match(head)) is not None:
                kind, letter, head = "letter", match.group(1), match.group(2).strip()
            elif (match := _DASH_RE.match(head)) is not None:
                kind, letter, head = "dash", "", match.group(1).strip()
            else:
                warnings.append(SheetWarning(f"Tiêu chí không có chữ cái: {title!r}", line, review=True))
                kind, letter = "letter", ""
            if title_stars and stars and title_stars != stars:
                warnings.append(SheetWarning(f"Dấu sao ở tên ({title_stars}) khác cột stars ({stars})", line))
            raw = _Raw(
                kind, letter, head or group.title, _join(rest, desc), score, stars or title_stars, line
            )
            raws[group.code].append(raw)
        elif level == "3":
            if group is None:
                warnings.append(SheetWarning(f"Phương án ngoài nhóm: {title!r}", line, review=True))
                continue
            group_raws = raws[group.code]
            if not group_raws:
                group_raws.append(
                    _Raw("implicit", "a", group.title, group.description, group.max_points, None, line)
                )
            head, rest = _split_title(title)
            head, text_stars = _strip_stars(head.lstrip("□☐ ").strip())
            if text_stars and stars and text_stars != stars:
                warnings.append(
                    SheetWarning(f"Dấu sao ở phương án ({text_stars}) khác cột stars ({stars})", line)
                )
            raw = group_raws[-1]
            if rest and _KNOCKOUT_RE.search(rest):
                raw.notes.append(rest)
                rest = ""
            if score is None:
                warnings.append(SheetWarning("Phương án không có điểm, tính 0 điểm", line, review=True))
            option = Option(len(raw.options) + 1, _join(head, rest), score or 0, stars or text_stars, line)
            raw.options.append(option)
        else:
            warnings.append(SheetWarning(f"Cấp (level) không hợp lệ: {level!r}", line, review=True))

    for part in sheet.parts.values():
        for group in part.groups:
            _build_group(sheet, group, raws[group.code])
    _locate_option_warnings(sheet)
    warnings.extend(check_arithmetic(sheet))
    return sheet


def _locate_option_warnings(sheet: Sheet) -> None:
    """Name the criterion and option of warnings raised while reading an option's score cell."""
    where = {o.line: (c.code, o.number) for c in sheet.criteria for o in c.options}
    for i, warning in enumerate(sheet.warnings):
        if warning.code is None and warning.line in where:
            code, number = where[warning.line]
            sheet.warnings[i] = replace(warning, code=code, message=f"{warning.message} (phương án {number})")


def _build_group(sheet: Sheet, group: Group, raws: list[_Raw]) -> None:
    alternative = bool(_ALTERNATIVE_RE.search(group.description))
    _fix_letter_typos(sheet, group, raws)
    letter_count: dict[str, int] = {}
    for raw in raws:
        if raw.kind == "letter":
            letter_count[raw.letter] = letter_count.get(raw.letter, 0) + 1
    seen: dict[str, int] = {}
    heading: Heading | None = None
    for raw in raws:
        if raw.kind == "dash":
            if heading is None:
                sheet.warnings.append(SheetWarning("Mục '-' không có tiêu chí cha", raw.line, review=True))
                continue
            letter = heading.code.rsplit(".", 1)[1]
            code = f"{heading.code}.{len(heading.sub_codes) + 1}"
            heading.sub_codes.append(code)
        else:
            if raw.kind == "letter" and not raw.options:
                heading = Heading(f"{group.code}.{raw.letter}", raw.title, raw.score, [], raw.line)
                group.headings.append(heading)
                continue
            heading = None
            letter = raw.letter
            if letter_count.get(letter, 0) > 1:
                seen[letter] = seen.get(letter, 0) + 1
                code = f"{group.code}.{letter}.{seen[letter]}"
            else:
                code = f"{group.code}.{letter}"
        # A note on the group applies to each of its criteria (an implicit criterion already carries it).
        notes = [raw.description, *raw.notes] + ([group.description] if raw.kind != "implicit" else [])
        knockout = _knockout(*notes)
        case = _CASE_RE.search(raw.title) if alternative else None
        crit = Criterion(
            code=code,
            part=group.part,
            group_number=group.number,
            letter=letter,
            title=raw.title,
            description=raw.description,
            max_points=max((o.points for o in raw.options), default=0),
            options=raw.options,
            star_mark=raw.stars if raw.kind != "implicit" else None,
            knockout_note=knockout,
            alternative_group=group.code if alternative else None,
            case_number=int(case.group(1)) if case else None,
            declared_max=raw.score,
            line=raw.line,
        )
        if code in sheet.by_code:
            sheet.warnings.append(SheetWarning("Mã tiêu chí trùng", raw.line, code, review=True))
        group.criteria.append(crit)
        sheet.criteria.append(crit)
    for head in group.headings:
        if not head.sub_codes:
            sheet.warnings.append(
                SheetWarning("Tiêu chí không có phương án", head.line, head.code, review=True)
            )


def _fix_letter_typos(sheet: Sheet, group: Group, raws: list[_Raw]) -> None:
    """A letter that jumps back to one already used ("a b c d đ c" in sets 18, 19 A3) is a typo for the
    next letter, when that letter is free. A letter repeated right after itself (set 13 "a) Ngoại hình - …"
    several times) is kept: those rows are numbered sub-criteria."""
    previous = ""
    used: set[str] = set()
    for raw in raws:
        if raw.kind != "letter":
            continue
        if raw.letter in used and raw.letter != previous and previous in _LETTERS:
            expected = _LETTERS[_LETTERS.index(previous) + 1]
            if expected not in {r.letter for r in raws}:
                sheet.warnings.append(
                    SheetWarning(
                        f"Chữ cái tiêu chí '{raw.letter})' bị trùng, đọc là '{expected})' theo thứ tự",
                        raw.line,
                        f"{group.code}.{expected}",
                    )
                )
                raw.letter = expected
        used.add(raw.letter)
        previous = raw.letter


def sheet_path(set_number: int) -> Path:
    if set_number not in SET_NUMBERS:
        raise ValueError(f"Không có bộ sản phẩm số {set_number} (chỉ có 1–26)")
    return DATA_DIR / f"set-{set_number:02d}.csv"


@cache
def load_sheet(set_number: int) -> Sheet:
    """The shipped sheet of a product set (Decision 148), parsed once per process. Treat it as read-only."""
    return parse_sheet(sheet_path(set_number), set_number)
