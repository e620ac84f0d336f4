from odoo import api, models
from odoo.fields import Domain

from .models import PrivacySheet


class AccountMove(models.Model):
    _inherit = "account.move"

    @api.model
    def _crm_privacy_lookup(self, persons, emails):
        """The persons' invoices, exported; kept as they are by an anonymization (legal documents,
        possibly hashed): their partner is anonymized."""
        sheets = super()._crm_privacy_lookup(persons, emails)
        sheets.append(PrivacySheet(
            self.env._("Invoices"),
            Domain("partner_id", "in", persons.ids) & Domain("move_type", "!=", "entry"),
            ["name", "move_type", "invoice_date", "state", "partner_id", "amount_total", "currency_id",
             "payment_state"]))
        return sheets
