from odoo import api, fields, models
from odoo.exceptions import AccessError


class CrmCampaignCost(models.Model):
    _name = "crm.campaign.cost"
    _description = "Campaign Actual Cost"
    _order = "date desc, id desc"

    campaign_id = fields.Many2one("utm.campaign", required=True, ondelete="cascade", index=True)
    cost_type_id = fields.Many2one("crm.campaign.cost.type", required=True, ondelete="restrict")
    date = fields.Date(required=True, default=fields.Date.context_today)
    amount = fields.Monetary(currency_field="currency_id", required=True)
    currency_id = fields.Many2one(
        "res.currency", compute="_compute_currency_id", store=True, readonly=False, precompute=True,
        required=True,
        help="Currency of the invoice or payment. The campaign counts the cost in its own currency, "
        "converted at the rate of the cost's date.",
    )
    company_id = fields.Many2one(related="campaign_id.company_id", store=True)
    description = fields.Char()
    move_id = fields.Many2one(
        "account.move", string="Vendor Bill", ondelete="set null",
        domain="[('move_type', 'in', ('in_invoice', 'in_refund'))]",
    )
    state = fields.Selection(
        [("approved", "Approved"), ("to_approve", "To Approve"), ("refused", "Refused")],
        default="approved", required=True, copy=False,
        help="Only approved costs count as actual cost. A cost taking the campaign past its "
        "budget waits for a marketing manager when the budget policy is 'Approval'.",
    )

    _amount_positive = models.Constraint("CHECK(amount >= 0)", "A cost cannot be negative.")

    @api.depends("campaign_id")
    def _compute_currency_id(self):
        for cost in self:
            cost.currency_id = cost.currency_id or cost.campaign_id.currency_id or self.env.company.currency_id

    @api.model_create_multi
    def create(self, vals_list):
        costs = super().create(vals_list)
        costs.campaign_id._apply_budget_policy(costs)
        return costs

    def write(self, vals):
        res = super().write(vals)
        if {"amount", "campaign_id", "state", "currency_id", "date"} & set(vals):
            self.campaign_id._apply_budget_policy(self.filtered(lambda c: c.state == "approved"))
        return res

    def action_approve(self):
        self._check_budget_approver()
        to_approve = self.filtered(lambda c: c.state == "to_approve")
        # approving is the manager's explicit decision to go past the budget
        to_approve.with_context(crm_marketing_budget_approved=True).write({"state": "approved"})
        return True

    def action_refuse(self):
        self._check_budget_approver()
        self.filtered(lambda c: c.state == "to_approve").write({"state": "refused"})
        return True

    def _check_budget_approver(self):
        if not self.env.user.has_group("crm_marketing.group_crm_marketing_manager"):
            raise AccessError(self.env._("Only a marketing manager can approve or refuse costs over budget."))
