from unittest.mock import patch

from odoo.tests import tagged
from odoo.tests.common import freeze_time

from .common_concurrency import ConcurrencyCase, Gate


@tagged("post_install", "-at_install", "-standard", "crm_concurrency")
class TestConcurrencyService(ConcurrencyCase):
    """Escalation run by two workers at once: each ticket escalated exactly once."""

    def _setup_escalation(self, action):
        name = self.unique("Concurrency escalation")
        with self.committed_env({"tracking_disable": True, "mail_create_nolog": True}) as env:
            team = env["crm.service.team"].create({"name": name})
            policy = env["crm.service.sla.policy"].create({
                "name": name, "team_id": team.id, "response_hours": 1, "resolve_hours": 2})
            rule = env["crm.service.escalation.rule"].create({
                "name": name, "team_id": team.id, "target": "resolve", "threshold_percent": 10, "action": action,
            })
            tickets = env["crm.service.ticket"].create([
                {"name": f"{name} {index}", "team_id": team.id, "user_id": env.ref("base.user_admin").id}
                for index in range(3)
            ])
            tickets.write({"sla_policy_id": policy.id})
            # past the threshold without waiting for the clock
            env.cr.execute("UPDATE crm_service_ticket SET sla_resolve_percent = 60 WHERE id = ANY(%s)",
                           [tickets.ids])
            contexts = [self.cron_context(env, "crm_service.ir_cron_crm_service_escalation") for _worker in "AB"]
        self.cleanup_records("crm.service.ticket", tickets.ids)
        self.cleanup_records("crm.service.escalation.rule", rule.ids)
        self.cleanup_records("crm.service.sla.policy", policy.ids)
        self.cleanup_records("crm.service.team", team.ids)
        self.cleanup_records("ir.cron.progress", [context["ir_cron_progress_id"] for context in contexts])
        return rule.id, tickets.ids, contexts

    def _assert_escalated_once(self, rule_id, ticket_ids):
        with self.committed_env() as env:
            env.cr.execute(
                "SELECT ticket_id, count(*) FROM crm_service_escalation_log WHERE rule_id = %s GROUP BY ticket_id",
                [rule_id])
            self.assertEqual(dict(env.cr.fetchall()), dict.fromkeys(ticket_ids, 1))
            env.cr.execute(
                """SELECT res_id, count(*) FROM mail_message
                    WHERE model = 'crm.service.ticket' AND res_id = ANY(%s) AND body::text LIKE '%%Escalation%%'
                    GROUP BY res_id""", [ticket_ids])
            self.assertEqual(dict(env.cr.fetchall()), dict.fromkeys(ticket_ids, 1), "one escalation note per ticket")

    def _stale_then_fresh(self, action):
        """Worker A takes its snapshot, B escalates and commits, then A runs on its old snapshot."""
        rule_id, ticket_ids, (context_a, context_b) = self._setup_escalation(action)
        gate = Gate("A")

        def stale_worker(env):
            env.cr.execute("SELECT 1")  # the transaction's snapshot is taken here
            gate.pause()
            return env["crm.service.escalation.rule"].with_context(**context_a)._cron_escalate()

        def fresh_worker(env):
            return env["crm.service.escalation.rule"].with_context(**context_b)._cron_escalate()

        worker_a, worker_b = self.run_interleaved(gate, stale_worker, fresh_worker)
        self.assertIsNone(worker_b.error)
        self.assertIsNone(worker_a.error, "the stale worker must retry, not abort its run")
        self.assertEqual(worker_b.result, len(ticket_ids))
        self.assertEqual(worker_a.result, 0)
        self._assert_escalated_once(rule_id, ticket_ids)

    def test_stale_snapshot_notify_rule(self):
        """The known hole: the ticket row is not updated, only the unique log stopped the stale worker."""
        self._stale_then_fresh("notify")

    def test_stale_snapshot_priority_rule(self):
        """The ticket row is updated: the stale worker's lock fails with a serialization error."""
        self._stale_then_fresh("raise_priority")

    def test_two_workers_at_once(self):
        rule_id, ticket_ids, (context_a, context_b) = self._setup_escalation("notify")
        worker_a, worker_b = self.run_together(
            lambda env: env["crm.service.escalation.rule"].with_context(**context_a)._cron_escalate(limit=1),
            lambda env: env["crm.service.escalation.rule"].with_context(**context_b)._cron_escalate(limit=1),
        )
        self.assertIsNone(worker_a.error)
        self.assertIsNone(worker_b.error)
        self._assert_escalated_once(rule_id, ticket_ids)

    def test_sla_recompute_retries_a_batch_written_meanwhile(self):
        """A user writes the tickets after the cron's snapshot: the batch is recomputed, the run goes on."""
        _rule_id, ticket_ids, (context_a, _context_b) = self._setup_escalation("notify")
        gate = Gate("A")

        def stale_cron(env):
            env.cr.execute("SELECT 1")  # the snapshot is taken here
            gate.pause()
            return env["crm.service.ticket"].with_context(**context_a)._cron_recompute_sla()

        def user_write(env):
            env["crm.service.ticket"].browse(ticket_ids).write({"priority": "2"})

        worker_a, worker_b = self.run_interleaved(gate, stale_cron, user_write)
        self.assertIsNone(worker_b.error)
        self.assertIsNone(worker_a.error, "a serialization failure must be retried, not end the run")
        self.assertGreaterEqual(worker_a.result, len(ticket_ids))
        with self.committed_env() as env:
            tickets = env["crm.service.ticket"].browse(ticket_ids)
            self.assertEqual(set(tickets.mapped("priority")), {"2"}, "the user's write is kept")
            self.assertTrue(all(tickets.mapped("sla_resolve_deadline")), "the SLA figures are recomputed")

    def test_agreement_renewal_planned_once(self):
        name = self.unique("Concurrency agreement")
        with self.committed_env({"tracking_disable": True, "mail_create_nolog": True}) as env:
            partner = env["res.partner"].create({"name": name})
            tier = env["crm.service.sla.tier"].create({"name": name})
            agreement = env["crm.service.agreement"].create({
                "name": name, "partner_id": partner.id, "sla_tier_id": tier.id, "state": "active",
                "date_start": "2031-01-01", "date_end": "2031-06-30", "renewal_reminder_days": 30,
            })
            contexts = [self.cron_context(env, "crm_service.ir_cron_crm_service_agreement") for _worker in "AB"]
        # cleanups run last registered first
        self.cleanup_records("res.partner", partner.ids)
        self.cleanup_records("crm.service.sla.tier", tier.ids)
        self.cleanup_records("crm.service.agreement", agreement.ids)
        self.cleanup_records("ir.cron.progress", [context["ir_cron_progress_id"] for context in contexts])
        context_a, context_b = contexts
        gate = Gate("A")
        Agreement = self.registry["crm.service.agreement"]
        activity_schedule = Agreement.activity_schedule

        def pausing_activity_schedule(records, *args, **kwargs):
            result = activity_schedule(records, *args, **kwargs)
            gate.pause()  # A has planned the activity, not committed yet
            return result

        with freeze_time("2031-06-10 10:00:00"), patch.object(Agreement, "activity_schedule",
                                                              pausing_activity_schedule):
            worker_a, worker_b = self.run_interleaved(
                gate,
                lambda env: env["crm.service.agreement"].with_context(**context_a)._cron_agreement_lifecycle().ids,
                lambda env: env["crm.service.agreement"].with_context(**context_b)._cron_agreement_lifecycle().ids,
                second_wait=3,
            )
        self.assertIsNone(worker_a.error)
        self.assertIsNone(worker_b.error, "the later worker must retry, not end its run")
        self.assertIn(agreement.id, worker_a.result)
        self.assertNotIn(agreement.id, worker_b.result)
        with self.committed_env() as env:
            activities = env["mail.activity"].search([
                ("res_model", "=", "crm.service.agreement"), ("res_id", "=", agreement.id)])
            self.assertEqual(len(activities), 1, "one renewal activity")
