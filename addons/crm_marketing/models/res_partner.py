from odoo import api, models
from odoo.fields import Domain

# crm_core records consent per channel on the partner; these are the names it
# may use (first found wins), so that marketing keeps working if it evolves.
CONSENT_FIELDS = {
    "email": ("crm_consent_email", "consent_email", "email_consent"),
    "phone": ("crm_consent_phone", "consent_phone", "phone_consent"),
}
GRANTED_VALUES = ("granted", "given", "yes", "opt_in", "accepted")


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.model
    def _get_consent_field_name(self, channel):
        return next((name for name in CONSENT_FIELDS.get(channel, ()) if name in self._fields), None)

    @api.model
    def _get_consent_domain(self, channel):
        """Partners who consented to be addressed through ``channel`` ("email" or "phone")."""
        field_name = self._get_consent_field_name(channel)
        if not field_name:
            return Domain.TRUE
        field = self._fields[field_name]
        if field.type == "boolean":
            return Domain(field_name, "=", True)
        if field.type == "selection":
            return Domain(field_name, "in", GRANTED_VALUES)
        return Domain(field_name, "!=", False)

    @api.model
    def _get_emails_without_consent(self, channel="email", emails=None):
        """Normalized e-mails (among ``emails`` when given) that only partners
        without consent for ``channel`` use: an address one partner agreed to
        stays reachable, like an opt-out on one list and an opt-in on another."""
        if not self._get_consent_field_name(channel):
            return set()
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
        field_name = self._get_consent_field_name("email")
        emails = set()
        if field_name in vals:
            field = self._fields[field_name]
            value = vals[field_name]
            granted = value in GRANTED_VALUES if field.type == "selection" else bool(value)
            if not granted:
                withdrawn = self.filtered_domain(self._get_consent_domain("email"))
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
        """Partners that may be addressed through ``channel``: consent, a
        contact point, and not on Odoo's blacklist for that channel."""
        domain = self._get_consent_domain(channel)
        if channel == "email":
            return domain & Domain("email", "!=", False) & Domain("is_blacklisted", "=", False)
        if channel == "phone":
            return domain & Domain("phone", "!=", False) & Domain("phone_sanitized_blacklisted", "=", False)
        return domain
