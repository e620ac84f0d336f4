from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.service.model import get_public_method
from odoo.tests import new_test_user, tagged

from .common import CrmServiceCommon


@tagged("post_install", "-at_install")
class TestCrmServiceTicketOwnership(CrmServiceCommon):
    """Documents linked to a ticket or an agreement belong to its customer and company,
    whatever the caller sends (form, import, RPC): the portal prints links to them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ticket = cls._ticket(name="Сломан станок", partner_id=cls.customer_contact.id)
        cls.other_company = cls.env["res.company"].create({"name": "ООО Филиал"})
        cls.product = cls.env["product.product"].create({"name": "Станок ЧПУ", "list_price": 100})
        cls.foreign_product = cls.env["product.product"].create({
            "name": "Станок филиала", "company_id": cls.other_company.id})
        # documents set up as superuser: agents have no sales or accounting rights
        cls.own_order = cls._order(cls.customer_contact)
        cls.rival_order = cls._order(cls.rival)
        cls.foreign_company_order = cls._order(cls.customer, company=cls.other_company)
        cls.own_invoice = cls._invoice(cls.customer)
        cls.rival_invoice = cls._invoice(cls.rival_contact)
        cls.own_bill = cls._invoice(cls.customer, move_type="in_invoice")

    @classmethod
    def _order(cls, partner, company=None):
        return cls.env["sale.order"].create({
            "partner_id": partner.id, "company_id": (company or cls.company).id,
            "order_line": [Command.create({"product_id": cls.product.id, "product_uom_qty": 1})],
        })

    @classmethod
    def _invoice(cls, partner, move_type="out_invoice"):
        return cls.env["account.move"].create({"move_type": move_type, "partner_id": partner.id})

    def _assert_refused_as_agent(self, record, values):
        """The agent's write raises ValidationError and leaves the record as it was."""
        before = {name: record[name] for name in values}
        with self.assertRaises(ValidationError):
            record.with_user(self.agent).write(values)
        record.invalidate_recordset()
        self.assertEqual({name: record[name] for name in values}, before)

    def test_agent_links_only_the_customers_own_documents(self):
        self.ticket.with_user(self.agent).write({
            "sale_order_id": self.own_order.id, "invoice_id": self.own_invoice.id,
            "contact_id": self.customer_contact.id, "product_id": self.product.id,
        })
        self.assertEqual(self.ticket.sale_order_id, self.own_order)
        self.assertEqual(self.ticket.invoice_id, self.own_invoice)

    def test_foreign_documents_are_refused(self):
        cases = {
            "another customer's order": {"sale_order_id": self.rival_order.id},
            "an order of another company": {"sale_order_id": self.foreign_company_order.id},
            "another customer's invoice": {"invoice_id": self.rival_invoice.id},
            "a vendor bill": {"invoice_id": self.own_bill.id},
            "a contact of another customer": {"contact_id": self.rival_contact.id},
            "a product of another company": {"product_id": self.foreign_product.id},
            "a portal user as assignee": {"user_id": self.portal_user.id},
        }
        for case, values in cases.items():
            with self.subTest(case):
                self._assert_refused_as_agent(self.ticket, values)

    def test_another_customers_agreement_is_refused(self):
        rival_agreement = self.env["crm.service.agreement"].create({
            "name": "Василёк", "partner_id": self.rival.id, "sla_tier_id": self.tier_gold.id,
            "date_start": "2026-01-01", "state": "active"})
        self.assertEqual(self.ticket.agreement_id, self.agreement)
        with self.assertRaises(ValidationError):
            self.ticket.with_user(self.manager).write({"agreement_id": rival_agreement.id})
        self.ticket.invalidate_recordset()
        self.assertEqual(self.ticket.agreement_id, self.agreement)

    def test_team_of_another_company_is_refused(self):
        foreign_team = self.env["crm.service.team"].create({"name": "Филиал", "company_id": self.other_company.id})
        with self.assertRaises(ValidationError):
            self.ticket.write({"team_id": foreign_team.id})
        self.ticket.invalidate_recordset()
        self.assertEqual(self.ticket.team_id, self.team)

    def test_new_customer_drops_the_previous_customers_agreement(self):
        self.assertEqual(self.ticket.agreement_id, self.agreement)
        self.ticket.with_user(self.agent).partner_id = self.rival
        self.assertFalse(self.ticket.agreement_id)
        self.assertEqual(self.ticket.commercial_partner_id, self.rival)

    def test_agreement_customer_products_and_tickets(self):
        with self.subTest("a contact instead of the company"), self.assertRaises(ValidationError):
            self.agreement.write({"partner_id": self.customer_contact.id})
        with self.subTest("a product of another company"), self.assertRaises(ValidationError):
            self.agreement.write({"product_ids": [Command.link(self.foreign_product.id)]})
        with self.subTest("tickets of another customer"), self.assertRaises(ValidationError):
            self.agreement.write({"partner_id": self.rival.id})
        self.agreement.invalidate_recordset()
        self.assertEqual(self.agreement.partner_id, self.customer)
        self.assertFalse(self.agreement.product_ids)

    def test_portal_links_only_the_customers_own_documents(self):
        # a link stored before the constraints existed (or written in SQL) is not shown
        self.env.cr.execute("UPDATE crm_service_ticket SET sale_order_id = %s, invoice_id = %s WHERE id = %s",
                            (self.rival_order.id, self.rival_invoice.id, self.ticket.id))
        self.ticket.invalidate_recordset()
        order, invoice = self.ticket._portal_linked_documents()
        self.assertFalse(order)
        self.assertFalse(invoice)
        self.env.cr.execute("UPDATE crm_service_ticket SET sale_order_id = NULL, invoice_id = NULL WHERE id = %s",
                            (self.ticket.id,))
        self.ticket.invalidate_recordset()
        self.own_order.action_confirm()
        self.ticket.write({"sale_order_id": self.own_order.id, "invoice_id": self.own_invoice.id})
        order, invoice = self.ticket._portal_linked_documents()
        self.assertEqual(order, self.own_order)
        self.assertFalse(invoice, "a draft invoice is not shown on the portal")


