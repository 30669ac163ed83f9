"""Scoring rules on every one of the 26 stored sheets (the versions evaluations use)."""

from __future__ import annotations

import pytest

from ocop.evaluation.criteria import SET_NUMBERS
from ocop.evaluation.scoring import council_result, score_member
from ocop.evaluation.services.criteria import active_criteria_version

from .helpers import best_choices

pytestmark = pytest.mark.django_db


def _minimum_for(sheet, stars: int) -> dict[str, int]:
    """Best options everywhere, except that every criterion marked for ``stars`` or below is lowered to the
    lowest option that still meets its requirement."""
    choices = best_choices(sheet)
    for crit in sheet.criteria:
        if crit.code not in choices:
            continue
        needed = crit.requirement(stars)
        if needed is None:
            continue
        option = min((o for o in crit.options if o.points >= needed), key=lambda o: o.points)
        choices[crit.code] = option.number
    return choices


@pytest.mark.parametrize("number", list(SET_NUMBERS))
def test_maximum_marks_give_100_or_the_flagged_total(number):
    version = active_criteria_version(number)
    sheet = version.sheet
    total = score_member(sheet, best_choices(sheet)).total
    if version.needs_review:
        assert total == sum(sheet.attainable(1 if sheet.alternatives() else None).values())
    else:
        assert total == 100
        assert council_result(sheet, [best_choices(sheet)]).stars == 5


@pytest.mark.parametrize("number", list(SET_NUMBERS))
@pytest.mark.parametrize("stars", [3, 4, 5])
def test_minimum_marked_options_give_at_least_that_star_when_the_band_allows(number, stars):
    sheet = active_criteria_version(number).sheet
    result = council_result(sheet, [_minimum_for(sheet, stars)])
    if result.band_stars >= stars:
        assert result.stars >= stars, (number, stars, result.held_back_by)
