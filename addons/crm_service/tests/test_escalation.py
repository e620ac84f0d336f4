from odoo import SUPERUSER_ID, api
from odoo.tests import tagged
from odoo.tests.common import freeze_time

from .common import CrmServiceCommon


@tagged("post_install", "-at_install")
class TestCrmServiceEscalation(CrmServiceCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rule_priority = cls.env["crm.service.escalation.rule"].create({
            "name": "Raise at 50%", "team_id": cls.team.id, "target": "resolve",
            "threshold_percent": 50, "action": "raise_priority",
        })
        cls.rule_leader = cls.env["crm.service.escalation.rule"].create({
            "name": "Leader at breach", "team_id": cls.team.id, "target": "resolve",
            "threshold_percent": 100, "action": "assign_leader",
        })

    def test_cron_run_twice_acts_once(self):
        with freeze_time(self.msk(2026, 3, 13, 16, 0)):
            ticket = self._ticket(user_id=self.agent.id)
        with freeze_time(self.msk(2026, 3, 16, 9, 30)):  # 2.5 h of 4: 62.5 %
            ticket._recompute_sla()
            Rule = self.env["crm.service.escalation.rule"]
            self.assertEqual(Rule._cron_escalate(), 1)
            self.assertEqual(Rule._cron_escalate(), 0)
        self.assertEqual(ticket.priority, "2")
        self.assertEqual(ticket.user_id, self.agent)
        self.assertEqual(ticket.escalation_log_ids.rule_id, self.rule_priority)
        with freeze_time(self.msk(2026, 3, 16, 12, 0)):  # breached
            ticket._recompute_sla()
            self.assertEqual(Rule._cron_escalate(), 1)
            self.assertEqual(Rule._cron_escalate(), 0)
        self.assertEqual(ticket.user_id, self.leader)
        self.assertEqual(ticket.priority, "2", "the 50% rule must not raise the priority again")
        self.assertEqual(len(ticket.escalation_log_ids), 2)

    def test_notify_rule_schedules_one_activity_for_the_leader(self):
        rule = self.env["crm.service.escalation.rule"].create({
            "name": "Notify at 25%", "target": "resolve", "threshold_percent": 25, "action": "notify",
        })
        with freeze_time(self.msk(2026, 3, 13, 16, 0)):
            ticket = self._ticket()
        with freeze_time(self.msk(2026, 3, 13, 17, 30)):
            ticket._recompute_sla()
            self.env["crm.service.escalation.rule"]._cron_escalate()
            self.env["crm.service.escalation.rule"]._cron_escalate()
        activities = ticket.activity_ids.filtered(lambda a: a.user_id == self.leader)
        self.assertEqual(len(activities), 1)
        self.assertEqual(ticket.escalation_log_ids.rule_id, rule)

    def test_closed_and_other_team_tickets_are_not_escalated(self):
        with freeze_time(self.msk(2026, 3, 13, 16, 0)):
            closed = self._ticket(stage_id=self.stage_solved.id)
            other = self._ticket(team_id=self.other_team.id)
        with freeze_time(self.msk(2026, 3, 17, 12, 0)):
            (closed | other)._recompute_sla()
            self.assertEqual(self.env["crm.service.escalation.rule"]._cron_escalate(), 0)

    def test_two_workers_never_escalate_the_same_ticket(self):
        """Worker A holds the row lock of a ticket: worker B's selection skips it."""
        with self.registry.cursor() as setup_cr:
            # never wait forever on a row the test transaction might hold
            setup_cr.execute("SET LOCAL lock_timeout = '10s'")
            env = api.Environment(setup_cr, SUPERUSER_ID, {"tracking_disable": True})
            team = env["crm.service.team"].create({"name": "Lock test team"})
            policy = env["crm.service.sla.policy"].create({
                "name": "Lock test", "team_id": team.id, "response_hours": 1, "resolve_hours": 2})
            rule = env["crm.service.escalation.rule"].create({
                "name": "Lock test", "team_id": team.id, "threshold_percent": 10, "action": "raise_priority",
            })
            tickets = env["crm.service.ticket"].create([
                {"name": f"Lock test {index}", "team_id": team.id}
                for index in range(2)
            ])
            # force them past the threshold without waiting
            tickets.write({"sla_policy_id": policy.id})
            env.cr.execute("UPDATE crm_service_ticket SET sla_resolve_percent = 60 WHERE id = ANY(%s)",
                           [tickets.ids])
            ids = tickets.ids
            setup_cr.commit()

        def cleanup():
            with self.registry.cursor() as cr:
                cleanup_env = api.Environment(cr, SUPERUSER_ID, {})
                cleanup_env["crm.service.ticket"].browse(ids).unlink()
                cleanup_env["crm.service.escalation.rule"].browse(rule.id).unlink()
                cleanup_env["crm.service.sla.policy"].browse(policy.id).unlink()
                cleanup_env["crm.service.team"].browse(team.id).unlink()
        self.addCleanup(cleanup)

        with self.registry.cursor() as worker_a, self.registry.cursor() as worker_b:
            env_a = api.Environment(worker_a, SUPERUSER_ID, {})
            env_b = api.Environment(worker_b, SUPERUSER_ID, {})
            locked_by_a = env_a["crm.service.escalation.rule"].browse(rule.id)._lock_candidates(limit=1)
            self.assertEqual(locked_by_a.ids, ids[:1])
            seen_by_b = env_b["crm.service.escalation.rule"].browse(rule.id)._lock_candidates()
            self.assertEqual(seen_by_b.ids, ids[1:], "B must skip the row locked by A")
            # A escalates and commits; B, once A is done, finds nothing left for that ticket
            env_a["crm.service.escalation.rule"].browse(rule.id)._apply(locked_by_a)
            worker_a.commit()
            env_b["crm.service.escalation.rule"].browse(rule.id)._apply(seen_by_b)
            worker_b.commit()
        with self.registry.cursor() as check_cr:
            check_cr.execute(
                "SELECT ticket_id, count(*) FROM crm_service_escalation_log WHERE rule_id = %s GROUP BY ticket_id",
                [rule.id])
            self.assertEqual(dict(check_cr.fetchall()), {ids[0]: 1, ids[1]: 1})
            env_check = api.Environment(check_cr, SUPERUSER_ID, {})
            self.assertFalse(env_check["crm.service.escalation.rule"].browse(rule.id)._lock_candidates())
