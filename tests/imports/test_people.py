"""One person's page: the record, its archive history, its payments and surveys; add, edit and status changes by
hand under the upload's rules, each audited and kept in the history."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from audit.models import AuditEvent
from beneficiaries.choices import HouseholdStatus, ModelWorkerStatus, RosterEventKind, SuspensionReason
from beneficiaries.models import Household, ModelWorker, RosterEvent
from imports.people import services
from tests.factories import HouseholdFactory, ModelWorkerFactory, organization, valid_resident_id


def _household_form(**overrides) -> dict:
    data = {
        "organization": organization("653100").pk,
        "archive_no": "KS-2024-0001",
        "head_name": "买买提",
        "id_number": valid_resident_id("653100"),
        "worker_category": "worker",
        "hardship_type": "deep",
        "member_count": "4",
        "archived_on": "2024-03-01",
    }
    data.update(overrides)
    return data


def test_an_operator_archives_a_household_by_hand_under_the_upload_rules(client, users):
    client.force_login(users.kashgar)
    response = client.post(reverse("people:household_create"), _household_form())
    household = Household.objects.get(archive_no="KS-2024-0001")
    assert response.status_code == 302 and response["Location"] == reverse(
        "people:household_detail", args=[household.pk]
    )
    assert household.organization.code == "653100" and household.member_count == 4
    event = household.events.get()
    assert event.kind == RosterEventKind.ARCHIVED and event.effective_on == datetime.date(2024, 3, 1)
    assert event.recorded_by == users.kashgar
    assert AuditEvent.objects.filter(object_type="beneficiaries.household", object_id=str(household.pk)).exists()
    # The same rules as a file: a bad check digit is named on its field, an archive number taken by another household.
    bad = client.post(
        reverse("people:household_create"),
        _household_form(archive_no="KS-2024-0002", id_number=household.id_number[:-1] + "0"),
    )
    assert bad.status_code == 200 and "校验" in bad.content.decode()
    taken = client.post(reverse("people:household_create"), _household_form(id_number=valid_resident_id("653100")))
    assert "档案编号已被本单位另一户使用" in taken.content.decode()
    twice = client.post(
        reverse("people:household_create"),
        _household_form(archive_no="KS-2024-0003", id_number=household.id_number),
    )
    assert "已在本单位名册中" in twice.content.decode()
    assert Household.objects.count() == 1


def test_an_operator_cannot_archive_for_another_union(client, users):
    client.force_login(users.kashgar)
    response = client.post(reverse("people:household_create"), _household_form(organization=organization("653200").pk))
    assert response.status_code == 200 and not Household.objects.exists()


def test_lifting_out_and_rearchiving_are_actions_with_a_date_and_a_reason(client, users):
    household = HouseholdFactory(organization=organization("653100"))
    client.force_login(users.kashgar)
    url = reverse("people:household_action", args=[household.pk, "lift_out"])
    version = household.updated_at.isoformat()
    refused = client.post(url, {"lift_out-on": "2024-06-30", "lift_out-reason": "", "lift_out-version": version})
    assert refused.status_code == 400
    household.refresh_from_db()
    assert household.status == HouseholdStatus.ARCHIVED
    # A form without the version it was opened on is as stale as one opened before someone else's change.
    assert client.post(url, {"lift_out-on": "2024-06-30", "lift_out-reason": "就业"}).status_code == 400
    done = client.post(
        url, {"lift_out-on": "2024-06-30", "lift_out-reason": "家庭成员就业，收入稳定", "lift_out-version": version}
    )
    assert done.status_code == 302
    assert "之后仍有" not in client.get(done["Location"]).content.decode()  # nothing was paid after the date
    household.refresh_from_db()
    assert household.status == HouseholdStatus.LIFTED_OUT and household.lifted_out_on == datetime.date(2024, 6, 30)
    assert not household.is_eligible_on(datetime.date(2024, 7, 1)) and household.is_eligible_on(
        datetime.date(2024, 6, 1)
    )
    # Back in the archive later: a new 建档日期, the earlier spell kept in the history.
    client.post(
        reverse("people:household_action", args=[household.pk, "rearchive"]),
        {
            "rearchive-on": "2025-02-01",
            "rearchive-reason": "重病返困",
            "rearchive-version": household.updated_at.isoformat(),
        },
    )
    household.refresh_from_db()
    assert household.status == HouseholdStatus.ARCHIVED and household.archived_on == datetime.date(2025, 2, 1)
    kinds = list(household.events.order_by("effective_on").values_list("kind", "effective_on", "reason"))
    assert kinds == [
        (RosterEventKind.LIFTED_OUT, datetime.date(2024, 6, 30), "家庭成员就业，收入稳定"),
        (RosterEventKind.REARCHIVED, datetime.date(2025, 2, 1), "重病返困"),
    ]
    page = client.get(reverse("people:household_detail", args=[household.pk])).content.decode()
    assert "重病返困" in page and "脱困日期：2024-06-30 → ∅" in page.replace("<br>", "")


def test_an_edit_keeps_the_id_number_and_refuses_a_stale_form(client, users):
    household = HouseholdFactory(organization=organization("653100"), member_count=3)
    client.force_login(users.kashgar)
    url = reverse("people:household_edit", args=[household.pk])
    form = client.get(url).content.decode()
    assert household.id_number not in form
    version = household.updated_at.isoformat()
    data = {
        "archive_no": household.archive_no,
        "head_name": household.head_name,
        "worker_category": "worker",
        "hardship_type": "relative",
        "member_count": "5",
        "archived_on": "2020-03-01",
        "version": version,
    }
    assert client.post(url, data).status_code == 302
    household.refresh_from_db()
    assert household.member_count == 5 and household.hardship_type == "relative"
    event = household.events.get()
    assert event.kind == RosterEventKind.UPDATED and event.changes["member_count"] == ["3", "5"]
    stale = client.post(url, {**data, "member_count": "6"})  # the version read before the first save
    assert "已被他人修改" in stale.content.decode()
    household.refresh_from_db()
    assert household.member_count == 5


def test_another_union_cannot_see_or_change_a_household(client, users):
    household = HouseholdFactory(organization=organization("653100"))
    client.force_login(users.hotan)
    assert client.get(reverse("people:household_detail", args=[household.pk])).status_code == 404
    action = reverse("people:household_action", args=[household.pk, "lift_out"])
    assert client.post(action, {"lift_out-on": "2024-06-30", "lift_out-reason": "x"}).status_code == 404
    client.force_login(users.auditor)
    assert client.get(reverse("people:household_detail", args=[household.pk])).status_code == 200
    version = household.updated_at.isoformat()
    data = {"lift_out-on": "2024-06-30", "lift_out-reason": "x", "lift_out-version": version}
    assert client.post(action, data).status_code in (403, 404)
    household.refresh_from_db()
    assert household.status == HouseholdStatus.ARCHIVED


def test_suspending_and_reinstating_a_model_worker(client, users):
    worker = ModelWorkerFactory(organization=organization("653100"), name="吐尔逊")
    client.force_login(users.kashgar)
    found = client.get(reverse("beneficiaries:model_worker_list"), {"q": worker.id_number})
    assert "吐尔逊" in client.get(found["Location"]).content.decode()
    client.post(
        reverse("people:model_worker_action", args=[worker.pk, "suspend"]),
        {
            "suspend-on": "2024-05-01",
            "suspend-suspension_reason": "under_investigation",
            "suspend-reason": "立案",
            "suspend-version": worker.updated_at.isoformat(),
        },
    )
    worker.refresh_from_db()
    version = worker.updated_at.isoformat()
    assert worker.status == ModelWorkerStatus.SUSPENDED and worker.suspended_on == datetime.date(2024, 5, 1)
    assert worker.suspension_reason == SuspensionReason.UNDER_INVESTIGATION
    early = client.post(
        reverse("people:model_worker_action", args=[worker.pk, "reinstate"]),
        {"reinstate-on": "2024-04-01", "reinstate-reason": "撤案", "reinstate-version": version},
    )
    assert early.status_code == 400 and "不能早于暂停日期" in early.content.decode()
    client.post(
        reverse("people:model_worker_action", args=[worker.pk, "reinstate"]),
        {"reinstate-on": "2024-09-01", "reinstate-reason": "撤案", "reinstate-version": version},
    )
    worker.refresh_from_db()
    assert worker.status == ModelWorkerStatus.REGISTERED and worker.suspension_ended_on == datetime.date(2024, 9, 1)
    assert worker.is_suspended_on(datetime.date(2024, 6, 1)) and not worker.is_suspended_on(datetime.date(2024, 10, 1))
    kinds = list(worker.events.order_by("effective_on").values_list("kind", flat=True))
    assert kinds == [RosterEventKind.SUSPENDED, RosterEventKind.REINSTATED]
    page = client.get(reverse("people:model_worker_detail", args=[worker.pk])).content.decode()
    assert "暂停享受待遇" in page and "恢复享受待遇" in page and worker.bank_account not in page


def test_a_dead_model_worker_cannot_be_brought_back_by_an_edit(users):
    worker = ModelWorkerFactory(organization=organization("653100"))
    services.model_worker_record_death(
        worker=worker, on=datetime.date(2024, 3, 1), reason="病故", acting_user=users.kashgar
    )
    worker.refresh_from_db()
    assert worker.status == ModelWorkerStatus.DECEASED
    with pytest.raises(ValidationError):
        services.model_worker_suspend(
            worker=worker,
            on=datetime.date(2024, 4, 1),
            suspension_reason=SuspensionReason.VIOLATION,
            reason="x",
            acting_user=users.kashgar,
        )


def test_the_bank_account_is_kept_when_left_blank_and_never_logged(users):
    worker = ModelWorkerFactory(organization=organization("653100"))
    values = {
        "name": worker.name,
        "honour_type": worker.honour_type,
        "award_year": 2006,
        "is_retired": True,
        "is_farmer_herder": False,
        "residence": "喀什市",
    }
    services.model_worker_update(worker=worker, values=values, acting_user=users.kashgar)
    worker.refresh_from_db()
    assert worker.bank_account == "6228480012345678901" and worker.award_year == 2006
    services.model_worker_update(
        worker=worker, values={**values, "bank_account": "6222020200112233445"}, acting_user=users.kashgar
    )
    worker.refresh_from_db()
    event = worker.events.latest("recorded_at")
    assert event.changes["bank_account"] == ["***", "***"]
    assert "6222020200112233445" not in str(event.changes)
    assert "6222020200112233445" not in str(list(AuditEvent.objects.values_list("changes", "detail")))


@pytest.mark.django_db(transaction=False)
def test_history_is_append_only(users):
    household = HouseholdFactory(organization=organization("653100"))
    services.household_lift_out(
        household=household, on=datetime.date(2024, 6, 30), reason="就业", acting_user=users.kashgar
    )
    event = RosterEvent.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        RosterEvent.objects.filter(pk=event.pk).update(reason="改写")
    with pytest.raises(IntegrityError), transaction.atomic():
        RosterEvent.objects.filter(pk=event.pk).delete()


def test_the_living_survey_list_is_scoped(client, users, funded_2024):
    from tests.factories import LivingSurveyFactory

    mine = LivingSurveyFactory(model_worker=ModelWorkerFactory(organization=organization("653100"), name="本单位"))
    LivingSurveyFactory(
        model_worker=ModelWorkerFactory(organization=organization("653200"), name="外单位"),
        fiscal_year=mine.fiscal_year,
    )
    client.force_login(users.kashgar)
    page = client.get(reverse("beneficiaries:living_survey_list")).content.decode()
    assert "本单位" in page and "外单位" not in page
    assert ModelWorker.objects.count() >= 2


def test_living_surveys_are_found_by_name_or_whole_id_number_kept_out_of_the_address(client, users, funded_2024):
    from tests.factories import LivingSurveyFactory

    wanted = LivingSurveyFactory(model_worker=ModelWorkerFactory(organization=organization("653100"), name="阿依古丽"))
    LivingSurveyFactory(
        model_worker=ModelWorkerFactory(organization=organization("653100"), name="买买提"),
        fiscal_year=wanted.fiscal_year,
    )
    client.force_login(users.kashgar)
    url = reverse("beneficiaries:living_survey_list")
    by_name = client.get(url, {"q": "古丽"}).context["table"]
    assert [row.record.pk for row in by_name.paginated_rows] == [wanted.pk]
    redirected = client.get(url, {"q": wanted.model_worker.id_number})
    assert redirected.status_code == 302 and wanted.model_worker.id_number not in redirected["Location"]
    by_number = client.get(redirected["Location"]).context["table"]
    assert [row.record.pk for row in by_number.paginated_rows] == [wanted.pk]


def test_a_status_dated_before_payments_already_made_is_recorded_and_flagged(client, users, payroll):
    from funds.services.disbursements import disbursement_create
    from tests.factories import disbursement_fields, payment_kind

    worker = payroll.workers[0]
    disbursement_create(
        acting_user=users.kashgar,
        **disbursement_fields(
            worker, payment_kind("model_worker", "spring_festival"), payroll.year, paid_on=datetime.date(2024, 11, 20)
        ),
    )
    client.force_login(users.kashgar)
    response = client.post(
        reverse("people:model_worker_action", args=[worker.pk, "record_death"]),
        {
            "record_death-on": "2024-09-01",
            "record_death-reason": "家属告知",
            "record_death-version": worker.updated_at.isoformat(),
        },
        follow=True,
    )
    page = response.content.decode()
    assert "2024-09-01 之后仍有 1 笔发放（合计 1,000.00 元）" in page
    worker.refresh_from_db()
    assert worker.status == ModelWorkerStatus.DECEASED
