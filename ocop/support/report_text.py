"""Part II of the annual report in words: the sentences written from the figures (reports.report_figures),
section by section, with the AnnualReport field holding the officers' comment under each. The DOCX, the PDF
and the report page print the same sentences."""

from __future__ import annotations

import datetime as dt
from typing import Any


def _n(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}".replace(",", ".")
    return str(value)


def result_lines(figures: dict[str, Any]) -> dict[str, list[str]]:
    """Part II's sentences, section by section, written from the figures (the DOCX, the PDF and the page
    print the same sentences; tests read them against hand-counted data)."""
    year = figures["year"]
    stats, kpis = figures["stats"], figures["kpis"]
    day = dt.date.fromisoformat(figures["as_of"]).strftime("%d/%m/%Y")
    in_year = stats["by_year"].get(str(year), {"new": 0, "upgraded": 0, "renewed": 0, "revoked": 0})
    stars = stats["by_star"]
    evaluation = [
        f"Năm {year}: công nhận mới {_n(in_year['new'])} sản phẩm, nâng hạng {_n(in_year['upgraded'])}, "
        f"công nhận lại {_n(in_year['renewed'])}, thu hồi {_n(in_year['revoked'])}.",
        f"Tính đến ngày {day}: {_n(stats['recognized_total'])} sản phẩm OCOP (3 sao: {_n(stars['3'])}; "
        f"4 sao: {_n(stars['4'])}; 5 sao: {_n(stars['5'])}) của {_n(stats['entities_total'])} chủ thể, "
        f"{_n(stats['in_force_total'])} sản phẩm còn hiệu lực chứng nhận, "
        f"{_n(stats['expired_not_renewed'])} hết hạn chưa được công nhận lại; "
        f"{_n(stats['communes_with_products'])}/{_n(stats['communes_total'])} xã, phường có sản phẩm OCOP.",
    ]
    trainees = kpis["trainees"]
    support = [
        f"Tập huấn: {_n(kpis['courses'])} lớp, {_n(trainees['total'])} học viên "
        f"(cán bộ {_n(trainees['officers'])}, thành viên HTX {_n(trainees['coop_members'])}, "
        f"chủ thể {_n(trainees['founders'])}); tư vấn {_n(kpis['consulting_rounds'])} lượt.",
        f"Sở hữu trí tuệ: {_n(kpis['geographical_indications'])} chỉ dẫn địa lý, "
        f"{_n(kpis['collective_trademarks'])} nhãn hiệu tập thể, "
        f"{_n(kpis['certification_marks'])} nhãn hiệu chứng nhận; "
        f"{_n(kpis['products_with_certified_area'])} sản phẩm có vùng nguyên liệu được chứng nhận "
        f"({_n(kpis['certified_area_ha'])} ha).",
    ]
    trade = [
        f"{_n(kpis['products_on_ecommerce'])} sản phẩm trên sàn thương mại điện tử; "
        f"{_n(kpis['points_of_sale'])} điểm giới thiệu và bán sản phẩm đang hoạt động; "
        f"{_n(kpis['fairs'])} hội chợ, sự kiện với {_n(kpis['fair_participations'])} lượt chủ thể tham gia, "
        f"doanh thu {_n(kpis['fair_sales_vnd'])} đồng; {_n(kpis['products_exported'])} sản phẩm "
        f"xuất khẩu tới {_n(kpis['export_markets'])} thị trường.",
    ]
    stamps = figures["stamps"]
    trade.append(
        f"Tem điện tử: {_n(stamps['with_stamps'])}/{_n(stamps['in_force'])} sản phẩm còn hiệu lực có lô tem "
        f"đang hoạt động ({_n(stamps['percent'])}%)."
    )
    checks = figures["inspections"]
    verdicts = checks["by_verdict"]
    inspections = [
        f"Kế hoạch kiểm tra năm {year}: {_n(checks['planned'])} sản phẩm; đã kiểm tra {_n(checks['done'])} "
        f"(duy trì đạt yêu cầu {_n(verdicts['complies'])}, phải khắc phục {_n(verdicts['needs_fixing'])}, "
        f"vi phạm nghiêm trọng {_n(verdicts['serious_breach'])}); {_n(checks['revocations'])} "
        f"quyết định thu hồi sau kiểm tra; {_n(checks['overdue'])} lượt quá hạn chưa kiểm tra.",
        f"Tỷ lệ sản phẩm còn hiệu lực được kiểm tra trong năm: {_n(checks['kpi']['inspected'])}/"
        f"{_n(checks['kpi']['in_force'])} ({_n(checks['kpi']['percent'])}%).",
    ]
    idea = figures["ideas"].get(str(year), {"registered": 0, "accepted": 0, "business_plan": 0, "product": 0})
    ideas = [
        f"Năm {year}: {_n(idea['registered'])} ý tưởng sản phẩm được đăng ký, {_n(idea['accepted'])} ý tưởng "
        f"được chấp nhận, {_n(idea['business_plan'])} phương án kinh doanh đã nhận, "
        f"{_n(idea['product'])} ý tưởng đã thành sản phẩm OCOP."
    ]
    funding = figures["funding"]
    money = [
        f"Năm {year}: chi hỗ trợ {_n(funding['amount_vnd'])} đồng cho {_n(funding['entities'])} chủ thể "
        f"({_n(funding['grants'])} khoản)."
    ]
    money += [
        f"Theo {p['number']}: {_n(p['amount_vnd'])} đồng ({_n(p['grants'])} khoản)."
        for p in funding["by_policy"]
    ]
    return {
        "evaluation": evaluation,
        "support": support,
        "trade": trade,
        "inspections": inspections,
        "ideas": ideas,
        "funding": money,
    }


# Part II: (key, heading, the AnnualReport field of its comment)
SECTIONS = (
    ("evaluation", "Đánh giá, phân hạng sản phẩm OCOP", "comment_evaluation"),
    ("support", "Hỗ trợ chủ thể OCOP", "comment_support"),
    ("trade", "Xúc tiến thương mại, truy xuất nguồn gốc", "comment_trade"),
    ("inspections", "Kiểm tra, giám sát sau công nhận", "comment_inspections"),
    ("ideas", "Ý tưởng sản phẩm, phương án kinh doanh", "comment_ideas"),
    ("funding", "Kinh phí thực hiện chính sách hỗ trợ", "comment_funding"),
)
