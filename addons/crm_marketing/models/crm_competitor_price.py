from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CrmCompetitorPrice(models.Model):
    """A price observed for a competitor's product at a date, with its source."""

    _name = "crm.competitor.price"
    _description = "Competitor Price"
    _order = "date desc, id desc"
    _rec_name = "competitor_id"

    competitor_id = fields.Many2one("crm.competitor", required=True, ondelete="cascade", index=True)
    product_id = fields.Many2one("product.product", "Our Equivalent Product", index=True)
    product_name = fields.Char("Their Product", help="The competitor's product name, or a free description.")
    price = fields.Monetary(required=True, currency_field="currency_id")
    currency_id = fields.Many2one("res.currency", required=True, default=lambda self: self.env.company.currency_id)
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    source = fields.Char(help="Where the price was seen: price list, website, tender, customer…")
    note = fields.Char()

    _price_positive = models.Constraint("CHECK(price >= 0)", "A price cannot be negative.")

    @api.constrains("competitor_id", "product_id", "product_name")
    def _check_product(self):
        for price in self:
            if not price.product_id and not price.product_name:
                raise ValidationError(self.env._("Name the competitor's product or link our equivalent product."))
