from odoo import fields, models


class CrmServiceEscalationLog(models.Model):
    """Proof that a rule acted on a ticket; unique, so a rule never acts twice."""

    _name = "crm.service.escalation.log"
    _description = "Service Escalation Log"
    _order = "id desc"

    ticket_id = fields.Many2one("crm.service.ticket", required=True, ondelete="cascade", index=True)
    rule_id = fields.Many2one("crm.service.escalation.rule", required=True, ondelete="cascade", index=True)
    action = fields.Selection(
        [("notify", "Notify"), ("raise_priority", "Raise Priority"), ("assign_leader", "Reassign")],
        required=True)
    date = fields.Datetime(default=fields.Datetime.now, required=True)

    _ticket_rule_unique = models.Constraint(
        "UNIQUE(ticket_id, rule_id)", "An escalation rule acts only once per ticket.")
