"""Role x model access matrix of the CRM suite.

``MATRIX`` is the intended access of every role to every model our addons
declare ("r", "w", "c", "u" = read, write, create, unlink; a role not listed
has no access).  The same table is documented in crm_core/readme/CONFIGURE.md
("Roles and access").  A model added to one of our addons without a row here
fails ``test_every_model_of_ours_is_in_the_matrix``.
"""
from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged

OUR_ADDONS = ("crm_core", "crm_marketing", "crm_service", "crm_analytics", "crm_core_mrp")

ROLES = {
    "sales_own": "sales_team.group_sale_salesman",
    "sales_team": "crm_core.group_crm_salesman_team",
    "sales_all": "sales_team.group_sale_salesman_all_leads",
    "sales_manager": "sales_team.group_sale_manager",
    "data_operator": "crm_core.group_crm_data_operator",
    "mkt_user": "crm_marketing.group_crm_marketing_user",
    "mkt_manager": "crm_marketing.group_crm_marketing_manager",
    "svc_agent": "crm_service.group_crm_service_agent",
    "svc_manager": "crm_service.group_crm_service_manager",
    "analytics": "crm_analytics.group_crm_analytics_viewer",
    "accountant": "account.group_account_invoice",
    "portal": "base.group_portal",
}
SALES = ("sales_own", "sales_team", "sales_all", "sales_manager")
INTERNAL = tuple(role for role in ROLES if role != "portal")


def _all(roles, letters):
    return dict.fromkeys(roles, letters)


# reference data every employee reads, one manager role maintains
def _reference(manager_role, extra=None):
    return {**_all(INTERNAL, "r"), manager_role: "rwcu", **(extra or {})}


ANALYTICS = {"sales_manager": "r", "analytics": "r"}

