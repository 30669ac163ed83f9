"""The documents officers used to write by hand, on the shared administrative layout (PDF and DOCX):

* the council's minutes (biên bản họp hội đồng): who attended against the quorum of the council's rules,
  each member's total per dossier and the result;
* each member's signed score sheet (phiếu đánh giá): the option chosen on every criterion;
* the letter that proposes results to the level above (công văn đề nghị), to the province before
  01/07/2025 or to the ministry by its name on the letter's date.

Issuers and grounds come from the periods table (ocop.legal.periods) at the document's own date."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ocop.certification.documents import Grid, OfficialDocument, Para, Signature, issuer_for, unit_for
from ocop.legal import periods, wording

from .choices import EvaluationStatus, MemberRole
from .services.scoring import expected_members, scoring_members, session_quorum

if TYPE_CHECKING:
    from .models import CouncilMember, Evaluation, ScoreSheet, Session

COUNCIL_HEADING = "HỘI ĐỒNG ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM OCOP"


def _council_heading(session: Session, commune) -> list[str]:
    """The body a council belongs to, then the council itself."""
    level = session.council.level
    if commune is None and level != periods.MINISTRY:
        return [COUNCIL_HEADING]
    issuer = issuer_for(level=level, commune=commune, day=session.date)
    suffix = " CẤP QUỐC GIA" if level == periods.MINISTRY else ""
    return [issuer.heading, COUNCIL_HEADING + suffix]


def _place(session: Session, commune) -> str:
    level = session.council.level
    if commune is None and level != periods.MINISTRY:
        return session.place or ""
    return issuer_for(level=level, commune=commune, day=session.date).place


def _name(member: CouncilMember | None) -> str:
    if member is None:
        return ""
    return member.user.full_name or member.user.username


def _result_line(evaluation: Evaluation) -> str:
    if evaluation.status == EvaluationStatus.NO_QUORUM:
        return "Phiên họp không đủ số thành viên theo quy chế: các phiếu chấm không tạo thành kết quả."
    if evaluation.average is None:
        return "Chưa có kết quả (còn thành viên chưa nộp phiếu)."
    stars = f"{evaluation.stars} sao" if evaluation.stars else "không xếp hạng sao OCOP"
    return (
        f"Điểm trung bình: {evaluation.average:.2f} · theo khung điểm: {evaluation.band_stars} sao · "
        f"kết quả: {stars}."
    )


def minutes_document(session: Session, evaluations: Sequence[Evaluation]) -> OfficialDocument:
    """Biên bản họp hội đồng: attendance against the quorum, and per dossier each member's total and the
    result (only the dossiers of ``evaluations``, those the reader may see)."""
    council = session.council
    commune = evaluations[0].dossier.product.commune if evaluations else None
    quorum = session_quorum(session)
    members = list(council.members.filter(role__in=[r for r in MemberRole.values]).select_related("user"))
    present = set(session.attendees.values_list("pk", flat=True))
    recorded = session.attendance_recorded_at is not None
    attendance_rows = [
        [
            str(index),
            _name(m),
            m.get_role_display(),
            ("Có mặt" if m.pk in present else "Vắng") if recorded else "Chưa ghi",
        ]
        for index, m in enumerate(members, start=1)
    ]
    body: list[Para | Grid] = [
        Para(f"Thời gian: ngày {session.date:%d/%m/%Y}. Địa điểm: {session.place or '—'}."),
        Para(
            f"Hội đồng: {council.name} ({periods.LEVEL_NAMES[council.level]}, đợt {council.round_number}/"
            f"{council.year}). Quy chế hoạt động: {council.rules or 'chưa ghi văn bản'}."
        ),
        Para("I. THÀNH PHẦN THAM DỰ", bold=True),
        Grid(["STT", "Thành viên", "Vai trò", "Dự họp"], attendance_rows, [12, 60, 55, 40]),
        Para(quorum.sentence),
        Para("II. KẾT QUẢ ĐÁNH GIÁ, PHÂN HẠNG", bold=True),
    ]
    for index, evaluation in enumerate(evaluations, start=1):
        dossier = evaluation.dossier
        product = dossier.product
        version = dossier.criteria_version
        body.append(
            Para(
                f"{index}. {product.name} — {dossier.entity.name} ({product.commune.name}); phiếu bộ "
                f"{version.set_number} ({version.legal_version}).",
                bold=True,
            )
        )
        sheets = {s.member_id: s for s in evaluation.sheets.all()}
        expected = {m.pk for m in expected_members(evaluation)}
        rows = []
        for member in scoring_members(evaluation):
            sheet = sheets.get(member.pk)
            if recorded and member.pk not in present:
                rows.append([_name(member), "", "", "", "Vắng", ""])
                continue
            state = "Đã nộp" if sheet and sheet.submitted_at else ("Đang chấm" if sheet else "Chưa chấm")
            parts = sheet.parts if sheet else {}
            rows.append(
                [
                    _name(member),
                    str(parts.get("A", "")),
                    str(parts.get("B", "")),
                    str(parts.get("C", "")),
                    str(sheet.total) if sheet else "",
                    state if member.pk in expected else "Không tính",
                ]
            )
        body.append(Grid(["Thành viên", "A", "B", "C", "Tổng", "Phiếu"], rows, [62, 17, 17, 17, 20, 34]))
        body.append(Para(_result_line(evaluation)))
        if evaluation.explanation and evaluation.status != EvaluationStatus.NO_QUORUM:
            body.append(Para(evaluation.explanation, italic=True))
        if evaluation.chair_explanation:
            body.append(
                Para(f"Giải trình của Chủ tịch hội đồng: {evaluation.chair_explanation}", italic=True)
            )
    if not evaluations:
        body.append(Para("Phiên họp chưa có hồ sơ."))
    secretary = council.members.filter(role=MemberRole.SECRETARY).select_related("user").first()
    chair = council.members.filter(role=MemberRole.CHAIR).select_related("user").first()
    return OfficialDocument(
        heading=_council_heading(session, commune),
        number="",
        place=_place(session, commune),
        date=session.date,
        title="BIÊN BẢN",
        subtitle=f"Họp {council.name}",
        body=body,
        signatures=[
            Signature("THƯ KÝ HỘI ĐỒNG", _name(secretary)),
            Signature("CHỦ TỊCH HỘI ĐỒNG", _name(chair)),
        ],
        filename_stem=f"bien-ban-hop-hoi-dong-{session.date:%Y%m%d}",
    )


def score_sheet_document(sheet: ScoreSheet) -> OfficialDocument:
    """Phiếu đánh giá of one member: every criterion with the option chosen and its points, signed by name."""
    evaluation = sheet.evaluation
    session = evaluation.session
    dossier = evaluation.dossier
    product = dossier.product
    criteria = dossier.criteria_version.sheet
    rows = []
    for crit in criteria.criteria:
        number = sheet.choices.get(crit.code)
        if number is None:
            answer = "Không đạt phương án nào" if crit.code in sheet.choices else "—"
            rows.append([crit.code, crit.title, answer, "0"])
            continue
        option = crit.option(number)
        rows.append([crit.code, crit.title, f"{option.number}. {option.text}", str(option.points)])
    parts = " · ".join(f"Phần {k}: {v}" for k, v in sheet.parts.items())
    submitted = (
        f"Đã nộp phiếu lúc {sheet.submitted_at:%H:%M %d/%m/%Y}." if sheet.submitted_at else "Phiếu chưa nộp."
    )
    return OfficialDocument(
        heading=_council_heading(session, product.commune),
        number="",
        place=_place(session, product.commune),
        date=session.date,
        title="PHIẾU ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM OCOP",
        subtitle=(
            f"Bộ sản phẩm số {dossier.criteria_version.set_number} ({dossier.criteria_version.legal_version})"
        ),
        body=[
            Para(
                f"Sản phẩm: {product.name}. Chủ thể: {dossier.entity.name}. Địa chỉ: {product.commune.name}."
            ),
            Para(f"Hội đồng: {session.council.name}, phiên họp ngày {session.date:%d/%m/%Y}."),
            Grid(["Mã", "Tiêu chí", "Phương án chọn", "Điểm"], rows, [16, 60, 75, 16]),
            Para(f"{parts} · Tổng điểm: {sheet.total}.", bold=True),
            Para(submitted, italic=True),
        ],
        signatures=[Signature("NGƯỜI CHẤM", _name(sheet.member), "(Ký, ghi rõ họ tên)")],
        filename_stem=f"phieu-cham-{evaluation.pk}-{sheet.member_id}",
    )


def _addressee(to_level: str, evaluation: Evaluation) -> str:
    date = evaluation.forward_date
    assert date is not None
    if to_level == periods.MINISTRY:
        return f"{periods.ministry_name(date)} (Văn phòng Điều phối nông thôn mới Trung ương)"
    unit = unit_for(periods.PROVINCE, evaluation.dossier.product.commune, date)
    return wording.issuing_body(periods.PROVINCE, date, unit.name if unit else "tỉnh")


def forward_letter(evaluations: Sequence[Evaluation]) -> OfficialDocument:
    """Công văn đề nghị: the results one letter proposes to the level above."""
    first = evaluations[0]
    date = first.forward_date
    assert date is not None
    level, to_level = first.session.council.level, first.forwarded_to
    issuer = issuer_for(level=level, commune=first.dossier.product.commune, day=date)
    addressee = _addressee(to_level, first)
    rule = periods.period_on(first.session.date).forward_rule(level)
    threshold = f" đạt từ {rule[0]} điểm trở lên" if rule else ""
    subject = (
        "V/v đề nghị đánh giá, công nhận sản phẩm OCOP 5 sao"
        if to_level == periods.MINISTRY
        else f"V/v đề nghị đánh giá, phân hạng sản phẩm OCOP {periods.LEVEL_NAMES[to_level]}"
    )
    rows = [
        [
            str(index),
            e.dossier.product.name,
            e.dossier.entity.name,
            e.dossier.product.commune.name,
            f"{e.average:.2f}" if e.average is not None else "",
            f"{e.session.council.name} ({e.session.date:%d/%m/%Y})",
        ]
        for index, e in enumerate(evaluations, start=1)
    ]
    grounds = [g for g in wording.legal_grounds(level, date)[1:]]
    return OfficialDocument(
        heading=[issuer.heading],
        number=first.forward_number,
        place=issuer.place,
        date=date,
        title="",
        subtitle=subject,
        body=[
            Para(f"Kính gửi: {addressee}.", bold=True, center=True),
            *[Para(ground, italic=True) for ground in grounds],
            Para(
                f"Căn cứ kết quả đánh giá, phân hạng của Hội đồng đánh giá, phân hạng sản phẩm OCOP "
                f"{periods.LEVEL_NAMES[level]}, {issuer.body} đề nghị {addressee} đánh giá, phân hạng "
                f"{len(rows)} sản phẩm{threshold} sau:"
            ),
            Grid(
                ["STT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "Điểm", "Hội đồng"],
                rows,
                [11, 38, 36, 28, 15, 39],
            ),
            Para(
                "Hồ sơ kèm theo: biên bản họp hội đồng, phiếu đánh giá của từng thành viên và hồ sơ sản phẩm "
                "(bản điện tử trên hệ thống)."
            ),
            Para(f"{issuer.body} kính đề nghị {addressee} xem xét./."),
        ],
        signatures=[Signature(issuer.signer_title, first.forward_signer)],
        recipients=["Như trên;", "Lưu: VT."],
        filename_stem=f"cong-van-de-nghi-{date:%Y%m%d}",
    )
