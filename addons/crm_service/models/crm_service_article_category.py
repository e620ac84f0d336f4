from odoo import api, fields, models


class CrmServiceArticleCategory(models.Model):
    _name = "crm.service.article.category"
    _description = "Knowledge Article Category"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    ticket_category_id = fields.Many2one(
        "crm.service.category",
        help="Tickets of this category get the articles of this knowledge category suggested first.")
    article_count = fields.Integer(compute="_compute_article_count")

    def _compute_article_count(self):
        counts = dict(self.env["crm.service.article"]._read_group(
            [("category_id", "in", self.ids)], ["category_id"], ["__count"]))
        for category in self:
            category.article_count = counts.get(category, 0)

    @api.model
    def _from_ticket_category(self, ticket_category):
        if not ticket_category:
            return self.browse()
        return self.search([("ticket_category_id", "=", ticket_category.id)], limit=1)
