from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL


class CrmServiceArticle(models.Model):
    _name = "crm.service.article"
    _description = "Knowledge Article"
    _inherit = ["mail.thread"]
    _order = "sequence, id desc"

    name = fields.Char(string="Title", required=True, tracking=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company")
    body = fields.Html(translate=True, sanitize=True)
    keywords = fields.Char(help="Extra words used to suggest the article on tickets.")
    category_id = fields.Many2one("crm.service.article.category", index=True)
    tag_ids = fields.Many2many("crm.service.article.tag", string="Tags")
    author_id = fields.Many2one("res.users", default=lambda self: self.env.user)
    is_published = fields.Boolean(
        string="Published on the Portal", tracking=True,
        help="Published articles are readable by customers on the portal; others are internal.")
    ticket_ids = fields.Many2many(
        "crm.service.ticket", "crm_service_article_ticket_rel", "article_id", "ticket_id",
        string="Tickets")
    ticket_count = fields.Integer(compute="_compute_ticket_count")
    source_ticket_id = fields.Many2one("crm.service.ticket", readonly=True, string="Written From")
    helpful_yes = fields.Integer(string="Helpful", default=0, readonly=True, copy=False)
    helpful_no = fields.Integer(string="Not Helpful", default=0, readonly=True, copy=False)
    helpful_percent = fields.Float(compute="_compute_helpful_percent", string="Helpful (%)")

    @api.depends("ticket_ids")
    def _compute_ticket_count(self):
        for article in self:
            article.ticket_count = len(article.ticket_ids)

    @api.depends("helpful_yes", "helpful_no")
    def _compute_helpful_percent(self):
        for article in self:
            votes = article.helpful_yes + article.helpful_no
            article.helpful_percent = 100.0 * article.helpful_yes / votes if votes else 0.0

    def action_publish(self):
        self.env["res.users"]._crm_service_check_group()
        self.is_published = True

    def action_unpublish(self):
        self.env["res.users"]._crm_service_check_group()
        self.is_published = False

    def _vote(self, helpful):
        """Count a "was this helpful" answer atomically (concurrent portal votes)."""
        self.ensure_one()
        if not self.is_published and self.env.user.share:
            raise UserError(self.env._("This article is not published."))
        column = "helpful_yes" if helpful else "helpful_no"
        self.env.cr.execute(SQL(
            "UPDATE crm_service_article SET %(column)s = COALESCE(%(column)s, 0) + 1 WHERE id = %(id)s",
            column=SQL.identifier(column), id=self.id,
        ))
        self.invalidate_recordset([column])
