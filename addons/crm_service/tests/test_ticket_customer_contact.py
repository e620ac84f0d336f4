from odoo.tests import Form, tagged

from .common import CrmServiceCommon
from .test_ticket_flow import INCOMING


@tagged("post_install", "-at_install")
class TestTicketCustomerContact(CrmServiceCommon):
    """On a ticket the customer is the commercial entity (company) and the contact the person."""

    def test_person_as_customer_becomes_the_contact(self):
        ticket = self._ticket(partner_id=self.customer_contact.id)
        self.assertEqual(ticket.partner_id, self.customer)
        self.assertEqual(ticket.contact_id, self.customer_contact)
        self.assertEqual(ticket.commercial_partner_id, self.customer)
        self.assertEqual(ticket.email_from, "petrov@romashka.example", "the e-mail is the person's")
        self.assertEqual(ticket.agreement_id, self.agreement)

    def test_company_and_explicit_contact_are_kept(self):
        ticket = self._ticket(partner_id=self.customer.id, contact_id=self.customer_contact.id)
        self.assertEqual((ticket.partner_id, ticket.contact_id), (self.customer, self.customer_contact))
        ticket = self._ticket(partner_id=self.customer.id)
        self.assertEqual(ticket.partner_id, self.customer)
        self.assertFalse(ticket.contact_id, "a company alone has no contact person")

    def test_individual_customer_is_also_the_contact(self):
        person = self.env["res.partner"].create({"name": "Семён Частников", "email": "semen@example.ru"})
        ticket = self._ticket(partner_id=person.id)
        self.assertEqual((ticket.partner_id, ticket.contact_id), (person, person))

    def test_writing_a_person_as_customer(self):
        ticket = self._ticket(partner_id=self.customer.id)
        ticket.partner_id = self.rival_contact
        self.assertEqual((ticket.partner_id, ticket.contact_id), (self.rival, self.rival_contact))
        ticket.partner_id = self.customer
        self.assertEqual(ticket.partner_id, self.customer)
        self.assertFalse(ticket.contact_id, "the previous customer's person is no contact of the new one")

    def test_incoming_email_files_the_company_with_its_person(self):
        self.env["mail.alias.domain"].create({"name": "service.example"})
        self.team.alias_name = "support-moscow"
        ticket_id = self.env["mail.thread"].message_process(
            "crm.service.ticket",
            INCOMING.format(to=self.team.alias_email, subject="Сломался сканер",
                            msg_id="<contact@romashka.example>", body="Не сканирует"))
        ticket = self.env["crm.service.ticket"].browse(ticket_id)
        self.assertEqual((ticket.partner_id, ticket.contact_id), (self.customer, self.customer_contact))

    def test_agent_picking_a_person_fills_customer_and_contact(self):
        with Form(self.env["crm.service.ticket"].with_user(self.agent)) as form:
            form.name = "Не печатает"
            form.team_id = self.team
            form.partner_id = self.customer_contact
            self.assertEqual(form.partner_id, self.customer)
            self.assertEqual(form.contact_id, self.customer_contact)
            # another company: the previous company's person does not stay as the contact
            form.partner_id = self.rival
            self.assertFalse(form.contact_id)
            form.partner_id = self.rival_contact
        ticket = form.record
        self.assertEqual((ticket.partner_id, ticket.contact_id), (self.rival, self.rival_contact))

    def test_contact_ticket_count_and_rating_partner(self):
        ticket = self._ticket(partner_id=self.customer_contact.id)
        partners = (self.customer | self.customer_contact).with_user(self.agent)
        self.assertEqual(partners.mapped("crm_service_ticket_count"), [1, 1])
        self.assertEqual(ticket._rating_get_partner(), self.customer_contact)