MATRIX = {
    # crm_core
    "crm.contact.role": _reference("sales_manager"),
    "crm.customer.tier": _reference("sales_manager"),
    "crm.interaction.status": _reference("sales_manager"),
    "crm.interaction": _all(SALES, "rwcu"),
    "crm.interaction.log.wizard": _all(SALES, "rwc"),
    "crm.deal.line": {**_all(SALES, "rwcu"), "accountant": "r"},
    "crm.sales.plan": {**_all(SALES, "r"), "sales_manager": "rwcu"},
    "crm.sales.plan.line": {**_all(SALES, "r"), "sales_manager": "rwcu"},
    "crm.import.job": {"sales_manager": "rwcu", "data_operator": "rwcu"},
    "crm.import.job.sheet": {"sales_manager": "rwcu", "data_operator": "rwcu"},
    "crm.import.job.column": {"sales_manager": "rwcu", "data_operator": "rwcu"},
    "crm.import.job.row": {"sales_manager": "ru", "data_operator": "r"},
    # shared profiles are read by every importer, changed by their owner (record rules)
    "crm.import.profile": {"sales_manager": "rwcu", "data_operator": "rwcu"},
    "crm.import.profile.line": {"sales_manager": "rwcu", "data_operator": "rwcu"},
    "crm.partner.dedup.wizard": {"data_operator": "rwcu"},
    "crm.partner.dedup.group": {"data_operator": "rwcu"},
    "crm.partner.dedup.choice": {"data_operator": "rwcu"},
    # merge log: written by the merge itself (sudo), read and undone by its author or a sales manager
    "crm.partner.merge.record": {"sales_manager": "r", "data_operator": "r"},
    # crm_marketing
    "crm.marketing.channel": _reference("mkt_manager"),
    "crm.campaign.cost.type": _reference("mkt_manager"),
    "crm.campaign.budget.line": {**_all(SALES, "r"), "mkt_user": "rwcu", "mkt_manager": "rwcu"},
    "crm.campaign.cost": {**_all(SALES, "r"), "mkt_user": "rwcu", "mkt_manager": "rwcu"},
    "crm.segment": {**_all(SALES, "r"), "mkt_user": "rwcu", "mkt_manager": "rwcu"},
    "crm.distribution.rule": {"sales_manager": "rwcu", "mkt_user": "r", "mkt_manager": "rwcu"},
    # runs are a log: created by the distribution, never edited, purged by a manager
    "crm.distribution.run": {"sales_manager": "rc", "mkt_user": "rc", "mkt_manager": "rcu"},
    "crm.distribution.run.line": {"sales_manager": "rc", "mkt_user": "rc", "mkt_manager": "rcu"},
    "crm.distribution.wizard": {"sales_manager": "rwc", "mkt_manager": "rwc"},
    "crm.lead.list.wizard": {"mkt_user": "rwc", "mkt_manager": "rwc"},
    "crm.competitor": _reference("mkt_manager", {"mkt_user": "rwc"}),
    "crm.competitor.price": {**_all(INTERNAL, "r"), **_all(SALES, "rwc"), "mkt_user": "rwcu", "mkt_manager": "rwcu"},
    "crm.competitor.price.report": _all(INTERNAL, "r"),
    # crm_service
    "crm.service.ticket": {"svc_agent": "rwc", "svc_manager": "rwcu", "portal": "r"},
    "crm.service.ticket.pause": {"svc_agent": "r", "svc_manager": "rwcu"},
    "crm.service.escalation.log": {"svc_agent": "r", "svc_manager": "rwcu"},
    "crm.service.team": {"svc_agent": "r", "svc_manager": "rwcu"},
    "crm.service.sla.tier": {"svc_agent": "r", "svc_manager": "rwcu"},
    "crm.service.sla.policy": {"svc_agent": "r", "svc_manager": "rwcu"},
    "crm.service.escalation.rule": {"svc_agent": "r", "svc_manager": "rwcu"},
    "crm.service.agreement": {"svc_agent": "r", "svc_manager": "rwcu"},
    "crm.service.stage": _reference("svc_manager", {"portal": "r"}),
    "crm.service.category": _reference("svc_manager", {"portal": "r"}),
    "crm.service.article": {"svc_agent": "rwc", "svc_manager": "rwcu", "portal": "r"},
    "crm.service.article.vote": {"svc_agent": "r", "svc_manager": "ru"},
    "crm.service.article.category": _reference("svc_manager", {"portal": "r"}),
    "crm.service.article.tag": _reference("svc_manager", {"svc_agent": "rwc", "portal": "r"}),
    # crm_analytics: read-only reports
    "crm.analytics.funnel": ANALYTICS,
    "crm.analytics.manager": ANALYTICS,
    "crm.analytics.loss": ANALYTICS,
    "crm.analytics.campaign": ANALYTICS,
    "crm.analytics.campaign.roi": ANALYTICS,
    "crm.analytics.forecast": ANALYTICS,
    "crm.analytics.abc.xyz": ANALYTICS,
    "crm.analytics.service": ANALYTICS,
    "crm.analytics.classifier": ANALYTICS,
    "crm.analytics.dashboard": ANALYTICS,
    "crm.forecast.snapshot": {"sales_manager": "rwcu", "analytics": "r"},
    # crm_core_mrp
    "crm.demand.forecast": {"sales_all": "r", "sales_manager": "r"},
}

# Odoo models our roles change: the intended access, checked the same way
ODOO_MATRIX = {
    "crm.lead": {**_all(SALES, "rwc"), "sales_manager": "rwcu", "data_operator": "rw", "accountant": "r"},
    "res.partner": {**_all(INTERNAL, "r"), **_all(SALES, "rwc"), "data_operator": "rwcu", "portal": "r"},
}

OPERATIONS = (("r", "read"), ("w", "write"), ("c", "create"), ("u", "unlink"))


