from odoo.tests import tagged
from odoo.tests.common import freeze_time

from .common import CrmServiceCommon


@tagged("post_install", "-at_install")
class TestCrmServiceSla(CrmServiceCommon):
    """The SLA examples of issue 7 on a 09:00-18:00 Mon-Fri calendar (Europe/Moscow)."""

    def _friday_ticket(self, **values):
        # 13 March 2026 is a Friday; the rival has no agreement: default policy, 4 h resolution
        with freeze_time(self.msk(2026, 3, 13, 16, 0)):
            return self._ticket(stage_id=self.stage_progress.id, **values)

    def test_four_hour_target_from_friday_16h_due_monday_11h(self):
        ticket = self._friday_ticket()
        self.assertEqual(ticket.sla_policy_id, self.policy_default)
        self.assertTrue(ticket.no_agreement)
        self.assertEqual(ticket.sla_resolve_deadline, self.msk(2026, 3, 16, 11, 0))
        self.assertEqual(ticket.sla_response_deadline, self.msk(2026, 3, 13, 18, 0))

    def test_pause_extends_deadline_by_paused_working_time(self):
        ticket = self._friday_ticket()
        with freeze_time(self.msk(2026, 3, 13, 17, 0)):
            ticket.with_user(self.agent).stage_id = self.stage_waiting
        with freeze_time(self.msk(2026, 3, 16, 10, 0)):
            ticket.with_user(self.agent).stage_id = self.stage_progress
        self.assertEqual(len(ticket.pause_ids), 1)
        self.assertEqual(ticket.pause_ids.date_end, self.msk(2026, 3, 16, 10, 0))
        # Friday 17-18 and Monday 09-10: two working hours paused, the weekend costs nothing
        self.assertAlmostEqual(ticket.sla_paused_hours, 2.0)
        self.assertEqual(ticket.sla_resolve_deadline, self.msk(2026, 3, 16, 13, 0))

    def test_customer_reply_on_portal_ends_the_pause(self):
        ticket = self._friday_ticket(partner_id=self.customer_contact.id)
        with freeze_time(self.msk(2026, 3, 16, 9, 0)):
            ticket.stage_id = self.stage_waiting
        with freeze_time(self.msk(2026, 3, 16, 9, 30)):
            ticket._portal_customer_reply(self.customer_contact, "<p>Here is the log</p>")
        self.assertEqual(ticket.stage_id, self.stage_new)
        self.assertAlmostEqual(ticket.sla_paused_hours, 0.5)

    def test_public_holidays_are_skipped(self):
        self.env["resource.calendar.leaves"].create({
            "name": "Public holiday",
            "calendar_id": False,
            "company_id": self.company.id,
            "date_from": self.msk(2026, 3, 16, 0, 0),
            "date_to": self.msk(2026, 3, 16, 23, 59, 59),
        })
        ticket = self._friday_ticket()
        self.assertEqual(ticket.sla_resolve_deadline, self.msk(2026, 3, 17, 11, 0))

    def test_customer_time_zone_is_honoured(self):
        """Same UTC instant, customer in London: office hours are London's 09:00-18:00."""
        self.rival.tz = "Europe/London"
        ticket = self._friday_ticket()  # 13:00 UTC = 13:00 London
        self.assertEqual(ticket.sla_resolve_deadline, self.msk(2026, 3, 13, 20, 0))  # 17:00 London
        # a customer without time zone falls back to the team calendar's (Moscow)
        self.rival.tz = False
        ticket._recompute_sla()
        self.assertEqual(ticket.sla_resolve_deadline, self.msk(2026, 3, 16, 11, 0))

    def test_status_and_time_left_move_with_the_clock(self):
        ticket = self._friday_ticket()
        with freeze_time(self.msk(2026, 3, 13, 16, 30)):
            ticket.with_user(self.agent).message_post(
                body="We are looking into it", message_type="comment", subtype_xmlid="mail.mt_comment")
        self.assertEqual(ticket.first_response_date, self.msk(2026, 3, 13, 16, 30))
        checks = [
            ((2026, 3, 16, 10, 0), "in_time", 1.0),     # 3 of 4 working hours used
            ((2026, 3, 16, 10, 30), "at_risk", 0.5),    # 87.5 % >= 80 %
            ((2026, 3, 16, 12, 0), "breached", -1.0),
        ]
        for moment, status, left in checks:
            with freeze_time(self.msk(*moment)):
                self.env["crm.service.ticket"]._cron_recompute_sla()
            self.assertEqual(ticket.sla_status, status, moment)
            self.assertAlmostEqual(ticket.sla_time_left, left, places=3, msg=moment)

    def test_missed_first_response_breaches(self):
        ticket = self._friday_ticket()
        with freeze_time(self.msk(2026, 3, 16, 9, 30)):
            ticket._recompute_sla()
        self.assertEqual(ticket.sla_status, "breached")
        self.assertGreater(ticket.sla_response_percent, 100)

    def test_closed_in_time_is_reached_and_frozen(self):
        ticket = self._friday_ticket()
        with freeze_time(self.msk(2026, 3, 13, 17, 0)):
            ticket.message_post(body="Fixed", message_type="comment", subtype_xmlid="mail.mt_comment",
                                author_id=self.agent.partner_id.id)
            ticket.stage_id = self.stage_solved
        self.assertEqual(ticket.closed_date, self.msk(2026, 3, 13, 17, 0))
        with freeze_time(self.msk(2026, 3, 20, 12, 0)):
            ticket._recompute_sla()
        self.assertEqual(ticket.sla_status, "in_time")
        self.assertTrue(ticket.sla_reached)
        self.assertAlmostEqual(ticket.sla_time_left, 3.0)

    def test_agreement_tier_selects_its_policy(self):
        with freeze_time(self.msk(2026, 3, 13, 16, 0)):
            ticket = self._ticket(partner_id=self.customer_contact.id)
        self.assertEqual(ticket.agreement_id, self.agreement)
        self.assertFalse(ticket.no_agreement)
        self.assertEqual(ticket.sla_policy_id, self.policy_gold)
        # 8 working hours: Friday 2 h + Monday 6 h
        self.assertEqual(ticket.sla_resolve_deadline, self.msk(2026, 3, 16, 15, 0))

    def test_more_specific_policy_wins(self):
        urgent = self.env["crm.service.sla.policy"].create({
            "name": "Urgent printers", "team_id": self.team.id, "category_id": self.category.id,
            "priority": "3", "response_hours": 0.5, "resolve_hours": 2.0,
        })
        ticket = self._friday_ticket(category_id=self.category.id, priority="3")
        self.assertEqual(ticket.sla_policy_id, urgent)
        ticket.priority = "1"
        self.assertEqual(ticket.sla_policy_id, self.policy_default)

    def test_recompute_is_set_based(self):
        tickets = self.env["crm.service.ticket"]
        with freeze_time(self.msk(2026, 3, 13, 16, 0)):
            for index in range(20):
                tickets |= self._ticket(name=f"Ticket {index}")
        with freeze_time(self.msk(2026, 3, 16, 10, 0)), self.assertQueryCount(__system__=12):
            tickets._recompute_sla()
        self.assertEqual(set(tickets.mapped("sla_resolve_deadline")), {self.msk(2026, 3, 16, 11, 0)})
