from odoo.tests import Form, tagged

from .common import CrmServiceCommon

INCOMING = """Return-Path: <petrov@romashka.example>
To: {to}
From: Иван Петров <petrov@romashka.example>
Subject: {subject}
Message-ID: {msg_id}
Date: Fri, 13 Mar 2026 13:00:00 +0000
Content-Type: text/plain; charset="utf-8"

{body}
"""


@tagged("post_install", "-at_install")
class TestCrmServiceTicketFlow(CrmServiceCommon):

    def test_sequence_and_default_stage(self):
        ticket = self._ticket()
        self.assertTrue(ticket.number.startswith("TCK/"))
        second = self._ticket()
        self.assertNotEqual(ticket.number, second.number)
        self.assertEqual(ticket.stage_id, self.stage_new)
        self.assertIn(ticket.number, ticket.display_name)

    def test_team_open_tickets_action(self):
        self._ticket()
        self._ticket(stage_id=self.stage_solved.id)
        team = self.team.with_user(self.agent)
        self.assertEqual(team.open_ticket_count, 1)
        action = team.action_view_tickets()
        self.assertEqual(action["domain"], [("team_id", "=", self.team.id)])
        self.assertEqual(action["context"]["default_team_id"], self.team.id)

    def test_round_robin_assignment(self):
        self.team.assignment_method = "round_robin"
        tickets = self.env["crm.service.ticket"].create([
            {"name": f"RR {index}", "team_id": self.team.id} for index in range(3)
        ])
        members = self.team.member_ids.sorted("id")
        self.assertEqual(tickets.mapped("user_id").ids, members.ids)
        self.assertEqual(tickets[2].user_id, members[0])
        self.assertEqual(self.team.last_assigned_user_id, members[0])

    def test_least_loaded_assignment(self):
        self.team.assignment_method = "least_loaded"
        busy, free = self.team.member_ids.sorted("id")
        self._ticket(user_id=busy.id)
        self._ticket(user_id=busy.id)
        new = self.env["crm.service.ticket"].create([
            {"name": f"LL {index}", "team_id": self.team.id} for index in range(3)
        ])
        self.assertEqual(new.mapped("user_id"), busy | free)
        self.assertEqual([t.user_id for t in new], [free, free, busy])

    def test_incoming_email_creates_then_updates_ticket(self):
        self.env["mail.alias.domain"].create({"name": "service.example"})
        self.team.alias_name = "support-moscow"
        self.assertEqual(self.team.alias_id.alias_model_id.model, "crm.service.ticket")
        ticket_id = self.env["mail.thread"].message_process(
            "crm.service.ticket",
            INCOMING.format(to=self.team.alias_email, subject="Принтер не печатает",
                            msg_id="<first@romashka.example>", body="Помогите"),
        )
        ticket = self.env["crm.service.ticket"].browse(ticket_id)
        self.assertEqual(ticket.team_id, self.team)
        self.assertEqual(ticket.channel, "email")
        self.assertEqual(ticket.partner_id, self.customer)
        self.assertEqual(ticket.contact_id, self.customer_contact)
        self.assertEqual(ticket.agreement_id, self.agreement)
        ticket.stage_id = self.stage_waiting
        self.env["mail.thread"].message_process(
            "crm.service.ticket",
            "In-Reply-To: <first@romashka.example>\n" + INCOMING.format(
                to=self.team.alias_email, subject="Re: Принтер не печатает",
                msg_id="<second@romashka.example>", body="Вот лог"),
        )
        self.assertEqual(self.env["crm.service.ticket"].search_count([("team_id", "=", self.team.id)]), 1)
        self.assertEqual(ticket.stage_id, self.stage_new, "a reply ends the waiting")
        self.assertTrue(ticket.pause_ids.date_end)

    def test_form_as_agent(self):
        form = Form(self.env["crm.service.ticket"].with_user(self.agent))
        form.name = "Замятие бумаги"
        form.partner_id = self.customer
        form.team_id = self.team
        form.priority = "2"
        ticket = form.save()
        self.assertEqual(ticket.agreement_id, self.agreement)
        self.assertEqual(ticket.sla_policy_id, self.policy_gold)

    def test_partner_ticket_count_and_timeline(self):
        self._ticket(partner_id=self.customer_contact.id)
        self._ticket(partner_id=self.customer.id)
        self._ticket(partner_id=self.rival.id)
        customer = self.customer.with_user(self.manager)
        self.assertEqual(customer.crm_service_ticket_count, 2)
        self.assertEqual(self.customer_contact.with_user(self.manager).crm_service_ticket_count, 1)
        self.assertIn("ticket", customer._crm_timeline_sources())
        entries = customer._crm_timeline_entries_ticket(10)
        self.assertEqual(len(entries), 2)
        self.assertEqual({e["type"] for e in entries}, {"ticket"})
        self.assertEqual(entries[0]["res_model"], "crm.service.ticket")
        timeline = customer.crm_timeline_get(types=["ticket"])
        self.assertEqual({entry["res_id"] for entry in timeline["entries"]},
                         {entry["res_id"] for entry in entries})
        # record rules apply: a portal user of another customer gets nothing
        self.assertEqual(self.customer.with_user(self.rival_portal_user)._crm_timeline_entries_ticket(10), [])
