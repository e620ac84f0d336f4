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
    def _get_reachable_domain(self, channel):
        """Partners that may be addressed through ``channel``: consent, a
        contact point, and not on Odoo's blacklist for that channel."""
        domain = self._get_consent_domain(channel)
        if channel == "email":
            return domain & Domain("email", "!=", False) & Domain("is_blacklisted", "=", False)
        if channel == "phone":
            return domain & Domain("phone", "!=", False) & Domain("phone_sanitized_blacklisted", "=", False)
        return domain
