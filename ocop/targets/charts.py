"""Server-side SVG charts for the dashboard.

Why SVG from the server rather than a JavaScript chart library: the figures are a handful of bars and a
few hundred points; drawing them here costs no download (a chart library is 70–200 kB), works without
JavaScript and without internet (no tile server: the map is commune points from AdminUnit coordinates),
scales to any width through ``viewBox`` and stays accessible — every chart has a title, a text
description, and the same figures in a table next to it.
"""

from __future__ import annotations

import html
import math
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe

KIND_COLOURS = {"new": "#1b6b3a", "upgraded": "#c98a00", "renewed": "#1a5fd0", "revoked": "#b42318"}
KIND_LABELS = {
    "new": "Công nhận mới",
    "upgraded": "Nâng hạng",
    "renewed": "Công nhận lại",
    "revoked": "Thu hồi",
}


def _h(template: str, *args) -> SafeString:
    """format_html with floats written to one decimal: numbers as text, other arguments escaped unless
    already safe. The standard library's escape, not Django's lazy-aware wrappers: a dashboard draws a few
    hundred shapes and format_html costs ~20 µs a call."""
    return mark_safe(template.format(*(_arg(a) for a in args)))  # noqa: S308 — every argument escaped


def _arg(value) -> str:
    if isinstance(value, float):
        return f"{value:.1f}"
    if isinstance(value, (int, SafeString)):
        return str(value)
    return html.escape(str(value))


