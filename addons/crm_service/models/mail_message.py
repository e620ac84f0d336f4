from odoo import api, models
from odoo.addons.crm_core.models.mail_message import WRITTEN_MESSAGE_TYPES
from odoo.addons.crm_core.models.models import PrivacySheet
from odoo.fields import Domain


class MailMessage(models.Model):
    _inherit = "mail.message"

    @api.model
    def _crm_privacy_lookup(self, persons, emails):
        """Everything written on the persons' tickets, by them or by agents answering them (blanked like
        the persons' other messages by an anonymization)."""
        sheets = super()._crm_privacy_lookup(persons, emails)
        # sudo: which tickets are the persons' own; the wizard keeps them to the requester's companies
        tickets = self.env["crm.service.ticket"].sudo().with_context(active_test=False).search(
            self.env["crm.service.ticket"]._crm_privacy_own_domain(persons, emails))
        sheets.append(PrivacySheet(
            self.env._("Ticket Messages"),
            Domain("model", "=", "crm.service.ticket") & Domain("res_id", "in", tickets.ids)
            & Domain("message_type", "in", WRITTEN_MESSAGE_TYPES),
            ["date", "res_id", "message_type", "author_id", "email_from", "subject", "body"]))
        return sheets
