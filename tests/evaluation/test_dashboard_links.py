"""Every link on the evaluation dashboard answers: no 明细 that leads to a 404."""

import re

from django.test import TestCase

from demo.loader import load_demo
from funds.models import User


class DashboardLinksTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_demo()

    def test_every_link_of_the_2024_dashboard_answers_for_the_auditor_and_finance(self):
        for username in ("auditor", "finance"):
            self.client.force_login(User.objects.get(username=username))
            html = self.client.get("/evaluation/?year=2024").content.decode()
            links = set(re.findall(r'<a class="evidence" href="([^"]+)"', html))
            self.assertGreaterEqual(len(links), 10)
            for link in sorted(links):
                with self.subTest(user=username, link=link):
                    self.assertEqual(self.client.get(link.replace("&amp;", "&")).status_code, 200)
            self.assertIn("来自满意度调查结果", html)
