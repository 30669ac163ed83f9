"""Every service of evaluation and certification that writes also leaves an audit row (issue 18).

The registry below names every public function of those service modules: either a scenario that runs the
write and the audit rows it must leave, or the reason it is not a write of its own. A new service function
fails ``test_every_service_function_is_classified`` until it is added here."""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable
from types import ModuleType

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ocop.certification.services import certificates, events, reminders
from ocop.core.models import AuditLog
from ocop.evaluation.choices import CouncilLevel
from ocop.evaluation.services import councils, criteria, dossiers, intake, results, scoring

from .factories import checked_dossier, completed, council_with_members, score_all, submitted_dossier
from .helpers import best_choices

MODULES: list[ModuleType] = [
    dossiers,
    intake,
    councils,
    scoring,
    results,
    criteria,
    events,
    certificates,
    reminders,
]

# Public functions that are not writes of their own, and why.
NOT_WRITES = {
    "dossiers.dossier_snapshot": "read: the content kept with a submission",
    "intake.propose_plan": "read: what proposing will do",
    "intake.return_plan": "read: what returning will do",
    "councils.may_run_level": "read: the periods table for a council's year",
    "scoring.scoring_members": "read",
    "scoring.expected_members": "read",
    "scoring.session_quorum": "read",
    "scoring.member_of": "read",
    "scoring.evaluation_refresh": "derived: recomputed inside the audited writes that change its inputs",
    "results.forward_rule": "read",
    "results.forward_level": "read",
    "results.forward_plan": "read: what forwarding will do",
    "results.return_down_plan": "read: what returning will do",
    "results.decidable_stars": "read",
    "results.decision_plan": "read: what the decision will record",
    "criteria.criteria_load_shipped": "system: the shipped sheets (ocop init); audited when a user loads",
    "criteria.active_criteria_version": "read (loads the shipped sheet on a fresh database)",
    "certificates.certificate_values": "read: pure rule",
    "certificates.certificates_sync": "derived: certificates follow the audited events",
    "events.revoking_level": "read",
    "events.recognition_record_plan": "read: what typing in a decision will record",
    "events.revocation_plan": "read: what recording a revocation will do",
}


def _public_functions() -> set[str]:
    names = set()
    for module in MODULES:
        short = module.__name__.rsplit(".", 1)[-1]
        for name, value in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(value) or value.__module__ != module.__name__:
                continue
            names.add(f"{short}.{name}")
    return names


# -- scenarios: prepare, then return the write to run and the audit labels it must leave -------------------
Act = Callable[[], object]


