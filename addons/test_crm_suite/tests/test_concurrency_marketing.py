from unittest.mock import patch

from odoo.fields import Command
from odoo.service.model import retrying
from odoo.tests import tagged

from .common_concurrency import ConcurrencyCase, Gate


@tagged("post_install", "-at_install", "-standard", "crm_concurrency")
class TestConcurrencyDistribution(ConcurrencyCase):
    """The same distribution committed twice at once (double click, two tabs): leads assigned once."""

    def _setup_wizard(self):
        name = self.unique("Concurrency distribution")
        with self.committed_env({"tracking_disable": True, "mail_create_nolog": True}) as env:
            seller = env["res.users"].create({
                "name": name, "login": name.replace(" ", "_"),
                "group_ids": [Command.link(env.ref("sales_team.group_sale_salesman").id)],
            })
            team = env["crm.team"].create({"name": name})
            env["crm.team.member"].create([
                {"crm_team_id": team.id, "user_id": user.id} for user in (env.ref("base.user_admin") | seller)
            ])
            rule = env["crm.distribution.rule"].create({
                "name": name, "team_ids": [Command.set(team.ids)], "method": "round_robin",
            })
            leads = env["crm.lead"].create([{"name": f"{name} {index}", "type": "lead"} for index in range(3)])
            wizard = env["crm.distribution.wizard"].create({
                "rule_id": rule.id, "lead_ids": [Command.set(leads.ids)],
            })
        self.cleanup_records("res.users", seller.ids)
        self.cleanup_records("crm.team", team.ids)
        self.cleanup_records("crm.distribution.rule", rule.ids)
        self.cleanup_records("crm.lead", leads.ids)
        return wizard.id, rule.id, leads.ids

    def _commit_both_at_once(self, wizard_ids):
        """Commit two distribution wizards in two workers, the second starting while the first is paused
        inside its distribution; each commit is retried on a serialization failure, as Odoo's RPC does."""
        gate = Gate("A")

        def commit(wizard_id):
            return lambda env: retrying(
                lambda: env["crm.distribution.wizard"].browse(wizard_id).action_commit(), env)

        with self._pausing_distribution(gate):
            return self.run_interleaved(gate, commit(wizard_ids[0]), commit(wizard_ids[1]), second_wait=3)

    def _pausing_distribution(self, gate):
        """Worker A stops after writing its leads, before committing them."""
        Rule = self.registry["crm.distribution.rule"]
        run_distribution = Rule._run_distribution

        def pausing_run_distribution(rule, leads=None, commit=False):
            result = run_distribution(rule, leads, commit=commit)
            gate.pause()
            return result
        return patch.object(Rule, "_run_distribution", pausing_run_distribution)

    def test_same_wizard_committed_twice_at_once(self):
        wizard_id, rule_id, lead_ids = self._setup_wizard()
        gate = Gate("A")

        def commit(env):
            # what the RPC layer does: retry the call on a serialization failure
            return retrying(lambda: env["crm.distribution.wizard"].browse(wizard_id).action_commit(), env)

        with self._pausing_distribution(gate):
            worker_a, worker_b = self.run_interleaved(gate, commit, commit, second_wait=3)
        self.assertIsNone(worker_a.error)
        self.assertIsNone(worker_b.error)
        self.assertEqual(worker_a.result["res_id"], worker_b.result["res_id"], "both show the one run")
        with self.committed_env() as env:
            runs = env["crm.distribution.run"].search([("rule_id", "=", rule_id), ("mode", "=", "committed")])
            self.assertEqual(len(runs), 1, "one committed run")
            self.assertEqual(sum(runs.line_ids.mapped("lead_count")), len(lead_ids))
            self.assertEqual(env["crm.distribution.rule"].browse(rule_id).rr_next_index, runs.rule_id.rr_next_index)
            leads = env["crm.lead"].browse(lead_ids)
            self.assertTrue(all(leads.mapped("user_id")))
            env.cr.execute(
                """SELECT count(*) FROM mail_tracking_value v JOIN ir_model_fields f ON f.id = v.field_id
                    JOIN mail_message m ON m.id = v.mail_message_id
                   WHERE m.model = 'crm.lead' AND m.res_id = ANY(%s) AND f.name = 'user_id'""", [lead_ids])
            self.assertLessEqual(env.cr.fetchone()[0], len(lead_ids), "no lead's salesperson changed twice")

    def test_two_managers_distribute_the_same_rule_at_once(self):
        """Two wizards (two managers, two servers) on a rule taking the unassigned leads: each lead is
        assigned once, and the second manager gets no error but a run that found nothing left."""
        _wizard_id, rule_id, lead_ids = self._setup_wizard()
        with self.committed_env({"tracking_disable": True}) as env:
            rule = env["crm.distribution.rule"].browse(rule_id)
            env["crm.lead"].browse(lead_ids).user_id = False
            rule.lead_domain = str([("id", "in", lead_ids), ("user_id", "=", False)])
            wizard_ids = env["crm.distribution.wizard"].create([{"rule_id": rule_id}] * 2).ids
        worker_a, worker_b = self._commit_both_at_once(wizard_ids)
        self.assertIsNone(worker_a.error)
        self.assertIsNone(worker_b.error, "the second manager's commit is retried, not refused")
        with self.committed_env() as env:
            runs = env["crm.distribution.run"].search([("rule_id", "=", rule_id), ("mode", "=", "committed")])
            self.assertEqual(sorted(runs.mapped("lead_count")), [0, len(lead_ids)])
            self.assertTrue(all(env["crm.lead"].browse(lead_ids).mapped("user_id")))
            env.cr.execute(
                """SELECT count(*) FROM mail_tracking_value v JOIN ir_model_fields f ON f.id = v.field_id
                    JOIN mail_message m ON m.id = v.mail_message_id
                   WHERE m.model = 'crm.lead' AND m.res_id = ANY(%s) AND f.name = 'user_id'""", [lead_ids])
            self.assertLessEqual(env.cr.fetchone()[0], len(lead_ids), "no lead's salesperson changed twice")

    def test_two_rules_fill_the_same_salesperson_at_once(self):
        """Two rules on different leads, one salesperson with room for two (Odoo's assignment_max):
        committed at once, they give two leads in all, not two each."""
        name = self.unique("Concurrency capacity")
        with self.committed_env({"tracking_disable": True, "mail_create_nolog": True}) as env:
            seller = env["res.users"].create({
                "name": name, "login": name.replace(" ", "_"),
                "group_ids": [Command.link(env.ref("sales_team.group_sale_salesman").id)],
            })
            team = env["crm.team"].create({"name": name})
            member = env["crm.team.member"].create({"crm_team_id": team.id, "user_id": seller.id, "assignment_max": 2})
            leads = env["crm.lead"].create([
                {"name": f"{name} {index}", "type": "lead", "user_id": False, "team_id": False}
                for index in range(4)
            ])
            rules = env["crm.distribution.rule"].create([{
                "name": f"{name} {half}", "team_ids": [Command.set(team.ids)], "method": "round_robin",
                "lead_domain": str([("id", "in", half_ids), ("user_id", "=", False)]),
            } for half, half_ids in enumerate((leads.ids[:2], leads.ids[2:]))])
            wizard_ids = env["crm.distribution.wizard"].create([{"rule_id": rule.id} for rule in rules]).ids
        self.cleanup_records("res.users", seller.ids)
        self.cleanup_records("crm.team", team.ids)
        self.cleanup_records("crm.distribution.rule", rules.ids)
        self.cleanup_records("crm.lead", leads.ids)
        worker_a, worker_b = self._commit_both_at_once(wizard_ids)
        self.assertIsNone(worker_a.error)
        self.assertIsNone(worker_b.error, "the second run is retried, not refused")
        with self.committed_env() as env:
            leads = env["crm.lead"].browse(leads.ids)
            self.assertEqual(len(leads.filtered("user_id")), 2, "the capacity holds across the two runs")
            self.assertEqual(env["crm.team.member"].browse(member.id).lead_month_count, 2)
            runs = env["crm.distribution.run"].search([("rule_id", "in", rules.ids), ("mode", "=", "committed")])
            self.assertEqual(sorted(runs.mapped("assigned_count")), [0, 2])


