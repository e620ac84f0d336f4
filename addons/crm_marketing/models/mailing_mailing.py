from odoo import models
from odoo.fields import Domain


class MailingMailing(models.Model):
    _inherit = "mailing.mailing"

    def _get_recipients_domain(self):
        """Keep e-mail mailings to partners and leads within e-mail consent.

        Odoo already drops blacklisted and opted-out addresses when sending;
        partners without consent to e-mail are removed here, before sending.
        """
        domain = super()._get_recipients_domain()
        if self.mailing_type != "mail":
            return domain
        Partner = self.env["res.partner"]
        if not Partner._get_consent_field_name("email"):
            return domain
        consent = Partner._get_consent_domain("email")
        if self.mailing_model_real == "res.partner":
            return domain & consent
        if self.mailing_model_real == "crm.lead":
            return domain & (Domain("partner_id", "=", False) | Domain("partner_id", "any", consent))
        return domain
