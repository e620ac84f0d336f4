from datetime import datetime

import pytz

from odoo import Command
from odoo.tests import TransactionCase, new_test_user


class CrmServiceCommon(TransactionCase):
    """A small service desk: one team on a 09:00-18:00 Mon-Fri Moscow calendar,
    two agents, one outsider agent, a manager, two customer companies with
    portal users, an SLA tier with its agreement and policies."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, mail_create_nolog=True))
        cls.company = cls.env.company
        cls.calendar = cls.env["resource.calendar"].create({
            "name": "Office 09-18 Moscow",
            "tz": "Europe/Moscow",
            "company_id": cls.company.id,
            "attendance_ids": [
                Command.create({
                    "name": f"Day {day}", "dayofweek": str(day), "hour_from": 9.0, "hour_to": 18.0,
                    "day_period": "full_day",
                })
                for day in range(5)
            ],
        })
        agent_groups = "base.group_user,crm_service.group_crm_service_agent"
        cls.agent = new_test_user(cls.env, "svc_agent", groups=agent_groups, name="Anna Agent",
                                  tz="Europe/Moscow")
        cls.agent_2 = new_test_user(cls.env, "svc_agent2", groups=agent_groups, name="Boris Agent")
        cls.outsider = new_test_user(cls.env, "svc_outsider", groups=agent_groups, name="Oleg Outsider")
        cls.leader = new_test_user(cls.env, "svc_leader", groups=agent_groups, name="Lena Leader")
        cls.manager = new_test_user(
            cls.env, "svc_manager", groups="base.group_user,crm_service.group_crm_service_manager",
            name="Maria Manager")
        cls.stage_new = cls.env.ref("crm_service.stage_new")
        cls.stage_progress = cls.env.ref("crm_service.stage_in_progress")
        cls.stage_waiting = cls.env.ref("crm_service.stage_waiting_customer")
        cls.stage_solved = cls.env.ref("crm_service.stage_solved")
        cls.team = cls.env["crm.service.team"].create({
            "name": "Support Moscow",
            "company_id": cls.company.id,
            "leader_id": cls.leader.id,
            "member_ids": [Command.set([cls.agent.id, cls.agent_2.id])],
            "resource_calendar_id": cls.calendar.id,
            "assignment_method": "manual",
        })
        cls.other_team = cls.env["crm.service.team"].create({
            "name": "Field Service", "company_id": cls.company.id,
            "member_ids": [Command.set([cls.outsider.id])],
        })
        cls.category = cls.env["crm.service.category"].create({"name": "Printers"})
        cls.tier_gold = cls.env["crm.service.sla.tier"].create({"name": "Gold"})
        # remove the data-file default policy from the game: tests define their own
        cls.env["crm.service.sla.policy"].search([]).active = False
        cls.env["crm.service.escalation.rule"].search([]).active = False
        cls.policy_default = cls.env["crm.service.sla.policy"].create({
            "name": "Default", "response_hours": 2.0, "resolve_hours": 4.0, "sequence": 50,
        })
        cls.policy_gold = cls.env["crm.service.sla.policy"].create({
            "name": "Gold", "tier_id": cls.tier_gold.id, "response_hours": 1.0, "resolve_hours": 8.0,
        })
        cls.customer = cls.env["res.partner"].create({
            "name": "ООО Ромашка", "is_company": True, "tz": "Europe/Moscow", "email": "info@romashka.example",
        })
        cls.customer_contact = cls.env["res.partner"].create({
            "name": "Иван Петров", "parent_id": cls.customer.id, "email": "petrov@romashka.example",
            "tz": "Europe/Moscow",
        })
        cls.rival = cls.env["res.partner"].create({
            "name": "АО Василёк", "is_company": True, "tz": "Europe/Moscow",
        })
        cls.rival_contact = cls.env["res.partner"].create({
            "name": "Пётр Сидоров", "parent_id": cls.rival.id, "email": "sidorov@vasilek.example",
        })
        cls.portal_user = new_test_user(
            cls.env, "svc_portal", groups="base.group_portal", name="Иван Петров",
            partner_id=cls.customer_contact.id, email="petrov@romashka.example")
        cls.rival_portal_user = new_test_user(
            cls.env, "svc_portal_rival", groups="base.group_portal", name="Пётр Сидоров",
            partner_id=cls.rival_contact.id, email="sidorov@vasilek.example")
        cls.agreement = cls.env["crm.service.agreement"].create({
            "name": "Gold support",
            "partner_id": cls.customer.id,
            "sla_tier_id": cls.tier_gold.id,
            # open-ended: in force whatever day the tests run (tests of expiry set their own end)
            "date_start": "2020-01-01",
            "hours_included": 10.0,
            "state": "active",
        })

    @classmethod
    def _ticket(cls, **values):
        vals = {"name": "Printer does not print", "team_id": cls.team.id, "partner_id": cls.rival.id}
        vals.update(values)
        return cls.env["crm.service.ticket"].create(vals)

    @staticmethod
    def msk(*args):
        """Naive UTC datetime for a Moscow wall-clock time (UTC+3, no DST)."""
        return pytz.timezone("Europe/Moscow").localize(datetime(*args)).astimezone(pytz.utc).replace(tzinfo=None)


class CrmServiceSharedTicketCommon(CrmServiceCommon):
    """A solved ticket of ``customer`` and its share link (access token), for tests of who may do what
    with a forwarded link."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ticket = cls._ticket(partner_id=cls.customer.id, contact_id=cls.customer_contact.id,
                                 name="Принтер жуёт бумагу")
        cls.ticket.stage_id = cls.stage_solved
        cls.token = cls.ticket._portal_ensure_token()
