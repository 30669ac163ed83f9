"""Benchmark of council scoring (issue 5): a council member's page with the full sheet must render in under
150 ms server time with 500 dossiers in the round; the result of a 9-member council in under 20 ms.

    .venv/bin/python scripts/bench_evaluation.py [--dossiers 500] [--members 9] [--keep]

Builds a temporary database (DATABASE_URL if given, else a fresh SQLite file): administrative units,
classifications and the criteria of Decision 148; one province council of 9 members with one session holding
500 dossiers, each scored by every member. Then times, in process with Django's test client (the view, its
queries and the template — "server time", no network):
* GET of the member's scoring page (full sheet of set 7, the member's own choices) — median and p95;
* GET of the evaluation home page of that member (lists the 500 dossiers, paged);
* the council result of 9 members: the pure scoring (`council_result`) and the stored refresh
  (`evaluation_refresh`, reading the 9 sheets and writing the result).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE_TARGET_MS, RESULT_TARGET_MS = 150.0, 20.0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timed(fn, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def line(name: str, values: list[float], target: float | None = None) -> None:
    p95 = percentile(values, 0.95)
    verdict = "" if target is None else (" PASS" if p95 < target else " FAIL")
    limit = "" if target is None else f" (mục tiêu < {target:.0f} ms)"
    print(f"BENCH {name}: median {statistics.median(values):.1f} ms, p95 {p95:.1f} ms{limit}{verdict}")


def build(dossier_count: int, member_count: int):
    import datetime as dt

    from django.utils import timezone

    from ocop import testing
    from ocop.accounts.roles import Role
    from ocop.evaluation.choices import CouncilLevel, DossierStatus, MemberRole
    from ocop.evaluation.models import CouncilMember, Dossier, Evaluation, ScoreSheet
    from ocop.evaluation.scoring import score_member
    from ocop.evaluation.services.councils import council_create, session_create
    from ocop.evaluation.services.criteria import active_criteria_version
    from ocop.geography.models import AdminUnit, Generation, Level
    from ocop.producers.models import Entity
    from ocop.products.models import Product, ProductSet

    province = AdminUnit.objects.get(code="19", level=Level.PROVINCE, generation=Generation.REFORM_2025)
    communes = list(AdminUnit.objects.filter(province=province, level=Level.COMMUNE)[:50])
    officer = testing.make_user(Role.PROVINCE_OFFICER, unit=province, username="bench-tinh")
    version = active_criteria_version(7)
    product_set = ProductSet.objects.filter(group__classification__is_current=True, number=7).first()
    rng = random.Random(7)
    entities = Entity.objects.bulk_create(
        Entity(name=f"HTX thử nghiệm {i}", entity_type="htx", commune=communes[i % len(communes)])
        for i in range(dossier_count)
    )
    products = Product.objects.bulk_create(
        Product(
            name=f"Sản phẩm {i}",
            entity=e,
            commune=e.commune,
            product_set=product_set,
            group_code=product_set.group.code,
        )
        for i, e in enumerate(entities)
    )
    dossiers = Dossier.objects.bulk_create(
        Dossier(
            product=p,
            entity=p.entity,
            commune=p.commune,
            criteria_version=version,
            year=2026,
            round_number=1,
            status=DossierStatus.IN_COUNCIL,
        )
        for p in products
    )
    council = council_create(
        user=officer, level=CouncilLevel.PROVINCE, year=2026, round_number=1, name="Hội đồng đo hiệu năng"
    )
    users = [testing.make_user(Role.COUNCIL_MEMBER, username=f"bench-hd-{i}") for i in range(member_count)]
    members = CouncilMember.objects.bulk_create(
        CouncilMember(council=council, user=u, role=MemberRole.CHAIR if i == 0 else MemberRole.MEMBER)
        for i, u in enumerate(users)
    )
    session = session_create(user=officer, council=council, date=dt.date(2026, 5, 10))
    evaluations = Evaluation.objects.bulk_create(Evaluation(dossier=d, session=session) for d in dossiers)
    sheet = version.sheet
    now = timezone.now()
    sheets = []
    for evaluation in evaluations:
        for member in members:
            choices = {c.code: rng.choice(c.options).number for c in sheet.criteria if c.options}
            score = score_member(sheet, choices)
            sheets.append(
                ScoreSheet(
                    evaluation=evaluation,
                    member=member,
                    choices=choices,
                    total=int(score.total),
                    parts={k: str(v) for k, v in score.parts.items()},
                    submitted_at=now,
                )
            )
    ScoreSheet.objects.bulk_create(sheets, batch_size=2000)
    return users, evaluations, sheet


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=500)
    parser.add_argument("--members", type=int, default=9)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="ocop-bench-evaluation-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    settings.ALLOWED_HOSTS = ["*"]
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_admin_units", verbosity=0)
    call_command("load_product_classifications", verbosity=0)
    call_command("load_criteria", verbosity=0)
    users, evaluations, sheet = build(args.dossiers, args.members)
    print(
        f"[{connection.vendor}] {args.dossiers} hồ sơ × {args.members} thành viên sẵn sàng trong "
        f"{time.perf_counter() - t0:.1f} s"
    )

    from ocop.evaluation.models import Evaluation
    from ocop.evaluation.scoring import council_result
    from ocop.evaluation.services.scoring import evaluation_refresh

    client = Client()
    client.force_login(users[1])
    target = evaluations[len(evaluations) // 2]
    url = f"/danh-gia/danh-gia/{target.pk}/cham/"
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    size = len(response.content)
    line(
        f"[{connection.vendor}] trang chấm ({len(sheet.criteria)} tiêu chí, {size // 1024} KB)",
        timed(lambda: client.get(url), args.runs),
        PAGE_TARGET_MS,
    )
    line(
        f"[{connection.vendor}] trang Đánh giá của thành viên ({args.dossiers} hồ sơ, trang 1)",
        timed(lambda: client.get("/danh-gia/"), max(10, args.runs // 4)),
        PAGE_TARGET_MS,
    )
    choices = [s.choices for s in target.sheets.all()]
    line(
        f"[{connection.vendor}] kết quả hội đồng {args.members} thành viên (tính điểm thuần)",
        timed(lambda: council_result(sheet, choices), args.runs * 5),
        RESULT_TARGET_MS,
    )
    line(
        f"[{connection.vendor}] kết quả hội đồng {args.members} thành viên (đọc phiếu + ghi kết quả)",
        timed(lambda: evaluation_refresh(Evaluation.objects.get(pk=target.pk)), args.runs),
        RESULT_TARGET_MS,
    )
    if args.keep:
        print(f"giữ CSDL: {workdir}")


if __name__ == "__main__":
    main()
