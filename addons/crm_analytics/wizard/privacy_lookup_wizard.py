from odoo import models
from odoo.fields import Domain

# the person's profile computed by the classifiers (stored on the partner)
PROFILE_FIELDS = ("crm_abc_class", "crm_xyz_class", "crm_abc_revenue", "crm_xyz_cv", "crm_rfm_recency",
                  "crm_rfm_frequency", "crm_rfm_monetary", "crm_rfm_score", "crm_rfm_segment")


class PrivacyLookupWizard(models.TransientModel):
    """Analytics' share of a person's data: the ABC/XYZ and RFM profile stored on the partner.
    Forecast snapshots hold per-salesperson totals only, no customer data."""

    _inherit = "privacy.lookup.wizard"

    def _crm_privacy_sources(self, persons):
        sources = super()._crm_privacy_sources(persons)
        sources.append({
            "key": "customer_profile",
            "label": self.env._("Customer Profile"),
            "model": "res.partner",
            "domain": Domain("id", "in", persons.ids),
            "fields": ["name", *PROFILE_FIELDS],
            "anonymize": dict.fromkeys(PROFILE_FIELDS, False),
        })
        return sources
