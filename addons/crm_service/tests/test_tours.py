from datetime import timedelta

from odoo import Command
from odoo.addons.crm_core.tests.common_tour import CrmTourCase
from odoo.tests import new_test_user, tagged


@tagged("post_install", "-at_install")
class TestCrmServiceTours(CrmTourCase):
    """A ticket's SLA in a real browser (headless Chromium); screenshots: see crm_core common_tour.py."""

    screenshot_addon = "crm_service"

    def test_ticket_sla_tour(self):
        agent = new_test_user(
            self.env, login="tour_svc_agent", name="Тур Агентова", tz="Europe/Moscow",
            groups="base.group_user,crm_service.group_crm_service_agent")
        # no working-hours calendar: the SLA runs around the clock, so the deadline
        # does not depend on the day and hour the test runs
        team = self.env["crm.service.team"].create({
            "name": "Тур: поддержка",
            "member_ids": [Command.set(agent.ids)],
            "resource_calendar_id": False,
            "assignment_method": "manual",
        })
        normal, urgent = self.env["crm.service.sla.policy"].create([{
            "name": "Тур: обычный", "team_id": team.id, "response_hours": 2.0, "resolve_hours": 8.0,
        }, {
            "name": "Тур: срочный", "team_id": team.id, "priority": "3",
            "response_hours": 0.5, "resolve_hours": 2.0,
        }])
        customer = self.env["res.partner"].create({"name": "ООО «Тур-Сервис»", "is_company": True})
        ticket = self.env["crm.service.ticket"].create({
            "name": "Тур: не печатает принтер в бухгалтерии",
            "partner_id": customer.id,
            "team_id": team.id,
            "user_id": agent.id,
            "priority": "1",
        })
        self.assertEqual(ticket.sla_policy_id, normal)
        self.assertEqual(ticket.sla_resolve_deadline, ticket.date_open + timedelta(hours=8))

        self.start_crm_tour(f"/odoo/action-crm_service.action_crm_service_ticket/{ticket.id}",
                            "crm_service_ticket_sla_tour", login=agent.login)

        self.assertEqual(ticket.priority, "3")
        self.assertEqual(ticket.stage_id, self.env.ref("crm_service.stage_in_progress"))
        self.assertEqual(ticket.sla_policy_id, urgent, "the stricter policy follows the priority")
        self.assertEqual(ticket.sla_resolve_deadline, ticket.date_open + timedelta(hours=2))
        self.assertEqual(ticket.sla_response_deadline, ticket.date_open + timedelta(minutes=30))
        self.assertEqual(ticket.sla_status, "in_time")
