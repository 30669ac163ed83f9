"""The periods table: lookup by date, who does what, what documents print (pure, no database)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from ocop.legal import periods as p
from ocop.legal import wording as w


@pytest.mark.parametrize(
    ("day", "code"),
    [
        (dt.date(2019, 8, 21), "1048/2019"),
        (dt.date(2023, 2, 23), "1048/2019"),
        (dt.date(2023, 2, 24), "148/2023"),
        (dt.date(2025, 6, 30), "148/2023"),
        (dt.date(2025, 7, 1), "1489/2025"),
        (dt.date(2030, 1, 1), "1489/2025"),
    ],
)
def test_period_on_follows_the_date_of_the_act(day, code):
    assert p.period_on(day).code == code


def test_before_the_first_national_rules_there_is_no_period():
    with pytest.raises(p.NoPeriod, match="1048/QĐ-TTg"):
        p.period_on(dt.date(2019, 8, 20))


def test_periods_follow_each_other_without_gap():
    for earlier, later in zip(p.PERIODS, p.PERIODS[1:], strict=False):
        assert earlier.ends == later.starts - dt.timedelta(days=1)
    assert p.PERIODS[-1].ends is None


def test_reform_date_is_defined_once_and_shared():
    from ocop.geography import resolver

    REFORM_DATE = resolver.REFORM_DATE  # the resolver reads rows' generations by the periods' date
    assert REFORM_DATE is p.REFORM_DATE == dt.date(2025, 7, 1)
    assert p.period_on(REFORM_DATE).starts == REFORM_DATE


def test_who_recognises_which_stars():
    recognises = {period.code: dict(period.decides) for period in p.PERIODS}
    assert recognises == {
        "1048/2019": {3: "province", 4: "province", 5: "ministry"},
        "148/2023": {3: "district", 4: "province", 5: "ministry"},
        "1489/2025": {3: "province", 4: "province", 5: "ministry"},
    }
    assert p.period_on(dt.date(2024, 1, 1)).max_stars(p.DISTRICT) == 3
    assert p.period_on(dt.date(2020, 1, 1)).max_stars(p.DISTRICT) == 0  # pre-scores only


def test_forwarding_thresholds_by_period():
    assert p.period_on(dt.date(2020, 1, 1)).forward_rule(p.DISTRICT) == (Decimal(50), p.PROVINCE)
    assert p.period_on(dt.date(2024, 1, 1)).forward_rule(p.DISTRICT) == (Decimal(70), p.PROVINCE)
    assert p.period_on(dt.date(2026, 1, 1)).forward_rule(p.DISTRICT) is None
    for period in p.PERIODS:
        assert period.forward_rule(p.PROVINCE) == (Decimal(90), p.MINISTRY)


def test_levels_and_who_receives_dossiers():
    assert p.period_on(dt.date(2024, 5, 1)).levels == ("district", "province", "ministry")
    assert p.period_on(dt.date(2024, 5, 1)).receiver == "district"
    two_level = p.period_on(dt.date(2025, 8, 1))
    assert two_level.levels == ("commune", "province", "ministry")
    assert two_level.council_levels == ("province", "ministry")
    assert two_level.receiver == "commune" and two_level.intake == ("commune", "province")
    assert two_level.commune_criteria == ("A1.a", "A2.a", "A3.c", "B5.b")


def test_criteria_version_and_sheet_by_period():
    assert p.period_on(dt.date(2021, 1, 1)).criteria_version == "1048/2019"
    assert dict(p.period_on(dt.date(2021, 1, 1)).criteria_parts) == {"A": 35, "B": 25, "C": 40}
    assert p.period_on(dt.date(2026, 1, 1)).criteria_version == "148/2023"
    assert dict(p.CRITERIA_VERSIONS["148/2023"]) == {"A": 40, "B": 25, "C": 35}


def test_a_district_council_after_the_reform_is_refused_with_the_rule_and_the_decision():
    message = p.period_on(dt.date(2025, 7, 1)).refusal(p.COUNCIL, p.DISTRICT, p.ADMIN)
    assert message == "Từ 01/07/2025 không còn cấp huyện (Quyết định 1489/QĐ-TTg)."


def test_only_the_ministry_sets_up_a_ministry_council():
    period = p.period_on(dt.date(2024, 3, 1))
    assert period.allows(p.COUNCIL, p.MINISTRY, p.MINISTRY_OFFICER)
    for role in (p.DISTRICT_OFFICER, p.PROVINCE_OFFICER, p.COMMUNE_OFFICER, p.PRODUCER):
        message = period.refusal(p.COUNCIL, p.MINISTRY, role)
        assert message and "Quyết định 148/QĐ-TTg" in message and "cấp trung ương" in message


def test_a_province_officer_types_in_a_district_decision_only_while_districts_existed():
    before, after = p.period_on(dt.date(2024, 10, 1)), p.period_on(dt.date(2025, 10, 1))
    assert before.allows(p.RECORD, p.DISTRICT, p.PROVINCE_OFFICER)
    assert not before.allows(p.DECIDE, p.DISTRICT, p.PROVINCE_OFFICER)  # a live decision is the district's
    assert after.refusal(p.RECORD, p.DISTRICT, p.PROVINCE_OFFICER) == (
        "Từ 01/07/2025 không còn cấp huyện (Quyết định 1489/QĐ-TTg)."
    )


def test_stars_refusal_names_the_level_that_decides():
    period = p.period_on(dt.date(2024, 3, 1))
    assert period.stars_refusal(3, p.DISTRICT) is None
    assert "sản phẩm 5 sao do cấp trung ương công nhận" in period.stars_refusal(5, p.PROVINCE)
    assert "148/QĐ-TTg" in period.stars_refusal(3, p.PROVINCE)


def test_commune_did_not_assess_before_the_reform():
    message = p.period_on(dt.date(2025, 6, 30)).refusal(p.ASSESS, p.COMMUNE, p.COMMUNE_OFFICER)
    assert message and "cấp xã" in message and "148/QĐ-TTg" in message


def test_ministry_name_by_date():
    assert p.ministry_name(dt.date(2025, 2, 28)) == "Bộ Nông nghiệp và Phát triển nông thôn"
    assert p.ministry_name(dt.date(2025, 3, 1)) == "Bộ Nông nghiệp và Môi trường"


def test_issuer_and_grounds_by_level_and_date():
    assert w.issuer_heading(p.DISTRICT, dt.date(2024, 1, 1), "Huyện Ba Bể") == "ỦY BAN NHÂN DÂN HUYỆN BA BỂ"
    assert w.issuer_heading(p.MINISTRY, dt.date(2021, 6, 30)) == "BỘ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN"
    assert w.authority_line(p.MINISTRY, dt.date(2026, 1, 1)) == "BỘ TRƯỞNG BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG"
    grounds_2020 = " ".join(w.legal_grounds(p.PROVINCE, dt.date(2020, 9, 1)))
    assert "1048/QĐ-TTg" in grounds_2020 and "781/QĐ-TTg" in grounds_2020 and "148/QĐ-TTg" not in grounds_2020
    assert "781/QĐ-TTg" not in " ".join(w.legal_grounds(p.PROVINCE, dt.date(2019, 12, 1)))
    # 01–05/07/2025: the two-level flow, but 1489 is not signed yet: only 148 is cited.
    early = " ".join(w.legal_grounds(p.PROVINCE, dt.date(2025, 7, 3)))
    assert "148/QĐ-TTg" in early and "1489/QĐ-TTg ngày" not in early
    late = " ".join(w.legal_grounds(p.PROVINCE, dt.date(2025, 9, 1)))
    assert "Quyết định số 1489/QĐ-TTg ngày 06/07/2025" in late
    ministry = w.legal_grounds(p.MINISTRY, dt.date(2024, 1, 1))
    assert "Bộ Nông nghiệp và Phát triển nông thôn" in ministry[0]


def test_the_roles_of_the_table_are_the_accounts_roles():
    from ocop.accounts.roles import Role

    named = {role for period in p.PERIODS for roles in period.acts.values() for role in roles}
    assert named <= set(Role.values)
    assert set(p.ROLE_NAMES) <= set(Role.values)
