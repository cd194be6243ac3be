"""A requested finalisation is frozen: an edit withdraws it, a writer of this round cannot confirm it, and the
snapshot records the hash of the content that was asked for."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from reports.document import report_for, section_sources
from reports.models import Report, ReportSection, ReportSnapshot
from reports.services import report_finalise, report_request_finalisation, report_save
from tests.reports.test_report import ReportTestCase


class FinalisationContentTest(ReportTestCase):
    def write(self, user, overview: str, report=None, expected_version=None):
        report = report or report_for(fiscal_year=self.y2024, scope="hardship")
        return report_save(
            report=report,
            sections=section_sources(report) | {"overview": overview},
            goal_text="",
            outcome_text="",
            responsible_persons="王五",
            filed_on=datetime.date(2025, 3, 13),
            acting_user=user,
            expected_version=expected_version,
        )

    def test_a_checker_who_edited_the_text_cannot_confirm(self):
        report = self.write(self.finance, "概况一。")
        report = report_request_finalisation(report=report, acting_user=self.finance)
        # The checker edits the report text: the request is withdrawn …
        report = self.write(self.checker, "概况被审核人改写。", report=report)
        report.refresh_from_db()
        self.assertIsNone(report.finalisation_requested_by)
        self.assertEqual(report.finalisation_content_hash, "")
        self.assertTrue(
            AuditEvent.objects.filter(detail="finalisation request withdrawn: the content changed").exists()
        )
        # … and once the maker asks again, the checker who wrote part of it still cannot confirm.
        report = report_request_finalisation(report=report, acting_user=self.finance)
        with self.assertRaises(PermissionDenied) as raised:
            report_finalise(report=report, acting_user=self.checker)
        self.assertIn("修改过报告正文", str(raised.exception))
        self.assertFalse(ReportSnapshot.objects.filter(report=report).exists())

    def test_the_snapshot_records_the_content_hash_that_was_requested(self):
        report = self.write(self.finance, "概况。")
        report = report_request_finalisation(report=report, acting_user=self.finance)
        requested = report.finalisation_content_hash
        self.assertEqual(requested, report.content_hash())
        snapshot = report_finalise(report=report, acting_user=self.checker, expected_content_hash=requested)
        self.assertEqual(snapshot.content_hash, requested)
        report.refresh_from_db()
        # A new round starts: the checker may write now, and becomes an author of the next version.
        self.assertFalse(report.authors.exists())

    def test_content_changed_around_the_services_after_the_request_is_not_finalised(self):
        report = self.write(self.finance, "概况。")
        report = report_request_finalisation(report=report, acting_user=self.finance)
        ReportSection.objects.filter(report=report, key="overview").update(body="偷偷改过的概况。")
        with self.assertRaises(ValidationError) as raised:
            report_finalise(report=report, acting_user=self.checker)
        self.assertEqual(raised.exception.code, "content_changed")
        self.assertFalse(ReportSnapshot.objects.filter(report=report).exists())

    def test_a_confirmation_of_an_earlier_request_is_refused(self):
        report = self.write(self.finance, "概况一。")
        report = report_request_finalisation(report=report, acting_user=self.finance)
        seen = report.finalisation_content_hash  # the checker opens the page
        report = self.write(self.finance, "概况二。", report=report)
        report = report_request_finalisation(report=report, acting_user=self.finance)
        with self.assertRaises(ValidationError) as raised:
            report_finalise(report=report, acting_user=self.checker, expected_content_hash=seen)
        self.assertEqual(raised.exception.code, "stale")

    def test_a_save_from_a_form_opened_before_another_save_is_refused(self):
        report = self.write(self.finance, "概况一。")
        opened_at = Report.objects.get(pk=report.pk).version
        self.write(self.checker, "财务二的概况。", report=report, expected_version=opened_at)
        with self.assertRaises(ValidationError) as raised:
            self.write(self.finance, "财务一的概况。", report=report, expected_version=opened_at)
        self.assertEqual(raised.exception.code, "stale")
        self.assertEqual(ReportSection.objects.get(report=report, key="overview").body, "财务二的概况。")

    def test_through_the_pages(self):
        report = self.write(self.finance, "概况。")
        detail = reverse("reports:report_detail", args=["hardship", 2024])
        finalise = reverse("reports:report_finalise", args=["hardship", 2024])
        self.client.force_login(self.finance)
        page = self.client.get(detail).content.decode()
        self.assertIn('name="intent" value="request"', page)
        self.client.post(finalise, {"intent": "request", "version": Report.objects.get(pk=report.pk).version})
        report.refresh_from_db()
        self.assertIsNotNone(report.finalisation_requested_by)
        # The checker had written this round: no confirm button, and a forged post is refused.
        report.authors.add(self.checker)
        self.client.force_login(self.checker)
        page = self.client.get(detail).content.decode()
        self.assertIn('id="author-cannot-finalise"', page)
        self.client.post(finalise, {"intent": "confirm", "content_hash": report.finalisation_content_hash})
        self.assertFalse(ReportSnapshot.objects.filter(report=report).exists())
        report.authors.remove(self.checker)
        page = self.client.get(detail).content.decode()
        self.assertIn("确认定稿", page)
        self.assertIn(f'name="content_hash" value="{report.finalisation_content_hash}"', page)
        self.client.post(finalise, {"intent": "confirm", "content_hash": report.finalisation_content_hash})
        self.assertEqual(ReportSnapshot.objects.filter(report=report).count(), 1)
        # An edit form opened before another save is refused in words.
        edit = reverse("reports:report_edit", args=["hardship", 2024])
        response = self.client.post(edit, {"section_overview": "新概况。", "version": "1"})
        self.assertContains(response, "报告已被他人修改")
