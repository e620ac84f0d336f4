from odoo import api, models
from odoo.addons.crm_core.models.models import PrivacySheet
from odoo.fields import Domain


class MailingContact(models.Model):
    _inherit = "mailing.contact"

    @api.model
    def _crm_privacy_lookup(self, persons, emails):
        """The mailing list contacts with the persons' addresses (consents live on the card, see crm_core)."""
        sheets = super()._crm_privacy_lookup(persons, emails)
        sheets.append(PrivacySheet(
            self.env._("Mailing Contacts"),
            Domain("email_normalized", "in", emails) if emails else Domain.FALSE,
            ["name", "email", "company_name", "country_id", "list_ids", "opt_out"]))
        return sheets

    def _crm_privacy_anonymize(self, persons, emails):
        """Name, address and company; the subscriptions and opt-outs stay (no mailing reaches it again)."""
        values = {"name": self.env._("Anonymized contact"), "first_name": False, "last_name": False,
                  "email": False, "company_name": False}
        self.write(values)
        return [*super()._crm_privacy_anonymize(persons, emails), *values]
