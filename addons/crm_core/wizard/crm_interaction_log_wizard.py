from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command

from ..models.crm_interaction import INTERACTION_TYPES


class CrmInteractionLogWizard(models.TransientModel):
    """Log an interaction with its quick status and plan the next step.

    The statuses are records shown by the form's radio widget (no view is
    built from them, so changing a status leaves the view cache alone). The
    status's activity is completed on the deal or the customer and Odoo's
    activity-type chaining plans what comes next.
    """

    _name = "crm.interaction.log.wizard"
    _description = "Log an Interaction"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True)
    contact_id = fields.Many2one(
        "res.partner", string="Contact Person",
        domain="[('commercial_partner_id', '=', partner_id), ('type', '=', 'contact')]")
    lead_id = fields.Many2one(
        "crm.lead", string="Deal", domain="[('partner_id.commercial_partner_id', '=', partner_id)]")
    interaction_type = fields.Selection(INTERACTION_TYPES, string="Type", required=True, default="call")
    status_id = fields.Many2one(
        "crm.interaction.status", string="Outcome",
        compute="_compute_status_id", store=True, readonly=False,
        domain="['|', ('interaction_type', '=', False), ('interaction_type', '=', interaction_type)]")
    direction = fields.Selection(
        [("outbound", "Outbound"), ("inbound", "Inbound")], required=True, default="outbound")
    name = fields.Char("Topic")
    result = fields.Text("Result / Notes")
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    duration = fields.Float("Duration (hours)")
    _check_duration = models.Constraint(
        "CHECK(duration >= 0)", "The duration of an interaction cannot be negative.")
    next_step = fields.Selection(
        [
            ("status", "As the Status Suggests"),
            ("activity", "Plan an Activity"),
            ("meeting", "Plan a Meeting"),
            ("none", "Nothing"),
        ],
        required=True, default="status")
    status_next_type_id = fields.Many2one(related="status_id.activity_type_id.triggered_next_type_id")
    next_activity_type_id = fields.Many2one("mail.activity.type", string="Activity Type")
    next_date = fields.Datetime("Next Step On")
    next_summary = fields.Char("Next Step Summary")
    next_user_id = fields.Many2one("res.users", string="Next Step By", default=lambda self: self.env.user)

    @api.model
    def _action_open(self, context):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Log an Interaction"),
            "res_model": self._name,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": context,
        }

    @api.depends("interaction_type")
    def _compute_status_id(self):
        for wizard in self:
            status = wizard.status_id
            # a call's outcome does not stay on a meeting
            wizard.status_id = status if status.interaction_type in (False, wizard.interaction_type) else False

    def action_log(self):
        """Log the interaction with the chosen outcome (if any) and plan the next step."""
        self.check_access("write")
        self.ensure_one()
        return self._log_interaction(self.status_id)

    def _log_interaction(self, status):
        self.ensure_one()
        self._check_log_targets()
        interaction = self.env["crm.interaction"].create(self._prepare_interaction_values(status))
        if self.next_step == "status":
            return self._complete_activity(interaction) or {"type": "ir.actions.act_window_close"}
        self._plan_next_step(interaction)
        return {"type": "ir.actions.act_window_close"}

    def _check_log_targets(self):
        """The wizard's values come from the client: the customer, contact and deal must be records the
        user may read, and the deal one of the customer's (as the form's domain offers), before anything
        is written in their history."""
        self.env["crm.interaction"]._crm_check_links(
            self.partner_id | self.contact_id, self.lead_id, self.partner_id.commercial_partner_id)

    def _prepare_interaction_values(self, status):
        type_label = dict(INTERACTION_TYPES)[self.interaction_type]
        return {
            "name": self.name or (f"{type_label}: {status.name}" if status else type_label),
            "interaction_type": self.interaction_type,
            "direction": self.direction,
            "status_id": status.id,
            "date": self.date,
            "duration": self.duration,
            "partner_id": self.partner_id.commercial_partner_id.id,
            "contact_id": self.contact_id.id,
            "lead_id": self.lead_id.id,
            "result": self.result,
            "user_id": self.env.user.id,
        }

    def _target(self):
        """The deal, or the customer when no deal is given: where activities go."""
        return self.lead_id or self.partner_id

    def _complete_activity(self, interaction):
        """Record the interaction as a done activity of its type: Odoo's chaining plans the next step.

        A type that triggers a next activity plans it through ``mail.activity._action_done``;
        a type that only suggests some opens Odoo's scheduling dialog with the suggestions.
        """
        activity_type = interaction._crm_activity_type()
        if not activity_type:
            return False
        target = self._target()
        deadline = fields.Date.context_today(self, interaction.date)
        activity = self.env["mail.activity"].create({
            "res_model_id": self.env["ir.model"]._get_id(target._name),
            "res_id": target.id,
            "activity_type_id": activity_type.id,
            "date_deadline": deadline,
            "summary": interaction.name,
            "user_id": self.env.user.id,
        })
        _messages, next_activities = activity._action_done(feedback=interaction.result)
        if next_activities or not activity_type.suggested_next_type_ids:
            return False
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Schedule an Activity"),
            "res_model": "mail.activity",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_previous_activity_type_id": activity_type.id,
                "activity_previous_deadline": fields.Date.to_string(deadline),
                "default_res_id": target.id,
                "default_res_model": target._name,
            },
        }

    def _plan_next_step(self, interaction):
        """Plan the step chosen by hand on the deal, or on the customer without a deal."""
        target = self._target()
        summary = self.next_summary or interaction.name
        user = self.next_user_id or self.env.user
        if self.next_step == "meeting":
            if not self.next_date:
                raise UserError(self.env._("Set the date of the next meeting."))
            attendees = (self.contact_id or self.partner_id) | user.partner_id
            return self.env["calendar.event"].create({
                "name": summary,
                "start": self.next_date,
                "stop": self.next_date + timedelta(hours=1),
                "user_id": user.id,
                "partner_ids": [Command.set(attendees.ids)],
                "opportunity_id": self.lead_id.id,
                "res_model_id": self.env["ir.model"]._get_id(target._name),
                "res_id": target.id,
            })
        if self.next_step != "activity":
            return False
        activity_type = self.next_activity_type_id or self.env.ref("mail.mail_activity_data_todo")
        if self.next_date:
            deadline = fields.Date.context_today(self, self.next_date)
        else:
            deadline = activity_type._get_date_deadline()
        return target.activity_schedule(
            activity_type_id=activity_type.id,
            date_deadline=deadline,
            summary=summary,
            user_id=user.id,
            automated=False,
        )
