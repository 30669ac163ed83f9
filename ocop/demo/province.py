"""Demo data for `make run`: real Bắc Kạn OCOP producers and products (published lists), one user per role.

The published lists omit some communes; such records are placed in the district's first town/ward
and say so in their address, so the demo never pretends to know more than the source.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from ocop.accounts.models import User
from ocop.accounts.roles import Role
from ocop.certification.services.events import event_record
from ocop.core.text import fold, normalize_display
from ocop.geography.lookup_errors import UnitLookupError
from ocop.geography.models import AdminUnit, Generation, Level
from ocop.geography.resolver import UnitResolver
from ocop.producers.choices import EntityType
from ocop.producers.identity import entity_same_as
from ocop.producers.models import Entity
from ocop.products.identity import product_same_as
from ocop.products.models import Product, ProductSet

DEMO_FILE = Path(__file__).parent / "data" / "bac-kan.csv"
DEMO_PASSWORD = "OcopDemo@2026"  # noqa: S105 — demo accounts only, printed by `make run`
# Officer/admin demo accounts must pass the TOTP step: they share this documented secret (demo_data prints it;
# add it to an authenticator app or compute codes with `pyotp.TOTP(secret).now()`). Demo accounts only.
DEMO_TOTP_SECRET = "OCOPDEMOTOTPSECRETKEYBACKANAAAAA"  # noqa: S105

ENTITY_TYPES = {
    fold(word): entity_type
    for word, entity_type in (
        ("HTX", EntityType.HTX),
        ("Công ty", EntityType.DOANH_NGHIEP),
        ("Doanh nghiệp", EntityType.DOANH_NGHIEP),
        ("Tổ hợp tác", EntityType.TO_HOP_TAC),
        ("Hộ kinh doanh", EntityType.HO_KINH_DOANH),
        ("Cơ sở", EntityType.HO_KINH_DOANH),
    )
}
# Product-set guesses from words in a product name (148/2023 set numbers); first match wins.
SET_HINTS = [
    ("homestay", 26),
    ("du lich", 26),
    ("tinh dau", 20),
    ("ruou", 14),
    ("tra ", 12),
    ("tra", 11),
    ("che", 11),
    ("mat ong", 4),
    ("mien", 6),
    ("bun", 6),
    ("banh pho", 6),
    ("banh", 6),
    ("gao", 3),
    ("nep", 3),
    ("thit", 8),
    ("lap suon", 8),
    ("tinh bot nghe", 18),
    ("curcumin", 18),
    ("nghe", 18),
    ("mang", 7),
    ("nam", 7),
    ("cam", 1),
    ("qua", 1),
    ("hat de", 1),
    ("rau", 1),
    ("bi xanh", 1),
    ("chuoi", 7),
    ("cu mai", 7),
]


@dataclass
class DemoAccount:
    username: str
    role: str
    scope: str


def guess_set_number(product_name: str) -> int:
    key = fold(product_name) + " "
    for hint, number in SET_HINTS:
        if key.startswith(hint) or f" {hint}" in f" {key}":
            return number
    return 7


def _usable(row: dict[str, str]) -> bool:
    entity = (row.get("entity") or "").strip()
    return bool(entity) and not entity.startswith("(") and "…" not in entity


def _seat_of(district: AdminUnit) -> AdminUnit:
    communes = AdminUnit.objects.filter(parent=district, level=Level.COMMUNE).order_by("code")
    return communes.filter(type_name__in=["Thị trấn", "Phường"]).first() or communes.first()


def _place_of(row: dict[str, str], *, resolver: UnitResolver, province: AdminUnit, city: AdminUnit):
    """(commune, address note) of a published row; a missing commune goes to the district seat, said so."""
    district = city
    if row.get("district"):
        try:
            district = resolver.resolve_district(row["district"], province=province)
        except UnitLookupError:
            district = city
    if row.get("commune"):
        try:
            return resolver.resolve_commune(row["commune"], district=district, province=province), ""
        except UnitLookupError:
            pass
    return _seat_of(district), f"{district.name} (công bố không nêu xã)"


def _decision_of(row: dict[str, str]) -> tuple[dt.date, str] | None:
    """The decision date of a published row, or 1 December of its year when only the year is known."""
    raw = (row.get("decision_date") or "").strip()
    if raw:
        try:
            return dt.datetime.strptime(raw, "%d/%m/%Y").date(), "theo quyết định đã công bố"
        except ValueError:
            pass
    year = (row.get("year") or "").strip()
    if year.isdigit():
        return dt.date(int(year), 12, 1), "ngày ước tính: công bố chỉ ghi năm"
    return None


def _record_demo_event(product: Product, row: dict[str, str]) -> bool:
    stars = (row.get("stars") or "").strip()
    decision = _decision_of(row)
    if not stars.isdigit() or decision is None:
        return False
    day, note = decision
    score = None
    try:
        score = Decimal(row["score"]) if row.get("score") else None
    except InvalidOperation:
        score = None
    try:
        _event, created = event_record(
            product=product,
            stars=int(stars),
            decision_date=day,
            score=score,
            decision_number=(row.get("decision_no") or "").strip(),
            source=f"Dữ liệu mẫu ({note})",
        )
    except ValidationError:
        return False  # a published line that contradicts the history (e.g. the same star twice in a year)
    return created


@transaction.atomic
def load_demo_producers(path: Path = DEMO_FILE) -> tuple[int, int]:
    resolver = UnitResolver()
    province = resolver.resolve_province("Bắc Kạn", generation=Generation.LEGACY)
    city = resolver.resolve_district("Thành phố Bắc Kạn", province=province)
    sets = {
        s.number: s
        for s in ProductSet.objects.filter(group__classification__is_current=True).select_related("group")
    }
    with path.open(encoding="utf-8-sig") as handle:
        rows = [row for row in csv.DictReader(handle) if _usable(row)]
    # Rows that name their commune first, so a later row without one joins the same entity.
    rows.sort(key=lambda row: (not row.get("commune"), _decision_of(row) or (dt.date.max, "")))
    entities_created = products_created = 0
    for row in rows:
        commune, address = _place_of(row, resolver=resolver, province=province, city=city)
        name = normalize_display(row["entity"])
        entity = entity_same_as(name=name, commune=commune)
        if entity is None and address:  # placed in the district's seat: the province's entity of that name
            entity = Entity.objects.filter(name_key=fold(name), commune__province=province).first()
        if entity is None:
            kind = ENTITY_TYPES.get(fold(row.get("entity_type", "")), EntityType.HO_KINH_DOANH)
            entity = Entity(name=name, entity_type=kind, commune=commune, address=address)
            entity.full_clean()
            entity.save()
            entities_created += 1
        product_name = normalize_display(row["name"])
        product = product_same_as(entity=entity, name=product_name, commune=entity.commune)
        if product is not None:
            _record_demo_event(product, row)
            continue
        product = Product(
            name=product_name,
            entity=entity,
            commune=entity.commune,
            product_set=sets.get(guess_set_number(product_name)),
            description=f"Nguồn công bố: {row.get('source_url', '').split(' ; ')[0]}",
        )
        product.full_clean()
        product.save()
        products_created += 1
        _record_demo_event(product, row)
    load_demo_support()
    return entities_created, products_created


def ensure_demo_users() -> list[DemoAccount]:
    """One account per role bound to Bắc Kạn / Thái Nguyên places; existing accounts are left alone."""
    province = AdminUnit.objects.get(level=Level.PROVINCE, generation=Generation.REFORM_2025, code="19")
    district = AdminUnit.objects.get(level=Level.DISTRICT, generation=Generation.LEGACY, code="061")  # Ba Bể
    cho_ra = AdminUnit.objects.get(level=Level.COMMUNE, generation=Generation.LEGACY, code="01888")
    commune = cho_ra.successor or cho_ra
    entity = (
        Entity.objects.filter(name="HTX Tài Hoan").first()
        or Entity.objects.filter(commune__province__code="06").order_by("id").first()
    )
    wanted = [
        ("admin", Role.ADMIN, None, None),
        ("tinh", Role.PROVINCE_OFFICER, province, None),
        ("huyen", Role.DISTRICT_OFFICER, district, None),
        ("xa", Role.COMMUNE_OFFICER, commune, None),
        ("hoidong", Role.COUNCIL_MEMBER, None, None),
        ("chuthe", Role.PRODUCER, None, entity),
    ]
    accounts = []
    for username, role, unit, bound_entity in wanted:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                role=role,
                unit=unit,
                entity=bound_entity,
                full_name=f"Demo {Role(role).label}",
                is_superuser=role == Role.ADMIN,
                is_staff=role == Role.ADMIN,
            )
            user.set_password(DEMO_PASSWORD)
            user.full_clean()
            user.save()
        from ocop.accounts.twofactor import ensure_device, requires_two_factor

        if requires_two_factor(user):
            ensure_device(user, DEMO_TOTP_SECRET)
        accounts.append(DemoAccount(username, Role(role).label, user.scope_label))
    return accounts


# --- Support records (ocop/support, issue 8) -------------------------------------------------------------
# Illustrative records, derived deterministically from the demo producers and products above so that the
# KPI page and the annual report show figures. The totals echo the Bắc Kạn reports quoted in issue 8 where
# the demo holds enough products (trainees, consulting rounds, the four geographical indications, 18 points of
# sale); the rest are scaled to the 51 demo products. Every record says "dữ liệu mẫu" (demo data).

DEMO_NOTE = "Dữ liệu mẫu"
DEMO_PRIORITY_GROUPS = [
    ("Rau quả", [1, 7]),
    ("Gạo và sản phẩm từ gạo", [3, 6]),
    ("Chè", [11, 12]),
    ("Dược liệu", [18, 19, 20]),
    ("Du lịch nông thôn", [26]),
]
DEMO_GIS = ["Quýt Bắc Kạn", "Hồng không hạt Bắc Kạn", "Miến dong Bắc Kạn", "Vịt bầu cổ xanh Bắc Kạn"]


def load_demo_support(today: dt.date | None = None) -> int:
    """Idempotent: does nothing when the demo support records exist. Returns the number of records added."""
    from ocop.support.models import (
        ConsultingRound,
        EcommerceListing,
        EntityYear,
        ExportShipment,
        FairParticipation,
        IntellectualProperty,
        PointOfSale,
        PriorityGroup,
        RawMaterialArea,
        TradeFair,
        TrainingCourse,
    )

    if TrainingCourse.objects.filter(organiser=DEMO_NOTE).exists():
        return 0
    province = AdminUnit.objects.filter(level=Level.PROVINCE, generation=Generation.LEGACY, code="06").first()
    if province is None:
        return 0
    products = list(
        Product.objects.filter(commune__province=province).select_related("entity", "commune").order_by("id")
    )
    entities = list(Entity.objects.filter(commune__province=province).order_by("id"))
    if not products or not entities:
        return 0
    today = today or dt.date.today()
    communes = list(dict.fromkeys(e.commune for e in entities))
    added = []

    def keep(record) -> None:
        record.full_clean()
        record.save()
        added.append(record)

    with transaction.atomic():
        for index, (officers, coop, founders) in enumerate([(120, 80, 400), (95, 70, 450), (80, 60, 350)]):
            keep(
                TrainingCourse(
                    title=f"Tập huấn nâng cao năng lực chủ thể OCOP năm {2022 + index}",
                    commune=communes[index % len(communes)],
                    start_date=dt.date(2022 + index, 5, 10),
                    end_date=dt.date(2022 + index, 5, 12),
                    organiser=DEMO_NOTE,
                    officers=officers,
                    coop_members=coop,
                    founders=founders,
                )
            )
        for index in range(11):
            keep(
                ConsultingRound(
                    entity=entities[index % len(entities)],
                    held_on=dt.date(2023, 1 + index, 15),
                    topic=["Thiết kế bao bì, nhãn mác", "Truy xuất nguồn gốc", "Hồ sơ đánh giá OCOP"][
                        index % 3
                    ],
                    consultant=DEMO_NOTE,
                )
            )
        for index, name in enumerate(DEMO_GIS):
            keep(
                IntellectualProperty(
                    kind="gi",
                    name=name,
                    commune=communes[index % len(communes)],
                    holder=f"UBND tỉnh Bắc Kạn ({DEMO_NOTE.lower()})",
                    granted_on=dt.date(2018 + index, 6, 1),
                )
            )
        for index, product in enumerate(products[:5]):
            keep(
                IntellectualProperty(
                    kind="collective",
                    name=product.name,
                    commune=product.commune,
                    holder=f"{product.entity.name} ({DEMO_NOTE.lower()})",
                    entity=product.entity,
                    granted_on=dt.date(2021, 3 + index, 1),
                )
            )
        for index, product in enumerate(products[:13]):
            keep(
                RawMaterialArea(
                    product=product,
                    standard=["vietgap", "organic", "gacp_who"][index % 3],
                    area_ha=Decimal(5 + index * 3),
                    location=DEMO_NOTE,
                    valid_from=dt.date(2023, 1, 1),
                    valid_until=dt.date(2027, 12, 31),
                )
            )
        for index, product in enumerate(products[:2]):
            keep(
                ExportShipment(
                    product=product,
                    shipped_on=dt.date(2024, 9, 1 + index),
                    country="Nhật Bản",
                    quantity=DEMO_NOTE,
                )
            )
        checked = today - dt.timedelta(days=30)
        for index, product in enumerate(products):
            if index % 5 == 4:
                continue  # not every product is on the marketplace
            keep(
                EcommerceListing(
                    product=product,
                    platform="postmart",
                    url=f"https://postmart.vn/demo/{product.pk}",
                    national_programme=index % 2 == 0,
                    listed_on=dt.date(2023, 6, 1),
                    checked_alive_on=max(checked, dt.date(2023, 6, 1)),
                )
            )
            if index % 4 == 0:
                platform = ["lazada", "shopee", "province"][index % 3]
                keep(
                    EcommerceListing(
                        product=product,
                        platform=platform,
                        url=f"https://{platform}.example.vn/demo/{product.pk}",
                        listed_on=dt.date(2024, 1, 1),
                        checked_alive_on=max(checked, dt.date(2024, 1, 1)),
                    )
                )
        for index in range(18):
            commune = communes[index % len(communes)]
            outlet = PointOfSale(
                name=f"Điểm giới thiệu sản phẩm OCOP số {index + 1}",
                kind="showroom" if index < 2 else "point",
                commune=commune,
                address=f"{commune.name} ({DEMO_NOTE.lower()})",
                latitude=commune.latitude,
                longitude=commune.longitude,
                opened_on=dt.date(2022, 1 + index % 12, 1),
                opening_notes="7:30–17:00 từ thứ Hai đến thứ Bảy (dữ liệu mẫu)",
            )
            keep(outlet)
            outlet.products.set(products[index % len(products) :: 9][:6])
        fairs = [
            ("Hội chợ OCOP tỉnh Bắc Kạn 2023", "province", "Thành phố Bắc Kạn", dt.date(2023, 10, 1), None),
            ("Hội chợ OCOP khu vực phía Bắc 2024", "region", "Hà Nội", dt.date(2024, 10, 1), None),
            # An event to come, like the Ba Bể fair with its 12 booths (issue 23): the public calendar's top.
            ("Hội chợ OCOP Ba Bể", "province", "Bờ hồ Ba Bể", today + dt.timedelta(days=20), 12),
        ]
        for index, (name, level, venue, start, booths) in enumerate(fairs):
            fair = TradeFair(
                name=f"{name} ({DEMO_NOTE.lower()})",
                level=level,
                commune=communes[0],
                venue=venue,
                organiser="Sở Công Thương tỉnh Bắc Kạn (dữ liệu mẫu)",
                booths=booths,
                start_date=start,
                end_date=start + dt.timedelta(days=4),
            )
            keep(fair)
            for offset, entity in enumerate(entities[index::3][:8]):
                sales = (offset + 2) * 3_500_000 if start <= today else 0  # no sales before the event
                FairParticipation.objects.create(fair=fair, entity=entity, sales_vnd=sales)
            fair.products.set(Product.objects.filter(entity__in=entities[index::3][:8])[:12])
        for index, entity in enumerate(entities):
            first = Decimal(300 + 40 * index)
            growth = Decimal("1.25") if index % 17 else Decimal("1.02")  # most grow, a few do not
            for year, revenue in [(2022, first), (2024, (first * growth).quantize(Decimal("0.1")))]:
                keep(
                    EntityYear(
                        entity=entity,
                        year=year,
                        revenue_million=revenue,
                        workers=8 + index % 7,
                        local_workers=6 + index % 3,
                    )
                )
        reform = AdminUnit.objects.filter(
            level=Level.PROVINCE, generation=Generation.REFORM_2025, code="19"
        ).first()
        sets = {s.number: s for s in ProductSet.objects.filter(group__classification__is_current=True)}
        for unit in filter(None, [province, reform]):
            for position, (name, numbers) in enumerate(DEMO_PRIORITY_GROUPS, start=1):
                group, _created = PriorityGroup.objects.get_or_create(
                    province=unit, name=name, defaults={"position": position}
                )
                group.product_sets.set([sets[n] for n in numbers if n in sets])
    return len(added)
