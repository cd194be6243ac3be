import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from beneficiaries.models import Household, LivingSurvey, ModelWorker
from core.scoping import Action
from funds.models import Disbursement, Organization
from funds.services.disbursements import disbursement_create
from tests.factories import (
    FiscalYearFactory,
    HouseholdFactory,
    LivingSurveyFactory,
    ModelWorkerFactory,
    disbursement_fields,
    organization,
    payment_kind,
)


@pytest.fixture
def rows(users):
    year = FiscalYearFactory(year=2024)
    kashgar_worker = ModelWorkerFactory(organization=organization("653100"))
    hotan_worker = ModelWorkerFactory(organization=organization("653200"))
    LivingSurveyFactory(model_worker=kashgar_worker, fiscal_year=year)
    LivingSurveyFactory(model_worker=hotan_worker, fiscal_year=year)
    HouseholdFactory(organization=organization("653100"))
    HouseholdFactory(organization=organization("653200"))
    kind = payment_kind("model_worker", "spring_festival")
    for worker in (kashgar_worker, hotan_worker):
        disbursement_create(acting_user=users.finance, **disbursement_fields(worker, kind, year))
    return {"kashgar_worker": kashgar_worker, "hotan_worker": hotan_worker}


@pytest.mark.parametrize(
    ("model", "org_path"),
    [
        (ModelWorker, "organization__code"),
        (Household, "organization__code"),
        (LivingSurvey, "model_worker__organization__code"),
        (Disbursement, "paying_organization__code"),
    ],
)
def test_operator_sees_only_their_organisation(rows, users, model, org_path):
    visible = model.objects.restrict(users.kashgar)
    assert visible.count() == 1
    assert set(visible.values_list(org_path, flat=True)) == {"653100"}
    assert model.objects.restrict(users.finance).count() == 2
    assert model.objects.restrict(users.auditor).count() == 2


def test_auditor_may_change_nothing(rows, users):
    for model in (ModelWorker, Household, LivingSurvey, Disbursement, Organization):
        for action in (Action.ADD, Action.CHANGE, Action.DELETE):
            assert not model.objects.restrict(users.auditor, action).exists()


def test_operator_may_not_add_payments_for_another_organisation(rows, users):
    hotan_worker = rows["hotan_worker"]
    with pytest.raises(PermissionDenied):
        disbursement_create(
            acting_user=users.kashgar,
            **disbursement_fields(
                hotan_worker, payment_kind("model_worker", "special_hardship"), FiscalYearFactory(year=2024)
            ),
        )


def test_anonymous_and_inactive_users_see_nothing(rows, users):
    assert not ModelWorker.objects.restrict(AnonymousUser()).exists()
    users.finance.is_active = False
    assert not ModelWorker.objects.restrict(users.finance).exists()


def test_organisation_subtree_includes_children(users, db):
    federation = Organization.objects.get(code="650000")
    assert len(federation.subtree_ids()) == 18  # itself, 14 prefecture unions, 3 industry unions (fixtures)
    assert organization("653100").subtree_ids() == [organization("653100").pk]
