from odoo import api, fields, models
from odoo.addons.crm_core.models.models import PrivacySheet
from odoo.fields import Domain


class MailingTrace(models.Model):
    _inherit = "mailing.trace"

    failure_type = fields.Selection(
        selection_add=[("mail_no_consent", "No Consent")],
        ondelete={"mail_no_consent": "set null"},
    )

    @api.model
    def _crm_privacy_lookup(self, persons, emails):
        """The mailings sent to the persons (their card, or their address: normalized by mass_mailing)."""
        sheets = super()._crm_privacy_lookup(persons, emails)
        domain = Domain("model", "=", "res.partner") & Domain("res_id", "in", persons.ids)
        if emails:
            domain |= Domain("email", "in", emails)
        sheets.append(PrivacySheet(self.env._("Mailings Sent"), domain, [
            "mass_mailing_id", "campaign_id", "email", "trace_status", "sent_datetime", "open_datetime",
            "reply_datetime"]))
        return sheets

    def _crm_privacy_anonymize(self, persons, emails):
        """The address; the trace stays in the mailing's statistics."""
        self.write({"email": False})
        return [*super()._crm_privacy_anonymize(persons, emails), "email"]
