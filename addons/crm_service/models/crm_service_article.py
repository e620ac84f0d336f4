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
    vote_ids = fields.One2many("crm.service.article.vote", "article_id", string="Votes",
                               groups="crm_service.group_crm_service_agent")

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
        """Record the current user's "was this helpful" answer: one vote per article and user, which
        they may change (yes then no moves their vote; the same answer again changes nothing)."""
        self.ensure_one()
        if not self.is_published and self.env.user.share:
            raise UserError(self.env._("This article is not published."))
        counted, previous = self.env["crm.service.article.vote"]._upsert(self, self.env.user, helpful)
        self.invalidate_recordset(["vote_ids"])
        if counted:
            self._add_helpful_votes(int(bool(helpful)) - int(previous is True),
                                    int(not helpful) - int(previous is False))

    def _add_helpful_votes(self, yes, no):
        """Move the totals by ``yes`` and ``no`` votes in one UPDATE: no read-modify-write, so
        concurrent votes add up."""
        if not (yes or no):
            return
        self.flush_recordset(["helpful_yes", "helpful_no"])
        self.env.cr.execute(SQL(
            """UPDATE crm_service_article
                  SET helpful_yes = GREATEST(COALESCE(helpful_yes, 0) + %(yes)s, 0),
                      helpful_no = GREATEST(COALESCE(helpful_no, 0) + %(no)s, 0)
                WHERE id IN %(ids)s""",
            yes=yes, no=no, ids=tuple(self.ids),
        ))
        self.invalidate_recordset(["helpful_yes", "helpful_no", "helpful_percent"])
