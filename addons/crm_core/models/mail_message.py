from odoo import api, models
from odoo.fields import Domain

from .models import PrivacySheet

# message types holding what people wrote (not system notifications)
WRITTEN_MESSAGE_TYPES = ("email", "comment", "email_outgoing")


class MailMessage(models.Model):
    _inherit = "mail.message"

    @api.model
    def _crm_privacy_lookup(self, persons, emails):
        """What the persons wrote, and what was written to them on their card. The privacy wizard keeps
        the messages of the suite's documents in the requester's companies (no discussion channel)."""
        sheets = super()._crm_privacy_lookup(persons, emails)
        domain = Domain("author_id", "in", persons.ids) | (
            Domain("model", "=", "res.partner") & Domain("res_id", "in", persons.ids)
            & Domain("message_type", "in", WRITTEN_MESSAGE_TYPES)
        ) | self._crm_privacy_address_domain("email_from", emails)
        sheets.append(PrivacySheet(self.env._("Messages"), domain, [
            "date", "model", "res_id", "message_type", "author_id", "email_from", "subject", "body"]))
        return sheets

    def _crm_privacy_anonymize(self, persons, emails):
        changed = super()._crm_privacy_anonymize(persons, emails)
        self.write({"body": "", "subject": False, "email_from": False})
        # the files sent with the blanked messages are the person's data too
        self.attachment_ids.unlink()
        return [*changed, "body", "subject", "email_from"]