@tagged("post_install", "-at_install", "-standard", "crm_concurrency")
class TestConcurrencySegmentSync(ConcurrencyCase):
    """A segment synchronised twice at once: each e-mail subscribed once to its mailing list."""

    def test_sync_twice_at_once(self):
        token = self.unique("seg").replace(" ", "")
        with self.committed_env({"tracking_disable": True}) as env:
            partners = env["res.partner"].create([
                {"name": f"{token} {index}", "email": f"{token}.{index}@example.com", "crm_consent_email": True}
                for index in range(3)
            ])
            segment = env["crm.segment"].create({
                "name": token, "domain": str([("email", "=like", f"{token}.%")]),
            })
            mailing_list = env["mailing.list"].create({"name": token})
            segment.mailing_list_id = mailing_list

        def cleanup():
            with self.committed_env({"active_test": False}) as env:
                env["mailing.contact"].search([("email", "=like", f"{token}.%")]).unlink()
                env["crm.segment"].browse(segment.id).unlink()
                env["mailing.list"].browse(mailing_list.id).unlink()
                env["res.partner"].browse(partners.ids).unlink()
        self.addCleanup(cleanup)

        gate = Gate("A")
        Segment = self.registry["crm.segment"]
        sync = Segment._sync_mailing_list

        def pausing_sync(records):
            result = sync(records)
            gate.pause()  # A's contacts are created, not committed
            return result

        def press_sync(env):
            # what the RPC layer does: retry the call on a serialization failure
            return retrying(lambda: env["crm.segment"].browse(segment.id).action_sync_mailing_list(), env)

        with patch.object(Segment, "_sync_mailing_list", pausing_sync):
            worker_a, worker_b = self.run_interleaved(gate, press_sync, press_sync, second_wait=3)
        self.assertIsNone(worker_a.error)
        self.assertIsNone(worker_b.error)
        with self.committed_env() as env:
            env.cr.execute(
                """SELECT c.email_normalized, count(*) FROM mailing_subscription s
                     JOIN mailing_contact c ON c.id = s.contact_id
                    WHERE s.list_id = %s GROUP BY c.email_normalized""", [mailing_list.id])
            counts = dict(env.cr.fetchall())
            self.assertEqual(len(counts), 3)
            self.assertEqual(set(counts.values()), {1}, "every e-mail subscribed once")
