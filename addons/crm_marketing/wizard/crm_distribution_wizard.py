from odoo import api, fields, models
from odoo.fields import Command
from odoo.tools import SQL


class CrmDistributionWizard(models.TransientModel):
    """Preview then commit the distribution of leads with a rule."""

    _name = "crm.distribution.wizard"
    _description = "Distribute Leads"

    rule_id = fields.Many2one("crm.distribution.rule", required=True)
    lead_ids = fields.Many2many(
        "crm.lead", string="Leads",
        help="Leave empty to distribute the leads matching the rule's filter.",
    )
    lead_count = fields.Integer(compute="_compute_lead_count")
    preview_run_id = fields.Many2one("crm.distribution.run", readonly=True)
    preview_line_ids = fields.One2many(related="preview_run_id.line_ids")
    preview_unassigned_count = fields.Integer(related="preview_run_id.unassigned_count")
    committed_run_id = fields.Many2one("crm.distribution.run", readonly=True)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "crm.lead" and self.env.context.get("active_ids"):
            values["lead_ids"] = [Command.set(self.env.context["active_ids"])]
        return values

    @api.depends("lead_ids", "rule_id")
    def _compute_lead_count(self):
        for wizard in self:
            if wizard.lead_ids:
                wizard.lead_count = len(wizard.lead_ids)
            elif wizard.rule_id:
                wizard.lead_count = len(wizard.rule_id._get_leads_to_distribute())
            else:
                wizard.lead_count = 0

    def _get_leads(self):
        return self.lead_ids.filtered(lambda lead: lead.won_status == "pending") if self.lead_ids else None

    def action_preview(self):
        self.ensure_one()
        self.check_access("write")
        self.preview_run_id = self.rule_id._run_distribution(self._get_leads(), commit=False)[0]
        return self._reopen()

    def action_commit(self):
        """Distribute once per wizard, however many times (or places) the button is pressed.

        The wizard row is locked first: a second commit waits for the first one,
        then fails to lock a row updated after its snapshot (REPEATABLE READ) and
        is retried by the RPC layer, which then finds the run already committed.
        """
        self.ensure_one()
        self.check_access("write")
        self.env.cr.execute(SQL(
            "SELECT committed_run_id FROM %s WHERE id = %s FOR UPDATE", SQL.identifier(self._table), self.id),
            log_exceptions=False)  # a serialization failure here is expected and retried by the RPC layer
        committed_run_id = self.env.cr.fetchone()[0]
        if committed_run_id:
            run = self.env["crm.distribution.run"].browse(committed_run_id)
        else:
            run = self.rule_id._run_distribution(self._get_leads(), commit=True)[0]
            self.committed_run_id = run
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.distribution.run",
            "res_id": run.id,
            "view_mode": "form",
            "target": "current",
        }

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Distribute Leads"),
        }
