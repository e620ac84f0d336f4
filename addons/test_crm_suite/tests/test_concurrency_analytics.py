from unittest.mock import patch

from odoo.fields import Command
from odoo.tests import tagged
from odoo.tests.common import freeze_time

from .common_concurrency import ConcurrencyCase, Gate

MONTH = "2031-05-01"


@tagged("post_install", "-at_install", "-standard", "crm_concurrency")
class TestConcurrencyForecastSnapshot(ConcurrencyCase):
    """The month's forecast snapshot taken by two workers at once: one snapshot, no failed run."""

    def _setup_pipeline(self):
        name = self.unique("Concurrency forecast")
        with self.committed_env({"tracking_disable": True, "mail_create_nolog": True}) as env:
            leads = env["crm.lead"].create([{
                "name": f"{name} {index}", "type": "opportunity", "user_id": env.ref("base.user_admin").id,
                "expected_revenue": 1000.0 * (index + 1), "probability": 50, "date_deadline": "2031-05-20",
            } for index in range(3)])
            env["crm.forecast.snapshot"].search([("month", "=", MONTH)]).unlink()
        self.cleanup_records("crm.lead", leads.ids)

        def cleanup():
            with self.committed_env() as env:
                env["crm.forecast.snapshot"].search([("month", "=", MONTH)]).unlink()
        self.addCleanup(cleanup)
        return leads.ids

    def _assert_one_snapshot(self):
        with self.committed_env() as env:
            snapshots = env["crm.forecast.snapshot"].search([("month", "=", MONTH)])
            admin = env.ref("base.user_admin")
            mine = snapshots.filtered(lambda snapshot: snapshot.user_id == admin)
            self.assertEqual(len(mine), 1, "one row per salesperson and team for the month")
            self.assertGreaterEqual(mine.opportunity_count, 3)

    def test_stale_worker_finds_the_snapshot_taken(self):
        self._setup_pipeline()
        gate = Gate("A")

        def stale_worker(env):
            env.cr.execute("SELECT 1")  # the snapshot (of the database) is taken here
            gate.pause()
            env["crm.forecast.snapshot"]._cron_take_snapshot()

        with freeze_time("2031-05-10 10:00:00"):
            worker_a, worker_b = self.run_interleaved(
                gate, stale_worker, lambda env: env["crm.forecast.snapshot"]._cron_take_snapshot())
        self.assertIsNone(worker_b.error)
        self.assertIsNone(worker_a.error, "the second worker must not fail on the first one's snapshot")
        self._assert_one_snapshot()

    def test_two_workers_at_once(self):
        self._setup_pipeline()
        gate = Gate("A")
        Snapshot = self.registry["crm.forecast.snapshot"]
        take_snapshot = Snapshot._take_snapshot

        def pausing_take_snapshot(model, month=None):
            result = take_snapshot(model, month)
            gate.pause()  # A's rows are inserted, not committed: B sees no snapshot yet
            return result

        with freeze_time("2031-05-10 10:00:00"), patch.object(Snapshot, "_take_snapshot", pausing_take_snapshot):
            worker_a, worker_b = self.run_interleaved(
                gate,
                lambda env: env["crm.forecast.snapshot"]._cron_take_snapshot(),
                lambda env: env["crm.forecast.snapshot"]._cron_take_snapshot(),
                second_wait=3,
            )
        self.assertIsNone(worker_a.error)
        self.assertIsNone(worker_b.error, "the second worker must not fail on the first one's snapshot")
        self._assert_one_snapshot()


@tagged("post_install", "-at_install", "-standard", "crm_concurrency")
class TestConcurrencyCustomerClasses(ConcurrencyCase):
    """The ABC/XYZ/RFM cron while a user edits a customer: the run is retried, not lost."""

    def test_user_edit_during_recompute(self):
        name = self.unique("Concurrency classes")
        with self.committed_env({"tracking_disable": True, "mail_create_nolog": True}) as env:
            partner = env["res.partner"].create({"name": name, "is_company": True})
            product = env["product.product"].create({"name": name, "list_price": 100.0, "type": "service"})
            order = env["sale.order"].create({
                "partner_id": partner.id,
                "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 3})],
            })
            order.action_confirm()
            order.date_order = "2031-03-10 10:00:00"
            context = self.cron_context(env, "crm_analytics.ir_cron_crm_analytics_classes")

        def cleanup():
            with self.committed_env({"active_test": False}) as env:
                env["sale.order"].browse(order.id).action_cancel()
                env["sale.order"].browse(order.id).unlink()
                env["product.product"].browse(product.id).product_tmpl_id.unlink()
                env["res.partner"].browse(partner.id).unlink()
        self.addCleanup(cleanup)
        self.cleanup_records("ir.cron.progress", [context["ir_cron_progress_id"]])
        gate = Gate("A")

        def stale_cron(env):
            env.cr.execute("SELECT 1")  # the snapshot is taken here
            gate.pause()
            env["crm.analytics.classifier"].with_context(**context)._cron_recompute_classes()

        def user_edit(env):
            env["res.partner"].browse(partner.id).write({"comment": "called today"})

        with freeze_time("2031-06-15 10:00:00"):
            worker_a, worker_b = self.run_interleaved(gate, stale_cron, user_edit)
        self.assertIsNone(worker_b.error)
        self.assertIsNone(worker_a.error, "a serialization failure must be retried, not end the run")
        with self.committed_env() as env:
            partner = env["res.partner"].browse(partner.id)
            self.assertEqual(partner.crm_abc_class, "A", "classified by the retried run")
            self.assertIn("called today", str(partner.comment), "the user's edit is kept")
