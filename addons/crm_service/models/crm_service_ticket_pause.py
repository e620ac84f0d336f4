from odoo import fields, models


class CrmServiceTicketPause(models.Model):
    """A period during which the SLA clock of a ticket stood still (waiting for the customer)."""

    _name = "crm.service.ticket.pause"
    _description = "Service Ticket SLA Pause"
    _order = "date_start, id"

    ticket_id = fields.Many2one("crm.service.ticket", required=True, ondelete="cascade", index=True)
    date_start = fields.Datetime(required=True)
    date_end = fields.Datetime(help="Empty while the ticket is still waiting.")
    stage_id = fields.Many2one("crm.service.stage")

    _check_dates = models.Constraint(
        "CHECK(date_end IS NULL OR date_end >= date_start)",
        "A pause cannot end before it starts.",
    )
