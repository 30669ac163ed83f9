"""Tables of the dashboard (and their XLSX exports), built from one loaded UnitHistory."""

from __future__ import annotations

import datetime as dt
import html
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.formats import localize
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from ocop.geography.models import AdminUnit, Level
from ocop.geography.selectors import communes_of
from ocop.producers.choices import EntityType
from ocop.products.models import ProductGroup

from .charts import KIND_LABELS, MapPoint, every_year
from .choices import Metric
from .selectors import GROUP_KEYS, UnitHistory

COUNT_COLUMNS = [
    ("recognised", "Sản phẩm OCOP"),
    ("s3", "3 sao"),
    ("s4", "4 sao"),
    ("s5", "5 sao"),
    ("in_force", "Sản phẩm OCOP còn hiệu lực"),
    ("expired", "Hết hạn, chưa công nhận lại"),
    ("revoked", "Bị thu hồi"),
    ("entities", "Chủ thể"),
]


@dataclass
class Table:
    key: str  # export=<key>
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)

    def body_html(self) -> str:
        """The <tbody> rows, each cell labelled for the phone layout (td data-label) and localised like
        ``{{ value }}`` would be. Built here rather than in a template loop: a province's commune table
        has thousands of cells, and a template variable costs ~15 µs each."""
        if not self.rows:
            return format_html('<tr><td colspan="{}">Chưa có số liệu.</td></tr>', len(self.headers))
        labels = [conditional_escape(header) for header in self.headers]
        plain_ints = not settings.USE_THOUSAND_SEPARATOR
        lines = []
        for row in self.rows:
            cells = "".join(
                f'<td data-label="{label}">{_cell_text(cell, plain_ints)}</td>'
                for label, cell in zip(labels, row, strict=False)
            )
            lines.append(f"<tr>{cells}</tr>")
        return mark_safe("\n".join(lines))  # noqa: S308 — every header and cell is escaped above


def _cell_text(cell, plain_ints: bool) -> str:
    """Escaped, localised text of a cell; counts (plain ints, no thousand separator configured) and plain
    text (names: localize leaves it as is) skip the general localisation and lazy-escape path."""
    if plain_ints and type(cell) is int:
        return str(cell)
    if type(cell) is str:
        return html.escape(cell)
    return conditional_escape(localize(cell))


def _count_row(counts: Counter) -> list[int]:
    return [counts.get(key, 0) for key, _label in COUNT_COLUMNS]


# A commune of the unit as (id, name, district name, latitude, longitude).
CommuneRow = tuple[int, str, "str | None", "float | None", "float | None"]


def unit_communes(unit: AdminUnit) -> list[CommuneRow]:
    """The unit's communes (its own generation) in one query, shared by the commune table, the map and the
    communes total of the dashboard: on PostgreSQL each round trip costs more than these few hundred rows."""
    return list(communes_of(unit).values_list("id", "name", "parent__name", "latitude", "longitude"))


def commune_table(history: UnitHistory, day: dt.date, communes: list[CommuneRow] | None = None) -> Table:
    """Communes (in the unit's generation) with at least one product decided on or before ``day``.

    ``communes`` (from ``unit_communes``) saves the query for their names when it holds every counted-in
    commune, which it does: products are counted in the unit's own communes."""
    counts = history.breakdown(day)
    legacy = history.unit.is_legacy and history.unit.level != Level.COMMUNE
    wanted = {k for k in counts if k}
    names = [(pk, name, parent) for pk, name, parent, _lat, _lon in communes or () if pk in wanted]
    if communes is None or len(names) != len(wanted):
        names = list(
            AdminUnit.objects.filter(pk__in=list(wanted)).order_by().values_list("id", "name", "parent__name")
        )
    headers = ["Xã/phường", *(["Huyện"] if legacy else []), *(label for _k, label in COUNT_COLUMNS)]
    rows = []
    for pk, name, parent in sorted(names, key=lambda c: ((c[2] or "") if legacy else "", c[1])):
        place = [name, *([parent or ""] if legacy else [])]
        rows.append([*place, *_count_row(counts[pk])])
    return Table("communes", "Theo xã/phường", headers, rows)