@tagged("post_install", "-at_install")
class TestSecurityMatrix(TransactionCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, mail_create_nolog=True))
        cls.company = cls.env.company
        cls.company_2 = cls.env["res.company"].create({"name": "ООО Север"})
        both = {"company_ids": [Command.set((cls.company | cls.company_2).ids)]}
        cls.users = {
            role: new_test_user(cls.env, f"mx_{role}", name=f"Matrix {role}",
                                groups=group if role == "portal" else f"base.group_user,{group}")
            for role, group in ROLES.items()
        }
        salesman = "base.group_user,sales_team.group_sale_salesman"
        cls.mate = new_test_user(cls.env, "mx_mate", groups=salesman, name="Teammate")
        cls.stranger = new_test_user(cls.env, "mx_stranger", groups=salesman, name="Stranger")
        cls.north_manager = new_test_user(
            cls.env, "mx_north", groups="base.group_user,sales_team.group_sale_manager,"
            "crm_service.group_crm_service_manager,crm_marketing.group_crm_marketing_manager",
            name="Both companies", company_id=cls.company.id, **both)
        team_users = [cls.users["sales_own"], cls.users["sales_team"], cls.mate]
        cls.team_a = cls.env["crm.team"].create(
            {"name": "Москва", "member_ids": [Command.set([u.id for u in team_users])]})
        cls.team_b = cls.env["crm.team"].create({"name": "Казань", "member_ids": [Command.set(cls.stranger.ids)]})
        cls.customer = cls.env["res.partner"].create({"name": "ООО Ромашка", "is_company": True})

        # one deal, line and interaction per owner; one more in the second company
        cls.deals, cls.interactions = {}, {}
        for key, user, team in (("own", cls.users["sales_own"], cls.team_a), ("mate", cls.mate, cls.team_a),
                                ("stranger", cls.stranger, cls.team_b)):
            cls.deals[key] = cls.env["crm.lead"].create({
                "name": f"Deal {key}", "type": "opportunity", "user_id": user.id, "team_id": team.id,
                "partner_id": cls.customer.id, "expected_revenue": 1000})
            cls.interactions[key] = cls.env["crm.interaction"].create({
                "name": f"Call {key}", "partner_id": cls.customer.id, "user_id": user.id,
                "lead_id": cls.deals[key].id})
        cls.deals["north"] = cls.env["crm.lead"].create({
            "name": "Deal north", "type": "opportunity", "user_id": cls.north_manager.id,
            "company_id": cls.company_2.id, "team_id": False})
        cls.interactions["north"] = cls.env["crm.interaction"].create({
            "name": "Call north", "partner_id": cls.customer.id, "user_id": cls.north_manager.id,
            "company_id": cls.company_2.id})
        product = cls.env["product.product"].create({"name": "Станок", "list_price": 10})
        cls.lines = {key: cls.env["crm.deal.line"].create({"lead_id": deal.id, "product_id": product.id})
                     for key, deal in cls.deals.items()}

        # service desk: a team of the agent, another team, tickets of two customers and a second company
        cls.svc_team = cls.env["crm.service.team"].create({
            "name": "Поддержка", "member_ids": [Command.set(cls.users["svc_agent"].ids)]})
        cls.svc_other_team = cls.env["crm.service.team"].create({"name": "Выездной сервис"})
        cls.customer_2 = cls.env["res.partner"].create({"name": "ООО Василёк", "is_company": True})
        cls.users["portal"].partner_id.parent_id = cls.customer
        cls.tickets = {
            "team": cls.env["crm.service.ticket"].create({
                "name": "Принтер", "partner_id": cls.customer.id, "team_id": cls.svc_team.id}),
            "other_team": cls.env["crm.service.ticket"].create({
                "name": "Станок", "partner_id": cls.customer_2.id, "team_id": cls.svc_other_team.id}),
            "north": cls.env["crm.service.ticket"].create({
                "name": "Север", "partner_id": cls.customer.id, "company_id": cls.company_2.id}),
        }

    # ------------------------------------------------------------------ ACL level

    def _our_models(self, include_abstract=False):
        modules_by_model = {}
        for data in self.env["ir.model.data"].search_fetch([("model", "=", "ir.model")], ["module", "res_id"]):
            modules_by_model.setdefault(data.res_id, set()).add(data.module)
        ours = [model_id for model_id, modules in modules_by_model.items() if modules <= set(OUR_ADDONS)]
        # a pure mixin (abstract, no access rights of its own) is nothing to grant or refuse;
        # abstract models with rights of their own (the dashboard's data) stay in the matrix
        names = self.env["ir.model"].browse(ours).mapped("model")
        if include_abstract:
            return set(names)
        with_acl = set(self.env["ir.model.access"].search([("model_id", "in", ours)]).model_id.mapped("model"))
        return {name for name in names if not self.env[name]._abstract or name in with_acl}

    def test_every_model_of_ours_is_in_the_matrix(self):
        ours = self._our_models()
        self.assertIn("crm.interaction", ours)
        self.assertFalse(ours - set(MATRIX), "models of our addons missing from the security matrix")
        self.assertFalse(set(MATRIX) - self._our_models(include_abstract=True),
                         "models in the matrix that no addon of ours declares")

    def test_every_model_has_access_rights_and_company_rules(self):
        ours = self.env["ir.model"].search([("model", "in", list(self._our_models()))])
        with_acl = set(self.env["ir.model.access"].search([("model_id", "in", ours.ids)]).model_id.mapped("model"))
        self.assertFalse(set(ours.mapped("model")) - with_acl, "models without access rights")
        missing = []
        for model in ours:
            Model = self.env[model.model]
            field = Model._fields.get("company_id")
            if Model._transient or not field or not field.store:
                continue
            rules = self.env["ir.rule"].search([("model_id", "=", model.id), ("global", "=", True)])
            if not any("company_ids" in rule.domain_force for rule in rules):
                missing.append(model.model)
        self.assertFalse(missing, "models with a company but no multi-company rule")

    def _actual(self, model, user):
        Model = self.env[model].with_user(user)
        return "".join(letter for letter, operation in OPERATIONS if Model.has_access(operation))

    def test_access_rights_match_the_matrix(self):
        mismatches = []
        for model, row in {**MATRIX, **ODOO_MATRIX}.items():
            for role, user in self.users.items():
                expected, actual = row.get(role, ""), self._actual(model, user)
                if expected != actual:
                    mismatches.append(f"{model} / {role}: expected {expected!r}, got {actual!r}")
        self.assertFalse(mismatches, "\n" + "\n".join(mismatches))

    def test_check_access_raises_for_refused_operations(self):
        # the same matrix through check_access, on a sample (has_access relies on it)
        for model, role, operation in (("crm.interaction", "data_operator", "read"),
                                       ("crm.service.ticket", "sales_manager", "read"),
                                       ("crm.analytics.funnel", "sales_own", "read"),
                                       ("crm.sales.plan", "sales_team", "write"),
                                       ("crm.service.ticket", "portal", "write")):
            with self.subTest(model=model, role=role), self.assertRaises(AccessError):
                self.env[model].with_user(self.users[role]).check_access(operation)

    # ------------------------------------------------------------------ record rules

    def _visible(self, records, user):
        return records.with_user(user).search([("id", "in", records.ids)])

    def _records(self, mapping, *keys):
        return self.env[next(iter(mapping.values()))._name].union(*(mapping[key] for key in keys))

    def test_deals_lines_and_interactions_follow_the_sales_ladder(self):
        expected = {
            "sales_own": ("own",),
            "sales_team": ("own", "mate"),
            "sales_all": ("own", "mate", "stranger"),
            "sales_manager": ("own", "mate", "stranger"),
        }
        everything = ("own", "mate", "stranger", "north")
        for mapping in (self.deals, self.lines, self.interactions):
            records = self._records(mapping, *everything)
            for role, keys in expected.items():
                with self.subTest(model=records._name, role=role):
                    self.assertEqual(self._visible(records, self.users[role]), self._records(mapping, *keys))
            # the second company's record appears once the user works in it
            self.assertEqual(self._visible(records, self.north_manager.with_context(
                allowed_company_ids=(self.company | self.company_2).ids)), records)

    def test_salesperson_cannot_write_a_stranger_deal(self):
        with self.assertRaises(AccessError):
            self.deals["stranger"].with_user(self.users["sales_team"]).write({"expected_revenue": 1})
        with self.assertRaises(AccessError):
            self.interactions["mate"].with_user(self.users["sales_own"]).write({"name": "Чужой звонок"})
        self.deals["mate"].with_user(self.users["sales_team"]).write({"expected_revenue": 2000})
        self.assertEqual(self.deals["mate"].expected_revenue, 2000)

    def test_tickets_follow_team_company_and_customer(self):
        tickets = self._records(self.tickets, "team", "other_team", "north")
        self.assertEqual(self._visible(tickets, self.users["svc_agent"]), self.tickets["team"])
        self.assertEqual(self._visible(tickets, self.users["svc_manager"]),
                         self.tickets["team"] | self.tickets["other_team"])
        self.assertEqual(self._visible(tickets, self.users["portal"]), self.tickets["team"])
        with self.assertRaises(AccessError):
            self.tickets["other_team"].with_user(self.users["svc_agent"]).write({"name": "Чужая заявка"})

    def test_import_jobs_belong_to_their_operator(self):
        operator = self.users["data_operator"]
        other_operator = new_test_user(self.env, "mx_operator2", groups="crm_core.group_crm_data_operator")
        jobs = self.env["crm.import.job"]
        for user in (operator, other_operator):
            jobs |= self.env["crm.import.job"].with_user(user).create({
                "name": f"Импорт {user.login}", "file": "YQ==", "filename": "a.csv"})
        sheets = self.env["crm.import.job.sheet"].create([{"job_id": job.id, "name": "Лист1"} for job in jobs])
        self.assertEqual(self._visible(jobs, operator), jobs[0])
        self.assertEqual(self._visible(sheets, operator), sheets[0])
        self.assertEqual(self._visible(jobs, self.users["sales_manager"]), jobs)
        self.assertEqual(self._visible(sheets, self.users["sales_manager"]), sheets)

    def test_company_bound_records_stay_in_their_company(self):
        """A record of the second company is invisible to a first-company user with full rights."""
        north = self.company_2.id
        tier = self.env["crm.service.sla.tier"].create({"name": "Gold"})
        campaign = self.env["utm.campaign"].create({"name": "Весна", "company_id": north})
        cost_type = self.env["crm.campaign.cost.type"].create({"name": "Баннер"})
        samples = [
            ("crm.segment", {"name": "Север", "company_id": north}, "mkt_manager"),
            ("crm.distribution.rule", {"name": "Север", "company_id": north,
                                       "team_ids": [Command.set(self.team_a.ids)]}, "mkt_manager"),
            ("crm.campaign.cost", {"campaign_id": campaign.id, "cost_type_id": cost_type.id,
                                   "amount": 10}, "mkt_manager"),
            ("crm.sales.plan", {"name": "Север", "date_from": "2026-01-01", "date_to": "2026-03-31",
                                "company_id": north}, "sales_manager"),
            ("crm.forecast.snapshot", {"month": "2026-01-01", "company_id": north}, "sales_manager"),
            ("crm.service.team", {"name": "Север", "company_id": north}, "svc_manager"),
            ("crm.service.category", {"name": "Север", "company_id": north}, "svc_manager"),
            ("crm.service.sla.policy", {"name": "Север", "company_id": north}, "svc_manager"),
            ("crm.service.escalation.rule", {"name": "Север", "company_id": north}, "svc_manager"),
            ("crm.service.article", {"name": "Север", "company_id": north}, "svc_manager"),
            ("crm.service.agreement", {"name": "Север", "company_id": north, "partner_id": self.customer.id,
                                       "sla_tier_id": tier.id, "date_start": fields.Date.today()}, "svc_manager"),
        ]
        for model, values, role in samples:
            with self.subTest(model=model):
                record = self.env[model].create(values)
                self.assertFalse(self._visible(record, self.users[role]))
                self.assertEqual(self._visible(record, self.north_manager.with_context(
                    allowed_company_ids=(self.company | self.company_2).ids)), record)
