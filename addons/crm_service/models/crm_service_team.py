from ast import literal_eval

from odoo import api, fields, models

from ..tools import assignment


class CrmServiceTeam(models.Model):
    _name = "crm.service.team"
    _description = "Service Team"
    _inherit = ["mail.alias.mixin.optional", "mail.thread"]
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, index=True)
    leader_id = fields.Many2one("res.users", string="Team Leader", tracking=True, domain=[("share", "=", False)])
    member_ids = fields.Many2many(
        "res.users", "crm_service_team_member_rel", "team_id", "user_id", string="Agents",
        domain=[("share", "=", False)])
    resource_calendar_id = fields.Many2one(
        "resource.calendar", string="Working Hours",
        default=lambda self: self.env.company.resource_calendar_id,
        help="SLA targets are counted in these working hours (public holidays excluded). "
        "Empty: around the clock.")
    assignment_method = fields.Selection(
        [("manual", "Manual"), ("round_robin", "Round Robin"), ("least_loaded", "Least Loaded")],
        default="manual", required=True)
    last_assigned_user_id = fields.Many2one("res.users", readonly=True, copy=False)
    stage_ids = fields.Many2many(
        "crm.service.stage", "crm_service_stage_team_rel", "team_id", "stage_id", string="Stages")
    ticket_ids = fields.One2many("crm.service.ticket", "team_id")
    open_ticket_count = fields.Integer(compute="_compute_open_ticket_count")

    def _compute_open_ticket_count(self):
        counts = dict(self.env["crm.service.ticket"]._read_group(
            [("team_id", "in", self.ids), ("is_closed", "=", False)], ["team_id"], ["__count"]))
        for team in self:
            team.open_ticket_count = counts.get(team, 0)

    @api.readonly
    def action_view_tickets(self):
        self.env["res.users"]._crm_service_check_group()
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_service.action_crm_service_ticket")
        action["domain"] = [("team_id", "=", self.id)]
        action["context"] = {"default_team_id": self.id, "search_default_open": 1}
        return action

    # ------------------------------------------------------------ mail alias

    def _alias_get_creation_values(self):
        values = super()._alias_get_creation_values()
        values["alias_model_id"] = self.env["ir.model"]._get("crm.service.ticket").id
        if self.id:
            values["alias_defaults"] = defaults = literal_eval(self.alias_defaults or "{}")
            defaults["team_id"] = self.id
            defaults["channel"] = "email"
        return values

    # ------------------------------------------------------------ assignment

    def _assign_tickets(self, tickets):
        """Give unassigned tickets of this team an agent (round robin or least loaded)."""
        self.ensure_one()
        members = self.member_ids.sorted("id").ids
        if self.assignment_method == "manual" or not members or not tickets:
            return
        loads = {}
        if self.assignment_method == "least_loaded":
            loads = {
                user.id: count for user, count in self.env["crm.service.ticket"]._read_group(
                    [("team_id", "=", self.id), ("is_closed", "=", False), ("user_id", "in", members)],
                    ["user_id"], ["__count"])
            }
        chosen = assignment.assign(
            self.assignment_method, members, count=len(tickets),
            last_assigned_id=self.last_assigned_user_id.id, loads=loads)
        for ticket, user_id in zip(tickets, chosen, strict=True):
            ticket.user_id = user_id
        # the assignment bookmark is team configuration an agent may not write: safe, we only
        # store the id of the member just chosen by the algorithm
        self.sudo().last_assigned_user_id = chosen[-1]

    @api.model
    def _default_stage(self, team):
        domain = [("is_closed", "=", False), ("is_waiting_customer", "=", False)]
        if team:
            domain += ["|", ("team_ids", "=", False), ("team_ids", "in", team.ids)]
        return self.env["crm.service.stage"].search(domain, limit=1)
