"""Hostile JSON-RPC callers against the timeline and the log wizard (issue 19's additions).

A salesman calls the public methods of the customer card and of the log wizard over HTTP with
another salesman's or another company's records and with crafted arguments: every refusal must be
a UserError, AccessError or ValidationError, never an internal error, and nothing may be written.
"""
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestAttackCustomer360(HttpCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "host Компания Б"})
        cls.salesman = new_test_user(
            cls.env, login="host_sm1", groups="sales_team.group_sale_salesman",
            company_id=cls.company_a.id, company_ids=[cls.company_a.id])
        cls.other_salesman = new_test_user(
            cls.env, login="host_sm2", groups="sales_team.group_sale_salesman",
            company_id=cls.company_a.id, company_ids=[cls.company_a.id])
        cls.salesman_b = new_test_user(
            cls.env, login="host_smb", groups="sales_team.group_sale_salesman",
            company_id=cls.company_b.id, company_ids=[cls.company_b.id])
        Partner = cls.env["res.partner"]
        cls.own_customer = Partner.create({"name": "host Свой клиент", "is_company": True,
                                           "user_id": cls.salesman.id})
        cls.own_contact = Partner.create({"name": "host Свой контакт", "parent_id": cls.own_customer.id})
        cls.foreign_customer = Partner.create({"name": "host Чужой клиент", "is_company": True,
                                               "user_id": cls.other_salesman.id})
        cls.customer_b = Partner.create({"name": "host Клиент Б", "is_company": True,
                                         "company_id": cls.company_b.id, "user_id": cls.salesman_b.id})
        cls.contact_b = Partner.create({"name": "host Контакт Б", "parent_id": cls.customer_b.id,
                                        "company_id": cls.company_b.id})
        Lead = cls.env["crm.lead"]
        cls.own_lead = Lead.create({"name": "host Своя сделка", "partner_id": cls.own_customer.id,
                                    "user_id": cls.salesman.id, "type": "opportunity"})
        cls.foreign_lead = Lead.create({"name": "host Чужая сделка", "partner_id": cls.foreign_customer.id,
                                        "user_id": cls.other_salesman.id, "type": "opportunity"})
        cls.lead_b = Lead.with_company(cls.company_b).create({
            "name": "host Сделка Б", "partner_id": cls.customer_b.id, "user_id": cls.salesman_b.id,
            "type": "opportunity", "company_id": cls.company_b.id})

    def _rpc(self, model, method, args, kwargs=None, context=None):
        """call_kw over HTTP: ("ok", result) or ("error", exception name, message)."""
        response = self.opener.post(f"{self.base_url()}/web/dataset/call_kw/{model}/{method}", json={
            "id": 0, "jsonrpc": "2.0", "method": "call",
            "params": {"model": model, "method": method, "args": args,
                       "kwargs": dict(kwargs or {}, context=context or {})}}, timeout=30)
        response.raise_for_status()
        decoded = response.json()
        if "error" in decoded:
            return ("error", decoded["error"]["data"]["name"], decoded["error"]["data"]["message"])
        return ("ok", decoded.get("result"))

    def _assert_refused(self, outcome, error, text=None):
        self.assertEqual(outcome[0], "error", outcome)
        self.assertEqual(outcome[1], f"odoo.exceptions.{error}", outcome)
        if text:
            self.assertIn(text, outcome[2])

    def _log(self, values):
        """The log wizard as the web client drives it: create, then action_log."""
        created = self._rpc("crm.interaction.log.wizard", "create", [dict(values, interaction_type="other")])
        self.assertEqual(created[0], "ok", created)
        wizard_id = created[1][0] if isinstance(created[1], list) else created[1]
        with mute_logger("odoo.http"):
            return self._rpc("crm.interaction.log.wizard", "action_log", [[wizard_id]])

    def _history(self):
        """What a logged interaction leaves behind: interactions, meetings and activities of our records."""
        self.env.invalidate_all()
        leads = self.own_lead | self.foreign_lead | self.lead_b
        partners = self.own_customer | self.foreign_customer | self.customer_b
        return (
            self.env["crm.interaction"].sudo().search([("partner_id", "in", partners.ids)]).ids,
            self.env["calendar.event"].sudo().search([("opportunity_id", "in", leads.ids)]).ids,
            self.env["mail.activity"].sudo().search([("res_model", "=", "crm.lead"), ("res_id", "in", leads.ids)]).ids,
        )

    # ------------------------------------------------------------ crm.interaction itself

    def test_interaction_create_refuses_unreadable_or_foreign_deals(self):
        """``crm.interaction.create`` over JSON-RPC, as the log wizard's checks would be bypassed: another
        salesman's deal, another company's deal, a deal of another customer: refused, nothing written."""
        self.authenticate("host_sm1", "host_sm1")
        before = self._history()
        for lead, partner, error in ((self.foreign_lead, self.foreign_customer, "AccessError"),
                                     (self.lead_b, self.customer_b, "AccessError"),
                                     (self.foreign_lead, self.own_customer, "AccessError"),
                                     # both readable, the deal is not that customer's
                                     (self.own_lead, self.foreign_customer, "ValidationError")):
            with self.subTest(lead=lead.name, partner=partner.name), mute_logger("odoo.http"):
                self._assert_refused(self._rpc("crm.interaction", "create", [{
                    "name": "host Подброшено", "interaction_type": "other",
                    "partner_id": partner.id, "lead_id": lead.id}]), error)
        self.assertEqual(self._history(), before)

    def test_interaction_refuses_a_deal_of_another_customer(self):
        """Both readable, but the deal is not the customer's: a ValidationError, on create and on write."""
        self.authenticate("host_sm1", "host_sm1")
        own_other = self.env["res.partner"].create({"name": "host Второй клиент", "is_company": True,
                                                    "user_id": self.salesman.id})
        before = self._history()
        with mute_logger("odoo.http"):
            self._assert_refused(self._rpc("crm.interaction", "create", [{
                "name": "host Не та сделка", "interaction_type": "other", "partner_id": own_other.id,
                "lead_id": self.own_lead.id}]), "ValidationError", "is not a deal of")
        self.assertEqual(self._history(), before)
        created = self._rpc("crm.interaction", "create", [{
            "name": "host Звонок", "interaction_type": "other", "partner_id": self.own_customer.id,
            "lead_id": self.own_lead.id}])
        self.assertEqual(created[0], "ok", created)
        interaction_id = created[1][0] if isinstance(created[1], list) else created[1]
        with mute_logger("odoo.http"):
            self._assert_refused(self._rpc("crm.interaction", "write", [[interaction_id], {
                "partner_id": own_other.id}]), "ValidationError", "is not a deal of")
            self._assert_refused(self._rpc("crm.interaction", "write", [[interaction_id], {
                "lead_id": self.foreign_lead.id}]), "AccessError")
        interaction = self.env["crm.interaction"].browse(interaction_id)
        self.assertEqual((interaction.partner_id, interaction.lead_id), (self.own_customer, self.own_lead))

    # ------------------------------------------------------------ the log wizard

    def test_log_wizard_refuses_another_salesmans_deal(self):
        before = self._history()
        self.authenticate("host_sm1", "host_sm1")
        for values in (
            {"partner_id": self.foreign_customer.id, "lead_id": self.foreign_lead.id, "next_step": "none"},
            {"partner_id": self.foreign_customer.id, "lead_id": self.foreign_lead.id, "next_step": "meeting",
             "next_date": "2025-01-10 10:00:00"},
        ):
            with self.subTest(next_step=values["next_step"]):
                self._assert_refused(self._log(values), "AccessError")
        self.assertEqual(self._history(), before)

    def test_log_wizard_refuses_a_deal_of_another_customer(self):
        """The form offers only the customer's deals; a crafted call naming the salesman's own deal of
        another customer is refused too (the interaction would sit on one customer and the deal of another)."""
        other_customer = self.env["res.partner"].create({
            "name": "host Другой свой клиент", "is_company": True, "user_id": self.salesman.id})
        before = self._history()
        self.authenticate("host_sm1", "host_sm1")
        outcome = self._log({"partner_id": other_customer.id, "lead_id": self.own_lead.id, "next_step": "none"})
        self._assert_refused(outcome, "ValidationError", "host Своя сделка")
        self.assertEqual(self._history(), before)
        self.assertFalse(self.env["crm.interaction"].sudo().search_count([("partner_id", "=", other_customer.id)]))

    def test_log_wizard_refuses_another_companys_customer_and_deal(self):
        before = self._history()
        self.authenticate("host_sm1", "host_sm1")
        for name, values in {
            "customer": {"partner_id": self.customer_b.id, "next_step": "none"},
            "deal": {"partner_id": self.customer_b.id, "lead_id": self.lead_b.id, "next_step": "none"},
            "meeting": {"partner_id": self.customer_b.id, "contact_id": self.contact_b.id, "next_step": "meeting",
                        "next_date": "2025-01-10 10:00:00"},
        }.items():
            with self.subTest(name):
                self._assert_refused(self._log(values), "AccessError")
        self.assertEqual(self._history(), before)

    def test_log_wizard_logs_on_own_deal(self):
        self.authenticate("host_sm1", "host_sm1")
        outcome = self._log({"partner_id": self.own_customer.id, "contact_id": self.own_contact.id,
                             "lead_id": self.own_lead.id, "next_step": "none"})
        self.assertEqual(outcome, ("ok", {"type": "ir.actions.act_window_close"}))
        interaction = self.env["crm.interaction"].sudo().search([("lead_id", "=", self.own_lead.id)])
        self.assertEqual((interaction.partner_id, interaction.user_id), (self.own_customer, self.salesman))

    # ------------------------------------------------------------ the timeline

    def test_timeline_refuses_crafted_pages_with_a_user_error(self):
        self.authenticate("host_sm1", "host_sm1")
        for kwargs in ({"offset": -1}, {"limit": 0}, {"limit": 201}, {"limit": "20"}, {"offset": 1.5},
                       {"types": "deal"}, {"types": {"deal": 1}}, {"types": [1, 2]}, {"types": [None]}):
            with self.subTest(kwargs=kwargs), mute_logger("odoo.http"):
                self._assert_refused(self._rpc("res.partner", "crm_timeline_get", [[self.own_customer.id]], kwargs),
                                     "UserError", "Invalid timeline page request.")

    def test_timeline_refuses_an_offset_beyond_any_page(self):
        """An offset PostgreSQL cannot hold (bigint) was a server error; a huge one made every source read
        all its records: both are refused like any odd page."""
        self.authenticate("host_sm1", "host_sm1")
        for offset in (10**19, 10**6):
            with self.subTest(offset=offset), mute_logger("odoo.http"):
                self._assert_refused(self._rpc("res.partner", "crm_timeline_get", [[self.own_customer.id]],
                                               {"offset": offset}), "UserError", "Invalid timeline page request.")

    def test_timeline_of_another_company_and_of_no_record(self):
        self.authenticate("host_sm1", "host_sm1")
        with mute_logger("odoo.http"):
            for method in ("crm_timeline_get", "action_crm_open_timeline", "action_crm_log_interaction"):
                with self.subTest(method=method):
                    self._assert_refused(self._rpc("res.partner", method, [[self.customer_b.id]]), "AccessError")
            self._assert_refused(self._rpc("res.partner", "crm_timeline_get", [[self.own_customer.id]], {},
                                           {"allowed_company_ids": [self.company_b.id]}), "AccessError")
            for ids in ([-1], [2**31 - 1], [2**40]):
                with self.subTest(ids=ids):
                    self._assert_refused(self._rpc("res.partner", "crm_timeline_get", [ids]), "MissingError")

    def test_timeline_shows_no_deal_of_another_salesman(self):
        """A salesman may open a colleague's customer card; its timeline lists only what they may read."""
        self.authenticate("host_sm1", "host_sm1")
        outcome = self._rpc("res.partner", "crm_timeline_get", [[self.foreign_customer.id]],
                            {}, {"active_test": False})
        self.assertEqual(outcome[0], "ok", outcome)
        self.assertNotIn(("crm.lead", self.foreign_lead.id),
                         {(entry["res_model"], entry["res_id"]) for entry in outcome[1]["entries"]})
        self.assertNotIn("host Чужая сделка", str(outcome[1]))

    # ------------------------------------------------------------ private methods, cron, the import writer

    def test_private_methods_cron_and_writer_are_out_of_reach(self):
        manager = new_test_user(self.env, login="host_mgr", groups="sales_team.group_sale_manager")
        cron = self.env.ref("crm_core.ir_cron_remind_rotting_deals")
        for login in ("host_sm1", manager.login):
            self.authenticate(login, login)
            with mute_logger("odoo.http"):
                for model, method, args in (
                    ("res.partner", "_crm_timeline_entries", [[self.own_customer.id], "deal", 10]),
                    ("res.partner", "_crm_timeline_entries_deal", [[self.own_customer.id], 10]),
                    ("crm.lead", "_cron_remind_rotting_deals", []),
                    ("crm.lead", "_remind_rotting_deals", [[self.own_lead.id]]),
                    ("crm.import.partner.writer", "_create_partners", [[], {}, []]),
                    ("crm.import.partner.writer", "_apply_updates", [[], {}, []]),
                    ("res.config.settings", "_crm_get_setting", ["crm_personal_data_salesperson_edit"]),
                ):
                    with self.subTest(login=login, method=method):
                        self._assert_refused(self._rpc(model, method, args), "AccessError", "Private methods")
                for method, args in (("search_read", [[]]), ("create", [[{}]])):
                    with self.subTest(login=login, method=method):
                        self._assert_refused(self._rpc("crm.import.partner.writer", method, args), "AccessError")
                with self.subTest(login=login, method="method_direct_trigger"):
                    self._assert_refused(self._rpc("ir.cron", "method_direct_trigger", [cron.ids]), "AccessError")
