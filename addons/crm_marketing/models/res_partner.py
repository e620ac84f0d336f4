from odoo import api, models
from odoo.fields import Domain

# consent per channel: crm_core's flag on the partner, and Odoo's blacklist for
# that channel (mail's e-mail blacklist, where mass_mailing records a contact's
# opt-out; phone_validation's phone blacklist)
CONSENT_FIELDS = {"email": "crm_consent_email", "phone": "crm_consent_phone"}
BLACKLIST_FIELDS = {"email": "is_blacklisted", "phone": "phone_sanitized_blacklisted"}
CONTACT_FIELDS = {"email": "email", "phone": "phone"}


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.model
    def _get_consent_domain(self, channel):
        """Partners who consented to be addressed through ``channel`` ("email" or "phone")
        and did not opt out of it since (Odoo's blacklist); nobody for another channel."""
        if channel not in CONSENT_FIELDS:
            return Domain.FALSE
        return Domain(CONSENT_FIELDS[channel], "=", True) & Domain(BLACKLIST_FIELDS[channel], "=", False)

    @api.model
    def _get_emails_without_consent(self, channel="email", emails=None):
        """Normalized e-mails (among ``emails`` when given) that only partners
        without consent for ``channel`` use: an address one partner agreed to
        stays reachable, like an opt-out on one list and an opt-in on another."""
        domain = Domain("email_normalized", "!=", False)
        if emails is not None:
            domain &= Domain("email_normalized", "in", list(emails))
        # sudo: the check runs for whoever sends or edits; it reveals no partner data
        groups = self.sudo().with_context(active_test=False)._read_group(
            domain & self._get_consent_domain(channel), ["email_normalized"])
        consented = {email for [email] in groups}
        groups = self.sudo().with_context(active_test=False)._read_group(
            domain & ~self._get_consent_domain(channel), ["email_normalized"])
        return {email for [email] in groups} - consented

    def write(self, vals):
        emails = set()
        if "crm_consent_email" in vals and not vals["crm_consent_email"]:
            withdrawn = self.filtered("crm_consent_email")
            emails = set(withdrawn.mapped("email_normalized")) - {False}
        res = super().write(vals)
        if emails:
            self._opt_out_mailing_subscriptions(emails)
        return res

    @api.model
    def _opt_out_mailing_subscriptions(self, emails):
        """A withdrawn e-mail consent opts the address out of every mailing list at once."""
        emails = self._get_emails_without_consent("email", emails)
        if not emails:
            return
        # sudo: list subscriptions are marketing records; withdrawing consent
        # on the contact must reach them whoever records the withdrawal
        subscriptions = self.env["mailing.subscription"].sudo().search([
            ("contact_id.email_normalized", "in", list(emails)), ("opt_out", "=", False),
        ])
        subscriptions.write({"opt_out": True})

    @api.model
    def _get_reachable_domain(self, channel):
        """Partners that may be addressed through ``channel``: consent (not
        blacklisted for that channel) and a contact point."""
        domain = self._get_consent_domain(channel)
        if channel in CONTACT_FIELDS:
            domain &= Domain(CONTACT_FIELDS[channel], "!=", False)
        return domain
