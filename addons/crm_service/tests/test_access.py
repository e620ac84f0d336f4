from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import CrmServiceCommon


@tagged("post_install", "-at_install")
class TestCrmServiceAccess(CrmServiceCommon):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.support_ticket = cls._ticket(name="Support ticket", partner_id=cls.customer_contact.id)
        cls.field_ticket = cls._ticket(name="Field ticket", team_id=cls.other_team.id)

    def test_agents_see_their_teams_tickets_only(self):
        Ticket = self.env["crm.service.ticket"]
        visible = Ticket.with_user(self.agent).search([("id", "in", (self.support_ticket | self.field_ticket).ids)])
        self.assertEqual(visible, self.support_ticket)
        with self.assertRaises(AccessError):
            self.field_ticket.with_user(self.agent).read(["name"])
        # the agent of the other team sees the field ticket but not the support one
        outsider_visible = Ticket.with_user(self.outsider).search(
            [("id", "in", (self.support_ticket | self.field_ticket).ids)])
        self.assertEqual(outsider_visible, self.field_ticket)

    def test_agent_can_work_but_not_delete_nor_configure(self):
        ticket = self.support_ticket.with_user(self.agent)
        ticket.write({"stage_id": self.stage_progress.id, "hours_spent": 1.0})
        self.assertEqual(ticket.stage_id, self.stage_progress)
        with self.assertRaises(AccessError):
            ticket.unlink()
        with self.assertRaises(AccessError):
            self.policy_default.with_user(self.agent).write({"resolve_hours": 100})
        with self.assertRaises(AccessError):
            self.env["crm.service.team"].with_user(self.agent).create({"name": "Shadow team"})

    def test_sla_figures_are_not_editable(self):
        ticket = self.support_ticket.with_user(self.agent)
        for values in ({"sla_status": "in_time"}, {"sla_policy_id": False}, {"closed_date": False}):
            with self.assertRaises(AccessError):
                ticket.write(values)

    def test_agent_pauses_the_clock_only_through_stages(self):
        ticket = self.support_ticket.with_user(self.agent)
        ticket.stage_id = self.stage_waiting
        pause = ticket.pause_ids
        self.assertEqual(len(pause), 1)
        self.assertFalse(pause.date_end)
        with self.assertRaises(AccessError):
            pause.write({"date_start": "2020-01-01 00:00:00"})
        ticket.stage_id = self.stage_progress
        self.assertTrue(pause.date_end)

    def test_manager_sees_all(self):
        visible = self.env["crm.service.ticket"].with_user(self.manager).search(
            [("id", "in", (self.support_ticket | self.field_ticket).ids)])
        self.assertEqual(visible, self.support_ticket | self.field_ticket)

    def test_portal_user_sees_own_company_tickets_only(self):
        Ticket = self.env["crm.service.ticket"].with_user(self.portal_user)
        colleague_ticket = self._ticket(name="Colleague", partner_id=self.customer.id)
        self.assertEqual(
            Ticket.search([]), self.support_ticket | colleague_ticket)
        with self.assertRaises(AccessError):
            self.field_ticket.with_user(self.portal_user).read(["name"])
        with self.assertRaises(AccessError):
            Ticket.create({"name": "Direct create", "partner_id": self.customer_contact.id})

    def test_portal_reads_published_articles_only(self):
        published, internal = self.env["crm.service.article"].create([
            {"name": "Published", "is_published": True}, {"name": "Internal"},
        ])
        visible = self.env["crm.service.article"].with_user(self.portal_user).search(
            [("id", "in", (published | internal).ids)])
        self.assertEqual(visible, published)

    def test_multi_company_isolation(self):
        other_company = self.env["res.company"].create({"name": "ООО Филиал"})
        # no team: the support team belongs to the first company (see _check_company_records)
        foreign = self._ticket(name="Foreign", company_id=other_company.id, team_id=False)
        self.manager.write({"company_ids": [(4, self.company.id)]})
        visible = self.env["crm.service.ticket"].with_user(self.manager).search([("id", "=", foreign.id)])
        self.assertFalse(visible)
