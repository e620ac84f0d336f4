from odoo import api, models
from odoo.fields import Domain

from .models import PrivacySheet


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model
    def _crm_privacy_lookup(self, persons, emails):
        sheets = super()._crm_privacy_lookup(persons, emails)
        domain = Domain("partner_id", "in", persons.ids)
        if not self.env.user.has_group("base.group_system"):
            domain &= Domain("share", "=", True)  # colleagues' accounts: administrators only
        sheets.append(PrivacySheet(self.env._("Users"), domain, ["name", "login", "active", "share", "login_date"]))
        return sheets

    def _crm_privacy_anonymize(self, persons, emails):
        """Portal accounts are archived, their login (the person's address) neutralized; internal users
        are refused before anything changes (privacy.lookup.wizard._crm_privacy_check_users)."""
        changed = super()._crm_privacy_anonymize(persons, emails)
        portal_users = self.filtered("share")
        if not portal_users:
            return changed
        portal_users.write({"active": False})
        for user in portal_users:
            user.login = f"anonymized-{user.id}"
        return [*changed, "active", "login"]
