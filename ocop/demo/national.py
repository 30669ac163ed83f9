"""National-scale synthetic data (`ocop demo-data --scale national`): the recognition history of the whole
country as the list a province office would import — rows before 01/07/2025 naming the 63 old provinces
(commune, district, province), later rows naming the 34 new ones (commune, province) — deterministic for a
given seed. The database is filled by importing that list
(``ocop.imports.services.importing.import_apply``): the demo writes nothing through any other path.

Realism rules:
- Names are built from Vietnamese syllable lists and the 148/2023 product sets (gạo → set 3, chè → set 11…).
- Every old province has entities founded before the merger and every new province entities founded after
  it (given enough products); the rest are spread by number of communes. An entity founded before the
  merger is registered under an old commune; its products' later rows name that commune's successor, and a
  product first recognised after the merger is registered under the successor itself.
- Each product has 1–4 decisions: a new recognition, then renewals/upgrades about every 36 months or a
  revocation while in force; every line is checked with ``certification.history.check_line``. A few
  products start mid-history (a renewal with no earlier line: the import warns), and later rows often
  write the names with the other final i/y or tone placement (Sỹ/Sĩ, Hoà/Hòa): the same products.
- Names are unique where the import's identity rules would merge them (``ocop.producers.identity``,
  ``ocop.products.identity``), so the generator's own record of each product (``NationalHistory.products``)
  gives the counts the import must reach — an independent count from the file (``expected``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from ocop.certification.choices import EventKind
from ocop.certification.history import BANDS, Line, check_line
from ocop.certification.models import Certificate, RecognitionEvent
from ocop.certification.validity import valid_until
from ocop.core.text import identity_key
from ocop.geography.models import AdminUnit, Generation, Level
from ocop.legal.periods import REFORM_DATE
from ocop.producers.models import Entity
from ocop.products.identity import probably_same_name
from ocop.products.models import Product

FIRST_DAY = dt.date(2019, 3, 1)
# A fixed horizon (not "today") keeps the data identical from one run to the next.
LAST_DAY = dt.date(2026, 10, 31)
BEFORE_MERGER = REFORM_DATE - dt.timedelta(days=1)  # the day old provinces are counted on
DEFAULT_SEED = 2026
HISTORY_ROWS = 36_000  # the national history file of `make bench`
IMPORT_ROWS = 40_000  # rows per imported part (the import takes 50,000)

HEADER = [
    "STT", "Tên sản phẩm", "Chủ thể", "Loại hình chủ thể", "Mã số thuế", "Xã", "Huyện", "Tỉnh",
    "Nhóm sản phẩm", "Hạng sao", "Điểm", "Số quyết định", "Ngày quyết định", "Hình thức",
]  # fmt: skip
TITLE = "DANH SÁCH SẢN PHẨM OCOP ĐƯỢC CÔNG NHẬN (dữ liệu tổng hợp, cả nước)"

FAMILY = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Lý",
]  # fmt: skip
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Thanh", "Ngọc", "Hữu", "Quang", "Thu", "Kim", "Sỹ"]
GIVEN = [
    "An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hoa", "Hùng", "Hương", "Khánh", "Lan",
    "Linh", "Long", "Mai", "Nam", "Nga", "Phúc", "Phương", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn",
    "Thuỷ", "Quý", "Kỳ", "Mỹ",
]  # fmt: skip
BRAND = [
    "An Phú", "Bảo Lộc", "Bình Minh", "Đại Dương", "Đồng Xanh", "Hoa Sen", "Hồng Hà", "Hưng Thịnh",
    "Kim Ngân", "Lam Sơn", "Minh Châu", "Nam Việt", "Ngọc Lan", "Phú Quý", "Phúc Lộc", "Quê Hương",
    "Sao Mai", "Tân Tiến", "Thành Công", "Thiên Phú", "Trường Xuân", "Việt Hưng", "Xuân Mai", "Yên Bình",
    "Mỹ Hưng", "Thiên Kỳ", "Hoà Thuận", "Thuỷ Tiên", "Sỹ Lâm", "Hy Vọng",
]  # fmt: skip
ENTITY_KINDS = [
    ("HTX", "HTX", 40), ("Doanh nghiệp", "Công ty TNHH", 25), ("Tổ hợp tác", "Tổ hợp tác", 5),
    ("Hộ kinh doanh", "Hộ kinh doanh", 30),
]  # fmt: skip
# (product noun, group code of the 148/2023 classification)
PRODUCTS = [
    ("Gạo", "I"), ("Gạo nếp", "I"), ("Gạo lứt", "I"), ("Mật ong", "I"), ("Miến dong", "I"), ("Bún khô", "I"),
    ("Bánh đa", "I"), ("Bánh chưng", "I"), ("Măng khô", "I"), ("Nấm hương", "I"), ("Chuối sấy", "I"),
    ("Mít sấy", "I"), ("Giò bò", "I"), ("Lạp sườn", "I"), ("Chả cá", "I"), ("Nước mắm", "I"),
    ("Chè búp", "I"), ("Chè Shan tuyết", "I"), ("Trà hoa vàng", "I"), ("Trà túi lọc", "I"),
    ("Rượu ngô", "II"), ("Rượu nếp", "II"), ("Tinh bột nghệ", "III"), ("Tinh dầu quế", "III"),
    ("Tinh dầu sả", "III"), ("Cam", "I"), ("Bưởi", "I"), ("Vải thiều", "I"), ("Nhãn lồng", "I"),
    ("Cà phê", "I"), ("Hạt điều", "I"), ("Mắm tôm", "I"), ("Chổi đót", "IV"), ("Homestay", "VI"),
]  # fmt: skip
GROUP_WRITTEN = {
    "I": ("I", "Nhóm 1", "Thực phẩm", "1"),
    "II": ("II", "Nhóm 2", "Đồ uống"),
    "III": ("III", "Nhóm 3", "Dược liệu và sản phẩm từ dược liệu"),
    "IV": ("IV", "Nhóm 4", "Hàng thủ công mỹ nghệ"),
    "VI": ("VI", "Nhóm 6"),
}
STARS = [(3, 66), (4, 29), (5, 5)]
KIND_WORDS = {
    EventKind.NEW: "Công nhận mới",
    EventKind.RENEWAL: "Công nhận lại",
    EventKind.UPGRADE: "Nâng hạng",
    EventKind.REVOCATION: "Thu hồi",
}
# Other spellings of the same name (the import's identity ignores them): final i/y, tone placement.
RESPELL = {
    "Sỹ": "Sĩ", "Quý": "Quí", "Mỹ": "Mĩ", "Kỳ": "Kì", "Lý": "Lí", "Hy": "Hi", "Hoà": "Hòa", "Thuỷ": "Thủy",
}  # fmt: skip
_RESPELL = re.compile("|".join(rf"\b{word}\b" for word in RESPELL))


@dataclass(frozen=True)
class Commune:
    """A commune as a list names it, and where it counts."""

    id: int
    name: str
    short: str
    district: str  # legacy communes: their district's name
    province_code: str
    province_name: str
    legacy: bool
    successor: Commune | None = None  # legacy communes: the default 2025 successor

    @property
    def canon(self) -> int:
        return self.successor.id if self.successor is not None else self.id

    @property
    def new(self) -> Commune:
        return self.successor if self.successor is not None else self


@dataclass
class GeneratedProduct:
    """What the generator knows of one product: where it counts, its lines (kind, stars, date)."""

    old_province: str | None  # legacy province code, when registered under a legacy commune
    new_province: str  # 2025 province code
    lines: list[tuple[str, int | None, dt.date]]


@dataclass
class NationalHistory:
    rows: list[list[str]]
    row_products: list[int]  # the product (index into ``products``) of each row
    products: list[GeneratedProduct]
    entities: int
    header: list[str] = field(default_factory=lambda: list(HEADER))

    def parts(self, size: int) -> list[list[list[str]]]:
        """The rows in lists of at most about ``size`` rows, each product's rows in one list (a list may
        continue the histories of an earlier one, never split a product between two)."""
        if len(self.rows) <= size:
            return [self.rows]
        per_product = Counter(self.row_products)
        part_of: list[int] = []
        part = count = 0
        for product in range(len(self.products)):
            if count and count + per_product[product] > size:
                part, count = part + 1, 0
            count += per_product[product]
            part_of.append(part)
        parts: list[list[list[str]]] = [[] for _ in range(part + 1)]
        for product, row in zip(self.row_products, self.rows, strict=True):
            parts[part_of[product]].append(row)
        return parts

    def csv_bytes(self, rows: list[list[str]] | None = None) -> bytes:
        """The list as an office writes it: a title row, a blank row, the header, the rows (UTF-8, BOM)."""
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([TITLE])
        writer.writerow([])
        writer.writerow(self.header)
        writer.writerows(self.rows if rows is None else rows)
        return out.getvalue().encode("utf-8-sig")

    def provinces(self, generation: str) -> set[str]:
        """Province codes (old or new generation) that the file names."""
        if generation == Generation.LEGACY:
            return {p.old_province for p in self.products if p.old_province}
        return {p.new_province for p in self.products}

    def expected(self, *, generation: str, as_of: dt.date) -> dict[str, dict]:
        """Per province code of ``generation``: recognised products and their stars as of ``as_of``
        (SPEC §3: the latest line on or before the day is not a revocation), from the generator's own
        record of the products, not from the import."""
        counts: dict[str, dict] = defaultdict(lambda: {"recognized_total": 0, "by_star": Counter()})
        for product in self.products:
            province = product.old_province if generation == Generation.LEGACY else product.new_province
            latest = [line for line in product.lines if line[2] <= as_of]
            if province is None or not latest or latest[-1][0] == EventKind.REVOCATION:
                continue
            counts[province]["recognized_total"] += 1
            counts[province]["by_star"][str(latest[-1][1])] += 1
        return {
            code: {"recognized_total": c["recognized_total"], "by_star": dict(c["by_star"])}
            for code, c in counts.items()
        }


def _weighted(rng: random.Random, options):
    return rng.choices([o[:-1] if len(o) > 2 else o[0] for o in options], weights=[o[-1] for o in options])[0]


def _day_between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange(max(1, (end - start).days + 1)))


def _score(rng: random.Random, stars: int) -> str:
    low, high = BANDS[stars]
    value = Decimal(rng.randrange(low * 100, high * 100 if stars < 5 else high * 100 + 1)) / 100
    return f"{value:.2f}".replace(".", ",")


def _respell(name: str) -> str:
    return _RESPELL.sub(lambda found: RESPELL[found.group()], name)


def _unique(key: str, bare: str) -> str:
    """Names a list keeps apart, for dictionaries of names by commune."""
    return f"{key}\x00{identity_key(bare)}"


class _Places:
    """The communes the generator may name: unique by name where the lists name them (in their district,
    or their 2025 province), so that every row resolves to exactly the commune meant."""

    def __init__(self) -> None:
        provinces = {u.pk: u for u in AdminUnit.objects.filter(level=Level.PROVINCE)}
        units = list(
            AdminUnit.objects.filter(level=Level.COMMUNE)
            .order_by("generation", "code")
            .values_list(
                "id", "name", "short_name", "match_key", "generation", "parent__name", "parent_id",
                "province_id", "successor_id",
            )
        )  # fmt: skip
        named = Counter(
            (parent if generation == Generation.LEGACY else province, key)
            for _pk, _name, _short, key, generation, _d, parent, province, _s in units
        )
        new: dict[int, Commune] = {}
        for pk, name, short, key, generation, _district, _parent, province_id, _successor in units:
            if generation == Generation.REFORM_2025 and named[(province_id, key)] == 1:
                province = provinces[province_id]
                new[pk] = Commune(pk, name, short, "", province.code, province.name, legacy=False)
        self.new_by_province: dict[str, list[Commune]] = defaultdict(list)
        for commune in new.values():
            self.new_by_province[commune.province_code].append(commune)
        self.old_by_province: dict[str, list[Commune]] = defaultdict(list)
        for pk, name, short, key, generation, district, parent, province_id, successor in units:
            if generation == Generation.LEGACY and named[(parent, key)] == 1 and successor in new:
                province = provinces[province_id]
                commune = Commune(
                    pk,
                    name,
                    short,
                    district or "",
                    province.code,
                    province.name,
                    legacy=True,
                    successor=new[successor],
                )
                self.old_by_province[province.code].append(commune)
        old = {p.code for p in provinces.values() if p.generation == Generation.LEGACY}
        self.old_provinces = sorted(code for code in old if self.old_by_province.get(code))
        self.new_provinces = sorted(self.new_by_province)
        self.legacy_of_new: dict[str, list[Commune]] = defaultdict(list)
        for communes in self.old_by_province.values():
            for commune in communes:
                self.legacy_of_new[commune.new.province_code].append(commune)


@dataclass
class _Entity:
    name: str
    kind_word: str
    tax_code: str
    home: Commune  # legacy commune when founded before the merger
    founded: dt.date
    products: list[str] = field(default_factory=list)  # its products' names


def _history(
    rng: random.Random, first: dt.date, *, mid_history: bool
) -> list[tuple[str, int | None, dt.date]]:
    """1–4 decisions of one product, consistent with SPEC §2/§3 (checked by the caller)."""
    wanted = rng.choices([1, 2, 3, 4], weights=[45, 33, 15, 7])[0]
    stars = _weighted(rng, STARS)
    lines = [(EventKind.RENEWAL if mid_history else EventKind.NEW, stars, first)]
    day = first
    while len(lines) < wanted:
        if rng.random() < 0.08:
            revoked = _day_between(rng, day + dt.timedelta(days=60), valid_until(day) - dt.timedelta(days=1))
            if revoked > LAST_DAY:
                break
            lines.append((EventKind.REVOCATION, None, revoked))
            break
        day = valid_until(day) - dt.timedelta(days=rng.randrange(10, 90))
        if day > LAST_DAY:
            break
        if stars < 5 and rng.random() < 0.3:
            stars += 1
            lines.append((EventKind.UPGRADE, stars, day))
        else:
            lines.append((EventKind.RENEWAL, stars, day))
    return lines


def national_history(
    *,
    products: int | None = None,
    rows: int | None = None,
    entities: int | None = None,
    seed: int = DEFAULT_SEED,
) -> NationalHistory:
    """The history list of ``products`` products (with ``entities`` entities, default half as many), or of
    products until ``rows`` rows are written (default: HISTORY_ROWS rows, about 20,000 products)."""
    if products is None and rows is None:
        rows = HISTORY_ROWS
    places = _Places()
    if not places.new_provinces:
        raise ValueError("Chưa có dữ liệu đơn vị hành chính: hãy chạy `ocop init` trước.")
    rng = random.Random(seed)
    wanted_entities = entities or (max(1, products // 2) if products else None)
    weights = [len(places.new_by_province[code]) for code in places.new_provinces]
    made: list[_Entity] = []
    taken: set[str] = set()  # (canon, name identity) of every entity
    lines_out: list[tuple[int, list[str]]] = []  # (product index, row)
    records: list[GeneratedProduct] = []
    numbers: Counter = Counter()

    def entity_for(index: int) -> _Entity:
        """Entity ``index``: the first ones found one per old province (before the merger), then one per
        new province (after it), then anywhere, weighted by communes."""
        if index < len(places.old_provinces):
            home = rng.choice(places.old_by_province[places.old_provinces[index]])
            founded = _day_between(rng, FIRST_DAY, BEFORE_MERGER - dt.timedelta(days=30))
        elif index < len(places.old_provinces) + len(places.new_provinces):
            code = places.new_provinces[index - len(places.old_provinces)]
            home = rng.choice(places.new_by_province[code])
            founded = _day_between(rng, REFORM_DATE, LAST_DAY - dt.timedelta(days=30))
        else:
            code = rng.choices(places.new_provinces, weights=weights)[0]
            founded = _day_between(rng, FIRST_DAY, LAST_DAY - dt.timedelta(days=30))
            legacy = places.legacy_of_new.get(code)
            if founded < REFORM_DATE and legacy:
                home = rng.choice(legacy)
            else:
                home = rng.choice(places.new_by_province[code])
                founded = max(founded, REFORM_DATE)
        kind_word, prefix = _weighted(rng, ENTITY_KINDS)
        name = ""
        for attempt in range(30):
            if kind_word == "Hộ kinh doanh":
                name = f"{prefix} {rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
            else:
                name = f"{prefix} {rng.choice(BRAND)} {home.new.short}"
            if attempt == 29:
                name += f" {index}"
            if _unique(str(home.canon), name) not in taken:
                break
        taken.add(_unique(str(home.canon), name))
        tax_code = f"{9_000_000_000 + index}" if kind_word != "Hộ kinh doanh" else ""
        return _Entity(name, kind_word, tax_code, home, founded)

    while (products is None or len(records) < products) and (rows is None or len(lines_out) < rows):
        number = len(records)
        if (wanted_entities is not None and number < wanted_entities) or (
            wanted_entities is None and (not made or rng.random() < 0.5)
        ):
            entity = entity_for(len(made))
            made.append(entity)
            first = entity.founded
        else:
            entity = made[rng.randrange(len(made))]
            first = _day_between(rng, entity.founded, LAST_DAY)
        registered = entity.home if first < REFORM_DATE else entity.home.new
        noun, group = rng.choice(PRODUCTS)
        name = ""
        for attempt in range(30):
            brand = rng.choice(BRAND) if rng.random() < 0.6 else registered.new.short
            name = f"{noun} {brand}" + (f" {number}" if attempt == 29 else "")
            key = identity_key(name)
            if not any(identity_key(n) == key or probably_same_name(name, n) for n in entity.products):
                break
        entity.products.append(name)
        mid_history = (
            len(made) > len(places.old_provinces) + len(places.new_provinces) and rng.random() < 0.01
        )
        lines = _history(rng, first, mid_history=mid_history)
        checked: list[Line] = []
        for kind, stars, day in lines:
            line = Line(kind, stars, day, len(checked))
            problem = None if (mid_history and not checked) else check_line(checked, line)
            if problem:  # pragma: no cover — the generator's rules are the services' rules
                raise AssertionError(f"{name}: {problem}")
            checked.append(line)
        records.append(
            GeneratedProduct(
                old_province=registered.province_code if registered.legacy else None,
                new_province=registered.new.province_code,
                lines=lines,
            )
        )
        for position, (kind, stars, day) in enumerate(lines):
            unit = registered if day < REFORM_DATE else registered.new
            numbers[(unit.province_code, day.year)] += 1
            later = position > 0 and rng.random() < 0.3
            written_kind = KIND_WORDS[kind] if (kind != EventKind.NEW or rng.random() < 0.8) else ""
            if kind == EventKind.UPGRADE and rng.random() < 0.3:
                written_kind = ""  # inferred: the star rises
            lines_out.append(
                (
                    number,
                    [
                        "",
                        _respell(name) if later else name,
                        _respell(entity.name) if later else entity.name,
                        entity.kind_word if rng.random() < 0.7 else "",
                        entity.tax_code if rng.random() < 0.9 else "",
                        unit.name,
                        unit.district,
                        unit.province_name,
                        rng.choice(GROUP_WRITTEN[group]),
                        "" if stars is None else (f"{stars} sao" if rng.random() < 0.5 else str(stars)),
                        "" if stars is None or rng.random() < 0.5 else _score(rng, stars),
                        f"{numbers[(unit.province_code, day.year)]}/QĐ-UBND",
                        day.strftime("%d/%m/%Y"),
                        written_kind,
                    ],
                )
            )
    rng.shuffle(lines_out)
    for index, (_product, row) in enumerate(lines_out, start=1):
        row[0] = str(index)
    return NationalHistory(
        rows=[row for _p, row in lines_out],
        row_products=[product for product, _row in lines_out],
        products=records,
        entities=len(made),
    )


@dataclass
class NationalResult:
    provinces: int = 0
    entities: int = 0
    products: int = 0
    events: int = 0
    certificates: int = 0
    listed: int = 0
    warnings: int = 0
    by_province: dict[str, int] = field(default_factory=dict)


@transaction.atomic
def generate_national(
    *, products: int = 20_000, entities: int | None = None, seed: int = DEFAULT_SEED
) -> NationalResult:
    """Fill an empty database with the national history of ``products`` products (and ``entities``,
    default half as many), imported as an office would import it; returns the counts.

    Refuses to run on a database that already holds products: the data is meant to be the whole country.
    """
    from ocop.imports.services.importing import import_apply
    from ocop.portal.models import PortalListing

    if Product.objects.exists():
        raise ValueError("CSDL đã có sản phẩm: dữ liệu quy mô quốc gia chỉ nạp vào CSDL trống (`ocop init`).")
    history = national_history(products=products, entities=entities, seed=seed)
    today = max(timezone.localdate(), LAST_DAY)
    result = NationalResult()
    for part in history.parts(IMPORT_ROWS):
        outcome = import_apply(data=history.csv_bytes(part), file_name="du-lieu-quoc-gia.csv", today=today)
        if not outcome.stored:  # pragma: no cover — the generator writes what the import takes
            raise ValueError("Dữ liệu quốc gia bị từ chối: " + "; ".join(e.text for e in outcome.errors[:5]))
        result.warnings += len(outcome.warnings)
    result.provinces = len(history.provinces(Generation.REFORM_2025))
    result.entities = Entity.objects.count()
    result.products = Product.objects.count()
    result.events = RecognitionEvent.objects.count()
    result.certificates = Certificate.objects.count()
    result.listed = PortalListing.objects.count()
    result.by_province = dict(Counter(product.new_province for product in history.products))
    return result
