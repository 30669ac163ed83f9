"""Arithmetic checks of a parsed sheet: parts against the version, groups against parts, criteria against
groups and options, and the best reachable total (per case for "choose one of two" criteria)."""

from __future__ import annotations

from .model import PART_LETTERS, VERSIONS, Criterion, Group, Sheet, SheetWarning


def check_arithmetic(sheet: Sheet) -> list[SheetWarning]:
    """Check part maxima against the version, groups against their parts, criteria against their groups and
    options. Mismatches are returned with ``review=True``; a missing score cell that the options fill in is
    returned as a plain warning."""
    expected = VERSIONS[sheet.version]
    out: list[SheetWarning] = []
    by_code = sheet.by_code
    for letter in PART_LETTERS:
        part = sheet.parts.get(letter)
        if part is None:
            out.append(SheetWarning(f"Thiếu phần {letter}", review=True))
            continue
        if part.max_points != expected[letter]:
            out.append(
                SheetWarning(
                    f"Phần {letter} ghi {part.max_points} điểm, {sheet.version} quy định {expected[letter]}",
                    review=True,
                    code=letter,
                )
            )
        group_sum = sum(g.max_points or 0 for g in part.groups)
        if part.max_points is not None and group_sum != part.max_points:
            out.append(
                SheetWarning(
                    f"Tổng điểm các nhóm phần {letter} là {group_sum}, phần ghi {part.max_points}",
                    review=True,
                    code=letter,
                )
            )
        for group in part.groups:
            out.extend(_check_group(group, by_code))
    for case in _cases(sheet):
        attainable = sheet.attainable(case)
        label = f" (trường hợp {case})" if case else ""
        for letter in PART_LETTERS:
            if letter in attainable and attainable[letter] != expected[letter]:
                out.append(
                    SheetWarning(
                        f"Điểm tối đa đạt được của phần {letter}{label} là {attainable[letter]}, "
                        f"{sheet.version} quy định {expected[letter]}",
                        review=True,
                        code=letter,
                    )
                )
        total = sum(attainable.values())
        if total != sum(expected.values()):
            out.append(
                SheetWarning(f"Tổng điểm tối đa đạt được{label} là {total}, không phải 100", review=True)
            )
    return out


def _cases(sheet: Sheet) -> list[int | None]:
    numbers = sorted({c.case_number for c in sheet.criteria if c.case_number is not None})
    return list(numbers) if numbers else [None]


def _check_group(group: Group, by_code: dict[str, Criterion]) -> list[SheetWarning]:
    out: list[SheetWarning] = []
    in_heading = {code for head in group.headings for code in head.sub_codes}
    items: list[int] = []  # each top-level item's value (heading or criterion)
    alt_values: dict[int, list[int]] = {}
    for head in group.headings:
        subs = sum(by_code[code].max_points for code in head.sub_codes)
        if head.declared_max is not None and head.declared_max != subs:
            out.append(
                SheetWarning(
                    f"Tiêu chí ghi {head.declared_max} điểm, các mục con cộng lại {subs}",
                    head.line,
                    head.code,
                    review=True,
                )
            )
        items.append(head.declared_max if head.declared_max is not None else subs)
    for crit in group.criteria:
        if not crit.options:
            out.append(SheetWarning("Tiêu chí không có phương án", crit.line, crit.code, review=True))
        if crit.declared_max is None:
            out.append(
                SheetWarning(
                    f"Tiêu chí không ghi điểm, lấy theo phương án cao nhất: {crit.max_points}",
                    crit.line,
                    crit.code,
                )
            )
        elif crit.declared_max != crit.max_points:
            out.append(
                SheetWarning(
                    f"Tiêu chí ghi {crit.declared_max} điểm "
                    f"nhưng phương án cao nhất chỉ {crit.max_points} điểm",
                    crit.line,
                    crit.code,
                    review=True,
                )
            )
        if crit.code in in_heading:
            continue
        value = crit.declared_max if crit.declared_max is not None else crit.max_points
        if crit.alternative_group:
            alt_values.setdefault(crit.case_number or 0, []).append(value)
        else:
            items.append(value)
    if alt_values:
        sums = {case: sum(values) for case, values in alt_values.items()}
        if len(set(sums.values())) > 1:
            out.append(
                SheetWarning(
                    f"Các trường hợp lựa chọn có điểm khác nhau: {sums}", group.line, group.code, review=True
                )
            )
        items.append(max(sums.values()))
    total = sum(items)
    if group.max_points is not None and total != group.max_points:
        out.append(
            SheetWarning(
                f"Nhóm ghi {group.max_points} điểm, các tiêu chí cộng lại {total}",
                group.line,
                group.code,
                review=True,
            )
        )
    return out
