"""The data checks: the demo is consistent, and a union paying past its allocation is found."""

import datetime
from decimal import Decimal

from django.test import TestCase, override_settings

from demo.loader import load_demo
from evaluation.consistency import data_findings
from funds.choices import FundingSource, PaymentMethod
from funds.models import Disbursement, FiscalYear, Organization, PaymentKind, Program, User
from funds.services.disbursements import disbursement_build


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
class ConsistencyTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_demo()
        cls.year = FiscalYear.objects.get(year=2024)
        cls.hardship = Program.objects.get(code="hardship")

    def test_the_demo_data_is_consistent(self):
        for program in Program.objects.all():
            for year in FiscalYear.objects.all():
                self.assertEqual(data_findings(program, year), [], (program.code, year.year))

    def test_a_union_paying_past_its_allocation_is_found(self):
        kashgar = Organization.objects.get(code="653100")
        household = self.hardship.disbursement_set.filter(fiscal_year=self.year, paying_organization=kashgar).first()
        payment = disbursement_build(
            household_id=household.household_id,
            payment_kind=PaymentKind.objects.get(program=self.hardship, code="medical_aid"),
            fiscal_year=self.year,
            amount=Decimal("900.00"),
            paid_on=datetime.date(2024, 12, 20),
            payment_method=PaymentMethod.BANK_AGENCY,
            paying_organization=kashgar,
            funding_source=FundingSource.CURRENT_FISCAL,
            account_masked="****1234",
            acting_user=User.objects.get(username="finance"),
        )
        payment.save()
        codes = {f.code for f in data_findings(self.hardship, self.year)}
        self.assertEqual(codes, {"disbursed_over_allocated", "executed_over_budget"})
        self.assertTrue(Disbursement.objects.filter(pk=payment.pk).exists())

    def test_the_dashboard_lists_data_findings(self):
        from django.urls import reverse

        self.client.force_login(User.objects.get(username="auditor"))
        url = reverse("evaluation:dashboard") + "?year=2024"
        self.assertNotContains(self.client.get(url), 'id="findings-')
        self.test_a_union_paying_past_its_allocation_is_found()
        self.assertContains(self.client.get(url), "超过其分配额度")
