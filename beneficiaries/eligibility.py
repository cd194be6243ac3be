"""Who may be paid on a given day — the one rule, used wherever eligibility is judged.

The same terms appear twice, side by side, because they are applied in two places that cannot share code: as Python
predicates on plain values (an import checks each row before anything is in the database) and as query conditions
(the coverage population at a reference day, payments judged at their own paid date, the evidence pages).
`tests/beneficiaries/test_eligibility.py` holds the two to the same answers.

* Hardship household (先建档、后帮扶): archived on or before the day and not lifted out by then.
* Model worker (在册、健在、未暂停): awarded in the day's year or earlier, not dead by the day (the day of death is no
  longer living), and not suspended on the day (from the suspension date until the day before it ended).

`day` in a query condition is a date or an expression such as `F("paid_on")` (each payment at its own date);
`prefix` reaches the person from another model (`"model_worker__"` from a payment).
"""

import datetime

from django.db.models import Expression, F, Q
from django.db.models.functions import ExtractYear

Day = datetime.date | Expression | F


def household_in_archive(archived_on: datetime.date, lifted_out_on: datetime.date | None, day: datetime.date) -> bool:
    """先建档、后帮扶: archived on or before `day` and not lifted out by then."""
    return archived_on <= day and (lifted_out_on is None or day < lifted_out_on)


def household_in_archive_q(day: Day, prefix: str = "") -> Q:
    return Q(**{f"{prefix}archived_on__lte": day}) & (
        Q(**{f"{prefix}lifted_out_on__isnull": True}) | Q(**{f"{prefix}lifted_out_on__gt": day})
    )


def registered(award_year: int, day: datetime.date) -> bool:
    return award_year <= day.year


def registered_q(day: Day, prefix: str = "") -> Q:
    year = day.year if isinstance(day, datetime.date) else ExtractYear(day)
    return Q(**{f"{prefix}award_year__lte": year})


def alive(died_on: datetime.date | None, day: datetime.date) -> bool:
    return died_on is None or day < died_on


def alive_q(day: Day, prefix: str = "") -> Q:
    return Q(**{f"{prefix}died_on__isnull": True}) | Q(**{f"{prefix}died_on__gt": day})


def suspended(
    suspended_on: datetime.date | None, suspension_ended_on: datetime.date | None, day: datetime.date
) -> bool:
    return bool(suspended_on and suspended_on <= day and (suspension_ended_on is None or day < suspension_ended_on))


def suspended_q(day: Day, prefix: str = "") -> Q:
    return Q(**{f"{prefix}suspended_on__lte": day}) & (
        Q(**{f"{prefix}suspension_ended_on__isnull": True}) | Q(**{f"{prefix}suspension_ended_on__gt": day})
    )


def model_worker_eligible(
    *,
    award_year: int,
    died_on: datetime.date | None,
    suspended_on: datetime.date | None,
    suspension_ended_on: datetime.date | None,
    day: datetime.date,
) -> bool:
    """在册、健在、未暂停 on `day` (the living survey is a condition of payment, checked apart)."""
    return registered(award_year, day) and alive(died_on, day) and not suspended(suspended_on, suspension_ended_on, day)


def model_worker_eligible_q(day: Day, prefix: str = "") -> Q:
    return registered_q(day, prefix) & alive_q(day, prefix) & ~suspended_q(day, prefix)