@tagged("post_install", "-at_install")
class TestCrmServicePublicMethods(CrmServiceCommon):
    """Public methods are callable over RPC by anyone who can read the record: each one
    is private or checks the caller's service-desk group itself."""

    # ORM methods whose access is checked by the ORM (ACL and record rules)
    ORM_METHODS = {"create", "write", "unlink"}
    # buttons checking the caller's group, each exercised below
    BUTTONS = {
        "crm.service.ticket": {"action_assign_to_me", "action_create_article", "action_link_suggested_articles"},
        "crm.service.agreement": {"action_activate", "action_cancel", "action_view_tickets"},
        "crm.service.article": {"action_publish", "action_unpublish"},
        "crm.service.team": {"action_view_tickets"},
        "res.partner": {"action_view_crm_service_tickets"},
    }

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.employee = new_test_user(cls.env, "svc_employee", groups="base.group_user", name="Egor Employee")
        cls.ticket = cls._ticket(name="Принтер", partner_id=cls.customer_contact.id)
        cls.article = cls.env["crm.service.article"].create({"name": "Картридж", "is_published": True})

    def test_every_public_method_of_ours_is_private_or_a_checked_button(self):
        for model_name in self.env.registry:
            model = self.env[model_name]
            ours = [cls for cls in type(model).mro() if cls.__module__.startswith("odoo.addons.crm_service.")]
            names = {name for cls in ours for name, value in vars(cls).items()
                     if callable(value) and not name.startswith("_")}
            for name in names - self.ORM_METHODS - self.BUTTONS.get(model_name, set()):
                with self.subTest(model=model_name, method=name), self.assertRaises(AccessError):
                    get_public_method(model, name)

    def test_mail_gateway_entry_points_are_not_remote(self):
        Ticket = self.env["crm.service.ticket"]
        for name in ("message_new", "message_update"):
            with self.subTest(name), self.assertRaises(AccessError):
                get_public_method(Ticket, name)

    def test_buttons_refuse_users_outside_the_service_desk(self):
        portal_partner = self.customer_contact.with_user(self.portal_user)
        calls = [
            ("portal user opens the tickets of their own contact card",
             lambda: portal_partner.action_view_crm_service_tickets()),
            ("employee opens a customer's tickets",
             lambda: self.customer.with_user(self.employee).action_view_crm_service_tickets()),
            ("portal user assigns their ticket", lambda: self.ticket.with_user(self.portal_user).action_assign_to_me()),
            ("portal user links articles",
             lambda: self.ticket.with_user(self.portal_user).action_link_suggested_articles()),
            ("portal user writes an article", lambda: self.ticket.with_user(self.portal_user).action_create_article()),
            ("portal user unpublishes an article", lambda: self.article.with_user(self.portal_user).action_unpublish()),
            ("agent activates an agreement", lambda: self.agreement.with_user(self.agent).action_activate()),
            ("agent cancels an agreement", lambda: self.agreement.with_user(self.agent).action_cancel()),
        ]
        for label, call in calls:
            with self.subTest(label), self.assertRaises(AccessError):
                call()
        self.ticket.invalidate_recordset()
        self.article.invalidate_recordset()
        self.agreement.invalidate_recordset()
        self.assertFalse(self.ticket.user_id)
        self.assertTrue(self.article.is_published)
        self.assertEqual(self.agreement.state, "active")

    def test_buttons_work_for_the_service_desk(self):
        self.ticket.with_user(self.agent).action_assign_to_me()
        self.assertEqual(self.ticket.user_id, self.agent)
        action = self.customer.with_user(self.agent).action_view_crm_service_tickets()
        self.assertEqual(action["domain"], [("commercial_partner_id", "=", self.customer.id)])
        self.assertEqual(self.agreement.with_user(self.agent).action_view_tickets()["res_model"], "crm.service.ticket")
        self.agreement.with_user(self.manager).action_cancel()
        self.assertEqual(self.agreement.state, "cancelled")
