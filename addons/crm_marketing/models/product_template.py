from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    crm_positioning_note = fields.Html(
        "Market Positioning", help="How this product stands against competitors: arguments, target customers.",
    )