def _pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("gcn.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


def _draft(world):
    return dossiers.dossier_create(
        user=world.users.producer, product=world.products.mien, year=2026, round_number=1, kind="new"
    )


def _idea(world):
    return dossiers.idea_submit(
        user=world.users.producer,
        entity=world.entities.nam_mau,
        product_name="Bún khô",
        product_set=world.products.mien.product_set,
        description="Ý tưởng",
        kind="new",
        year=2026,
    )


def _in_council(world, *, product=None):
    dossier = checked_dossier(world, product=product)
    setup = council_with_members(world, count=3, prefix="au")
    evaluation = councils.evaluation_open(user=setup.officer, dossier=dossier, session=setup.session)
    return evaluation, setup


def _scored(world):
    evaluation, setup = _in_council(world)
    score_all(evaluation, setup.members, [best_choices(evaluation.dossier.criteria_version.sheet)] * 3)
    return evaluation, setup


def _forwarded(world):
    evaluation, setup = _scored(world)
    results.evaluation_forward(
        user=world.users.province, evaluation=evaluation, number="1", date=dt.date(2026, 5, 20)
    )
    ministry = council_with_members(
        world,
        level=CouncilLevel.MINISTRY,
        officer=world.users.ministry,
        prefix="aub",
        date=dt.date(2026, 6, 1),
    )
    upper = councils.evaluation_open(
        user=world.users.ministry, dossier=evaluation.dossier, session=ministry.session
    )
    return upper, ministry


def _recognised(world):
    events.event_record(
        product=world.products.mien, stars=4, decision_date=dt.date(2025, 3, 1), decision_number="1"
    )


def s_idea_submit(world) -> tuple[Act, set[str]]:
    return lambda: _idea(world), {"evaluation.productidea"}


def s_idea_review(world):
    idea = _idea(world)
    return lambda: dossiers.idea_review(user=world.users.commune, idea=idea, accept=True), {
        "evaluation.productidea",
        "products.product",
    }


def s_dossier_create(world):
    return lambda: _draft(world), {"evaluation.dossier"}


def s_dossier_choose(world):
    draft = _draft(world)
    return lambda: dossiers.dossier_choose(user=world.users.producer, dossier=draft, code="A1.b", option=2), {
        "evaluation.dossier"
    }


def s_dossier_assess(world):
    draft = _draft(world)
    return lambda: dossiers.dossier_assess(
        user=world.users.producer, dossier=draft, choices=[("A1.b", 2), ("A1.a", 1)]
    ), {"evaluation.dossier"}


def s_evidence_create(world):
    return lambda: dossiers.evidence_create(
        user=world.users.producer, entity=world.entities.nam_mau, title="GCN", upload=_pdf()
    ), {"evaluation.evidence"}


def s_evidence_add(world):
    draft = _draft(world)
    return lambda: dossiers.evidence_add(
        user=world.users.producer, dossier=draft, code="A3.e", title="GCN", upload=_pdf()
    ), {"evaluation.evidence", "evaluation.dossierevidence"}


def s_evidence_attach(world):
    draft = _draft(world)
    evidence = dossiers.evidence_create(
        user=world.users.producer, entity=world.entities.nam_mau, title="GCN", url="https://x.vn/a"
    )
    return lambda: dossiers.evidence_attach(
        user=world.users.producer, dossier=draft, evidence=evidence, code="A3.e"
    ), {"evaluation.dossierevidence"}


def s_evidence_detach(world):
    draft = _draft(world)
    dossiers.evidence_add(
        user=world.users.producer, dossier=draft, code="A3.e", title="GCN", url="https://x.vn/a"
    )
    link = draft.evidence_links.get()
    return lambda: dossiers.evidence_detach(user=world.users.producer, dossier=draft, link_id=link.pk), {
        "evaluation.dossierevidence"
    }


def s_dossier_submit(world):
    draft = _draft(world)
    dossiers.dossier_choose(user=world.users.producer, dossier=draft, code="A1.b", option=2)
    return lambda: dossiers.dossier_submit(user=world.users.producer, dossier=draft, accept_missing=True), {
        "evaluation.dossier"
    }


def s_commune_choose(world):
    dossier = submitted_dossier(world)
    return lambda: intake.commune_choose(user=world.users.commune, dossier=dossier, code="A1.a", option=1), {
        "evaluation.communeassessment"
    }


def s_commune_choose_many(world):
    dossier = submitted_dossier(world)
    return lambda: intake.commune_choose_many(
        user=world.users.commune, dossier=dossier, choices={"A1.a": 1, "A2.a": 1}
    ), {"evaluation.communeassessment"}


def s_dossier_propose(world):
    dossier = submitted_dossier(world)
    intake.commune_choose_many(
        user=world.users.commune, dossier=dossier, choices={"A1.a": 1, "A2.a": 1, "A3.c": 1, "B5.b": 1}
    )
    return lambda: intake.dossier_propose(user=world.users.commune, dossier=dossier, note="Đề xuất"), {
        "evaluation.dossier",
        "evaluation.communeassessment",
    }


def s_dossier_receive(world):
    from .factories import commune_scores

    dossier = commune_scores(world, submitted_dossier(world))
    return lambda: intake.dossier_receive(user=world.users.province, dossier=dossier), {"evaluation.dossier"}


def s_dossier_check(world):
    from .factories import commune_scores

    dossier = commune_scores(world, submitted_dossier(world))
    intake.dossier_receive(user=world.users.province, dossier=dossier)
    return lambda: intake.dossier_check(user=world.users.province, dossier=dossier, note="Đủ"), {
        "evaluation.dossier"
    }


def s_dossier_return(world):
    dossier = submitted_dossier(world)
    return lambda: intake.dossier_return(
        user=world.users.commune, dossier=dossier, requests=[("A3.e", "Bổ sung")]
    ), {
        "evaluation.dossier",
        "evaluation.supplementrequest",
    }


def s_council_create(world):
    return lambda: councils.council_create(
        user=world.users.province, level="province", year=2026, round_number=1, name="HĐ"
    ), {"evaluation.council"}


def s_council_member_add(world):
    council = councils.council_create(
        user=world.users.province, level="province", year=2026, round_number=1, name="HĐ"
    )
    return lambda: councils.council_member_add(
        user=world.users.province, council=council, member_user=world.users.council, role="chair"
    ), {"evaluation.councilmember"}


def s_session_create(world):
    council = councils.council_create(
        user=world.users.province, level="province", year=2026, round_number=1, name="HĐ"
    )
    return lambda: councils.session_create(
        user=world.users.province, council=council, date=dt.date(2026, 5, 1)
    ), {"evaluation.session"}


def s_session_attendance_record(world):
    setup = council_with_members(world, count=2, prefix="att")
    return lambda: councils.session_attendance_record(
        user=world.users.province, session=setup.session, members=setup.seats[:1]
    ), {"evaluation.session"}


def s_evaluation_open(world):
    dossier = checked_dossier(world)
    setup = council_with_members(world, count=2, prefix="op")
    return lambda: councils.evaluation_open(
        user=world.users.province, dossier=dossier, session=setup.session
    ), {
        "evaluation.evaluation",
        "evaluation.dossier",
    }


def s_score_choose(world):
    evaluation, setup = _in_council(world)
    return lambda: scoring.score_choose(
        user=setup.members[0], evaluation=evaluation, code="A1.b", option=1
    ), {"evaluation.scoresheet"}


def s_score_submit(world):
    evaluation, setup = _in_council(world)
    sheet = evaluation.dossier.criteria_version.sheet
    scoring.score_save(
        user=setup.members[0], evaluation=evaluation, choices=list(completed(sheet, {"A1.b": 1}).items())
    )
    return lambda: scoring.score_submit(user=setup.members[0], evaluation=evaluation), {
        "evaluation.scoresheet"
    }


def s_score_save(world):
    evaluation, setup = _in_council(world)
    choices = list(completed(evaluation.dossier.criteria_version.sheet, {"A1.b": 1, "A1.a": 1}).items())
    return lambda: scoring.score_save(
        user=setup.members[0], evaluation=evaluation, choices=choices, submit=True
    ), {"evaluation.scoresheet"}


def s_evaluation_explain_spread(world):
    evaluation, setup = _in_council(world)
    return lambda: scoring.evaluation_explain_spread(
        user=setup.members[0], evaluation=evaluation, text="Giải trình"
    ), {"evaluation.evaluation"}


def s_evaluation_knockouts_set(world):
    from ocop import testing

    product = testing.make_product(entity=world.entities.nam_mau, name="Bánh gai", set_number=5)
    evaluation, setup = _in_council(world, product=product)
    code = evaluation.dossier.criteria_version.sheet.knockouts()[0].code
    return lambda: scoring.evaluation_knockouts_set(
        user=setup.members[0], evaluation=evaluation, codes=[code]
    ), {"evaluation.evaluation"}


def s_evaluation_forward(world):
    evaluation, _ = _scored(world)
    return lambda: results.evaluation_forward(
        user=world.users.province, evaluation=evaluation, number="1", date=dt.date(2026, 5, 20)
    ), {"evaluation.evaluation", "evaluation.dossier"}


def s_evaluation_return_down(world):
    upper, ministry = _forwarded(world)
    score_all(upper, ministry.members, [best_choices(upper.dossier.criteria_version.sheet)] * 3)
    return lambda: results.evaluation_return_down(
        user=world.users.ministry, evaluation=upper, note="Trả về", date=dt.date(2026, 6, 10)
    ), {"evaluation.evaluation"}


def s_decision_record(world):
    upper, ministry = _forwarded(world)
    score_all(upper, ministry.members, [best_choices(upper.dossier.criteria_version.sheet)] * 3)
    return lambda: results.decision_record(
        user=world.users.ministry, evaluation=upper, number="9", date=dt.date(2026, 6, 10)
    ), {"evaluation.evaluation", "evaluation.dossier", "certification.recognitionevent"}


def s_criteria_version_load(world):
    from ocop.evaluation.criteria import sheet_path

    text = sheet_path(3).read_text(encoding="utf-8-sig") + "\n\n"
    return lambda: criteria.criteria_version_load(
        set_number=3, source_text=text, source_name="sua.csv", user=world.users.admin
    ), {"evaluation.criteriaversion"}


def s_event_record(world):
    return lambda: events.event_record(
        product=world.products.mien, stars=3, decision_date=dt.date(2026, 1, 5), user=world.users.admin
    ), {"certification.recognitionevent"}


def s_recognition_record(world):
    return lambda: events.recognition_record(
        user=world.users.province, product=world.products.mien, stars=3, number="5", date=dt.date(2024, 6, 1)
    ), {"certification.recognitionevent"}


def s_revocation_decide(world):
    _recognised(world)
    return lambda: events.revocation_decide(
        user=world.users.province,
        product=world.products.mien,
        number="7",
        date=dt.date(2026, 5, 4),
        reason="Ngừng",
    ), {"certification.recognitionevent"}


def s_expiry_reminders_send(world):
    events.event_record(product=world.products.mien, stars=4, decision_date=dt.date(2023, 12, 1))
    return lambda: reminders.expiry_reminders_send(today=dt.date(2026, 11, 15)), {
        "certification.expirynotice",
        "certification.certificate",
    }


def s_notice_mark_read(world):
    events.event_record(product=world.products.mien, stars=4, decision_date=dt.date(2023, 12, 1))
    notice = reminders.expiry_reminders_send(today=dt.date(2026, 11, 15))[0]
    return lambda: reminders.notice_mark_read(user=world.users.producer, notice=notice), {
        "certification.expirynotice"
    }


SCENARIOS = {
    name.removeprefix("s_"): value for name, value in list(globals().items()) if name.startswith("s_")
}


def test_every_service_function_is_classified():
    classified = {name.split(".", 1)[1] for name in NOT_WRITES} | set(SCENARIOS)
    found = {name.split(".", 1)[1] for name in _public_functions()}
    assert found - classified == set(), "write a scenario (or say why it is no write) for these"
    assert classified - found == set(), "these are no longer service functions"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_every_write_leaves_its_audit_rows(world, name):
    act, labels = SCENARIOS[name](world)
    last = AuditLog.objects.order_by("-id").values_list("id", flat=True).first() or 0
    act()
    written = set(AuditLog.objects.filter(id__gt=last).values_list("model_label", flat=True))
    assert labels <= written, f"{name}: missing audit rows for {sorted(labels - written)}"
