from datetime import date

from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tests.common import freeze_time

from .common import CrmServiceCommon


@tagged("post_install", "-at_install")
class TestCrmServiceAgreement(CrmServiceCommon):

    def test_execution_measures(self):
        with freeze_time(self.msk(2026, 3, 13, 16, 0)):
            in_time = self._ticket(partner_id=self.customer.id, hours_spent=1.5)
            late = self._ticket(partner_id=self.customer.id, hours_spent=3.0)
            still_open = self._ticket(partner_id=self.customer.id, hours_spent=0.5)
        with freeze_time(self.msk(2026, 3, 13, 17, 0)):
            in_time.message_post(body="On it", message_type="comment", subtype_xmlid="mail.mt_comment",
                                 author_id=self.agent.partner_id.id)
            in_time.stage_id = self.stage_solved
        with freeze_time(self.msk(2026, 3, 18, 12, 0)):
            late.stage_id = self.stage_solved
        self.assertEqual((in_time | late | still_open).agreement_id, self.agreement)
        self.assertTrue(in_time.sla_reached)
        self.assertFalse(late.sla_reached)
        agreement = self.agreement.with_user(self.manager)
        self.assertEqual(agreement.ticket_count, 3)
        self.assertEqual(agreement.closed_ticket_count, 2)
        self.assertAlmostEqual(agreement.sla_success_percent, 50.0)
        self.assertAlmostEqual(agreement.hours_used, 5.0)
        self.assertAlmostEqual(agreement.hours_remaining, 5.0)

    def test_expired_agreement_is_not_used(self):
        self.agreement.date_end = "2026-02-28"
        with freeze_time(self.msk(2026, 3, 13, 16, 0)):
            ticket = self._ticket(partner_id=self.customer_contact.id)
        self.assertFalse(ticket.agreement_id)
        self.assertTrue(ticket.no_agreement)
        self.assertEqual(ticket.sla_policy_id, self.policy_default)

    def test_product_scoped_agreement_covers_only_its_products(self):
        product_a, product_b = self.env["product.product"].create([{"name": "Принтер A4"}, {"name": "Сканер"}])
        self.agreement.product_ids = product_a
        with freeze_time(self.msk(2026, 3, 13, 16, 0)):
            covered = self._ticket(partner_id=self.customer.id, product_id=product_a.id)
            uncovered = self._ticket(partner_id=self.customer.id, product_id=product_b.id)
        self.assertEqual(covered.agreement_id, self.agreement)
        self.assertFalse(uncovered.agreement_id)

    def test_overlapping_full_agreements_are_refused(self):
        with self.assertRaises(ValidationError):
            self.env["crm.service.agreement"].create({
                "name": "Duplicate", "partner_id": self.customer.id, "sla_tier_id": self.tier_gold.id,
                "date_start": "2026-06-01", "state": "active",
            })

    def test_renewal_reminder_created_once_and_expiry(self):
        Agreement = self.env["crm.service.agreement"]
        self.agreement.write({"user_id": self.manager.id, "date_end": "2026-12-31"})
        with freeze_time(date(2026, 11, 15)):
            self.assertNotIn(self.agreement, Agreement._cron_agreement_lifecycle())
        with freeze_time(date(2026, 12, 2)):
            self.assertIn(self.agreement, Agreement._cron_agreement_lifecycle())
            self.assertNotIn(self.agreement, Agreement._cron_agreement_lifecycle())
        activities = self.agreement.activity_ids
        self.assertEqual(len(activities), 1)
        self.assertEqual(activities.user_id, self.manager)
        self.assertEqual(activities.date_deadline, date(2026, 12, 1))
        with freeze_time(date(2027, 1, 1)):
            Agreement._cron_agreement_lifecycle()
        self.assertEqual(self.agreement.state, "expired")
