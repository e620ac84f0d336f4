from datetime import datetime

from odoo.fields import Command
from odoo.tests import tagged
from odoo.tests.common import freeze_time

from .common_customer360 import Customer360SaleCommon
from .common_erp import foreign_currency_pricelist


@tagged("post_install", "-at_install")
@freeze_time("2026-06-15 10:00:00")
class TestCustomer360KeyFigures(Customer360SaleCommon):
    """Key figures of a customer on known data, counted at the organisation."""

    @classmethod
    def _create_deals(cls, partner, revenues_probabilities, user):
        return cls.env["crm.lead"].create([{
            "name": f"Сделка {partner.name} {index}",
            "type": "opportunity",
            "partner_id": partner.id,
            "expected_revenue": revenue,
            "probability": probability,
            "user_id": user.id,
        } for index, (revenue, probability) in enumerate(revenues_probabilities)])

    def _create_order(self, partner, quantity):
        return self.env["sale.order"].create({
            "partner_id": partner.id,
            "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": quantity,
                                           "price_unit": 100.0, "tax_ids": [Command.clear()]})],
        })

    def _create_invoice(self, partner, amount, post=True):
        invoice = self.env["account.move"].create({
            "move_type": "out_invoice",
            "partner_id": partner.id,
            "invoice_date": "2026-06-01",
            "invoice_line_ids": [Command.create({"name": "Стеллажи", "quantity": 1, "price_unit": amount,
                                                 "tax_ids": [Command.clear()]})],
        })
        if post:
            invoice.action_post()
        return invoice

    def test_key_figures_on_known_data(self):
        # deals: two open on the company and its contact, one won this year, one won last year,
        # one lost, one open on another customer, one lead (not a deal yet)
        open_deals = self._create_deals(self.ivan, [(1000.0, 50.0)], self.user_team_a)
        open_deals |= self._create_deals(self.romashka, [(2000.0, 10.0)], self.user_team_a)
        won_now, won_last_year, lost = self._create_deals(
            self.olga, [(5000.0, 40.0), (7000.0, 40.0), (900.0, 30.0)], self.user_team_a)
        (won_now | won_last_year).action_set_won()
        won_last_year.date_closed = datetime(2025, 12, 20)
        lost.action_set_lost()
        self._create_deals(self.vasilek, [(3000.0, 90.0)], self.user_team_b)
        self.env["crm.lead"].create({"name": "Лид с сайта", "type": "lead", "partner_id": self.ivan.id,
                                     "expected_revenue": 400.0})

        # quotations: draft and sent count, a confirmed order does not
        self._create_order(self.ivan, 2)
        sent = self._create_order(self.romashka, 3)
        sent.action_quotation_sent()
        self._create_order(self.romashka, 10).action_confirm()

        # invoices: posted and unpaid count, drafts do not
        self._create_invoice(self.olga, 300.0)
        self._create_invoice(self.romashka, 200.0)
        self._create_invoice(self.romashka, 999.0, post=False)

        # interactions and the next meeting
        self._create_interaction(self.user_team_a, self.ivan, contact_id=self.ivan.id,
                                 date=datetime(2026, 6, 10, 9, 0))
        self._create_interaction(self.user_team_a, self.olga, contact_id=self.olga.id,
                                 date=datetime(2026, 6, 12, 15, 30))
        self.env["calendar.event"].create({
            "name": "Переговоры по договору",
            "start": datetime(2026, 6, 20, 8, 0),
            "stop": datetime(2026, 6, 20, 9, 0),
            "partner_ids": [Command.set(self.olga.ids)],
        })
        self.env["calendar.event"].create({
            "name": "Прошедшая встреча",
            "start": datetime(2026, 6, 1, 8, 0),
            "stop": datetime(2026, 6, 1, 9, 0),
            "partner_ids": [Command.set(self.ivan.ids)],
        })

        self.env.invalidate_all()
        for partner in (self.romashka, self.ivan, self.olga):
            with self.subTest(partner=partner.name):
                self.assertEqual(partner.crm_open_deal_count, 2)
                self.assertAlmostEqual(partner.crm_open_deal_weighted, 1000 * 0.5 + 2000 * 0.1)
                self.assertAlmostEqual(partner.crm_won_revenue_year, 5000.0)
                self.assertEqual(partner.crm_quotation_count, 2)
                self.assertAlmostEqual(partner.crm_quotation_amount, 500.0)
                self.assertEqual(partner.crm_unpaid_invoice_count, 2)
                self.assertAlmostEqual(partner.crm_unpaid_amount, 500.0)
                self.assertEqual(partner.crm_interaction_count, 2)
                self.assertEqual(partner.crm_last_interaction_date, datetime(2026, 6, 12, 15, 30))
                self.assertEqual(partner.crm_next_interaction_date, datetime(2026, 6, 20, 8, 0))
        self.assertEqual(self.vasilek.crm_open_deal_count, 1)
        self.assertAlmostEqual(self.vasilek.crm_open_deal_weighted, 2700.0)
        self.assertFalse(self.vasilek.crm_last_interaction_date)

    def test_paid_invoice_is_not_due(self):
        invoice = self._create_invoice(self.romashka, 400.0)
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids).create({})._create_payments()
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.env.invalidate_all()
        self.assertEqual(self.romashka.crm_unpaid_invoice_count, 0)
        self.assertEqual(self.romashka.crm_unpaid_amount, 0.0)

    def test_salesperson_sees_figures_of_own_deals_only(self):
        """Figures respect record rules: a salesperson counts only what they may read."""
        self._create_deals(self.romashka, [(1000.0, 50.0)], self.user_own)
        self._create_deals(self.romashka, [(2000.0, 50.0)], self.user_team_b)
        self.env.invalidate_all()
        partner = self.romashka.with_user(self.user_own)
        self.assertEqual(partner.crm_open_deal_count, 1)
        self.assertAlmostEqual(partner.crm_open_deal_weighted, 500.0)
        self.assertEqual(self.romashka.with_user(self.user_manager).crm_open_deal_count, 2)

    def test_quotations_in_another_currency_are_converted(self):
        company = self.env.company
        pricelist = foreign_currency_pricelist(self.env, 0.5)
        foreign = pricelist.currency_id
        order = self._create_order(self.romashka, 1)
        order.pricelist_id = pricelist
        order.order_line.price_unit = 100.0
        self._create_order(self.romashka, 3)
        self.assertEqual(order.currency_id, foreign)
        self.env.invalidate_all()
        self.assertEqual(self.romashka.crm_quotation_count, 2)
        self.assertAlmostEqual(self.romashka.crm_quotation_amount, 300.0 + 200.0,
                               msg="100 in a currency worth two company units counts 200")
        self.assertEqual(self.romashka.crm_currency_id, company.currency_id)

    def test_query_count_does_not_grow_with_partners(self):
        """Reading the key figures of 3 or of 12 customers costs the same queries."""
        companies = self.env["res.partner"].create([
            {"name": f"ООО Клиент {index}", "is_company": True} for index in range(12)])
        contacts = self.env["res.partner"].create([
            {"name": f"Контакт {index}", "parent_id": company.id} for index, company in enumerate(companies)])
        self._create_deals(contacts[0], [(100.0, 10.0)] * 3, self.user_manager)
        for company in companies:
            self._create_deals(company, [(100.0, 10.0)], self.user_manager)
            self._create_order(company, 1)
            self._create_interaction(self.user_manager, company)
        fnames = ["crm_open_deal_count", "crm_open_deal_weighted", "crm_won_revenue_year",
                  "crm_quotation_count", "crm_unpaid_amount", "crm_last_interaction_date",
                  "crm_next_interaction_date"]
        manager_contacts = contacts.with_user(self.user_manager)
        manager_contacts[:1].with_prefetch().read(fnames)  # warm the record-rule and access caches
        for partners in (manager_contacts[1:4].with_prefetch(), manager_contacts.with_prefetch()):
            self.env.invalidate_all()
            partners.fetch(["commercial_partner_id"])  # the partners on screen are loaded already
            # one statement for every source (the commercial entities' partners a subquery of it), and
            # the company (its currency); it was 7 with one query per source
            with self.assertQueryCount(2):
                partners.read(fnames)

    def test_salesperson_reads_key_figures_in_one_statement(self):
        """The partner form as the soak opens it (a salesperson reading one contact's figures): every
        source in one statement, the record rules of each source still applied."""
        self._create_deals(self.ivan, [(1000.0, 50.0)], self.user_own)
        self._create_deals(self.romashka, [(2000.0, 50.0)], self.user_team_b)  # not the salesperson's
        self._create_order(self.ivan, 2).user_id = self.user_own
        self._create_interaction(self.user_own, self.romashka, date=datetime(2026, 6, 10, 9, 0))
        self.env["calendar.event"].create({
            "name": "Переговоры", "start": datetime(2026, 6, 20, 8, 0), "stop": datetime(2026, 6, 20, 9, 0),
            "partner_ids": [Command.set(self.olga.ids)]})
        fnames = ["crm_open_deal_count", "crm_open_deal_weighted", "crm_quotation_count", "crm_quotation_amount",
                  "crm_unpaid_invoice_count", "crm_interaction_count", "crm_last_interaction_date",
                  "crm_next_interaction_date"]
        olga = self.olga.with_user(self.user_own)
        self.vasilek.with_user(self.user_own).read(fnames)  # warm the record-rule and access caches
        self.env.invalidate_all()
        olga.fetch(["name", "commercial_partner_id"])  # the form reads the partner itself anyway
        with self.assertQueryCount(2):  # the sources, and the company (its currency)
            values = olga.read(fnames)[0]
        self.assertEqual(values["crm_open_deal_count"], 1)
        self.assertAlmostEqual(values["crm_open_deal_weighted"], 500.0)
        self.assertEqual(values["crm_quotation_count"], 1)
        self.assertAlmostEqual(values["crm_quotation_amount"], 200.0)
        self.assertEqual(values["crm_unpaid_invoice_count"], 0)
        self.assertEqual(values["crm_interaction_count"], 1)
        self.assertEqual(values["crm_last_interaction_date"], datetime(2026, 6, 10, 9, 0))
        self.assertEqual(values["crm_next_interaction_date"], datetime(2026, 6, 20, 8, 0))
