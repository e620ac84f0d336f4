from odoo import api, models
from odoo.fields import Domain

from .models import PrivacySheet


class CalendarEvent(models.Model):
    _inherit = "calendar.event"

    @api.model
    def _crm_privacy_lookup(self, persons, emails):
        """The meetings the persons attend, except the private ones the requester neither organizes nor
        attends. Kept as they are (other attendees' calendars): the person's card is anonymized instead."""
        sheets = super()._crm_privacy_lookup(persons, emails)
        # sudo: which meetings the persons attend; the requester's own eyes then decide on private ones
        events = self.sudo().with_context(active_test=False).search(Domain("partner_ids", "in", persons.ids))
        visible = events.filtered(lambda event: not event.with_env(self.env)._check_private_event_conditions())
        sheets.append(PrivacySheet(self.env._("Meetings"), Domain("id", "in", visible.ids),
                                   ["name", "start", "stop", "location", "user_id", "description"]))
        return sheets
