"""Certificate validity (SPEC §2): from the decision date through the day before the same calendar date
36 months later. A 29 February decision has no such date three years on; its anniversary is taken as
1 March, so the certificate runs through 28 February."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

VALIDITY_MONTHS = 36
REMINDER_DAYS = 30


def anniversary(start: dt.date, months: int = VALIDITY_MONTHS) -> dt.date:
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    try:
        return dt.date(year, month, start.day)
    except ValueError:
        # The day does not exist in that month (29/02, 31/04…): the anniversary is the 1st of the next.
        next_month = dt.date(year + month // 12, month % 12 + 1, 1)
        return next_month


@lru_cache(maxsize=8192)  # pure; statistics and imports ask for the same few thousand decision dates
def valid_until(start: dt.date) -> dt.date:
    return anniversary(start) - dt.timedelta(days=1)
