"""Who may be paid on a given day — one definition shared by the models and the bulk import checks."""

import datetime


def household_in_archive(archived_on: datetime.date, lifted_out_on: datetime.date | None, day: datetime.date) -> bool:
    """先建档、后帮扶: archived on or before `day` and not lifted out by then."""
    return archived_on <= day and (lifted_out_on is None or day < lifted_out_on)


def suspended(
    suspended_on: datetime.date | None, suspension_ended_on: datetime.date | None, day: datetime.date
) -> bool:
    return bool(suspended_on and suspended_on <= day and (suspension_ended_on is None or day < suspension_ended_on))


def alive(died_on: datetime.date | None, day: datetime.date) -> bool:
    return died_on is None or day < died_on
