"""The performance calendar: each stage's deadline, done or overdue, on the board and on the home pages."""

import datetime
from unittest import mock

from django.test import TestCase, override_settings
from django.urls import reverse

from demo.loader import load_demo
from funds.models import FiscalYear, Program, User
from reports.calendar import year_calendar
from reports.todos import calendar_todos, performance_todos


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"], TWO_FACTOR_REQUIRED=False)
class CalendarTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_demo()
        cls.finance = User.objects.get(username="finance")
        cls.department = User.objects.get(username="department")
        cls.y2024 = FiscalYear.objects.get(year=2024)
        cls.hardship = Program.objects.get(code="hardship")
        cls.model_worker = Program.objects.get(code="model_worker")

    def stages(self, program):
        return {d.stage: d for d in year_calendar(program, self.y2024)}

    def test_the_2024_hardship_calendar(self):
        stages = self.stages(self.hardship)
        self.assertEqual(
            [(d.stage, d.due.isoformat(), d.done) for d in year_calendar(self.hardship, self.y2024)],
            [
                ("绩效目标申报", "2024-03-31", True),  # approved in the demo
                ("绩效运行监控（截至2024-06-30）", "2024-06-30", True),  # finalised in the demo
                ("绩效运行监控（截至2024-08-31）", "2024-08-31", False),
                ("发放明细报送", "2024-12-31", None),
                ("绩效自评报告报送", "2025-03-31", False),
            ],
        )
        self.assertTrue(stages["绩效运行监控（截至2024-08-31）"].overdue)  # today is later than 2024
        self.assertFalse(stages["发放明细报送"].overdue)  # an upload window, not something to mark done
        self.assertIn("劳模生活状况调查", self.stages(self.model_worker))
        self.assertTrue(self.stages(self.model_worker)["绩效自评报告报送"].done)  # the finalised 2024 report

    def test_home_pages_list_what_is_due_or_overdue_for_the_role(self):
        finance = [t.message for t in calendar_todos(self.finance, self.y2024)]
        self.assertIn("已逾期：帮扶资金绩效运行监控（截至2024-08-31）（截止 2024-08-31）", finance)
        self.assertIn("已逾期：帮扶资金绩效自评报告报送（截止 2025-03-31）", finance)
        self.assertNotIn("绩效目标申报", " ".join(finance))  # done
        self.assertEqual(calendar_todos(self.department, self.y2024), [])  # its stage (targets) is done
        with (
            mock.patch("reports.calendar.timezone.localdate", return_value=datetime.date(2024, 8, 10)),
            mock.patch("reports.todos.timezone.localdate", return_value=datetime.date(2024, 8, 10)),
        ):
            soon = [t for t in calendar_todos(self.finance, self.y2024) if "2024-08-31" in t.message]
        self.assertEqual(
            [(t.message, t.urgent) for t in soon][:1],
            [("帮扶资金绩效运行监控（截至2024-08-31）截止 2024-08-31", False)],
        )

    def test_the_board_shows_the_calendar(self):
        self.client.force_login(self.finance)
        page = self.client.get(reverse("funds:submission_board") + "?year=2024&program=hardship")
        self.assertContains(page, "绩效管理日程")
        self.assertContains(page, "已逾期")
        self.assertContains(page, "绩效目标申报")

    def test_decisions_waiting_show_on_the_home_page(self):
        from evaluation.targets import target_table_save, target_table_start, target_table_submit

        table = target_table_start(
            program=self.hardship, fiscal_year=FiscalYear.objects.get(year=2022), acting_user=self.department
        )
        table = target_table_save(table=table, overall_goal="目标。", acting_user=self.department)
        target_table_submit(table=table, acting_user=self.department)
        messages = [t.message for t in performance_todos(self.finance, self.y2024)]
        self.assertIn("待您审核：2022年帮扶资金绩效目标表（权益保障部（department） 送审）", messages)
        self.client.force_login(self.finance)
        self.assertContains(self.client.get(reverse("funds:home")), "待您审核：2022年帮扶资金绩效目标表")
