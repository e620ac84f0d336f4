from odoo import api, fields, models
from odoo.addons.crm_core.models.models import PrivacySheet
from odoo.fields import Domain

from ..tools import rfm

ABC_CLASSES = [("A", "A"), ("B", "B"), ("C", "C")]
XYZ_CLASSES = [("X", "X"), ("Y", "Y"), ("Z", "Z")]


class ResPartner(models.Model):
    _inherit = "res.partner"

    # filled set-based by crm.analytics.classifier (cron), never by the ORM per record
    crm_abc_class = fields.Selection(ABC_CLASSES, string="ABC Class", readonly=True, copy=False,
                                     help="Share of the revenue over the analysis period: A = the top 80 %.")
    crm_xyz_class = fields.Selection(XYZ_CLASSES, string="XYZ Class", readonly=True, copy=False,
                                     help="Regularity of the monthly revenue: X = steady, Z = erratic.")
    crm_abc_revenue = fields.Monetary(string="ABC Revenue", readonly=True, copy=False,
                                      currency_field="crm_abc_currency_id",
                                      help="Untaxed confirmed sales over the ABC/XYZ analysis period, in the "
                                      "company currency.")
    crm_abc_currency_id = fields.Many2one("res.currency", string="ABC Currency",
                                          compute="_compute_crm_abc_currency_id")
    crm_xyz_cv = fields.Float(string="Demand Variation (%)", readonly=True, copy=False, digits=(16, 1),
                              help="Coefficient of variation of the monthly revenue over the analysis period.")
    crm_rfm_recency = fields.Integer(string="RFM Recency", readonly=True, copy=False)
    crm_rfm_frequency = fields.Integer(string="RFM Frequency", readonly=True, copy=False)
    crm_rfm_monetary = fields.Integer(string="RFM Monetary", readonly=True, copy=False)
    crm_rfm_score = fields.Char(string="RFM Score", readonly=True, copy=False,
                                help="Recency, frequency and monetary quintile scores (5 = best), e.g. 545.")
    crm_rfm_segment = fields.Selection(rfm.SEGMENTS, string="RFM Segment", readonly=True, copy=False)

    @api.depends_context("company")
    @api.depends("company_id")
    def _compute_crm_abc_currency_id(self):
        """The ABC revenue is in the currency of the partner's company (the current one when shared)."""
        for partner in self:
            partner.crm_abc_currency_id = (partner.company_id or self.env.company).currency_id

    @api.model
    def action_crm_recompute_classes(self):
        """Button on the partner list/settings: recompute ABC/XYZ and RFM now."""
        self.env["crm.analytics.classifier"].recompute_all()
        return True

    # -- personal data requests (privacy.lookup.wizard, see crm_core/models/models.py) ----------

    # the person's profile computed by the classifiers: exported on its own sheet, emptied by an anonymization
    _CRM_PRIVACY_PROFILE_FIELDS = (
        "crm_abc_class", "crm_xyz_class", "crm_abc_revenue", "crm_xyz_cv", "crm_rfm_recency", "crm_rfm_frequency",
        "crm_rfm_monetary", "crm_rfm_score", "crm_rfm_segment",
    )

    @api.model
    def _crm_privacy_lookup(self, persons, emails):
        sheets = super()._crm_privacy_lookup(persons, emails)
        sheets.append(PrivacySheet(self.env._("Customer Profile"), Domain("id", "in", persons.ids),
                                   ["name", *self._CRM_PRIVACY_PROFILE_FIELDS]))
        return sheets

    def _crm_privacy_neutral_values(self):
        return {**super()._crm_privacy_neutral_values(), **dict.fromkeys(self._CRM_PRIVACY_PROFILE_FIELDS, False)}
