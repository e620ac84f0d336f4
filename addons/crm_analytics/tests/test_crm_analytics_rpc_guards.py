from datetime import date

from odoo.exceptions import AccessError
from odoo.service.model import call_kw
from odoo.tests import freeze_time, tagged
from odoo.tools import SQL

from .common import CrmAnalyticsCommon


@tagged("post_install", "-at_install")
class TestCrmAnalyticsRpcGuards(CrmAnalyticsCommon):
    """The mass recomputations (full-table aggregates, set-based UPDATEs) are not for everyone.

    ``recompute_abc_xyz`` / ``recompute_rfm`` are ``@api.private`` (refused by
    ``/web/dataset/call_kw`` whoever calls) and check the sales manager group
    when called from Python; the buttons around them check the same group.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.classifier = cls.env["crm.analytics.classifier"]
        cls.customer = cls.customers[0]
        # classes no recomputation would keep: a refused call must leave them as they are
        cls.env.flush_all()
        cls.env.cr.execute(SQL(
            "UPDATE res_partner SET crm_abc_class = 'A', crm_xyz_class = 'X', crm_rfm_score = '555',"
            " crm_rfm_segment = 'champions' WHERE id = %s", cls.customer.id))
        cls.customer.invalidate_recordset()

    def _assert_classes_kept(self):
        self.customer.invalidate_recordset()
        self.assertEqual(
            (self.customer.crm_abc_class, self.customer.crm_xyz_class, self.customer.crm_rfm_score,
             self.customer.crm_rfm_segment),
            ("A", "X", "555", "champions"))

    def test_recomputations_refused_to_non_managers(self):
        for user in (self.seller_1, self.viewer):
            for method, args in (("recompute_abc_xyz", (date(2025, 1, 1), date(2025, 4, 1))),
                                 ("recompute_rfm", (date(2025, 4, 1),)), ("recompute_all", ())):
                with self.subTest(user=user.login, method=method), self.assertRaises(AccessError):
                    getattr(self.classifier.with_user(user), method)(*args)
        self._assert_classes_kept()

    def test_recomputations_are_private_over_rpc(self):
        """Not even a sales manager reaches the mass UPDATEs through call_kw: only the button and the cron."""
        self.assertTrue(self.head.has_group("sales_team.group_sale_manager"))
        for method in ("recompute_abc_xyz", "recompute_rfm", "_cron_recompute_classes", "_write_abc_xyz"):
            with self.subTest(method=method), self.assertRaises(AccessError):
                call_kw(self.classifier.with_user(self.head), method, [], {})
        self._assert_classes_kept()

    def test_partner_and_settings_buttons_check_the_group(self):
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.seller_1).action_crm_recompute_classes()
        settings = self.env["res.config.settings"].create({})
        with self.assertRaises(AccessError):
            settings.with_user(self.head).action_crm_analytics_recompute()
        self._assert_classes_kept()

    def test_cron_and_managers_still_recompute(self):
        self.classifier._cron_recompute_classes()
        self.customer.invalidate_recordset()
        self.assertFalse(self.customer.crm_abc_class, "no confirmed sale: the stale class is cleared")
        self.assertTrue(call_kw(self.classifier.with_user(self.head), "recompute_all", [], {}) is None)

    @freeze_time("2025-03-15 12:00:00")
    def test_forecast_snapshot_refused_to_viewers(self):
        """Retaking a snapshot deletes the month's rows: only sales managers, never over RPC as a helper."""
        Snapshot = self.env["crm.forecast.snapshot"]
        self.create_opportunity("AN Snapshot deal", 1000.0, date_deadline=date(2025, 3, 20))
        kept = Snapshot.create({"month": date(2025, 3, 1), "user_id": self.seller_1.id, "forecast_amount": 42.0})
        for user in (self.viewer, self.seller_1):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                call_kw(Snapshot.with_user(user), "action_take_snapshot", [], {})
        for method in ("_take_snapshot", "_cron_take_snapshot"):
            with self.subTest(method=method), self.assertRaises(AccessError):
                call_kw(Snapshot.with_user(self.head), method, [], {})
        self.assertEqual(Snapshot.search([("month", "=", date(2025, 3, 1))]), kept)
        self.assertEqual(kept.forecast_amount, 42.0)
