from datetime import timedelta

from odoo import Command, fields
from odoo.addons.crm_core.tests.common_tour import CrmTourCase
from odoo.tests import new_test_user, tagged


@tagged("post_install", "-at_install")
class TestCrmServiceTours(CrmTourCase):
    """A ticket's SLA and a customer's portal request in a real browser (headless Chromium), in
    Russian at two sizes; screenshots: see crm_core common_tour.py."""

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
        # created in the agent's language, as the agent would: the chatter's "created" note is Russian
        ticket = self.env["crm.service.ticket"].with_context(lang=self.tour_lang).create({
            "name": "Тур: не печатает принтер в бухгалтерии",
            "partner_id": customer.id,
            "team_id": team.id,
            "user_id": agent.id,
            "priority": "1",
        })
        self.assertEqual(ticket.sla_policy_id, normal)
        self.assertEqual(ticket.sla_resolve_deadline, ticket.date_open + timedelta(hours=8))

        # what the SLA tab must show: deadlines from the policies' targets (no calendar: plain
        # hours from the opening), the working time left (the clock runs during the tour: a range
        # in hours, latest first) and the status as the agent reads it
        ru = self.env(context=dict(self.env.context, lang=self.tour_lang))
        statuses = dict(ru["crm.service.ticket"]._fields["sla_status"]._description_selection(ru))
        opened = ticket.date_open
        self.start_crm_tour(
            f"/odoo/action-crm_service.action_crm_service_ticket/{ticket.id}", "crm_service_ticket_sla_tour",
            login=agent.login, expected={
                "policy_normal": normal.name,
                "policy_urgent": urgent.name,
                "status_in_time": statuses["in_time"],
                "response_normal": fields.Datetime.to_string(opened + timedelta(hours=2)),
                "resolve_normal": fields.Datetime.to_string(opened + timedelta(hours=8)),
                "response_urgent": fields.Datetime.to_string(opened + timedelta(minutes=30)),
                "resolve_urgent": fields.Datetime.to_string(opened + timedelta(hours=2)),
                "time_left_normal": [8.0, 8.0 - 15 / 60],
                "time_left_urgent": [2.0, 2.0 - 15 / 60],
                "stage_in_progress": self.env.ref("crm_service.stage_in_progress").id,
            })

        self.assertEqual(ticket.priority, "3")
        self.assertEqual(ticket.stage_id, self.env.ref("crm_service.stage_in_progress"))
        self.assertEqual(ticket.sla_policy_id, urgent, "the stricter policy follows the priority")
        self.assertEqual(ticket.sla_resolve_deadline, ticket.date_open + timedelta(hours=2))
        self.assertEqual(ticket.sla_response_deadline, ticket.date_open + timedelta(minutes=30))
        self.assertEqual(ticket.sla_status, "in_time")

    def test_portal_request_tour(self):
        """A customer with no request yet files one with a description, choosing a product they bought."""
        company = self.env["res.partner"].create({"name": "ООО «Тур-Клиент»", "is_company": True})
        person = self.env["res.partner"].create({
            "name": "Ольга Турова", "parent_id": company.id, "email": "olga@tur-klient.example"})
        new_test_user(self.env, login="tour_svc_portal", groups="base.group_portal", name="Ольга Турова",
                      partner_id=person.id, email="olga@tur-klient.example")
        bought, _catalogue = self.env["product.product"].create([
            {"name": "Тур: принтер ЛП-300", "sale_ok": True, "list_price": 300},
            {"name": "Тур: сканер СК-5", "sale_ok": True, "list_price": 150},
        ])
        order = self.env["sale.order"].create({
            "partner_id": company.id, "order_line": [Command.create({"product_id": bought.id})]})
        order.action_confirm()
        Ticket = self.env["crm.service.ticket"]
        description = "Принтер мнёт каждый второй лист после замены картриджа"
        self.start_crm_tour("/my", "crm_service_portal_request_tour", login="tour_svc_portal", expected={
            "product_ids": bought.ids,
            "product_id": bought.id,
            "subject": "Тур: принтер мнёт бумагу",
            "description": description,
        })
        ticket = Ticket.search([("commercial_partner_id", "=", company.id)])
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.name, "Тур: принтер мнёт бумагу")
        self.assertEqual((ticket.partner_id, ticket.contact_id), (company, person))
        self.assertEqual(ticket.product_id, bought)
        self.assertEqual(ticket.channel, "portal")
        self.assertEqual(ticket.description, f"<p>{description}</p>")
