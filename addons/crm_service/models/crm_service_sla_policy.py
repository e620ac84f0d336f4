from odoo import api, fields, models

from .crm_service_ticket import TICKET_PRIORITIES


class CrmServiceSlaPolicy(models.Model):
    """Targets in working hours; the most specific matching policy wins."""

    _name = "crm.service.sla.policy"
    _description = "Service SLA Policy"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company")
    team_id = fields.Many2one("crm.service.team", index=True, help="Empty: every team.")
    category_id = fields.Many2one("crm.service.category", help="Empty: every category.")
    priority = fields.Selection(TICKET_PRIORITIES, help="Empty: every priority.")
    tier_id = fields.Many2one(
        "crm.service.sla.tier", string="Customer Tier",
        help="Tier of the customer's service agreement. Empty: the default policy, which also "
        "applies to customers without a valid agreement.")
    response_hours = fields.Float(
        string="First Response (working hours)", default=4.0, required=True)
    resolve_hours = fields.Float(
        string="Resolution (working hours)", default=24.0, required=True)
    at_risk_percent = fields.Float(
        string="At Risk From (%)", default=80.0,
        help="Share of a target after which the ticket is shown as at risk.")

    _check_targets = models.Constraint(
        "CHECK(response_hours >= 0 AND resolve_hours > 0)",
        "SLA targets must be positive.",
    )
    _check_at_risk = models.Constraint(
        "CHECK(at_risk_percent > 0 AND at_risk_percent <= 100)",
        "The at-risk share must be between 0 and 100%.",
    )

    def _specificity(self):
        self.ensure_one()
        return sum(bool(value) for value in (self.team_id, self.category_id, self.priority, self.tier_id))

    @api.model
    def _find_for_tickets(self, tickets):
        """Return {ticket id: policy} with the policies loaded once for the whole batch."""
        policies = self.search([])
        result = {}
        for ticket in tickets:
            tier = ticket.agreement_id.sla_tier_id
            matching = policies.filtered(
                lambda p, t=ticket, tier=tier: (not p.team_id or p.team_id == t.team_id)
                and (not p.category_id or p.category_id == t.category_id)
                and (not p.priority or p.priority == t.priority)
                and (not p.tier_id or p.tier_id == tier)
                and (not p.company_id or p.company_id == t.company_id)
            )
            best = max(matching, key=lambda p: (p._specificity(), -p.sequence, -p.id), default=None)
            result[ticket.id] = best or self.browse()
        return result