def district_table(history: UnitHistory, day: dt.date) -> Table | None:
    """Legacy province: per district (as it was until 30/06/2025)."""
    unit = history.unit
    if not (unit.is_legacy and unit.level == Level.PROVINCE):
        return None
    parents = dict(communes_of(unit).values_list("id", "parent_id"))
    counts = history.breakdown(day, group_of=parents)
    districts = AdminUnit.objects.filter(level=Level.DISTRICT, province=unit).order_by("name")
    headers = ["Huyện/thành phố", *(label for _k, label in COUNT_COLUMNS)]
    rows = [[d.name, *_count_row(counts.get(d.pk, Counter()))] for d in districts]
    return Table("districts", "Theo huyện (trước 01/07/2025)", headers, rows)


def year_table(stats: dict) -> Table:
    through = int(stats["as_of"][:4]) if stats.get("as_of") else None
    by_year = every_year(stats["by_year"], through=through)  # the chart's years: zeros included
    rows = [[year, *(kinds[k] for k in KIND_LABELS)] for year, kinds in by_year.items()]
    return Table("years", "Sự kiện công nhận theo năm", ["Năm", *KIND_LABELS.values()], rows)


def star_table(stats: dict) -> Table:
    rows = [[f"{k} sao", n] for k, n in stats["by_star"].items()]
    return Table("stars", "Theo hạng sao", ["Hạng", "Sản phẩm OCOP"], rows)


def group_names() -> dict[str, str]:
    groups = ProductGroup.objects.filter(classification__is_current=True).values_list("code", "name")
    return {code: name for code, name in groups}


def group_table(stats: dict, names: dict[str, str] | None = None) -> Table:
    names = group_names() if names is None else names
    rows = [[code, names.get(code, ""), stats["by_group"][code]] for code in GROUP_KEYS]
    return Table("groups", "Theo nhóm sản phẩm", ["Nhóm", "Tên nhóm", "Sản phẩm OCOP"], rows)


def entity_type_table(stats: dict) -> Table:
    labels = dict(EntityType.choices)
    rows = [[labels[k], n] for k, n in stats["by_entity_type"].items()]
    return Table("entity_types", "Theo loại hình chủ thể", ["Loại hình", "Sản phẩm OCOP"], rows)


def target_table(stats: dict) -> Table:
    labels = dict(Metric.choices)
    rows = [
        [
            labels.get(t["metric"], t["metric"]),
            dt.date.fromisoformat(t["start"]).strftime("%d/%m/%Y"),
            dt.date.fromisoformat(t["deadline"]).strftime("%d/%m/%Y"),
            t["value"],
            t["actual"],
            t["percent"],
        ]
        for t in stats["targets"]
    ]
    return Table(
        "targets",
        "Chỉ tiêu kế hoạch",
        ["Chỉ tiêu", "Từ ngày", "Đến ngày", "Kế hoạch", "Thực hiện", "Tỷ lệ (%)"],
        rows,
    )


def summary_table(stats: dict) -> Table:
    labels = [
        ("recognized_total", "Sản phẩm OCOP"),
        ("in_force_total", "Sản phẩm OCOP còn hiệu lực"),
        ("expired_not_renewed", "Hết hạn, chưa công nhận lại"),
        ("expiring_within_30_days", "Hết hạn trong 30 ngày tới"),
        ("revoked_total", "Bị thu hồi"),
        ("communes_with_products", "Xã có sản phẩm OCOP"),
        ("communes_total", "Tổng số xã"),
        ("entities_total", "Chủ thể có sản phẩm OCOP"),
    ]
    return Table(
        "summary", "Số liệu chính", ["Chỉ số", "Giá trị"], [[label, stats[k]] for k, label in labels]
    )


def map_points(
    history: UnitHistory, day: dt.date, communes: list[CommuneRow] | None = None
) -> list[MapPoint]:
    counts = history.breakdown(day)
    if communes is None:
        communes = unit_communes(history.unit)
    return [
        MapPoint(name, lat, lon, counts[pk]["recognised"] if pk in counts else 0)
        for pk, name, _district, lat, lon in communes
    ]
