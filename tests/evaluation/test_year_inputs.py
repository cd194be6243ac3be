"""年度评价参数 and 满意度调查 are entered by finance on the evaluation pages, validated and audited; auditors read."""

import datetime

from django.urls import reverse

from audit.models import AuditEvent
from evaluation.models import ProgramYearSettings, SatisfactionSurvey


def url(program="hardship", year=2024):
    return reverse("evaluation:year_inputs", args=[program, year])


def test_finance_enters_the_parameters_and_the_survey_results(client, users, funded_2024):
    client.force_login(users.finance)
    assert client.get(url()).status_code == 200
    response = client.post(
        url(),
        {"which": "settings", "settings-payment_deadline": "2024-12-10", "settings-eligibility_date": "2024-06-30"},
    )
    assert response.status_code == 302
    saved = ProgramYearSettings.objects.get(program__code="hardship", fiscal_year__year=2024)
    assert saved.payment_deadline == datetime.date(2024, 12, 10)
    response = client.post(
        url(),
        {
            "which": "survey",
            "survey-respondents": "200",
            "survey-satisfied": "190",
            "survey-surveyed_on": "2024-12-20",
            "survey-method": "电话回访",
        },
    )
    assert response.status_code == 302
    assert SatisfactionSurvey.objects.get(program__code="hardship").satisfied == 190
    assert AuditEvent.objects.filter(object_type="evaluation.satisfactionsurvey", action="create").exists()
    # A change is audited with before/after.
    client.post(
        url(),
        {"which": "settings", "settings-payment_deadline": "2024-12-05", "settings-eligibility_date": "2024-06-30"},
    )
    event = AuditEvent.objects.filter(object_type="evaluation.programyearsettings", action="update").latest("sequence")
    assert event.changes["payment_deadline"] == ["2024-12-10", "2024-12-05"]


def test_bad_values_are_refused_in_words(client, users, funded_2024):
    client.force_login(users.finance)
    response = client.post(
        url(),
        {
            "which": "survey",
            "survey-respondents": "100",
            "survey-satisfied": "120",
            "survey-surveyed_on": "2024-12-20",
        },
    )
    assert response.status_code == 200 and "满意人数不能超过有效问卷数" in response.content.decode()
    response = client.post(
        url(),
        {"which": "settings", "settings-payment_deadline": "2025-01-10", "settings-eligibility_date": "2024-06-30"},
    )
    assert "日期必须在2024年内" in response.content.decode()
    assert not SatisfactionSurvey.objects.exists() and not ProgramYearSettings.objects.exists()


def test_auditors_read_and_operators_are_refused(client, users, funded_2024):
    client.force_login(users.auditor)
    assert client.get(url()).status_code == 200
    refused = client.post(
        url(),
        {"which": "settings", "settings-payment_deadline": "2024-12-10", "settings-eligibility_date": "2024-06-30"},
    )
    assert refused.status_code == 403
    client.force_login(users.kashgar)
    assert client.get(url()).status_code == 403
