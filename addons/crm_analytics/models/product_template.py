from odoo import fields, models

from .res_partner import ABC_CLASSES, XYZ_CLASSES


class ProductTemplate(models.Model):
    _inherit = "product.template"

    # filled set-based by crm.analytics.classifier (cron)
    crm_abc_class = fields.Selection(ABC_CLASSES, string="ABC Class", readonly=True, copy=False,
                                     help="Share of the revenue over the analysis period: A = the top 80 %.")
    crm_xyz_class = fields.Selection(XYZ_CLASSES, string="XYZ Class", readonly=True, copy=False,
                                     help="Regularity of the monthly quantity sold: X = steady, Z = erratic.")
    crm_abc_revenue = fields.Monetary(string="ABC Revenue", readonly=True, copy=False, currency_field="currency_id",
                                      help="Untaxed confirmed sales over the ABC/XYZ analysis period, in the "
                                      "company currency.")
    crm_xyz_cv = fields.Float(string="Demand Variation (%)", readonly=True, copy=False, digits=(16, 1),
                              help="Coefficient of variation of the monthly quantity over the analysis period.")