def _nice_max(value: int) -> int:
    if value <= 4:
        return 4
    magnitude = 10 ** int(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        top = step * magnitude
        if top >= value:
            return int(math.ceil(top))
    return value


def _svg(width: int, height: int, title: str, body: SafeString, desc: str) -> SafeString:
    return _h(
        '<svg class="chart" width="{}" viewBox="0 0 {} {}" role="img" aria-labelledby="{}-t {}-d" '
        'preserveAspectRatio="xMidYMid meet"><title id="{}-t">{}</title><desc id="{}-d">{}</desc>{}</svg>',
        width,
        width,
        height,
        _id(title),
        _id(title),
        _id(title),
        title,
        _id(title),
        desc,
        body,
    )


def _id(title: str) -> str:
    return f"c{zlib.crc32(title.encode()):08x}"


def every_year(
    by_year: dict[str, dict[str, int]], *, through: int | None = None
) -> dict[str, dict[str, int]]:
    """``by_year`` with the years in between (and up to ``through``) present as zeros: a year with no event
    is a fact the chart shows, not a gap it hides."""
    years = [int(year) for year in by_year]
    if through is not None:
        years.append(through)
    if not years:
        return {}
    zero = dict.fromkeys(KIND_LABELS, 0)
    return {str(year): by_year.get(str(year), zero) for year in range(min(years), max(years) + 1)}


def year_chart(
    by_year: dict[str, dict[str, int]],
    *,
    title: str = "Sự kiện công nhận theo năm",
    through: int | None = None,
) -> SafeString:
    """Grouped bars per year (every year from the first event through ``through``, zeros included): new /
    upgraded / renewed / revoked. The legend takes two rows, so no label runs past the edge."""
    by_year = every_year(by_year, through=through)
    years = list(by_year)
    kinds = list(KIND_COLOURS)
    legend_rows = 2
    left, bottom, top, right = 44, 30 + 18 * legend_rows, 12, 8
    group_width = 84
    width = max(360, left + right + group_width * max(len(years), 1))
    height = 220 + 18 * legend_rows
    plot_h = height - top - bottom
    peak = _nice_max(max((n for y in by_year.values() for n in y.values()), default=0))
    peak = 4 * math.ceil(peak / 4)  # four grid steps of whole events, never "1.25"
    parts = []
    for i in range(5):  # grid and axis labels
        value = peak * i / 4
        y = top + plot_h - plot_h * i / 4
        parts.append(
            _h(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" class="chart__grid"/>'
                '<text x="{}" y="{}" class="chart__axis" text-anchor="end">{}</text>',
                left,
                width - right,
                y,
                y,
                left - 4,
                y + 4,
                f"{value:g}",
            )
        )
    bar_w = (group_width - 12) / len(kinds)
    for gi, year in enumerate(years):
        x0 = left + gi * group_width + 6
        for ki, kind in enumerate(kinds):
            n = by_year[year].get(kind, 0)
            h = plot_h * n / peak if peak else 0
            parts.append(
                _h(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{} {}: {}</title></rect>',
                    x0 + ki * bar_w,
                    top + plot_h - h,
                    bar_w - 1,
                    h,
                    KIND_COLOURS[kind],
                    year,
                    KIND_LABELS[kind],
                    n,
                )
            )
        parts.append(
            _h(
                '<text x="{}" y="{}" class="chart__axis" text-anchor="middle">{}</text>',
                x0 + (group_width - 12) / 2,
                top + plot_h + 16,
                year,
            )
        )
    per_row = math.ceil(len(kinds) / legend_rows)
    for ki, kind in enumerate(kinds):  # legend: two rows of two, each entry 130 units wide
        lx = left + (ki % per_row) * 130
        ly = height - 18 * (legend_rows - ki // per_row)
        parts.append(
            _h(
                '<rect x="{}" y="{}" width="10" height="10" fill="{}"/>'
                '<text x="{}" y="{}" class="chart__legend">{}</text>',
                lx,
                ly,
                KIND_COLOURS[kind],
                lx + 14,
                ly + 9,
                KIND_LABELS[kind],
            )
        )
    desc = "; ".join(
        f"{y}: " + ", ".join(f"{KIND_LABELS[k]} {v}" for k, v in by_year[y].items()) for y in years
    )
    body = mark_safe("".join(parts))  # noqa: S308 — every part is built with format_html
    return _svg(width, height, title, body, desc or "Chưa có sự kiện nào.")


def bar_chart(items: Sequence[tuple[str, int]], *, title: str, colour: str = "#1b6b3a") -> SafeString:
    """Horizontal bars with their label and value."""
    label_w, right, row_h = 150, 40, 30
    width = 360
    height = max(row_h * len(items) + 8, 40)
    peak = max((n for _label, n in items), default=0) or 1
    plot_w = width - label_w - right
    parts = []
    for i, (label, n) in enumerate(items):
        y = 4 + i * row_h
        w = plot_w * n / peak
        parts.append(
            _h(
                '<text x="{}" y="{}" class="chart__label" text-anchor="end">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}" rx="3" fill="{}"><title>{}: {}</title></rect>'
                '<text x="{}" y="{}" class="chart__value">{}</text>',
                label_w - 6,
                y + 18,
                label,
                label_w,
                y + 4,
                max(w, 1 if n else 0),
                row_h - 10,
                colour,
                label,
                n,
                label_w + w + 4,
                y + 18,
                n,
            )
        )
    desc = "; ".join(f"{label}: {n}" for label, n in items)
    return _svg(width, height, title, mark_safe("".join(parts)), desc)  # noqa: S308


@dataclass(frozen=True)
class MapPoint:
    name: str
    latitude: float
    longitude: float
    recognised: int


def commune_map(points: Sequence[MapPoint], *, title: str = "Bản đồ xã có sản phẩm OCOP") -> SafeString:
    """Every commune of the unit as a dot at its coordinates (equirectangular, longitude scaled by the
    cosine of the mean latitude); communes with recognised products are larger, green and sized by count."""
    located = [p for p in points if p.latitude is not None and p.longitude is not None]
    if not located:
        return _h('<p class="muted">{}</p>', "Không có toạ độ xã để vẽ bản đồ.")
    lat_min, lat_max = min(p.latitude for p in located), max(p.latitude for p in located)
    lon_min, lon_max = min(p.longitude for p in located), max(p.longitude for p in located)
    scale_x = math.cos(math.radians((lat_min + lat_max) / 2))
    span_x = max((lon_max - lon_min) * scale_x, 1e-6)
    span_y = max(lat_max - lat_min, 1e-6)
    pad = 16
    width = 360
    height = int(min(max(width * span_y / span_x, 200), 520))
    plot_w, plot_h = width - 2 * pad, height - 2 * pad
    ratio = min(plot_w / span_x, plot_h / span_y)
    off_x = pad + (plot_w - span_x * ratio) / 2
    off_y = pad + (plot_h - span_y * ratio) / 2
    peak = max((p.recognised for p in located), default=0) or 1
    empty, full = [], []
    # Plain f-strings with the standard library's escape: a province has hundreds of communes and
    # format_html costs ~20 µs a call; every name is escaped, every number is formatted here.
    for p in sorted(located, key=lambda p: p.recognised):
        x = off_x + (p.longitude - lon_min) * scale_x * ratio
        y = off_y + (lat_max - p.latitude) * ratio
        name = html.escape(p.name)
        if p.recognised:
            r = 4 + 6 * math.sqrt(p.recognised / peak)
            full.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" class="map__on">'
                f"<title>{name}: {int(p.recognised)} sản phẩm OCOP</title></circle>"
            )
        else:
            empty.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" class="map__off"><title>{name}</title></circle>'
            )
    with_products = len(full)
    desc = f"{with_products} trên {len(located)} xã có sản phẩm OCOP được công nhận."
    body = mark_safe("".join([*empty, *full]))  # noqa: S308 — names escaped, numbers formatted above
    return _svg(width, height, title, body, desc)
