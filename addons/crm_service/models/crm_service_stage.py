from odoo import fields, models


class CrmServiceStage(models.Model):
    _name = "crm.service.stage"
    _description = "Service Ticket Stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True)
    fold = fields.Boolean(string="Folded in Kanban")
    is_closed = fields.Boolean(
        string="Closing Stage", help="Tickets in this stage are solved: their SLA clock stops.")
    is_waiting_customer = fields.Boolean(
        string="Waiting for Customer",
        help="The SLA clock is paused while a ticket stays in this stage.")
    team_ids = fields.Many2many(
        "crm.service.team", "crm_service_stage_team_rel", "stage_id", "team_id", string="Teams",
        help="Teams using this stage; empty means every team.")
    active = fields.Boolean(default=True)
