from psycopg2.errors import SerializationFailure

from odoo import SUPERUSER_ID, api, http
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, JsonRpcException, TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import CrmServiceCommon


@tagged("post_install", "-at_install")
class TestArticleVotes(CrmServiceCommon, HttpCase):
    """"Was this article helpful?": one vote per article and user, which the user may change; a portal
    user posting again and again moves nothing, and the counts of the votes cast before votes were
    recorded per user (anonymous) are kept."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the votes of the demo data, if any, are not the test's
        cls.votes_before = cls.env["crm.service.article.vote"].search([]).ids
        cls.colleague = new_test_user(
            cls.env, "svc_portal_colleague", groups="base.group_portal", name="Ольга Петрова",
            partner_id=cls.env["res.partner"].create({"name": "Ольга Петрова", "parent_id": cls.customer.id}).id)
        Article = cls.env["crm.service.article"]
        cls.article = Article.create({"name": "Замена картриджа", "is_published": True})
        cls.legacy_article = Article.create({"name": "Очистка очереди печати", "is_published": True})
        # counts of the anonymous votes cast before this change
        cls.legacy_article.write({"helpful_yes": 7, "helpful_no": 3})
        cls.draft_article = Article.create({"name": "Черновик: внутренняя кухня"})
        other_company = cls.env["res.company"].create({"name": "Другая фирма"})
        cls.foreign_article = Article.create(
            {"name": "Статья другой фирмы", "is_published": True, "company_id": other_company.id})

    def _post(self, url, data):
        return self.url_open(url, data=dict(data, csrf_token=http.Request.csrf_token(self)))

    def _vote(self, article, helpful):
        return self._post(f"/my/service-articles/{article.id}/vote", {"helpful": helpful})

    def _counts(self, article):
        self.env.invalidate_all()
        return article.helpful_yes, article.helpful_no

    def _votes(self, article=None):
        self.env.invalidate_all()
        domain = [("article_id", "=", article.id)] if article else [("id", "not in", self.votes_before)]
        return {vote.user_id: vote.helpful for vote in self.env["crm.service.article.vote"].search(domain)}

    def test_one_vote_per_article_and_user(self):
        self.authenticate("svc_portal", "svc_portal")
        for helpful in ("yes", "yes", "no", "yes"):
            self.assertEqual(self._vote(self.article, helpful).status_code, 200)
        self.assertEqual(self._counts(self.article), (1, 0))
        self.assertEqual(self._votes(self.article), {self.portal_user: True})
        self._vote(self.article, "no")
        self.assertEqual(self._counts(self.article), (0, 1), "a changed vote moves, it does not add")
        self.assertAlmostEqual(self.article.helpful_percent, 0.0)

    def test_users_count_separately(self):
        self.authenticate("svc_portal", "svc_portal")
        self._vote(self.article, "yes")
        self.authenticate("svc_portal_colleague", "svc_portal_colleague")
        self._vote(self.article, "no")
        self.assertEqual(self._counts(self.article), (1, 1))
        self._vote(self.article, "yes")
        self.assertEqual(self._counts(self.article), (2, 0))
        self.assertEqual(self._votes(self.article), {self.portal_user: True, self.colleague: True})

    def test_anonymous_counts_are_kept(self):
        self.authenticate("svc_portal", "svc_portal")
        self._vote(self.legacy_article, "yes")
        self.assertEqual(self._counts(self.legacy_article), (8, 3))
        self._vote(self.legacy_article, "no")
        self._vote(self.legacy_article, "no")
        self.assertEqual(self._counts(self.legacy_article), (7, 4))
        self.assertAlmostEqual(self.legacy_article.helpful_percent, 700 / 11)

    def test_unpublished_or_foreign_article_is_404_and_writes_nothing(self):
        before = [self._counts(article) for article in (self.draft_article, self.foreign_article)]
        self.authenticate("svc_portal", "svc_portal")
        for article_id in (self.draft_article.id, self.foreign_article.id, self.article.id + 10000, 2**31):
            with self.subTest(article_id=article_id):
                response = self._post(f"/my/service-articles/{article_id}/vote", {"helpful": "yes"})
                self.assertEqual(response.status_code, 404)
        self.assertEqual([self._counts(article) for article in (self.draft_article, self.foreign_article)], before)
        self.assertFalse(self._votes())

    def test_portal_user_cannot_touch_votes_over_rpc(self):
        self.authenticate("svc_portal", "svc_portal")
        self._vote(self.article, "yes")
        calls = {
            "crm.service.article.vote": [
                ("search_read", [[]], {"fields": ["user_id", "helpful"]}),
                ("create", [{"article_id": self.article.id, "user_id": self.colleague.id, "helpful": True}], {}),
            ],
            "crm.service.article": [
                ("write", [[self.article.id], {"helpful_yes": 100}], {}),
                ("_vote", [[self.article.id], True], {}),
                ("read", [[self.article.id], ["vote_ids"]], {}),
            ],
        }
        for model, model_calls in calls.items():
            for method, args, kwargs in model_calls:
                with self.subTest(model=model, method=method), self.assertLogs("odoo.http", "WARNING") as logs, \
                        self.assertRaises(JsonRpcException) as caught:
                    self.make_jsonrpc_request(f"/web/dataset/call_kw/{model}/{method}", {
                        "model": model, "method": method, "args": args, "kwargs": kwargs})
                self.assertEqual(caught.exception.args[0], "odoo.exceptions.AccessError")
                self.assertTrue(any(model in line or "Private methods" in line for line in logs.output), logs.output)
        self.assertEqual(self._counts(self.article), (1, 0))
        self.assertEqual(self._votes(), {self.portal_user: True})

    def test_service_users_see_votes_managers_withdraw_them(self):
        self.article.with_user(self.portal_user).sudo()._vote(True)
        self.article.with_user(self.colleague).sudo()._vote(False)
        article = self.article.with_user(self.agent)
        self.assertEqual({vote.user_id: vote.helpful for vote in article.vote_ids},
                         {self.portal_user: True, self.colleague: False})
        with self.assertRaises(AccessError):
            article.vote_ids[:1].unlink()
        with self.assertRaises(AccessError):
            self.env["crm.service.article.vote"].with_user(self.manager).create(
                {"article_id": self.article.id, "user_id": self.agent.id, "helpful": True})
        self.assertEqual(self._counts(self.article), (1, 1))
        self.article.with_user(self.manager).vote_ids.filtered(lambda vote: not vote.helpful).unlink()
        self.assertEqual(self._counts(self.article), (1, 0))
        self.assertEqual(self._votes(self.article), {self.portal_user: True})

    def test_votes_in_personal_data_requests(self):
        self.article.with_user(self.portal_user).sudo()._vote(True)
        self.legacy_article.with_user(self.portal_user).sudo()._vote(False)
        self.article.with_user(self.colleague).sudo()._vote(True)
        Vote = self.env["crm.service.article.vote"]
        sheets = Vote._crm_privacy_lookup(self.customer_contact, [self.customer_contact.email_normalized])
        found = Vote.search(sheets[-1].domain)
        self.assertEqual(found.user_id, self.portal_user)
        self.assertEqual(found.article_id, self.article | self.legacy_article)
        found._crm_privacy_anonymize(self.customer_contact, [])
        self.assertEqual(self._votes(), {self.colleague: True}, "a colleague's vote stays")
        self.assertEqual(self._counts(self.article), (1, 0))
        self.assertEqual(self._counts(self.legacy_article), (7, 3))

    def test_personal_data_request_finds_and_withdraws_the_votes(self):
        """Through Odoo's privacy lookup, as a data operator: the person's votes are listed, and an
        anonymization withdraws them (the article's totals follow); a colleague's vote stays."""
        self.article.with_user(self.portal_user).sudo()._vote(True)
        self.article.with_user(self.colleague).sudo()._vote(False)
        vote = self.env["crm.service.article.vote"].search([("user_id", "=", self.portal_user.id)])
        operator = new_test_user(self.env, "svc_privacy_operator", groups="crm_core.group_crm_data_operator")
        wizard = self.env["privacy.lookup.wizard"].with_user(operator).create({
            "crm_partner_id": self.customer_contact.id, "name": self.customer_contact.name,
            "email": self.customer_contact.email})
        wizard.action_lookup()
        found = {(line.res_model, line.res_id) for line in wizard.line_ids}
        self.assertIn(("crm.service.article.vote", vote.id), found)
        wizard.action_crm_anonymize()
        self.assertEqual(self._votes(), {self.colleague: False})
        self.assertEqual(self._counts(self.article), (0, 1))


@tagged("post_install", "-at_install")
class TestArticleVoteConcurrency(TransactionCase):
    """Two transactions voting at once (two real cursors, Odoo's REPEATABLE READ): a vote committed
    after the other transaction began is never counted twice; the late one fails with a serialization
    error, which Odoo's request handling retries, and the retry counts right."""

    def setUp(self):
        super().setUp()
        with self.env.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            self.article_id = env["crm.service.article"].create({"name": "Гонка голосов", "is_published": True}).id
            self.user_ids = (env.ref("base.user_admin").id, env.ref("base.user_root").id)
        self.envs = [api.Environment(self.env.registry.cursor(), SUPERUSER_ID, {}) for _i in range(2)]
        self.addCleanup(self._clean_up)

    def _clean_up(self):
        for env in self.envs:
            env.cr.rollback()
            env.cr.close()
        with self.env.registry.cursor() as cr:
            # the votes go with the article (ondelete cascade)
            api.Environment(cr, SUPERUSER_ID, {})["crm.service.article"].browse(self.article_id).unlink()

    def _vote(self, env, user_id, helpful):
        env(user=user_id)["crm.service.article"].browse(self.article_id).sudo()._vote(helpful)
        env.cr.commit()

    def _state(self):
        with self.env.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            article = env["crm.service.article"].browse(self.article_id)
            return (article.helpful_yes, article.helpful_no), sorted(
                (vote.user_id.id, vote.helpful) for vote in article.vote_ids)

    def _vote_late(self, user_id, helpful):
        """``envs[0]`` began before ``envs[1]`` committed: its vote is refused, then retried."""
        late = self.envs[0]
        before = self._state()
        with mute_logger("odoo.sql_db"), self.assertRaises(SerializationFailure):
            self._vote(late, user_id, helpful)
        late.cr.rollback()
        late.invalidate_all()
        self.assertEqual(self._state(), before, "nothing written by the refused attempt")
        self._vote(late, user_id, helpful)  # Odoo's retry

    def test_same_user_twice_at_once_counts_once(self):
        admin = self.user_ids[0]
        late, early = self.envs
        late.cr.execute("SELECT 1")  # its snapshot is taken now
        self._vote(early, admin, True)
        self._vote_late(admin, True)
        self.assertEqual(self._state(), ((1, 0), [(admin, True)]))

    def test_two_users_at_once_both_count(self):
        admin, root = self.user_ids
        late, early = self.envs
        late.cr.execute("SELECT 1")
        self._vote(early, root, True)
        self._vote_late(admin, False)
        self.assertEqual(self._state(), ((1, 1), sorted([(admin, False), (root, True)])))
