from odoo.tests import tagged

from .common import CrmServiceCommon


@tagged("post_install", "-at_install")
class TestPartnerTicketCount(CrmServiceCommon):
    """The partner form's ticket counter: a company counts its contacts' tickets, a person their own."""

    def test_ticket_counts_of_companies_and_persons_in_one_query(self):
        person = self.env["res.partner"].create({"name": "Семён Частников", "email": "semen@example.ru"})
        self._ticket(partner_id=self.customer_contact.id)  # the company's, asked by its contact
        self._ticket(partner_id=self.customer.id)  # the company's, no contact person
        self._ticket(partner_id=person.id)  # an individual: customer and contact at once, counted once
        partners = (self.customer | self.customer_contact | self.rival | person).with_user(self.manager)
        self.rival_contact.with_user(self.manager).read(["crm_service_ticket_count"])  # warm the rule caches
        self.env.invalidate_all()
        partners.fetch(["is_company", "commercial_partner_id"])  # the form reads the partner itself anyway
        with self.assertQueryCount(2):  # the tickets grouped once (three grouped queries before)
            counts = [values["crm_service_ticket_count"] for values in partners.read(["crm_service_ticket_count"])]
        self.assertEqual(counts, [2, 1, 0, 1])
