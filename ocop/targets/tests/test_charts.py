"""The dashboard's SVG charts: names escaped, one dot per located commune, sized by count."""

from __future__ import annotations

import re

from ocop.targets.charts import MapPoint, commune_map


def test_commune_map_escapes_names_and_draws_every_located_commune() -> None:
    points = [
        MapPoint('Xã <script>alert("x")</script>', 22.15, 105.83, 0),
        MapPoint("Phường Đức Xuân & Sông Cầu", 22.14, 105.84, 3),
        MapPoint("Xã Bằng Thành", 22.5, 105.7, 1),
        MapPoint("Xã không toạ độ", None, None, 5),
    ]
    svg = str(commune_map(points))
    assert "<script>" not in svg
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in svg
    assert "Phường Đức Xuân &amp; Sông Cầu: 3 sản phẩm OCOP" in svg
    assert svg.count("<circle") == 3
    assert svg.count('class="map__on"') == 2
    radii = [float(r) for r in re.findall(r'r="([\d.]+)" class="map__on"', svg)]
    assert radii == sorted(radii) and radii[-1] == 10.0  # the largest count gets the largest dot
    assert "2 trên 3 xã có sản phẩm OCOP" in svg


def test_commune_map_without_coordinates_says_so() -> None:
    assert "Không có toạ độ xã" in str(commune_map([MapPoint("Xã A", None, None, 1)]))


def test_bar_and_year_charts_escape_labels_and_keep_numbers() -> None:
    from ocop.targets.charts import bar_chart, year_chart

    svg = str(bar_chart([("Nhóm <I> & co", 7), ("Nhóm II", 0)], title='Theo "nhóm"'))
    assert "<I>" not in svg and "Nhóm &lt;I&gt; &amp; co: 7" in svg
    assert "Theo &quot;nhóm&quot;" in svg
    years = str(year_chart({"2024": {"new": 3, "upgraded": 1, "renewed": 0, "revoked": 2}}))
    assert "2024 Công nhận mới: 3" in years and years.count("<rect") == 4 + 4  # bars + legend
