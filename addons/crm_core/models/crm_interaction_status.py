from odoo import fields, models

from .crm_interaction import INTERACTION_TYPES


class CrmInteractionStatus(models.Model):
    """Quick status: the outcome of an interaction logged in one click.

    Each status completes an activity of its type: Odoo's activity-type
    chaining (``triggered_next_type_id``, ``suggested_next_type_ids``) plans
    the next step in the same gesture.
    """

    _name = "crm.interaction.status"
    _description = "Interaction Quick Status"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    interaction_type = fields.Selection(
        INTERACTION_TYPES, string="For Type",
        help="The status is offered only for this type of interaction; empty means every type.")
    activity_type_id = fields.Many2one(
        "mail.activity.type", ondelete="restrict",
        help="The activity this outcome completes on the deal (or the partner): the activity type's chaining "
             "(Trigger or Suggest Next Activity, with its delay) plans the next step. Empty: the activity of the "
             "interaction's type (call, meeting, email).")
    triggered_next_type_id = fields.Many2one(
        related="activity_type_id.triggered_next_type_id", string="Next Step",
        help="The activity the activity type triggers when this outcome is logged.")
    is_success = fields.Boolean("Successful", help="The interaction reached the contact and achieved something.")
    color = fields.Integer()
    active = fields.Boolean(default=True)
