from datetime import timedelta

from lxml import etree

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command

from ..models.crm_interaction import INTERACTION_TYPES


class CrmInteractionLogWizard(models.TransientModel):
    """Log an interaction in one click per quick status and plan the next step.

    The form shows one button per active quick status (built in ``_get_view``
    from the configured statuses); the button logs the interaction with that
    outcome and plans the next step in the same gesture.
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

    @api.model
    def _get_view(self, view_id=None, view_type="form", **options):
        """Put one button per quick status in the form's status box."""
        arch, view = super()._get_view(view_id, view_type, **options)
        box = arch.find(".//div[@name='quick_statuses']") if view_type == "form" else None
        if box is not None:
            # sudo: the statuses are configuration every user of the wizard may read
            statuses = self.env["crm.interaction.status"].sudo().search([])
            for status in statuses:
                attrs = {
                    "name": "action_log_status",
                    "type": "object",
                    "string": status.name,
                    "class": "btn-primary" if status.is_success else "btn-secondary",
                    "context": repr({"crm_status_id": status.id}),
                }
                if status.interaction_type:
                    attrs["invisible"] = f"interaction_type != {status.interaction_type!r}"
                etree.SubElement(box, "button", attrs)
        return arch, view

    def action_log_status(self):
        """A quick-status button: log with the status given in the context."""
        self.check_access("write")
        status = self.env["crm.interaction.status"].browse(self.env.context.get("crm_status_id")).exists()
        if not status:
            raise UserError(self.env._("This quick status no longer exists."))
        return self._log_interaction(status)

    def action_log(self):
        """Log without a quick status."""
        self.check_access("write")
        return self._log_interaction(self.env["crm.interaction.status"])

    def _log_interaction(self, status):
        self.ensure_one()
        interaction = self.env["crm.interaction"].create(self._prepare_interaction_values(status))
        self._plan_next_step(interaction, status)
        return {"type": "ir.actions.act_window_close"}

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

    def _plan_next_step(self, interaction, status):
        """Plan the next step on the deal, or on the customer without a deal."""
        target = self.lead_id or self.partner_id
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
        activity_type = self.env["mail.activity.type"]
        if self.next_step == "activity":
            activity_type = self.next_activity_type_id or self.env.ref("mail.mail_activity_data_todo")
        elif self.next_step == "status":
            activity_type = status.next_activity_type_id
        if not activity_type:
            return False
        if self.next_date:
            deadline = fields.Date.context_today(self, self.next_date)
        else:
            deadline = fields.Date.context_today(self) + timedelta(days=status.next_delay_days)
        return target.activity_schedule(
            activity_type_id=activity_type.id,
            date_deadline=deadline,
            summary=summary,
            user_id=user.id,
            automated=False,
        )
