from odoo import api, fields, models

from .crm_interaction import INTERACTION_TYPES


class CrmInteractionStatus(models.Model):
    """Quick status: the outcome of an interaction logged in one click.

    Each status may propose the next step (an activity type and a delay) that
    the log wizard plans in the same gesture.
    """

    _name = "crm.interaction.status"
    _description = "Interaction Quick Status"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    interaction_type = fields.Selection(
        INTERACTION_TYPES, string="For Type",
        help="The status is offered only for this type of interaction; empty means every type.")
    next_activity_type_id = fields.Many2one(
        "mail.activity.type", string="Next Step",
        help="When this status is logged, an activity of this type is planned on the deal (or the partner).")
    next_delay_days = fields.Integer(
        "Next Step In (days)", default=1,
        help="Days between the interaction and the deadline of the next step.")
    is_success = fields.Boolean("Successful", help="The interaction reached the contact and achieved something.")
    color = fields.Integer()
    active = fields.Boolean(default=True)

    _next_delay_positive = models.Constraint(
        "CHECK(next_delay_days >= 0)", "The delay of the next step cannot be negative.")

    # The log wizard shows one button per status: its form view is built from
    # this table and cached, so any change must drop the view cache.
    @api.model_create_multi
    def create(self, vals_list):
        statuses = super().create(vals_list)
        self.env.registry.clear_cache("templates")
        return statuses

    def write(self, vals):
        res = super().write(vals)
        self.env.registry.clear_cache("templates")
        return res

    def unlink(self):
        res = super().unlink()
        self.env.registry.clear_cache("templates")
        return res
