from odoo import fields, models
from odoo.fields import Domain


class MailingMailing(models.Model):
    _inherit = "mailing.mailing"

    crm_no_consent_count = fields.Integer(
        string="Excluded: No Consent", compute="_compute_crm_no_consent_count",
        help="Recipients left out when sending because they did not consent to e-mails.")

    def _compute_crm_no_consent_count(self):
        counts = dict(self.env["mailing.trace"]._read_group(
            [("mass_mailing_id", "in", self.ids), ("failure_type", "=", "mail_no_consent")],
            ["mass_mailing_id"], ["__count"],
        ))
        for mailing in self:
            mailing.crm_no_consent_count = counts.get(mailing, 0)

    def _get_opt_out_list(self):
        """Odoo's opt-outs plus, for e-mail mailings of any target (lists,
        partners, leads), the addresses whose partners withdrew or never gave
        e-mail consent: checked when sending, whatever the lists say."""
        opt_out = super()._get_opt_out_list()
        if self.mailing_type != "mail":
            return opt_out
        return set(opt_out) | self._get_no_consent_emails()

    def _get_no_consent_emails(self):
        self.ensure_one()
        return self.env["res.partner"]._get_emails_without_consent("email")

    def _get_recipients_domain(self):
        """Keep e-mail mailings to partners and leads within e-mail consent.

        Odoo already drops blacklisted and opted-out addresses when sending;
        partners without consent to e-mail are removed here, before sending.
        """
        domain = super()._get_recipients_domain()
        if self.mailing_type != "mail":
            return domain
        consent = self.env["res.partner"]._get_consent_domain("email")
        if self.mailing_model_real == "res.partner":
            return domain & consent
        if self.mailing_model_real == "crm.lead":
            return domain & (Domain("partner_id", "=", False) | Domain("partner_id", "any", consent))
        return domain
