from odoo import api, fields, models
from odoo.addons.crm_core.models.models import PrivacySheet
from odoo.fields import Domain
from odoo.tools import SQL


class CrmServiceArticleVote(models.Model):
    """A user's answer to "was this article helpful?": one per article and user, which they may change.

    The article's ``helpful_yes``/``helpful_no`` are the totals: the votes below plus the anonymous
    votes counted before votes were recorded per user (or whose user was deleted). Votes are cast
    only through :meth:`crm.service.article._vote`, which keeps the totals in step.
    """

    _name = "crm.service.article.vote"
    _description = "Knowledge Article Vote"
    _order = "write_date desc, id desc"
    _rec_name = "article_id"

    article_id = fields.Many2one("crm.service.article", required=True, index=True, ondelete="cascade",
                                 readonly=True)
    user_id = fields.Many2one("res.users", string="Voter", required=True, index=True, ondelete="cascade",
                              readonly=True)
    helpful = fields.Boolean(readonly=True)

    _article_user_uniq = models.Constraint(
        "UNIQUE(article_id, user_id)", "A user votes once per article; a new vote replaces the previous one.")

    def unlink(self):
        """A deleted vote (a manager's moderation, a privacy anonymization) leaves the totals."""
        for (article, helpful), votes in self.grouped(lambda vote: (vote.article_id, vote.helpful)).items():
            article._add_helpful_votes(-len(votes) if helpful else 0, 0 if helpful else -len(votes))
        return super().unlink()

    # -- personal data requests (privacy.lookup.wizard, see crm_core/models/models.py) ----------

    @api.model
    def _crm_privacy_lookup(self, persons, emails):
        sheets = super()._crm_privacy_lookup(persons, emails)
        users = persons.with_context(active_test=False).user_ids
        sheets.append(PrivacySheet(self.env._("Knowledge Article Votes"), Domain("user_id", "in", users.ids),
                                   ["article_id", "user_id", "helpful", "write_date"]))
        return sheets

    def _crm_privacy_anonymize(self, persons, emails):
        """A vote says what its user thought: it is withdrawn (and leaves the article's totals)."""
        changed = super()._crm_privacy_anonymize(persons, emails)
        self.unlink()
        return changed

    @api.model
    def _upsert(self, article, user, helpful):
        """Record ``user``'s vote on ``article``; return ``(counted, previous)``: whether the totals
        change, and the vote it replaces (``None`` for a first vote).

        One statement, the row locked by ``ON CONFLICT``: in Odoo's REPEATABLE READ, a vote of the
        same user committed meanwhile makes it fail with a serialization error (the request is
        retried) instead of being counted twice; the previous value read in the same snapshot is
        therefore the one replaced."""
        self.env.flush_all()
        self.env.cr.execute(SQL(
            """
            WITH previous AS (
                SELECT helpful FROM crm_service_article_vote WHERE article_id = %(article)s AND user_id = %(user)s
            ), upsert AS (
                INSERT INTO crm_service_article_vote AS vote
                       (article_id, user_id, helpful, create_uid, create_date, write_uid, write_date)
                VALUES (%(article)s, %(user)s, %(helpful)s, %(uid)s, %(now)s, %(uid)s, %(now)s)
                ON CONFLICT (article_id, user_id) DO UPDATE
                   SET helpful = EXCLUDED.helpful, write_uid = EXCLUDED.write_uid, write_date = EXCLUDED.write_date
                 WHERE vote.helpful IS DISTINCT FROM EXCLUDED.helpful
             RETURNING vote.id
            )
            SELECT (SELECT helpful FROM previous), EXISTS (SELECT FROM upsert)
            """,
            article=article.id, user=user.id, helpful=bool(helpful), uid=self.env.uid,
            now=fields.Datetime.now(),
        ))
        previous, counted = self.env.cr.fetchone()
        self.invalidate_model()
        return counted, previous
