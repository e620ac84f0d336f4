from ast import literal_eval
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.fields import Command, Domain
from odoo.tools import SQL

from ..tools import distribution

METHOD_SELECTION = [
    ("round_robin", "Round Robin"),
    ("capacity", "Weighted by Capacity"),
    ("territory", "Territory (city, state, country)"),
    ("product", "Product Interest (tags)"),
    ("language", "Language"),
]


class CrmDistributionRule(models.Model):
    """How a batch of leads is shared among the members of some sales teams."""

    _name = "crm.distribution.rule"
    _description = "Lead Distribution Rule"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    method = fields.Selection(METHOD_SELECTION, required=True, default="round_robin")
    fallback = fields.Selection(
        [("none", "Leave Unassigned"), ("round_robin", "Round Robin"), ("capacity", "Weighted by Capacity")],
        default="none", required=True,
        help="What to do with leads no salesperson matches (territory, product, language).",
    )
    team_ids = fields.Many2many("crm.team", string="Sales Teams", required=True)
    lead_domain = fields.Char(
        "Leads to Distribute", default="[('user_id', '=', False)]", required=True,
        help="Leads this rule distributes when no explicit selection is given.",
    )
    rr_next_index = fields.Integer("Round-Robin Position", default=0, copy=False)
    run_ids = fields.One2many("crm.distribution.run", "rule_id", string="Runs")
    run_count = fields.Integer(compute="_compute_run_count")

    @api.constrains("lead_domain")
    def _check_lead_domain(self):
        for rule in self:
            try:
                self.env["crm.lead"].search_count(Domain(literal_eval(rule.lead_domain or "[]")), limit=1)
            except Exception as error:
                raise ValidationError(self.env._("Invalid lead filter: %(error)s", error=error)) from error

    def _compute_run_count(self):
        counts = dict(self.env["crm.distribution.run"]._read_group(
            [("rule_id", "in", self.ids)], ["rule_id"], ["__count"],
        ))
        for rule in self:
            rule.run_count = counts.get(rule, 0)

    def _get_leads_to_distribute(self):
        self.ensure_one()
        domain = Domain(literal_eval(self.lead_domain or "[]")) & Domain("won_status", "=", "pending")
        return self.env["crm.lead"].search(domain, order="priority desc, id")

    def _get_members(self):
        """Active members of the rule's teams who take leads (Odoo's ``assignment_optout``),
        one per user (first team wins)."""
        self.ensure_one()
        members = self.env["crm.team.member"].search(
            [("crm_team_id", "in", self.team_ids.ids), ("user_id.active", "=", True),
             ("assignment_optout", "=", False)],
            order="crm_team_id, id",
        )
        seen, unique = set(), self.env["crm.team.member"]
        for member in members:
            if member.user_id.id not in seen:
                seen.add(member.user_id.id)
                unique |= member
        return unique

    def _get_accepted_leads(self, members, leads):
        """Ids of ``leads`` each member accepts (Odoo's ``assignment_domain``), for members having one."""
        accepted = {}
        for member in members.filtered("assignment_domain"):
            domain = Domain(literal_eval(member.assignment_domain))
            if domain.is_true():
                continue
            # one query per member with a filter, as Odoo's own assignment does
            accepted[member.id] = frozenset(
                self.env["crm.lead"].search(domain & Domain("id", "in", leads.ids)).ids)
        return accepted

    def _prepare_sellers(self, members, leads):
        today = fields.Date.context_today(self)
        # sudo: only the number of leads each member was given over 30 days is read, to respect
        # capacities; counted by Odoo's own method, the one behind the member's "Leads (30 days)"
        recent_counts = members.sudo()._get_lead_from_date(fields.Datetime.now() - timedelta(days=30))
        accepted = self._get_accepted_leads(members, leads)
        sellers = []
        for member in members:
            languages = member.crm_language_ids.mapped("code") or [member.user_id.lang]
            sellers.append(distribution.Seller(
                key=member.id,
                weight=member.crm_distribution_weight,
                capacity=member.assignment_max,
                recent_count=recent_counts.get((member.user_id.id, member.crm_team_id.id), 0),
                accepts=accepted.get(member.id),
                absent=member._is_absent(today),
                countries=frozenset(member.crm_territory_country_ids.ids),
                states=frozenset(member.crm_territory_state_ids.ids),
                cities=frozenset(
                    distribution.normalize_city(city) for city in (member.crm_territory_cities or "").split(",")
                    if city.strip()
                ),
                interests=frozenset(member.crm_interest_tag_ids.ids),
                languages=frozenset(filter(None, languages)),
            ))
        return sellers

    def _prepare_lead_infos(self, leads):
        # read the needed columns in one go instead of touching fields per lead
        rows = leads.read(["country_id", "state_id", "city", "tag_ids", "lang_code"], load=False)
        return [
            distribution.LeadInfo(
                key=row["id"],
                country=row["country_id"],
                state=row["state_id"],
                city=row["city"] or "",
                interests=frozenset(row["tag_ids"]),
                language=row["lang_code"] or None,
            )
            for row in rows
        ]

    def _run_distribution(self, leads=None, commit=False):
        """Distribute ``leads`` (default: the rule's filter) and log the run.

        In preview nothing but the run log is written.  On commit leads are
        written grouped by salesperson: one write per (salesperson, team).
        """
        self.ensure_one()
        if commit and not self.env.su and not self.env.user.has_group("sales_team.group_sale_manager") \
                and not self.env.user.has_group("crm_marketing.group_crm_marketing_manager"):
            raise AccessError(self.env._("Only sales or marketing managers can distribute leads."))
        leads = self._get_leads_to_distribute() if leads is None else leads
        if commit and leads:
            # two managers (two servers) distributing the same leads at once: the second one waits
            # here, then fails to lock leads changed after its snapshot (REPEATABLE READ) and is retried
            # by the RPC layer in a fresh snapshot, where its filter sees them assigned
            self.env.cr.execute(SQL("SELECT id FROM crm_lead WHERE id IN %s ORDER BY id FOR NO KEY UPDATE",
                                    tuple(leads.ids)), log_exceptions=False)
        members = self._get_members()
        if commit and members:
            self._lock_members(members)
        result = distribution.distribute(
            self._prepare_lead_infos(leads),
            self._prepare_sellers(members, leads),
            self.method,
            fallback=None if self.fallback == "none" else self.fallback,
            start_index=self.rr_next_index,
        )
        member_by_id = {member.id: member for member in members}
        if commit:
            by_member = defaultdict(list)
            for lead_id, member_id in result.assignment.items():
                by_member[member_id].append(lead_id)
            # like Odoo's own assignment: salespeople are followers of their leads,
            # without one "you have been assigned" e-mail per lead
            Lead = self.env["crm.lead"].with_context(mail_auto_subscribe_no_notify=True)
            for member_id, lead_ids in by_member.items():
                member = member_by_id[member_id]
                Lead.browse(lead_ids).write({"user_id": member.user_id.id, "team_id": member.crm_team_id.id})
            if self.method == "round_robin" or self.fallback == "round_robin":
                self.rr_next_index = result.next_index
        return self.env["crm.distribution.run"].create({
            "rule_id": self.id,
            "mode": "committed" if commit else "preview",
            "lead_count": len(leads),
            "unassigned_count": len(result.unassigned),
            "line_ids": [
                Command.create({
                    "user_id": member_by_id[member_id].user_id.id,
                    "team_id": member_by_id[member_id].crm_team_id.id,
                    "lead_count": count,
                })
                for member_id, count in result.counts.items()
            ],
        }), result

    def _lock_members(self, members):
        """Serialize the runs that fill the same salespeople, whatever their leads.

        Two runs on different leads would both count a member's last 30 days in their own
        snapshot and together give more than the capacity. The member rows are locked and
        touched: a concurrent run waits here, then fails to lock rows changed after its
        snapshot (REPEATABLE READ) and is retried by the RPC layer, in a snapshot that counts
        the leads the first run gave.
        """
        self.env.cr.execute(SQL(
            "SELECT id FROM crm_team_member WHERE id IN %s ORDER BY id FOR NO KEY UPDATE",
            tuple(members.ids)), log_exceptions=False)
        self.env.cr.execute(SQL(
            "UPDATE crm_team_member SET write_date = write_date WHERE id IN %s", tuple(members.ids)))

    def action_open_wizard(self):
        self.ensure_one()
        self.check_access("read")
        self.env["crm.distribution.wizard"].check_access("create")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Distribute Leads"),
            "res_model": "crm.distribution.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_rule_id": self.id},
        }

    @api.readonly
    def action_view_runs(self):
        self.ensure_one()
        self.check_access("read")
        self.env["crm.distribution.run"].check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_marketing.crm_distribution_run_action")
        action["domain"] = [("rule_id", "=", self.id)]
        return action
