"""One rule of eligibility: the Python predicates (import checks) and the query conditions (populations, evidence,
payments at their paid date) give the same answer for every kind of person on every day around their dates."""

import datetime
import itertools

import pytest
from django.db.models import F

from beneficiaries import eligibility
from beneficiaries.choices import HouseholdStatus, ModelWorkerStatus, SuspensionReason
from beneficiaries.models import Household, ModelWorker
from tests.factories import HouseholdFactory, ModelWorkerFactory

D = datetime.date
DAYS = [D(2021, 12, 31), D(2022, 1, 1), D(2022, 3, 9), D(2022, 3, 10), D(2022, 3, 11), D(2022, 6, 30), D(2023, 1, 1)]

pytestmark = pytest.mark.django_db


@pytest.fixture
def workers():
    people = []
    for award_year, died_on, suspended_on, ended_on in itertools.product(
        (2021, 2022, 2023), (None, D(2022, 3, 10)), (None, D(2022, 3, 10)), (None, D(2022, 6, 30))
    ):
        if ended_on and not suspended_on:
            continue
        status = (
            ModelWorkerStatus.DECEASED
            if died_on
            else ModelWorkerStatus.SUSPENDED
            if suspended_on and not ended_on
            else ModelWorkerStatus.REGISTERED
        )
        people.append(
            ModelWorkerFactory(
                award_year=award_year,
                status=status,
                died_on=died_on,
                suspended_on=suspended_on,
                suspension_ended_on=ended_on,
                suspension_reason=SuspensionReason.LOST_CONTACT if suspended_on else "",
            )
        )
    return people


def test_model_worker_predicate_and_query_agree_on_every_day(workers):
    for day in DAYS:
        expected = {
            w.pk
            for w in workers
            if eligibility.model_worker_eligible(
                award_year=w.award_year,
                died_on=w.died_on,
                suspended_on=w.suspended_on,
                suspension_ended_on=w.suspension_ended_on,
                day=day,
            )
        }
        assert set(ModelWorker.objects.eligible_on(day).values_list("pk", flat=True)) == expected, day
        assert {w.pk for w in workers if w.is_eligible_on(day)} == expected, day
    # The day of death and the day a suspension starts are already excluded; the day it ends is paid again.
    day = D(2022, 3, 10)
    dead = [w for w in workers if w.died_on == day]
    assert dead and not ModelWorker.objects.filter(pk__in=[w.pk for w in dead]).eligible_on(day).exists()
    resumed = next(w for w in workers if w.suspension_ended_on and not w.died_on and w.award_year == 2022)
    assert not resumed.is_eligible_on(D(2022, 6, 29)) and resumed.is_eligible_on(D(2022, 6, 30))


def test_the_query_takes_each_rows_own_day_as_an_expression(workers):
    """As for payments (`F("paid_on")`): here each worker judged on the day its suspension started."""
    judged = ModelWorker.objects.filter(suspended_on__isnull=False).filter(
        eligibility.model_worker_eligible_q(F("suspended_on"))
    )
    assert not judged.exists()
    alive_on_own_day = ModelWorker.objects.filter(suspended_on__isnull=False).filter(
        eligibility.alive_q(F("suspended_on"))
    )
    assert all(w.died_on is None for w in alive_on_own_day)


def test_household_predicate_and_query_agree_on_every_day():
    households = [
        HouseholdFactory(archived_on=archived, status=status, lifted_out_on=lifted)
        for archived in (D(2022, 1, 1), D(2022, 3, 10))
        for status, lifted in ((HouseholdStatus.ARCHIVED, None), (HouseholdStatus.LIFTED_OUT, D(2022, 6, 30)))
    ]
    for day in DAYS:
        expected = {h.pk for h in households if eligibility.household_in_archive(h.archived_on, h.lifted_out_on, day)}
        assert set(Household.objects.eligible_on(day).values_list("pk", flat=True)) == expected, day
