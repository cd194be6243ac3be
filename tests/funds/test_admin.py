"""Every model is in the admin, with search and filters, and the admin is scoped like the views."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from funds.choices import Role
from tests.factories import HouseholdFactory, ModelWorkerFactory, UserFactory, organization

DOMAIN_APPS = ["funds", "beneficiaries", "evaluation", "reports"]


@pytest.mark.parametrize(
    "model", [m for label in DOMAIN_APPS for m in apps.get_app_config(label).get_models()], ids=lambda m: m.__name__
)
def test_every_model_is_registered_with_search_and_filters(model):
    model_admin = admin.site._registry.get(model)
    assert model_admin is not None
    assert model_admin.search_fields
    assert model_admin.list_filter
    assert str(model._meta.verbose_name) != model.__name__.lower()  # a Chinese verbose_name was given


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True, organization=None)


def test_admin_change_lists_and_forms_render(client, superuser):
    worker = ModelWorkerFactory()
    household = HouseholdFactory()
    client.force_login(superuser)
    for label in DOMAIN_APPS:
        for model in apps.get_app_config(label).get_models():
            url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
            assert client.get(url).status_code == 200, url
    for obj in (worker, household):
        url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
        assert client.get(url).status_code == 200


def test_admin_search_by_whole_id_number_uses_the_digest(client, superuser):
    worker = ModelWorkerFactory(id_number="650402195003150011")
    ModelWorkerFactory()
    client.force_login(superuser)
    response = client.get(reverse("admin:beneficiaries_modelworker_changelist"), {"q": "650402195003150011"})
    # The number leaves the address bar at once: the search continues under its masked form and a session token.
    assert response.status_code == 302 and "650402195003150011" not in response["Location"]
    assert "6504" in response["Location"]
    response = client.get(response["Location"])
    assert list(response.context["cl"].result_list) == [worker]
    assert "650402195003150011" not in response.content.decode()
    # A token from another session finds nobody.
    other = client.__class__()
    other.force_login(superuser)
    replay = other.get(response.request["PATH_INFO"] + "?" + response.request["QUERY_STRING"])
    assert list(replay.context["cl"].result_list) == []


def test_admin_is_scoped_to_the_staff_users_organisation(client, db):
    staff = UserFactory(
        username="kashgar-staff", organization=organization("653100"), is_staff=True, role=Role.OPERATOR
    )
    mine = ModelWorkerFactory(organization=organization("653100"))
    theirs = ModelWorkerFactory(organization=organization("653200"))
    client.force_login(staff)
    listing = client.get(reverse("admin:beneficiaries_modelworker_changelist"))
    assert list(listing.context["cl"].result_list) == [mine]
    foreign = client.get(reverse("admin:beneficiaries_modelworker_change", args=[theirs.pk]))
    assert foreign.status_code in (302, 404)  # the admin answers an out-of-scope id by redirecting to its index
